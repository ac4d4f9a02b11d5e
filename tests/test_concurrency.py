"""Several writers at once, and a writer killed mid-article, on SQLite and on PostgreSQL.

Real processes, not threads: the promises are about what separate ``tracker`` runs on a team's
machines do to one store — every article and event exactly once, and never half an article.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tracker.events import extract
from tracker.ingest import load_document

from pg_support import pg_server, pg_url, store_url  # noqa: F401

PER_PROCESS = 200
SHARED = 20  # articles in both folders: the two ingests race to store them, one must win cleanly
MANUAL = 40


def _article(i: int) -> tuple[str, date]:
    """A short article with one attack on its own day, so no two articles report the same event."""
    day = date(2005, 1, 1) + timedelta(days=3 * i)
    text = (f"Gunmen attacked an army post near Menaka in Mali on {day:%B} {day.day}, {day.year}, the army said. "
            f"Dispatch {i} of the synthetic concurrency corpus.")
    return text, day + timedelta(days=1)


def _write_folder(folder: Path, indices: list[int]) -> None:
    folder.mkdir()
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "published"])
        for i in indices:
            text, published = _article(i)
            (folder / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
            w.writerow([f"a{i:04d}.txt", published.isoformat()])


HAND_SCRIPT = textwrap.dedent("""
    import sys
    from datetime import date
    from tracker.models import EventIn
    from tracker.store import add_event, get_engine, session_scope
    engine = get_engine()
    for k in range(int(sys.argv[1])):
        with session_scope(engine) as s:
            add_event(s, event_in=EventIn(title=f"Hand-entered meeting {k}", date=date(2024, 1, 1 + k % 28),
                                          event_type="diplomacy", countries=["NER"]), user="analyst")
""")


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env.pop("TRACKER_READ_ONLY", None)
    return env


@pytest.mark.slow
def test_two_ingests_and_hand_edits_at_once_store_everything_exactly_once(
    store_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from tracker.store import counts, get_engine, list_events, session_scope

    get_engine(store_url)  # the team's store exists before people start working on it
    shared = list(range(2 * PER_PROCESS, 2 * PER_PROCESS + SHARED))
    _write_folder(tmp_path / "a", list(range(PER_PROCESS)) + shared)
    _write_folder(tmp_path / "b", list(range(PER_PROCESS, 2 * PER_PROCESS)) + shared)
    env = _env(store_url)
    procs = [
        subprocess.Popen([sys.executable, "-m", "tracker.cli", "ingest", str(tmp_path / f)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for f in ("a", "b")
    ]
    procs.append(subprocess.Popen([sys.executable, "-c", HAND_SCRIPT, str(MANUAL)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-2000:]

    # what the extraction makes of each distinct article (pure, so the same in this process)
    n_articles = 2 * PER_PROCESS + SHARED
    expected_events = 0
    for i in range(n_articles):
        text, published = _article(i)
        expected_events += len(extract(load_document(text, published=published)))
    assert expected_events >= n_articles
    with session_scope(get_engine(store_url)) as s:
        c = counts(s)
        manual = [e for e in list_events(s) if e.origin == "manual"]
    assert c["articles"] == n_articles
    assert c["events"] == expected_events + MANUAL
    assert c["sources"] == expected_events
    assert sorted(e.title for e in manual) == sorted(f"Hand-entered meeting {k}" for k in range(MANUAL))
    # the shared articles were reported as "already ingested" by exactly one of the two runs
    already = sum(out.count("already ingested") for out, _ in outs[:2])
    assert already == SHARED


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from datetime import date
    from tracker.events import extract
    from tracker.ingest import load_document
    from tracker.store import get_engine, save_article, session_scope
    doc = load_document(sys.argv[1], published=date(2023, 8, 5))
    with session_scope(get_engine()) as s:
        save_article(s, document=doc, drafts=extract(doc))
        s.flush()  # every row of the article is written inside the open transaction...
        print("flushed", flush=True)
        time.sleep(120)  # ...and the process dies here, before COMMIT
""")


def test_sigkill_mid_article_leaves_the_store_as_before(store_url: str) -> None:  # noqa: F811
    from tracker.ingest import ingest_document
    from tracker.store import counts, get_engine, session_scope

    engine = get_engine(store_url)
    first, _ = _article(1)
    ingest_document(load_document(first, published=date(2023, 8, 5)), engine=engine)
    with session_scope(engine) as s:
        before = counts(s)
    text = ("Soldiers seized power in Niamey on Wednesday, and ECOWAS threatened to use force by Sunday. "
            "Mohamed Bazoum was detained in the presidential palace.")
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, text], env=_env(store_url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "flushed", proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    with session_scope(engine) as s:
        assert counts(s) == before
    # the lock the dead writer held is gone: the same article now goes in whole
    deadline = time.monotonic() + 10
    while True:
        try:
            res = ingest_document(load_document(text, published=date(2023, 8, 5)), engine=engine)
            break
        except Exception:  # PostgreSQL may need a moment to notice the dead connection
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    assert res.created and res.events_added >= 1
    with session_scope(engine) as s:
        after = counts(s)
    assert after["articles"] == before["articles"] + 1
    assert after["events"] == before["events"] + res.events_added
