"""Engines, sessions and every query the CLI and the dashboard run.

Nothing happens at import time: engines are made by :func:`get_engine` from an explicit URL or
``DATABASE_URL``, so tests point each run at a fresh database. One article's ingest is one
transaction (:func:`save_article`), and every change to an event leaves an audit row.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import (
    Engine,
    Table,
    and_,
    bindparam,
    case,
    event,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, create_engine, select

from tracker import rollup, textsearch
from tracker.models import (
    Actor,
    Article,
    ArticleView,
    Change,
    Event,
    EventActor,
    EventCountry,
    EventIn,
    EventSource,
    EventView,
    FacetCount,
    SourceView,
    utcnow,
)
from tracker.types import Document, EventDraft, PlaceRef

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO_ROOT / "data" / "tracker.db"
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5}


class StoreError(Exception):
    """A store operation that cannot be done (unknown event, read-only store, ...)."""


def database_url() -> str:
    """The store to use: ``DATABASE_URL`` when a team shares one, else the SQLite file in data/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{DEFAULT_DB}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets the dashboard read while an ingest writes; the busy timeout makes writers queue."""
    # SQLAlchemy's recipe for pysqlite: stop the driver from issuing BEGIN on its own (it does so
    # lazily and around SAVEPOINTs wrongly, so a failed savepoint killed the whole transaction);
    # _sqlite_begin emits it instead.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    if read_only():
        cur.execute("PRAGMA query_only=ON")
    cur.close()


def busy_timeout_ms() -> int:
    """How long a writer waits for another one (TRACKER_BUSY_TIMEOUT_MS, default 30 s) before
    reporting the store busy; tests and scripts that would rather fail fast lower it."""
    try:
        return max(0, int(os.environ.get("TRACKER_BUSY_TIMEOUT_MS", "30000")))
    except ValueError:
        return 30000


def read_only() -> bool:
    """TRACKER_READ_ONLY=1: a store for looking only (a shared copy, a demo); writes raise StoreError."""
    return os.environ.get("TRACKER_READ_ONLY", "").strip().lower() in {"1", "true", "yes", "on"}


def _check_writable() -> None:
    if read_only():
        raise StoreError("the store is read-only (TRACKER_READ_ONLY is set); nothing was changed")


def _writing(session: Session) -> None:
    """Called first by every function that writes: refuse on a read-only store, and on SQLite start
    the transaction with BEGIN IMMEDIATE (take the write lock now, waiting up to the busy timeout).

    A deferred transaction that reads and then writes fails at once with "database is locked" in WAL
    mode whenever another process committed in between (its snapshot is stale), which is exactly what
    two concurrent ingests do; taking the lock first makes writers queue instead.
    """
    _check_writable()
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_write": True})


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    """We emit BEGIN ourselves (pysqlite's own handling breaks SAVEPOINTs, see _sqlite_pragmas)."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sqlite_write") else "BEGIN")


def _pg_read_only(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    if read_only():
        with dbapi_conn.cursor() as cur:
            cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_conn.commit()


@lru_cache(maxsize=16)
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms() / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        if url.startswith("postgresql"):
            event.listen(engine, "connect", _pg_read_only)
    init_db(engine)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default :func:`database_url`), made once per URL, tables ensured."""
    return _engine_for(url or database_url())


def init_db(engine: Engine) -> None:
    """Create a fresh store stamped with the newest Alembic revision, or check that an existing one
    is at it (else :class:`tracker.admin.SchemaError`: run ``tracker db upgrade``)."""
    from tracker.admin import ensure_schema

    ensure_schema(engine)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work: commit when the block succeeds, roll everything back when it raises."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# --- reading ---------------------------------------------------------------------------------


@dataclass
class EventFilter:
    """What the analyst asked to see; the same filter drives table, timeline, map and exports."""

    countries: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    text: str | None = None
    article_id: int | None = None
    include_future: bool = True


@dataclass
class Facets:
    """Counts per value of each filter, each under the other filters (see :func:`facets`)."""

    countries: list[tuple[str, int]]
    actors: list[tuple[str, int]]
    types: list[tuple[str, int]]
    total: int = 0


def _date_terms(f: EventFilter) -> list:  # type: ignore[type-arg]
    """The date filter as disjoint OR-terms, each one index range.

    An event overlaps [since, until] when it starts by ``until`` and ends (date_end, else date) on or
    after ``since``: either it starts inside the range, or it started before and its end reaches in.
    Written this way rather than ``COALESCE(date_end, date) >= since``, which no index can serve.
    """
    # The second term must be found through the date_end index. ``date < since`` is spelled
    # ``COALESCE(date, date) < since`` so that no planner is tempted to scan the date index over
    # everything before ``since`` instead (SQLite does, once ANALYZE has seen that date_end is mostly NULL).
    started_before = func.coalesce(Event.date, Event.date) < f.since if f.since else None
    if f.since and f.until:
        if f.since > f.until:
            return [false()]
        return [
            and_(col(Event.date) >= f.since, col(Event.date) <= f.until),
            and_(col(Event.date_end) >= f.since, started_before),
        ]
    if f.since:
        return [col(Event.date) >= f.since, and_(col(Event.date_end) >= f.since, started_before)]
    if f.until:
        return [col(Event.date) <= f.until]
    return []


def _conditions(filters: EventFilter | None, *, with_dates: bool = True, walk: bool = False,  # type: ignore[type-arg]
                actor_ids: list[int] | None = None) -> list:
    """WHERE clauses for ``filters``, written so an index can answer each one (see bench/query.py).

    They go straight onto ``SELECT ... FROM event`` (not ``id IN (SELECT id FROM event ...)``), so
    the database can walk the date index in order and stop at the page limit. Countries and actors
    are sub-selects on their link tables, never giant literal IN-lists: ``IN`` (collect the matching
    ids, then sort them) by default, or with ``walk`` a correlated ``EXISTS`` (walk events in date
    order, probe each one's links, stop at the page limit), which is what a frequent value needs.
    """
    f = filters or EventFilter()
    conds: list = []  # type: ignore[type-arg]
    # Actor ids resolved beforehand (``actor_ids``) give the planner real statistics to work with; a
    # sub-select by name leaves it guessing an average actor (PostgreSQL then picks a hash join for
    # an actor in a fifth of all events).
    actors = actor_ids if actor_ids is not None else select(Actor.id).where(col(Actor.name).in_(f.actors))
    if f.countries and walk:
        conds.append(
            exists().where(col(EventCountry.event_id) == col(Event.id), col(EventCountry.country).in_(f.countries))
        )
    elif f.countries:
        conds.append(col(Event.id).in_(select(EventCountry.event_id).where(col(EventCountry.country).in_(f.countries))))
    if f.actors and walk:
        conds.append(exists().where(col(EventActor.event_id) == col(Event.id), col(EventActor.actor_id).in_(actors)))
    elif f.actors:
        conds.append(col(Event.id).in_(select(EventActor.event_id).where(col(EventActor.actor_id).in_(actors))))
    if f.types:
        conds.append(col(Event.event_type).in_(f.types))
    if with_dates:
        terms = _date_terms(f)
        if terms:
            conds.append(or_(*terms) if len(terms) > 1 else terms[0])
    if f.article_id is not None:
        conds.append(
            or_(
                col(Event.article_id) == f.article_id,
                col(Event.id).in_(select(EventSource.event_id).where(EventSource.article_id == f.article_id)),
            )
        )
    if not f.include_future:
        conds.append(col(Event.future).is_(False))
    if f.text and (found := textsearch.condition(Event, f.text)) is not None:
        conds.append(found)  # an index serves it (see tracker.textsearch)
    return conds


def filtered_ids(filters: EventFilter | None):  # type: ignore[no-untyped-def]
    """A SELECT of event ids matching ``filters``: reused as a subquery so nothing is sent as a
    giant IN-list, whatever the number of events."""
    return select(Event.id).where(*_conditions(filters))


def _status(ev: Event, today: date) -> str | None:
    from tracker.events import deadline_status

    return deadline_status(ev.date_end or ev.date, ev.future, ev.event_type, today)


def _actor_ids_named(session: Session, names: list[str]) -> list[int]:
    return list(session.exec(select(Actor.id).where(col(Actor.name).in_(names))).all())  # type: ignore[arg-type]


def _links_are_common(session: Session, f: EventFilter, threshold: int,
                      actor_ids: list[int] | None = None) -> bool:
    """Do the country and actor filters each match at least ``threshold`` events? Then a page is found
    soonest by walking events in date order (see :func:`_conditions`); for rare values collecting
    their few ids is faster. The planners cannot tell the two apart from their statistics, so we ask
    the facet count table (all time, any type: a few rows; a store filled by bulk SQL without
    ``tracker db recount`` reads as rare, which costs speed, never correctness)."""
    if not (f.countries or f.actors) or threshold <= 0:
        return False
    t = FacetCount
    probes = []
    if f.countries:
        probes.append([col(t.country).in_(f.countries), col(t.actor) == rollup.ANY])
    if f.actors:
        ids = actor_ids if actor_ids is not None else _actor_ids_named(session, f.actors)
        probes.append([col(t.country) == rollup.ANY, col(t.actor).in_([str(i) for i in ids])])
    for conds in probes:
        total = func.coalesce(func.sum(t.n), 0)
        found = session.exec(select(total).where(col(t.period) == rollup.ALL_TIME, *conds)).one()
        if found < threshold:
            return False
    return True


def list_events(
    session: Session,
    filters: EventFilter | None = None,
    *,
    limit: int | None = None,
    today: date | None = None,
    with_sources: bool = False,
) -> list[EventView]:
    """Events matching ``filters``, oldest first, with actors, countries and the main source's
    outlet loaded in three bulk queries (not one per event)."""
    f = filters or EventFilter()
    ids = filtered_ids(filters)
    order = (col(Event.date), col(Event.id))
    terms = _date_terms(f)
    actor_ids = _actor_ids_named(session, f.actors) if f.actors else None
    one_country = len(set(f.countries)) == 1
    walk = bool(limit) and not one_country and _links_are_common(session, f, 50 * (limit or 0), actor_ids)
    conds = _conditions(filters, walk=walk, actor_ids=actor_ids)
    if limit and one_country:
        # its actors, if any, probed event by event when they are common, else collected first
        walk_actors = bool(f.actors) and _links_are_common(session, replace(f, countries=[]), 50 * limit, actor_ids)
        q = _one_country_page(f, limit, actor_ids, terms, walk_actors)
    elif limit and len(terms) > 1:
        # A page of a date range: the first ``limit`` events starting inside it (the date index, walked
        # in order, stops there) plus every event whose end reaches past ``since`` (the date_end index;
        # few events have an end), then the first ``limit`` of those that match everything. As one OR
        # the database would read every event before the range to find those few long ones.
        other = _conditions(filters, with_dates=False, walk=walk, actor_ids=actor_ids)
        starting = select(Event.id).where(*other, terms[0]).order_by(*order).limit(limit).subquery()
        page = union_all(select(starting.c.id), select(Event.id).where(col(Event.date_end) >= f.since))
        q = select(*_EVENT_COLUMNS).where(col(Event.id).in_(page), *conds).order_by(*order).limit(limit)
    else:
        q = select(*_EVENT_COLUMNS).where(*conds).order_by(*order)
        if limit:
            q = q.limit(limit)
    rows = session.execute(q).all()  # plain rows: building ORM objects for 100k events costs seconds
    if not rows:
        return []
    sub = ids if not limit else select(Event.id).where(col(Event.id).in_([r.id for r in rows]))
    countries: dict[int, list[str]] = defaultdict(list)
    for eid, code in session.exec(
        select(EventCountry.event_id, EventCountry.country).where(col(EventCountry.event_id).in_(sub))
    ):
        countries[eid].append(code)
    actors: dict[int, list[str]] = defaultdict(list)
    for eid, name in session.exec(
        select(EventActor.event_id, Actor.name)
        .join(Actor, col(Actor.id) == col(EventActor.actor_id))
        .where(col(EventActor.event_id).in_(sub))
    ):
        actors[eid].append(name)
    article_ids = {r.article_id for r in rows if r.article_id}
    articles: dict[int, tuple] = {}
    if article_ids:
        for aid, title, url, outlet, published in session.exec(
            select(Article.id, Article.title, Article.url, Article.outlet, Article.published).where(
                col(Article.id).in_(article_ids)
            )
        ):
            articles[aid] = (title, url, outlet, published)
    sources: dict[int, list[SourceView]] = defaultdict(list)
    if with_sources:
        for src, art in session.exec(
            select(EventSource, Article)
            .join(Article, col(Article.id) == col(EventSource.article_id))
            .where(col(EventSource.event_id).in_(sub))
            .order_by(col(Article.published))
        ):
            sources[src.event_id].append(_source_view(src, art))
    today = today or date.today()
    out = []
    for ev in rows:
        view = _row_view(ev, today, actors.get(ev.id, []), sorted(countries.get(ev.id, [])))
        if ev.article_id in articles:
            title, url, outlet, published = articles[ev.article_id]
            view.sources = sources.get(ev.id) or [
                SourceView(
                    article_id=ev.article_id,
                    title=title,
                    url=url,
                    outlet=outlet,
                    published=published,
                    sentence=ev.sentence or "",
                    start=ev.start or 0,
                    end=ev.end or 0,
                )
            ]
        out.append(view)
    return out


def _one_country_page(f: EventFilter, limit: int, actor_ids: list[int] | None, terms: list,  # type: ignore[no-untyped-def,type-arg]
                      walk_actors: bool = False):
    """A page of one country's events: its links read in (country, date) order from their index,
    each event checked against the other filters, stopping at ``limit`` — whether the country is in
    every other event or in one in a hundred.

    With a start date, the links from that date on make the page, plus the few long events that
    began before it and reach in (found by the date_end index, as in :func:`list_events`)."""
    (code,) = set(f.countries)
    link = EventCountry
    other = _conditions(replace(f, countries=[]), with_dates=False, walk=walk_actors, actor_ids=actor_ids)
    order = (col(Event.date), col(Event.id))
    span = [col(link.date) <= f.until] if f.until else []
    if f.since:
        span.append(col(link.date) >= f.since)
    starting = (
        select(Event.id).join(link, col(link.event_id) == col(Event.id))
        .where(col(link.country) == code, *span, *other)
        .order_by(col(link.date), col(link.event_id)).limit(limit)
    )
    page = starting.subquery()
    ids = select(page.c.id)
    if f.since and len(terms) > 1:  # long events reaching into the range from before it
        ids = union_all(ids, select(Event.id).where(terms[1]))  # type: ignore[assignment]
    conds = _conditions(f, walk=True, actor_ids=actor_ids)  # probes for the page's few events
    return select(*_EVENT_COLUMNS).where(col(Event.id).in_(ids), *conds).order_by(*order).limit(limit)


def _source_view(src: EventSource, art: Article) -> SourceView:
    return SourceView(
        article_id=art.id,  # type: ignore[arg-type]
        title=art.title,
        url=art.url,
        outlet=art.outlet,
        published=art.published,
        sentence=src.sentence,
        start=src.start,
        end=src.end,
        date=src.date,
        precision=src.precision,
        date_text=src.date_text,
    )


#: what a view is built from: every column but the store's own copy of the links (facet_keys)
_EVENT_COLUMNS = tuple(c for c in Event.__table__.columns if c.name != "facet_keys")  # type: ignore[attr-defined]


def _row_view(row, today: date, actors: list[str], countries: list[str]) -> EventView:  # type: ignore[no-untyped-def]
    """An EventView from a plain result row; the values come from our own typed columns, so the
    view is constructed without re-validating each of them (100k rows in well under a second)."""
    data = dict(row._mapping)
    return EventView.model_construct(**data, actors=actors, countries=countries, status=_status(row, today),
                                     sources=[])


def _view(ev: Event, today: date, actors: list[str], countries: list[str]) -> EventView:
    data = ev.model_dump(exclude={"actors", "country_links", "sources", "facet_keys"})
    return EventView(**data, actors=actors, countries=countries, status=_status(ev, today))


def get_event(session: Session, event_id: int, *, today: date | None = None) -> EventView | None:
    """One event with all its sources (the detail view)."""
    if session.get(Event, event_id) is None:
        return None
    views = _views_for_ids(session, [event_id], today=today)
    return views[0] if views else None


def _views_for_ids(session: Session, ids: list[int], *, today: date | None = None) -> list[EventView]:
    q = select(Event).where(col(Event.id).in_(ids))
    out = []
    for ev in session.exec(q):
        view = _view(
            ev, today or date.today(), [a.name for a in ev.actors], sorted(c.country for c in ev.country_links)
        )
        view.sources = [
            _source_view(src, src.article)  # type: ignore[arg-type]
            for src in sorted(ev.sources, key=lambda s: s.article.published if s.article else date.min)
            if src.article is not None
        ]
        out.append(view)
    return out


def facets(session: Session, filters: EventFilter | None = None) -> Facets:
    """Counts per country, actor and type, each under all the *other* filters, and the total.

    This is the faceted-search convention: beside "Countries" each country's number is how many
    events the view would show with that country picked (its own country choice set aside), so
    picking Niger does not turn the other countries' counts into "how often they co-occur with
    Niger". ``total`` is the number of events matching the whole filter.

    Countries, actors, types, dates and future are read from the pre-aggregated counts
    (:mod:`tracker.rollup`): whole months from the table, the cut-off parts of the first and last
    month and the long events reaching in from before ``since`` from the events. Free text and a
    source article are counted from the events they match.
    """
    f = filters or EventFilter()
    if f.since and f.until and f.since > f.until:
        return Facets(countries=[], actors=[], types=[], total=0)
    actor_ids = _actor_ids_named(session, f.actors) if f.actors else []
    plain = not (f.text and f.text.strip()) and f.article_id is None
    found: dict[str, list[tuple[str, int]]] = {}
    plan = _date_plan(f.since, f.until)
    edges = _piece_counts(session, f, actor_ids, plan) if plain and (plan.pieces or plan.minus) else {}
    matched = None if plain else _matched_counts(session, f, actor_ids)
    for dim, own in (("country", "countries"), ("actor", "actors"), ("event_type", "types")):
        g = replace(f, **{own: []})
        ids = actor_ids if g.actors else None
        if plain:
            counted = _rolled_counts(session, g, dim, ids, plan)
            counted.update(edges.get(dim, {}))  # may take counts back (see _date_plan)
            counted = +counted
        elif matched is not None:
            counted = +matched.get(dim, Counter())
        else:
            terms = _date_terms(g)
            counted = Counter(dict(_raw_counts(session, g, dim, [or_(*terms)] if terms else [], ids)))
        found[dim] = sorted(counted.items(), key=lambda kv: (-kv[1], str(kv[0])))
    total = sum(n for t, n in found["event_type"] if not f.types or t in f.types)
    return Facets(countries=found["country"], actors=found["actor"], types=found["event_type"], total=total)


@dataclass
class _DatePlan:
    """A date filter cut into whole months (read from the count table) and pieces counted from events."""

    months: tuple[str, str] | None  # inclusive "YYYY-MM" bounds, None = all time
    use_table: bool
    pieces: list  # type: ignore[type-arg]  # disjoint conditions on ``event`` whose events are added
    minus: list = field(default_factory=list)  # type: ignore[type-arg]  # ... and whose events are taken back


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _date_plan(since: date | None, until: date | None) -> _DatePlan:
    """Whole months from the table; of a month the range cuts, the smaller side from the events:
    the days inside the range are added, or the whole month is read and the days outside it are
    taken back — so no more than half a month is ever counted event by event at either end."""
    if not since and not until:
        return _DatePlan(None, True, [])
    plan = _DatePlan(None, True, [])
    d = col(Event.date)
    lo, hi = since, until
    if since and until and _month_bounds(since) == _month_bounds(until) and (since.day > 1 or until != _month_bounds(
            until)[1]):  # inside one month: a few weeks of events, counted directly
        plan.use_table = False
        plan.pieces.append(and_(d >= since, d <= until))
    else:
        if since and since.day > 1:
            first, last = _month_bounds(since)
            if (since - first).days < (last - since).days + 1:
                plan.minus.append(and_(d >= first, d < since))
                lo = first
            else:
                plan.pieces.append(and_(d >= since, d <= last))
                lo = last + timedelta(days=1)
        if until and until != _month_bounds(until)[1]:
            first, last = _month_bounds(until)
            if (last - until).days < (until - first).days + 1:
                plan.minus.append(and_(d > until, d <= last))
                hi = last
            else:
                plan.pieces.append(and_(d >= first, d <= until))
                hi = first - timedelta(days=1)
        if lo and hi and lo > hi:
            plan.use_table = False
        else:
            plan.months = (rollup.month_of(lo) if lo else rollup.FIRST_MONTH, rollup.month_of(hi) if hi else "9999-99")
    if since:  # long events that began before the range and reach into it (found by the date_end index)
        plan.pieces.append(and_(col(Event.date_end) >= since, func.coalesce(Event.date, Event.date) < since))
    return plan


def _rolled_counts(session: Session, g: EventFilter, dim: str, actor_ids: list[int] | None,
                   plan: _DatePlan) -> Counter:
    """One facet through the count table: the whole months of the date range, or all time."""
    counted: Counter = Counter()
    if plan.use_table:
        rows = rollup.counts(
            session, dim, months=plan.months, countries=g.countries,
            actor_ids=None if actor_ids is None else (actor_ids or [-1]),  # an unknown name matches nothing
            types=g.types, include_future=g.include_future,
        )  # fmt: skip
        if dim == "actor" and rows:
            wanted = [int(k) for k, _ in rows]
            names = _actor_names(session, wanted)
            rows = [(names[int(k)], n) for k, n in rows if int(k) in names]
        counted.update(dict(rows))
    return counted


def _actor_names(session: Session, ids: list[int]) -> dict[int, str]:
    """Names of the actors with these ids (a facet's hundreds of them), asked through the driver
    (see :func:`_driver_rows`): SQLAlchemy's rendering of hundreds of typed parameters cost ~3 ms
    a facets call on PostgreSQL."""
    if not ids:
        return {}
    return {i: n for i, n in _driver_rows(session.connection(), "SELECT id, name FROM actor WHERE id IN :ids",
                                          {"ids": list(ids)})}


@lru_cache(maxsize=2)
def _links_of_each(dialect: str):  # type: ignore[no-untyped-def]
    """An event's countries and actor ids as one column of its own row: its copy of them
    (``Event.facet_keys``), or where that is not known (rows written by hand), the same string made
    from the link tables. One query then brings the edge events with everything the counting needs."""
    return func.coalesce(Event.facet_keys, rollup.facet_keys_from_links(dialect))


def _piece_counts(session: Session, f: EventFilter, actor_ids: list[int], plan: _DatePlan) -> dict[str, Counter]:
    """The three facets over the few events of the date range's edges (see :func:`_date_plan`).

    Those events are read once with their links (one query, whatever the filter) and each facet
    applies the other filters to them here: nine grouped queries, one per facet and edge, cost more
    than the counting, on PostgreSQL above all."""
    where = [or_(*plan.pieces, *plan.minus)] + ([col(Event.future).is_(False)] if not f.include_future else [])
    # an event may be in two pieces (begun in a month's cut-off days and reaching into the range):
    # its sign is what each of them adds or takes back
    sign = sum((case((c, 1), else_=0) for c in plan.pieces), start=literal(0)) - sum(
        (case((c, 1), else_=0) for c in plan.minus), start=literal(0))
    conn = session.connection()  # Core rows: the ORM's per-row handling cost more than the queries
    with _gc_paused():
        rows = conn.execute(select(Event.event_type, sign, _links_of_each(conn.dialect.name)).where(*where)).all()  # type: ignore[arg-type]
        return _count_rows(session, f, actor_ids, rows)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while thousands of rows are read and counted: those objects form
    no cycles and are gone before it resumes, but their number triggers collections that walk the
    whole heap (~40 ms at a time in a process holding the gazetteers: a third of the calls took
    twice as long)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: a text or article filter matching at most this many events is counted in one pass over them
_FEW_MATCHES = 30_000


def _matched_counts(session: Session, f: EventFilter, actor_ids: list[int]) -> dict[str, Counter] | None:
    """The three facets of a free-text or source-article filter from one read of the events it
    matches (under its dates and future flag; countries, actors and types are applied per facet
    in :func:`_count_rows`), or None when they are too many to bring over (then each facet is
    grouped by the database, :func:`_raw_counts`). One read instead of three index searches for
    the text (~65 -> ~30 ms on PostgreSQL for 11k matches at 1M events)."""
    base = replace(f, countries=[], actors=[], types=[])
    conn = session.connection()
    q = select(Event.event_type, literal(1), _links_of_each(conn.dialect.name)).where(*_conditions(base))
    with _gc_paused():
        rows = conn.execute(q.limit(_FEW_MATCHES + 1)).all()  # type: ignore[arg-type]
        if len(rows) > _FEW_MATCHES:
            return None
        return _count_rows(session, f, actor_ids, rows)


def _count_rows(session: Session, f: EventFilter, actor_ids: list[int], rows: list) -> dict[str, Counter]:  # type: ignore[type-arg]
    """Each facet over ``rows`` of (event type, sign, facet keys), under the other filters of ``f``."""
    if not rows:
        return {}
    want_c, want_a, want_t = set(f.countries), set(actor_ids), set(f.types)
    by_country: dict[str, int] = defaultdict(int)
    by_actor: dict[int, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    split = rollup.split_facet_keys
    for etype, sg, keys in rows:
        cs, acs = split(keys)
        ok_c = not f.countries or not want_c.isdisjoint(cs)
        ok_a = not f.actors or not want_a.isdisjoint(acs)
        ok_t = not f.types or etype in want_t
        if ok_a and ok_t:
            for c in cs:
                by_country[c] += sg
        if ok_c and ok_t:
            for a in acs:
                by_actor[a] += sg
        if ok_c and ok_a:
            by_type[etype] += sg
    out = {"country": Counter(by_country), "actor_id": Counter(by_actor), "event_type": Counter(by_type)}
    names = _actor_names(session, list(out["actor_id"]))
    return {"country": out["country"], "event_type": out["event_type"],
            "actor": Counter({names[a]: n for a, n in out["actor_id"].items() if a in names})}


def _raw_counts(
    session: Session, g: EventFilter, dim: str, date_conds: list, actor_ids: list[int] | None  # type: ignore[type-arg]
) -> list[tuple[str, int]]:
    """One facet counted from the events matching ``g`` (its dates given as ``date_conds``)."""
    conds = _conditions(g, with_dates=False, actor_ids=actor_ids) + date_conds
    ids = select(Event.id).where(*conds)
    if dim == "event_type":
        # through the id list: with the conditions inline SQLite walks the (type, date) index for the
        # GROUP BY and reads every event instead of the few the other indexes find
        q = select(Event.event_type, func.count()).where(
            *([col(Event.id).in_(ids)] if conds else [])
        ).group_by(Event.event_type)
    elif dim == "country":
        q = select(EventCountry.country, func.count()).where(
            *([col(EventCountry.event_id).in_(ids)] if conds else [])
        ).group_by(EventCountry.country)
    else:
        q = (
            select(Actor.name, func.count())
            .join(EventActor, col(Actor.id) == col(EventActor.actor_id))
            .where(*([col(EventActor.event_id).in_(ids)] if conds else []))
            .group_by(Actor.name)
        )
    return [(k, int(n)) for k, n in session.exec(q).all()]  # type: ignore[call-overload]


def list_articles(session: Session) -> list[ArticleView]:
    counts = dict(
        session.exec(
            select(EventSource.article_id, func.count(func.distinct(EventSource.event_id))).group_by(
                EventSource.article_id
            )
        ).all()
    )
    rows = session.exec(select(Article).order_by(col(Article.published), col(Article.id))).all()
    return [
        ArticleView(
            id=a.id,  # type: ignore[arg-type]
            title=a.title,
            url=a.url,
            outlet=a.outlet,
            published=a.published,
            published_source=a.published_source,
            content_hash=a.content_hash,
            ingested_at=a.ingested_at,
            events=counts.get(a.id, 0),
        )
        for a in rows
    ]


def counts(session: Session) -> dict[str, int]:
    """Row counts per table: what the CLI prints and what tests compare before and after."""
    return {
        "articles": session.exec(select(func.count()).select_from(Article)).one(),
        "events": session.exec(select(func.count()).select_from(Event)).one(),
        "sources": session.exec(select(func.count()).select_from(EventSource)).one(),
        "actors": session.exec(select(func.count()).select_from(Actor)).one(),
        "changes": session.exec(select(func.count()).select_from(Change)).one(),
    }


def history(session: Session, event_id: int) -> list[Change]:
    """The audit trail of one event, oldest first."""
    return list(session.exec(select(Change).where(Change.event_id == event_id).order_by(col(Change.id))).all())


# --- writing ---------------------------------------------------------------------------------


def _get_actor(session: Session, name: str, cache: dict[str, Actor]) -> Actor:
    """Get or create an actor by canonical name (see :func:`_actor_ids`), as an ORM object."""
    if name not in cache:
        cache[name] = session.get(Actor, _actor_ids(session, {name})[name])  # type: ignore[assignment]
    return cache[name]


def _snapshot(session: Session, ev: Event) -> str:
    view = _view(ev, date.today(), [a.name for a in ev.actors], sorted(c.country for c in ev.country_links))
    return view.model_dump_json(exclude={"sources", "status"})


def _audit(
    session: Session, ev_id: int | None, action: str, user: str | None, before: str | None, after: str | None
) -> None:
    session.add(Change(event_id=ev_id, action=action, user=user, before=before, after=after))


def _cells_of(ev: Event) -> Counter:
    """The count-table cells an ORM event counts in now (see :mod:`tracker.rollup`)."""
    return rollup.cells(ev.event_type, ev.date, ev.future, [c.country for c in ev.country_links],
                        [a.id for a in ev.actors if a.id is not None])


def _keep_facet_keys(ev: Event) -> None:
    """The row's copy of its links (``Event.facet_keys``), after the links were set and flushed."""
    ev.facet_keys = rollup.facet_keys([c.country for c in ev.country_links], [a.id for a in ev.actors])


def _set_links(session: Session, ev: Event, actors: list[str], countries: list[str], cache: dict[str, Actor]) -> None:
    ev.actors = [_get_actor(session, a, cache) for a in dict.fromkeys(actors)]
    ev.country_links = [EventCountry(country=c, date=ev.date) for c in dict.fromkeys(countries)]


def period_end(day: date, precision: str) -> date | None:
    """Last day of the week, month, quarter, year or decade that an event entered as ``day`` with
    ``precision`` covers (None for a single day), so a hand-made "August 2023" event overlaps every
    date filter inside August, as an extracted one does."""
    if precision == "week":
        return day + timedelta(days=6)
    if precision == "month":
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    if precision == "quarter":
        q_end_month = 3 * ((day.month - 1) // 3) + 3
        nxt = date(day.year + (q_end_month == 12), q_end_month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "decade":
        return date(day.year - day.year % 10 + 9, 12, 31)
    return None


def add_event(session: Session, *, event_in: EventIn, user: str | None = None) -> EventView:
    """Store one event entered by hand (origin ``manual``: never merged away or overwritten)."""
    _writing(session)
    ev = Event(
        title=event_in.title,
        event_type=event_in.event_type,
        date=event_in.date,
        date_end=event_in.date_end or period_end(event_in.date, event_in.precision),
        precision=event_in.precision,
        resolution="manual",
        future=event_in.future,
        place_name=event_in.place_name,
        lat=event_in.lat,
        lon=event_in.lon,
        geo_precision="place" if event_in.lat is not None else None,
        origin="manual",
        notes=event_in.notes,
        source_url=event_in.source_url,
    )
    _fill_place(ev, event_in)
    session.add(ev)
    _set_links(session, ev, event_in.actors, event_in.countries, {})
    session.flush()
    _keep_facet_keys(ev)
    rollup.apply(session, _cells_of(ev))
    _audit(session, ev.id, "create", user, None, _snapshot(session, ev))
    session.flush()
    return _views_for_ids(session, [ev.id])[0]  # type: ignore[list-item]


def _fill_place(ev: Event, event_in: EventIn) -> None:
    """A hand-entered place without coordinates is looked up; else the first country's centroid."""
    from tracker.entities import country_place, lookup_place

    if ev.lat is not None:
        return
    ref = None
    if event_in.place_name:
        ref = lookup_place(event_in.place_name, event_in.countries[0] if event_in.countries else None)
    if ref is None and event_in.countries:
        ref = country_place(event_in.countries[0])
        if ref is not None and not event_in.place_name:
            ev.place_name = ref.name
    if ref is not None:
        ev.lat, ev.lon, ev.geo_precision = ref.lat, ref.lon, ref.geo_precision


def update_event(session: Session, *, event_id: int, event_in: EventIn, user: str | None = None) -> EventView:
    """Apply an analyst's edit; the event is marked edited so re-ingest never overwrites it."""
    _writing(session)
    ev = session.get(Event, event_id)
    if ev is None:
        raise StoreError(f"no event with id {event_id}")
    before = _snapshot(session, ev)
    delta = rollup.negated(_cells_of(ev))
    before_lat, before_lon = ev.lat, ev.lon
    for name in (
        "title",
        "event_type",
        "date",
        "date_end",
        "precision",
        "future",
        "place_name",
        "lat",
        "lon",
        "notes",
        "source_url",
    ):
        setattr(ev, name, getattr(event_in, name))
    ev.date_end = event_in.date_end or period_end(event_in.date, event_in.precision)
    moved = (event_in.lat, event_in.lon) != (before_lat, before_lon)
    if moved or event_in.lat is None:  # unchanged coordinates keep their precision (a centroid stays "country")
        ev.geo_precision = "place" if event_in.lat is not None else None
    _fill_place(ev, event_in)
    ev.edited = True
    ev.updated_at = utcnow()
    if ev.origin != "manual" and ev.date_text is None:
        ev.resolution = "manual"
    _set_links(session, ev, event_in.actors, event_in.countries, {})
    session.flush()
    _keep_facet_keys(ev)
    delta.update(_cells_of(ev))
    rollup.apply(session, delta)
    _audit(session, ev.id, "update", user, before, _snapshot(session, ev))
    session.flush()
    return _views_for_ids(session, [event_id])[0]


def delete_event(session: Session, *, event_id: int, user: str | None = None) -> None:
    _writing(session)
    ev = session.get(Event, event_id)
    if ev is None:
        raise StoreError(f"no event with id {event_id}")
    before = _snapshot(session, ev)
    rollup.apply(session, rollup.negated(_cells_of(ev)))
    ev.actors = []  # link rows go with the event; countries and sources cascade from the ORM
    session.delete(ev)
    _audit(session, event_id, "delete", user, before, None)
    session.flush()


@dataclass
class SaveResult:
    article_id: int
    created: bool
    events_added: int = 0
    events_merged: int = 0


def _draft_from_row(ev: Event, actors: list[str], countries: list[str]) -> EventDraft:
    return EventDraft(
        title=ev.title,
        event_type=ev.event_type,
        date=ev.date,
        date_end=ev.date_end,
        precision=ev.precision,
        resolution=ev.resolution,
        sentence=ev.sentence or "",
        start=ev.start or 0,
        end=ev.end or 0,
        future=ev.future,
        plover=ev.plover,
        actors=list(actors),
        countries=list(countries),
    )


def _period_starts(day: date) -> list[date]:
    """First days of the week, month, quarter, year and decade that contain ``day``."""
    return sorted(
        {
            day - timedelta(days=day.weekday()),
            day.replace(day=1),
            date(day.year, 3 * ((day.month - 1) // 3) + 1, 1),
            date(day.year, 1, 1),
            date(day.year - day.year % 10, 1, 1),
        }
    )


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


_WHO_SQL = """(EXISTS (SELECT 1 FROM eventcountry ec WHERE ec.event_id = e.id AND ec.country IN :countries)
       OR EXISTS (SELECT 1 FROM eventactor ea JOIN actor a ON a.id = ea.actor_id
                  WHERE ea.event_id = e.id AND a.name IN :actors))"""


_POOL_COLUMNS_SQL = (
    "e.id, e.event_type, e.date, e.date_end, e.precision, e.resolution, e.future, e.origin, e.edited, e.lat, e.plover"
)


# The merge-candidate queries run several times for every article, with lists of a few dozen values:
# they go to the driver as plain SQL with the lists spelled out as placeholders (see _driver_rows),
# because SQLAlchemy's rendering of expanding parameters and its result rows cost several times what
# the database spent on them.

#: a span ("last month") may hold finer events: the earliest few of its type
_SPAN_SQL = (f"SELECT {_POOL_COLUMNS_SQL} FROM event e WHERE e.event_type = :etype AND e.date >= :lo "
             f"AND e.date <= :hi AND {_WHO_SQL} ORDER BY e.date LIMIT 8")
#: the exact (type, date) lookups of a whole article in one statement. On a period's first day only a
#: coarser event can hold a draft (a day there is just another day): that test is made on each row the
#: index finds, so the rows never travel to Python
_POOL_SQL = (f"SELECT {_POOL_COLUMNS_SQL} FROM event e WHERE e.event_type IN :types AND e.date IN :dates "
             f"AND (e.date IN :exact OR e.precision <> 'day') AND {_WHO_SQL}")
_POOL_ACTORS_SQL = ("SELECT ea.event_id, a.name FROM eventactor ea JOIN actor a ON a.id = ea.actor_id "
                    "WHERE ea.event_id IN :ids")
_POOL_COUNTRIES_SQL = "SELECT event_id, country FROM eventcountry WHERE event_id IN :ids"
_NAMED = re.compile(r":(\w+)")


def _driver_rows(conn, sql: str, params: dict) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    """Run ``sql`` (``:name`` markers; a list value becomes a parenthesised placeholder per item) on
    the driver.

    Dates go to SQLite as the ISO text SQLAlchemy stores them as; PostgreSQL's driver takes them as
    they are. The SQL here is ours and holds no other colon or percent sign."""
    sqlite = conn.dialect.paramstyle == "qmark"
    mark = "?" if sqlite else "%s"
    values: list = []  # type: ignore[type-arg]

    def one(v):  # type: ignore[no-untyped-def]
        return v.isoformat() if sqlite and isinstance(v, date) else v

    def place(m: re.Match[str]) -> str:
        v = params[m.group(1)]
        if isinstance(v, list | tuple):
            values.extend(one(x) for x in v)
            return "(" + ", ".join([mark] * len(v)) + ")"
        values.append(one(v))
        return mark

    return conn.exec_driver_sql(_NAMED.sub(place, sql), tuple(values)).all()


def _candidate_pool(session: Session, drafts: list[EventDraft]) -> dict[str, list[tuple[int, EventDraft]]]:
    """Stored events that could be reported again by this article's drafts, by event type.

    A stored event can only match a draft when one date range holds the other (see
    :func:`tracker.events.dates_compatible`): either it starts inside the draft's span, or it is
    coarser and so starts on the first day of the week, month, quarter, year or decade holding the
    draft's date. Both become exact date lookups on the (event_type, date) index, asked once per
    article; a shared country or actor is required as in ``same_event``. Actors and countries of
    the pool come in two bulk queries.
    """
    wanted = [d for d in drafts if d.countries or d.actors]
    if not wanted:
        return {}
    exact: set[date] = set()  # days drafts name: any stored event starting then may match
    starts: set[date] = set()  # period starts: only a coarser stored event there can hold a draft
    spans: set[tuple[str, date, date]] = set()
    for d in wanted:
        starts.update(_period_starts(d.date))
        if not d.date_end or d.date_end == d.date:
            exact.add(d.date)
        elif (d.date_end - d.date).days <= 92:
            # a week, month or quarter may hold a finer report of the same event ("in July" and
            # "on 26 July"); a year or decade is too vague to pin onto one dated event, and would
            # cost a scan of that year on every article
            spans.add((d.event_type, d.date, d.date_end))
    countries = sorted({c for d in wanted for c in d.countries})
    actors = sorted({a for d in wanted for a in d.actors})
    # one IN-list per column of the (event_type, date) index, so the database looks up exactly those
    # pairs (an OR of date conditions made SQLite scan every event of the types); which rows fit a
    # draft is decided below. Plain SQL to the driver (see _driver_rows): this runs for every article.
    conn = session.connection()
    rows = _driver_rows(conn, _POOL_SQL, {
        "types": sorted({d.event_type for d in wanted}), "dates": sorted(exact | starts),
        # a day may also start a draft's span and so lie inside it
        "exact": sorted(exact | {d.date for d in wanted if d.date_end and d.date_end != d.date}) or [date.min],
        "countries": countries or ["-"], "actors": actors or ["-"]})
    # a span ("last month", "in July") may also hold finer events; the earliest few are enough
    for etype, lo, hi in sorted(spans):
        rows += _driver_rows(conn, _SPAN_SQL, {"etype": etype, "lo": lo, "hi": hi,
                                               "countries": countries or ["-"], "actors": actors or ["-"]})
    # the query crosses every type with every date; keep the rows some draft of their type could match
    by_type: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for d in wanted:
        by_type[d.event_type].append((d.date, d.date_end or d.date))

    def fits(row) -> bool:  # type: ignore[no-untyped-def]
        start = _as_date(row[2])
        end = _as_date(row[3]) if row[3] else start
        return any((lo <= start <= hi) or (start <= lo and end >= hi) for lo, hi in by_type[row[1]])

    rows = sorted({r[0]: r for r in rows if fits(r)}.values(), key=lambda r: (str(r[2]), r[0]))
    if not rows:
        return {}
    ids = [r[0] for r in rows]
    links_a: dict[int, list[str]] = defaultdict(list)
    links_c: dict[int, list[str]] = defaultdict(list)
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for eid, name in _driver_rows(conn, _POOL_ACTORS_SQL, {"ids": part}):
            links_a[eid].append(name)
        for eid, code in _driver_rows(conn, _POOL_COUNTRIES_SQL, {"ids": part}):
            links_c[eid].append(code)
    pool: dict[str, list[tuple[int, EventDraft]]] = defaultdict(list)
    for eid, etype, d0, d1, prec, res, fut, origin, edited, lat, plover in rows:
        pool[etype].append(
            (
                eid,
                EventDraft(
                    title="",
                    event_type=etype,
                    date=_as_date(d0),
                    date_end=_as_date(d1) if d1 else None,
                    precision=prec,
                    resolution=res,
                    sentence="",
                    start=0,
                    end=0,
                    future=bool(fut),
                    plover=plover,
                    actors=links_a.get(eid, []),
                    countries=links_c.get(eid, []),
                    # kept on the draft so a merge can decide without loading the row
                    notes="locked" if origin == "manual" or edited else None,
                    places=[PlaceRef("", 0.0, 0.0, "")] if lat is not None else [],
                ),
            )
        )
    return pool


def _pool_for(pool: dict[str, list[tuple[int, EventDraft]]], draft: EventDraft) -> list[tuple[int, EventDraft]]:
    """The pool entries whose dates could hold or be held by ``draft`` (cheap date test first, so
    ``same_event`` runs on a handful of rows, not on the whole pool)."""
    lo, hi = draft.date, draft.date_end or draft.date
    return [
        (eid, held)
        for eid, held in pool.get(draft.event_type, ())
        if (lo <= held.date <= hi) or (held.date <= lo and (held.date_end or held.date) >= hi)
    ]


def _actor_ids(session: Session, names: set[str]) -> dict[str, int]:
    """Ids for actor names, creating the missing ones; a concurrent creator wins without an error."""
    if not names:
        return {}
    ids = {n: i for n, i in _driver_rows(session.connection(), "SELECT name, id FROM actor WHERE name IN :names",
                                         {"names": sorted(names)})}
    missing = names - ids.keys()
    if missing:
        from tracker.entities import known_actors

        meta = {n: (k, c) for n, k, c in known_actors()}
        for name in sorted(missing):
            kind, country = meta.get(name, (None, None))
            try:
                with session.begin_nested():
                    actor = Actor(name=name, kind=kind, country=country)
                    session.add(actor)
                    session.flush()
                    ids[name] = actor.id  # type: ignore[assignment]
            except IntegrityError:
                ids[name] = session.exec(select(Actor.id).where(Actor.name == name)).one()  # type: ignore[assignment]
    return ids  # type: ignore[return-value]


@dataclass
class _ArticleRef:
    id: int


def _table(model: type[SQLModel]) -> Table:
    """The Core table of a model: bulk INSERTs through it skip the ORM's per-row bookkeeping."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def _insert_article(session: Session, document: Document, digest: str) -> int | None:
    """INSERT the article unless its content is already stored; its id, or None if it was there.

    ``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL alike) settles a race between two ingests of
    the same article inside the database, without a savepoint or a failed statement.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:  # pragma: no cover - other databases: plain insert, the unique index still guards
        dialect_insert = insert  # type: ignore[assignment]
    stmt = dialect_insert(_table(Article)).values(
        content_hash=digest,
        title=document.title,
        url=document.url,
        outlet=document.outlet,
        published=document.published,
        published_source=document.published_source,
        lang=document.lang,
        path=document.path,
        text=document.text,
        ingested_at=utcnow(),
    )
    if hasattr(stmt, "on_conflict_do_nothing"):
        stmt = stmt.on_conflict_do_nothing(index_elements=["content_hash"])
    # Core, on the session's connection: the ORM's bulk-statement handling cost more than the insert
    return session.connection().execute(stmt.returning(_table(Article).c.id)).scalar_one_or_none()


def save_article(
    session: Session, *, document: Document, drafts: list[EventDraft], user: str | None = None
) -> SaveResult:
    """Store one article and its events as one transaction, merging reports of known events.

    Re-ingesting the same content adds nothing. A draft that matches a stored event (see
    :func:`tracker.events.same_event`) becomes one more source of it; the finer date wins on
    extracted events, while events entered or edited by hand keep every field as the analyst left it.
    Rows are written in bulk (one multi-row INSERT per table) because an article brings dozens of
    events and ingest must keep up with a newsroom's feed.
    """
    from tracker.events import same_event

    _writing(session)
    digest = document.content_hash
    article_id = _insert_article(session, document, digest)
    if article_id is None:  # stored before, or by another process a moment ago
        existing = session.exec(select(Article.id).where(Article.content_hash == digest)).one()
        return SaveResult(article_id=existing, created=False)  # type: ignore[arg-type]
    article = _ArticleRef(article_id)
    result = SaveResult(article_id=article.id, created=True)  # type: ignore[arg-type]

    # 1. decide, in memory, which drafts are new events and which report a stored (or earlier) one
    pool = _candidate_pool(session, drafts)
    known: dict[int, EventDraft] = {eid: held for pairs in pool.values() for eid, held in pairs}
    fresh: list[tuple[dict, EventDraft]] = []  # rows of events this article creates, with what they hold
    targets: list[tuple[str, int | dict, EventDraft]] = []  # (kind, stored id | new row, draft)
    for draft in drafts:
        target: int | dict | None = None
        for ev, held in fresh:
            if same_event(held, draft):
                target = ev
                held.actors = list(dict.fromkeys(held.actors + draft.actors))
                held.countries = list(dict.fromkeys(held.countries + draft.countries))
                break
        if target is None:
            for eid, held in _pool_for(pool, draft):
                if same_event(held, draft):
                    target = eid
                    break
        if target is None:
            row = _new_row(draft, article.id)  # type: ignore[arg-type]
            fresh.append((row, _draft_from_new(draft)))
            targets.append(("new", row, draft))
        elif isinstance(target, dict):
            _merge_row(target, draft)
            targets.append(("new", target, draft))
        else:
            targets.append(("stored", target, draft))

    # 2. write: new events in one batch, merged stored events field by field, links in bulk
    touched = {target for kind, target, _ in targets if kind == "stored"}  # type: ignore[misc]
    actor_ids = _actor_ids(
        session, {a for d in drafts for a in d.actors} | {a for eid in touched for a in known[eid].actors}  # type: ignore[index]
    )
    if fresh:
        for row, held in fresh:
            row["facet_keys"] = rollup.facet_keys(held.countries, [actor_ids[a] for a in held.actors])
        ids = _insert_events(session, [row for row, _ in fresh], article.id)  # type: ignore[arg-type]
        for (row, _), eid in zip(fresh, ids, strict=True):
            row["id"] = eid

    counts_delta: dict = {}  # the facet count table follows every event this article adds or changes
    before = {eid: (known[eid].date, tuple(known[eid].countries), tuple(known[eid].actors)) for eid in touched}  # type: ignore[index]
    links_a: set[tuple[int, int]] = set()
    links_c: set[tuple[int, str]] = set()
    sources: list[dict] = []
    changes: list[dict] = []
    now = utcnow()
    for row, held in fresh:
        rollup.add_cells(counts_delta, 1, row["event_type"], row["date"], row["future"], held.countries,
                         [actor_ids[a] for a in held.actors])
        links_a.update((row["id"], actor_ids[a]) for a in held.actors)
        links_c.update((row["id"], c) for c in held.countries)
        changes.append(
            {"event_id": row["id"], "action": "extract", "user": user, "at": now, "before": None, "after": None}
        )
        result.events_added += 1
    for kind, target, draft in targets:
        if kind == "stored":
            held = known[target]  # type: ignore[index]
            _merge_stored(session, target, held, draft)  # type: ignore[arg-type]
            links_a.update((target, actor_ids[a]) for a in draft.actors if a not in held.actors)  # type: ignore[misc]
            links_c.update((target, c) for c in draft.countries if c not in held.countries)  # type: ignore[misc]
            held.actors = list(dict.fromkeys(held.actors + draft.actors))
            held.countries = list(dict.fromkeys(held.countries + draft.countries))
            changes.append(
                {
                    "event_id": target,
                    "action": "merge",
                    "user": user,
                    "at": now,
                    "before": None,
                    "after": json.dumps({"article_id": article.id}),
                }
            )
            result.events_merged += 1
            event_id = target
        else:
            event_id = target["id"]  # type: ignore[index]
        sources.append(
            {
                "event_id": event_id,
                "article_id": article.id,
                "sentence": draft.sentence,
                "start": draft.start,
                "end": draft.end,
                "date": draft.date,
                "precision": draft.precision,
                "date_text": draft.date_text,
            }
        )
    new_keys: list[dict] = []
    for eid, (day, countries, actors) in before.items():  # a merge that moved the event or added links
        held = known[eid]  # type: ignore[index]
        if (held.date, tuple(held.countries), tuple(held.actors)) != (day, countries, actors):
            rollup.add_cells(counts_delta, -1, held.event_type, day, held.future, countries,
                             [actor_ids[a] for a in actors])
            rollup.add_cells(counts_delta, 1, held.event_type, held.date, held.future, held.countries,
                             [actor_ids[a] for a in held.actors])
        if (tuple(held.countries), tuple(held.actors)) != (countries, actors):  # the row's copy too
            keys = rollup.facet_keys(held.countries, [actor_ids[a] for a in held.actors])
            new_keys.append({"eid": eid, "keys": keys})
    conn = session.connection()  # Core from here: the ORM's handling of bulk statements cost more
    if new_keys:  # one executemany: a busy article adds links to dozens of stored events
        conn.execute(_facet_keys_stmt(), new_keys)
    session.flush()
    rollup.apply(session, counts_delta)
    if links_a:
        conn.execute(_table(EventActor).insert(), [{"event_id": e, "actor_id": a} for e, a in sorted(links_a)])
    if links_c:  # each with its event's date as it stands after this article (see EventCountry)
        day = {row["id"]: row["date"] for row, _ in fresh} | {eid: known[eid].date for eid in touched}  # type: ignore[index]
        conn.execute(_table(EventCountry).insert(),
                     [{"event_id": e, "country": c, "date": day[e]} for e, c in sorted(links_c)])
    if sources:
        unique = {(r["event_id"], r["start"]): r for r in sources}  # one source row per span and event
        conn.execute(_table(EventSource).insert(), list(unique.values()))
    if changes:
        conn.execute(_table(Change).insert(), changes)
    return result


@lru_cache(maxsize=1)
def _facet_keys_stmt():  # type: ignore[no-untyped-def]
    table = _table(Event)
    return table.update().where(table.c.id == bindparam("eid")).values(facet_keys=bindparam("keys"))


def _insert_events(session: Session, rows: list[dict], article_id: int) -> list[int]:
    """Insert an article's new events in one batch; their ids, in the order of ``rows``.

    PostgreSQL returns them (RETURNING, in parameter order). SQLAlchemy can only keep that order on
    SQLite by inserting row by row, so there the rows go in as one executemany and their ids are read
    back: SQLite numbers rows in insertion order, and under this transaction's write lock (BEGIN
    IMMEDIATE) the events of an article stored a moment ago are exactly these rows."""
    table = _table(Event)
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return list(conn.execute(
            table.insert().returning(table.c.id, sort_by_parameter_order=True), rows).scalars().all())
    conn.execute(table.insert(), rows)
    ids = list(conn.execute(
        select(table.c.id).where(table.c.article_id == article_id).order_by(table.c.id)).scalars().all())
    if len(ids) != len(rows):  # cannot happen while the article is new; never pair rows with wrong ids
        raise StoreError(f"inserted {len(rows)} events for article {article_id} but found {len(ids)}")
    return ids


def _draft_from_new(draft: EventDraft) -> EventDraft:
    """What a new event holds, for matching later drafts of the same article against it."""
    return EventDraft(
        title=draft.title, event_type=draft.event_type, date=draft.date, date_end=draft.date_end,
        precision=draft.precision, resolution=draft.resolution, sentence="", start=0, end=0,
        future=draft.future, plover=draft.plover, actors=list(draft.actors), countries=list(draft.countries),
    )


def _new_row(draft: EventDraft, article_id: int) -> dict:
    """An ``event`` row for a new extracted event, inserted in bulk with the article's other events
    (a plain dict: building ORM objects cost more than the rest of the save)."""
    place = draft.places[0] if draft.places else None
    now = utcnow()
    return {
        "title": draft.title[:300],
        "event_type": draft.event_type,
        "plover": draft.plover,
        "date": draft.date,
        "date_end": draft.date_end,
        "precision": draft.precision,
        "timex": draft.timex,
        "date_text": (draft.date_text or None) and draft.date_text[:200],
        "resolution": draft.resolution,
        "rule": draft.rule,
        "anchor": (draft.anchor or None) and draft.anchor[:200],
        "future": draft.future,
        "disputed": False,
        "place_name": place.name if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "geo_precision": place.geo_precision if place else None,
        "origin": "extracted",
        "edited": False,
        "notes": draft.notes,
        "source_url": None,
        "sentence": draft.sentence,
        "start": draft.start,
        "end": draft.end,
        "article_id": article_id,
        "created_at": now,
        "updated_at": now,
    }


def _merge_row(row: dict, draft: EventDraft) -> None:
    """Fold a second report from the same article into a new event's row (finer, then earlier, wins)."""
    if draft.precision == row["precision"] and draft.date != row["date"]:
        row["disputed"] = True
    finer = _PRECISION_RANK.get(draft.precision, 9) < _PRECISION_RANK.get(row["precision"], 9)
    if finer or (draft.precision == row["precision"] and draft.date < row["date"]):
        row.update(date=draft.date, date_end=draft.date_end, precision=draft.precision, timex=draft.timex,
                   date_text=draft.date_text, rule=draft.rule, anchor=draft.anchor, resolution=draft.resolution)
    if row["lat"] is None and draft.places:
        p = draft.places[0]
        row.update(place_name=p.name, lat=p.lat, lon=p.lon, geo_precision=p.geo_precision)


def _merge_stored(session: Session, event_id: int, held: EventDraft, draft: EventDraft) -> None:
    """Fold a report into a stored event as one UPDATE, only when something changes.

    The finer date wins (a day over the month that contains it), then the earlier of two equally
    precise dates; a disagreement between equally precise reports is flagged ``disputed`` and every
    report's own date stays on its source row. Hand-made or edited events keep their fields.
    """
    values: dict[str, object] = {}
    if draft.precision == held.precision and draft.date != held.date:
        values["disputed"] = True
    if held.notes != "locked":
        finer = _PRECISION_RANK.get(draft.precision, 9) < _PRECISION_RANK.get(held.precision, 9)
        if finer or (draft.precision == held.precision and draft.date < held.date):
            values.update(
                date=draft.date,
                date_end=draft.date_end,
                precision=draft.precision,
                timex=draft.timex,
                date_text=draft.date_text,
                rule=draft.rule,
                anchor=draft.anchor,
                resolution=draft.resolution,
            )
            held.date, held.date_end, held.precision = draft.date, draft.date_end, draft.precision
        if not held.places and draft.places:
            p = draft.places[0]
            values.update(place_name=p.name, lat=p.lat, lon=p.lon, geo_precision=p.geo_precision)
            held.places = [p]
    if values:
        values["updated_at"] = utcnow()
        conn = session.connection()  # Core: an ORM UPDATE would also look for the row among loaded objects
        conn.execute(update(_table(Event)).where(_table(Event).c.id == event_id).values(**values))
        if "date" in values:  # the links carry the event's date (see EventCountry)
            links = _table(EventCountry)
            conn.execute(update(links).where(links.c.event_id == event_id).values(date=held.date))
