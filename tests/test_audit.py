"""The audit trail: every create, edit, delete, extraction and merge, with time, user, before and after."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tracker.models import EventIn

from pg_support import pg_server, pg_url, store_url  # noqa: F401

NIGER = dict(date=date(2023, 7, 26), event_type="coup", countries=["NER"])


def test_every_kind_of_change_is_recorded(store_url: str) -> None:  # noqa: F811
    from tracker.ingest import ingest_document, load_document
    from tracker.store import add_event, delete_event, get_engine, history, session_scope, update_event

    engine = get_engine(store_url)
    t0 = datetime.now(UTC) - timedelta(seconds=5)
    first = ingest_document(load_document("Soldiers seized power in Niamey on Wednesday, the guard said.",
                                          published="2023-07-28"), engine=engine, user="feed")
    second = ingest_document(load_document("On Wednesday soldiers seized power in Niamey, Niger.",
                                           published="2023-07-29"), engine=engine, user="feed")
    assert first.events_added >= 1 and second.events_merged >= 1
    with session_scope(engine) as s:
        ev = add_event(s, event_in=EventIn(title="Hand-made", **NIGER), user="alice")
    with session_scope(engine) as s:
        update_event(s, event_id=ev.id, event_in=EventIn(title="Hand-made, corrected", **NIGER), user="bob")
    with session_scope(engine) as s:
        delete_event(s, event_id=ev.id, user="carol")

    with session_scope(engine) as s:
        manual = history(s, ev.id)
        extracted = [c for c in history(s, _coup_id(s)) if c.action in ("extract", "merge")]
    assert [(c.action, c.user) for c in manual] == [("create", "alice"), ("update", "bob"), ("delete", "carol")]
    create, update, delete = manual
    assert create.before is None and json.loads(create.after)["title"] == "Hand-made"
    assert json.loads(update.before)["title"] == "Hand-made"
    assert json.loads(update.after)["title"] == "Hand-made, corrected"
    assert json.loads(delete.before)["title"] == "Hand-made, corrected" and delete.after is None
    assert all(t0 <= _aware(c.at) <= datetime.now(UTC) + timedelta(seconds=5) for c in manual)
    assert [c.action for c in extracted] == ["extract", "merge"]
    assert extracted[1].user == "feed" and json.loads(extracted[1].after)["article_id"] == second.article_id


def _coup_id(s) -> int:  # type: ignore[no-untyped-def]
    from tracker.store import list_events

    return next(e.id for e in list_events(s) if e.event_type == "coup" and e.origin == "extracted")


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def test_history_and_show_on_the_cli(cli, engine) -> None:  # type: ignore[no-untyped-def]
    res = cli("add", "--title", "ECOWAS summit", "--date", "2023-07-30", "--type", "diplomacy", "--user", "alice")
    assert res.exit_code == 0, res.stderr
    event_id = int(res.stdout.split()[2].rstrip(":"))
    assert cli("edit", str(event_id), "--title", "ECOWAS summit in Abuja", "--user", "bob").exit_code == 0

    res = cli("history", str(event_id))
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 2
    assert " create " in lines[0] and "alice" in lines[0] and "ECOWAS summit" in lines[0]
    assert " update " in lines[1] and "bob" in lines[1]
    assert "title: 'ECOWAS summit' -> 'ECOWAS summit in Abuja'" in lines[1]

    rows = json.loads(cli("history", str(event_id), "--json").stdout)
    assert [r["action"] for r in rows] == ["create", "update"]
    shown = json.loads(cli("show", str(event_id)).stdout)
    assert [h["user"] for h in shown["history"]] == ["alice", "bob"]

    assert cli("delete", str(event_id), "--yes", "--user", "carol").exit_code == 0
    res = cli("history", str(event_id))  # the trail outlives the event
    assert res.exit_code == 0 and " delete " in res.stdout.splitlines()[-1] and "carol" in res.stdout


def test_a_change_that_is_rolled_back_leaves_no_audit_row(engine) -> None:  # type: ignore[no-untyped-def]
    from tracker.store import add_event, counts, session_scope, update_event

    with session_scope(engine) as s:
        ev = add_event(s, event_in=EventIn(title="Coup", **NIGER), user="alice")
        before = counts(s)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        update_event(s, event_id=ev.id, event_in=EventIn(title="Changed", **NIGER), user="mallory")
        raise RuntimeError("the form crashed after saving")
    with session_scope(engine) as s:
        assert counts(s) == before
        from tracker.store import get_event, history

        assert get_event(s, ev.id).title == "Coup"  # type: ignore[union-attr]
        assert [c.user for c in history(s, ev.id)] == ["alice"]
