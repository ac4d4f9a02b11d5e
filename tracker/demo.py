"""The demo data: our own sample articles in data/samples, loaded through the normal ingest path."""

from __future__ import annotations

from pathlib import Path

from tracker.store import REPO_ROOT

SAMPLES = REPO_ROOT / "data" / "samples"


def seed(engine=None, folder: Path = SAMPLES) -> list[str]:  # type: ignore[no-untyped-def]
    """Ingest every sample article (publication dates from the folder's manifest.csv).

    Idempotent: articles already stored are recognised by their content and skipped.
    """
    from tracker.ingest import ingest_paths

    return [r.message for r in ingest_paths([folder], engine=engine)]
