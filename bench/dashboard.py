"""How long the dashboard takes to draw with many events, in headless Debian Chromium.

    .venv/bin/python bench/dashboard.py                 # 100,000 events, 3 page loads
    .venv/bin/python bench/dashboard.py --events 20000 --loads 5 --keep /tmp/bench.db

Synthetic events (Sahel countries, actors, types, mixed precisions, places near the country
centroids) are bulk-inserted into a temporary SQLite store through the store's own tables, then:

1. the dashboard's data path is timed piece by piece (facets, the first 1,000 rows, the counts
   behind the aggregated timeline and map, the figures), then one cold run of dashboard.py;
2. ``streamlit run dashboard.py`` is started against that store, and each page load is timed in
   a fresh Chromium page from navigation until the timeline and the map have drawn (plot
   elements present and Streamlit idle) — "first draw". Target: <= 3 s at 100k events.
3. the same page over 20 events is timed too (the baseline: Streamlit and plotly.js booting in a
   fresh browser context, no HTTP cache), so the cost of the events themselves is visible;
4. every request the page made is checked to stay on 127.0.0.1.

Each load uses a new browser context (cold cache), as a first visit does.

Measured 2026-11-25 on the shared 2-CPU build machine (load average 4-6 from other jobs):
  data path at 100k: facets 0.03-0.07 s, first 1,000 rows 0.16-0.18 s, timeline counts
  0.29-0.43 s, map counts 0.14-0.17 s, figures 0.27-0.33 s; cold script run 1.5-2.5 s.
  First draw, median of 3: 100,000 events 5.0-6.9 s, the same page over 20 events 5.6-6.8 s,
  a bare one-chart Streamlit page ~3 s. So the 3 s target is not met on this machine, but the
  event count is no longer what costs: 100k events draw as fast as 20.
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


def time_browser(url: str, loads: int, shots: Path | None) -> tuple[list[float], list[str]]:
    from browser_support import RequestLog, launch_chromium, need_chromium, run_dashboard, wait_for_app

    try:
        need_chromium()
    except BaseException as exc:  # pytest.skip outside pytest
        raise SystemExit(f"no browser: {exc}") from None
    times, outside = [], []
    with run_dashboard(url, timeout=120) as base, launch_chromium() as browser:
        for i in range(loads):
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            log = RequestLog(page)
            t = time.perf_counter()
            page.goto(base)
            page.wait_for_selector(".st-key-timeline .main-svg", timeout=120_000)
            page.wait_for_selector(".st-key-map .geolayer path.point", timeout=120_000)
            page.wait_for_selector(
                ".st-key-timeline .heatmaplayer image, .st-key-timeline .scatterlayer .trace", timeout=120_000
            )
            wait_for_app(page, timeout=120_000)
            times.append(time.perf_counter() - t)
            if shots and i == 0:
                page.screenshot(path=str(shots), full_page=False)
            outside += log.outside()
            page.close()
    return times, outside


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
        base_times, out = time_browser(f"sqlite:///{small}", args.loads, None)
        outside += out
        print("first draw in Chromium, 20 events (s): " + ", ".join(f"{x:.2f}" for x in base_times)
              + f"  median {statistics.median(base_times):.2f}")  # fmt: skip
    times, out = time_browser(url, args.loads, args.screenshot)
    outside += out
    print(f"first draw in Chromium, {args.events:,} events (s): " + ", ".join(f"{x:.2f}" for x in times)
          + f"  median {statistics.median(times):.2f}  (target <= 3.0)")  # fmt: skip
    print(f"requests outside 127.0.0.1: {len(outside)}" + (f" e.g. {outside[:3]}" if outside else ""))
    print(f"at {datetime.now():%Y-%m-%d %H:%M}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"screenshot {args.screenshot}")  # fmt: skip


if __name__ == "__main__":
    main()
