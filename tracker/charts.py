"""Plotly figures of events: the timeline and the Sahel map.

Plain functions of a list of events (``tracker.models.EventView`` or anything with the same
attributes), so they are tested without Streamlit or a browser. Every piece of user or article
text that reaches a hover label or an annotation goes through :func:`esc` first: plotly.js renders
a subset of HTML (``<b>``, ``<a href>``, ``<br>``) in hover labels, so ``<script>`` or a link
written in an article must arrive as ``&lt;script&gt;``.

Offline maps: plotly.js fetches country shapes from ``https://cdn.plot.ly/un/`` unless the
``topojsonURL`` config option points elsewhere. :data:`PLOTLY_CONFIG` points it at the
``static/topojson/`` folder Streamlit serves (``server.enableStaticServing``); pass it with every
figure that shows a map. The dashboard draws the figures with its own small plotly.js build
(:data:`PLOTLY_BUNDLE_URL`, :data:`PLOT_COMPONENT_JS`), not ``st.plotly_chart``.
"""

from __future__ import annotations

import calendar
import html
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from tracker.types import EVENT_TYPES

TOPOJSON_URL = "app/static/topojson/"
PLOTLY_CONFIG: dict[str, Any] = {
    "topojsonURL": TOPOJSON_URL,
    "displaylogo": False,
    "responsive": True,
}
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "topojson"
MAP_SCOPE = "africa"
MAP_RESOLUTION = 50  # -> static/topojson/africa_50m.json
SAHEL_LON = (-18.0, 40.0)
SAHEL_LAT = (2.0, 27.0)
RING_DEG = 0.7  # spread of markers of different types at one place (about 75 km)

# Above this many events the timeline becomes a heatmap of counts per lane x week/month.
DETAIL_LIMIT = 2000
DEADLINE_LABELS = 40  # above this many deadline markers, their labels move to the hover only

# One colour per event type (colour-blind friendly-ish, distinct on white); unknown -> grey.
TYPE_COLORS: dict[str, str] = {
    "coup": "#d62728",
    "attack": "#8c1d18",
    "threat": "#ff7f0e",
    "deadline": "#9467bd",
    "statement": "#7f7f7f",
    "diplomacy": "#1f77b4",
    "sanctions": "#e377c2",
    "aid": "#2ca02c",
    "protest": "#bcbd22",
    "election": "#17becf",
    "agreement": "#0b6e4f",
    "deployment": "#8c564b",
    "arrest": "#393b79",
    "other": "#aaaaaa",
}
NO_LANE = "(none)"
# The Sahel band and neighbours, labelled on the map.
SAHEL_COUNTRIES = (
    "MRT", "SEN", "GMB", "GNB", "GIN", "MLI", "BFA", "NER", "TCD", "SDN", "NGA", "CMR",
    "BEN", "TGO", "GHA", "CIV", "DZA", "LBY", "CAF", "SSD", "EGY", "ERI", "ETH", "MAR",
)  # fmt: skip


# --- text -------------------------------------------------------------------------------------


