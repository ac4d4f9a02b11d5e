"""The founding article (published 2023-08-05): the events an analyst reads out of it.

The seed lives beside the project in ``../shared/seeds/`` and is never copied into the repo; every
test here skips when it is absent (the ``seed_text`` fixture does that).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.events import extract, is_chrome
from tracker.types import Document, EventDraft

PUBLISHED = date(2023, 8, 5)
SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "000_173b99276104108a.txt"


@pytest.fixture(scope="module")
def drafts() -> list[EventDraft]:
    if not SEED.exists():
        pytest.skip(f"seed article not present at {SEED}")
    return extract(Document(text=SEED.read_text(encoding="utf-8"), published=PUBLISHED))


def _find(drafts: list[EventDraft], **want: object) -> list[EventDraft]:
    return [d for d in drafts if all(getattr(d, k) == v for k, v in want.items())]


def test_kremlin_warning_on_friday(drafts: list[EventDraft]) -> None:
    hits = [d for d in _find(drafts, date=date(2023, 8, 4)) if d.event_type in {"statement", "threat"}]
    assert hits, drafts
    d = hits[0]
    assert "Russia" in d.actors
    assert {"RUS", "NER"} <= set(d.countries)
    assert d.future is False
    assert d.resolution == "relative"
    assert "Kremlin" in d.title


def test_ecowas_deadline_on_sunday_points_forward(drafts: list[EventDraft]) -> None:
    hits = _find(drafts, date=date(2023, 8, 6), event_type="deadline")
    assert hits, drafts
    d = hits[0]
    assert d.future is True
    assert {"NGA", "NER"} <= set(d.countries)
    assert d.plover == "THREATEN"
    assert "Mohamed Bazoum" in d.actors


def test_the_coup_itself(drafts: list[EventDraft]) -> None:
    coups = [
        d for d in _find(drafts, event_type="coup", precision="day") if date(2023, 7, 26) <= d.date <= date(2023, 7, 30)
    ]
    assert coups, drafts
    # "Sunday's coup" read back from a Saturday is 30 July: what the text supports.
    assert coups[0].date == date(2023, 7, 30)
    assert "NER" in coups[0].countries
    assert "Mohamed Bazoum" in coups[0].actors  # lent by the undated "mutineers … Bazoum" sentence


def test_failed_attempt_two_years_earlier(drafts: list[EventDraft]) -> None:
    hits = [d for d in _find(drafts, event_type="coup") if d.date.year == 2021]
    assert hits, drafts
    assert hits[0].precision == "year"
    assert "NER" in hits[0].countries
    assert hits[0].date_text and "two years ago" in hits[0].date_text


def test_regional_coups_since_2020(drafts: list[EventDraft]) -> None:
    hits = [d for d in _find(drafts, event_type="coup") if d.date == date(2020, 1, 1)]
    assert hits, drafts
    assert hits[0].precision == "year"
    assert hits[0].resolution == "explicit"


def test_nothing_from_page_chrome(drafts: list[EventDraft]) -> None:
    for d in drafts:
        assert not is_chrome(d.sentence), d.sentence
        for junk in ("Skip Navigation", "comments", "single thread", "www."):
            assert junk not in d.sentence, d.sentence


def test_every_draft_is_well_formed(drafts: list[EventDraft]) -> None:
    from tracker.types import EVENT_TYPES, PRECISIONS, RESOLUTIONS

    for d in drafts:
        assert d.event_type in EVENT_TYPES
        assert d.precision in PRECISIONS
        assert d.resolution in RESOLUTIONS
        assert 0 < len(d.title) <= 91
        assert d.start < d.end
        assert d.date_end is None or d.date_end >= d.date
        assert d.places, d


def test_seed_deadline_names_the_west_african_bloc(drafts: list[EventDraft]) -> None:
    deadline = [d for d in _find(drafts, date=date(2023, 8, 6)) if d.future]
    assert deadline and "ECOWAS" in deadline[0].actors
