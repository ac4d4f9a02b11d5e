"""Pre-aggregated event counts (the ``facetcount`` table) that answer facet counts at any store size.

Why: the counts beside the dashboard's filters ("Niger (1,204)") would otherwise count every
matching event and its links on each view — over a second at a million events. Each event adds 1
to the cells (period, type, future, country, actor) for its month and for all time (period ``*``),
for each of its countries and for "any country" (``*``), crossed with each of its actors (by id)
and "any actor" (``*``). An event naming several countries also counts once in the cell of that
set (``+MLI+NER``), and an event naming several actors in the cell of that set (``+12+57``).

A filter then reads a slice of cells: the types of the events naming Niger are the cells (country
NER, actor ``*``); the countries of the events naming one actor are the cells (actor A, country a
single code). A filter on several countries would count an event naming k of them k times; the set
cells say how often that happened, so each of those counts is weighted ``-(k - 1)`` and every event
counts once. The same holds for actors, and when both filters are several the weights multiply
(an event's cells are every country key crossed with every actor key, so the sum of the products
is 1 for an event that names one of each, 0 otherwise).

Every write in :mod:`tracker.store` passes the cells an event leaves and the cells it enters to
:func:`apply`, in the same transaction. They are appended to a journal (``facetdelta``) that is
added up into ``facetcount`` every :data:`FOLD_AT` cells; readers add both. :func:`rebuild`
recomputes everything from the events (migrations, imports, bulk loads, ``tracker db recount``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from sqlalchemy import Connection, String, Table, and_, case, cast, delete, func, or_, select, text, union_all, update
from sqlmodel import Session, col

from tracker.models import Event, EventActor, EventCountry, FacetCount, FacetDelta, FacetSet

ALL_TIME = "*"
ANY = "*"  # any country / any actor
SET_MARK = "+"  # cells of several countries or actors at once start with it (and sort just after "*")
#: below every month string ("1900-01" ...) and above ALL_TIME ("*" sorts before digits)
FIRST_MONTH = "0000-00"
_SETS = (SET_MARK, chr(ord(SET_MARK) + 1))  # the key range holding every set cell
#: cells with a set are filed under "S" + their period: a slice of months read for single values
#: (the common case) never steps over them, and a filter on several values reads both
SET_PERIOD = "S"

Cell = tuple[str, str, bool, str, str]  # (period, event_type, future, country, actor)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


#: a set key longer than this (an event naming dozens of actors) is written as a digest of its members
#: instead: the key columns hold 200 characters
_LONGEST_KEY = 190
#: members of the digest keys made in this process, for :func:`apply` (a key is a pure function of
#: its members, so this only remembers an inverse already computed)
_DIGESTED: dict[str, tuple[str, ...]] = {}


def set_key(items: Iterable[str]) -> str:
    """The cell of an event naming several countries or actors, as a set ("+BFA+MLI+NER", "+12+57")."""
    members = tuple(sorted(set(items)))
    key = SET_MARK + SET_MARK.join(members)
    if len(key) <= _LONGEST_KEY:
        return key
    import hashlib

    key = SET_MARK + "~" + hashlib.blake2b("\x1f".join(members).encode(), digest_size=16).hexdigest()
    _DIGESTED[key] = members
    return key


def facet_keys(countries: Iterable[str], actor_ids: Iterable[object]) -> str:
    """An event's countries and actor ids as the one string kept on its row ("MLI,NER|12,57")."""
    return ",".join(sorted(set(countries))) + "|" + ",".join(sorted({str(a) for a in actor_ids}))


def split_facet_keys(keys: str) -> tuple[list[str], list[int]]:
    """:func:`facet_keys` read back: (countries, actor ids)."""
    codes, _, actors = keys.partition("|")
    return (codes.split(",") if codes else []), ([int(a) for a in actors.split(",")] if actors else [])


