"""Command-line options shared by several commands (the same filter flags on ``events`` and
``export``, the store URL everywhere), defined once so their names and help never drift apart."""

from __future__ import annotations

from typing import Annotated

import typer

DbOpt = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL (default: DATABASE_URL or data/tracker.db)")]
CountryOpt = Annotated[list[str] | None, typer.Option(help="ISO3 code or name; repeat for several")]
ActorOpt = Annotated[list[str] | None, typer.Option(help="actor name or alias; repeat for several")]
TypeOpt = Annotated[list[str] | None, typer.Option("--type", help="event type slug")]
SinceOpt = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]
UntilOpt = Annotated[str | None, typer.Option(help="YYYY-MM-DD")]
TextOpt = Annotated[str | None, typer.Option(help="free-text search in title, sentence, notes")]
ArticleOpt = Annotated[int | None, typer.Option(help="only events from this article id")]
FutureOpt = Annotated[bool, typer.Option(help="include future events (deadlines, plans)")]
