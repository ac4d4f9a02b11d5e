"""Latency of the dashboard's queries at 10k, 100k and 1M events, on SQLite and PostgreSQL.

    .venv/bin/python bench/query.py [--sizes 10000,100000,1000000] [--engines sqlite,postgresql]
                                    [--repeat 30] [--limit 200] [--pg-url URL]

Why synthetic data and bulk loading: the question is whether the *queries* hold up as a team's store
grows, so the generator writes realistic shapes (skewed countries, actors and types; ~1.4 countries
and ~1.2 actors per event, one source each, 1 article per 5 events) with executemany / COPY in one
transaction rather than through the ORM, which would take hours at 1M; the facet count table is then
filled as ``tracker db recount`` does (its time is printed too).

What is measured is what the dashboard issues: ``list_events`` with each filter and a page limit
(``--limit``; the table shows a page, and an unbounded list of 1M rows is not a query, it is an
export), ``list_events`` with sources for a small page, and ``facets`` (counts per country / actor /
type, each under the other filters, and the total) for the same filters plus date ranges that cut
months, several countries and several actors at once, and free text. Each query runs ``--repeat`` times after
one warm-up; p50/p95 in ms.
Target (issue 6): p95 <= 50 ms at 1M events. Without ``--pg-url`` a throwaway PostgreSQL cluster is
started the way the tests do it (tests/pg_support.py), if the binaries are installed.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

COUNTRIES = ["MLI", "NER", "BFA", "TCD", "NGA", "MRT", "SEN", "DZA", "LBY", "CMR", "BEN", "TGO", "GHA", "CIV"]
COUNTRY_W = [30, 28, 25, 10, 12, 3, 3, 4, 3, 4, 3, 2, 2, 2]
TYPES = ["attack", "statement", "diplomacy", "coup", "threat", "deadline", "sanctions", "aid", "protest",
         "election", "agreement", "deployment", "arrest", "other"]
TYPE_W = [35, 15, 12, 1, 4, 2, 3, 3, 6, 2, 3, 6, 4, 4]
N_ACTORS = 300
START = date(2000, 1, 1)
SPAN_DAYS = (date(2026, 12, 31) - START).days


def _rows(n: int, seed: int = 6) -> Iterator[tuple[str, tuple]]:
    """(table, row) in parent-before-child order; deterministic for a given ``n`` and ``seed``."""
    rng = random.Random(seed)
    for i in range(1, N_ACTORS + 1):
        yield "actor", (i, f"Actor {i:03d}", "armed_group" if i % 3 else "state", rng.choice(COUNTRIES))
    n_articles = max(1, n // 5)
    for i in range(1, n_articles + 1):
        d = START + timedelta(days=rng.randrange(SPAN_DAYS))
        yield "article", (i, f"{i:064x}", f"Article {i}", f"https://example.org/{i}", "Desk", d.isoformat(),
                          "given", "en", f"Synthetic article {i}.", "2026-01-01 00:00:00.000000")
    actor_w = [1 / (k + 1) for k in range(N_ACTORS)]  # Zipf-like: a few actors are everywhere
    for i in range(1, n + 1):
        d = START + timedelta(days=rng.randrange(SPAN_DAYS))
        etype = rng.choices(TYPES, TYPE_W)[0]
        future = int(rng.random() < 0.03)
        art = rng.randrange(1, n_articles + 1)
        yield "event", (i, f"Event {i} {etype}", etype, d.isoformat(), "day", "explicit", future, 0,
                        "Somewhere", 13.5, 2.1, "place", "extracted", 0, f"Sentence {i}.", 0, 10, art,
                        "2026-01-01 00:00:00.000000", "2026-01-01 00:00:00.000000")
        cs = {rng.choices(COUNTRIES, COUNTRY_W)[0] for _ in range(1 + (rng.random() < 0.4))}
        for c in cs:
            yield "eventcountry", (i, c, d.isoformat())
        for a in {rng.choices(range(1, N_ACTORS + 1), actor_w)[0] for _ in range(rng.choice((0, 1, 1, 2, 2)))}:
            yield "eventactor", (i, a)
        yield "eventsource", (i, i, art, f"Sentence {i}.", 0, 10, d.isoformat(), "day")


COLUMNS = {
    "actor": ("id", "name", "kind", "country"),
    "article": ("id", "content_hash", "title", "url", "outlet", "published", "published_source", "lang", "text",
                "ingested_at"),
    "event": ("id", "title", "event_type", "date", "precision", "resolution", "future", "disputed", "place_name",
              "lat", "lon", "geo_precision", "origin", "edited", "sentence", "start", "end", "article_id",
              "created_at", "updated_at"),
    "eventcountry": ("event_id", "country", "date"),
    "eventactor": ("event_id", "actor_id"),
    "eventsource": ("id", "event_id", "article_id", "sentence", "start", "end", "date", "precision"),
}


def load_sqlite(url: str, n: int) -> None:
    """executemany in batches inside one transaction: ~10 s per million events on a laptop."""
    import sqlite3

    from tracker.store import get_engine

    get_engine(url).dispose()  # schema + stamp
    con = sqlite3.connect(url.split("///", 1)[1])
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    sql = {t: f'INSERT INTO {t} ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
              f'VALUES ({", ".join("?" * len(cols))})' for t, cols in COLUMNS.items()}
    batches: dict[str, list[tuple]] = {t: [] for t in COLUMNS}
    with con:
        for table, row in _rows(n):
            b = batches[table]
            b.append(row)
            if len(b) >= 50_000:
                _flush_sqlite(con, sql, batches)
        _flush_sqlite(con, sql, batches)
    con.execute("ANALYZE")
    con.close()


def _flush_sqlite(con, sql: dict[str, str], batches: dict[str, list[tuple]]) -> None:  # type: ignore[no-untyped-def]
    for t in COLUMNS:  # parents first, foreign keys stay satisfied
        if batches[t]:
            con.executemany(sql[t], batches[t])
            batches[t].clear()


def _copy_text(value: object) -> str:
    """A value in COPY's text format (the synthetic data has no tabs, newlines or backslashes)."""
    if value is None:
        return "\\N"
    return str(value)


