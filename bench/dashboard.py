"""How long the dashboard takes to draw with many events, in headless Debian Chromium.

    .venv/bin/python bench/dashboard.py                 # 100,000 events, 3 page loads
    .venv/bin/python bench/dashboard.py --events 20000 --loads 5 --keep /tmp/bench.db

Synthetic events (Sahel countries, actors, types, mixed precisions, places near the country
centroids) are bulk-inserted into a temporary SQLite store through the store's own tables, then:

1. the dashboard's data path is timed piece by piece (facets, the first 1,000 rows, the counts
   behind the aggregated timeline and map, the figures), then one cold run of dashboard.py;
2. ``streamlit run dashboard.py`` is started against that store, and each page load is timed in
   a fresh Chromium page from navigation until the timeline's cells (or marks), the map's land
   and the map's markers are in the DOM — "first draw". Target: <= 3 s at 100k events. "Page
   idle" is also printed: until Streamlit's "Running…" status is gone too (script finished).
3. the same page over 20 events is timed too (the baseline: Streamlit and plotly.js booting in a
   fresh browser context, no HTTP cache), so the cost of the events themselves is visible;
4. every request the page made is checked to stay on 127.0.0.1.

Each load uses a new browser context (cold cache), as a first visit does; the first load after
the server starts is always the slowest (cold imports, empty caches; at 100k 3.6-3.7 s after,
4.6-4.8 s before), so it is the median that is quoted.

Measured 2026-11-25 09:27-09:31 UTC on the shared 2-CPU build machine (load average 1.5-2.8),
``--keep`` on one 100k store, ``--loads 5``, before (00cd6c7: dashboard as at 2c7b4e0) and after
(3f4beeb) run alternately, each in a copy of the tree:
  data path at 100k: facets 0.03 s, first 1,000 rows 0.07 s, timeline counts 0.29-0.32 s, map
  counts 0.13 s, figures 0.26-0.29 s; cold script run 1.2-1.3 s.
  First draw, median of 5 (two runs each):  100,000 events     20 events (baseline)
    before (00cd6c7)                         3.56, 3.61 s       3.12, 3.24 s
    after                                    2.82, 2.84 s       2.93, 3.01 s
  The default command (3 loads, fresh store; the cold first load is one of the three) after,
  three runs 09:33-09:35 (load 2.0-2.7): 100k 3.26, 2.94, 3.37 s; 20 events 3.03, 2.97, 3.05 s.
  So the target is met in the median but only just: not in every run on this machine.
  Page idle at 100k: 3.57-3.63 s before, 2.83-2.89 s after. With this script's earlier measure
  (which also waited for Streamlit idle plus wait_for_app's 0.3 s pause, one run each, load
  2.5-3.3): 3.98 s before, 3.51 s after at 100k. That earlier measure gave 4.93 s (100k) and
  4.34 s (20 events) at 09:04 on the same code as "before": figures on this machine move by up
  to a second between runs, so only runs made together compare.
  Where the time went before (Chromium trace of a warm load): HTML and Streamlit's bundle
  ~0.65 s; the first chart reached the browser ~1.0 s in and only then was plotly.js (Streamlit's
  4.7 MB PlotlyChart chunk) fetched; its evaluation (0.8-1.1 s of main thread, the largest single
  cost, fixed) waited behind ~0.6 s of React building the ~70 other elements (add and ingest
  forms, the 1,000-row table and its grid/Arrow chunks, ~1.3 MB, fetched alongside plotly.js);
  then the charts drew (~0.5 s, the map's topojson fetched only then).
  What changed: an empty placeholder chart is sent before any query (plotly.js starts loading
  ~0.3 s sooner), the add/ingest forms and, above DETAIL_LIMIT events, the table are lazy
  expanders that run only when opened, facets are cached per data version. At 20 events the
  table is still drawn at once (it is the whole list and a click target), hence the baseline
  is now the slower of the two.
  Drawing every event instead would start with the store's list_events over all 100k rows:
  11-24 s on its own (--full-list).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

COUNTRIES = ["NER", "MLI", "BFA", "TCD", "NGA", "MRT", "SEN", "SDN", "CMR", "DZA", "LBY", "BEN"]
ACTORS = [
    "ECOWAS", "CNSP", "JNIM", "ISGS", "Wagner Group", "Africa Corps", "France", "United States", "AES",
    "African Union", "UN", "Boko Haram", "ISWAP", "RSF", "SAF", "FAMa", "Mohamed Bazoum", "Assimi Goïta",
    "Ibrahim Traoré", "Abdourahamane Tchiani", "Bola Tinubu", "MINUSMA", "EU", "Russia", "Turkey",
    "Algeria", "Morocco", "Mahamat Déby", "Koglweogo", "VDP",
]  # fmt: skip
TYPES = ["attack", "attack", "attack", "statement", "diplomacy", "protest", "sanctions", "deployment",
         "arrest", "coup", "threat", "deadline", "aid", "agreement", "election", "other"]  # fmt: skip
PRECISIONS = ["day"] * 7 + ["week", "month", "month", "quarter", "year"]


def synth(n: int, url: str, seed: int = 7) -> None:
    """Bulk insert ``n`` events with their country and actor links (one transaction per 20k)."""
    from sqlalchemy import insert

    from tracker.charts import country_lonlat
    from tracker.models import Actor, Event, EventActor, EventCountry, utcnow
    from tracker.store import get_engine

    rng = random.Random(seed)
    engine = get_engine(url)
    start = date(2012, 1, 1)
    span = (date(2025, 12, 31) - start).days
    centre = {c: country_lonlat(c) or (0.0, 15.0) for c in COUNTRIES}
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(Actor.__table__), [{"name": a} for a in ACTORS])
        actor_id = {r.name: r.id for r in conn.execute(Actor.__table__.select())}
    batch = 20_000
    next_id = 1
    for lo in range(0, n, batch):
        events, links_c, links_a = [], [], []
        for _ in range(min(batch, n - lo)):
            eid = next_id
            next_id += 1
            d = start + timedelta(days=rng.randrange(span))
            prec = rng.choice(PRECISIONS)
            if prec == "month":
                d = d.replace(day=1)
            elif prec == "year":
                d = d.replace(month=1, day=1)
            elif prec == "quarter":
                d = d.replace(month=((d.month - 1) // 3) * 3 + 1, day=1)
            elif prec == "week":
                d = d - timedelta(days=d.weekday())
            cs = rng.sample(COUNTRIES, 1 if rng.random() < 0.8 else 2)
            lon, lat = centre[cs[0]]
            typ = rng.choice(TYPES)
            events.append({
                "id": eid, "title": f"Synthetic {typ} event {eid} in {cs[0]}", "event_type": typ, "date": d,
                "precision": prec, "resolution": "explicit", "future": False, "disputed": False,
                "place_name": f"Place {rng.randrange(400)}", "lat": lat + rng.uniform(-2, 2),
                "lon": lon + rng.uniform(-2, 2), "geo_precision": "place", "origin": "extracted",
                "edited": False, "date_text": d.strftime("%d %B %Y"), "created_at": now, "updated_at": now,
            })  # fmt: skip
            links_c += [{"event_id": eid, "country": c} for c in cs]
            links_a += [{"event_id": eid, "actor_id": actor_id[a]} for a in rng.sample(ACTORS, rng.randrange(0, 3))]
        with engine.begin() as conn:
            conn.execute(insert(Event.__table__), events)
            conn.execute(insert(EventCountry.__table__), links_c)
            if links_a:
                conn.execute(insert(EventActor.__table__), links_a)
    from tracker import rollup

    with engine.begin() as conn:  # the facet count table, as `tracker db recount` fills it after a bulk load
        rollup.rebuild(conn)


def time_python(url: str, full_list: bool) -> dict[str, float]:
    """The dashboard's own data path at this size, piece by piece (seconds)."""
    from tracker import charts, views
    from tracker.store import EventFilter, facets, get_engine, list_events, session_scope

    out: dict[str, float] = {}
    engine = get_engine(url)
    flt = EventFilter()

    def lap(name: str, t0: float) -> float:
        t1 = time.perf_counter()
        out[name] = t1 - t0
        return t1

    t = time.perf_counter()
    with session_scope(engine) as s:
        f = facets(s, flt)
        t = lap("facets", t)
        rows = list_events(s, flt, limit=1000)
        t = lap("list_events(limit=1000)", t)
        unit, trows, coarse = views.timeline_counts(s, flt)
        t = lap("timeline_counts", t)
        places = views.place_counts(s, flt)
        t = lap("place_counts", t)
    fig = charts.timeline_from_counts(trows, unit=unit, coarse=coarse)
    m = charts.map_from_counts(places, dict(f.countries))
    fig.to_json()
    m.to_json()
    t = lap("figures+json", t)
    views.events_table(rows)
    if full_list:  # what drawing every event would cost: the store's list_events over all of them
        with session_scope(engine) as s:
            everything = list_events(s, flt)
        t = lap("list_events(all)", t)
        charts.timeline_figure(everything, detail_limit=len(everything) + 1).to_json()
        lap("timeline_figure(all, one by one)", t)
    return out