def facet_keys_from_links(dialect: str):  # type: ignore[no-untyped-def]
    """:func:`facet_keys` made by the database from an event's link rows (a correlated expression on
    ``event``). The order inside each list does not matter to the readers (they make sets), so
    SQLite's unordered group_concat is fine."""
    agg = func.string_agg if dialect == "postgresql" else func.group_concat
    codes = select(agg(EventCountry.country, ",")).where(col(EventCountry.event_id) == col(Event.id))
    actors = select(agg(cast(EventActor.actor_id, String), ",")).where(col(EventActor.event_id) == col(Event.id))
    return func.coalesce(codes.scalar_subquery(), "").concat("|").concat(func.coalesce(actors.scalar_subquery(), ""))


def fill_facet_keys(conn: Connection) -> None:
    """Write every event's ``facet_keys`` from its links (migrations, bulk loads, recount)."""
    conn.execute(update(Event).values(facet_keys=facet_keys_from_links(conn.dialect.name)))


def set_members(key: str) -> tuple[str, ...]:
    """The members of a set key made by :func:`set_key`."""
    if key.startswith(SET_MARK + "~"):
        return _DIGESTED[key]
    return tuple(key[1:].split(SET_MARK))


def _keys(items: Iterable[object]) -> tuple[str, ...]:
    own = tuple(dict.fromkeys(str(i) for i in items))
    return (ANY, *own, set_key(own)) if len(own) > 1 else (ANY, *own)


def add_cells(
    acc: dict[Cell, int], sign: int, event_type: str, day: date, future: bool,
    countries: Iterable[str], actor_ids: Iterable[int],
) -> None:
    """Add ``sign`` to each cell one event counts in: 2 periods x its country keys x its actor keys
    (each: any, every single value, and the set of them when there are several).

    Accumulates into a plain dict: an ingest adds a whole article's events (hundreds of cells) and
    this runs for every one of them."""
    cs, ac = _keys(countries), _keys(actor_ids)
    f = bool(future)
    get = acc.get
    for period in (ALL_TIME, month_of(day)):
        for c in cs:
            for a in ac:
                key = (SET_PERIOD + period if c[0] == SET_MARK or a[0] == SET_MARK else period, event_type, f, c, a)
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


#: the journal is folded into the count table once it holds this many cells (~10 articles): small
#: enough that readers scan it whole in a millisecond, large enough that the hot cells every article
#: touches (all time, this month) are written once per fold instead of once per article
FOLD_AT = 5000


def apply(session: Session | Connection, delta: dict[Cell, int]) -> None:
    """Record ``delta`` (cell -> +n / -n) in the caller's transaction: appended to the journal
    (``facetdelta``), which is folded into ``facetcount`` when it has grown to :data:`FOLD_AT` rows.

    Appending costs an ingest a fraction of what upserting hundreds of scattered cells did (each
    one a B-tree page of its own to rewrite and to write to the WAL at commit). The statement goes
    to the driver as plain SQL with tuples: SQLAlchemy's per-row handling cost more than the work.
    """
    rows = [(p, t, f, c, a, n) for (p, t, f, c, a), n in delta.items() if n]
    if not rows:
        return
    conn = session.connection() if isinstance(session, Session) else session
    style = conn.dialect.paramstyle
    conn.exec_driver_sql(_append_sql(style), rows)
    # the members of each set key the article brought (a few distinct keys among its hundreds of cells)
    keys = (("country", {r[3] for r in rows}), ("actor", {r[4] for r in rows}))
    members = sorted({(kind, m, k) for kind, ks in keys for k in ks if k[0] == SET_MARK for m in set_members(k)})
    if members:  # a set seen before is there already: nothing is written
        conn.exec_driver_sql(_member_sql(style), members)
    # its size from the two ends of its key (a fold empties it, so ids run on from there): a COUNT
    # would read every row on every article
    if (conn.execute(text("SELECT (SELECT MAX(id) FROM facetdelta) - (SELECT MIN(id) FROM facetdelta)")).scalar()
            or 0) >= FOLD_AT:
        fold(conn)