def load_postgres(url: str, n: int) -> None:
    """One pass of the generator into per-table COPY files, then one COPY per table."""
    import psycopg

    from tracker.store import get_engine

    get_engine(url).dispose()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    bools = {6, 7, 13}  # future, disputed, edited: 0/1 in the generator, booleans in PostgreSQL
    with tempfile.TemporaryDirectory(prefix="bench-copy-") as tmp:
        files = {t: open(Path(tmp) / f"{t}.tsv", "w", encoding="utf-8") for t in COLUMNS}  # noqa: SIM115
        for table, row in _rows(n):
            if table == "event":
                row = tuple(("t" if v else "f") if k in bools else v for k, v in enumerate(row))
            files[table].write("\t".join(_copy_text(v) for v in row) + "\n")
        for fh in files.values():
            fh.close()
        with psycopg.connect(dsn) as conn:
            for table, cols in COLUMNS.items():
                collist = ", ".join(f'"{c}"' for c in cols)
                with conn.cursor().copy(f"COPY {table} ({collist}) FROM STDIN") as cp, \
                        open(Path(tmp) / f"{table}.tsv", "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        cp.write(chunk)
            for table in ("actor", "article", "event", "eventsource"):
                conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")


def recount(url: str) -> int:
    """Fill the facet count table from the bulk-loaded events (``tracker db recount``), then ANALYZE."""
    from sqlalchemy import create_engine, text

    from tracker import rollup

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            rollup.fill_facet_keys(conn)
            cells = rollup.rebuild(conn)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    return cells


def queries(limit: int) -> list[tuple[str, Callable]]:  # type: ignore[type-arg]
    from tracker.store import EventFilter, facets, list_events

    year = EventFilter(since=date(2023, 1, 1), until=date(2023, 12, 31))
    mali = EventFilter(countries=["MLI"])
    rare = EventFilter(countries=["GHA"])
    actor = EventFilter(actors=["Actor 001"])
    rare_actor = EventFilter(actors=["Actor 250"])
    attack = EventFilter(types=["attack"])
    combo = EventFilter(countries=["NER"], types=["attack"], since=date(2023, 7, 1), until=date(2023, 12, 31))
    month = EventFilter(since=date(2023, 7, 1), until=date(2023, 7, 31))
    edges = EventFilter(since=date(2022, 3, 15), until=date(2023, 9, 14))
    three = EventFilter(countries=["NER", "MLI", "BFA"])
    two_actors = EventFilter(actors=["Actor 001", "Actor 002"])
    words = EventFilter(text="event 12")  # in ~1 % of the titles ("Event 12", "Event 120..." ...)
    rare_words = EventFilter(text="sentence 99999")  # in 11 sentences at 1M events
    return [
        ("list: no filter", lambda s: list_events(s, limit=limit)),
        ("list: country MLI", lambda s: list_events(s, mali, limit=limit)),
        ("list: country GHA (rare)", lambda s: list_events(s, rare, limit=limit)),
        ("list: actor (frequent)", lambda s: list_events(s, actor, limit=limit)),
        ("list: actor (rare)", lambda s: list_events(s, rare_actor, limit=limit)),
        ("list: type attack", lambda s: list_events(s, attack, limit=limit)),
        ("list: one year", lambda s: list_events(s, year, limit=limit)),
        ("list: NER+attack+6 months", lambda s: list_events(s, combo, limit=limit)),
        ("list: one month, with sources", lambda s: list_events(s, month, limit=100, with_sources=True)),
        ("list: free text (frequent)", lambda s: list_events(s, words, limit=limit)),
        ("list: free text (rare)", lambda s: list_events(s, rare_words, limit=limit)),
        ("facets: no filter", lambda s: facets(s)),
        ("facets: country MLI", lambda s: facets(s, mali)),
        ("facets: one year", lambda s: facets(s, year)),
        ("facets: NER+attack+6 months", lambda s: facets(s, combo)),
        ("facets: actor (frequent)", lambda s: facets(s, actor)),
        ("facets: mid-month to mid-month", lambda s: facets(s, edges)),
        ("facets: three countries", lambda s: facets(s, three)),
        ("facets: two actors", lambda s: facets(s, two_actors)),
        ("facets: free text (frequent)", lambda s: facets(s, words)),
    ]


def measure(url: str, repeat: int, limit: int) -> list[tuple[str, float, float, int]]:
    from tracker.store import _engine_for, get_engine, session_scope

    _engine_for.cache_clear()
    engine = get_engine(url)
    out = []
    for name, q in queries(limit):
        times = []
        with session_scope(engine) as s:
            res = q(s)
            size = len(res) if isinstance(res, list) else len(res.countries)
            for _ in range(repeat):
                t0 = time.perf_counter()
                q(s)
                times.append((time.perf_counter() - t0) * 1000)
                s.expunge_all()
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        out.append((name, statistics.median(times), p95, size))
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL"),
                    help="a PostgreSQL server URL (database name is replaced per size)")
    ap.add_argument("--keep", type=Path, default=None,
                    help="keep the generated stores here (SQLite files; PostgreSQL databases are kept too) and "
                         "reuse them on the next run instead of generating again")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    server = None
    results: dict[tuple[str, int], list[tuple[str, float, float, int]]] = {}
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-query-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        if "postgresql" in engines and not args.pg_url:
            from pg_support import start_server

            server, why = start_server()
            if server is None:
                print(f"PostgreSQL skipped: {why}", file=sys.stderr)
                engines.remove("postgresql")
        for engine_name in engines:
            for n in sizes:
                if engine_name == "sqlite":
                    url = f"sqlite:///{tmp / f'bench_{n}.db'}"
                    loader = load_sqlite
                else:
                    base = server.url() if server is not None else args.pg_url
                    url = base.rsplit("/", 1)[0] + f"/bench_{n}"
                    loader = load_postgres
                if args.keep and _has_events(url, n):
                    print(f"{engine_name} {n:>9,} events reused from {args.keep}", file=sys.stderr, flush=True)
                else:
                    _fresh(url)
                    t0 = time.perf_counter()
                    loader(url, n)
                    load_s = time.perf_counter() - t0
                    t0 = time.perf_counter()
                    cells = recount(url)
                    print(f"{engine_name} {n:>9,} events loaded in {load_s:6.1f} s, {cells:,} facet cells counted "
                          f"in {time.perf_counter() - t0:5.1f} s", file=sys.stderr, flush=True)
                results[(engine_name, n)] = measure(url, args.repeat, args.limit)
                if engine_name == "sqlite" and not args.keep:
                    for f in tmp.glob(f"bench_{n}.db*"):
                        f.unlink()
    finally:
        if server is not None:
            from pg_support import stop_server

            stop_server(server)
    print(report(results))