def time_script(url: str) -> float:
    """One run of dashboard.py in-process (AppTest): the server's share of a page load."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    t = time.perf_counter()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=300).run()
    took = time.perf_counter() - t
    if at.exception:
        raise SystemExit(f"dashboard raised: {at.exception[0].message}")
    return took


IDLE_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')"""


def time_browser(url: str, loads: int, shots: Path | None) -> tuple[list[float], list[float], list[str]]:
    """(first draw, page idle) seconds per load, and the requests that left 127.0.0.1.

    First draw: from navigation until the timeline's cells or marks, the map's land and the map's
    markers are in the DOM (plotly.js has drawn both charts with their data). Page idle: until
    Streamlit's "Running…" status is gone as well, i.e. the script has finished and the rest of
    the page (table, sections) has arrived.
    """
    from browser_support import RequestLog, launch_chromium, need_chromium, run_dashboard, wait_for_app

    try:
        need_chromium()
    except BaseException as exc:  # pytest.skip outside pytest
        raise SystemExit(f"no browser: {exc}") from None
    times, idle, outside = [], [], []
    with run_dashboard(url, timeout=120) as base, launch_chromium() as browser:
        for i in range(loads):
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            log = RequestLog(page)
            t = time.perf_counter()
            page.goto(base)
            page.wait_for_selector(
                ".st-key-timeline .heatmaplayer image, .st-key-timeline .scatterlayer .trace", timeout=120_000
            )
            page.wait_for_selector(".st-key-map .geolayer .land path", timeout=120_000)
            page.wait_for_selector(".st-key-map .geolayer path.point", timeout=120_000)
            times.append(time.perf_counter() - t)
            page.wait_for_selector('[data-testid="stApp"]', timeout=120_000)
            page.wait_for_function(IDLE_JS, timeout=120_000)
            idle.append(time.perf_counter() - t)
            wait_for_app(page, timeout=120_000)  # settled (not timed) before the screenshot and the next load
            if shots and i == 0:
                page.screenshot(path=str(shots), full_page=False)
            outside += log.outside()
            page.close()
    return times, idle, outside


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="write the store here (kept) instead of a temp file")
    ap.add_argument("--screenshot", type=Path, default=REPO / "test-artifacts" / "bench-dashboard.png")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--full-list", action="store_true", help="also time list_events over every event")
    ap.add_argument("--no-baseline", dest="baseline", action="store_false",
                    help="skip the 20-event baseline page loads")  # fmt: skip
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.keep or Path(tmp.name) / "bench.db"
    url = f"sqlite:///{db}"
    t = time.perf_counter()
    if not (args.keep and db.exists()):
        synth(args.events, url)
    print(f"store: {db} ({args.events:,} events, built in {time.perf_counter() - t:.1f} s)")
    py = time_python(url, args.full_list)
    print("python side (s): " + ", ".join(f"{k} {v:.2f}" for k, v in py.items()))
    print(f"dashboard.py script run, cold (AppTest, s): {time_script(url):.2f}")
    if args.no_browser:
        return
    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    if args.baseline:
        # The same page over 20 events: what Streamlit + plotly.js cost on this machine anyway.
        small = Path(tmp.name) / "baseline.db"
        synth(20, f"sqlite:///{small}")
        base_times, base_idle, out = time_browser(f"sqlite:///{small}", args.loads, None)
        outside += out
        print("first draw in Chromium, 20 events (s): " + ", ".join(f"{x:.2f}" for x in base_times)
              + f"  median {statistics.median(base_times):.2f}; page idle: median "
              + f"{statistics.median(base_idle):.2f}")  # fmt: skip
    times, idle, out = time_browser(url, args.loads, args.screenshot)
    outside += out
    print(f"first draw in Chromium, {args.events:,} events (s): " + ", ".join(f"{x:.2f}" for x in times)
          + f"  median {statistics.median(times):.2f}  (target <= 3.0); page idle: median "
          + f"{statistics.median(idle):.2f}")  # fmt: skip
    print(f"requests outside 127.0.0.1: {len(outside)}" + (f" e.g. {outside[:3]}" if outside else ""))
    print(f"at {datetime.now():%Y-%m-%d %H:%M}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"screenshot {args.screenshot}")  # fmt: skip


if __name__ == "__main__":
    main()
