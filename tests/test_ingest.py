"""Reading articles: text, HTML with its metadata, uploaded bytes; dates are never guessed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.ingest import IngestError, html_published, load_document, parse_published

PAGE = """<!doctype html><html><head><title>Junta closes airspace | Sahel Desk</title>
<meta property="article:published_time" content="2023-08-07T09:00:00Z">
<meta property="og:site_name" content="Sahel Desk"></head>
<body><nav>Skip Navigation | Subscribe | Sign in</nav>
<article><h1>Junta closes airspace</h1>
<p>Niger's military rulers closed the country's airspace on Sunday, citing the threat of an intervention
by West African states after the ECOWAS deadline passed.</p>
<p>The bloc's defence chiefs had met in Abuja last week to draw up plans for a possible operation.</p>
</article><footer>6 comments</footer></body></html>"""


def test_html_body_title_and_published_from_metadata(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    d = load_document(p)
    assert d.published == date(2023, 8, 7) and d.published_source == "html-meta"
    assert "closed the country's airspace" in d.text
    assert "Subscribe" not in d.text and "6 comments" not in d.text
    assert d.title and "airspace" in d.title


def test_given_date_wins_over_html_metadata(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    d = load_document(p, published="2023-08-08")
    assert d.published == date(2023, 8, 8) and d.published_source == "given"


def test_uploaded_bytes_and_prefill_date() -> None:
    assert html_published(PAGE.encode()) == date(2023, 8, 7)
    assert html_published(b"<html><body>no date here</body></html>") is None
    d = load_document(b"Soldiers seized power in Niamey.", filename="a.txt", published="2023-07-27")
    assert d.text == "Soldiers seized power in Niamey."


def test_text_without_date_asks_for_published(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Soldiers seized power in Niamey.")
    with pytest.raises(IngestError, match="--published"):
        load_document(p)


def test_content_hash_ignores_line_endings_and_spacing() -> None:
    a = load_document("Soldiers seized power\nin Niamey.", published="2023-07-27")
    b = load_document("Soldiers seized power\r\nin  Niamey.\n", published="2023-07-27")
    assert a.content_hash == b.content_hash


@pytest.mark.parametrize(
    ("value", "message"),
    [("2023-02-29", "does not exist"), ("2023/08/05", "YYYY-MM-DD"), ("1899-12-31", "before"),
     ("2030-01-01", "future")],
)
def test_impossible_publication_dates(value: str, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse_published(value, today=date(2026, 11, 25))
