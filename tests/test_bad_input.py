"""Bad input, table-driven: every case gets one clear error and leaves the store exactly as it was.

Three doors lead into the store — the CLI, ingest (files, uploads, pasted text) and ``EventIn`` (what
the dashboard's form validates) — and each row below knocks on one of them. For the CLI the contract
is one ``error: ...`` line on stderr and a non-zero exit; for the Python doors it is one exception
type (:class:`IngestError`, pydantic's ``ValidationError``) with a message a person can act on.
Hostile *content* (SQL, HTML, JavaScript) is not an error: it is stored as text, byte for byte.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tracker.ingest import IngestError, load_document
from tracker.models import EventIn

TOMORROW = (date.today() + timedelta(days=1)).isoformat()
ARTICLE = "Soldiers seized power in Niamey on Wednesday, the presidential guard said."


@dataclass
class Case:
    """One bad input: how to make it (files in ``tmp``), the CLI arguments, and the expected message."""

    id: str
    args: list[str]
    expect: str
    files: dict[str, bytes] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path, pytest.MonkeyPatch], Any] | None = None


def _no_read(tmp: Path, mp: pytest.MonkeyPatch) -> None:
    """Root reads everything, so an unreadable file or folder is simulated at the OS boundary."""
    real_read, real_iter = Path.read_bytes, Path.iterdir

    def read_bytes(self: Path) -> bytes:
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        if self.name == "locked":
            raise PermissionError(13, "Permission denied", str(self))
        return real_iter(self)

    mp.setattr(Path, "read_bytes", read_bytes)
    mp.setattr(Path, "iterdir", iterdir)
    (tmp / "locked").mkdir(exist_ok=True)


CLI_CASES = [
    Case("empty file", ["ingest", "{tmp}/empty.txt", "--published", "2023-08-05"], "is empty",
         files={"empty.txt": b""}),
    Case("whitespace-only file", ["ingest", "{tmp}/blank.txt", "--published", "2023-08-05"], "is empty",
         files={"blank.txt": b"  \n\t \r\n   "}),
    Case("binary file", ["ingest", "{tmp}/photo.txt", "--published", "2023-08-05"], "binary",
         files={"photo.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4}),
    Case("NUL bytes", ["ingest", "{tmp}/nul.txt", "--published", "2023-08-05"], "binary",
         files={"nul.txt": b"Soldiers\x00 seized\x00 power"}),
    Case("50 MB of text", ["ingest", "{tmp}/huge.txt", "--published", "2023-08-05"], "too large",
         files={"huge.txt": b"word " * 10_000_000}),
    Case("non-UTF-8 bytes", ["ingest", "{tmp}/latin1.txt", "--published", "2023-08-05"], "not valid UTF-8",
         files={"latin1.txt": "Les soldats ont pris le pouvoir à Niamey mercredi.".encode("latin-1")}),
    Case("broken HTML", ["ingest", "{tmp}/broken.html", "--published", "2023-08-05"], "no article text",
         files={"broken.html": b"<html><body><div><p class='x"}),
    Case("HTML without a body", ["ingest", "{tmp}/nobody.html", "--published", "2023-08-05"], "no article text",
         files={"nobody.html": b"<!doctype html><html><head><title>Coup</title></head></html>"}),
    Case("two words only", ["ingest", "{tmp}/short.txt", "--published", "2023-08-05"], "fewer than three words",
         files={"short.txt": b"Coup d'etat"}),
    Case("published in 1066", ["ingest", "{tmp}/a.txt", "--published", "1066-10-14"], "before 1900",
         files={"a.txt": ARTICLE.encode()}),
    Case("published in 9999", ["ingest", "{tmp}/a.txt", "--published", "9999-12-31"], "in the future",
         files={"a.txt": ARTICLE.encode()}),
    Case("published tomorrow", ["ingest", "{tmp}/a.txt", "--published", TOMORROW], "in the future",
         files={"a.txt": ARTICLE.encode()}),
    Case("published not a date", ["ingest", "{tmp}/a.txt", "--published", "last week"], "YYYY-MM-DD",
         files={"a.txt": ARTICLE.encode()}),
    Case("published 30 February", ["ingest", "{tmp}/a.txt", "--published", "2023-02-30"], "does not exist",
         files={"a.txt": ARTICLE.encode()}),
    Case("no publication date", ["ingest", "{tmp}/a.txt"], "no publication date", files={"a.txt": ARTICLE.encode()}),
    Case("missing file", ["ingest", "{tmp}/nowhere.txt", "--published", "2023-08-05"], "no such file"),
    Case("unknown extension", ["ingest", "{tmp}/a.pdf", "--published", "2023-08-05"], "unknown extension",
         files={"a.pdf": ARTICLE.encode()}),
    Case("folder without articles", ["ingest", "{tmp}/emptydir", "--published", "2023-08-05"], "no .txt or .html",
         setup=lambda tmp, mp: (tmp / "emptydir").mkdir()),
    Case("unreadable file", ["ingest", "{tmp}/secret.txt", "--published", "2023-08-05"], "permission denied",
         files={"secret.txt": ARTICLE.encode()}, setup=_no_read),
    Case("unreadable folder", ["ingest", "{tmp}/locked", "--published", "2023-08-05"], "permission denied",
         setup=_no_read),
    Case("event in 1066", ["add", "--title", "Battle of Hastings", "--date", "1066-10-14"], "between 1900-01-01"),
    Case("event in 9999", ["add", "--title", "Far future", "--date", "9999-01-01"], "between 1900-01-01"),
    Case("event date not a date", ["add", "--title", "Coup", "--date", "2023-13-01"], "not a date"),
    Case("empty title", ["add", "--title", "", "--date", "2023-07-26"], "must not be empty"),
    Case("whitespace title", ["add", "--title", "   \t ", "--date", "2023-07-26"], "must not be empty"),
    Case("10,000-character title", ["add", "--title", "x" * 10_000, "--date", "2023-07-26"], "too long"),
    Case("control characters", ["add", "--title", "Coup\x07\x1b[31m", "--date", "2023-07-26"], "control characters"),
    Case("control characters in notes", ["add", "--title", "Coup", "--date", "2023-07-26", "--notes", "a\x00b"],
         "control characters"),
    Case("unknown country", ["add", "--title", "Coup", "--date", "2023-07-26", "--country", "Atlantis"],
         "unknown country"),
    Case("unknown event type", ["add", "--title", "Coup", "--date", "2023-07-26", "--type", "picnic"],
         "unknown event type"),
    Case("unknown precision", ["add", "--title", "Coup", "--date", "2023-07-26", "--precision", "fortnight"],
         "precision must be one of"),
    Case("end before start", ["add", "--title", "Talks", "--date", "2023-07-26", "--end", "2023-07-01"],
         "end date is before"),
    Case("latitude out of range", ["add", "--title", "Coup", "--date", "2023-07-26", "--lat", "91", "--lon", "2"],
         "latitude"),
    Case("latitude without longitude", ["add", "--title", "Coup", "--date", "2023-07-26", "--lat", "13"],
         "both latitude and longitude"),
    Case("javascript: URL", ["add", "--title", "Coup", "--date", "2023-07-26", "--url", "javascript:alert(1)"],
         "http"),
    Case("edit unknown event", ["edit", "999999", "--title", "x"], "no event with id 999999"),
    Case("delete unknown event", ["delete", "999999", "--yes"], "no event with id 999999"),
    Case("show unknown event", ["show", "999999"], "no event with id 999999"),
    Case("history of unknown event", ["history", "999999"], "no history"),
    Case("filter by unknown country", ["events", "--country", "Atlantis"], "unknown country"),
    Case("filter since not a date", ["events", "--since", "yesterday"], "not a date"),
    Case("export --all to stdout", ["export", "--all"], "needs -o"),
    Case("import missing file", ["import", "{tmp}/nowhere.json"], "no such file"),
    Case("import something else", ["import", "{tmp}/other.json"], "not a tracker export",
         files={"other.json": b'{"events": []}'}),
    Case("import garbage", ["import", "{tmp}/garbage.json"], "invalid JSON", files={"garbage.json": b"\xff\xfe{"}),
    Case("read-only store: add", ["add", "--title", "Coup", "--date", "2023-07-26"], "read-only",
         env={"TRACKER_READ_ONLY": "1"}),
    Case("read-only store: ingest", ["ingest", "{tmp}/a.txt", "--published", "2023-08-05"], "read-only",
         files={"a.txt": ARTICLE.encode()}, env={"TRACKER_READ_ONLY": "1"}),
]


def _counts(db_url: str) -> dict[str, int]:
    from tracker.store import counts, get_engine, session_scope

    with session_scope(get_engine(db_url)) as s:
        return counts(s)


@pytest.fixture
def seeded(engine, db_url: str) -> str:  # type: ignore[no-untyped-def]
    """A store with one event in it, so 'unchanged' means something."""
    from tracker.store import add_event, session_scope

    with session_scope(engine) as s:
        add_event(s, event_in=EventIn(title="Coup in Niger", date=date(2023, 7, 26), countries=["NER"]))
    return db_url


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_cli_bad_input_one_line_error_store_unchanged(  # type: ignore[no-untyped-def]
    case: Case, cli, seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, content in case.files.items():
        (tmp_path / name).write_bytes(content)
    if case.setup:
        case.setup(tmp_path, monkeypatch)
    before = _counts(seeded)
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    res = cli(*[a.replace("{tmp}", str(tmp_path)) for a in case.args])
    assert res.exit_code != 0, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr[:2000]
    assert lines[0].startswith("error: ") and case.expect.lower() in lines[0].lower(), lines[0][:300]
    for k in case.env:
        monkeypatch.delenv(k)
    assert _counts(seeded) == before


def test_locked_store_is_reported_busy_and_unchanged(cli, seeded: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer holds the SQLite write lock longer than we are willing to wait."""
    from tracker.store import _engine_for

    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT_MS", "200")
    _engine_for.cache_clear()  # the timeout is read when the engine is made
    before = _counts(seeded)
    path = seeded.split("///", 1)[1]
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        res = cli("add", "--title", "Coup", "--date", "2023-07-26")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert res.exit_code == 2
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith("error: the store is busy")
    _engine_for.cache_clear()
    monkeypatch.delenv("TRACKER_BUSY_TIMEOUT_MS")
    assert _counts(seeded) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files; the read-only case is covered "
                    "by TRACKER_READ_ONLY above")
