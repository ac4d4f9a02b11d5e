"""The command line, as the README shows it: ingest, list, add, extract; bad input changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SAMPLES, SEED

ARTICLE = """Niger junta faces West African ultimatum

Niamey — Soldiers of the presidential guard detained President Mohamed Bazoum on July 26, 2023.
On Sunday, ECOWAS leaders meeting in Abuja gave the junta seven days to restore him, and imposed sanctions.
The Kremlin on Friday warned against any military intervention in Niger.
"""


def _counts(db_url: str) -> dict[str, int]:
    from tracker.store import counts, get_engine, session_scope

    with session_scope(get_engine(db_url)) as s:
        return counts(s)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "niger.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


def test_help_lists_every_command(cli) -> None:
    out = cli("--help").stdout
    for command in ("ingest", "events", "add", "edit", "delete", "show", "extract", "timex", "articles", "demo"):
        assert command in out


def test_ingest_then_list_and_reingest_adds_nothing(cli, db_url: str, article: Path) -> None:
    first = cli("ingest", article, "--published", "2023-08-05")
    assert first.exit_code == 0, first.stderr
    assert "events stored" in first.stdout
    stored = _counts(db_url)
    assert stored["articles"] == 1 and stored["events"] >= 2

    again = cli("ingest", article, "--published", "2023-08-05")
    assert again.exit_code == 0 and "already ingested" in again.stdout
    assert _counts(db_url) == stored

    listed = json.loads(cli("events", "--format", "json").stdout)
    assert len(listed) == stored["events"]
    warning = [e for e in listed if e["date"] == "2023-08-04"]
    assert warning and "RUS" in warning[0]["countries"]


def test_events_filters_by_country_name_and_code(cli, db_url: str) -> None:
    cli("add", "--title", "Coup in Niamey", "--date", "2023-07-26", "--type", "coup", "--country", "Niger")
    cli("add", "--title", "Summit in Abuja", "--date", "2023-07-30", "--type", "diplomacy", "--country", "NGA")
    for spelling in ("NER", "Niger", "niger"):
        rows = json.loads(cli("events", "--country", spelling, "--format", "json").stdout)
        assert [r["title"] for r in rows] == ["Coup in Niamey"]
    csv_out = cli("events", "--country", "Nigeria", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,date") and len(csv_out) == 2 and "Summit in Abuja" in csv_out[1]


def test_add_with_bad_field_says_which_and_saves_nothing(cli, db_url: str) -> None:
    before = _counts(db_url)
    res = cli("add", "--title", "x", "--date", "2023-07-26", "--country", "Atlantis")
    assert res.exit_code == 2
    assert "countries" in res.stderr and "Atlantis" in res.stderr
    assert _counts(db_url) == before


def test_edit_and_delete(cli, db_url: str) -> None:
    cli("add", "--title", "Coup in Niamey", "--date", "2023-07-26", "--type", "coup", "--country", "NER")
    (ev,) = json.loads(cli("events", "--format", "json").stdout)
    assert cli("edit", str(ev["id"]), "--title", "Guard seizes power").exit_code == 0
    shown = json.loads(cli("show", str(ev["id"])).stdout)
    assert shown["title"] == "Guard seizes power" and shown["edited"]
    assert [h["action"] for h in shown["history"]] == ["create", "update"]
    assert cli("delete", str(ev["id"]), "--yes").exit_code == 0
    assert json.loads(cli("events", "--format", "json").stdout) == []


def _bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "empty.txt").write_text("")
    (tmp / "blank.txt").write_text("   \n\t  \n")
    (tmp / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (tmp / "notes.docx").write_text("Some words in a file with the wrong extension.")
    (tmp / "latin1.txt").write_bytes("Le coup d'\xe9tat \xe0 Niamey a eu lieu.".encode("latin-1"))
    (tmp / "ok.txt").write_text(ARTICLE)
    (tmp / "nodate.html").write_text("<html><body><article><p>" + "Soldiers seized power. " * 20 + "</p></article>"
                                     "</body></html>")
    return [
        (["ingest", str(tmp / "empty.txt"), "--published", "2023-08-05"], "empty"),
        (["ingest", str(tmp / "blank.txt"), "--published", "2023-08-05"], "empty"),
        (["ingest", str(tmp / "binary.txt"), "--published", "2023-08-05"], "binary"),
        (["ingest", str(tmp / "notes.docx"), "--published", "2023-08-05"], "extension"),
        (["ingest", str(tmp / "latin1.txt"), "--published", "2023-08-05"], "UTF-8"),
        (["ingest", str(tmp / "missing.txt"), "--published", "2023-08-05"], "no such file"),
        (["ingest", str(tmp / "ok.txt")], "--published"),
        (["ingest", str(tmp / "nodate.html")], "--published"),
        (["ingest", str(tmp / "ok.txt"), "--published", "2023-02-30"], "does not exist"),
        (["ingest", str(tmp / "ok.txt"), "--published", "5 August"], "YYYY-MM-DD"),
        (["ingest", str(tmp / "ok.txt"), "--published", "1066-10-14"], "before"),
        (["ingest", str(tmp / "ok.txt"), "--published", "9999-01-01"], "future"),
        (["extract", str(tmp / "ok.txt"), "--published", "2023-13-01"], "does not exist"),
        (["events", "--country", "Atlantis"], "unknown country"),
        (["events", "--since", "yesterday"], "YYYY-MM-DD"),
        (["add", "--title", " ", "--date", "2023-07-26"], "title"),
        (["delete", "999", "--yes"], "no event"),
    ]


def test_bad_input_one_clear_line_nonzero_exit_store_unchanged(cli, db_url: str, tmp_path: Path) -> None:
    before = _counts(db_url)
    for args, expected in _bad_inputs(tmp_path):
        res = cli(*args)
        assert res.exit_code != 0, args
        lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), (args, res.stderr)
        assert expected.lower() in lines[0].lower(), (args, lines[0])
        assert _counts(db_url) == before, args


def test_folder_ingest_uses_the_manifest_dates(cli, db_url: str) -> None:
    if not (SAMPLES / "manifest.csv").exists():
        pytest.fail("data/samples/manifest.csv is missing")
    res = cli("ingest", SAMPLES)
    assert res.exit_code == 0, res.stderr
    n_files = len([p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".html"}])
    assert _counts(db_url)["articles"] == n_files >= 3
    assert cli("demo").exit_code == 0  # idempotent: the same samples again
    assert _counts(db_url)["articles"] == n_files


def test_extract_json_contract(cli, article: Path) -> None:
    res = cli("extract", article, "--published", "2023-08-05", "--json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["article"]["published"] == "2023-08-05"
    keys = {"title", "event_type", "date", "date_end", "precision", "timex", "date_text", "resolution", "future",
            "actors", "countries", "places", "sentence", "start", "end"}
    for ev in data["events"]:
        assert keys <= ev.keys()
        assert ARTICLE.strip()[ev["start"]:ev["end"]] == ev["sentence"] or ev["sentence"] in ARTICLE


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present in ../shared/seeds")
def test_seed_friday_warning_and_sunday_deadline(cli) -> None:
    res = cli("extract", SEED, "--published", "2023-08-05", "--json")
    assert res.exit_code == 0, res.stderr
    events = json.loads(res.stdout)["events"]
    friday = [e for e in events if e["date"] == "2023-08-04" and "Kremlin" in e["sentence"]]
    sunday = [e for e in events if e["date"] == "2023-08-06" and e["future"] and "Sunday" in e["sentence"]]
    assert friday and "Russia" in friday[0]["actors"]
    assert sunday
    assert not [e for e in events if "comments" in e["sentence"] or "Skip Navigation" in e["sentence"]]


def test_timex_batch_contract(cli) -> None:
    line = json.dumps({"id": "d1", "dct": "2023-08-05", "text": "The Kremlin on Friday warned against it."})
    res = cli("timex", input=line + "\n")
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout.splitlines()[0])
    assert out["id"] == "d1"
    assert [(t["text"], t["value"]) for t in out["timexes"]] == [("Friday", "2023-08-04")]


def test_console_script_timex_fast_path_matches_the_app() -> None:
    import subprocess
    import sys

    line = json.dumps({"id": "d1", "dct": "2023-08-05", "text": "if the coup isn't reversed by Sunday"}) + "\n"
    out = subprocess.run([sys.executable, "-m", "tracker.entry", "timex"], input=line, capture_output=True,
                         text=True, check=True).stdout
    (tx,) = json.loads(out)["timexes"]
    assert (tx["text"], tx["value"]) == ("Sunday", "2023-08-06")
    bad = subprocess.run([sys.executable, "-m", "tracker.entry", "timex"], input="not json\n", capture_output=True,
                         text=True)
    assert bad.returncode != 0 and bad.stderr.strip()
