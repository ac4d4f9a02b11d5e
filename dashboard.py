"""Sahel event tracker: the Streamlit dashboard.

    streamlit run dashboard.py            # DATABASE_URL picks the store (default data/tracker.db)

Thin UI only: widgets and layout here; queries live in ``tracker.store``, figures in
``tracker.charts``, URL/view helpers in ``tracker.views``. The whole view (filters, lanes,
selected event) is kept in the URL so a copied link reproduces it.
"""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from tracker import charts, views
from tracker.auth import Access, access, editors_from_env
from tracker.models import EventIn
from tracker.store import (
    add_event,
    delete_event,
    facets,
    get_engine,
    get_event,
    list_articles,
    list_events,
    read_only,
    session_scope,
    update_event,
)
from tracker.types import EVENT_TYPES, PRECISIONS

TABLE_ROWS = 1000  # rows in the table (and the event picker) when the charts are aggregated

st.set_page_config(page_title="Sahel event tracker", page_icon="🗺️", layout="wide")


def country_name(iso3: str) -> str:
    try:
        from tracker.entities import country_name as _name

        return _name(iso3) or iso3
    except Exception:
        return iso3


@st.cache_data(show_spinner=False)
def all_countries() -> list[tuple[str, str]]:
    try:
        from tracker.entities import known_countries

        return sorted(known_countries(), key=lambda c: c[1])
    except Exception:
        return []


# The page's first element: starts loading the charts' plotly.js and the map's shapes while the
# rest of the page (and the queries) are still on their way (see charts.boot_html).
with st.container(key="boot"):
    st.html(charts.boot_html("st-key-boot"), unsafe_allow_javascript=True)
st.title("Sahel event timeline")  # drawn first, before any query
summary = st.empty()
notice = st.container()  # the empty store's message, above the charts
st.subheader("Timeline")
timeline_slot = st.empty()
timeline_slot.caption("Counting events…")  # until the timeline replaces it
engine = get_engine()


@st.cache_resource(show_spinner=False)
def plot_component() -> Callable[..., Any]:
    """The chart element: the figure drawn by the dashboard's own plotly.js (charts.PLOT_COMPONENT_JS)."""
    return st.components.v2.component("sahel_plot", js=charts.PLOT_COMPONENT_JS, isolate_styles=False)


def chart(spec: str, key: str, slot: Any) -> int | None:
    """Draw a figure (its JSON) in ``slot``; the event id behind a point clicked in it, in the run
    the click causes."""
    with slot:
        result = plot_component()(
            key=key, data={"spec": spec, "config": charts.plotly_config()}, on_click_change=lambda: None
        )
    return views.clicked_event_id(result.click)


def current_access() -> Access:
    """Who is looking, and may they write? (rules in tracker.auth; login through st.login when
    an [auth] section is configured in .streamlit/secrets.toml)"""
    try:
        login_configured = "auth" in st.secrets
    except Exception:  # no secrets file at all: no login configured
        login_configured = False
    logged_in = bool(login_configured and st.user.is_logged_in)
    email = st.user.get("email") if logged_in else None
    return access(read_only=read_only(), login_configured=login_configured, logged_in=logged_in,
                  email=email, editors=editors_from_env())


acc = current_access()
today = date.today()
ss = st.session_state

# --- view state: from the URL once per session, then from the widgets -----------------------------

F_KEYS = {
    "countries": "f_countries", "actors": "f_actors", "types": "f_types", "since": "f_since",
    "until": "f_until", "text": "f_text", "article_id": "f_article", "include_future": "f_future",
    "lanes": "f_lanes", "event_id": "sel_event",
}  # fmt: skip

if "_view_loaded" not in ss:
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    initial = views.state_from_query(query)
    for name, key in F_KEYS.items():
        ss[key] = getattr(initial, name)
    ss["_view_loaded"] = True

# Flash messages survive the st.rerun() that follows a write.
for msg in ss.pop("_flash", []):
    st.toast(msg)


