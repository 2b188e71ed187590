"""Ingest jobs started from the web page or `POST /api/ingest`.

DuckDB refuses a read-only and a read-write connection to one file inside one process, so the
server (which reads) runs each ingest in a child process; that process takes the write lock only
while it commits a batch (see the store's concurrency note), and the server's reads go in between.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

from tidings.errors import E, TidingsError

# How long a finished job's record stays answerable at /api/ingest/{id}; and how many are kept.
JOB_TTL_S = 3600.0
MAX_JOBS_KEPT = 100


@dataclass
class Job:
    id: str
    files: int
    state: str = "queued"  # queued | running | done | failed
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    words: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    error: dict[str, str] | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None
    done_event: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "files": self.files,
            "new": self.new,
            "duplicate": self.duplicate,
            "failed": self.failed,
            "words": self.words,
            "errors": self.errors,
            "error": self.error,
            "seconds": round((self.finished or time.time()) - self.started, 3),
        }


def _child(paths: list[str], db: str, published: str | None, queue: Any) -> None:
    """Runs in the child process: ingest and report progress dicts on `queue`."""
    from tidings import api
    from tidings.ingest import ReadOptions
    from tidings.store import Store

    def progress(report: api.IngestReport) -> None:
        queue.put({"state": "running", **report.to_dict()})

    try:
        report = api.ingest(paths, Store(db), ReadOptions(published=published), progress=progress)
        queue.put({"state": "done", **report.to_dict()})
    except TidingsError as err:
        queue.put({"state": "failed", "error": {"code": err.code, "message": err.message}})
    except Exception as err:  # the child must always answer, or the job would hang
        queue.put({"state": "failed", "error": {"code": "E202", "message": TidingsError(E.E202, reason=repr(err)).message}})


class JobRunner:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, folder: Path, files: int, published: str | None) -> Job:
        job = Job(id=uuid.uuid4().hex[:12], files=files)
        with self._lock:
            self._forget_old()
            self.jobs[job.id] = job
        thread = threading.Thread(target=self._run, args=(job, folder, published), daemon=True)
        thread.start()
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self.jobs.get(job_id)
        if job is None:
            raise TidingsError(E.E064, what=f"ingest job '{job_id}'")
        return job

    def _run(self, job: Job, folder: Path, published: str | None) -> None:
        ctx = mp.get_context("spawn")  # never fork a threaded server
        queue = ctx.Queue()
        child = ctx.Process(target=_child, args=([str(folder)], str(self.db), published, queue), daemon=True)
        job.state = "running"
        child.start()
        try:
            self._follow(job, child, queue)
        finally:
            child.join(timeout=5)
            shutil.rmtree(folder, ignore_errors=True)
            job.finished = time.time()
            job.done_event.set()

    def _follow(self, job: Job, child: Any, queue: Any) -> None:
        while True:
            try:
                message = queue.get(timeout=0.2)
            except Empty:
                if not child.is_alive():
                    job.state = "failed"
                    job.error = {"code": "E202", "message": TidingsError(E.E202, reason=f"the ingest process exited with code {child.exitcode}").message}
                    return
                continue
            self._apply(job, message)
            if job.state in ("done", "failed"):
                return

    @staticmethod
    def _apply(job: Job, message: dict[str, Any]) -> None:
        job.state = message["state"]
        for key in ("new", "duplicate", "failed", "words"):
            if key in message:
                setattr(job, key, message[key])
        if "errors" in message:
            job.errors = message["errors"]
        if message.get("error"):
            job.error = message["error"]

    def _forget_old(self) -> None:
        now = time.time()
        stale = [k for k, j in self.jobs.items() if j.finished and now - j.finished > JOB_TTL_S]
        for key in stale:
            del self.jobs[key]
        while len(self.jobs) >= MAX_JOBS_KEPT:
            del self.jobs[next(iter(self.jobs))]