def test_read_only_database_file(cli, seeded: str) -> None:  # pragma: no cover - non-root only
    from tracker.store import _engine_for

    path = Path(seeded.split("///", 1)[1])
    _engine_for.cache_clear()
    before = _counts(seeded)
    _engine_for.cache_clear()
    for p in path.parent.iterdir():
        p.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        res = cli("add", "--title", "Coup", "--date", "2023-07-26")
    finally:
        path.parent.chmod(0o755)
        for p in path.parent.iterdir():
            p.chmod(0o644)
    assert res.exit_code != 0 and len(res.stderr.strip().splitlines()) == 1
    assert _counts(seeded) == before


# --- the ingest door (uploads and pasted text in the dashboard) -------------------------------

INGEST_CASES = [
    ("empty upload", b"", "upload.txt", "is empty"),
    ("whitespace paste", "   \n\n  ", None, "is empty"),
    ("binary upload", b"%PDF-1.7\n" + bytes(range(256)), "report.txt", "binary"),
    ("non-UTF-8 upload", "Niamey à l'aube".encode("cp1252") * 3, "a.txt", "not valid UTF-8"),
    ("huge paste", "word " * 1_100_000, None, "too large"),
    ("control-character soup", b"\x01\x02\x03 abc def ghi \x04\x05" * 50, "a.txt", "control characters"),
    ("HTML with no body", b"<html><head><title>x</title></head></html>", "a.html", "no article text"),
    ("upload with wrong extension", ARTICLE.encode(), "a.docx", "unknown extension"),
]