# Labels of filter options (with counts) and events, refreshed every run in one dict that lives in
# session state: a widget may keep the format_func of the run that created it (AppTest does), so
# format_funcs look labels up at call time in this long-lived dict instead of capturing them.
labels: dict[str, dict] = ss.setdefault("_labels", {})


def label_of(kind: str, fallback: Callable[[Any], str] = str) -> Callable[[Any], str]:
    def fmt(value: Any) -> str:
        return labels.get(kind, {}).get(value) or fallback(value)

    return fmt


def current_view() -> views.ViewState:
    return views.ViewState(**{name: ss.get(key) for name, key in F_KEYS.items()})


store_url = engine.url.render_as_string(hide_password=False)


@st.cache_data(max_entries=128, show_spinner=False)
def cached_facets(url: str, version: tuple, v: views.ViewState, day: str) -> Any:
    """The store's facets for a view; cached per store, data version, view and day (future events)."""
    with session_scope(get_engine(url)) as s:
        return facets(s, v.to_filter())


def facets_of(v: views.ViewState) -> Any:
    # lanes and the selected event do not change what matches: left out of the key
    return cached_facets(store_url, version, dataclasses.replace(v, lanes="country", event_id=None), today.isoformat())


with session_scope(engine) as s:
    version = views.data_version(s)  # changes with every add, edit and delete
    articles = list_articles(s)
if ss.get("f_article") not in {a.id for a in articles}:
    ss["f_article"] = None
view = current_view()
# Counts beside the filters: each value's count under all the *other* filters (store.facets).
f_all = facets_of(view)

country_counts = dict(f_all.countries)
actor_counts = dict(f_all.actors)
type_counts = dict(f_all.types)



@st.cache_data(max_entries=64, show_spinner=False)
def aggregates(url: str, version: tuple, v: views.ViewState, lanes: str, day: str) -> tuple[str, list, int, list]:
    """Counts for the aggregated charts; cached per store, data version, view and day (future events)."""
    flt = v.to_filter()  # the view itself, not its URL form: an actor's name may hold a comma
    with session_scope(get_engine(url)) as s:
        unit, rows, coarse = views.timeline_counts(s, flt, lanes=lanes)
        return unit, rows, coarse, views.place_counts(s, flt)


# Shared between sessions (cache_resource: no copy per visitor); nothing below modifies them.
# Keyed by the data version, so any add, edit or delete makes new ones.
@st.cache_resource(max_entries=32, show_spinner=False)
def shown_events(url: str, version: tuple, v: views.ViewState, day: str, big: bool) -> list:
    """The events of the table and the picker: all of them, or the first TABLE_ROWS when ``big``."""
    with session_scope(get_engine(url)) as s:
        return list_events(s, v.to_filter(), today=date.fromisoformat(day), with_sources=not big,
                           limit=TABLE_ROWS if big else None)  # fmt: skip


@st.cache_resource(max_entries=32, show_spinner=False)
def chart_figures(url: str, version: tuple, v: views.ViewState, day: str, big: bool) -> tuple[str, str, str]:
    """(timeline JSON, map JSON, unit) for a view. Building the figures is most of a run's server time
    at 100k events (27k count rows into a heatmap): once per data version, not once per visitor."""
    d = date.fromisoformat(day)
    same = dataclasses.replace(v, lanes="country")  # the key the page's own calls use: cache hits
    if not big:
        events = shown_events(url, version, same, day, big)
        tl = charts.timeline_figure(events, lanes=v.lanes, today=d)
        return tl.to_json(), charts.map_figure(events).to_json(), ""
    f = cached_facets(url, version, same, day)
    unit, timeline_rows, coarse, place_rows = aggregates(url, version, v, v.lanes, day)
    tl = charts.timeline_from_counts(timeline_rows, lanes=v.lanes, unit=unit, total=f.total, coarse=coarse, today=d)
    # a country's count is under the other filters: shade only the countries the view selects
    shaded = {c: n for c, n in f.countries if not v.countries or c in v.countries}
    return tl.to_json(), charts.map_from_counts(place_rows, shaded).to_json(), unit