def fold(conn: Connection) -> None:
    """Add the journal up into ``facetcount`` and empty it, in the caller's transaction.

    On PostgreSQL the rows are taken with DELETE ... RETURNING, so two writers folding at once each
    move the rows they deleted and none twice (the second waits for the first's row locks, then finds
    them gone); cells are written in key order so such writers queue rather than deadlock. SQLite has
    one writer at a time (BEGIN IMMEDIATE)."""
    cols = "period, event_type, future, country, actor"
    upsert = ("ON CONFLICT (country, period, actor, event_type, future) "
              "DO UPDATE SET n = facetcount.n + excluded.n")
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            f"WITH moved AS (DELETE FROM facetdelta RETURNING {cols}, n) "
            f"INSERT INTO facetcount ({cols}, n) SELECT {cols}, SUM(n) FROM moved GROUP BY {cols} "
            f"ORDER BY country, period, actor, event_type, future {upsert}"
        ))
    else:
        conn.execute(text(
            f"INSERT INTO facetcount ({cols}, n) SELECT {cols}, SUM(n) FROM facetdelta WHERE true "
            f"GROUP BY {cols} {upsert}"
        ))
        conn.execute(text("DELETE FROM facetdelta"))


@lru_cache(maxsize=4)
def _append_sql(paramstyle: str) -> str:
    mark = "?" if paramstyle == "qmark" else "%s"
    return (f"INSERT INTO facetdelta (period, event_type, future, country, actor, n) "
            f"VALUES ({', '.join([mark] * 6)})")


@lru_cache(maxsize=4)
def _member_sql(paramstyle: str) -> str:
    mark = "?" if paramstyle == "qmark" else "%s"
    return f"INSERT INTO facetset (kind, member, key) VALUES ({mark}, {mark}, {mark}) ON CONFLICT DO NOTHING"


def rebuild(conn: Connection) -> int:
    """Recompute every cell from the events, in the caller's transaction; returns the rows written.

    Plain SQL (one INSERT ... SELECT per period kind), so a million events take a minute, not the
    ten a Python loop would. The set keys of events naming several countries or actors are made in
    Python (the order of SQLite's group_concat is not defined) into temporary tables.
    """
    conn.execute(delete(_table()))
    conn.execute(delete(FacetDelta.__table__))  # type: ignore[attr-defined]
    conn.execute(delete(FacetSet.__table__))  # type: ignore[attr-defined]
    postgres = conn.dialect.name == "postgresql"
    members: set[tuple[str, str, str]] = set()
    for name, link, column in (("facet_cset", "eventcountry", "country"), ("facet_aset", "eventactor", "actor_id")):
        rows = conn.execute(text(
            f"SELECT event_id, {column} FROM {link} WHERE event_id IN "
            f"(SELECT event_id FROM {link} GROUP BY event_id HAVING COUNT(*) > 1) ORDER BY event_id"
        )).all()
        sets: dict[int, list[str]] = {}
        for eid, item in rows:
            sets.setdefault(eid, []).append(str(item))
        conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
        conn.execute(text(f"CREATE TEMPORARY TABLE {name} (event_id INTEGER PRIMARY KEY, k VARCHAR(200))"
                          + (" ON COMMIT DROP" if postgres else "")))
        if sets:
            conn.execute(text(f"INSERT INTO {name} (event_id, k) VALUES (:e, :k)"),
                         [{"e": eid, "k": set_key(items)} for eid, items in sets.items()])
        kind = "country" if column == "country" else "actor"
        members.update((kind, m, set_key(items)) for items in sets.values() for m in set(items))
    if members:
        conn.execute(FacetSet.__table__.insert(),  # type: ignore[attr-defined]
                     [{"kind": k, "member": m, "key": key} for k, m, key in sorted(members)])
    month = "to_char(e.date, 'YYYY-MM')" if postgres else "substr(e.date, 1, 7)"
    written = 0
    for period in (f"'{ALL_TIME}'", month):
        sql = f"""
            INSERT INTO facetcount (period, event_type, future, country, actor, n)
            SELECT CASE WHEN c.k LIKE '{SET_MARK}%' OR a.k LIKE '{SET_MARK}%' THEN '{SET_PERIOD}' || {period}
                        ELSE {period} END,
                   e.event_type, e.future, c.k, a.k, COUNT(*)
            FROM event e
            JOIN (SELECT event_id, country AS k FROM eventcountry
                  UNION ALL SELECT id, '{ANY}' FROM event
                  UNION ALL SELECT event_id, k FROM facet_cset) c ON c.event_id = e.id
            JOIN (SELECT event_id, CAST(actor_id AS VARCHAR(20)) AS k FROM eventactor
                  UNION ALL SELECT id, '{ANY}' FROM event
                  UNION ALL SELECT event_id, k FROM facet_aset) a ON a.event_id = e.id
            GROUP BY 1, 2, 3, 4, 5"""
        written += conn.execute(text(sql)).rowcount or 0
    if not postgres:
        conn.execute(text("DROP TABLE facet_cset"))
        conn.execute(text("DROP TABLE facet_aset"))
    return written