def _has_events(url: str, n: int) -> bool:
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite") and not Path(url.split("///", 1)[1]).exists():
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM event")).scalar_one() == n
    except Exception:
        return False
    finally:
        engine.dispose()


def _fresh(url: str) -> None:
    """An empty database at ``url`` (a removed SQLite file, a re-created PostgreSQL database)."""
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite"):
        for f in Path(url.split("///", 1)[1]).parent.glob(Path(url).name + "*"):
            f.unlink()
        return
    base, db = url.rsplit("/", 1)
    engine = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    engine.dispose()


def report(results: dict[tuple[str, int], list[tuple[str, float, float, int]]]) -> str:
    buf = io.StringIO()
    keys = list(results)
    names = [r[0] for r in next(iter(results.values()))] if results else []
    head = f"{'query (p50 / p95 ms)':<32}" + "".join(f"{e[:6] + ' ' + _short(n):>18}" for e, n in keys)
    buf.write(head + "\n" + "-" * len(head) + "\n")
    worst: dict[tuple[str, int], float] = {}
    for i, name in enumerate(names):
        cells = []
        for k in keys:
            _, p50, p95, _size = results[k][i]
            worst[k] = max(worst.get(k, 0.0), p95)
            cells.append(f"{p50:7.1f} / {p95:6.1f}{'*' if p95 > 50 else ' '}")
        buf.write(f"{name:<32}" + "".join(f"{c:>18}" for c in cells) + "\n")
    buf.write(f"{'worst p95':<32}" + "".join(f"{worst[k]:>17.1f} " for k in keys) + "\n")
    buf.write("* = p95 above the 50 ms target\n")
    return buf.getvalue()


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


if __name__ == "__main__":
    main()