def esc(value: object) -> str:
    """Text safe for a Plotly label or an HTML snippet: ``&``, ``<``, ``>`` (and quotes) escaped."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def type_color(event_type: str | None) -> str:
    return TYPE_COLORS.get(event_type or "other", "#aaaaaa")


def type_label(event_type: str | None) -> str:
    return EVENT_TYPES.get(event_type or "other", event_type or "other")


def _country_name(iso3: str) -> str:
    try:
        from tracker.entities import country_name

        return country_name(iso3) or iso3
    except Exception:  # entities not available: the code is a fine label
        return iso3


@lru_cache(maxsize=1)
def _topojson_centroids() -> dict[str, tuple[float, float]]:
    """ISO3 -> (lon, lat) from the shipped Natural Earth shapes (``properties.ct``)."""
    path = STATIC_DIR / f"{MAP_SCOPE}_{MAP_RESOLUTION}m.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return {}
    out = {}
    for geom in data["objects"]["countries"]["geometries"]:
        ct = (geom.get("properties") or {}).get("ct")
        if geom.get("id") and ct:
            out[geom["id"]] = (float(ct[0]), float(ct[1]))
    return out


def country_lonlat(iso3: str) -> tuple[float, float] | None:
    """Where to put a country-level event: the gazetteer's centroid, else the shapes' centroid."""
    try:
        from tracker.entities import country_centroid

        c = country_centroid(iso3)
        if c:
            lat, lon = c  # entities return (lat, lon)
            return float(lon), float(lat)
    except Exception:
        pass
    return _topojson_centroids().get(iso3)


# --- dates --------------------------------------------------------------------------------------


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def span(ev: Any) -> tuple[date, date]:
    """First and last day an event may cover, from its precision (inclusive).

    A day is one day; a week, month, quarter, year or decade covers its whole period. An explicit
    ``date_end`` wins. No midpoint is ever invented.
    """
    start: date = ev.date
    if getattr(ev, "date_end", None):
        return start, max(start, ev.date_end)
    p = getattr(ev, "precision", "day") or "day"
    if p == "week":
        return start, start + timedelta(days=6)
    if p == "month":
        return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if p == "quarter":
        q_end_month = ((start.month - 1) // 3) * 3 + 3
        return start, date(start.year, q_end_month, calendar.monthrange(start.year, q_end_month)[1])
    if p == "year":
        return start, date(start.year, 12, 31)
    if p == "decade":
        return start, _add_years(start, 10) - timedelta(days=1)
    return start, start


def is_point(ev: Any) -> bool:
    a, b = span(ev)
    return a == b


def days_left(ev: Any, today: date) -> int:
    return (ev.date - today).days


def deadline_label(ev: Any, today: date) -> str | None:
    """``"12 days left"`` / ``"due today"`` for a pending deadline, ``"lapsed"`` for a lapsed one."""
    status = getattr(ev, "status", None)
    if status == "lapsed":
        return "lapsed"
    if status == "pending":
        n = days_left(ev, today)
        if n > 1:
            return f"{n} days left"
        if n == 1:
            return "1 day left"
        if n == 0:
            return "due today"
        return "lapsed"
    return None


DAY_MS = 86_400_000


# --- hover ------------------------------------------------------------------------------------


def hover_html(ev: Any, today: date | None = None) -> str:
    """Hover label of one event; every text from users or articles escaped."""
    a, b = span(ev)
    when = a.isoformat() if a == b else f"{a.isoformat()} → {b.isoformat()}"
    lines = [f"<b>{esc(_short(ev.title, 120))}</b>"]
    lines.append(f"{esc(when)} ({esc(ev.precision)}) · {esc(type_label(ev.event_type))}")
    if getattr(ev, "date_text", None):
        lines.append(f"as written: “{esc(_short(ev.date_text, 80))}”")
    res = getattr(ev, "resolution", None)
    if res:
        bits = [esc(res)]
        if getattr(ev, "anchor", None):
            bits.append(f"anchor: {esc(_short(ev.anchor, 60))}")
        if getattr(ev, "rule", None):
            bits.append(f"rule: {esc(ev.rule)}")
        lines.append("resolved: " + ", ".join(bits))
    if today is not None:
        dl = deadline_label(ev, today)
        if dl:
            lines.append(f"deadline: {esc(dl)}")
    if getattr(ev, "countries", None):
        lines.append("countries: " + esc(", ".join(_country_name(c) for c in ev.countries)))
    if getattr(ev, "actors", None):
        lines.append("actors: " + esc(_short(", ".join(ev.actors), 100)))
    if getattr(ev, "place_name", None):
        lines.append("place: " + esc(ev.place_name))
    sources = list(getattr(ev, "sources", None) or [])
    for s in sources[:3]:
        label = s.outlet or s.title or s.url or f"article {s.article_id}"
        pub = f" ({s.published.isoformat()})" if getattr(s, "published", None) else ""
        lines.append(f"source: {esc(_short(label, 80))}{esc(pub)}")
    if len(sources) > 3:
        lines.append(f"… and {len(sources) - 3} more sources")
    if not sources and getattr(ev, "source_url", None):
        lines.append("source: " + esc(_short(ev.source_url, 80)))
    if getattr(ev, "origin", None) == "manual":
        lines.append("entered by hand")
    return "<br>".join(lines)


def _short(text: str | None, n: int) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


# --- timeline ---------------------------------------------------------------------------------


def lanes_of(ev: Any, by: str) -> list[str]:
    """Lane labels of an event, escaped: plotly.js renders tick labels as (a subset of) HTML too."""
    if by == "actor":
        return [esc(a) for a in ev.actors] or [NO_LANE]
    return [esc(_country_name(c)) for c in ev.countries] or [NO_LANE]


def _lane_order(counter: Counter) -> list[str]:
    named = sorted((k for k in counter if k != NO_LANE), key=str.casefold)
    return named + ([NO_LANE] if NO_LANE in counter else [])


def timeline_figure(
    events: Sequence[Any],
    *,
    lanes: str = "country",
    today: date | None = None,
    detail_limit: int = DETAIL_LIMIT,
) -> go.Figure:
    """Events on a date axis, one lane per country (or actor), coloured by type.

    Day-precise events are points; a week, month, quarter, year or decade is a bar over its span.
    Pending deadlines are open diamonds labelled with the days left, lapsed ones crossed out.
    A dashed line marks today. Above ``detail_limit`` events the figure switches to one WebGL
    marker per lane x type x week (or month), sized by the number of events.
    """
    today = today or date.today()
    lanes = "actor" if lanes == "actor" else "country"
    if len(events) > detail_limit:
        fig = _timeline_aggregated(events, lanes=lanes)
    else:
        fig = _timeline_detail(events, lanes=lanes, today=today)
    _finish_timeline(fig, lanes=lanes, today=today, n_events=len(events))
    rng = initial_range(events)
    if rng:
        fig.update_xaxes(range=[rng[0].isoformat(), rng[1].isoformat()])
    return fig


def initial_range(events: Sequence[Any]) -> tuple[date, date] | None:
    """The x range first shown: the events dated to a day, week or month, with some margin.

    One event dated only to "2021" or a deadline years ahead would otherwise squeeze weeks of
    dense news into a sliver, and so would the "today" line when the news is old. Coarser events
    still draw (clipped); the modebar's autoscale shows everything. None (autorange) when no
    event is dated that finely.
    """
    fine = [ev for ev in events if getattr(ev, "precision", "day") in ("day", "week", "month")]
    if not fine:
        return None
    lo = min(span(ev)[0] for ev in fine)
    hi = max(span(ev)[1] for ev in fine)
    pad = max(timedelta(days=3), (hi - lo) * 0.08)
    return lo - pad, hi + pad


def _finish_timeline(fig: go.Figure, *, lanes: str, today: date, n_events: int) -> None:
    fig.add_shape(
        type="line", x0=today.isoformat(), x1=today.isoformat(), y0=0, y1=1, yref="paper",
        line={"dash": "dash", "color": "#444", "width": 1}, name="today",
    )  # fmt: skip
    fig.add_annotation(
        x=today.isoformat(), y=1.0, yref="paper", text="today", showarrow=False, yanchor="bottom",
        font={"size": 11, "color": "#444"}, name="today",
    )  # fmt: skip
    fig.update_layout(
        xaxis={"type": "date", "title": None, "automargin": True},  # room for the dates below
        yaxis={"title": None, "type": "category", "automargin": True},
        legend={"title": {"text": "Event type", "side": "top"}, "orientation": "h", "y": -0.15},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        hoverlabel={"align": "left"},
        barmode="overlay",
        height=max(320, 90 + 34 * len(fig.layout.yaxis.categoryarray or ())),
        meta={"lanes": lanes, "events": n_events},
    )
    if not n_events:
        fig.add_annotation(
            text="No events match the filters", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)


def _timeline_detail(events: Sequence[Any], *, lanes: str, today: date) -> go.Figure:
    # Collected per (type, kind) so the legend has one entry per type.
    points: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    bars: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    deadlines: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    lane_count: Counter = Counter()
    for ev in events:
        hover = hover_html(ev, today)
        a, b = span(ev)
        dl = deadline_label(ev, today)
        for lane in lanes_of(ev, lanes):
            lane_count[lane] += 1
            if a != b:
                g = bars[ev.event_type]
                g["base"].append(a.isoformat())
                g["x"].append(((b - a).days + 1) * DAY_MS)  # bar length in ms: it covers the last day too
                g["y"].append(lane)
                g["text"].append(hover)
                g["id"].append(ev.id)
            if dl is not None:
                g = deadlines[ev.status or "pending"]
                g["x"].append(a.isoformat())
                g["y"].append(lane)
                g["text"].append(hover)
                g["label"].append(dl)
                g["id"].append(ev.id)
            elif a == b:
                g = points[ev.event_type]
                g["x"].append(a.isoformat())
                g["y"].append(lane)
                g["text"].append(hover)
                g["id"].append(ev.id)
    fig = go.Figure()
    seen_legend: set[str] = set()
    for et in [t for t in EVENT_TYPES if t in bars] + [t for t in bars if t not in EVENT_TYPES]:
        g = bars[et]
        fig.add_trace(
            go.Bar(
                name=type_label(et), legendgroup=et, showlegend=et not in seen_legend,
                orientation="h", base=g["base"], x=g["x"], y=g["y"],
                marker={"color": type_color(et), "opacity": 0.45, "line": {"color": type_color(et), "width": 1}},
                width=0.5, hovertext=g["text"], hoverinfo="text", customdata=g["id"],
                meta={"kind": "span", "event_type": et},
            )
        )  # fmt: skip
        seen_legend.add(et)
    for et in [t for t in EVENT_TYPES if t in points] + [t for t in points if t not in EVENT_TYPES]:
        g = points[et]
        fig.add_trace(
            go.Scatter(
                name=type_label(et), legendgroup=et, showlegend=et not in seen_legend,
                mode="markers", x=g["x"], y=g["y"],
                marker={"color": type_color(et), "size": 11, "line": {"color": "white", "width": 1}},
                hovertext=g["text"], hoverinfo="text", customdata=g["id"],
                meta={"kind": "point", "event_type": et},
            )
        )  # fmt: skip
        seen_legend.add(et)
    n_deadlines = sum(len(g["x"]) for g in deadlines.values())
    for status in ("pending", "lapsed"):
        if status not in deadlines:
            continue
        g = deadlines[status]
        fig.add_trace(
            go.Scatter(
                name="Deadline (pending)" if status == "pending" else "Deadline (lapsed)",
                # labels ("12 days left", "lapsed") while they stay readable; always in the hover
                mode="markers+text" if n_deadlines <= DEADLINE_LABELS else "markers",
                x=g["x"], y=g["y"], text=g["label"], textposition="top center",
                textfont={"size": 10, "color": TYPE_COLORS["deadline"] if status == "pending" else "#777"},
                marker={
                    "symbol": "diamond-open" if status == "pending" else "x-thin-open",
                    "size": 15, "color": TYPE_COLORS["deadline"] if status == "pending" else "#777",
                    "line": {"width": 2, "color": TYPE_COLORS["deadline"] if status == "pending" else "#777"},
                },
                hovertext=g["text"], hoverinfo="text", customdata=g["id"],
                meta={"kind": "deadline", "status": status},
            )
        )  # fmt: skip
    order = _lane_order(lane_count)
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    return fig


# What an aggregated timeline may count in a period of each unit: nothing coarser than the unit.
FINE_ENOUGH = {"week": ("day", "week"), "month": ("day", "week", "month")}


def agg_unit(first: date, last: date) -> str:
    """Bucket size for an aggregated timeline: weeks up to about three years, months beyond."""
    return "month" if (last - first).days > 3 * 366 else "week"


def bucket(d: date, unit: str) -> date:
    return d.replace(day=1) if unit == "month" else d - timedelta(days=d.weekday())


def _timeline_aggregated(events: Sequence[Any], *, lanes: str) -> go.Figure:
    unit = agg_unit(min(ev.date for ev in events), max(ev.date for ev in events))
    counts: Counter = Counter()
    coarse = 0
    for ev in events:
        if ev.precision not in FINE_ENOUGH[unit]:
            coarse += 1
            continue
        b = bucket(ev.date, unit)
        for lane in lanes_of(ev, lanes):
            counts[(lane, ev.event_type, b)] += 1
    return _timeline_from_rows([(*k, n) for k, n in counts.items()], unit=unit, total=len(events), coarse=coarse)


def timeline_from_counts(
    rows: Iterable[tuple[str | None, str, date, int]],
    *,
    lanes: str = "country",
    unit: str = "month",
    total: int | None = None,
    coarse: int = 0,
    today: date | None = None,
) -> go.Figure:
    """The aggregated timeline from counts computed elsewhere (e.g. by the database).

    ``rows`` are ``(lane, event_type, period_start, count)``; a ``None`` lane is "(none)"; lanes
    that are ISO3 codes are shown by country name when ``lanes == "country"``.
    """
    today = today or date.today()
    fixed = []
    for lane, et, start, n in rows:
        name = NO_LANE if not lane else esc(_country_name(lane) if lanes == "country" else lane)
        fixed.append((name, et, bucket(start, unit), n))
    merged: Counter = Counter()
    for lane, et, b, n in fixed:
        merged[(lane, et, b)] += n
    fig = _timeline_from_rows([(*k, n) for k, n in merged.items()], unit=unit, total=total, coarse=coarse)
    _finish_timeline(fig, lanes=lanes, today=today, n_events=total or sum(merged.values()))
    return fig


def _periods(first: date, last: date, unit: str) -> list[date]:
    out, d = [], bucket(first, unit)
    while d <= last:
        out.append(d)
        if unit == "month":
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        else:
            d = d + timedelta(days=7)
    return out


def _timeline_from_rows(
    rows: list[tuple[str, str, date, int]], *, unit: str, total: int | None, coarse: int = 0
) -> go.Figure:
    """A heatmap: one row per lane, one column per week or month, shade = number of events.

    Thousands of events cannot be told apart as markers; counts per lane and period can, and a
    heatmap is one image however many events there are. The hover names the commonest types.
    """
    cells: dict[tuple[str, date], Counter] = defaultdict(Counter)
    lane_count: Counter = Counter()
    for lane, et, b, n in rows:
        cells[(lane, b)][et] += n
        lane_count[lane] += n
    fig = go.Figure()
    if cells:
        order = _lane_order(lane_count)[::-1]
        periods = _periods(min(b for _, b in cells), max(b for _, b in cells), unit)
        z, text = [], []
        for lane in order:
            zr, tr = [], []
            for p in periods:
                c = cells.get((lane, p))
                if not c:
                    zr.append(None)
                    tr.append("")
                    continue
                n = sum(c.values())
                top = ", ".join(f"{esc(type_label(t))} {k:,}" for t, k in c.most_common(3))
                zr.append(n)
                tr.append(top)
            z.append(zr)
            text.append(tr)
        # lane, period and count come from y, x and z: only the commonest types travel per cell
        hover = f"<b>%{{y}}</b><br>{unit} of %{{x|%Y-%m-%d}}: %{{z:,}} events<br>%{{text}}<extra></extra>"
        fig.add_trace(
            go.Heatmap(
                x=[p.isoformat() for p in periods], y=order, z=z, text=text, hoverongaps=False, hovertemplate=hover,
                colorscale="YlOrRd", showscale=True, colorbar={"title": {"text": f"events / {unit}"}, "thickness": 12},
                xgap=0, ygap=2, meta={"kind": "aggregate", "unit": unit},
            )
        )  # fmt: skip
        fig.update_yaxes(categoryorder="array", categoryarray=order)
    n = total if total is not None else sum(n for *_, n in rows)
    note = f"; {coarse:,} dated only to a coarser period are not counted" if coarse else ""
    fig.update_layout(
        title={"text": f"{n:,} events, counted per {unit}{note} (filter to see single events)", "font": {"size": 13}}
    )
    return fig


# --- map --------------------------------------------------------------------------------------


def _event_locations(ev: Any) -> Iterable[tuple[float, float, str]]:
    """(lon, lat, place label) where to draw an event: its place, else its countries' centroids."""
    if ev.lat is not None and ev.lon is not None:
        yield float(ev.lon), float(ev.lat), ev.place_name or ""
        return
    for c in ev.countries:
        ll = country_lonlat(c)
        if ll:
            yield ll[0], ll[1], _country_name(c)


