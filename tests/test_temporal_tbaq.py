"""Regression guards: TempEval-3 value F1 on the public TBAQ set, and on our blind articles, must not drop.

Uses the shared scorer (``<repo>/../shared/eval/timex_score.py``) and gold data; skipped when the
shared folder is not next to the repository. Throughput figures come from bench/timex.py, not here.

The blind articles (``tests/golden/temporal_blind_articles.jsonl``, from the markup in
``tests/golden/blind_articles_src/``) are 100 news stories of 2012-2014 written and annotated by us
without running the tagger, in eight batches; each batch was scored once before any rule was changed
for it (see the README's figures).
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from tracker.temporal import tag

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "eval" / "timex_score.py"
GOLD = SHARED / "corpora" / "tbaq" / "tbaq_gold.jsonl"
BLIND = Path(__file__).parent / "golden" / "temporal_blind_articles.jsonl"
BLIND_SRC = Path(__file__).parent / "golden" / "blind_articles_src"

# The level reached when this guard was last raised, minus a little slack.
VALUE_F1_FLOOR = 0.831  # reached 0.834
STRICT_F1_FLOOR = 0.900  # reached 0.903
BLIND_VALUE_F1_FLOOR = 0.955  # reached 0.961 (A 0.976, B 0.970, C 0.953, D 0.953, E 0.982, F 0.952, G 0.923, H 0.982)

needs_scorer = pytest.mark.skipif(
    not (SCORER.exists() and GOLD.exists()), reason=f"shared eval kit not found at {SHARED}"
)


def _scorer():  # noqa: ANN202 - a module loaded by path
    spec = importlib.util.spec_from_file_location("timex_score", SCORER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _tag_all(gold: dict) -> dict:
    system = {}
    for doc_id, doc in gold.items():
        dct = date.fromisoformat(doc["dct"][:10]) if doc.get("dct") else None
        system[doc_id] = {
            "id": doc_id,
            "timexes": [
                {"start": t.start, "end": t.end, "type": t.type, "value": t.value} for t in tag(doc["text"], dct)
            ],
        }
    return system


@needs_scorer
def test_tbaq_value_f1_does_not_regress() -> None:
    ts = _scorer()
    gold = ts.load_jsonl(str(GOLD))
    system = _tag_all(gold)
    res, _, _ = ts.evaluate(gold, system)
    scores = res["all"]
    assert scores["value_f1"] >= VALUE_F1_FLOOR, scores["value_f1"]
    assert scores["strict_f1"] >= STRICT_F1_FLOOR, scores["strict_f1"]


@needs_scorer
def test_blind_articles_value_f1_does_not_regress() -> None:
    ts = _scorer()
    gold = ts.load_jsonl(str(BLIND))
    res, _, _ = ts.evaluate(gold, _tag_all(gold))
    assert res["all"]["value_f1"] >= BLIND_VALUE_F1_FLOOR, res["all"]["value_f1"]


def test_blind_articles_match_their_markup() -> None:
    """The JSONL is generated from the annotated markup; a hand edit to one must reach the other."""
    spec = importlib.util.spec_from_file_location("convert", BLIND_SRC / "convert.py")
    assert spec and spec.loader
    conv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conv)
    docs = []
    for name in ("batch_a.md", "batch_b.md", "batch_c.md", "batch_d.md", "batch_e.md", "batch_f.md", "batch_g.md",
                 "batch_h.md"):
        batch_docs, problems = conv.convert((BLIND_SRC / name).read_text(encoding="utf-8"))
        assert problems == []
        docs += [{**d, "batch": name[6].upper()} for d in batch_docs]
    stored = [json.loads(line) for line in BLIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert docs == stored
