// tidings web app. Plain JS, no framework. Every string that comes from an article is put in
// the page with textContent (through el()), never as HTML.
"use strict";

const TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#d4ac0d",
  "Strategic developments": "#16a085",
  "Security": "#7f8c8d",
  "Diplomacy": "#27ae60",
};
const KINDS = ["quote", "claim", "event", "place", "time", "figure", "entity"];
const KIND_PRIORITY = { event: 0, figure: 1, time: 2, place: 3, quote: 4, claim: 5, entity: 6 };
const PAGE = 50;
const MAP_LIMIT = 20000;

const state = { merged: true, filters: {}, eventOffset: 0, speaker: null, quoteOffset: 0, claimOffset: 0, speakerOffset: 0, articleOffset: 0, map: null, cluster: null, article: null, mode: "clean" };

// -- DOM helpers -------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
const $ = (id) => document.getElementById(id);
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function colourOf(type) {
  if (TYPE_COLOURS[type]) return TYPE_COLOURS[type];
  let h = 0;
  for (const ch of String(type)) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h}, 55%, 45%)`;
}
function statusBadge(status) { return el("span", { class: `status status-${String(status).replace(/[^a-z]/g, "")}` }, status || "?"); }
function spanLink(articleId, start, end, label) {
  return el("a", { href: `/articles/${encodeURIComponent(articleId)}#span-${Number(start)}-${Number(end)}` }, label || "open in article");
}
function safeUrl(url) { return /^https?:\/\//i.test(url || "") ? url : null; }
function placeLink(name) {
  return name ? el("a", { class: "place-link", href: `/#/timeline?place=${encodeURIComponent(name)}` }, name) : "place unknown";
}
function dateText(view) { return view && view.text ? view.text : "date unknown"; }
function tollText(figure, word) {
  if (!figure || !figure.values.length) return null;
  return figure.agreed ? `${figure.text} ${word}` : el("span", { class: "disagree", title: "sources disagree" }, `${figure.text} ${word} (sources disagree)`);
}
function valuesTable(figure) {
  return el("table", { class: "values" }, el("tr", {}, el("th", {}, "value"), el("th", {}, "given by")),
    figure.values.map((v) => el("tr", {}, el("td", {}, String(v.value)), el("td", {}, v.outlets.join(", ")))));
}

async function api(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") query.set(k, v);
  const response = await fetch(`${path}${query.toString() ? "?" + query : ""}`);
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.error.code}: ${body.error.message}`);
  return body;
}
function showError(node, err) { clear(node).append(el("p", { class: "error" }, String(err.message || err))); }

function pager(node, offset, total, onMove) {
  clear(node);
  if (total <= PAGE) return;
  const prev = el("button", { type: "button", disabled: offset === 0 }, "‹ prev");
  const next = el("button", { type: "button", disabled: offset + PAGE >= total }, "next ›");
  prev.addEventListener("click", () => onMove(Math.max(0, offset - PAGE)));
  next.addEventListener("click", () => onMove(offset + PAGE));
  node.append(prev, el("span", { class: "muted" }, `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}`), next);
}

// -- filters -----------------------------------------------------------------------------------
function readFilters() {
  const data = new FormData($("filters"));
  const out = {};
  for (const [k, v] of data.entries()) if (String(v).trim()) out[k] = String(v).trim();
  return out;
}
function writeFilters(values) {
  const form = $("filters");
  for (const name of ["type", "status", "actor", "place", "since", "until", "q"]) form.elements[name].value = values[name] || "";
}
function applyFilters() {
  state.filters = readFilters();
  state.eventOffset = 0;
  const parts = Object.entries(state.filters).map(([k, v]) => `${k}=${v}`);
  $("f-summary").textContent = parts.length ? `filtered: ${parts.join(", ")}` : "";
  refreshCurrent();
}
async function loadFacets() {
  const facets = await api("/api/facets");
  for (const type of facets.event_types) $("f-type").append(el("option", { value: type }, type));
  for (const status of facets.statuses) $("f-status").append(el("option", { value: status }, status));
  const legend = clear($("legend"));
  for (const type of facets.event_types) {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colourOf(type);
    legend.append(el("span", {}, swatch, type));
  }
  legend.append(el("span", { class: "muted" }, "circle size: fatalities"));
}

// -- map ---------------------------------------------------------------------------------------
async function initMap() {
  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([30, 20], 2);
  state.map = map;
  try {
    const response = await fetch("/static/vendor/world-atlas/countries-50m.json");
    const topo = await response.json();
    const countries = topojson.feature(topo, topo.objects.countries);
    countries.features = countries.features.filter((f) => f.id !== "010").map(unwrapAntimeridian);  // 010: Antarctica
    L.geoJSON(countries, {
      style: { color: "#9a9384", weight: 0.6, fillColor: "#f1eee6", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
  } catch (err) { console.warn("basemap", err); }
  state.cluster = L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 40, showCoverageOnHover: false });
  map.addLayer(state.cluster);
}

// Rings that cross the antimeridian jump from +180 to -180; drawn as is they streak across the
// map. Shift the western half by 360 degrees so each ring stays contiguous.
function unwrapAntimeridian(feature) {
  const fixRing = (ring) => {
    const crosses = ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180);
    return crosses ? ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]) : ring;
  };
  const g = feature.geometry;
  if (!g) return feature;
  if (g.type === "Polygon") g.coordinates = g.coordinates.map(fixRing);
  if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(fixRing));
  return feature;
}

function markerFor(feature) {
  const [lon, lat] = feature.geometry.coordinates;
  const props = feature.properties;
  const radius = 6 + 2.5 * Math.sqrt(props.fatalities || 0);
  const marker = L.circleMarker([lat, lon], { radius, color: "#333", weight: 1, fillColor: colourOf(props.event_type), fillOpacity: 0.85 });
  marker.eventId = props.id;
  marker.on("click", () => showEvent(props.id));
  // bindTooltip with a DOM node keeps the text as text
  const sources = props.n_sources ? ` · ${props.n_sources} source${props.n_sources === 1 ? "" : "s"}` : "";
  marker.bindTooltip(el("span", {}, `${props.sub_event_type} · ${props.place_name || ""} · ${props.date_text || "date unknown"}${sources}`));
  return marker;
}

async function loadMap() {
  const geo = await api("/api/events", { ...state.filters, merged: state.merged, format: "geojson", fields: "map", limit: MAP_LIMIT });
  state.cluster.clearLayers();
  state.cluster.addLayers(geo.features.map(markerFor));
  $("map").dataset.markers = String(geo.features.length);
  if (geo.features.length) {
    const bounds = L.latLngBounds(geo.features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    state.map.fitBounds(bounds.pad(0.4), { maxZoom: 6 });
  }
  if (geo.total > geo.features.length) $("f-summary").textContent += ` · map shows ${geo.features.length} of ${geo.total} located events; narrow the filters to see the rest`;
}

async function loadEventList() {
  const list = clear($("event-list"));
  const body = await api("/api/events", { ...state.filters, merged: state.merged, limit: PAGE, offset: state.eventOffset });
  $("events-count").textContent = `(${body.total})`;
  for (const ev of body.items) {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colourOf(ev.event_type);
    const item = ev.merged
      ? el("li", { "data-event": ev.id }, swatch, el("strong", {}, ev.sub_event_type), " ", statusBadge(ev.status),
        el("span", { class: "sources-n" }, `${ev.n_sources} source${ev.n_sources === 1 ? "" : "s"} · ${ev.n_mentions} report${ev.n_mentions === 1 ? "" : "s"}`),
        el("div", { class: "muted" }, `${ev.date ? ev.date.text : "date unknown"} · `, placeLink(ev.place.name), " ", tollText(ev.fatalities, "killed") || ""))
      : el("li", { "data-event": ev.id }, swatch, el("strong", {}, ev.sub_event_type), " ", statusBadge(ev.status),
        el("div", { class: "muted" }, `${ev.date_text || "date unknown"} · `, placeLink(ev.place.name), ` · ${ev.article_title || ""}`));
    item.addEventListener("click", (e) => { if (!e.target.closest("a")) showEvent(ev.id); });
    list.append(item);
  }
  for (const link of document.querySelectorAll("#downloads a")) {
    link.setAttribute("href", `/api/export?${new URLSearchParams({ ...state.filters, merged: state.merged, format: link.dataset.format })}`);
  }
  pager($("event-pager"), state.eventOffset, body.total, (offset) => { state.eventOffset = offset; loadEventList(); });
}

async function showEvent(id) {
  const card = $("event-card");
  card.hidden = false;
  clear(card).append(el("p", { class: "muted" }, "loading…"));
  let ev;
  try { ev = await api(`/api/events/${encodeURIComponent(id)}`); } catch (err) { showError(card, err); return; }
  for (const li of document.querySelectorAll("#event-list li")) li.classList.toggle("selected", li.dataset.event === id);
  if (ev.merged) { showMergedEvent(card, ev); return; }
  const rows = [
    ["type", `${ev.event_type} › ${ev.sub_event_type}`],
    ["date", ev.date_view ? `${ev.date_view.text} (precision: ${ev.date_view.precision})` : "unknown"],
    ["place", ev.place.name ? el("span", {}, placeLink(ev.place.name), ev.place.country_code ? ` (${ev.place.country_code})` : "") : "unknown"],
    ["actors", ev.actors.length ? ev.actors.join("; ") : "—"],
    ["targets", ev.targets.length ? ev.targets.join("; ") : "—"],
    ["fatalities", ev.fatalities ?? "not reported"],
    ["injured", ev.injured ?? "not reported"],
    ["status", statusBadge(ev.status)],
    ["confidence", ev.confidence != null ? Number(ev.confidence).toFixed(2) : "?"],
    ["according to", ev.attributed_to || "—"],
  ];
  if (ev.weapon) rows.push(["weapon", ev.weapon]);
  const dl = el("dl", {});
  for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
  const figures = el("ul", {}, ev.figures.map((f) => el("li", {}, `“${f.text}” `, el("span", { class: "muted" }, `${f.qualifier}${f.counted ? " · " + f.counted : ""}`), " ", spanLink(ev.article_id, f.start, f.end, "↗"))));
  const behind = el("div", {});
  if (ev.quote) behind.append(el("p", {}, "Quote: ", el("q", {}, ev.quote.content.text), ` — ${ev.quote.speaker_name || "unknown"}`, ev.quote.via.length ? ` (via ${ev.quote.via.join(", via ")})` : "", " ", spanLink(ev.article_id, ev.quote.content.start, ev.quote.content.end, "↗")));
  if (ev.claim) behind.append(el("p", {}, "Claim: ", el("q", {}, ev.claim.content.text), ` — ${ev.claim.claimant || "unattributed"} `, statusBadge(ev.claim.status), ev.claim.via.length ? ` via ${ev.claim.via.join(", via ")}` : ""));
  const sources = el("ul", {}, ev.sources.map((s) => el("li", {}, s.source || s.origin || "?", s.url && safeUrl(s.url) ? el("span", {}, " ", el("a", { href: safeUrl(s.url), rel: "noopener noreferrer", target: "_blank" }, "original")) : "")));
  clear(card).append(
    el("h4", {}, `${ev.sub_event_type}`),
    el("p", {}, el("q", {}, ev.trigger.text), " in ", el("a", { href: ev.link }, ev.article_title || "(untitled article)")),
    ev.merged_id ? el("p", {}, el("a", { href: "#", class: "linkish", "data-merged": ev.merged_id, onclick: (e) => { e.preventDefault(); showEvent(ev.merged_id); } }, "the real-world event this report belongs to (all sources)")) : "",
    dl,
    ev.figures.length ? el("div", {}, el("strong", {}, "Figures"), figures) : "",
    behind,
    el("div", {}, el("strong", {}, "Sources"), sources),
  );
}

function showMergedEvent(card, ev) {
  const rows = [
    ["type", `${ev.event_type} › ${ev.sub_event_type}`],
    ["date", ev.date ? ev.date.text : "unknown"],
    ["place", ev.place.name ? el("span", {}, placeLink(ev.place.name), ev.place.country_code ? ` (${ev.place.country_code})` : "") : "unknown"],
    ["actors", ev.actors.length ? ev.actors.join("; ") : "—"],
    ["targets", ev.targets.length ? ev.targets.join("; ") : "—"],
    ["fatalities", ev.fatalities.values.length ? (ev.fatalities.agreed ? ev.fatalities.text : el("div", {}, tollText(ev.fatalities, "killed"), valuesTable(ev.fatalities))) : "not reported"],
    ["injured", ev.injured.values.length ? (ev.injured.agreed ? ev.injured.text : el("div", {}, tollText(ev.injured, "injured"), valuesTable(ev.injured))) : "not reported"],
    ["status", statusBadge(ev.status)],
    ["sources", `${ev.n_sources} independent (${ev.outlets.join(", ") || "?"}); ${ev.n_mentions} report${ev.n_mentions === 1 ? "" : "s"} in ${ev.n_articles} article${ev.n_articles === 1 ? "" : "s"}`],
  ];
  if (ev.disagree_on.length) rows.push(["sources disagree on", el("span", { class: "disagree" }, ev.disagree_on.join(", "))]);
  const dl = el("dl", {});
  for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
  const mentions = el("ol", { class: "mentions", id: "merged-mentions" }, ev.mentions.map((m) => el("li", {},
    el("strong", {}, m.outlet || "?"), ` ${m.published || ""}: `, el("q", {}, m.sentence || m.trigger.text),
    el("span", { class: "muted" }, ` — ${m.attributed_to || "unattributed"}, ${m.fatalities ?? "no"} killed, ${m.status} `),
    el("a", { href: m.link }, m.article_title || "open in article"), " · ",
    el("a", { href: "#", class: "linkish", onclick: (e) => { e.preventDefault(); showEvent(m.id); } }, "this report"))));
  clear(card).append(el("h4", {}, `${ev.sub_event_type} `, statusBadge(ev.status)), dl, el("div", {}, el("strong", {}, "Every report of it"), mentions));
}

// -- timeline ----------------------------------------------------------------------------------
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs) { const n = document.createElementNS(SVG, tag); for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v)); return n; }
const DAY = 86400000;

async function loadTimeline() {
  const { since, until, ...rest } = state.filters;
  const body = await api("/api/histogram", rest);
  drawTimeline(body.days);
}

function drawTimeline(days) {
  const box = clear($("timeline"));
  const width = box.clientWidth || 900, height = 110, pad = 18;
  $("tl-clear").hidden = !(state.filters.since || state.filters.until);
  if (!days.length) { box.append(svg("text", { x: 10, y: 50 })).textContent = "no dated events"; return; }
  const first = Date.parse(days[0].date), last = Date.parse(days[days.length - 1].date) + DAY;
  const span = Math.max(last - first, DAY);
  const x = (t) => pad + ((t - first) / span) * (width - 2 * pad);
  const top = Math.max(...days.map((d) => d.count));
  const barWidth = Math.min(40, Math.max(2, (width - 2 * pad) / (span / DAY) - 1));
  const since = state.filters.since ? Date.parse(state.filters.since) : -Infinity;
  const until = state.filters.until ? Date.parse(state.filters.until) : Infinity;
  for (const d of days) {
    const t = Date.parse(d.date), h = (d.count / top) * (height - 2 * pad);
    const bar = svg("rect", { x: x(t), y: height - pad - h, width: barWidth, height: h, class: t >= since && t <= until ? "bar" : "bar out" });
    bar.append(svg("title", {}));
    bar.firstChild.textContent = `${d.date}: ${d.count} events`;
    box.append(bar);
  }
  const label = (t, anchor) => { const n = svg("text", { x: x(t), y: height - 4, "text-anchor": anchor }); n.textContent = new Date(t).toISOString().slice(0, 10); box.append(n); };
  label(first, "start");
  if (last - DAY > first) label(last - DAY, "end");
  const brush = svg("rect", { class: "brush", y: 0, height: height - pad, x: 0, width: 0, visibility: "hidden" });
  box.append(brush);
  let startX = null;
  const toDate = (px) => new Date(first + ((px - pad) / (width - 2 * pad)) * span).toISOString().slice(0, 10);
  box.onmousedown = (e) => { startX = e.offsetX; brush.setAttribute("x", startX); brush.setAttribute("width", 0); brush.setAttribute("visibility", "visible"); };
  box.onmousemove = (e) => { if (startX === null) return; brush.setAttribute("x", Math.min(startX, e.offsetX)); brush.setAttribute("width", Math.abs(e.offsetX - startX)); };
  box.onmouseup = (e) => {
    if (startX === null) return;
    const a = Math.min(startX, e.offsetX), b = Math.max(startX, e.offsetX);
    startX = null;
    if (b - a < 3) { brush.setAttribute("visibility", "hidden"); return; }
    const form = $("filters");
    form.elements.since.value = toDate(a);
    form.elements.until.value = toDate(b);
    applyFilters();
  };
}

// -- who said what -----------------------------------------------------------------------------
async function loadSpeakers() {
  const body = await api("/api/speakers", { limit: PAGE, offset: state.speakerOffset });
  const list = clear($("speaker-list"));
  const all = el("li", {}, el("strong", {}, "Everyone"));
  all.addEventListener("click", () => selectSpeaker(null));
  list.append(all);
  for (const s of body.items) {
    const item = el("li", {}, el("strong", {}, s.speaker), el("span", { class: "muted" }, ` ${s.quotes} quotes · ${s.articles} articles`));
    item.addEventListener("click", () => selectSpeaker(s.speaker));
    list.append(item);
  }
  pager($("speaker-pager"), state.speakerOffset, body.total, (o) => { state.speakerOffset = o; loadSpeakers(); });
}

async function selectSpeaker(speaker) {
  state.speaker = speaker;
  state.quoteOffset = 0;
  state.claimOffset = 0;
  document.body.dataset.ready = "loading";
  try { await loadQuotes(); } finally { document.body.dataset.ready = "quotes"; }
}

async function loadQuotes() {
  $("quotes-title").textContent = state.speaker ? `Quotes by ${state.speaker}` : "Quotes";
  const body = await api("/api/quotes", { speaker: state.speaker, q: state.filters.q, limit: PAGE, offset: state.quoteOffset });
  const list = clear($("quote-list"));
  if (!body.items.length) list.append(el("p", { class: "muted" }, "No quotes yet."));
  for (const q of body.items) {
    const chain = q.via.length ? ` · via ${q.via.join(", via ")}` : "";
    list.append(el("div", { class: "quote" }, el("blockquote", {}, q.content.text),
      el("div", {}, el("strong", {}, q.speaker_name || "unknown speaker"), q.speaker_role ? `, ${q.speaker_role}` : "", ` · ${q.kind}${chain} `, statusBadge(q.status)),
      el("div", { class: "muted" }, `${q.published || ""} · ${q.article_title || "(untitled)"} · `, spanLink(q.article_id, q.content.start, q.content.end))));
  }
  pager($("quote-pager"), state.quoteOffset, body.total, (o) => { state.quoteOffset = o; loadQuotes(); });
  const claims = await api("/api/claims", { claimant: state.speaker, q: state.filters.q, limit: PAGE, offset: state.claimOffset });
  const claimList = clear($("claim-list"));
  for (const c of claims.items) {
    const chain = c.via.length ? ` · via ${c.via.join(", via ")}` : "";
    claimList.append(el("div", { class: "quote" }, el("blockquote", {}, c.content.text),
      el("div", {}, el("strong", {}, c.claimant || "unattributed"), `${chain} `, statusBadge(c.status)),
      el("div", { class: "muted" }, `${c.article_title || "(untitled)"} · `, spanLink(c.article_id, c.content.start, c.content.end))));
  }
  pager($("claim-pager"), state.claimOffset, claims.total, (o) => { state.claimOffset = o; loadQuotes(); });
}

// -- contested ---------------------------------------------------------------------------------
function versionBox(v) {
  return el("div", { class: "version" },
    el("div", { class: "value" }, String(v.value ?? "?"), v.hedge && v.hedge !== "exact" ? el("span", { class: "muted" }, ` ${v.hedge.replace(/_/g, " ")}`) : ""),
    el("div", {}, `“${v.text}”`),
    el("div", {}, "according to ", el("strong", {}, v.source || "unattributed"), v.via && v.via.length ? ` via ${v.via.join(", via ")}` : "", " ", statusBadge(v.status)),
    el("div", { class: "muted" }, `${v.outlet || ""} ${v.published || ""} · `, el("a", { href: v.link }, "open in article")));
}
function contestedCard(group) {
  const heading = [group.what, group.place, group.date].filter(Boolean).join(" · ");
  const range = group.range && group.range[0] !== group.range[1] ? ` · range ${group.range[0]}–${group.range[1]}` : "";
  const by = group.contested_by && group.contested_by.length ? ` · contested by ${group.contested_by.join(", ")}` : "";
  return el("div", { class: "card contested", "data-kind": group.kind }, el("h4", {}, heading, " ", statusBadge(group.status)),
    el("div", { class: "muted" }, `${group.n_sources ?? "?"} independent source(s)${range}${by}`, group.id ? el("span", {}, " · ", el("a", { href: "#", class: "linkish", onclick: (e) => { e.preventDefault(); location.hash = "#/map"; setTimeout(() => showEvent(group.id), 300); } }, "the event")) : ""),
    el("div", { class: "side-by-side" }, group.versions.map(versionBox)));
}
async function loadContested() {
  const body = await api("/api/contested", state.filters);
  const sections = [["contested-events", body.events, "No events on which sources disagree."], ["contested-figures", body.figures, "No figures on which sources disagree."], ["contested-claims", body.claims, "No contested claims."]];
  for (const [id, groups, none] of sections) {
    const box = clear($(id));
    if (!groups.length) box.append(el("p", { class: "muted" }, none));
    for (const group of groups) box.append(contestedCard(group));
  }
}

// -- timeline of a place or an entity and the ledger's entities ------------------------------------
async function loadPlaceTimeline(params) {
  const place = params.get("place") || "", entity = params.get("entity") || "";
  $("tl-place").value = place;
  $("tl-entity").value = entity;
  const list = clear($("timeline-list"));
  if (!place && !entity) { $("timeline-title").textContent = "Pick a place or a person or group"; return; }
  $("timeline-title").textContent = `Timeline: ${place || entity}`;
  const body = await api("/api/timeline", place ? { place } : { entity });
  if (!body.items.length) list.append(el("li", { class: "muted" }, "Nothing recorded for this name."));
  for (const item of body.items) {
    const when = el("div", {}, el("div", { class: "when" }, item.date_text || "date unknown"), el("div", { class: "kind" }, item.kind));
    const mentions = el("ul", { class: "mentions" }, item.mentions.map((m) => el("li", {},
      `${m.outlet || "?"}${m.published ? " " + m.published : ""}${m.who ? " · " + m.who : ""}${m.status ? " (" + m.status + ")" : ""}: `,
      el("q", {}, m.text || ""), " ", el("a", { href: m.link }, "open"))));
    const what = el("div", {}, el("strong", {}, item.what), " ", statusBadge(item.status),
      el("span", { class: "sources-n" }, `${item.sources} source${item.sources === 1 ? "" : "s"}: ${item.outlets.join(", ")}`), mentions);
    list.append(el("li", { "data-kind": item.kind }, when, what));
  }
}

async function loadEntities(params) {
  const q = params.get("q") || "", label = params.get("label") || "";
  $("ent-q").value = q;
  $("ent-label").value = label;
  const body = await api("/api/entities", { q, label, limit: 200 });
  $("entities-count").textContent = `(${body.total})`;
  const list = clear($("entity-list"));
  for (const e of body.items) {
    const aliases = e.aliases.filter((a) => a.name !== e.name).map((a) => a.name);
    const item = el("li", { "data-entity": e.id }, el("strong", {}, e.name), el("span", { class: "muted" }, ` ${e.label} · ${e.mentions} mentions in ${e.articles} articles`),
      aliases.length ? el("div", { class: "muted" }, `also: ${aliases.join(", ")}`) : "",
      e.roles.length ? el("div", { class: "muted" }, `roles: ${e.roles.map((r) => r.role).join(", ")}`) : "");
    item.addEventListener("click", () => showEntity(e.id));
    list.append(item);
  }
}

async function showEntity(id) {
  const card = $("entity-card");
  card.hidden = false;
  const e = await api(`/api/entities/${encodeURIComponent(id)}`);
  const timelineHref = e.label === "PLACE" ? `/#/timeline?place=${encodeURIComponent(e.name)}` : `/#/timeline?entity=${encodeURIComponent(e.name)}`;
  clear(card).append(el("h4", {}, `${e.name} `, el("span", { class: "muted" }, e.label)),
    el("p", {}, el("a", { href: timelineHref }, "timeline: what happened and what was said")),
    el("div", {}, el("strong", {}, "Names used: "), e.aliases.map((a) => `${a.name} (${a.mentions})`).join(", ")),
    e.roles.length ? el("div", {}, el("strong", {}, "Roles: "), e.roles.map((r) => `${r.role}${r.first ? " (" + r.first + (r.last && r.last !== r.first ? " to " + r.last : "") + ")" : ""}`).join("; ")) : "",
    el("div", {}, el("strong", {}, "Mentions"), el("ol", { class: "mentions" }, e.spans.map((m) => el("li", {}, el("q", {}, m.text), " in ", el("a", { href: m.link }, m.article_title || "article"))))));
}