def map_figure(
    events: Sequence[Any],
    *,
    label_countries: Sequence[str] = SAHEL_COUNTRIES,
    centroid: Callable[[str], tuple[float, float] | None] = country_lonlat,
) -> go.Figure:
    """The Sahel (Mauritania to Sudan, the Gulf of Guinea to southern Libya) with the events.

    Countries are shaded by how many events name them; markers sit at the event's place (or the
    centroid of its countries), one per place and type, sized by count and coloured by type.
    Country outlines and names are drawn from the shipped topojson (see :data:`PLOTLY_CONFIG`).
    """
    per_country: Counter = Counter()
    groups: dict[tuple[str, float, float], list[Any]] = defaultdict(list)
    place_names: dict[tuple[str, float, float], str] = {}
    for ev in events:
        for c in ev.countries:
            per_country[c] += 1
        for lon, lat, label in _event_locations(ev):
            key = (ev.event_type, round(lon, 2), round(lat, 2))
            groups[key].append(ev)
            place_names.setdefault(key, label)
    # Several types at one place: a small ring around it (see RING_DEG) so no marker hides another.
    types_at: dict[tuple[float, float], list[str]] = defaultdict(list)
    for et, lon, lat in groups:
        types_at[(lon, lat)].append(et)
    markers = []
    for key, evs in groups.items():
        et, lon, lat = key
        here = sorted(types_at[(lon, lat)], key=lambda t: list(EVENT_TYPES).index(t) if t in EVENT_TYPES else 99)
        if len(here) > 1:
            angle = 2 * math.pi * here.index(et) / len(here)
            lon, lat = lon + RING_DEG * math.cos(angle), lat + RING_DEG * math.sin(angle)
        lines = [f"<b>{esc(place_names[key]) or '?'}</b>: {len(evs)} × {esc(type_label(et))}"]
        for ev in sorted(evs, key=lambda e: e.date)[:6]:
            lines.append(f"{ev.date.isoformat()} {esc(_short(ev.title, 70))}")
        if len(evs) > 6:
            lines.append(f"… {len(evs) - 6} more")
        markers.append((et, lon, lat, len(evs), "<br>".join(lines), [e.id for e in evs][:50]))
    fig = _map(markers, per_country, label_countries=label_countries, centroid=centroid)
    fig.update_layout(meta={"events": len(events)})
    return fig