matched = facets_of(view)
n_total = version[0]
n_match = matched.total
# Up to DETAIL_LIMIT events are drawn one by one; beyond that the database counts them per
# lane, type and week/month (timeline) and per map cell, and the table lists the first rows.
big = n_match > charts.DETAIL_LIMIT
chart_view = dataclasses.replace(view, event_id=None)  # the selected event changes neither chart
events = shown_events(store_url, version, dataclasses.replace(chart_view, lanes="country"), today.isoformat(), big)
timeline_spec, map_spec, unit = chart_figures(store_url, version, chart_view, today.isoformat(), big)

# --- header ------------------------------------------------------------------------------------

summary.caption(
    f"{n_match:,} of {n_total:,} events shown · today {today.isoformat()} · "
    "copy the address bar to share this exact view"
)
if n_total == 0:
    with notice:
        st.info("The store is empty. Add an event below, ingest an article, or load the sample articles.")
        if st.button("Load the sample articles", key="seed_demo"):
            try:
                from tracker.demo import seed

                with st.spinner("Reading the sample articles…"):
                    seed(engine)
                st.rerun()
            except Exception as exc:  # pragma: no cover - depends on demo data
                st.error(f"Could not load the samples: {exc}")

# --- timeline and map --------------------------------------------------------------------------


clicked = chart(timeline_spec, "timeline", timeline_slot)
if big:
    st.caption(
        f"Too many events to draw one by one: each cell counts the events dated within that {unit} "
        f"(events dated only to a coarser period are left out, not put at its start). Narrow the "
        f"filters to {charts.DETAIL_LIMIT:,} events or fewer to see each one."
    )
else:
    st.caption(
        "A point is an event dated to the day; a bar spans the week, month, quarter or year an event "
        "is dated to. ◇ pending deadline (days left), ✕ lapsed deadline. The dashed line is today. "
        "Click an event (or a table row) to open it below."
    )
st.subheader("Map")
clicked = chart(map_spec, "map", st.empty()) or clicked

# --- sidebar: filters ------------------------------------------------------------------------------
# Drawn after the charts although shown beside them: the view was read from session state above (a
# widget's new value is there before the rerun starts), and the browser then asks for the charts'
# scripts before the ~35 small scripts of these widgets, which would otherwise hold its six
# connections to this server while plotly.js waits.