// -- articles and reader -----------------------------------------------------------------------
async function loadArticles() {
  const body = await api("/api/articles", { q: state.filters.q, limit: PAGE, offset: state.articleOffset });
  $("articles-count").textContent = `(${body.total})`;
  const list = clear($("article-list"));
  for (const a of body.items) {
    const item = el("li", {}, el("a", { href: `/articles/${encodeURIComponent(a.id)}` }, a.title || "(untitled)"),
      el("div", { class: "muted" }, `${a.published || "date unknown"} · ${a.source || a.origin || ""} · ${a.words} words · ${a.events} events · ${a.quotes} quotes`));
    list.append(item);
  }
  pager($("article-pager"), state.articleOffset, body.total, (o) => { state.articleOffset = o; loadArticles(); });
}

async function openArticle(id) {
  show("reader");
  let article;
  try { article = await api(`/api/articles/${encodeURIComponent(id)}`); } catch (err) { showError($("reader-text"), err); return; }
  state.article = article;
  document.title = `${article.title || "article"} · tidings`;
  $("reader-title").textContent = article.title || "(untitled)";
  const meta = clear($("reader-meta"));
  meta.append(`${article.published || "date unknown"} (${article.published_how}) · ${article.source || ""} · ${article.origin || ""} · `);
  const url = safeUrl(article.url);
  if (url) meta.append(el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, "original page"));
  const toggles = clear($("reader-toggles"));
  for (const kind of KINDS) {
    const box = el("input", { type: "checkbox", checked: kind !== "entity", "data-kind": kind });
    box.addEventListener("change", () => $("reader-text").classList.toggle(`hide-${kind}`, !box.checked));
    toggles.append(el("label", { class: `hl hl-${kind}` }, box, kind === "entity" ? "entities" : `${kind}s`));
  }
  $("reader-text").classList.add("hide-entity");
  renderArticle();
  const captions = clear($("reader-captions"));
  for (const c of article.captions) captions.append(el("p", { class: "muted" }, `Caption: ${c.text}${c.credit ? " (" + c.credit + ")" : ""}`));
  scrollToHash();
}