@pytest.mark.parametrize(("source", "filename", "expect"), [c[1:] for c in INGEST_CASES],
                         ids=[c[0] for c in INGEST_CASES])
def test_load_document_rejects_with_a_clear_message(source: str | bytes, filename: str | None, expect: str) -> None:
    with pytest.raises(IngestError, match=expect) as info:
        load_document(source, published="2023-08-05", filename=filename)
    assert "\n" not in str(info.value)


# --- the form door: EventIn -------------------------------------------------------------------

GOOD = {"title": "Coup in Niger", "date": date(2023, 7, 26)}
EVENTIN_CASES = [
    ("no title", {"title": None}, "title"),
    ("title of spaces", {"title": "    "}, "must not be empty"),
    ("title 10,000 characters", {"title": "t" * 10_000}, "too long"),
    ("title with a bell", {"title": "Coup\x07"}, "control characters"),
    ("notes too long", {"notes": "n" * 6000}, "too long"),
    ("place with an escape sequence", {"place_name": "Niamey\x1b[2J"}, "control characters"),
    ("year 1066", {"date": date(1066, 10, 14)}, "between"),
    ("year 9999", {"date": date(9999, 1, 1)}, "between"),
    ("end before start", {"date_end": date(2023, 7, 1)}, "end date is before"),
    ("unknown country", {"countries": ["Atlantis"]}, "unknown country"),
    ("unknown type", {"event_type": "picnic"}, "unknown event type"),
    ("longitude 200", {"lat": 10.0, "lon": 200.0}, "longitude"),
    ("ftp URL", {"source_url": "ftp://example.org/x"}, "http"),
    ("unexpected field", {"id": 5}, "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("changes", "expect"), [c[1:] for c in EVENTIN_CASES], ids=[c[0] for c in EVENTIN_CASES])
def test_event_in_rejects_with_a_field_message(changes: dict[str, Any], expect: str) -> None:
    with pytest.raises(ValidationError, match=expect):
        EventIn(**{**GOOD, **changes})


def test_duplicate_actor_and_country_are_stored_once(cli, seeded: str) -> None:
    res = cli("add", "--title", "Talks", "--date", "2023-08-01", "--actor", "ECOWAS", "--actor", "ECOWAS",
              "--country", "NER", "--country", "Niger")
    assert res.exit_code == 0, res.stderr
    from tracker.store import get_engine, list_events, session_scope

    with session_scope(get_engine(seeded)) as s:
        (ev,) = [e for e in list_events(s) if e.title == "Talks"]
    assert ev.actors == ["ECOWAS"] and ev.countries == ["NER"]


# --- hostile content is data -------------------------------------------------------------------

PAYLOADS = [
    "'; DROP TABLE event; --",
    "Robert'); DELETE FROM article WHERE ('1'='1",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=\"alert(1)\">",
    "javascript:alert('x') // \" ' ` ${7*7} {{7*7}}",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "🇳🇪 Niamey — « coup » ; 50% _under_score\\",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sql_html_js_in_every_text_field_is_stored_verbatim(cli, seeded: str, payload: str) -> None:
    from tracker.store import counts, get_engine, list_events, session_scope

    res = cli("add", "--title", payload, "--date", "2023-08-01", "--notes", payload, "--place", payload,
              "--actor", payload, "--url", "https://example.org/?q=" + payload.replace(" ", "%20"))
    assert res.exit_code == 0, res.stderr
    with session_scope(get_engine(seeded)) as s:
        (ev,) = [e for e in list_events(s) if e.title == payload]
        assert counts(s)["events"] == 2  # nothing dropped, nothing deleted
        # the same text used as a filter is a parameter, not SQL
        assert [e.id for e in list_events(s, _filter(text=payload))] == [ev.id]
        assert [e.id for e in list_events(s, _filter(actors=[payload]))] == [ev.id]
    assert (ev.notes, ev.place_name, ev.actors) == (payload, payload, [payload])


def test_hostile_article_text_is_stored_verbatim(engine) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from tracker.ingest import ingest_document
    from tracker.models import Article
    from tracker.store import session_scope

    text = " ".join(PAYLOADS) + " Soldiers seized power in Niamey on Wednesday."
    doc = load_document(text, published="2023-08-05", title=PAYLOADS[2])
    ingest_document(doc, engine=engine)
    with session_scope(engine) as s:
        art = s.exec(select(Article)).one()
    assert art.text == doc.text and art.title == PAYLOADS[2]


def _filter(**kw: Any):  # type: ignore[no-untyped-def]
    from tracker.store import EventFilter

    return EventFilter(**kw)


# --- fuzzing: no crash, no partial write --------------------------------------------------------

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
WORDS = st.sampled_from(["Niger", "Mali", "ECOWAS", "junta", "on", "Wednesday", "July", "26", "2023", "by",
                         "Sunday", "attacked", "coup", "in", "Niamey", "next", "week", "ago", "two", "years",
                         "<b>", "</p>", "'", ";", "\n", "—", "1066", "9999", "31", "February", "Bamako"])


@FUZZ
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400), st.lists(WORDS, max_size=60).map(" ".join)))
def test_fuzz_load_document_only_ever_raises_ingest_error(source: bytes | str) -> None:
    try:
        doc = load_document(source, published="2023-08-05", filename="f.txt" if isinstance(source, bytes) else None)
    except IngestError as exc:
        assert str(exc)
        return
    assert doc.text.strip() and doc.published == date(2023, 8, 5)