with st.sidebar:
    if acc.user not in (None, "dashboard"):
        st.caption(f"Signed in as {views.md(acc.user)}")
    try:
        if "auth" in st.secrets:
            if st.user.is_logged_in:
                st.button("Sign out", key="logout", on_click=st.logout)
            else:
                st.button("Sign in to edit", key="login", on_click=st.login)
    except Exception:  # no secrets file: no login configured
        pass
    st.header("Filters")
    country_opts = sorted(set(country_counts) | set(ss.get("f_countries") or []), key=country_name)
    labels["country"] = {c: f"{country_name(c)} ({country_counts.get(c, 0)})" for c in country_opts}
    st.multiselect(
        "Countries", country_opts, key="f_countries", format_func=label_of("country"),
        help="Events naming any of these countries. The number is how many events match the other filters.",
    )  # fmt: skip
    actor_opts = sorted(set(actor_counts) | set(ss.get("f_actors") or []), key=str.casefold)
    labels["actor"] = {a: f"{a} ({actor_counts.get(a, 0)})" for a in actor_opts}
    st.multiselect("Actors", actor_opts, key="f_actors", format_func=label_of("actor"))
    labels["type"] = {t: f"{EVENT_TYPES.get(t, t)} ({type_counts.get(t, 0)})" for t in EVENT_TYPES}
    st.multiselect("Event types", list(EVENT_TYPES), key="f_types", format_func=label_of("type"))
    c1, c2 = st.columns(2)
    c1.date_input("From", value=None, key="f_since", min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
    c2.date_input("To", value=None, key="f_until", min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
    st.text_input("Search text", key="f_text", placeholder="words in title, sentence or notes")
    article_ids = [a.id for a in articles]
    labels["article"] = {
        a.id: f"{a.published.isoformat()} · {(a.outlet + ': ') if a.outlet else ''}{a.title or a.url or a.id}"[:90]
        for a in articles
    }
    labels["article"][None] = "All articles"
    st.selectbox("Source article", [None, *article_ids], key="f_article", format_func=label_of("article"))
    st.checkbox("Include future and expected events", key="f_future")
    st.radio(
        "Timeline lanes", ["country", "actor"], key="f_lanes", horizontal=True,
        format_func=lambda x: "by country" if x == "country" else "by actor",
    )  # fmt: skip


# --- table -------------------------------------------------------------------------------------

st.subheader("Events")


def events_grid(rows: list[dict]) -> int | None:
    """The table of events; the id of a newly selected row (which opens that event below)."""
    picked = st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", key="events_table",
        on_select="rerun", selection_mode="single-row",
    )  # fmt: skip
    try:
        sel_rows = list(picked["selection"]["rows"])
    except (KeyError, TypeError):
        sel_rows = []
    sig = json.dumps(sel_rows)
    new = sig != ss.get("_table_click")
    ss["_table_click"] = sig
    if sel_rows and new and sel_rows[0] < len(events):
        return events[sel_rows[0]].id
    return None


if not events:
    st.write("No events match the filters.")
elif big:
    # The first rows of thousands, in a section that runs only when opened: the table's scripts
    # (the grid and Arrow, ~1.3 MB) would otherwise compete with plotly.js for the first draw.
    shown = (
        f"the first {len(events):,} of {n_match:,} events (narrow the filters to see the rest)"
        if n_match > len(events) else f"all {n_match:,} events"
    )  # fmt: skip
    table_section = st.expander(f"Table of {shown}", key="sec_table", on_change="rerun")
    with table_section:
        if table_section.open:
            clicked = events_grid(views.events_table(events, country_name)) or clicked
else:
    clicked = events_grid(views.events_table(events, country_name)) or clicked

# --- event detail, edit, delete ------------------------------------------------------------------

if clicked is not None:  # a click on a chart point or a table row opens that event
    ss["sel_event"] = clicked
elif "_reselect" in ss:
    # After an edit the picker's label for the event is new, and the browser would send back the old
    # one with its next interaction, which matches nothing: the selection would silently drop.
    ss["sel_event"] = ss.pop("_reselect")
if ss.pop("_clear_selection", False):
    ss["sel_event"] = None
pick_ids = [e.id for e in events]
labels["event"] = {e.id: f"#{e.id} · {e.date.isoformat()} · {e.title[:80]}" for e in events}
labels["event"][None] = "— pick an event —"
if ss.get("sel_event") is not None and ss["sel_event"] not in pick_ids:
    pick_ids.append(ss["sel_event"])
st.selectbox("Show event", [None, *pick_ids], key="sel_event", format_func=label_of("event", lambda i: f"#{i}"))


FORM_FIELDS = {  # EventIn field -> widget key suffix
    "title": "title", "date": "date", "date_end": "date_end", "precision": "precision",
    "event_type": "type", "countries": "countries", "actors": "actors", "place_name": "place",
    "lat": "lat", "lon": "lon", "source_url": "url", "notes": "notes", "future": "future",
}  # fmt: skip
FORM_DEFAULTS = {
    "title": "", "date": None, "date_end": None, "precision": "day", "event_type": "other", "countries": [],
    "actors": "", "place_name": "", "lat": None, "lon": None, "source_url": "", "notes": "", "future": False,
}  # fmt: skip


def fill_form(prefix: str, values: dict | None = None) -> None:
    """Put values (or the defaults) into the form's widgets through session state.

    Called before the widgets are drawn in a run; the widgets take no ``value=`` of their own,
    so Streamlit never has two sources for one value and the browser shows what we set.
    """
    vals = dict(FORM_DEFAULTS)
    for k, v in (values or {}).items():
        if k in vals:
            vals[k] = v
    vals["actors"] = ", ".join(vals["actors"]) if isinstance(vals["actors"], list) else (vals["actors"] or "")
    for k in ("title", "place_name", "source_url", "notes"):
        vals[k] = vals[k] or ""
    vals["future"] = bool(vals["future"])
    for field_name, suffix in FORM_FIELDS.items():
        ss[f"{prefix}_{suffix}"] = vals[field_name]


def event_form(prefix: str) -> tuple[dict, dict]:
    """The add/edit fields inside an ``st.form``; returns (values, error placeholders)."""
    if f"{prefix}_title" not in ss:
        fill_form(prefix)
    names = dict(all_countries())
    codes = list(names) or sorted(country_counts)
    spots: dict = {}
    vals: dict = {}
    lo, hi = date(1900, 1, 1), date(2100, 12, 31)
    vals["title"] = st.text_input("Title", key=f"{prefix}_title", max_chars=300)
    spots["title"] = st.empty()
    c1, c2, c3 = st.columns(3)
    with c1:
        vals["date"] = st.date_input("Date", key=f"{prefix}_date", min_value=lo, max_value=hi)
        spots["date"] = st.empty()
    with c2:
        vals["date_end"] = st.date_input("End date (optional)", key=f"{prefix}_date_end", min_value=lo, max_value=hi)
        spots["date_end"] = st.empty()
    with c3:
        vals["precision"] = st.selectbox("Precision", PRECISIONS, key=f"{prefix}_precision")
        spots["precision"] = st.empty()
    vals["event_type"] = st.selectbox(
        "Event type", list(EVENT_TYPES), key=f"{prefix}_type", format_func=lambda t: EVENT_TYPES.get(t, t)
    )
    spots["event_type"] = st.empty()
    ss[f"{prefix}_countries"] = [c for c in ss.get(f"{prefix}_countries") or [] if c in codes]
    vals["countries"] = st.multiselect(
        "Countries", codes, key=f"{prefix}_countries", format_func=lambda c: names.get(c, c)
    )
    spots["countries"] = st.empty()
    vals["actors"] = st.text_input("Actors (comma-separated)", key=f"{prefix}_actors")
    spots["actors"] = st.empty()
    c1, c2, c3 = st.columns([2, 1, 1])
    with c1:
        vals["place_name"] = st.text_input("Place", key=f"{prefix}_place")
        spots["place_name"] = st.empty()
    with c2:
        vals["lat"] = st.number_input(
            "Latitude (optional)", min_value=-90.0, max_value=90.0, format="%.4f", key=f"{prefix}_lat"
        )
        spots["lat"] = st.empty()
    with c3:
        vals["lon"] = st.number_input(
            "Longitude (optional)", min_value=-180.0, max_value=180.0, format="%.4f", key=f"{prefix}_lon"
        )
        spots["lon"] = st.empty()
    vals["source_url"] = st.text_input("Source URL", key=f"{prefix}_url")
    spots["source_url"] = st.empty()
    vals["notes"] = st.text_area("Notes", key=f"{prefix}_notes")
    spots["notes"] = st.empty()
    vals["future"] = st.checkbox("Expected / future event (e.g. a deadline)", key=f"{prefix}_future")
    spots["future"] = st.empty()
    spots["_form"] = st.empty()
    return vals, spots


def validate(vals: dict, spots: dict) -> EventIn | None:
    """EventIn from the form values, or None after writing each error beside its field."""
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in vals.items()}
    for k in ("place_name", "source_url", "notes"):
        data[k] = data[k] or None
    errors: dict[str, str] = {}
    if data["date"] is None:
        errors["date"] = "Enter the date of the event."
        data["date"] = date(2000, 1, 1)  # placeholder so the other fields are still checked
    try:
        event_in = EventIn(**data)
    except ValidationError as exc:
        for k, v in views.form_errors(exc).items():
            errors.setdefault(k, v)
        event_in = None
    if errors:
        labels = {
            "title": "Title", "date": "Date", "date_end": "End date", "precision": "Precision",
            "event_type": "Event type", "countries": "Countries", "actors": "Actors", "place_name": "Place",
            "lat": "Latitude", "lon": "Longitude", "source_url": "Source URL", "notes": "Notes",
        }  # fmt: skip
        for k, msg in errors.items():
            spots.get(k, spots["_form"]).error(f"{labels.get(k, k)}: {msg}")
        if "_form" not in errors:
            spots["_form"].error("Not saved: correct the fields marked above.")
        return None
    return event_in