function renderArticle() {
  const article = state.article;
  const box = clear($("reader-text"));
  const raw = state.mode === "raw";
  const text = raw ? article.raw : article.text;
  const byId = new Map(article.highlights.map((h) => [h.id, h]));
  const speakers = [...new Set(article.highlights.filter((h) => h.kind === "quote").map((h) => h.group))];
  const anchored = new Set();
  for (const run of raw ? article.raw_runs : article.runs) {
    const piece = text.slice(run.start, run.end);
    if (!run.marks.length) { box.append(document.createTextNode(piece)); continue; }
    const marks = run.marks.map((id) => byId.get(id)).sort((a, b) => KIND_PRIORITY[a.kind] - KIND_PRIORITY[b.kind]);
    let node = document.createTextNode(piece);
    // nest one span per kind so that hiding a kind keeps the others visible
    for (const mark of marks) {  // highest priority innermost, so it paints on top
      const cls = mark.kind === "quote" ? `hl hl-quote spk-${speakers.indexOf(mark.group) % 8}` : `hl hl-${mark.kind}`;
      const span = el("span", { class: cls, "data-marks": run.marks.join(" ") }, node);
      const anchor = `span-${mark.start}-${mark.end}`;
      if (!anchored.has(anchor)) { span.id = anchor; anchored.add(anchor); }
      node = span;
    }
    box.append(node);
  }
}