def _weights(session: Session, kind: str, picked: list[str]) -> dict[str, int]:
    """The cells a filter on several values reads, with their weights: 1 for each picked value,
    -(k - 1) for a set cell naming k >= 2 of them (found through ``facetset``'s member rows)."""
    weights = dict.fromkeys(picked, 1)
    s = FacetSet
    q = (
        select(s.key, func.count())
        .where(col(s.kind) == kind, col(s.member).in_(picked))
        .group_by(s.key)
        .having(func.count() > 1)
    )
    for key, k in session.exec(q).all():  # type: ignore[call-overload]
        weights[key] = 1 - int(k)
    return weights


def counts(
    session: Session,
    dim: str,
    *,
    months: tuple[str, str] | None,
    countries: list[str] | None = None,
    actor_ids: list[int] | None = None,
    types: list[str] | None = None,
    include_future: bool = True,
) -> list[tuple[str, int]]:
    """Counts per ``dim`` ("event_type", "country" or "actor") of the events in the given months
    (inclusive "YYYY-MM" bounds; None = all time) that name any of ``countries`` and any of
    ``actor_ids`` (empty or None: no condition).

    The facet's own dimension is free (its filter is the caller's to leave out): countries are
    counted as single codes, actors as single ids (returned as strings)."""
    weighted: list[tuple[str, dict[str, int]]] = []  # several-valued filters and their cells' weights
    for name, values in (("country", countries or []), ("actor", [str(a) for a in actor_ids or []])):
        if dim != name and len(set(values)) > 1:
            weighted.append((name, _weights(session, name, list(dict.fromkeys(values)))))
    several = bool(weighted)

    def part(t):  # type: ignore[no-untyped-def]
        """The cells of table ``t`` (the counts, or the journal not yet folded into them)."""
        periods = []
        for prefix in ("", SET_PERIOD) if several else ("",):
            if months is None:
                periods.append(col(t.period) == prefix + ALL_TIME)
            else:
                periods.append(and_(col(t.period) >= prefix + months[0], col(t.period) <= prefix + months[1]))
        conds = [or_(*periods)]
        weights = dict(weighted)
        for name, values in (("country", countries or []), ("actor", [str(a) for a in actor_ids or []])):
            column = getattr(t, name)
            if name == dim:  # the facet itself: one value per cell, not "any" ("*"), not a set ("+..."):
                conds.append(column > _SETS[1])  # every code and id sorts after both, as an index range
            elif name in weights:
                conds.append(column.in_(sorted(weights[name])))
            else:
                conds.append(column == (values[0] if values else ANY))
        if types:
            conds.append(col(t.event_type).in_(types))
        if not include_future:
            conds.append(col(t.future).is_(False))
        keys = [getattr(t, name) for name, _ in weighted] + [getattr(t, dim)]
        return select(*keys, t.n.label("n")).where(*conds)  # type: ignore[attr-defined]

    both = union_all(part(FacetCount), part(FacetDelta)).subquery()
    n = both.c.n
    # each cell's count times the weight of its country key and of its actor key, added up by the
    # database: the rows per (key, value) would be tens of thousands for the actor facet of three
    # countries, each sent to Python to be weighted there
    for name, weights in weighted:
        n = n * case(weights, value=both.c[name], else_=0)
    total = func.sum(n)
    q = select(both.c[dim], total).group_by(both.c[dim]).having(total > 0)
    return [(k, int(v)) for k, v in session.exec(q).all()]  # type: ignore[call-overload]
