"""Figures (tracker.charts) and view helpers (tracker.views) as pure functions of EventView lists."""

from __future__ import annotations

import gzip
import json
from datetime import date

import plotly.graph_objects as go
import pytest

from tracker import charts, views
from tracker.models import EventView, SourceView

TODAY = date(2023, 8, 10)


def ev(id: int, title: str = "Event", *, d: date = date(2023, 7, 26), precision: str = "day",
       event_type: str = "coup", countries=("NER",), actors=(), **kw) -> EventView:  # fmt: skip
    return EventView(
        id=id, title=title, event_type=event_type, date=d, precision=precision, resolution="explicit",
        countries=list(countries), actors=list(actors), **kw,
    )  # fmt: skip


def by_kind(fig: go.Figure, kind: str) -> list:
    return [t for t in fig.data if (t.meta or {}).get("kind") == kind]


# --- timeline ---------------------------------------------------------------------------------


def test_lanes_one_per_country_and_multi_country_events_in_each():
    events = [
        ev(1, countries=["NER"]),
        ev(2, countries=["NGA", "NER"], event_type="sanctions"),
        ev(3, countries=[], event_type="statement"),
    ]
    fig = charts.timeline_figure(events, today=TODAY)
    lanes = set(fig.layout.yaxis.categoryarray)
    assert charts.NO_LANE in lanes
    assert len(lanes) == 3  # Niger, Nigeria, (none)
    ys = [y for t in fig.data for y in t.y]
    assert len(ys) == 4  # event 2 sits in two lanes
    assert fig.layout.yaxis.categoryarray[0] == charts.NO_LANE  # drawn last (bottom)


def test_lanes_by_actor():
    events = [ev(1, actors=["CNSP", "ECOWAS"]), ev(2, actors=["ECOWAS"]), ev(3)]
    fig = charts.timeline_figure(events, lanes="actor", today=TODAY)
    assert set(fig.layout.yaxis.categoryarray) == {"CNSP", "ECOWAS", charts.NO_LANE}
    assert fig.layout.meta["lanes"] == "actor"


