"""Optional heavy dependencies load through this one helper, which names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from tidings.errors import E, TidingsError

# module -> (extra that provides it, what needs it)
OPTIONAL = {
    "distributed": ("dask", "--engine dask"),
    "dask": ("dask", "--engine dask"),
}


def require(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as err:
        extra, feature = OPTIONAL.get(module, (module, module))
        raise TidingsError(E.E050, feature=feature, extra=extra) from err