function scrollToHash() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (!hash.startsWith("span-")) return;
  const target = document.getElementById(hash);
  if (target) { target.scrollIntoView({ block: "center" }); target.classList.add("flash"); }
}

function hoverCard(event) {
  const card = $("hovercard");
  const target = event.target.closest ? event.target.closest(".hl[data-marks]") : null;
  if (!target || !state.article) { card.hidden = true; return; }
  const byId = new Map(state.article.highlights.map((h) => [h.id, h]));
  clear(card);
  for (const id of target.dataset.marks.split(" ")) {
    const h = byId.get(Number(id));
    if (!h) continue;
    const details = Object.entries(h.detail).filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length))
      .map(([k, v]) => el("div", {}, `${k}: ${Array.isArray(v) ? v.join("; ") : v}`));
    card.append(el("div", { class: "hc-item" }, el("span", { class: "kind" }, h.label), el("div", { class: "muted" }, `“${state.article.text.slice(h.start, h.end).slice(0, 160)}”`), details));
  }
  card.style.left = `${Math.min(event.clientX + 12, window.innerWidth - 380)}px`;
  card.style.top = `${Math.min(event.clientY + 12, window.innerHeight - 200)}px`;
  card.hidden = false;
}

// -- ingest ------------------------------------------------------------------------------------
const chosen = [];
function addFiles(files) {
  for (const f of files) chosen.push(f);
  const list = clear($("ingest-chosen"));
  for (const f of chosen) list.append(el("li", {}, `${f.name} (${f.size} bytes)`));
}
async function submitIngest(event) {
  event.preventDefault();
  const form = new FormData();
  const text = $("ingest-text").value;
  if (text.trim()) form.append("text", text);
  for (const f of chosen) form.append("files", f, f.name);
  const published = $("ingest-form").elements.published.value;
  if (published) form.append("published", published);
  const box = $("ingest-progress");
  box.hidden = false;
  clear(box).append(el("p", {}, "Uploading…"));
  const response = await fetch("/api/ingest", { method: "POST", body: form });
  const body = await response.json();
  if (!response.ok) { showError(box, new Error(`${body.error.code}: ${body.error.message}`)); return; }
  pollJob(body.id);
}
async function pollJob(id) {
  const box = $("ingest-progress");
  const job = await api(`/api/ingest/${encodeURIComponent(id)}`);
  clear(box).append(
    el("p", {}, `Ingest ${job.state}: ${job.new} new, ${job.duplicate} duplicate, ${job.failed} failed, ${job.words} words (${job.seconds}s)`),
    job.state === "running" || job.state === "queued" ? el("progress", {}) : "",
    job.error ? el("p", { class: "error" }, `${job.error.code}: ${job.error.message}`) : "",
    el("ul", {}, job.errors.map((e) => el("li", { class: "error" }, `${e.origin}: ${e.error}`))),
  );
  if (job.state === "running" || job.state === "queued") { setTimeout(() => pollJob(id), 700); return; }
  chosen.length = 0;
  clear($("ingest-chosen"));
  if (job.state === "done") box.append(el("p", {}, el("a", { href: "/#/articles" }, "See the articles"), " · ", el("a", { href: "/#/map" }, "see the map")));
}

