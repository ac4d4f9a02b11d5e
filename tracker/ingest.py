"""Files and pasted text -> Documents -> events -> the store.

Everything that can be wrong with an input is checked here, before anything is written, and
reported as one :class:`IngestError` line that names the input and says what to do.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.types import Document

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_BYTES = 5_000_000  # ~800,000 words: far beyond any article; bigger is a mistake, not news
MIN_PUBLISHED = date(1900, 1, 1)
MANIFEST = "manifest.csv"


class IngestError(Exception):
    """An input that cannot become an article; the message is meant for the user as is."""


def parse_published(value: str | date | None, *, today: date | None = None) -> date | None:
    """A publication date from the command line or a form: ISO ``YYYY-MM-DD``, real, not in the future."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise IngestError(f"publication date {text[:40]!r} is not in the form YYYY-MM-DD")
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            raise IngestError(f"publication date {text} does not exist ({exc})") from None
    today = today or date.today()
    if day < MIN_PUBLISHED:
        raise IngestError(f"publication date {day} is before {MIN_PUBLISHED}: not a news article date")
    if day > today:
        raise IngestError(f"publication date {day} is in the future (today is {today})")
    return day


def _decode(raw: bytes, name: str) -> str:
    """Bytes -> text, refusing binaries instead of storing garbage."""
    if len(raw) > MAX_BYTES:
        raise IngestError(f"{name}: {len(raw):,} bytes is too large for an article (limit {MAX_BYTES:,})")
    head = raw[:8192]
    if b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise IngestError(f"{name}: looks like a binary file, not text or HTML")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{name}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * max(1, min(len(text), 8192)):
        raise IngestError(f"{name}: contains control characters; looks binary, not text")
    return text


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)
    return text.strip()


def _from_html(html: str, name: str) -> tuple[str, str | None, str | None, date | None, str | None]:
    """Article body, title, url, publication date and site name of an HTML page."""
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    meta = trafilatura.extract_metadata(html)
    if not body or not body.strip():
        raise IngestError(f"{name}: no article text found in the HTML")
    published = None
    try:
        from htmldate import find_date

        found = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
        if found:
            published = date.fromisoformat(found)
    except Exception:  # htmldate is best effort: a page without a date must ask the user instead
        published = None
    title = meta.title if meta and meta.title else None
    url = meta.url if meta and meta.url else None
    outlet = meta.sitename if meta and meta.sitename else None
    return body, title, url, published, outlet


def load_document(
    source: str | Path | bytes,
    *,
    published: str | date | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    filename: str | None = None,
    today: date | None = None,
) -> Document:
    """Read one article (a path, uploaded bytes, or pasted text) into a :class:`Document`.

    ``published`` wins over a date found in HTML metadata; with neither we stop and ask rather
    than assume today, because a wrong publication date shifts every relative date in the text.
    """
    given = parse_published(published, today=today)
    path: str | None = None
    if isinstance(source, Path):
        name = str(source)
        if not source.exists():
            raise IngestError(f"{name}: no such file")
        if source.is_dir():
            raise IngestError(f"{name}: is a folder; use ingest_paths for folders")
        suffix = source.suffix.lower()
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise IngestError(f"{name}: unknown extension {suffix or '(none)'!r}; use .txt or .html")
        try:
            size = source.stat().st_size
            if size > MAX_BYTES:
                raise IngestError(f"{name}: {size:,} bytes is too large for an article (limit {MAX_BYTES:,})")
            raw = source.read_bytes()
        except PermissionError:
            raise IngestError(f"{name}: permission denied") from None
        except OSError as exc:
            raise IngestError(f"{name}: cannot read ({exc.strerror})") from None
        text = _decode(raw, name)
        is_html = suffix in HTML_SUFFIXES
        path = name
    elif isinstance(source, bytes):
        name = filename or "upload"
        text = _decode(source, name)
        suffix = Path(name).suffix.lower()
        if filename and suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            raise IngestError(f"{name}: unknown extension {suffix or '(none)'!r}; use .txt or .html")
        is_html = suffix in HTML_SUFFIXES or _looks_html(text)
    else:
        name = filename or "pasted text"
        if len(source.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            raise IngestError(f"{name}: too large for an article (limit {MAX_BYTES:,} bytes)")
        text = source
        is_html = _looks_html(text)
    if not text.strip():
        raise IngestError(f"{name}: is empty")
    found_title = found_url = found_outlet = None
    found_date = None
    if is_html:
        text, found_title, found_url, found_date, found_outlet = _from_html(text, name)
    text = _clean(text)
    if len(text.split()) < 3:
        raise IngestError(f"{name}: has no article text (fewer than three words)")
    if given is not None:
        pub, how = given, "given"
    elif found_date is not None:
        pub, how = parse_published(found_date, today=today), "html-meta"
    else:
        raise IngestError(f"{name}: no publication date found; pass --published YYYY-MM-DD")
    return Document(
        text=text,
        published=pub,  # type: ignore[arg-type]
        published_source=how,
        title=(title or found_title or _first_line(text))[:500],
        url=url or found_url,
        outlet=outlet or found_outlet,
        path=path,
    )


def _looks_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if len(line.split()) >= 3:
            return line.strip()[:200]
    return text[:200]


def html_published(raw: bytes | str) -> date | None:
    """The publication date in an HTML page's metadata, for pre-filling a form; None if absent."""
    try:
        from htmldate import find_date

        html = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        found = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
        return date.fromisoformat(found) if found else None
    except Exception:
        return None


# --- folders, manifests, the store -----------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """``manifest.csv`` beside sample articles: file -> published/title/url/outlet."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh) if row.get("file")}


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the .txt/.html files inside folders named, in a stable order."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            try:
                entries = sorted(p.iterdir())
            except PermissionError:
                raise IngestError(f"{p}: permission denied") from None
            out.extend(e for e in entries if e.is_file() and e.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES)
        else:
            out.append(p)
    return out


@dataclass
class IngestReport:
    path: str
    ok: bool
    message: str
    article_id: int | None = None
    created: bool = False
    events_added: int = 0
    events_merged: int = 0


def ingest_document(document: Document, *, engine=None, user: str | None = None):  # type: ignore[no-untyped-def]
    """Extract and store one document in one transaction."""
    from tracker.events import extract
    from tracker.store import get_engine, save_article, session_scope

    drafts = extract(document)
    with session_scope(engine or get_engine()) as session:
        return save_article(session, document=document, drafts=drafts, user=user)


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    published: str | date | None = None,
    title: str | None = None,
    url: str | None = None,
    engine=None,  # type: ignore[no-untyped-def]
    user: str | None = None,
) -> list[IngestReport]:
    """Ingest files and folders; one transaction per article, one report per file.

    A bad file is reported and skipped; it never leaves a partial article behind.
    """
    reports: list[IngestReport] = []
    for path in expand_paths(paths):
        manifest = read_manifest(path.parent).get(path.name, {})
        try:
            doc = load_document(
                path,
                published=published or manifest.get("published") or None,
                title=title or manifest.get("title") or None,
                url=url or manifest.get("url") or None,
                outlet=manifest.get("outlet") or None,
            )
            res = ingest_document(doc, engine=engine, user=user)
        except IngestError as exc:
            reports.append(IngestReport(str(path), False, str(exc)))
            continue
        msg = (
            f"{path}: {res.events_added} events stored, {res.events_merged} merged"
            if res.created
            else f"{path}: already ingested (article {res.article_id}), nothing added"
        )
        reports.append(
            IngestReport(str(path), True, msg, res.article_id, res.created, res.events_added, res.events_merged)
        )
    return reports
