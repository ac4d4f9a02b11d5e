"""Commands that look after the store: ``db upgrade``/``db current``, ``export``, ``import``, ``history``.

They live apart from :mod:`tracker.cli` so the everyday commands stay short, and are attached to the
same Typer app by :func:`register`. ``register`` also gives *every* command one promise the team
relies on: a database problem (locked, read-only, unreachable, schema behind the code) ends as one
``error: ...`` line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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

db_app = typer.Typer(help="The store's schema: upgrade it, see its revision, recount its facet table.",
                     no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


class ExportFormat(StrEnum):
    acled_csv = "acled-csv"
    json = "json"
    timelinejs = "timelinejs"
    ics = "ics"


FormatOpt = Annotated[ExportFormat, typer.Option("--format", help="acled-csv, json, timelinejs or ics")]
AllOpt = Annotated[bool, typer.Option("--all", help="the whole store, every table (for `tracker import`)")]


def _fail(message: str, code: int = 2) -> None:
    from tracker.cli import fail

    fail(message, code)


def store_error_message(exc: BaseException) -> str | None:
    """One line saying what is wrong with the store, or None if ``exc`` is not a store problem."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from tracker.admin import SchemaError
    from tracker.store import StoreError

    if isinstance(exc, StoreError | SchemaError):
        return str(exc)
    if not isinstance(exc, SQLAlchemyError):
        return None
    raw = str(exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc)
    first = raw.strip().splitlines()[0][:200] if raw.strip() else exc.__class__.__name__
    low = raw.lower()
    if "locked" in low or "busy" in low:
        return f"the store is busy (another process is writing: {first}); nothing was changed, try again"
    if "readonly" in low or "read-only" in low or "read only" in low:
        return f"the store is read-only ({first}); nothing was changed"
    return f"store error: {first}"


def _friendly(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except (typer.Exit, typer.Abort):  # a normal ending: nothing to translate (and no imports)
            raise
        except Exception as exc:
            msg = store_error_message(exc)
            if msg is None:
                raise
            _fail(msg)

    return wrapper


def _engine(db: str | None):  # type: ignore[no-untyped-def]
    from tracker.cli import _engine as open_engine

    return open_engine(db)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Option(help="target revision")] = "head",
    db: DbOpt = None,
) -> None:
    """Bring the store to the current schema (or REVISION), keeping every row."""
    from tracker.admin import upgrade
    from tracker.store import database_url

    url = db or database_url()
    before, after = upgrade(url, revision)
    if before == after:
        typer.echo(f"store already at revision {after}")
    else:
        typer.echo(f"store upgraded from revision {before or '(none)'} to {after}")


@db_app.command("recount")
def db_recount(db: DbOpt = None) -> None:
    """Recompute the facet count table, and each event's copy of its links, from the events (after
    writing to the tables by hand)."""
    from tracker import rollup
    from tracker.store import _writing, session_scope

    with session_scope(_engine(db)) as s:
        _writing(s)
        rollup.fill_facet_keys(s.connection())
        rows = rollup.rebuild(s.connection())
    typer.echo(f"counted: {rows} facet cells")


@db_app.command("current")
def db_current(db: DbOpt = None) -> None:
    """Print the store's schema revision and whether it is the one this code needs."""
    from sqlalchemy import create_engine

    from tracker.admin import current_revision, head_revision
    from tracker.store import database_url

    engine = create_engine(db or database_url())
    try:
        rev = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    state = "up to date" if rev == head else f"behind: run `tracker db upgrade` (code needs {head})"
    typer.echo(f"{rev or '(none)'} ({state})")


def export(
    fmt: FormatOpt = ExportFormat.json,
    all_: AllOpt = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: stdout)")] = None,
    country: CountryOpt = None,
    actor: ActorOpt = None,
    type_: TypeOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    text: TextOpt = None,
    article: ArticleOpt = None,
    future: FutureOpt = True,
    db: DbOpt = None,
) -> None:
    """Export the filtered events (ACLED-like CSV, JSON, TimelineJS, ICS of deadlines), or --all of the store."""
    from tracker.cli import _filters

    engine = _engine(db)
    if all_:
        if output is None:
            _fail("--all needs -o FILE (the export is meant for `tracker import`)")
        assert output is not None
        from tracker.admin import export_store

        counts = export_store(engine, output)
        typer.echo(f"exported {sum(counts.values())} rows of {len(counts)} tables to {output}", err=True)
        return
    from tracker.exports import render
    from tracker.store import list_events, session_scope

    f = _filters(country, actor, type_, since, until, text, article, future)
    with session_scope(engine) as s:
        rows = list_events(s, f, with_sources=True)
    body = render(rows, fmt.value)
    if output is None:
        typer.echo(body, nl=False)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        tmp.write_text(body, encoding="utf-8", newline="")
        tmp.replace(output)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror})")
    typer.echo(f"exported {len(rows)} events as {fmt.value} to {output}", err=True)


def import_cmd(
    file: Annotated[Path, typer.Argument(help="a file written by `tracker export --all`")],
    db: DbOpt = None,
) -> None:
    """Load a whole-store export into an empty store (ids, audit trail and all)."""
    from tracker.admin import import_store

    engine = _engine(db)
    try:
        counts = import_store(engine, file)
    except ValueError as exc:
        _fail(str(exc))
        return
    typer.echo(f"imported {sum(counts.values())} rows: " + ", ".join(f"{n} {t}" for t, n in counts.items() if n))


def history_cmd(
    event_id: Annotated[int, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json", help="print the audit rows as JSON")] = False,
    db: DbOpt = None,
) -> None:
    """The audit trail of one event: who created, edited, merged or deleted it, when, and what changed."""
    from tracker.store import history, session_scope

    with session_scope(_engine(db)) as s:
        rows = history(s, event_id)
    if not rows:
        _fail(f"no history for event {event_id}")
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=1))
        return
    for r in rows:
        typer.echo(f"{r.at:%Y-%m-%d %H:%M:%S} {r.action:<7} {r.user or '-':<12} {describe_change(r.before, r.after)}")


def describe_change(before: str | None, after: str | None) -> str:
    """A short human summary of an audit row's before/after JSON: the fields that changed."""
    try:
        b = json.loads(before) if before else None
        a = json.loads(after) if after else None
    except json.JSONDecodeError:
        return ""
    if isinstance(b, dict) and isinstance(a, dict):
        skip = {"updated_at", "edited", "resolution"}
        diffs = [f"{k}: {b.get(k)!r} -> {a.get(k)!r}" for k in a if k not in skip and b.get(k) != a.get(k)]
        return "; ".join(diffs) or "(no visible change)"
    if isinstance(a, dict):
        return f"{a.get('date', '')} {a.get('title', '')}".strip() or json.dumps(a)[:120]
    if isinstance(b, dict):
        return f"was: {b.get('date', '')} {b.get('title', '')}".strip()
    return ""


def register(app: typer.Typer) -> None:
    """Attach these commands to ``app`` and make every command report store errors in one line.

    Call it after all of ``app``'s own commands are defined (the wrapping applies to those present).
    """
    app.add_typer(db_app, name="db")
    app.command(name="export")(export)
    app.command(name="import")(import_cmd)
    app.command(name="history")(history_cmd)
    for info in app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_friendly", False):
            info.callback = _friendly(info.callback)
            info.callback._friendly = True  # type: ignore[attr-defined]
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        for info in sub.registered_commands:
            if info.callback is not None and not getattr(info.callback, "_friendly", False):
                info.callback = _friendly(info.callback)
                info.callback._friendly = True  # type: ignore[attr-defined]