def map_from_counts(
    places: Iterable[tuple[str, float, float, str | None, int]],
    country_counts: dict[str, int],
    *,
    label_countries: Sequence[str] = SAHEL_COUNTRIES,
    centroid: Callable[[str], tuple[float, float] | None] = country_lonlat,
) -> go.Figure:
    """The map from counts computed elsewhere: ``places`` are ``(event_type, lon, lat, label, count)``."""
    # One marker per cell (rounded position), coloured by its commonest type; hover lists the types.
    cells: dict[tuple[float, float], Counter] = defaultdict(Counter)
    where: dict[tuple[float, float], list] = {}
    for et, lon, lat, label, n in places:
        if lon is None or lat is None:
            continue
        key = (round(lon), round(lat))
        cells[key][et] += n
        acc = where.setdefault(key, [0.0, 0.0, 0, label])
        acc[0] += lon * n
        acc[1] += lat * n
        acc[2] += n
    markers = []
    for key, c in cells.items():
        sx, sy, n, label = where[key]
        top = "<br>".join(f"{k:,} × {esc(type_label(t))}" for t, k in c.most_common(5))
        hover = f"<b>{esc(label) or '?'}</b> and around: {n:,} events<br>{top}"
        markers.append((c.most_common(1)[0][0], sx / n, sy / n, n, hover, []))
    fig = _map(markers, Counter(country_counts), label_countries=label_countries, centroid=centroid)
    fig.update_layout(meta={"events": sum(n for *_, n in places)})
    return fig


