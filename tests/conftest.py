"""Shared fixtures: a fresh store per test, the CLI runner, paths to our data and the shared kit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_173b99276104108a.txt"
SAMPLES = REPO / "data" / "samples"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file, also exported as DATABASE_URL for code that reads the environment."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    from tracker.store import get_engine

    return get_engine(db_url)


@pytest.fixture
def session(engine) -> Iterator:  # type: ignore[no-untyped-def]
    from tracker.store import session_scope

    with session_scope(engine) as s:
        yield s


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    """Run ``tracker ...`` in-process; returns the click Result (exit_code, stdout, stderr)."""
    from typer.testing import CliRunner

    from tracker.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not present at {SEED}")
    return SEED.read_text(encoding="utf-8")
