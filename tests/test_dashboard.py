"""The Streamlit dashboard driven in-process with AppTest, each test on a fresh SQLite store.

The charts are opaque to AppTest (a components.v2 element, "bidi_component", whose data holds
the figure JSON); they are checked through that JSON, the widgets and the table.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from pg_support import pg_server, pg_url, store_url  # noqa: E402, F401

APP = Path(__file__).resolve().parent.parent / "dashboard.py"


def count_events(url: str) -> int:
    from tracker.store import get_engine, list_events, session_scope

    with session_scope(get_engine(url)) as s:
        return len(list_events(s))


def add(url: str, title: str, day: date, countries: list[str], **kw) -> int:
    from tracker.models import EventIn
    from tracker.store import add_event, get_engine, session_scope

    with session_scope(get_engine(url)) as s:
        return add_event(s, event_in=EventIn(title=title, date=day, countries=countries, **kw)).id


def seed_four(url: str) -> str:
    db_url = url
    add(db_url, "Presidential guard detains Bazoum", date(2023, 7, 26), ["NER"], event_type="coup",
        actors=["Presidential Guard"], place_name="Niamey")  # fmt: skip
    add(db_url, "ECOWAS summit in Abuja", date(2023, 7, 30), ["NGA"], event_type="diplomacy", actors=["ECOWAS"])
    add(db_url, "Sanctions on Niger", date(2023, 8, 1), ["NER", "NGA"], event_type="sanctions", precision="month")
    add(db_url, "Attack near Gao", date(2023, 9, 7), ["MLI"], event_type="attack")
    return db_url


@pytest.fixture
def seeded(db_url: str) -> str:
    return seed_four(db_url)


SECTIONS = ("sec_add", "sec_ingest", "sec_export")  # the lazy expanders: add, ingest, export


def app(*open_sections: str) -> AppTest:
    """The page; the named lazy sections open, as after a click on their header."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key in open_sections:
        at.session_state[key] = True
    return at


def table_titles(at: AppTest) -> list[str]:
    if not at.dataframe:
        return []
    return list(at.dataframe[0].value["title"])


def charts_of(at: AppTest) -> dict[str, dict]:
    """The figures on the page by key ("timeline", "map"), from the chart elements' data."""
    out = {}
    for el in at.get("bidi_component"):
        if el.proto.component_name == "sahel_plot":
            out[el.proto.id.rsplit("-", 1)[-1]] = json.loads(json.loads(el.proto.json)["spec"])
    return out


def figure(at: AppTest, key: str) -> dict:
    figs = charts_of(at)
    assert key in figs, f"no chart {key!r} (charts: {sorted(figs)})"
    return figs[key]


def qp(at: AppTest, key: str) -> list[str]:
    v = at.query_params.get(key)
    return [] if v is None else ([v] if isinstance(v, str) else list(v))


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_empty_store_renders(db_url):
    at = app().run()
    no_exception(at)
    assert sorted(charts_of(at)) == ["map", "timeline"]
    assert any("empty" in i.value for i in at.info)


def test_first_run_sends_the_charts_and_leaves_the_closed_sections_out(seeded):
    """The timeline's loading placeholder is replaced by the timeline; closed forms run nothing."""
    at = app().run()
    no_exception(at)
    assert sorted(charts_of(at)) == ["map", "timeline"]
    assert not [c for c in at.caption if c.value == "Counting events…"]  # the timeline replaced it
    assert figure(at, "timeline")["layout"]["meta"]["events"] == 4
    assert not [w for w in at.text_input if (w.key or "").startswith(("add_", "ing_"))]
    assert [e.label for e in at.expander] == ["Add an event", "Ingest articles", "Export the events shown"]
    at.session_state["sec_add"] = True
    at.run()
    assert at.text_input(key="add_title").value == ""


def test_a_second_visitor_gets_the_cached_figures_until_the_data_changes(seeded, monkeypatch):
    """Building the figures is most of a run at 100k events: once per data version and view."""
    from tracker import charts

    built = []
    real = charts.timeline_figure
    monkeypatch.setattr(charts, "timeline_figure", lambda *a, **k: built.append(1) or real(*a, **k))
    first = app().run()
    no_exception(first)
    second = app().run()  # a new session: another visitor
    no_exception(second)
    assert len(built) == 1
    assert figure(second, "timeline") == figure(first, "timeline")
    add(seeded, "Attack near Menaka", date(2023, 9, 9), ["MLI"], event_type="attack")
    third = app().run()
    assert len(built) == 2 and figure(third, "timeline")["layout"]["meta"]["events"] == 5
    boot = third.get("html")[0].proto.body  # the page's first element: plotly.js and the shapes fetched early
    assert "app/static/plotly/plotly-sahel.min.js" in boot and "topojson/africa_50m.json" in boot