def _map(
    markers: list[tuple[str, float, float, int, str, list]],
    per_country: Counter,
    *,
    label_countries: Sequence[str],
    centroid: Callable[[str], tuple[float, float] | None],
) -> go.Figure:
    fig = go.Figure()
    if per_country:
        locs = sorted(per_country)
        fig.add_trace(
            go.Choropleth(
                locations=locs, locationmode="ISO-3", z=[per_country[c] for c in locs],
                colorscale=[[0, "#fdf1dc"], [1, "#e8a33d"]], zmin=0, showscale=False,
                marker={"line": {"color": "#999", "width": 0.5}},
                hovertext=[f"{esc(_country_name(c))}: {per_country[c]:,} events" for c in locs],
                hoverinfo="text", name="events per country", meta={"kind": "choropleth"},
            )
        )  # fmt: skip
    names = [c for c in label_countries if centroid(c)]
    if names:
        fig.add_trace(
            go.Scattergeo(
                lon=[centroid(c)[0] for c in names], lat=[centroid(c)[1] for c in names],  # type: ignore[index]
                mode="text", text=[esc(_country_name(c)) for c in names],
                textfont={"size": 10, "color": "#555"}, hoverinfo="skip", showlegend=False,
                name="country names", meta={"kind": "labels"},
            )
        )  # fmt: skip
    biggest = max((m[3] for m in markers), default=1)
    many = len(markers) > 60  # smaller markers when they tile the map
    by_type: dict[str, list] = defaultdict(list)
    for m in markers:
        by_type[m[0]].append(m)
    for et in [t for t in EVENT_TYPES if t in by_type] + [t for t in by_type if t not in EVENT_TYPES]:
        ms = by_type[et]
        fig.add_trace(
            go.Scattergeo(
                name=type_label(et), legendgroup=et, mode="markers",
                lon=[m[1] for m in ms], lat=[m[2] for m in ms],
                marker={
                    "color": type_color(et), "opacity": 0.8, "line": {"color": "white", "width": 1},
                    "size": [(4 + 12 * math.sqrt(m[3] / biggest)) if many else (6 + 20 * math.sqrt(m[3] / biggest))
                             for m in ms],
                },
                hovertext=[m[4] for m in ms], hoverinfo="text", customdata=[m[5] for m in ms],
                meta={"kind": "markers", "event_type": et},
            )
        )  # fmt: skip
    fig.update_geos(
        scope=MAP_SCOPE, resolution=MAP_RESOLUTION, projection_type="mercator",
        lonaxis_range=list(SAHEL_LON), lataxis_range=list(SAHEL_LAT),
        showland=True, landcolor="#f4f1ea", showocean=True, oceancolor="#dde9f2",
        showcountries=True, countrycolor="#8a8a8a", countrywidth=0.7,
        showcoastlines=True, coastlinecolor="#8a8a8a", showlakes=True, lakecolor="#dde9f2",
        showframe=False, bgcolor="rgba(0,0,0,0)",
    )  # fmt: skip
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        height=460,
        legend={"title": {"text": "Event type", "side": "top"}, "orientation": "h", "y": -0.02},
        hoverlabel={"align": "left"},
    )
    return fig