// -- routing -----------------------------------------------------------------------------------
function show(view) {
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${view}`;
  for (const tab of document.querySelectorAll("#tabs a")) tab.classList.toggle("active", tab.dataset.view === view);
  $("filters").hidden = !["map", "contested", "quotes", "articles"].includes(view);
  if (view === "map" && state.map) setTimeout(() => state.map.invalidateSize(), 0);
}
function currentView() {
  const path = location.pathname.match(/^\/articles\/([^/]+)$/);
  if (path) return { view: "reader", id: decodeURIComponent(path[1]) };
  const view = (location.hash.match(/^#\/(\w+)/) || [])[1] || "map";
  const query = location.hash.includes("?") ? location.hash.slice(location.hash.indexOf("?") + 1) : "";
  return { view, params: new URLSearchParams(query) };
}
async function refreshCurrent() {
  const { view, id, params } = currentView();
  document.body.dataset.ready = "loading";
  show(view);
  try {
    if (view === "map") await Promise.all([loadMap(), loadEventList(), loadTimeline()]);
    else if (view === "quotes") await Promise.all([loadSpeakers(), loadQuotes()]);
    else if (view === "contested") await loadContested();
    else if (view === "timeline") await loadPlaceTimeline(params);
    else if (view === "entities") await loadEntities(params);
    else if (view === "articles") await loadArticles();
    else if (view === "reader" && (!state.article || state.article.id !== id)) await openArticle(id);
    else if (view === "reader") scrollToHash();
  } catch (err) { console.error(err); $("f-summary").textContent = String(err.message || err); }
  document.body.dataset.ready = view;
}

async function main() {
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  $("f-clear").addEventListener("click", () => { writeFilters({}); applyFilters(); });
  $("f-merged").addEventListener("change", () => { state.merged = $("f-merged").checked; applyFilters(); });
  $("timeline-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const place = $("tl-place").value.trim(), entity = $("tl-entity").value.trim();
    location.hash = `#/timeline?${new URLSearchParams(place ? { place } : { entity })}`;
  });
  $("entities-form").addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = `#/entities?${new URLSearchParams({ q: $("ent-q").value.trim(), label: $("ent-label").value })}`;
  });
  $("tl-clear").addEventListener("click", () => { const f = $("filters"); f.elements.since.value = ""; f.elements.until.value = ""; applyFilters(); });
  for (const input of document.querySelectorAll("input[name=mode]")) input.addEventListener("change", () => { state.mode = input.value; renderArticle(); });
  $("reader-text").addEventListener("mousemove", hoverCard);
  $("reader-text").addEventListener("mouseleave", () => { $("hovercard").hidden = true; });
  $("ingest-form").addEventListener("submit", submitIngest);
  $("ingest-files").addEventListener("change", (e) => addFiles(e.target.files));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); addFiles(e.dataTransfer.files); });
  window.addEventListener("hashchange", refreshCurrent);
  await initMap();
  await loadFacets().catch((err) => console.error(err));
  await refreshCurrent();
}

main();