sel = ss.get("sel_event")
if sel is not None:
    with session_scope(engine) as s:
        ev = get_event(s, sel, today=today)
    if ev is None:
        st.warning(f"Event #{sel} no longer exists.")
    else:
        with st.container(border=True, key="event_detail"):
            st.markdown(f"#### {views.md(ev.title)}")
            a, b = charts.span(ev)
            when = a.isoformat() if a == b else f"{a.isoformat()} → {b.isoformat()}"
            facts = [
                f"**Date:** {when} ({ev.precision})",
                f"**Type:** {charts.type_label(ev.event_type)}" + (f" · PLOVER {ev.plover}" if ev.plover else ""),
            ]
            if ev.date_text:
                facts.append(f"**As written:** “{views.md(ev.date_text)}”")
            res = [ev.resolution] + ([f"anchor: {views.md(ev.anchor)}"] if ev.anchor else [])
            res += [f"rule: {views.md(ev.rule)}"] if ev.rule else []
            facts.append("**Resolved:** " + ", ".join(res))
            dl = charts.deadline_label(ev, today)
            if dl:
                facts.append(f"**Deadline:** {dl}")
            if ev.countries:
                facts.append("**Countries:** " + ", ".join(views.md(country_name(c)) for c in ev.countries))
            if ev.actors:
                facts.append("**Actors:** " + views.md(", ".join(ev.actors)))
            if ev.place_name:
                facts.append(f"**Place:** {views.md(ev.place_name)}")
            facts.append(f"**Origin:** {ev.origin}" + (" (edited by hand)" if ev.edited else ""))
            st.markdown("  \n".join(facts))
            if ev.notes:
                st.text(f"Notes: {ev.notes}")
            # The sentence(s) the event was read from, the time expression highlighted (escaped HTML).
            shown: set[str] = set()
            if ev.sentence and not ev.sources:
                s0, s1 = views.source_offsets(ev.sentence, ev.date_text, ev.start, ev.end)
                st.html(f"<blockquote>{views.highlight(ev.sentence, s0, s1)}</blockquote>")
            by_article: dict[int, list] = {}
            for src in ev.sources:
                by_article.setdefault(src.article_id, []).append(src)
            for srcs in by_article.values():
                src = srcs[0]
                label = " · ".join(
                    x for x in (src.outlet, src.title, src.published.isoformat() if src.published else None) if x
                )
                st.markdown(f"**Source:** {views.md(label) or f'article {src.article_id}'}")
                if src.url:
                    st.text(src.url)
                for one in srcs:
                    if one.sentence in shown:
                        continue
                    shown.add(one.sentence)
                    s0, s1 = views.source_offsets(one.sentence, one.date_text or ev.date_text, one.start, one.end)
                    st.html(f"<blockquote>{views.highlight(one.sentence, s0, s1)}</blockquote>")
            if not ev.sources and ev.source_url:
                st.markdown("**Source:**")
                st.text(ev.source_url)
            b1, b2, _ = st.columns([1, 1, 4])
            if not acc.can_edit:
                st.caption(views.md(acc.reason))
            elif b1.button("Edit", key="edit_btn"):
                ss["editing"] = ev.id
                fill_form("edit", ev.model_dump())
            if acc.can_edit and b2.button("Delete", key="delete_btn"):
                ss["confirm_delete"] = ev.id
            if acc.can_edit and ss.get("confirm_delete") == ev.id:
                st.warning(f"Delete event #{ev.id} “{views.md(ev.title)}”? This cannot be undone.")
                y, n, _ = st.columns([1, 1, 4])
                if y.button("Yes, delete", key="delete_yes", type="primary"):
                    try:
                        with session_scope(engine) as s:
                            delete_event(s, event_id=ev.id, user=acc.user)
                    except Exception as exc:  # the store rolled back: say so, keep the page
                        st.error(f"Could not delete event #{ev.id}: {exc}")
                    else:
                        ss.pop("confirm_delete", None)
                        ss["_clear_selection"] = True
                        ss["_flash"] = [f"Deleted event #{ev.id}"]
                        st.rerun()
                if n.button("Cancel", key="delete_no"):
                    ss.pop("confirm_delete", None)
                    st.rerun()
            if acc.can_edit and ss.get("editing") == ev.id:
                with st.form("edit_event", clear_on_submit=False):
                    st.markdown(f"**Edit event #{ev.id}**")
                    vals, spots = event_form("edit")
                    c1, c2, _ = st.columns([1, 1, 4])
                    save = c1.form_submit_button("Save changes", key="edit_submit", type="primary")
                    cancel = c2.form_submit_button("Cancel", key="edit_cancel")
                if cancel:
                    ss.pop("editing", None)
                    st.rerun()
                if save:
                    event_in = validate(vals, spots)
                    if event_in is not None:
                        try:
                            with session_scope(engine) as s:
                                update_event(s, event_id=ev.id, event_in=event_in, user=acc.user)
                        except Exception as exc:
                            spots["_form"].error(f"Not saved: {exc}")
                        else:
                            ss.pop("editing", None)
                            ss["_reselect"] = ev.id  # its label changed: the picker must be told again
                            ss["_flash"] = [f"Saved changes to event #{ev.id}"]
                            st.rerun()