TOPOJSON_NAME = f"{MAP_SCOPE}_{MAP_RESOLUTION}m"  # plotly.js's name for the shapes file (and its cache key)

# The dashboard draws with its own plotly.js build (static/plotly/, see its README): only the traces
# used here (scatter, bar, heatmap, scattergeo, choropleth), 1.4 MB, evaluated in ~0.1-0.2 s, where
# st.plotly_chart's full plotly.js (4.7 MB) took 0.8-1.1 s of the browser's main thread before
# either chart could draw. The page's boot script starts loading it with the page's first element.
# It is shipped gzipped and unpacked by the browser (DecompressionStream): Streamlit gzips other
# files under /app/static on every request, at level 9 (~0.06 s of server CPU for this one, during
# the page load), but serves a .gz file (application/gzip) as it is.
PLOTLY_BUNDLE_URL = "app/static/plotly/plotly-sahel.min.js.gz"
PLOTLY_GLOBAL = "SahelPlotly"  # the bundle's global (not window.Plotly: nothing else to collide with)
TOPOJSON_GZ_URL = TOPOJSON_URL + TOPOJSON_NAME + ".json.gz"  # the same shapes, gzipped (see above)

# window.__sahelGunzip(url): a promise of the text of a gzipped file. window.__sahelPlotly(): a
# promise of the plotly.js object, loading the bundle once per page (an inline script of its text).
_LOADER_JS = (
    "window.__sahelGunzip=window.__sahelGunzip||function(u){return fetch(u).then(function(r){"
    "if(!r.ok)throw new Error(u+': HTTP '+r.status);"
    "return new Response(r.body.pipeThrough(new DecompressionStream('gzip'))).text()})};"
    "window.__sahelPlotly=window.__sahelPlotly||function(){"
    f"if(!window.__sahelPlotlyP){{window.__sahelPlotlyP=window.{PLOTLY_GLOBAL}?Promise.resolve(window.{PLOTLY_GLOBAL}):"
    f"window.__sahelGunzip({json.dumps(PLOTLY_BUNDLE_URL)}).then(function(code){{"
    "var s=document.createElement('script');"
    f"s.textContent=code+'\\n//# sourceURL='+{json.dumps(PLOTLY_BUNDLE_URL)};document.head.appendChild(s);"
    f"if(!window.{PLOTLY_GLOBAL})throw new Error('plotly.js did not load');return window.{PLOTLY_GLOBAL}}});"
    "window.__sahelPlotlyP.catch(function(){window.__sahelPlotlyP=null})}"
    "return window.__sahelPlotlyP};"
)


