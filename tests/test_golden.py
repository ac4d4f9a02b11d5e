"""The golden corpus: hand-written Sahel articles with the events an analyst would write down.

Each ``tests/golden/articles/NAME.txt`` has a ``NAME.json`` with the publication date and the
expected events. An expected event is found when some extracted event has the same date and type
and its countries include the expected ones. Per article we only require the extractor to run and
to find *something*; the corpus-wide recall and precision are asserted against floors that the
extractor actually reaches (see the figures printed by ``-s``), so a regression shows up as a drop.

Run with ``.venv/bin/pytest tests/test_golden.py -s`` to see the per-article misses and the totals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tracker.events import extract
from tracker.types import EVENT_TYPES, PRECISIONS, Document, EventDraft

GOLDEN = Path(__file__).parent / "golden" / "articles"
CASES = sorted(p.stem for p in GOLDEN.glob("*.json"))

# Floors, set a little under what the extractor measures on the whole corpus (recall 0.91,
# precision 0.84 over 34 articles at the time of writing; it also keeps one event per happening
# within an article now, which costs precision on duplicates that used to count as correct), so
# they catch regressions without flapping. The rules
# were developed on the "tuning" split. The two held-out batches were each committed before their
# first run and scored recall 0.62 / precision 0.53 ("heldout") and 0.57 / 0.50 ("heldout2") on
# it, before the generic fixes they prompted: that is the honest figure for unseen text.
# The third batch ("heldout3": six 500-600-word articles in the style of real wire and long-form
# news, with page chrome, quotes, background paragraphs and reported speech) scored recall 0.50
# (35/70) / precision 0.55 (41/75) on its first run — long real-style text is harder than the
# short articles of the first two batches. After the fixes it prompted, a fourth batch ("heldout4",
# four 410-480-word articles, committed before its first run) scored recall 0.60 (24/40) /
# precision 0.60 (24/40) on its first run: the generalisation figure of those fixes.
MIN_RECALL = 0.86
MIN_PRECISION = 0.80


@dataclass
class Score:
    expected: int
    found: int
    extracted: int
    correct: int  # extracted events that match some expected event
    misses: list[str]
    spurious: list[str]


def load(name: str) -> tuple[Document, list[dict]]:
    spec = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    text = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    doc = Document(text=text, published=date.fromisoformat(spec["published"]), path=f"{name}.txt")
    return doc, spec["events"]


def matches(exp: dict, got: EventDraft) -> bool:
    """Same date and type, and the extracted countries include the expected ones."""
    return (
        got.date.isoformat() == exp["date"]
        and got.event_type == exp["event_type"]
        and set(exp["countries"]) <= set(got.countries)
    )


def score(name: str) -> Score:
    doc, expected = load(name)
    got = extract(doc)
    found = [e for e in expected if any(matches(e, g) for g in got)]
    correct = [g for g in got if any(matches(e, g) for e in expected)]
    return Score(
        expected=len(expected),
        found=len(found),
        extracted=len(got),
        correct=len(correct),
        misses=[f"{e['date']} {e['event_type']} {e['countries']}" for e in expected if e not in found],
        spurious=[f"{g.date} {g.event_type} {g.countries} «{g.title}»" for g in got if g not in correct],
    )


def test_corpus_is_big_enough_and_well_formed() -> None:
    assert len(CASES) >= 12
    for name in CASES:
        assert (GOLDEN / f"{name}.txt").exists(), name
        _, expected = load(name)
        assert expected, name
        for e in expected:
            assert e["event_type"] in EVENT_TYPES, (name, e)
            assert e["precision"] in PRECISIONS, (name, e)
            date.fromisoformat(e["date"])
            assert all(len(c) == 3 and c.isupper() for c in e["countries"]), (name, e)
            assert isinstance(e["future"], bool)


@pytest.mark.parametrize("name", CASES)
def test_article_yields_expected_events(name: str) -> None:
    """Every article gives events, and at least one of the expected ones."""
    s = score(name)
    assert s.extracted > 0, name
    assert s.found >= 1, f"{name}: nothing found; missed {s.misses}"


def split_of(name: str) -> str:
    """``tuning`` articles were used to develop the rules; ``heldout`` ones were written after,
    with their expectations committed before the extractor first saw them."""
    spec = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return str(spec.get("split", "tuning"))


def totals(scores: dict[str, Score]) -> tuple[float, float, str]:
    expected = sum(s.expected for s in scores.values())
    found = sum(s.found for s in scores.values())
    extracted = sum(s.extracted for s in scores.values())
    correct = sum(s.correct for s in scores.values())
    recall = found / expected if expected else 0.0
    precision = correct / extracted if extracted else 0.0
    line = (
        f"{len(scores)} articles, {expected} expected events, {extracted} extracted; "
        f"recall {recall:.2f} ({found}/{expected}), precision {precision:.2f} ({correct}/{extracted})"
    )
    return recall, precision, line


def test_corpus_precision_and_recall() -> None:
    scores = {name: score(name) for name in CASES}
    for name, s in scores.items():
        for m in s.misses:
            print(f"MISS  {name}: {m}")
        for x in s.spurious:
            print(f"EXTRA {name}: {x}")
    print()
    for split in sorted({split_of(n) for n in scores}):
        part = {n: s for n, s in scores.items() if split_of(n) == split}
        print(f"golden [{split}]: {totals(part)[2]}")
    recall, precision, line = totals(scores)
    print(f"golden [all]: {line}")
    assert recall >= MIN_RECALL
    assert precision >= MIN_PRECISION