# --- add and ingest ------------------------------------------------------------------------------

# Closed sections run nothing (on_change="rerun" makes an expander's content lazy): the two forms
# are dozens of widgets the browser would otherwise build before it draws the charts.
add_section = st.expander("Add an event", key="sec_add", on_change="rerun")
ingest_section = st.expander("Ingest articles", key="sec_ingest", on_change="rerun")
export_section = st.expander("Export the events shown", key="sec_export", on_change="rerun")


def export_data(fmt: str) -> Callable[[], str]:
    """The file behind a download button, made only when the button is clicked (an export of
    100,000 events takes seconds; nobody should wait for four of them on every page)."""
    flt_now, day = view.to_filter(), today

    def make() -> str:
        with session_scope(engine) as s:
            return views.export_file(s, flt_now, fmt, today=day)[0]

    return make


with export_section:
    if export_section.open:
        st.caption(
            f"The {n_match:,} events the filters select, with every source. The same files come from "
            "`tracker export --format acled-csv|json|timelinejs|ics` with the same filters."
        )
        for col_, (fmt, label) in zip(st.columns(len(views.EXPORT_FORMATS)), views.EXPORT_FORMATS.items(),
                                      strict=True):
            file_name, mime = views.export_name(fmt)
            col_.download_button(
                label, data=export_data(fmt), file_name=file_name, mime=mime, key=f"export_{fmt}",
                on_click="ignore", disabled=n_match == 0,
            )  # fmt: skip