def test_add_event_through_the_form_shows_in_table_and_filters(db_url):
    at = app("sec_add").run()
    at.text_input(key="add_title").input("Junta closes airspace")
    at.date_input(key="add_date").set_value(date(2023, 8, 6))
    at.selectbox(key="add_type").select("deployment")
    at.multiselect(key="add_countries").select("NER")
    at.text_input(key="add_actors").input("CNSP, ECOWAS")
    at.text_input(key="add_place").input("Niamey")
    at.text_input(key="add_url").input("https://example.org/airspace")
    at.button(key="add_submit").click().run()
    no_exception(at)
    assert not at.error
    assert table_titles(at) == ["Junta closes airspace"]
    assert at.text_input(key="add_title").value == ""  # the form is cleared after a save
    assert "NER" in at.multiselect(key="f_countries").options[0] or at.multiselect(key="f_countries").options == [
        "Niger (1)"
    ]
    assert "CNSP (1)" in at.multiselect(key="f_actors").options
    assert count_events(db_url) == 1
    timeline = figure(at, "timeline")
    assert any("Junta closes airspace" in json.dumps(t.get("hovertext")) for t in timeline["data"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("add_title", "   ", "Title"),
        ("add_url", "javascript:alert(1)", "Source URL"),
    ],
)
def test_bad_form_entry_shows_error_and_saves_nothing(db_url, field, value, message):
    at = app("sec_add").run()
    at.text_input(key="add_title").input("A valid title")
    at.date_input(key="add_date").set_value(date(2023, 8, 6))
    at.text_input(key=field).input(value)
    at.button(key="add_submit").click().run()
    no_exception(at)
    errors = [e.value for e in at.error]
    assert any(e.startswith(message + ":") for e in errors), errors
    assert any("Not saved" in e for e in errors)
    assert count_events(db_url) == 0
    assert at.text_input(key=field).value == value  # the entry is kept for correction


def test_missing_date_and_end_before_start_are_reported(db_url):
    at = app("sec_add").run()
    at.text_input(key="add_title").input("Something")
    at.button(key="add_submit").click().run()
    assert any(e.value.startswith("Date:") for e in at.error)
    at.date_input(key="add_date").set_value(date(2023, 8, 6))
    at.date_input(key="add_date_end").set_value(date(2023, 8, 1))
    at.button(key="add_submit").click().run()
    assert any(e.value.startswith("End date:") for e in at.error), [e.value for e in at.error]
    assert count_events(db_url) == 0


def test_filter_by_niger_excludes_nigeria(seeded):
    at = app().run()
    no_exception(at)
    assert len(table_titles(at)) == 4
    at.multiselect(key="f_countries").select("NER").run()
    no_exception(at)
    titles = table_titles(at)
    assert "ECOWAS summit in Abuja" not in titles
    assert set(titles) == {"Presidential guard detains Bazoum", "Sanctions on Niger"}
    assert qp(at, "country") == ["NER"]
    # the same filter reaches timeline and map
    tl = json.dumps(figure(at, "timeline")["data"])
    assert "Abuja" not in tl and "Bazoum" in tl
    mp = figure(at, "map")
    markers = [t for t in mp["data"] if (t.get("meta") or {}).get("kind") == "markers"]
    assert "Abuja" not in json.dumps(markers)
    assert mp["layout"]["geo"]["lonaxis"]["range"] == [-18.0, 40.0]


def test_counts_beside_the_filters_are_under_the_other_filters(seeded):
    """Picking Niger keeps Mali's number as "what Mali would show"; picking a type narrows them."""
    at = app().run()
    assert at.multiselect(key="f_countries").options == ["Mali (1)", "Niger (2)", "Nigeria (2)"]
    at.multiselect(key="f_countries").select("NER").run()
    assert at.multiselect(key="f_countries").options == ["Mali (1)", "Niger (2)", "Nigeria (2)"]
    types = at.multiselect(key="f_types").options
    assert "Coup (1)" in types and "Sanctions (1)" in types and "Attack / clash (0)" in types
    at.multiselect(key="f_types").select("coup").run()
    assert at.multiselect(key="f_countries").options == ["Niger (1)"]  # only countries with events, and the picked
    assert "2 of 4 events" not in at.caption[0].value and "1 of 4 events" in at.caption[0].value


