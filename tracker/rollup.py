"""Pre-aggregated event counts (the ``facetcount`` table) that answer facet counts at any store size.

Why: the counts beside the dashboard's filters ("Niger (1,204)") would otherwise count every
matching event and its links on each view — over a second at a million events. Each event adds 1
to the cells (period, type, future, country, actor) for its month and for all time (period ``*``),
once for each of its countries and for "any country" (``*``), crossed with each of its actors and
"any actor" (0). A single-valued filter then reads a slice of cells: types of the events naming
Niger are the cells (country NER, actor 0); countries of the events naming one actor are the cells
(actor A, country not ``*``). Multi-valued country or actor filters would count an event naming
two of them twice, so the store counts those from the events themselves.

Every write in :mod:`tracker.store` passes the cells an event leaves and the cells it enters to
:func:`apply`, in the same transaction; :func:`rebuild` recomputes the table from the events
(migrations, imports, bulk loads, ``tracker db recount``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from sqlalchemy import Connection, Table, delete, func, select, text
from sqlmodel import Session, col

from tracker.models import FacetCount

ALL_TIME = "*"
ANY_COUNTRY = "*"
SET_MARK = "+"  # country cells of several countries at once start with it (and sort just after "*")
ANY_ACTOR = 0
#: below every month string ("1900-01" ...) and above ALL_TIME ("*" sorts before digits)
FIRST_MONTH = "0000-00"

Cell = tuple[str, str, bool, str, int]  # (period, event_type, future, country, actor_id)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def set_key(countries: Iterable[str]) -> str:
    """The cell of an event naming several countries, as a set ("+BFA+MLI+NER").

    Per-country cells count such an event once for each of its countries; these cells say how
    often that happened, so a filter on several countries can count each event once (see
    :func:`counts`)."""
    return SET_MARK + SET_MARK.join(sorted(set(countries)))


def add_cells(
    acc: dict[Cell, int], sign: int, event_type: str, day: date, future: bool,
    countries: Iterable[str], actor_ids: Iterable[int],
) -> None:
    """Add ``sign`` to each cell one event counts in: 2 periods x (countries + any) x (actors + any).

    Accumulates into a plain dict: an ingest adds a whole article's events (hundreds of cells) and
    this runs for every one of them."""
    own = tuple(dict.fromkeys(countries))
    cs = (ANY_COUNTRY, *own, set_key(own)) if len(own) > 1 else (ANY_COUNTRY, *own)
    ac = (ANY_ACTOR, *dict.fromkeys(actor_ids))
    f = bool(future)
    get = acc.get
    for period in (ALL_TIME, f"{day.year:04d}-{day.month:02d}"):
        for c in cs:
            for a in ac:
                key = (period, event_type, f, c, a)
                acc[key] = get(key, 0) + sign


def cells(event_type: str, day: date, future: bool, countries: Iterable[str], actor_ids: Iterable[int]) -> Counter:
    """The cells one event counts in, each once."""
    out: Counter = Counter()
    add_cells(out, 1, event_type, day, future, countries, actor_ids)
    return out


def negated(c: Counter) -> Counter:
    """``-c`` as a delta (Counter's own unary minus drops every non-positive count)."""
    return Counter({k: -v for k, v in c.items()})


def _table() -> Table:
    return FacetCount.__table__  # type: ignore[attr-defined,no-any-return]


def apply(session: Session | Connection, delta: dict[Cell, int]) -> None:
    """Add ``delta`` (cell -> +n / -n) to the table as one upsert, in the caller's transaction.

    Cells go in sorted order: two PostgreSQL transactions touching the same cells then lock them in
    the same order and queue instead of deadlocking. The statement goes to the driver as plain SQL
    with tuples: an article moves ~300 cells, and SQLAlchemy's per-row handling cost more than the
    database's work.
    """
    # in the primary key's order (country, period, actor, type, future)
    rows = sorted(
        ((p, t, f, c, a, n) for (p, t, f, c, a), n in delta.items() if n), key=lambda r: (r[3], r[0], r[4], r[1], r[2])
    )
    if not rows:
        return
    conn = session.connection() if isinstance(session, Session) else session
    conn.exec_driver_sql(_upsert_sql(conn.dialect.paramstyle), rows)


@lru_cache(maxsize=4)
def _upsert_sql(paramstyle: str) -> str:
    mark = "?" if paramstyle == "qmark" else "%s"
    return (
        "INSERT INTO facetcount (period, event_type, future, country, actor_id, n) "
        f"VALUES ({', '.join([mark] * 6)}) "
        "ON CONFLICT (country, period, actor_id, event_type, future) DO UPDATE SET n = facetcount.n + excluded.n"
    )


def rebuild(conn: Connection) -> int:
    """Recompute every cell from the events, in the caller's transaction; returns the rows written.

    Plain SQL (one INSERT ... SELECT per period kind), so a million events take a minute, not the
    ten a Python loop would. The keys of events naming several countries are made in Python (the
    order of SQLite's group_concat is not defined) into a temporary table.
    """
    conn.execute(delete(_table()))
    multi = conn.execute(text(
        "SELECT event_id, country FROM eventcountry WHERE event_id IN "
        "(SELECT event_id FROM eventcountry GROUP BY event_id HAVING COUNT(*) > 1) ORDER BY event_id"
    )).all()
    keys: dict[int, list[str]] = {}
    for eid, country in multi:
        keys.setdefault(eid, []).append(country)
    postgres = conn.dialect.name == "postgresql"
    conn.execute(text("DROP TABLE IF EXISTS facet_setkey"))
    conn.execute(text("CREATE TEMPORARY TABLE facet_setkey (event_id INTEGER PRIMARY KEY, country VARCHAR(200))"
                      + (" ON COMMIT DROP" if postgres else "")))
    if keys:
        conn.execute(text("INSERT INTO facet_setkey (event_id, country) VALUES (:e, :c)"),
                     [{"e": eid, "c": set_key(cs)} for eid, cs in keys.items()])
    month = "to_char(e.date, 'YYYY-MM')" if postgres else "substr(e.date, 1, 7)"
    written = 0
    for period in (f"'{ALL_TIME}'", month):
        sql = f"""
            INSERT INTO facetcount (period, event_type, future, country, actor_id, n)
            SELECT {period}, e.event_type, e.future, c.country, a.actor_id, COUNT(*)
            FROM event e
            JOIN (SELECT event_id, country FROM eventcountry
                  UNION ALL SELECT id, '{ANY_COUNTRY}' FROM event
                  UNION ALL SELECT event_id, country FROM facet_setkey) c ON c.event_id = e.id
            JOIN (SELECT event_id, actor_id FROM eventactor
                  UNION ALL SELECT id, {ANY_ACTOR} FROM event) a ON a.event_id = e.id
            GROUP BY 1, 2, 3, 4, 5"""
        written += conn.execute(text(sql)).rowcount or 0
    if not postgres:
        conn.execute(text("DROP TABLE facet_setkey"))
    return written


def counts(
    session: Session,
    dim: str,
    *,
    months: tuple[str, str] | None,
    countries: list[str] | None = None,
    actor_id: int = ANY_ACTOR,
    types: list[str] | None = None,
    include_future: bool = True,
) -> list[tuple[str | int, int]]:
    """Counts per ``dim`` ("event_type", "country" or "actor_id") of the events in the given months
    (inclusive "YYYY-MM" bounds; None = all time) that name any of ``countries`` (None: any) and
    ``actor_id`` (0: any).

    The facet's own dimension is left free: countries are counted for one actor (or any), actors
    for some countries (or any); types for both. With several countries an event naming k of them
    is in k per-country cells; its set cell says so, and k - 1 of its counts are taken back.
    """
    t = FacetCount
    conds = []
    if months is None:
        conds.append(col(t.period) == ALL_TIME)
    else:
        conds += [col(t.period) >= months[0], col(t.period) <= months[1]]
    wanted = list(dict.fromkeys(countries or []))
    extra: dict[str, int] = {}  # set cells naming k >= 2 of the picked countries -> k - 1
    if dim != "country" and len(wanted) > 1:
        picked = set(wanted)
        for (cell,) in session.exec(  # type: ignore[call-overload]
            # every set ever counted is in the all-time, any-actor slice (a few hundred rows)
            select(t.country).distinct().where(col(t.actor_id) == ANY_ACTOR, col(t.period) == ALL_TIME,
                                               col(t.country) > SET_MARK, col(t.country) < chr(ord(SET_MARK) + 1))
        ).all():
            k = len(picked.intersection(cell[1:].split(SET_MARK)))
            if k > 1:
                extra[cell] = k - 1
    if dim == "country":
        conds += [col(t.actor_id) == actor_id, col(t.country) != ANY_COUNTRY, ~col(t.country).startswith(SET_MARK)]
    elif len(wanted) > 1:
        conds.append(col(t.country).in_(wanted + sorted(extra)))
    else:
        conds.append(col(t.country) == (wanted[0] if wanted else ANY_COUNTRY))
    if dim == "actor_id":
        conds.append(col(t.actor_id) != ANY_ACTOR)
    elif dim == "event_type":
        conds.append(col(t.actor_id) == actor_id)
    if types:
        conds.append(col(t.event_type).in_(types))
    if not include_future:
        conds.append(col(t.future).is_(False))
    key = getattr(t, dim)
    if dim == "country" or len(wanted) <= 1:
        q = select(key, func.sum(t.n)).where(*conds).group_by(key).having(func.sum(t.n) > 0)
        return [(k, int(n)) for k, n in session.exec(q).all()]  # type: ignore[call-overload]
    out: Counter = Counter()
    for cell, k, n in session.exec(select(t.country, key, func.sum(t.n)).where(*conds).group_by(t.country, key)):
        out[k] += int(n) * -extra.get(cell, -1)  # a picked country's cell adds, a set cell takes back
    return [(k, n) for k, n in out.items() if n > 0]
