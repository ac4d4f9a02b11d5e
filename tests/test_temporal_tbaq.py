"""Regression guard: TempEval-3 value F1 on the public TBAQ set must not drop.

Uses the shared scorer (``<repo>/../shared/eval/timex_score.py``) and gold data; skipped when the
shared folder is not next to the repository. Throughput figures come from bench/timex.py, not here.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from tracker.temporal import tag

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "eval" / "timex_score.py"
GOLD = SHARED / "corpora" / "tbaq" / "tbaq_gold.jsonl"

# The level reached when this guard was last raised, minus a little slack.
VALUE_F1_FLOOR = 0.828  # reached 0.831
STRICT_F1_FLOOR = 0.900  # reached 0.903

pytestmark = pytest.mark.skipif(
    not (SCORER.exists() and GOLD.exists()), reason=f"shared eval kit not found at {SHARED}"
)


def _scorer():  # noqa: ANN202 - a module loaded by path
    spec = importlib.util.spec_from_file_location("timex_score", SCORER)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_tbaq_value_f1_does_not_regress() -> None:
    ts = _scorer()
    gold = ts.load_jsonl(str(GOLD))
    system = {}
    for doc_id, doc in gold.items():
        dct = date.fromisoformat(doc["dct"][:10]) if doc.get("dct") else None
        system[doc_id] = {
            "id": doc_id,
            "timexes": [
                {"start": t.start, "end": t.end, "type": t.type, "value": t.value} for t in tag(doc["text"], dct)
            ],
        }
    res, _, _ = ts.evaluate(gold, system)
    scores = res["all"]
    assert scores["value_f1"] >= VALUE_F1_FLOOR, scores["value_f1"]
    assert scores["strict_f1"] >= STRICT_F1_FLOOR, scores["strict_f1"]