with add_section:
    if add_section.open and not acc.can_edit:
        st.info(views.md(acc.reason))
    elif add_section.open:
        if ss.pop("_add_reset", False):
            fill_form("add")
        with st.form("add_event", clear_on_submit=False):
            vals, spots = event_form("add")
            submitted = st.form_submit_button("Add event", key="add_submit", type="primary")
        if submitted:
            event_in = validate(vals, spots)
            if event_in is not None:
                try:
                    with session_scope(engine) as s:
                        saved = add_event(s, event_in=event_in, user=acc.user)
                except Exception as exc:
                    spots["_form"].error(f"Not saved: {exc}")
                else:
                    ss["_add_reset"] = True
                    ss["_flash"] = [f"Added event #{saved.id}: {views.md(saved.title)}"]
                    ss["_last_added"] = saved.id
                    st.rerun()
        if ss.get("_last_added"):
            st.success(f"Added event #{ss['_last_added']}.")

with ingest_section:
    if ingest_section.open and not acc.can_edit:
        st.info(views.md(acc.reason))
    elif ingest_section.open:
        from tracker.ingest import IngestError, html_published, load_document

        st.write("Paste an article or upload .txt / .html files, review the events found, then save.")
        st.text_area("Article text", key="ing_text", height=160)
        st.file_uploader(
            "Article files (.txt, .html)", type=["txt", "html", "htm"], accept_multiple_files=True, key="ing_files"
        )
        sources: list[tuple[str, str | bytes]] = []
        if (ss.get("ing_text") or "").strip():
            sources.append(("pasted text", ss["ing_text"]))
        for up in ss.get("ing_files") or []:
            sources.append((up.name, up.getvalue()))
        for i, (name, raw) in enumerate(sources):
            key = f"ing_pub_{i}_{zlib.crc32(name.encode()):08x}"
            if key not in ss:
                ss[key] = html_published(raw) if (isinstance(raw, bytes) or "<" in raw[:2000]) else None
            st.date_input(
                f"Publication date of {views.md(name)}", key=key,
                min_value=date(1900, 1, 1), max_value=date(2100, 12, 31),
                help="Pre-filled from the page's metadata when it has one. Relative dates are resolved against it.",
            )  # fmt: skip
        if sources and st.button("Extract events", key="ing_extract"):
            from tracker.events import extract

            review = []
            bar = st.progress(0.0, text="Reading articles…")
            for i, (name, raw) in enumerate(sources):
                key = f"ing_pub_{i}_{zlib.crc32(name.encode()):08x}"
                if ss.get(key) is None:  # relative dates ("on Wednesday") need it: ask, never assume today
                    review.append((name, None, [], f"{name}: enter its publication date above, then extract again."))
                    bar.progress((i + 1) / len(sources), text=f"Read {i + 1} of {len(sources)}: {name}")
                    continue
                try:
                    doc = load_document(raw, published=ss.get(key), filename=None if name == "pasted text" else name)
                    review.append((name, doc, extract(doc), None))
                except IngestError as exc:
                    review.append((name, None, [], str(exc)))
                except Exception as exc:  # an extractor bug must not take the page down
                    review.append((name, None, [], f"{name}: extraction failed ({type(exc).__name__}: {exc})"))
                bar.progress((i + 1) / len(sources), text=f"Read {i + 1} of {len(sources)}: {name}")
            ss["ing_review"] = review
        review = ss.get("ing_review") or []
        if review:
            st.markdown("**Review the extracted events** (untick what should not be saved)")
            for i, (name, _doc, drafts, err) in enumerate(review):
                st.markdown(f"*{views.md(name)}*")
                if err:
                    st.error(views.md(err))
                    continue
                if not drafts:
                    st.caption("No dated events found in this article.")
                for j, d in enumerate(drafts):
                    when = d.date.isoformat() + (f" ({d.precision})" if d.precision != "day" else "")
                    st.checkbox(
                        f"{when} · {EVENT_TYPES.get(d.event_type, d.event_type)} · {views.md(d.title[:120])}",
                        value=True, key=f"ing_pick_{i}_{j}", help=views.md(d.sentence[:300]),
                    )  # fmt: skip
            if st.button("Save selected events", key="ing_save", type="primary"):
                from tracker.store import save_article

                bar = st.progress(0.0, text="Saving…")
                done = []
                for i, (name, doc, drafts, _err) in enumerate(review):
                    if doc is not None:
                        picked = [d for j, d in enumerate(drafts) if ss.get(f"ing_pick_{i}_{j}", True)]
                        with session_scope(engine) as s:
                            res = save_article(s, document=doc, drafts=picked, user=acc.user)
                        done.append(
                            f"{views.md(name)}: {res.events_added} added, {res.events_merged} merged"
                            + ("" if res.created else " (article already known)")
                        )
                    bar.progress((i + 1) / len(review), text=f"Saved {i + 1} of {len(review)}")
                ss["ing_review"] = []
                ss["_flash"] = done
                st.rerun()

# --- keep the URL in step with the view -----------------------------------------------------------

wanted = dataclasses.replace(view, event_id=ss.get("sel_event")).to_query()
current = {k: st.query_params.get_all(k) for k in st.query_params}
norm = {k: (v if isinstance(v, list) else [v]) for k, v in wanted.items()}
if norm != current:
    st.query_params.from_dict(wanted)
