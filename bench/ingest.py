"""End-to-end ingest throughput: synthetic ~800-word articles -> extraction -> a fresh SQLite store.

The synthetic articles alternate dated event sentences with background sentences; their event
density (~25 extracted events per 800 words) is at or above our own golden corpus (23 per 800
words) and four times the founding real article (~6 per 800 words), so the figure is not flattered.

    .venv/bin/python bench/ingest.py [--articles 300] [--words 800]

Prints articles/s for the whole path (load, temporal tagging, entities, events, one transaction per
article), the time per stage, and, as a baseline measured in the same run on the same texts,
``dateparser.search_dates`` alone (what a naive pipeline would spend on dates only).
Target (issue 4): >= 50 articles/s on one core.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SUBJECTS = ["The junta", "ECOWAS", "The Kremlin", "Washington", "Nigeria's president", "Mali's transitional government",
            "The African Union", "France", "Soldiers of the presidential guard", "Protesters in Niamey",
            "Burkina Faso's military rulers", "The United Nations", "Wagner fighters", "Chad's military council"]
VERBS = ["warned against an intervention in Niger", "imposed sanctions on Niger", "met in Abuja to discuss the crisis",
         "threatened to use force if Bazoum is not restored", "attacked an army post near Menaka",
         "announced the withdrawal of troops from the Sahel", "arrested two ministers in Niamey",
         "signed a defence pact in Bamako", "suspended aid to the region", "marched through the capital",
         "deployed troops to the border with Benin", "called for elections within three years"]
WHEN = ["on Friday", "last week", "on July 26, 2023", "two years ago", "by Sunday", "earlier this month",
        "in March", "a week later", "on Monday", "since 2020", "in 2021", "next month", "yesterday", "this summer"]
FILLER = ["Officials said the situation remained tense", "Analysts expect further talks between the parties",
          "The region has seen several coups", "Diplomats described the mood in the capital as grim",
          "Residents reported long queues for fuel and food", "The statement gave few details",
          "Aid agencies say millions of people depend on food assistance", "Prices of staples have risen sharply",
          "Schools in the border areas have been closed for months", "The army has struggled to hold rural areas",
          "Many families have fled to the towns", "Opposition figures have been reluctant to speak publicly"]
LINKS = ["and", "while", "although", "as", "but"]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _when(rng: random.Random) -> str:
    """Half relative expressions, half absolute dates spread over five years, as in real coverage."""
    if rng.random() < 0.5:
        return rng.choice(WHEN)
    return f"on {rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2019, 2024)}"


def make_article(rng: random.Random, words: int, serial: int) -> str:
    """A plausible news-like text of about ``words`` words, unique thanks to ``serial``."""
    out: list[str] = [f"Report {serial}: Sahel crisis update."]
    n = 0
    while n < words:
        if rng.random() < 0.5:
            s = f"{rng.choice(SUBJECTS)} {_when(rng)} {rng.choice(VERBS)}."
        else:  # background: two clauses, as news prose runs ~20 words a sentence
            s = f"{rng.choice(FILLER)}, {rng.choice(LINKS)} {rng.choice(FILLER).lower()}."
        out.append(s)
        n += len(s.split())
    return " ".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args(argv)

    from tracker.entities import find_actors
    from tracker.events import extract
    from tracker.ingest import load_document
    from tracker.store import get_engine, save_article, session_scope
    from tracker.temporal import tag

    rng = random.Random(7)
    texts = [make_article(rng, args.words, i) for i in range(args.articles)]
    pubs = [date(2023, 8, 1) + timedelta(days=i % 60) for i in range(args.articles)]
    n_words = sum(len(t.split()) for t in texts)
    tmp = tempfile.mkdtemp(prefix="bench-ingest-")
    engine = get_engine(f"sqlite:///{os.path.join(tmp, 'bench.db')}")
    # warm-up: compile the rule tables and load the gazetteers once (a one-off ~0.5 s per process),
    # outside the timing, which measures the steady state of a long ingest
    t_warm = time.perf_counter()
    find_actors("warm up")
    extract(load_document(make_article(random.Random(1), 200, -1), published=date(2023, 8, 5)))
    t_warm = time.perf_counter() - t_warm

    t_tag = t_extract = t_store = 0.0
    n_events = 0
    t0 = time.perf_counter()
    for text, pub in zip(texts, pubs, strict=True):
        doc = load_document(text, published=pub)
        a = time.perf_counter()
        timexes = tag(doc.text, doc.published)
        b = time.perf_counter()
        drafts = extract(doc, timexes)
        c = time.perf_counter()
        with session_scope(engine) as s:
            save_article(s, document=doc, drafts=drafts)
        d = time.perf_counter()
        t_tag += b - a
        t_extract += c - b
        t_store += d - c
        n_events += len(drafts)
    wall = time.perf_counter() - t0
    rate = args.articles / wall
    print(f"articles: {args.articles} x ~{args.words} words ({n_words} words), events extracted: {n_events}")
    print(f"end-to-end: {wall:.2f} s  ->  {rate:.1f} articles/s  ({n_words / wall:,.0f} words/s)   target >= 50")
    print(f"  temporal tagging {t_tag:.2f} s | events+entities {t_extract:.2f} s | store {t_store:.2f} s"
          f"   (one-off start-up, not counted: {t_warm:.2f} s)")
    if not args.no_baseline:
        from dateparser.search import search_dates

        k = min(30, args.articles)
        t1 = time.perf_counter()
        for text, pub in zip(texts[:k], pubs[:k], strict=True):
            base_dt = datetime(pub.year, pub.month, pub.day)
            search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base_dt})
        base = (time.perf_counter() - t1) / k
        print(f"baseline dateparser.search_dates alone: {1 / base:.1f} articles/s "
              f"(measured on {k} of the same articles); full pipeline is {rate * base:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
