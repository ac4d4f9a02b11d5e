"""The ``tracker`` command: every capability of the dashboard, on the command line.

Heavy modules (the store, Streamlit) are imported inside the commands that need them, so that
``tracker timex`` and ``tracker extract`` start fast and never touch a database.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli_options import (
    ActorOpt,
    ArticleOpt,
    CountryOpt,
    DbOpt,
    FutureOpt,
    SinceOpt,
    TextOpt,
    TypeOpt,
    UntilOpt,
)

app = typer.Typer(
    help="Geopolitical event timeline tracker: ingest articles, extract dated events, query and edit them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def fail(message: str, code: int = 2) -> None:
    """One clear line on stderr and a non-zero exit: the contract for every bad input."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _engine(db: str | None):  # type: ignore[no-untyped-def]
    from tracker.store import get_engine

    try:
        return get_engine(db)
    except Exception as exc:  # unreachable server, unwritable file: say which, not a traceback
        fail(f"cannot open the store {db or ''}: {exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}")




@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help=".txt/.html files or folders of them")],
    published: Annotated[str | None, typer.Option(help="YYYY-MM-DD (HTML: read from the page)")] = None,
    title: Annotated[str | None, typer.Option(help="article title")] = None,
    url: Annotated[str | None, typer.Option(help="article URL")] = None,
    db: DbOpt = None,
) -> None:
    """Ingest articles: extract their events and store them, one transaction per article."""
    from tracker.ingest import IngestError, ingest_paths

    engine = _engine(db)
    try:
        reports = ingest_paths(paths, published=published, title=title, url=url, engine=engine)
    except IngestError as exc:
        fail(str(exc))
    if not reports:
        fail("no .txt or .html files found in " + ", ".join(map(str, paths)))
    bad = 0
    for r in reports:
        if r.ok:
            typer.echo(r.message)
        else:
            bad += 1
            typer.echo(f"error: {r.message}", err=True)
    if bad:
        raise typer.Exit(2)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="a .txt or .html article")],
    published: Annotated[str | None, typer.Option(help="publication date YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the extraction as JSON")] = False,
    title: Annotated[str | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Extract events from one article without touching the database."""
    from tracker.events import extract as run_extract
    from tracker.ingest import IngestError, load_document

    try:
        doc = load_document(file, published=published, title=title, url=url)
    except IngestError as exc:
        fail(str(exc))
    drafts = run_extract(doc)
    if as_json:
        typer.echo(
            json.dumps({"article": doc.to_json(), "events": [d.to_json() for d in drafts]}, ensure_ascii=False,
                       indent=1)
        )
        return
    for d in drafts:
        when = d.date.isoformat() + (f"..{d.date_end}" if d.date_end and d.date_end != d.date else "")
        flag = " (future)" if d.future else ""
        typer.echo(f"{when:<23} {d.precision:<7} {d.event_type:<11} {d.title}{flag}")


@app.command()
def timex() -> None:
    """Batch temporal tagger: JSONL {id, dct, text} on stdin -> JSONL {id, timexes} on stdout."""
    from tracker.temporal import run_batch

    raise typer.Exit(run_batch(sys.stdin, sys.stdout))


def _filters(country, actor, type_, since, until, text, article, future):  # type: ignore[no-untyped-def]
    from tracker.entities import normalize_country, resolve_actor
    from tracker.store import EventFilter
    from tracker.types import EVENT_TYPES

    codes = []
    for c in country or []:
        code = normalize_country(c)
        if code is None:
            fail(f"unknown country {c!r} (give an ISO3 code or an English name)")
        codes.append(code)
    for t in type_ or []:
        if t not in EVENT_TYPES:
            fail(f"unknown event type {t!r}; one of: {', '.join(EVENT_TYPES)}")
    return EventFilter(
        countries=codes,
        actors=[resolve_actor(a) or a for a in actor or []],
        types=list(type_ or []),
        since=_date_opt(since, "--since"),
        until=_date_opt(until, "--until"),
        text=text,
        article_id=article,
        include_future=future,
    )


def _date_opt(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{name} {value!r} is not a date YYYY-MM-DD")
    return None


EVENT_COLUMNS = ["id", "date", "date_end", "precision", "event_type", "title", "countries", "actors", "place_name",
                 "lat", "lon", "date_text", "resolution", "future", "status", "origin"]


@app.command()
def events(
    country: CountryOpt = None,
    actor: ActorOpt = None,
    type_: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    text: TextOpt = None,
    article: ArticleOpt = None,
    future: FutureOpt = True,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, json or csv")] = Fmt.table,
    limit: Annotated[int | None, typer.Option(help="at most this many")] = None,
    db: DbOpt = None,
) -> None:
    """List stored events, filtered."""
    from tracker.store import list_events, session_scope

    f = _filters(country, actor, type_, since, until, text, article, future)
    with session_scope(_engine(db)) as s:
        rows = list_events(s, f, limit=limit)
    if fmt is Fmt.json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=1))
        return
    if fmt is Fmt.csv:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(EVENT_COLUMNS)
        for r in rows:
            d = r.model_dump(mode="json")
            w.writerow([";".join(d[c]) if isinstance(d[c], list) else d[c] for c in EVENT_COLUMNS])
        typer.echo(buf.getvalue(), nl=False)
        return
    for r in rows:
        typer.echo(
            f"{r.id:>5} {r.date.isoformat():<10} {r.precision:<7} {r.event_type:<11} "
            f"{','.join(r.countries):<12} {r.title}{' (future)' if r.future else ''}"
        )
    typer.echo(f"{len(rows)} events")


@app.command()
def facets(
    country: CountryOpt = None,
    actor: ActorOpt = None,
    type_: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    text: TextOpt = None,
    article: ArticleOpt = None,
    future: FutureOpt = True,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
    db: DbOpt = None,
) -> None:
    """Counts per country, actor and type (each under the other filters), as beside the dashboard's filters."""
    from tracker.store import facets as count_facets
    from tracker.store import session_scope

    f = _filters(country, actor, type_, since, until, text, article, future)
    with session_scope(_engine(db)) as s:
        got = count_facets(s, f)
    if as_json:
        typer.echo(json.dumps({"total": got.total, "countries": dict(got.countries), "actors": dict(got.actors),
                               "types": dict(got.types)}, ensure_ascii=False, indent=1))
        return
    typer.echo(f"{got.total} events match")
    for title, rows in (("countries", got.countries), ("actors", got.actors), ("types", got.types)):
        typer.echo(f"{title}: " + (", ".join(f"{k} {n}" for k, n in rows) or "-"))


def _event_in(**kw):  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from tracker.models import EventIn

    try:
        return EventIn(**{k: v for k, v in kw.items() if v is not None})
    except ValidationError as exc:
        msgs = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"]) or "event"
            msgs.append(f"{where}: {e['msg'].removeprefix('Value error, ')}")
        fail("; ".join(msgs))


@app.command()
def add(
    title: Annotated[str, typer.Option(help="short headline")],
    date_: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")],
    precision: Annotated[str, typer.Option(help="day|week|month|quarter|year|decade")] = "day",
    type_: Annotated[str, typer.Option("--type", help="event type slug")] = "other",
    country: Annotated[list[str] | None, typer.Option(help="ISO3 or name; repeat")] = None,
    actor: Annotated[list[str] | None, typer.Option(help="actor; repeat")] = None,
    place: Annotated[str | None, typer.Option(help="place name")] = None,
    lat: Annotated[float | None, typer.Option()] = None,
    lon: Annotated[float | None, typer.Option()] = None,
    url: Annotated[str | None, typer.Option(help="source URL")] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    end: Annotated[str | None, typer.Option(help="end date YYYY-MM-DD")] = None,
    future: Annotated[bool, typer.Option(help="a deadline or planned event")] = False,
    user: Annotated[str | None, typer.Option(help="who adds it (audit trail)")] = None,
    db: DbOpt = None,
) -> None:
    """Add one event by hand."""
    from tracker.store import add_event, session_scope

    event_in = _event_in(
        title=title, date=_date_opt(date_, "--date"), date_end=_date_opt(end, "--end"), precision=precision,
        event_type=type_, countries=country or [], actors=actor or [], place_name=place, lat=lat, lon=lon,
        source_url=url, notes=notes, future=future,
    )
    with session_scope(_engine(db)) as s:
        view = add_event(s, event_in=event_in, user=user)
    typer.echo(f"added event {view.id}: {view.date} {view.title}")


def _event_or_fail(session, event_id: int):  # type: ignore[no-untyped-def]
    """The event, or the one-line error every command gives for an unknown id."""
    from tracker.store import get_event

    view = get_event(session, event_id)
    if view is None:
        fail(f"no event with id {event_id}")
    return view


@app.command()
def edit(
    event_id: Annotated[int, typer.Argument()],
    title: Annotated[str | None, typer.Option()] = None,
    date_: Annotated[str | None, typer.Option("--date")] = None,
    precision: Annotated[str | None, typer.Option()] = None,
    type_: Annotated[str | None, typer.Option("--type")] = None,
    country: Annotated[list[str] | None, typer.Option()] = None,
    actor: Annotated[list[str] | None, typer.Option()] = None,
    place: Annotated[str | None, typer.Option()] = None,
    notes: Annotated[str | None, typer.Option()] = None,
    user: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
) -> None:
    """Edit an event; what is not given stays as it is. Edited events survive re-ingest."""
    from tracker.store import session_scope, update_event

    with session_scope(_engine(db)) as s:
        cur = _event_or_fail(s, event_id)
        event_in = _event_in(
            title=title or cur.title, date=_date_opt(date_, "--date") or cur.date, date_end=cur.date_end,
            precision=precision or cur.precision, event_type=type_ or cur.event_type,
            countries=country if country else cur.countries, actors=actor if actor else cur.actors,
            place_name=place or cur.place_name, lat=None if place else cur.lat, lon=None if place else cur.lon,
            source_url=cur.source_url, notes=notes if notes is not None else cur.notes, future=cur.future,
        )
        view = update_event(s, event_id=event_id, event_in=event_in, user=user)
    typer.echo(f"updated event {view.id}: {view.date} {view.title}")


@app.command(name="delete")
def delete_cmd(
    event_id: Annotated[int, typer.Argument()],
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
    user: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
) -> None:
    """Delete an event (asks first unless --yes)."""
    from tracker.store import StoreError, delete_event, session_scope

    with session_scope(_engine(db)) as s:
        cur = _event_or_fail(s, event_id)
        if not yes and not typer.confirm(f"Delete event {event_id} ({cur.date} {cur.title})?"):
            fail("not deleted", code=1)
        try:
            delete_event(s, event_id=event_id, user=user)
        except StoreError as exc:
            fail(str(exc))
    typer.echo(f"deleted event {event_id}")


@app.command()
def show(event_id: Annotated[int, typer.Argument()], db: DbOpt = None) -> None:
    """One event with all its sources and its audit trail, as JSON."""
    from tracker.store import history, session_scope

    with session_scope(_engine(db)) as s:
        view = _event_or_fail(s, event_id)
        data = view.model_dump(mode="json")
        data["history"] = [c.model_dump(mode="json") for c in history(s, event_id)]
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1))


@app.command()
def articles(db: DbOpt = None) -> None:
    """List stored articles with their event counts."""
    from tracker.store import list_articles, session_scope

    with session_scope(_engine(db)) as s:
        rows = list_articles(s)
    for a in rows:
        typer.echo(f"{a.id:>4} {a.published} {a.events:>3} events  {a.title or ''}")
    typer.echo(f"{len(rows)} articles")


@app.command()
def demo(db: DbOpt = None) -> None:
    """Load the sample articles of data/samples into the store (idempotent)."""
    from tracker.demo import seed

    for line in seed(_engine(db)):
        typer.echo(line)


@app.command()
def dashboard(port: Annotated[int, typer.Option()] = 8501, db: DbOpt = None) -> None:
    """Start the Streamlit dashboard."""
    import os
    import subprocess

    from tracker.store import REPO_ROOT

    env = dict(os.environ)
    if db:
        env["DATABASE_URL"] = db
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "dashboard.py"), "--server.port", str(port)]
    raise typer.Exit(subprocess.call(cmd, env=env, cwd=REPO_ROOT))


from tracker.cli_admin import register  # noqa: E402  (db, export, import, history; one-line store errors)

register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