def test_filter_by_actor_type_text_and_dates(seeded):
    at = app().run()
    at.multiselect(key="f_actors").select("ECOWAS").run()
    assert table_titles(at) == ["ECOWAS summit in Abuja"]
    at.multiselect(key="f_actors").unselect("ECOWAS").run()
    at.date_input(key="f_since").set_value(date(2023, 8, 1)).run()
    assert set(table_titles(at)) == {"Attack near Gao", "Sanctions on Niger"}
    at.date_input(key="f_until").set_value(date(2023, 8, 31)).run()
    assert table_titles(at) == ["Sanctions on Niger"]
    at.date_input(key="f_until").set_value(None).run()
    at.text_input(key="f_text").input("gao").run()
    assert table_titles(at) == ["Attack near Gao"]
    assert qp(at, "q") == ["gao"] and qp(at, "since") == ["2023-08-01"]
    at.multiselect(key="f_types").select("attack").run()
    assert table_titles(at) == ["Attack near Gao"]
    at.multiselect(key="f_types").unselect("attack").select("coup").run()
    assert table_titles(at) == []


def test_url_query_params_restore_the_view(seeded):
    at = app()
    at.query_params["country"] = ["NER"]
    at.query_params["until"] = "2023-07-31"
    at.query_params["lanes"] = "actor"
    at.run()
    no_exception(at)
    assert at.multiselect(key="f_countries").value == ["NER"]
    assert at.date_input(key="f_until").value == date(2023, 7, 31)
    assert at.radio(key="f_lanes").value == "actor"
    assert table_titles(at) == ["Presidential guard detains Bazoum"]
    assert figure(at, "timeline")["layout"]["meta"]["lanes"] == "actor"


def test_bad_url_does_not_break_the_page(seeded):
    at = app()
    at.query_params["since"] = "not-a-date"
    at.query_params["until"] = "3000-01-01"
    at.query_params["country"] = ["XXX", "<b>"]
    at.query_params["lanes"] = "actor"
    at.query_params["article"] = "<script>"
    at.query_params["event"] = "999999"
    at.run()
    no_exception(at)
    assert [w.value for w in at.warning] == ["Event #999999 no longer exists."]
    assert at.multiselect(key="f_countries").value == ["XXX"]  # unknown code kept (matches nothing), junk dropped
    assert table_titles(at) == []
    at.multiselect(key="f_countries").set_value([]).run()
    assert len(table_titles(at)) == 4


def test_event_detail_escapes_html(db_url):
    eid = add(db_url, "Evil <script>alert(1)</script>", date(2023, 7, 26), ["NER"], notes="<b>note</b>")
    at = app()
    at.query_params["event"] = str(eid)
    at.run()
    no_exception(at)
    md = " ".join(m.value for m in at.markdown)
    assert "&lt;script&gt;" in md and "<script>" not in md


def test_event_detail_highlights_the_time_expression_once(db_url):
    from tracker.demo import SAMPLES, seed
    from tracker.store import get_engine, list_events, session_scope

    seed(get_engine(db_url))
    with session_scope(get_engine(db_url)) as s:
        ev = next(e for e in list_events(s, with_sources=True) if e.date_text and e.sources)
    at = app()
    at.query_params["event"] = str(ev.id)
    at.run()
    no_exception(at)
    quotes = [h.proto.body for h in at.get("html") if "<script>" not in h.proto.body]  # not the page's boot script
    assert quotes and all(q.startswith("<blockquote>") for q in quotes)
    assert any("<mark>" in q for q in quotes)
    assert len(quotes) == len(set(quotes))  # a sentence reported twice is shown once
    assert SAMPLES.exists()


def test_edit_event(seeded):
    at = app().run()
    at.selectbox(key="sel_event").select(1).run()
    at.button(key="edit_btn").click().run()
    assert at.text_input(key="edit_title").value == "Presidential guard detains Bazoum"
    at.text_input(key="edit_title").input("Guard detains President Bazoum")  # form: no run before submit
    at.button(key="edit_submit").click().run()
    no_exception(at)
    assert "Guard detains President Bazoum" in table_titles(at)
    from tracker.store import get_engine, get_event, session_scope

    with session_scope(get_engine(seeded)) as s:
        ev = get_event(s, 1)
    assert ev.title == "Guard detains President Bazoum" and ev.edited