@FUZZ
@given(st.lists(WORDS, min_size=3, max_size=80).map(" ".join), st.dates(date(1990, 1, 1), date(2025, 12, 31)))
def test_fuzz_extraction_never_crashes_and_yields_storable_drafts(text: str, published: date) -> None:
    from tracker.events import extract
    from tracker.types import Document

    for d in extract(Document(text=text, published=published)):
        assert d.event_type and d.precision
        assert date(1, 1, 1) < d.date <= date(9999, 12, 31)
        assert 0 <= d.start <= d.end <= len(text)


@FUZZ
@given(st.lists(WORDS, min_size=3, max_size=60).map(" ".join))
def test_fuzz_ingest_is_all_or_nothing(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    """Each ingest either stores the article with all its events, or (on any error) nothing at all."""
    from tracker.events import extract
    from tracker.ingest import ingest_document
    from tracker.store import counts, session_scope

    with session_scope(engine) as s:
        before = counts(s)
    try:
        doc = load_document(text, published="2023-08-05")
    except IngestError:
        return
    drafts = extract(doc)
    try:
        res = ingest_document(doc, engine=engine)
    except Exception:
        with session_scope(engine) as s:
            assert counts(s) == before
        raise
    with session_scope(engine) as s:
        after = counts(s)
    if res.created:
        assert after["articles"] == before["articles"] + 1
        assert after["sources"] == before["sources"] + len(drafts)
        assert after["events"] - before["events"] == res.events_added
    else:
        assert after == before


def test_failure_in_the_middle_of_an_article_writes_nothing(engine, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A crash after some rows of an article are written (here: in the merge check) rolls all back."""
    import tracker.events
    from tracker.ingest import ingest_document
    from tracker.store import counts, session_scope

    text = "Soldiers seized power in Niamey on Wednesday. ECOWAS threatened to use force by Sunday."
    ingest_document(load_document(text, published="2023-08-05"), engine=engine)
    with session_scope(engine) as s:
        before = counts(s)

    def boom(*_a: Any, **_k: Any) -> bool:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tracker.events, "same_event", boom)
    second = load_document(text + " Residents confirmed it.", published="2023-08-06")
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest_document(second, engine=engine)  # its article row is flushed before the merge check
    with session_scope(engine) as s:
        assert counts(s) == before