def boot_html(box_class: str = "") -> str:
    """A script for ``st.html(..., unsafe_allow_javascript=True)``, the page's first element.

    It starts loading the dashboard's plotly.js and fetches the map's shapes at once. plotly.js
    asks for ``<topojsonURL><scope>_<res>m.json`` only when it draws the map, then waits for the
    file before drawing land or markers; it looks in ``window.PlotlyGeoAssets.topojson[name]``
    first, so the shapes fetched here (gzipped), while plotly.js loads, take that round trip off
    the first draw (the chart element waits for ``window.__sahelTopoP`` before drawing a map; if
    the fetch fails, plotly.js fetches the plain file itself). Same server only.
    ``box_class`` hides the element's container.
    """
    url = json.dumps(TOPOJSON_GZ_URL)
    name = json.dumps(TOPOJSON_NAME)
    hide = f"<style>.{box_class}{{display:none}}</style>" if box_class else ""
    return (
        f"{hide}<script>(function(){{{_LOADER_JS}window.__sahelPlotly().catch(function(){{}});var n={name};"
        "var g=window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};g.topojson=g.topojson||{};"
        "if(g.topojson[n]||window.__sahelTopoP)return;"
        f"window.__sahelTopoP=window.__sahelGunzip({url})"
        ".then(function(t){var d=JSON.parse(t);if(!g.topojson[n])g.topojson[n]=d}).catch(function(){});"
        "})();</script>"
    )