def test_edited_event_stays_open_and_can_be_deleted_next(seeded):
    """After an edit that changes the title, the detail stays open and Delete asks to confirm."""
    at = app().run()
    at.selectbox(key="sel_event").select(1).run()
    at.button(key="edit_btn").click().run()
    at.text_input(key="edit_title").input("Guard detains President Bazoum")
    at.button(key="edit_submit").click().run()
    assert at.selectbox(key="sel_event").value == 1
    at.button(key="delete_btn").click().run()
    no_exception(at)
    assert any("cannot be undone" in w.value for w in at.warning)
    at.button(key="delete_yes").click().run()
    assert count_events(seeded) == 3


def test_edit_with_bad_value_keeps_event(seeded):
    at = app().run()
    at.selectbox(key="sel_event").select(1).run()
    at.button(key="edit_btn").click().run()
    at.text_input(key="edit_title").input("")
    at.button(key="edit_submit").click().run()
    assert any(e.value.startswith("Title:") for e in at.error)
    assert "Presidential guard detains Bazoum" in table_titles(at)


def test_delete_asks_for_confirmation(seeded):
    at = app().run()
    at.selectbox(key="sel_event").select(2).run()
    at.button(key="delete_btn").click().run()
    assert any("cannot be undone" in w.value for w in at.warning)
    assert count_events(seeded) == 4
    at.button(key="delete_no").click().run()
    assert count_events(seeded) == 4
    at.button(key="delete_btn").click().run()
    at.button(key="delete_yes").click().run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert count_events(seeded) == 3
    assert "ECOWAS summit in Abuja" not in table_titles(at)
    assert at.selectbox(key="sel_event").value is None


def test_export_section_offers_every_format_and_makes_nothing_until_asked(seeded, monkeypatch):
    from tracker import views

    made = []
    real = views.export_file
    monkeypatch.setattr(views, "export_file", lambda *a, **k: made.append(a) or real(*a, **k))
    at = app().run()
    assert not at.get("download_button")  # closed: no buttons, no export made
    at = app("sec_export").run()
    no_exception(at)
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == list(views.EXPORT_FORMATS.values())
    assert not made  # the files are made when a button is clicked, not when the page draws


@pytest.mark.parametrize("fmt", ["acled-csv", "json", "timelinejs", "ics"])
def test_an_export_holds_exactly_the_filtered_events(seeded, fmt):
    """What a download button sends for the view "Niger": the CLI's export of the same filter."""
    import csv
    import io

    from tracker import views
    from tracker.store import EventFilter, get_engine, session_scope

    with session_scope(get_engine(seeded)) as s:
        text, name, mime = views.export_file(s, EventFilter(countries=["NER"]), fmt, today=date(2023, 8, 5))
    assert name.endswith({"acled-csv": ".csv", "json": ".json", "timelinejs": ".json", "ics": ".ics"}[fmt])
    if fmt == "acled-csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert sorted(r["event_date"] for r in rows) == ["2023-07-26", "2023-08-01"]
        assert all("Niger" in r["country"] for r in rows)
        assert mime == "text/csv"
    elif fmt == "json":
        assert {e["title"] for e in json.loads(text)} == {"Presidential guard detains Bazoum", "Sanctions on Niger"}
    elif fmt == "timelinejs":
        titles = {e["text"]["headline"] for e in json.loads(text)["events"]}
        assert "ECOWAS summit in Abuja" not in titles and len(titles) == 2
    else:
        assert text.startswith("BEGIN:VCALENDAR") and mime == "text/calendar"


def test_every_input_has_a_label(seeded):
    at = app(*SECTIONS).run()
    widgets = [*at.text_input, *at.text_area, *at.multiselect, *at.selectbox, *at.date_input,
               *at.number_input, *at.checkbox, *at.radio]  # fmt: skip
    assert widgets
    for w in widgets:
        assert (w.label or "").strip(), w


def test_ingest_without_publication_date_asks_for_it(db_url):
    at = app("sec_ingest").run()
    at.text_area(key="ing_text").input("Soldiers detained the president on Wednesday in Niamey.").run()
    at.button(key="ing_extract").click().run()
    no_exception(at)
    assert any("publication date" in e.value for e in at.error)
    assert not [c for c in at.checkbox if c.key and c.key.startswith("ing_pick_")]
    assert count_events(db_url) == 0