def test_colour_by_type_with_one_legend_entry_per_type():
    events = [ev(1, event_type="coup"), ev(2, event_type="sanctions"), ev(3, event_type="coup")]
    fig = charts.timeline_figure(events, today=TODAY)
    points = by_kind(fig, "point")
    colours = {t.meta["event_type"]: t.marker.color for t in points}
    assert colours == {"coup": charts.TYPE_COLORS["coup"], "sanctions": charts.TYPE_COLORS["sanctions"]}
    assert len({t.name for t in fig.data if t.showlegend is not False}) == len(fig.data)


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        ("week", date(2023, 7, 31), date(2023, 8, 6)),
        ("month", date(2023, 8, 1), date(2023, 8, 31)),
        ("quarter", date(2023, 7, 1), date(2023, 9, 30)),
        ("year", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_coarse_precision_is_a_bar_over_its_whole_span(precision, start, end):
    fig = charts.timeline_figure([ev(1, d=start, precision=precision)], today=TODAY)
    assert not by_kind(fig, "point")
    (bar,) = by_kind(fig, "span")
    assert bar.type == "bar" and bar.orientation == "h"
    assert bar.base[0] == start.isoformat()  # starts at the period start, no invented midpoint
    days = bar.x[0] / 86_400_000
    assert days == (end - start).days + 1


def test_day_precision_is_a_point():
    fig = charts.timeline_figure([ev(1, precision="day")], today=TODAY)
    (pt,) = by_kind(fig, "point")
    assert pt.mode == "markers" and pt.x[0] == "2023-07-26"
    assert not by_kind(fig, "span")


def test_explicit_date_end_wins_over_precision():
    e = ev(1, d=date(2023, 7, 26), date_end=date(2023, 7, 28))
    assert charts.span(e) == (date(2023, 7, 26), date(2023, 7, 28))


def test_deadlines_distinct_with_days_left_or_lapsed():
    pending = ev(1, "Ultimatum", d=date(2023, 8, 20), event_type="deadline", status="pending", future=True)
    lapsed = ev(2, "ECOWAS deadline", d=date(2023, 8, 6), event_type="deadline", status="lapsed")
    fig = charts.timeline_figure([pending, lapsed], today=TODAY)
    dl = {t.meta["status"]: t for t in by_kind(fig, "deadline")}
    assert dl["pending"].text[0] == "10 days left"
    assert dl["lapsed"].text[0] == "lapsed"
    assert dl["pending"].marker.symbol != dl["lapsed"].marker.symbol
    assert not by_kind(fig, "point")


def test_initial_range_fits_the_finely_dated_events():
    events = [ev(1, d=date(2023, 7, 26)), ev(2, d=date(2023, 8, 6)), ev(3, d=date(2021, 1, 1), precision="year")]
    fig = charts.timeline_figure(events, today=date(2026, 1, 1))
    lo, hi = (date.fromisoformat(x) for x in fig.layout.xaxis.range)
    assert date(2023, 7, 1) < lo <= date(2023, 7, 26) and date(2023, 8, 6) <= hi < date(2023, 9, 1)
    only_coarse = charts.timeline_figure([ev(1, precision="year")], today=TODAY)
    assert only_coarse.layout.xaxis.range is None


def test_today_line():
    fig = charts.timeline_figure([ev(1)], today=TODAY)
    assert any(s.type == "line" and s.line.dash == "dash" for s in fig.layout.shapes)
    assert any(a.text == "today" for a in fig.layout.annotations)


def test_hover_has_date_as_written_resolution_and_outlet():
    e = ev(
        1, date_text="last Wednesday", rule="weekday-past", anchor="dct",
        sources=[SourceView(article_id=1, outlet="Reuters", title="Coup", published=date(2023, 7, 28),
                            sentence="s", start=0, end=1)],
    )  # fmt: skip
    fig = charts.timeline_figure([e], today=TODAY)
    hover = fig.data[0].hovertext[0]
    assert "last Wednesday" in hover and "weekday-past" in hover and "Reuters" in hover
    assert "anchor: dct" in hover


def test_hover_escapes_html_from_articles():
    nasty = "<script>alert(1)</script> & <a href='x'>"
    e = ev(1, nasty, date_text="<b>today</b>", place_name="<img src=x>",
           sources=[SourceView(article_id=1, outlet="<i>Out</i>", sentence="s", start=0, end=1)])  # fmt: skip
    for fig in (charts.timeline_figure([e], today=TODAY), charts.map_figure([e])):
        text = json.dumps([t.hovertext for t in fig.data if t.hovertext is not None])
        assert "<script>" not in text and "<img" not in text and "<i>" not in text and "<a href" not in text
        assert "&lt;script&gt;" in text
        assert "&amp;" in text or fig is not None


def test_many_events_become_a_heatmap_of_counts():
    events = [ev(i, d=date(2020, 1, 1 + i % 28), countries=["MLI" if i % 2 else "NER"]) for i in range(60)]
    fig = charts.timeline_figure(events, today=TODAY, detail_limit=50)
    (hm,) = fig.data
    assert hm.type == "heatmap" and hm.meta["unit"] == "week"
    assert set(hm.y) == {"Mali", "Niger"}
    assert sum(v for row in hm.z for v in row if v) == 60
    assert "counted per week" in fig.layout.title.text


def test_counts_from_the_database_give_the_same_figures():
    rows = [
        ("NER", "attack", date(2019, 3, 1), 5),
        ("NER", "coup", date(2019, 3, 1), 1),
        (None, "aid", date(2024, 1, 1), 2),
    ]
    fig = charts.timeline_from_counts(rows, unit="month", total=8, today=TODAY)
    (hm,) = fig.data
    assert set(hm.y) == {"Niger", charts.NO_LANE}
    assert len(hm.x) == 59  # every month from 2019-03 to 2024-01, gaps included
    assert "Attack / clash 5" in json.dumps(hm.text)  # commonest types per cell
    assert hm.hovertemplate.startswith("<b>%{y}</b><br>month of %{x|%Y-%m-%d}: %{z:,} events")
    assert fig.layout.meta["events"] == 8
    m = charts.map_from_counts(
        [("attack", 2.11, 13.51, "Niamey <b>", 5), ("coup", 2.2, 13.7, "Niamey", 1), ("aid", -4.0, 17.0, "MLI", 2)],
        {"NER": 6, "MLI": 2},
    )
    (markers,) = [t for t in m.data if (t.meta or {}).get("kind") == "markers" and t.meta["event_type"] == "attack"]
    assert len(markers.lon) == 1 and "6 events" in markers.hovertext[0] and "&lt;b&gt;" in markers.hovertext[0]


def test_empty_timeline_says_so():
    fig = charts.timeline_figure([], today=TODAY)
    assert any("No events" in (a.text or "") for a in fig.layout.annotations)


# --- map --------------------------------------------------------------------------------------


def test_map_covers_the_sahel():
    fig = charts.map_figure([ev(1)])
    lon, lat = fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range
    assert lon[0] <= -17 and lon[1] >= 38  # Dakar .. Khartoum/Port Sudan
    assert lat[0] <= 4 and lat[1] >= 25  # Gulf of Guinea .. southern Libya / Algeria
    assert fig.layout.geo.scope == "africa" and fig.layout.geo.resolution == 50
    assert fig.layout.geo.showcountries and fig.layout.geo.showland


def test_map_shapes_are_shipped_for_the_scope_used():
    fig = charts.map_figure([ev(1)])
    name = f"{fig.layout.geo.scope}_{int(fig.layout.geo.resolution)}m.json"
    path = charts.STATIC_DIR / name
    assert path.exists(), f"plotly.js will fetch {name}; ship it in static/topojson/"
    assert "countries" in json.loads(path.read_text())["objects"]


def test_config_points_at_local_topojson_only():
    cfg = charts.plotly_config()
    dumped = json.dumps(cfg)
    assert "https://" not in dumped and "http://" not in dumped and "cdn.plot.ly" not in dumped
    assert cfg["topojsonURL"] == "app/static/topojson/"
    fig = charts.map_figure([ev(1)])
    assert "cdn.plot.ly" not in fig.to_json()


def test_map_markers_at_place_or_country_centroid_sized_by_count_and_countries_shaded():
    events = [
        ev(1, place_name="Niamey", lat=13.51, lon=2.11),
        ev(2, place_name="Niamey", lat=13.51, lon=2.11),
        ev(3, countries=["MLI"]),
    ]
    fig = charts.map_figure(events)
    (markers,) = by_kind(fig, "markers")
    pts = dict(zip(zip(markers.lon, markers.lat, strict=True), markers.marker.size, strict=True))
    assert pts[(2.11, 13.51)] > min(pts.values())  # two events there: bigger marker
    mali = charts.country_lonlat("MLI")
    assert mali and (round(mali[0], 2), round(mali[1], 2)) in pts
    (choro,) = by_kind(fig, "choropleth")
    assert dict(zip(choro.locations, choro.z, strict=True)) == {"NER": 2, "MLI": 1}
    (labels,) = by_kind(fig, "labels")
    assert labels.mode == "text" and len(labels.text) > 5


def test_country_centroids_fall_in_the_sahel():
    for iso in ("NER", "MLI", "BFA", "TCD", "MRT", "SDN"):
        lon, lat = charts.country_lonlat(iso)
        assert -18 <= lon <= 40 and 2 <= lat <= 27, iso


# --- view helpers -----------------------------------------------------------------------------


def test_view_state_round_trips_through_the_url():
    v = views.ViewState(
        countries=["NER", "MLI"], actors=["ECOWAS"], types=["coup"], since=date(2023, 7, 1),
        until=date(2023, 9, 1), text="junta", article_id=3, include_future=False, lanes="actor", event_id=7,
    )  # fmt: skip
    assert views.state_from_query(v.to_query()) == v
    assert views.ViewState().to_query() == {}


def test_bad_url_values_fall_back_to_defaults():
    v = views.state_from_query({"since": "yesterday", "article": "x", "lanes": "<b>", "future": "0",
                                "country": "ner,mli"})  # fmt: skip
    assert v.since is None and v.article_id is None and v.lanes == "country"
    assert v.include_future is False and v.countries == ["NER", "MLI"]


def test_highlight_escapes_and_marks():
    s = "On <b>26 July</b> troops moved"
    out = views.highlight(s, 3, 17)
    assert out == "On <mark>&lt;b&gt;26 July&lt;/b&gt;</mark> troops moved"
    assert views.highlight("<script>x</script>", None, None) == "&lt;script&gt;x&lt;/script&gt;"
    assert views.source_offsets("It began on 26 July.", "26 July", 500, 507) == (12, 19)


def test_form_errors_name_the_field():
    from pydantic import ValidationError

    from tracker.models import EventIn

    with pytest.raises(ValidationError) as info:
        EventIn(title="  ", date=date(2023, 7, 26), source_url="ftp://x")
    errs = views.form_errors(info.value)
    assert set(errs) == {"title", "source_url"}
    with pytest.raises(ValidationError) as info:
        EventIn(title="x", date=date(2023, 7, 26), date_end=date(2023, 7, 1))
    assert "date_end" in views.form_errors(info.value)


def test_markdown_escaping_defuses_links_latex_and_directives():
    out = views.md("[click](javascript:alert(1)) $x$ :red[hot] <b>*bold*</b>")
    for bad in ("[click](", "$x$", ":red[", "<b>", "*bold*"):
        assert bad not in out
    assert views.md(None) == ""


def test_aggregated_timeline_leaves_out_coarser_events_instead_of_piling_them_on_day_one():
    events = [ev(i, d=date(2020, 1, 6 + i % 20)) for i in range(10)] + [ev(99, d=date(2020, 1, 1), precision="year")]
    fig = charts.timeline_figure(events, today=TODAY, detail_limit=5)
    (hm,) = fig.data
    assert sum(v for row in hm.z for v in row if v) == 10
    assert "1 dated only to a coarser period" in fig.layout.title.text


def test_lane_labels_are_escaped_too():
    e = ev(1, actors=["<a href='https://evil.example'>Junta</a>"])
    for fig in (
        charts.timeline_figure([e], lanes="actor", today=TODAY),
        charts.timeline_figure([e, ev(2, actors=["x"])], lanes="actor", today=TODAY, detail_limit=1),
        charts.timeline_from_counts([("<b>X</b>", "coup", date(2023, 7, 1), 3)], lanes="actor", unit="month"),
    ):
        dumped = json.dumps([list(t.y) for t in fig.data] + [list(fig.layout.yaxis.categoryarray)])
        assert "<a " not in dumped and "<b>" not in dumped
        assert "&lt;" in dumped
        hover = json.dumps([t.hovertext for t in fig.data])
        assert "&amp;lt;" not in hover  # escaped once, not twice


def test_many_deadline_labels_move_to_the_hover():
    few = [ev(i, d=date(2023, 8, 1 + i), event_type="deadline", status="lapsed") for i in range(3)]
    many = [ev(i, d=date(2023, 1, 1) + (date(2023, 1, 2) - date(2023, 1, 1)) * i, event_type="deadline",
               status="lapsed") for i in range(charts.DEADLINE_LABELS + 1)]  # fmt: skip
    assert charts.timeline_figure(few, today=TODAY).data[0].mode == "markers+text"
    fig = charts.timeline_figure(many, today=TODAY)
    assert fig.data[0].mode == "markers" and "lapsed" in fig.data[0].hovertext[0]


def test_boot_script_loads_the_plotly_build_and_the_shapes_from_this_server_only():
    page = charts.boot_html("st-key-boot")
    assert 'window.__sahelGunzip("app/static/topojson/africa_50m.json.gz")' in page  # this server, relative
    plain = charts.STATIC_DIR / f"{charts.TOPOJSON_NAME}.json"
    assert gzip.decompress((charts.STATIC_DIR / f"{charts.TOPOJSON_NAME}.json.gz").read_bytes()) == plain.read_bytes()
    assert "PlotlyGeoAssets" in page and '"africa_50m"' in page  # where plotly.js looks before fetching
    assert '"app/static/plotly/plotly-sahel.min.js.gz"' in page and "window.__sahelPlotly()" in page
    assert "DecompressionStream('gzip')" in page  # served as it is (application/gzip), unpacked here
    assert "http" not in page and "cdn.plot.ly" not in page
    assert page.startswith("<style>.st-key-boot{display:none}</style><script>")


def test_the_plotly_build_is_shipped_and_has_every_trace_type_the_figures_use():
    bundle = charts.STATIC_DIR.parent / "plotly" / "plotly-sahel.min.js.gz"
    assert charts.PLOTLY_BUNDLE_URL == "app/static/plotly/plotly-sahel.min.js.gz" and bundle.exists()
    head = gzip.decompress(bundle.read_bytes()).decode("utf-8")
    assert f"var {charts.PLOTLY_GLOBAL}=" in head[:200]  # the global the loader waits for
    figs = [
        charts.timeline_figure([ev(1), ev(2, precision="month"), ev(3, event_type="deadline", status="pending")]),
        charts.timeline_figure([ev(i) for i in range(5)], detail_limit=2),
        charts.map_figure([ev(1)]),
    ]
    used = {t.type for f in figs for t in f.data}
    assert used <= {"scatter", "bar", "heatmap", "scattergeo", "choropleth"}, used
    for name in ("scattergeo", "choropleth", "heatmap", "bar"):
        assert f'name:"{name}"' in head, name


def test_chart_element_draws_the_spec_and_sends_clicks_back():
    js = charts.PLOT_COMPONENT_JS
    assert "export default function" in js and "Plotly.react(gd" in js
    assert 'gd.on("plotly_click"' in js and 'gd.__trigger("click"' in js
    assert "window.__sahelPlotly()" in js and "http" not in js


def test_clicked_point_to_event_id():
    from tracker.views import clicked_event_id

    assert clicked_event_id({"customdata": 7}) == 7
    assert clicked_event_id({"customdata": [12, 13]}) == 12  # a map marker: its events, first one opened
    assert clicked_event_id({"customdata": []}) is None  # an aggregated cell: no single event
    assert clicked_event_id({"customdata": None}) is None and clicked_event_id(None) is None
    assert clicked_event_id({"customdata": True}) is None and clicked_event_id({"customdata": "7"}) is None