# The chart element (st.components.v2, in the page's DOM, not an iframe): draws ``data.spec`` (figure
# JSON) with ``data.config``; a click on a point sends {"customdata": ...} back as the "click" trigger.
# Called again only when the data changes; Plotly.react redraws in place.
PLOT_COMPONENT_JS = (
    _LOADER_JS
    + r"""
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let gd = parentElement.querySelector(":scope > .sahel-plot");
  if (!gd) {
    gd = document.createElement("div");
    gd.className = "sahel-plot";
    parentElement.appendChild(gd);
  }
  gd.__trigger = setTriggerValue;
  const spec = data && data.spec;
  if (!spec || gd.__spec === spec) return;
  gd.__spec = spec;
  const fig = JSON.parse(spec);
  const layout = fig.layout || {};
  if (layout.height) gd.style.minHeight = layout.height + "px"; // its place, before plotly.js arrives
  // a map waits for the shapes the boot script is fetching (else plotly.js would fetch them again)
  const shapes = layout.geo && window.__sahelTopoP ? window.__sahelTopoP : null;
  Promise.all([window.__sahelPlotly(), shapes]).then(([Plotly]) => {
    if (gd.__spec !== spec) return null; // newer data came meanwhile
    return Plotly.react(gd, fig.data || [], layout, data.config || {}).then(() => {
      if (gd.__clicks) return;
      gd.__clicks = true;
      gd.on("plotly_click", (ev) => {
        const p = ev && ev.points && ev.points[0];
        if (p && gd.__trigger) gd.__trigger("click", { customdata: p.customdata === undefined ? null : p.customdata });
      });
    });
  }).catch((err) => {
    gd.textContent = "The chart could not be drawn: " + err;
  });
}
"""
)


def plotly_config(**extra: Any) -> dict[str, Any]:
    """The plotly.js config of every chart: local topojson, no plotly logo. Never a CDN URL."""
    cfg = dict(PLOTLY_CONFIG)
    cfg.update(extra)
    return cfg