def test_ingest_pasted_text_with_review(db_url):
    pytest.importorskip("tracker.events")
    text = (
        "NIAMEY, July 28 (Reuters) - Niger's presidential guard detained President Mohamed Bazoum on "
        "Wednesday, and the army declared a coup. ECOWAS on Sunday gave the junta one week to reinstate "
        "him or face possible military intervention."
    )
    at = app("sec_ingest").run()
    at.text_area(key="ing_text").input(text).run()
    pub = [d for d in at.date_input if d.key and d.key.startswith("ing_pub_")]
    assert len(pub) == 1
    pub[0].set_value(date(2023, 7, 28)).run()
    at.button(key="ing_extract").click().run()
    no_exception(at)
    picks = [c for c in at.checkbox if c.key and c.key.startswith("ing_pick_")]
    assert picks, [e.value for e in at.error]
    picks[0].uncheck()
    at.button(key="ing_save").click().run()
    no_exception(at)
    saved = count_events(db_url)
    assert 1 <= saved <= len(picks) - 1  # the unticked draft is not saved (merges may join others)
    assert not [c for c in at.checkbox if c.key and c.key.startswith("ing_pick_")]  # review cleared


def test_many_events_switch_to_counts(seeded, monkeypatch):
    from tracker import charts

    monkeypatch.setattr(charts, "DETAIL_LIMIT", 2)
    at = app().run()
    no_exception(at)
    tl = figure(at, "timeline")
    assert [t["type"] for t in tl["data"]] == ["heatmap"]
    assert tl["layout"]["meta"]["events"] == 4
    assert any("Too many events" in c.value for c in at.caption)
    mp = figure(at, "map")
    assert sum(1 for t in mp["data"] if (t.get("meta") or {}).get("kind") == "markers") >= 1
    assert table_titles(at) == []  # the first rows of many: in a section that runs once opened
    assert any(e.label == "Table of all 4 events" for e in at.expander)
    at.session_state["sec_table"] = True
    at.run()
    assert len(table_titles(at)) == 4
    at.multiselect(key="f_countries").select("MLI").run()  # one event left: drawn one by one again
    assert [t["type"] for t in figure(at, "timeline")["data"]] == ["scatter"]


def test_database_counts_match_the_events(store_url):  # noqa: F811
    from tracker import views
    from tracker.store import EventFilter, get_engine, session_scope

    seeded = seed_four(store_url)

    with session_scope(get_engine(seeded)) as s:
        unit, rows, coarse = views.timeline_counts(s, EventFilter())
        assert unit == "week" and coarse == 1  # the month-precise sanctions event
        assert sorted((lane, n) for lane, _, _, n in rows) == [("MLI", 1), ("NER", 1), ("NGA", 1)]
        unit, rows, coarse = views.timeline_counts(s, EventFilter(countries=["NER"]), lanes="actor")
        assert {lane for lane, *_ in rows} == {"Presidential Guard"}
        places = views.place_counts(s, EventFilter())
        assert sum(n for *_, n in places) == 4
        assert all(-18 <= lon <= 40 and 2 <= lat <= 27 for _, lon, lat, _, _ in places)


def test_dashboard_on_each_store(store_url, monkeypatch):  # noqa: F811
    """The page (aggregated and one by one) on SQLite and on PostgreSQL."""
    from tracker import charts

    seed_four(store_url)
    monkeypatch.setattr(charts, "DETAIL_LIMIT", 2)
    at = app().run()
    no_exception(at)
    assert [t["type"] for t in figure(at, "timeline")["data"]] == ["heatmap"]
    at.multiselect(key="f_countries").select("NER").run()
    no_exception(at)
    assert set(table_titles(at)) == {"Presidential guard detains Bazoum", "Sanctions on Niger"}


def test_read_only_store_shows_events_but_offers_no_writing(seeded, monkeypatch):
    monkeypatch.setenv("TRACKER_READ_ONLY", "1")
    at = app("sec_add", "sec_ingest").run()
    no_exception(at)
    assert "Presidential guard detains Bazoum" in table_titles(at)
    assert any("read-only" in i.value.replace("\\", "") for i in at.info)
    keys = {b.key for b in at.button}
    assert not keys & {"add_submit", "edit_btn", "delete_btn", "ing_save"}
    at.selectbox(key="sel_event").select(1).run()
    assert not {b.key for b in at.button} & {"edit_btn", "delete_btn"}
    assert any("read-only" in c.value.replace("\\", "") for c in at.caption)
    assert count_events(seeded) == 4
