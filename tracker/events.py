"""Sentences -> events: the rule-based event extractor.

An event is a clause that reports something happening (or threatened, scheduled, demanded), dated
by the time expression that governs it. The pipeline per article is:

1. split the text into sentences (:func:`split_sentences`), drop page chrome (:func:`is_chrome`);
2. find trigger words from ``tracker/data/event_types.csv`` once over the whole text;
3. per sentence, split into clauses at strong boundaries (em dashes, semicolons, "not including"…),
   give each dating time expression the triggers of its clause and make one event per dated
   expression that has a trigger; a clause without a date makes an event only when it reports a
   recognisable event with a verb (inheriting the narrative time or the publication date);
4. fill actors, countries and places from :mod:`tracker.entities` over the clause.

Everything is pure: the clock and the database are never read, so the same article always gives
the same drafts. All regexes are compiled once at import; an article costs a few milliseconds.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from tracker.types import EVENT_TYPES, Document, EventDraft, PlaceRef, Timex

LEXICON_PATH = Path(__file__).parent / "data" / "event_types.csv"

# --------------------------------------------------------------------------------------------
# The lexicon
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LexRow:
    """One row of the lexicon: an event type, its PLOVER category and its trigger patterns."""

    event_type: str
    plover: str | None
    priority: int  # lower wins when a clause has several triggers
    undated: bool  # may a clause without a date still be an event of this type?
    verbs: str
    nouns: str
    cues: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled lexicon: one alternation over all rows, so a text is scanned only once."""

    rows: tuple[LexRow, ...]
    pattern: re.Pattern[str]  # lowercase, for lowercased text
    folded: re.Pattern[str]  # IGNORECASE, for the rare text whose length changes when lowercased
    groups: dict[str, tuple[int, bool]]  # group name -> (row index, is_verb)
    deadline_cue: re.Pattern[str]
    # the lowercase alternation split by the first character its branches can match, behind a
    # one-character lookahead per bucket: trying only the branches that can start with the word's
    # first letter is several times faster than trying the whole alternation at every word
    by_first: re.Pattern[str] | None = None
    # the same buckets compiled apart, and a pattern finding the word starts one of them can match
    # (it matches the character before such a start, and checks the start's first characters
    # against what the bucket's matches can begin with): a text is then scanned in C for those
    # starts, and only the right bucket is tried at each (instead of up to one lookahead per
    # bucket at every word)
    buckets: dict[str, re.Pattern[str]] | None = None
    starts: re.Pattern[str] | None = None


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and compile the trigger lexicon.

    Rows are ordered by priority inside the alternation, so when two patterns could start at the
    same word ("withdrew from ECOWAS" vs "withdrew") the more specific, higher-priority row wins.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    rows = tuple(
        sorted(
            (
                LexRow(
                    event_type=r["event_type"].strip(),
                    plover=(r["plover"].strip() or None),
                    priority=int(r["priority"]),
                    undated=r["undated"].strip().lower() == "yes",
                    verbs=r["verbs"].strip(),
                    nouns=r["nouns"].strip(),
                    cues=(r.get("cues") or "").strip(),
                )
                for r in raw
            ),
            key=lambda row: row.priority,
        )
    )
    parts: list[str] = []
    lowered: list[str] = []
    groups: dict[str, tuple[int, bool]] = {}
    for i, row in enumerate(rows):
        # nouns first: "attacks" / "protests" are plural nouns far more often than verbs
        for is_verb, pat in ((False, row.nouns), (True, row.verbs)):
            if not pat:
                continue
            name = f"r{i}{'v' if is_verb else 'n'}"
            groups[name] = (i, is_verb)
            parts.append(f"(?P<{name}>{pat})")
            lowered.append(f"(?P<{name}>{pat.lower()})")
    edge_l, edge_r = r"(?<![\w-])(?:", r")(?![\w-])"
    # Matching lowercased text against a lowercased pattern is ~3x faster than IGNORECASE.
    pattern = re.compile(edge_l + "|".join(lowered) + edge_r)
    folded = re.compile(edge_l + "|".join(parts) + edge_r, re.IGNORECASE)
    cues = "|".join(r.cues for r in rows if r.cues) or "by|until"
    deadline_cue = re.compile(r"\b(?:" + cues + r")\s+(?:the\s+)?$", re.IGNORECASE)
    by_first, buckets = _split_by_first_char(lowered, edge_l, edge_r, groups)
    starts = _starts_pattern(buckets) if buckets else None
    return Lexicon(
        rows=rows,
        pattern=pattern,
        folded=folded,
        groups=groups,
        deadline_cue=deadline_cue,
        by_first=by_first,
        buckets=buckets,
        starts=starts,
    )


def _top_level_branches(pattern: str) -> list[str]:
    """``a|b(?:c|d)|[|]e`` -> ``["a", "b(?:c|d)", "[|]e"]``: split at the ``|`` outside groups."""
    out: list[str] = []
    depth, in_class, start, i = 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _sre() -> tuple[Any, Any]:
    """The regex parser's constants and parser modules (renamed in Python 3.11)."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as sre  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_constants as c  # type: ignore[no-redef]
        import sre_parse as sre  # type: ignore[no-redef]
    return c, sre


def _class_chars(c: Any, op: Any, av: Any) -> set[str] | None:
    """The characters a parsed literal or character class matches; None for anything else, and for
    a class that cannot be listed (a category such as ``\\w``, a negation, a huge range)."""
    if op is c.LITERAL:
        return {chr(av)}
    if op is not c.IN:
        return None
    chars: set[str] = set()
    for iop, iav in av:
        if iop is c.LITERAL:
            chars.add(chr(iav))
        elif iop is c.RANGE and iav[1] - iav[0] < 128:
            chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
        else:
            return None
    return chars


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with; None when that is not a small set
    (a category such as ``\\w``, a negated class, or a pattern that can match the empty string)."""
    c, sre = _sre()

    def seq_firsts(items: Any) -> tuple[set[str] | None, bool]:
        acc: set[str] = set()
        for op, av in items:
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue
            if op is c.LITERAL or op is c.IN:
                chars = _class_chars(c, op, av)
                return (None, False) if chars is None else (acc | chars, False)
            if op is c.SUBPATTERN:
                f, nullable = seq_firsts(av[-1])
            elif op is c.BRANCH:
                f, nullable = set(), False
                for b in av[1]:
                    bf, bn = seq_firsts(b)
                    if bf is None:
                        return None, False
                    f |= bf
                    nullable = nullable or bn
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                f, nullable = seq_firsts(av[2])
                nullable = nullable or av[0] == 0
            else:
                return None, False
            if f is None:
                return None, False
            acc |= f
            if not nullable:
                return acc, False
        return acc, True

    firsts, nullable = seq_firsts(sre.parse(pattern))
    return None if firsts is None or nullable else frozenset(firsts)


def _split_by_first_char(
    named_groups: list[str], edge_l: str, edge_r: str, groups: dict[str, tuple[int, bool]]
) -> tuple[re.Pattern[str] | None, dict[str, re.Pattern[str]] | None]:
    """One alternation per first character, each keeping the lexicon's order: joined behind
    one-character lookaheads, and compiled apart (without the left edge, which the caller checks).
    Group names get a bucket suffix (added to ``groups``). (None, None) when a branch's first
    characters cannot be told."""
    buckets: dict[str, list[tuple[str, list[str]]]] = {}
    for group in named_groups:
        m = re.match(r"\(\?P<(\w+)>(.*)\)$", group, re.DOTALL)
        if m is None:
            return None, None
        name, body = m.groups()
        for branch in _top_level_branches(body):
            firsts = _first_chars(branch)
            if firsts is None:
                return None, None  # cannot bucket this branch: keep the single alternation
            for ch in firsts:
                lst = buckets.setdefault(ch, [])
                if lst and lst[-1][0] == name:
                    lst[-1][1].append(branch)
                else:
                    lst.append((name, [branch]))
    alternatives = []
    apart: dict[str, re.Pattern[str]] = {}
    for k, (ch, bucket) in enumerate(sorted(buckets.items())):
        parts = []
        for name, branches in bucket:
            groups[f"{name}_{k}"] = groups[name]
            parts.append(f"(?P<{name}_{k}>{'|'.join(branches)})")
        alternatives.append(f"(?={re.escape(ch)})(?:{'|'.join(parts)})")
        apart[ch] = re.compile("(?:" + "|".join(parts) + edge_r)
    return re.compile(edge_l + "|".join(alternatives) + edge_r), apart


_PREFIX_LEN = 6  # how many characters of a word the start pattern checks before a bucket is tried
_PREFIX_LIMIT = 5000  # prefixes per bucket at most: past that, check fewer characters


def _prefixes(pattern: str, k: int = _PREFIX_LEN, limit: int = _PREFIX_LIMIT) -> frozenset[str] | None:
    """Strings one of which begins every match of ``pattern``: its possible first ``k`` characters,
    or fewer where a match may end sooner or what comes next cannot be listed (``\\s``, ``\\w``, a
    negated class, a back-reference). Look-arounds are ignored, which only lets more through.
    None when there would be more than ``limit`` of them, a match may be empty or the pattern
    ignores case (a literal then matches more than itself)."""
    c, sre = _sre()

    class TooMany(Exception):
        pass

    def chars_of(op: Any, av: Any) -> set[str] | None:
        return _class_chars(c, op, av)

    def seq(items: Any, open_: set[str]) -> tuple[set[str], set[str]]:
        """(prefixes still shorter than k that may go on, prefixes that are complete)."""
        done: set[str] = set()
        for op, av in items:
            if not open_:
                break
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue
            if op is c.SUBPATTERN:
                if av[1] & c.SRE_FLAG_IGNORECASE:
                    raise TooMany  # "(?i:...)": literals match more than themselves
                open_, d = seq(av[-1], open_)
                done |= d
            elif op is c.BRANCH:
                after: set[str] = set()
                for b in av[1]:
                    o, d = seq(b, open_)
                    after |= o
                    done |= d
                open_ = after
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                lo, hi, sub = av
                cur, after = open_, set(open_) if lo == 0 else set()
                # each round that matches something adds a character, so lo + k rounds reach all
                for i in range(1, min(hi, lo + k + 1) + 1):
                    cur, d = seq(sub, cur)
                    done |= d
                    if i >= lo:
                        after |= cur
                    if not cur:
                        break
                open_ = after
            else:
                chars = chars_of(op, av)
                if chars is None:
                    done |= open_  # whatever follows cannot be listed: stop here
                    open_ = set()
                    break
                longer = {s + ch for s in open_ for ch in chars}
                done |= {s for s in longer if len(s) >= k}
                open_ = {s for s in longer if len(s) < k}
            if len(open_) + len(done) > limit:
                raise TooMany
        return open_, done

    parsed = sre.parse(pattern)
    if parsed.state.flags & c.SRE_FLAG_IGNORECASE:
        return None
    try:
        rest, done = seq(parsed, {""})
    except TooMany:
        return None
    found = rest | done
    if "" in found:
        return None
    # "ab" makes "abc" redundant: a text starting with "abc" starts with "ab"
    return frozenset(p for p in found if not any(p[:i] in found for i in range(1, len(p))))


def _trie_alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (non-empty), shared beginnings written once."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


def _starts_pattern(buckets: dict[str, re.Pattern[str]]) -> re.Pattern[str]:
    """The character before each place a bucket may match (``m.end()`` is that place): a character
    that is no word character or hyphen, then a first character with a bucket, followed by what the
    bucket's matches can begin with there (``_prefixes``). The very first position of a text has no
    character before it: the caller tries it on its own.

    Written to start with that character class, so the regex engine skips in C from one word
    boundary to the next instead of entering the pattern at every character of the text."""
    words = []
    for ch in sorted(buckets):
        prefixes = None
        for k in range(_PREFIX_LEN, 1, -1):
            prefixes = _prefixes(buckets[ch].pattern, k)
            if prefixes is not None:
                break
        # a branch that can start with several characters sits in each of their buckets: at this
        # bucket's character only its prefixes starting with that character can match
        mine = [p for p in prefixes or () if p[:1] == ch]
        if not mine:
            return re.compile(r"[^\w-](?=[" + "".join(re.escape(ch) for ch in sorted(buckets)) + "])")
        words += mine
    return re.compile(r"[^\w-](?=" + _trie_alternation(words) + ")")


def _lexicon_matches(lex: Lexicon, lowered: str) -> Iterator[re.Match[str]]:
    """What ``lex.pattern.finditer(lowered)`` finds (leftmost first, never overlapping), found by
    trying only the bucket of each word start's first character."""
    if lex.starts is None or lex.buckets is None:
        yield from lex.pattern.finditer(lowered)
        return
    buckets, pos = lex.buckets, 0
    if lowered[:1] in buckets:
        m = buckets[lowered[0]].match(lowered, 0)
        if m is not None:
            pos = m.end()
            yield m
    for start in lex.starts.finditer(lowered):
        p = start.end()
        if p < pos:
            continue
        m = buckets[lowered[p]].match(lowered, p)
        if m is not None:
            pos = m.end()
            yield m


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, compiled once per process."""
    return load_lexicon()


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger-word match: where, which lexicon row, and whether it is a verb."""

    start: int
    end: int
    row: LexRow
    is_verb: bool

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key, best first: a verb reports an event, a noun may only refer to one."""
        return (0 if self.is_verb else 1, self.row.priority)


# A verb form right after a determiner or a copula is an adjective or a state, not an action:
# "the imprisoned president", "Bazoum is still imprisoned".
_NOT_A_VERB_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|its|their|is|are|remains?|remained|still|being|rarely|seldom|never)\s+[\"“‘']?$",
    re.IGNORECASE,
)


_RELATIVE_BEFORE = re.compile(r"\b(?:who|which|that)\s+(?:(?:has|have|had)\s+)?(?:been\s+)?$", re.IGNORECASE)
_NEGATED_BEFORE = re.compile(r"\b(?:without|no|never)\s+(?:(?:a|an|any|the)\s+)?$", re.IGNORECASE)
# "promised to hand over power by March 2024": a commitment with a date is a deadline
_COMMITMENT = re.compile(r"(?:promis|pledg|commit|undert|agreed|vow)", re.IGNORECASE)


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    """Every trigger in ``text`` (offsets shifted by ``offset``), in text order."""
    lex = lexicon()
    out: list[Trigger] = []
    lowered = text.lower()
    if len(lowered) != len(text):
        matches: Iterable[re.Match[str]] = lex.folded.finditer(text)
    else:
        matches = _lexicon_matches(lex, lowered)
    for m in matches:
        name = m.lastgroup
        if name is None:
            continue
        idx, is_verb = lex.groups[name]
        if is_verb and _NOT_A_VERB_BEFORE.search(text, max(0, m.start() - 13), m.start()):
            continue  # an adjective or a state reports no new action
        if not is_verb and _NEGATED_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue  # "without an election", "no coup": the event did not happen
        if is_verb and _RELATIVE_BEFORE.search(text, max(0, m.start() - 19), m.start()):
            is_verb = False  # "the soldiers who seized power": a reference to an earlier event
        out.append(Trigger(m.start() + offset, m.end() + offset, lex.rows[idx], is_verb))
    return out


def reports_past_action(trigger_text: str) -> bool:
    """Does a verb trigger report a finished action? "threatens"/"says"/"seizing" do not: present
    and progressive forms describe states or ongoing talk, which are not dated events by themselves."""
    first = trigger_text.split(maxsplit=1)[0].lower() if trigger_text.strip() else ""
    if first.endswith("ing") and first not in _NOT_PROGRESSIVE:
        return False
    return first in _PAST_IN_S or not (first.endswith("s") and not first.endswith(("ss", "us")))


_NOT_PROGRESSIVE = frozenset({"bring", "sing", "ring", "fling", "sting", "swing", "wring"})
_PAST_IN_S = frozenset({"was"})  # "was chosen to lead", "was sworn in"


def classify(sentence: str) -> tuple[str, str | None]:
    """Event type slug and PLOVER category of a sentence: its best trigger, else ``other``."""
    trigs = sentence_triggers(sentence, 0, len(sentence), find_triggers(sentence))
    if not trigs:
        return "other", None
    best = min(trigs, key=lambda t: t.rank)
    return best.row.event_type, best.row.plover


# --------------------------------------------------------------------------------------------
# Sentences and page chrome
# --------------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    """u.s u.k u.n e.u mr mrs ms dr gen lt col maj capt sgt cpl adm gov sen rep pres prof st no jan feb
    mar apr jun jul aug sep sept oct nov dec e.g i.e vs etc a.m p.m jr sr inc ltd co corp dept mt ft
    approx est fig lt.-col brig cmdr""".split()
)
_LINE = re.compile(r"[^\n]+")
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-Ý])")
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the period at ``dot`` the end of an abbreviation (U.S., Gen., Mr.) or an initial?"""
    if text[dot] != ".":
        return False
    lo = max(0, dot - 24)
    start = max(text.rfind(" ", lo, dot), text.rfind("\n", lo, dot), text.rfind("(", lo, dot)) + 1
    word = text[max(start, lo) : dot].lower().strip("'\"“‘")
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # single initials ("A. Tiani") and dotted acronyms ("U.S", "a.m")
    return (len(word) == 1 and word.isalpha()) or bool(_DOTTED.fullmatch(word))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` into ``text``, whitespace trimmed.

    Lines are split first because page chrome and headlines sit on lines of their own without
    final punctuation. Inside a line, a sentence ends at ``.!?`` followed by a capital or a digit,
    unless the period closes an abbreviation. Em dashes never end a sentence.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        ls, le = line.span()
        start = ls
        for b in _BOUNDARY.finditer(text, ls, le):
            if _is_abbreviation(text, b.start()):
                continue
            spans.append((start, b.end()))
            start = b.end()
        spans.append((start, le))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_CHROME = re.compile(
    r"""^(?:
        skip\s+(?:to\s+)?(?:navigation|content|main\s+content)
      | advertisement | sponsored(?:\s+content)?
      | (?:share|print|email|save)(?:\s+(?:this|the))?(?:\s+(?:article|story|page))?(?:\s+on\s+\w+)?
      | subscribe\b.* | sign\s+(?:in|up)\b.* | log\s*in | register | menu | search | home
      | (?:read|see)\s+(?:more|also)\b.* | related(?:\s+(?:articles|stories|coverage|topics))?
      | most\s+(?:popular|read) | follow\s+us\b.* | newsletter\b.* | (?:accept|manage)\s+(?:all\s+)?cookies.*
      | all\s+rights\s+reserved.* | ©.* | copyright\b.* | (?:photo|image|video|credit)s?:.*
      | (?:updated|published|posted)\s*:?\s.{0,40}
      | (?:www\.|https?://)\S+.* | listen\s+to\s+(?:this\s+)?article.* | \d+\s+min(?:ute)?s?\s+read
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Bylines are case-sensitive: "By Jane Doe and John Smith", not "By Sunday, the deadline had lapsed".
_NAME = r"[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}"
_BYLINE = re.compile(rf"^By\s+{_NAME}(?:\s*(?:,|and)\s*{_NAME})*\W*$")
# Comment counters and thread furniture, as (first character, rest): "\d" + "\d*\s+comments?" is
# "\d+\s+comments?".
_COMMENT_PHRASES = (
    (r"\d", r"\d*\s+comments?"),
    ("y", r"ou'?ve\s+viewed"),
    ("y", r"ou'?re\s+viewing\s+a\s+single\s+thread"),
    ("v", r"iew(?:ing)?\s+(?:all\s+)?comments?"),
    ("s", r"how\s+(?:more\s+)?(?:comments?|replies)"),
    ("c", r"omments?\s+(?:are\s+)?closed"),
    ("j", r"oin\s+the\s+conversation"),
    ("c", r"onversation\s+guidelines"),
)
# Read plainly, the pattern is ``\b(?:PHRASE|PHRASE|…)\b`` ignoring case. It is written to start with
# a character a phrase can start with, listed with every character that matches one ignoring case
# ("ſ" is an "s"; a test checks the list), so the regex engine skips to those in C; behind it, the
# word boundary and (ignoring case) each phrase's first character pick the phrases to try, in order.
_COMMENTS = re.compile(
    r"[\dyYvVsS\u017fcCjJ](?<!\w\w)(?i:" + "|".join(f"(?<={first}){rest}" for first, rest in _COMMENT_PHRASES) + r")\b"
)
_LONE = re.compile(r"^[\W\d_]*$")
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to with vs over after".split())


_HEADLINE_MAX = 160
_FINAL = frozenset(".!?\"”’'):…")


def _looks_like_headline(sentence: str) -> bool:
    """A Title Case line without final punctuation is a headline, not a sentence of the story."""
    if sentence[-1:] in ".!?\"”’'":
        return False
    words = _TITLE_WORD.findall(sentence)
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if len(words) < 3 or not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.75


def is_chrome(sentence: str, whole_line: bool = False) -> bool:
    """Page furniture rather than reporting: navigation, share/subscribe lines, comment counters,
    bylines, bare numbers and Title Case headlines (which repeat the story, not add to it).

    With ``whole_line`` (the sentence is its line), a short line without final punctuation is a
    headline or a standfirst in sentence case ("Niger's junta leader sworn in for five-year
    term"): the body tells the same news in full sentences."""
    s = sentence.strip()
    if whole_line and s and len(s) <= _HEADLINE_MAX and s[-1] not in _FINAL:
        return True
    if not s or _LONE.match(s):
        return True
    if _CHROME.match(s) or _BYLINE.match(s):
        return True
    if len(s) < 80 and _COMMENTS.search(s):
        return True
    return _looks_like_headline(s)


# --------------------------------------------------------------------------------------------
# Clauses and dates
# --------------------------------------------------------------------------------------------

# Clause breaks: a strong mark (with the spaces around it), or a comma before a subordinate, participle
# or coordinated clause with a time of its own.
_BREAK_MARK = r"(?:—|–|\s--\s|;|\(|\)|:\s)"
_BREAK_AFTER_COMMA = (
    r"\s+(?=(?:while|whereas|but|although|though|not\s+including|excluding|which|whom|who|when|before|after|"
    r"(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?)\s+(?:after|before|later|earlier))\b)",
    # ", handing over the base in Faya-Largeau on December 26": a participle clause (which takes the
    # main clause's date when it states none of its own)
    r"\s+(?!including|according|excluding|involving|regarding|concerning)(?=[a-z]{3,}ing\s)",
    # ", and in 2022 JNIM attacked …", ", and a week later it said …": a coordinated clause with a
    # time of its own
    r"\s+(?=and\s+(?:(?:in|on|by|since|during)\s+(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:\d|jan|feb|mar|apr|"
    r"may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|last|this|that|the\s+same)"
    r"|(?:\w+\s+)?(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?)\s+(?:later|earlier|after|before)\b"
    r"|(?:later|earlier)\b))",
)
# Read plainly, the pattern is ``\s*MARK\s*|,AFTER1|,AFTER2|,AFTER3``. It is written to start with
# the set of characters a break can start with (then, per character, the rest of what could match
# there, in the same order), so the regex engine skips in C to the next space or mark instead of
# entering the pattern at every character: same matches, same spans. At a space, "\s*MARK" with
# one space or more comes first, then the only mark that starts with a space ("\s--\s") on its own.
_CLAUSE_BREAK = re.compile(
    r"[\s—–;():,](?:"
    rf"(?<=\s)(?:\s*{_BREAK_MARK}\s*|--\s\s*)"
    r"|(?<=[—–;()])\s*"
    r"|(?<=:)\s\s*"
    r"|(?<=,)(?:" + "|".join(_BREAK_AFTER_COMMA) + "))",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:could|would|might|may|should|must|will|won't|if|unless|whether|likely|possible|possibly|fears?|feared|"
    r"risk|plans?\s+to|hopes?\s+to|aims?\s+to|wants?\s+to)\b",
    re.IGNORECASE,
)
_YEAR_OR_MONTH = re.compile(
    r"\b(?:1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b|\d{4}-\d\d",
    re.IGNORECASE,
)
_DATING_TYPES = frozenset({"DATE", "TIME"})


_RELATIVE_START = re.compile(r"(?:who|whom|which)\b", re.IGNORECASE)


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans inside ``text[start:end]`` at strong boundaries.

    Why: one sentence can report two events with two dates ("the seventh coup since 2020 — not
    including a failed attempt two years ago"); each date should govern only its own clause.
    """
    breaks: list[tuple[int, int]] = []
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        breaks.append(m.span())
        if _RELATIVE_START.match(text, m.end()):
            # ", who has led the guard since 2011, declared…": the relative clause closes at the
            # next comma, and its date must not govern the main clause
            comma = text.find(",", m.end(), end)
            if comma != -1:
                breaks.append((comma, comma + 1))
    spans: list[tuple[int, int]] = []
    s = start
    for b0, b1 in sorted(breaks):
        if b0 > s:
            spans.append((s, b0))
        s = max(s, b1)
    if s < end:
        spans.append((s, end))
    return spans or [(start, end)]


@lru_cache(maxsize=8192)
def _value_range(value: str) -> tuple[date, date, str] | None:
    """``tracker.temporal.value_range``, cached: an article repeats its few dates many times.

    Imported late: temporal is a sibling module."""
    from tracker import temporal

    return temporal.value_range(value)


def dating(timexes: Iterable[Timex]) -> list[tuple[Timex, tuple[date, date, str]]]:
    """The time expressions that can date an event (calendar dates), with their ranges.

    Durations, sets and PRESENT_REF/PAST_REF alone do not place an event on the calendar.
    """
    out = []
    for tx in timexes:
        if tx.type not in _DATING_TYPES:
            continue
        rng = _value_range(tx.value)
        if rng is not None:
            out.append((tx, rng))
    return out


def resolution_of(tx: Timex) -> str:
    """How the date was obtained: written out, relative to publication, or from an earlier event."""
    anchor = (tx.anchor or "").strip().lower()
    if anchor and anchor not in {"dct", "none", "publication", "document"}:
        return "previous-event"
    if _YEAR_OR_MONTH.search(tx.text):
        return "explicit"
    return "relative"


# --------------------------------------------------------------------------------------------
# Titles and display-time helpers
# --------------------------------------------------------------------------------------------

_LEADING = re.compile(
    r"^(?:(?:yet|but|and|so|meanwhile|however|in\s+return|in\s+response|not\s+including|excluding|"
    r"including|on\s+\w+day|"
    r"on\s+\d{1,2}\s+\w+(?:\s+\d{4})?|on\s+\w+\s+\d{1,2}(?:,?\s+\d{4})?|in\s+\w+(?:\s+\d{4})?|"
    r"at\s+around\s+\w+|a\s+\w+\s+later|\w+\s+days?\s+later|last\s+\w+|earlier\s+this\s+\w+|"
    r"(?:on|by|in)\s+the\s+\w+\s+of\s+\w+|"
    r"(?:shortly|soon|just|hours|days|weeks|minutes|moments)\s+(?:before|after)\s+[^,]{1,40},|"
    r"(?:\w+\s+)?(?:hours?|days?|weeks?|months?|years?)\s+(?:after|before))\s*,?\s+)+",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^[A-Z][A-Z'’ .-]{2,30}(?:,\s*[A-Z][\w .-]{2,30})?\s*[—–-]{1,2}\s+")
_INLINE_DATE = re.compile(
    r"\s+(?:(?:late|early)\s+)?(?:on|last|this|since|by)\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*(?:\s+\d{4})?"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}(?:,?\s+\d{4})?)\b"
    r"(?:\s+(?:morning|afternoon|evening|night))?",
    re.IGNORECASE,
)
# ", the French army said." / ", according to officials": who reports it is not the headline
_ATTRIBUTION = re.compile(
    r",\s+(?:according\s+to\s+[^,]{2,60}|[^,]{2,60}?\s(?:said|says|reported|confirmed|announced|added)"
    r"(?:\s+on\s+\w+)?(?:\s+in\s+a\s+(?:joint\s+)?statement)?)\s*\.?$",
    re.IGNORECASE,
)
# ", led by Nigeria," / ", caught without key personnel," / ", which …,": asides a headline drops.
_APPOSITIVE = re.compile(
    r",\s+(?:(?:who|whom|which|where|whose|caught|led|held|known|built|born|seen|a|an)\b|[a-z]+(?:ed|ing)\b)"
    r"[^,;—]{0,70},(?!\d)\s*"
)
# Where a title is cut: a dash, semicolon, colon or bracket, a relative pronoun after a comma, or a
# subordinator (with or without a comma before it).
_CUT_RELATIVE = r"(?:which|who|whom|as)"
_CUT_SUBORDINATOR = r"(?:if|after|because|while|amid|although|though|according\s+to|saying|citing|in\s+what)"
# Read plainly, the pattern is ``\s*(?:—|–|;|:|\(|,\s+RELATIVE\b|,?\s+SUBORDINATOR\b)``; like
# _CLAUSE_BREAK it is written to start with the characters a cut can start with, so the regex engine
# skips to them in C: same matches, same spans. At a space, what the plain pattern tries with one
# space or more comes first, then the subordinator with no comma, from that space.
_TITLE_CUT = re.compile(
    r"[\s—–;:(,](?:"
    rf"(?<=\s)(?:\s*(?:—|–|;|:|\(|,\s+{_CUT_RELATIVE}\b|,?\s+{_CUT_SUBORDINATOR}\b)|\s*{_CUT_SUBORDINATOR}\b)"
    r"|(?<=[—–;:(])"
    rf"|(?<=,)(?:\s+{_CUT_RELATIVE}\b|\s+{_CUT_SUBORDINATOR}\b))",
    re.IGNORECASE,
)
TITLE_MAX = 90
_BARE_VERB = re.compile(r"(?:[a-z]+ed|took|seized|left|met|held|fled|won|struck|sent|gave|began|said|told)\b")


def make_title(sentence: str, event_type: str, actors: list[str], countries: list[str]) -> str:
    """A short headline for the event, made from its own sentence.

    Why from the sentence: a template ("Coup in Niger") loses what happened; the sentence with its
    dates, asides and subordinate clauses removed reads like a wire headline. The country is
    appended when the sentence does not name it, so the title stands alone on a timeline.
    """
    s = " ".join(sentence.split()).strip(" \"'“”‘’")
    s = _DATELINE.sub("", s)
    if ", " in s[-90:]:
        tail = max(0, len(s) - 90)
        s = s[:tail] + _ATTRIBUTION.sub("", s[tail:])
    s = _LEADING.sub("", s)
    s = _APPOSITIVE.sub(" ", s)
    s = _INLINE_DATE.sub("", s)
    cut = _TITLE_CUT.search(s, 25)
    if cut:
        s = s[: cut.start()]
    s = s.rstrip(" ,.;:!?—–-")
    if s.lower().startswith("the "):
        s = s[4:]
    if not s:
        s = EVENT_TYPES.get(event_type, "Event")
    elif actors and _BARE_VERB.match(s) and actors[0].lower() not in s.lower():
        s = f"{actors[0]} {s}"  # a clause that lost its subject ("declared himself head of state")
    names = [n for n in (_country_label(c) for c in countries) if n]
    if names and not any(n.lower() in s.lower() for n in names):
        sahel = [c for c in countries if c in SAHEL]
        name = _country_label(sahel[0]) if sahel else names[0]  # where it happened, if we know
        if name and len(s) + len(name) + 4 <= TITLE_MAX:
            s = f"{s} ({name})" if event_type in {"diplomacy", "agreement"} else f"{s} in {name}"
    if len(s) > TITLE_MAX:
        s = s[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return s[:1].upper() + s[1:]


@lru_cache(maxsize=512)
def _country_label(iso3: str) -> str | None:
    """Country name for titles; falls back to the code when the gazetteer is not available."""
    try:
        from tracker import entities

        return entities.country_name(iso3) or iso3
    except (ImportError, AttributeError):
        return iso3


def deadline_status(date_end_or_date: date, future: bool, event_type: str, today: date) -> str | None:
    """``pending`` or ``lapsed`` for deadlines and forward-pointing threats, else ``None``.

    Called at display time: extraction never reads the clock, so whether an ultimatum has run out
    depends on the day the timeline is looked at. A deadline is pending through its last day.
    """
    if event_type == "deadline" or (event_type == "threat" and future):
        return "pending" if today <= date_end_or_date else "lapsed"
    return None


# --------------------------------------------------------------------------------------------
# Merging across articles
# --------------------------------------------------------------------------------------------


def _span(ev: EventDraft) -> tuple[date, date]:
    return ev.date, (ev.date_end or ev.date)


def dates_compatible(a: EventDraft, b: EventDraft) -> bool:
    """Could both reports date the same event? One range must lie inside the other.

    A day inside a month is compatible (a vaguer report of the same thing); two different days,
    or two months that merely overlap a week, are not.
    """
    (a0, a1), (b0, b1) = _span(a), _span(b)
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


_RARE_PER_COUNTRY = frozenset({"coup", "election", "deadline", "agreement"})


def same_event(a: EventDraft, b: EventDraft) -> bool:
    """Are two drafts (usually from different articles) reports of one event?

    Same type, compatible dates, and something in common about who: a shared actor when both
    name actors, a shared country when either names none. Two named casts with nobody in common
    are two events, even in the same country and week ("the delegation flew to Niamey on
    Thursday" is not "defence chiefs will meet in Abuja this week"): a duplicate is visible and
    can be merged by hand, a wrong merge hides an event.
    """
    if a.event_type != b.event_type or not dates_compatible(a, b):
        return False
    if a.plover and b.plover and a.plover != b.plover:
        return False  # leaving a bloc (REJECT) is not a visit (CONSULT), though both are diplomacy
    if a.future != b.future and a.event_type not in {"deadline", "threat"}:
        return False
    # a state named as an actor ("Niger") says no more than the country list does
    states = {_country_label(c) for c in (*a.countries, *b.countries)}
    cast_a, cast_b = set(a.actors) - states, set(b.actors) - states
    if cast_a and cast_b:
        return bool(cast_a & cast_b)
    if not set(a.countries) & set(b.countries):
        return False
    # Only a country in common: in a Niger-centred news stream that is nearly everything, so a
    # vaguer date may absorb a precise one only for events a country has few of (one coup, one
    # election in a month); statements, meetings, attacks must fall on the same dates.
    return a.event_type in _RARE_PER_COUNTRY or _span(a) == _span(b)


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


class _Index:
    """Items sorted by offset, so "what lies inside this clause" costs a bisection, not a scan."""

    __slots__ = ("items", "starts", "ends")

    def __init__(self, items: Iterable, span: Callable[[Any], tuple[int, int]] = lambda x: (x.start, x.end)):
        self.items = sorted(items, key=lambda x: span(x)[0])
        self.starts = [span(x)[0] for x in self.items]
        self.ends = [span(x)[1] for x in self.items]

    def within(self, start: int, end: int) -> list:
        lo = bisect_left(self.starts, start)
        hi = bisect_left(self.starts, end, lo)
        if lo == hi:
            return []
        items, ends = self.items, self.ends
        return [items[i] for i in range(lo, hi) if ends[i] <= end]

    def __iter__(self) -> Iterator:
        return iter(self.items)


@dataclass(slots=True)
class _Who:
    """Entities found once over the whole article, looked up per clause by offset."""

    actors: _Index  # of entities.Mention
    countries: _Index  # of entities.Mention
    places: _Index  # of (Mention, PlaceRef)
    main_country: str | None
    ranked: tuple[str, ...] = ()  # the article's countries, most central first
    text: str = ""
    body_starts: tuple[int, ...] = ()  # sentence starts of the body (not chrome)


def _find_entities(text: str, body: list[tuple[int, int]]) -> _Who:
    """Run the gazetteer once over the article (not per sentence: it is the costly part), and
    decide the article's main country.

    The main country is where the story happens: the most mentioned one, counting only the body
    (not chrome), a country's name (2) and its towns (1.5) more than metonyms (1), demonyms and
    people's nationalities (0.5); mentions in the lede double, and countries of the Sahel count
    half as much again: this is a Sahel tracker, and a story about how Washington
    handled Niger's coup is a story about Niger.
    """
    try:
        from tracker import entities
    except ImportError:  # pragma: no cover - entities lands in its own commit
        return _Who(_Index([]), _Index([]), _Index([], _place_span), None)
    actors = _Index(entities.find_actors(text))
    countries = _Index(entities.find_countries(text))
    places = _Index(entities.find_places(text), _place_span)
    lede_end = body[min(len(body), _LEDE_SENTENCES) - 1][1] if body else 0
    body_starts = [s for s, _ in body]

    def weight(pos: int) -> float:
        i = bisect_right(body_starts, pos) - 1
        if i < 0 or pos >= body[i][1]:
            return 0.0  # chrome: headlines and navigation do not vote
        return 2.0 if pos < lede_end else 1.0

    tally: Counter[str] = Counter()
    for m in countries:  # "Niger" says where; "French soldiers" and "the Kremlin" say who
        tally[m.name] += weight(m.start) * _COUNTRY_WEIGHT.get(m.kind, 1.0)
    for m in actors:
        if m.country and m.kind != "state":  # states are already counted as countries
            tally[m.country] += weight(m.start) * 0.5
    for m, ref in places:
        if ref.geo_precision != "country":  # towns and bases say where the story happens
            tally[ref.country] += weight(m.start) * 1.5
    for iso in tally:
        if iso in SAHEL:
            tally[iso] *= 1.5
    ranked = [iso for iso, score in tally.most_common() if score > 0]
    return _Who(actors, countries, places, ranked[0] if ranked else None, tuple(ranked), text, tuple(body_starts))


_COUNTRY_WEIGHT = {"name": 2.0, "metonym": 1.0, "demonym": 0.5}
_NAMED_KINDS = frozenset({"name", "demonym"})  # not metonyms: "the Kremlin" names an actor, not a place
# The region the tracker is about (the G5 Sahel states).
SAHEL = frozenset({"MLI", "BFA", "NER", "TCD", "MRT"})
_LEDE_SENTENCES = 3


def _place_span(mp: tuple[Any, PlaceRef]) -> tuple[int, int]:
    return mp[0].start, mp[0].end


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for x in items:
        if x and x not in seen:
            seen[x] = None
    return list(seen)


def _who(
    who: _Who, start: int, end: int, context: tuple[int, int] | None = None
) -> tuple[list[str], list[str], list[PlaceRef]]:
    """Actors, countries and places of one clause.

    Countries: those named in the clause, then the countries of its actors ("the Kremlin" -> RUS),
    and, when the clause names no country at all, the article's main country — "the junta closed
    the airspace" in an article about Niger is about Niger. Before falling back on the main
    country, a clause that names nobody borrows from what it refers to: a group noun ("the two
    governments") the states listed before it, "they" the states of the previous sentence, and a
    clause of a longer sentence ("…, and a week later it said he …") the rest of its sentence.
    """
    actors = who.actors.within(start, end)
    mentions = who.countries.within(start, end)
    named = [m.name for m in mentions if m.kind in _NAMED_KINDS]
    if not named and who.text:
        group = _GROUP.search(who.text, start, end)
        if group:
            named = _group_countries(who, start, _GROUP_SIZE[(group.group(1) or group.group(2) or "").lower()])
        elif _THEY.search(who.text, start, min(end, start + 60)) and not any(
            getattr(m, "country", None) for m in actors
        ):
            named = _previous_sentence_states(who, start)
        if not named and not mentions and context is not None and context != (start, end):
            if not any(getattr(m, "country", None) for m in actors):
                named = _dedupe(
                    [m.name for m in who.countries.within(*context) if m.kind in _NAMED_KINDS]
                    + [m.country for m in who.actors.within(*context) if getattr(m, "country", None)]
                )
        mentions = [*mentions, *(_GroupMention(c) for c in named)]
    countries = _dedupe(named + [m.name for m in mentions] + [m.country for m in actors if getattr(m, "country", None)])
    # "near the border with Burkina Faso", "crossed from Libya": a neighbour named to say where
    # the event is *not* does not keep the article's main country out
    located = [
        m.name
        for m in mentions
        if m.kind in _NAMED_KINDS
        and not (hasattr(m, "start") and _NOT_HERE_BEFORE.search(who.text, max(0, m.start - 32), m.start))
    ]
    if who.main_country and (not located or (who.main_country in SAHEL and not any(c in SAHEL for c in located))):
        countries = _dedupe(countries + [who.main_country])
    places = [p for _, p in who.places.within(start, end)]
    if not places:
        # where: a country named by its name ("in Niger"); "the Nigerian capital" says who
        where = [m.name for m in mentions if m.kind == "name"]
        if who.main_country and (not where or who.main_country in where):
            main = who.main_country
        else:
            main = where[0] if where else (countries[0] if countries else None)
        if main:
            try:
                from tracker import entities

                ref = entities.country_place(main)
            except ImportError:  # pragma: no cover
                ref = None
            if ref is not None:
                places = [ref]
    dedup_places: dict[str, PlaceRef] = {}
    for p in places:
        dedup_places.setdefault(p.name, p)
    return _dedupe(m.name for m in actors), countries, list(dedup_places.values())


# "the two governments", "the three countries", "both countries": states named just before
_GROUP = re.compile(
    r"\b(?:(?:the|their|all|these|those)\s+(two|three|four|five)|(both))\s+(?:neighbou?ring\s+|sahel(?:ian)?\s+|"
    r"west\s+african\s+|military[\s-](?:led|run)\s+|military\s+)?(?:countries|governments|states|nations|juntas|"
    r"capitals|sides|neighbou?rs|regimes)\b",
    re.IGNORECASE,
)
_GROUP_SIZE = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+&\s+)\s*", re.IGNORECASE)


_THEY = re.compile(r"\b[Tt]hey\b")
_NOT_HERE_BEFORE = re.compile(
    r"\b(?:borders?(?:ing)?(?:\s+with)?|frontier\s+with|neighbou?ring|from|close\s+to|near)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _previous_sentence_states(who: _Who, start: int) -> list[str]:
    """The states named in the sentence before ``start``, when it names two or more: "they" after
    "Niger, Mali and Burkina Faso …" stands for the three."""
    i = bisect_right(who.body_starts, start) - 1  # the clause's own sentence
    if i < 1:
        return []
    lo, hi = who.body_starts[i - 1], who.body_starts[i]
    states = _dedupe(m.name for m in who.countries.within(lo, hi) if m.kind in _NAMED_KINDS)
    if len(states) < 2:
        group = _GROUP.search(who.text, lo, hi)
        if group:
            states = _group_countries(who, lo, _GROUP_SIZE[(group.group(1) or group.group(2) or "").lower()])
    return states if len(states) >= 2 else []


@dataclass(frozen=True, slots=True)
class _GroupMention:
    name: str
    kind: str = "name"


def _group_countries(who: _Who, before: int, n: int) -> list[str]:
    """The states a group noun stands for: the nearest earlier list naming exactly ``n`` countries
    ("Mali and Burkina Faso, …  A delegation from the two countries"), else the article's ``n``
    most central countries."""
    named = [m for m in who.countries.within(0, before) if m.kind in _NAMED_KINDS]
    # group consecutive mentions joined only by ", " / " and " into lists
    lists: list[list[str]] = []
    prev = None
    for m in named:
        if prev is not None and _LIST_GAP.fullmatch(who.text, prev.end, m.start):
            if m.name not in lists[-1]:
                lists[-1].append(m.name)
        else:
            lists.append([m.name])
        prev = m
    for group in reversed(lists):
        if len(group) == n:
            return group
    return list(who.ranked[:n]) if len(who.ranked) >= n else []


@dataclass(slots=True)
class _Dated:
    """A dating time expression with its calendar range."""

    tx: Timex
    first: date
    last: date
    precision: str


_ATTRIBUTION_TAIL = 60  # ", the Chadian presidency said." is attribution, not the news
_INFINITIVE_BEFORE = re.compile(r"\bto\s+(?:have\s+)?$", re.IGNORECASE)
# "ordered police to expel him", "voted to end its mission": the order is the event, not a plan
_ORDERED_TO = re.compile(
    r"\b(?:ordered|instructed|voted|decided)\s+(?:[\w'’-]+\s+){0,3}?to\s+(?:have\s+)?$", re.IGNORECASE
)
_JUST_A_DETERMINER = re.compile(r"\s+(?:(?:the|a|an|its|his|her|their)\s+)?$", re.IGNORECASE)


# "said the agreement had been imposed": the noun after a plain verb of saying starts what was said
_SAYING = re.compile(r"(?:said|says|say|told|tells|stated)", re.IGNORECASE)
# "pulled its troops out in December after the junta ordered them to leave": the clause after a
# subordinator explains the main event, it does not compete with it for the event type
_SUBORDINATOR = re.compile(r"(?:,\s*|\s)(?:after|because|following|since|until|as\s+a\s+result\s+of)\s", re.IGNORECASE)


def _background_clause(text: str, out: list[Trigger], t: Trigger) -> bool:
    """Is the verb ``t`` inside a subordinate clause ("after …") that follows a main-clause verb
    trigger of a non-statement type?"""
    main = next((u for u in reversed(out) if u.is_verb and u.row.event_type != "statement"), None)
    if main is None or t.start - main.end > 160:
        return False
    return bool(_SUBORDINATOR.search(text, main.end, t.start))


def sentence_triggers(text: str, s: int, e: int, trigs: list[Trigger], dates: tuple[int, ...] = ()) -> list[Trigger]:
    """The triggers of one sentence, after three corrections that need the sentence around them.

    - attribution: a statement verb near the end after a comma (", officials said.") only says who
      reports the news; it is dropped.
    - "announced the withdrawal": a plain statement verb followed closely by an event noun reports
      that event; the pair becomes one trigger of the noun's type, ranked as a verb.
    - infinitives: in "vowed to march", "agreed to withdraw", the verb after "to" is what was
      vowed or agreed; when a verb trigger comes earlier in the sentence it ranks as a noun.
    """
    out: list[Trigger] = []
    skip: set[int] = set()
    for i, t in enumerate(trigs):
        if i in skip:
            continue
        if t.is_verb and t.row.event_type == "statement":
            tail = text[t.end : e]
            if (
                len(tail) <= _ATTRIBUTION_TAIL
                and len(tail) < t.start - s  # what is attributed comes first: "…, officials said"
                and "," in text[max(s, t.start - 45) : t.start]
                and not any(u.start >= t.end for u in trigs)
                and not any(t.end <= p < e for p in dates)  # "…, HRW said on Tuesday" is news
            ):
                continue
            if t.row.plover is None and not _SAYING.fullmatch(text, t.start, t.end):
                nxt = trigs[i + 1] if i + 1 < len(trigs) else None
                if (
                    nxt is not None
                    and not nxt.is_verb
                    and nxt.row.event_type not in {"statement", "other"}
                    and _JUST_A_DETERMINER.match(text, t.end, nxt.start)
                ):
                    out.append(Trigger(t.start, nxt.end, nxt.row, True))
                    skip.add(i + 1)
                    continue
        if (
            t.is_verb
            and _INFINITIVE_BEFORE.search(text, max(s, t.start - 9), t.start)
            and any(u.is_verb for u in out)
            and not _ORDERED_TO.search(text, max(s, t.start - 40), t.start)
        ):
            t = Trigger(t.start, t.end, t.row, False)
        elif t.is_verb and _background_clause(text, out, t):
            t = Trigger(t.start, t.end, t.row, False)
        out.append(t)
    return out


def _assign(
    clauses: list[tuple[int, int]],
    dated: list[_Dated],
    trigs: list[Trigger],
    text: str,
    published: date,
) -> list[tuple[_Dated, list[Trigger], str | None]]:
    """Give each dated expression the triggers it governs; return (date, triggers, forced type).

    A trigger belongs to the nearest dated expression of its own clause; a trigger in a clause with
    no date goes to the nearest date of the sentence only if that date's clause has no trigger of
    its own ("On 26 July — soldiers detained the president"). A date introduced by a deadline cue
    ("by Sunday", "until 6 August") becomes a deadline when the sentence threatens or the date lies
    after publication; otherwise, when the sentence has other dates, it is only the target of a
    plan ("withdraw by the end of the year") and governs nothing.
    """
    lex = lexicon()

    def clause_of(pos: int) -> int:
        for i, (s, e) in enumerate(clauses):
            if s <= pos < e:
                return i
        return -1

    d_clause = [clause_of(d.tx.start) for d in dated]
    t_clause = [clause_of(t.start) for t in trigs]
    owned: dict[int, list[Trigger]] = {i: [] for i in range(len(dated))}
    forced: dict[int, str] = {}
    passive: set[int] = set()
    threatening = any(t.row.event_type in {"threat", "deadline"} or _COMMITMENT.match(text, t.start) for t in trigs)
    for i, d in enumerate(dated):
        before = text[max(0, d.tx.start - 30) : d.tx.start]
        if d.tx.mod == "END" and d.last > published and lex.deadline_cue.search(before):
            # "by the end of the year": the deadline is the last day of the period
            dated[i] = d = _Dated(d.tx, d.last, d.last, "day")
        if _OVERTAKEN_PLAN.search(before):
            passive.add(i)  # "elections that had been planned for February 2024": not held then
            continue
        if not (threatening or d.first > published or len(dated) > 1):
            continue  # a cue would change nothing
        if lex.deadline_cue.search(before):
            if threatening or d.first > published:
                forced[i] = "deadline"
            elif len(dated) > 1:
                passive.add(i)
    # "Sunday's coup", "Monday's presidential election": a possessive date binds the noun after it
    bound: dict[int, Trigger] = {}
    for i, d in enumerate(dated):
        m = _POSSESSIVE.match(text, d.tx.end - 2) or _POSSESSIVE.match(text, d.tx.end)
        if i in forced:
            continue
        if m:
            for t in trigs:
                if 0 <= t.start - m.end() <= 25 and "," not in text[m.end() : t.start]:
                    bound[i] = t
                    owned[i].append(t)
                    break
        elif _DETERMINER_BEFORE.search(text, max(0, d.tx.start - 6), d.tx.start):
            # "the July 2023 coup", "a September 2022 coup": a date used as a modifier
            for t in trigs:
                if not t.is_verb and 0 < t.start - d.tx.end <= 20 and _MODIFIER_GAP.fullmatch(text, d.tx.end, t.start):
                    bound[i] = t
                    owned[i].append(t)
                    break
    passive |= set(bound)
    taken = {id(t) for t in bound.values()}
    # "had won Monday's presidential election", "ended the 2018 agreement": a date inside a verb
    # trigger dates the noun it modifies, never the verb (which goes to the sentence's other dates)
    for i, d in enumerate(dated):
        if i in forced or i in bound:
            continue
        host = next((t for t in trigs if t.start < d.tx.start and d.tx.end <= t.end), None)
        if host is None:
            continue
        modifier = _POSSESSIVE.match(text, d.tx.end) or _POSSESSIVE.match(text, d.tx.end - 2)
        if not (modifier or _DETERMINER_BEFORE.search(text, max(0, d.tx.start - 6), d.tx.start)):
            continue  # "vowed on Wednesday to march": an adverbial date dates the verb
        passive.add(i)
        noun = _modified_noun(text, d.tx.end, host.end)
        if noun is not None:
            owned[i].append(noun)
    clause_has_trigger = set(t_clause)
    rep = None
    # every match of _REPORTED_PAST holds "had": the cheap search for it settles most sentences
    if clauses and _HAD.search(text, clauses[0][0], clauses[-1][1]):
        rep = _REPORTED_PAST.search(text, clauses[0][0], clauses[-1][1])
    reported = rep.start(1) if rep else None
    for t, tc in zip(trigs, t_clause, strict=True):
        if id(t) in taken:
            continue
        if forced and t.row.event_type in {"threat", "deadline"}:
            continue  # the threat is what the deadline event reports
        same = [i for i, dc in enumerate(d_clause) if dc == tc and i not in passive]
        if reported is not None and t.start > reported:
            # "HRW said in April that soldiers had killed 223 villagers on 25 February": what was
            # reported in the past perfect has its own date, when it states one
            inside = [i for i in same if dated[i].tx.start > reported]
            same = inside or same
        pool = same or [i for i, dc in enumerate(d_clause) if dc not in clause_has_trigger and i not in passive]
        if not pool:
            continue
        # a deadline's type is fixed; the other triggers date the event that set it
        pool = [i for i in pool if i not in forced] or pool
        # "seized power …, and replaced troops that had fought there since 2013": a date after a
        # relative pronoun belongs to the relative clause, not to a trigger before it
        pool = [
            i for i in pool if not (t.end <= dated[i].tx.start and _foreign_relative(text, t.end, dated[i].tx.start))
        ]
        if not pool:
            continue
        best = min(pool, key=lambda i: _distance(dated[i].tx, t))
        owned[best].append(t)
    # "arrived in Burkina Faso in January and in Niger in April", "cut ties on 4 August, and Niger
    # followed two days later": a bare date coordinated with a dated event repeats that event
    trig_starts = [t.start for t in trigs]
    for i, d in enumerate(dated):
        if owned[i] or i in forced or i in passive or i == 0:
            continue
        j = i - 1
        prev = dated[j]
        if not owned[j] or j in forced or d_clause[j] != d_clause[i] or prev.tx.end > d.tx.start:
            continue
        gap = text[prev.tx.end : d.tx.start]
        if len(gap) <= 60 and _AND.search(gap) and not any(prev.tx.end <= p < d.tx.start for p in trig_starts):
            owned[i] = [t for t in owned[j] if t.is_verb] or list(owned[j])
    out = []
    for i, d in enumerate(dated):
        if i in forced or owned[i]:
            out.append((d, owned[i], forced.get(i)))
    return out


_POSSESSIVE = re.compile(r"['’]s\b")
_AND = re.compile(r"\band\b")
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.IGNORECASE)
_MODIFIER_GAP = re.compile(r"\s+(?:[a-z-]+\s+)?")


_REPORTED_PAST = re.compile(
    r"\b(?:said|says|told|announced|declared|stated|confirmed|reported|added|claimed|insisted|alleged|found)\b"
    r"[^.;]{0,60}?\s(that)\s+(?:[\w'’-]+\s+){0,4}?had\s",
    re.IGNORECASE,
)
_HAD = re.compile(r"had\s", re.IGNORECASE)
_RELATIVE_PRONOUN = re.compile(r"\b(?:that|which|who|whom|whose)\b", re.IGNORECASE)


def _foreign_relative(text: str, after_trigger: int, date_start: int) -> bool:
    """Does a relative clause about something else than the trigger open between them? Not when
    the pronoun follows the trigger's own phrase ("protests led by M5, which first brought crowds
    into the streets on 5 June" dates the protests)."""
    rel = _RELATIVE_PRONOUN.search(text, after_trigger, date_start)
    if rel is None:
        return False
    return rel.start() - after_trigger > 40 or bool(_COMMA_AND.search(text, after_trigger, rel.start()))


_COMMA_AND = re.compile(r",\s*and\b")
_OVERTAKEN_PLAN = re.compile(
    r"\bhad\s+been\s+(?:planned|scheduled|due|set|slated|expected|meant)\s+(?:to\s+\w+\s+)?(?:for|on|in|by)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_MODIFIER_TAIL = re.compile(r"(?:['’]s)?\s+")


def _modified_noun(text: str, pos: int, limit: int) -> Trigger | None:
    """The event noun a date modifies inside a longer trigger ("Monday's [presidential] election")."""
    m = _MODIFIER_TAIL.match(text, pos, limit)
    if m is None:
        return None
    start = m.end()
    for cand in (start, text.find(" ", start, limit) + 1):
        if cand <= 0 or cand >= limit:
            continue
        for t in find_triggers(text[cand:limit], cand):
            if t.start == cand and not t.is_verb:
                return t
    return None


def _distance(tx: Timex, t: Trigger) -> int:
    if t.end <= tx.start:
        return tx.start - t.end
    if tx.end <= t.start:
        return t.start - tx.end
    return 0


def _row_for(slug: str) -> LexRow:
    for row in lexicon().rows:
        if row.event_type == slug:
            return row
    raise KeyError(slug)


def _types_for(trigs: list[Trigger], forced: str | None, d: _Dated, future: bool) -> list[LexRow]:
    """The event types one dated clause reports: the best trigger, plus a second event type when
    another *verb* reports a different kind of action ("met in Abuja and imposed sanctions").

    A future date governs what is planned, not the saying of it: in "said it would hold a summit on
    Friday" the event on Friday is the summit, so statements give way to the nearest other trigger.
    """
    if forced:
        return [_row_for(forced)]
    if future:
        planned = [t for t in trigs if t.row.event_type != "statement"]
        if planned:
            return [min(planned, key=lambda t: (_distance(d.tx, t), t.rank)).row]
    ranked = sorted(trigs, key=lambda t: t.rank)
    if not ranked[0].is_verb:  # only nouns: the one the date modifies is the one next to it
        return [min(ranked, key=lambda t: (_distance(d.tx, t), t.rank)).row]
    rows = [ranked[0].row]
    for t in ranked[1:]:
        if (
            t.is_verb
            and t.row.event_type not in {r.event_type for r in rows}
            and t.row.event_type != "statement"
            and rows[0].event_type not in {"deadline"}
        ):
            rows.append(t.row)
            break
    return rows


_OFFSET = re.compile(r"^P(\d+)([DWM])$")
_HOURS = re.compile(r"^PT(?:\d+|X)[HM]$")  # "hours earlier", "30 minutes later": the same day
_AFTER_BEFORE = re.compile(r"\s+(after|before|earlier|later)\b", re.IGNORECASE)


def _offset_timex(text: str, tx: Timex, end: int, value: str, anchor: _Dated) -> Timex:
    """A DATE standing for "<duration> after/before <anchor>"."""
    return Timex(
        start=tx.start,
        end=end,
        text=text[tx.start : end],
        type="DATE",
        value=value,
        rule="duration-offset",
        direction="past",
        anchor=anchor.tx.text,
    )


def _offset_dates(text: str, s: int, e: int, dated: list[_Dated], durations: _Index) -> list[_Dated]:
    """Dates of clauses like "on Friday, two days after his troops detained the president".

    The tagger reads "two days" as a duration; followed by "after"/"before" and anchored on a
    day-precise date earlier in the same sentence, it dates its own clause (Friday minus two days),
    with the resolution "previous-event".
    """
    out: list[_Dated] = []
    for tx in durations.within(s, e):
        m = _OFFSET.match(tx.value)
        rel = _AFTER_BEFORE.match(text, tx.end)
        unit = m.group(2) if m else ""
        # "in August 2023, two months after …": a month anchor is enough for a month offset
        anchors = [
            d
            for d in dated
            if d.tx.end <= tx.start and (d.precision == "day" or (unit == "M" and d.precision == "month"))
        ]
        if not (rel and anchors):
            continue
        anchor = anchors[-1]
        if _HOURS.match(tx.value):
            same = _offset_timex(text, tx, rel.end(), anchor.first.isoformat(), anchor)
            out.append(_Dated(same, anchor.first, anchor.first, "day"))
            continue
        if not m:
            continue
        sign = -1 if rel.group(1).lower() in {"after", "earlier"} else 1
        if m.group(2) == "M":  # "a month after": only the month is known
            month = anchor.first.year * 12 + anchor.first.month - 1 + sign * int(m.group(1))
            first = date(month // 12, month % 12 + 1, 1)
            last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
            out.append(_Dated(_offset_timex(text, tx, rel.end(), f"{first:%Y-%m}", anchor), first, last, "month"))
            continue
        days = int(m.group(1)) * (7 if m.group(2) == "W" else 1)
        when = anchor.first + timedelta(days=sign * days)
        synthetic = Timex(
            start=tx.start,
            end=rel.end(),
            text=text[tx.start : rel.end()],
            type="DATE",
            value=when.isoformat(),
            rule="duration-offset",
            direction="past" if when <= anchor.first else "future",
            anchor=anchor.tx.text,
        )
        out.append(_Dated(synthetic, when, when, "day"))
    return out


def extract(document: Document, timexes: list[Timex] | None = None) -> list[EventDraft]:
    """Events reported by one article, in text order.

    ``timexes`` index ``document.text``; when None the temporal tagger is run with the publication
    date as the document creation time. Pure: no clock, no database.
    """
    text = document.text
    if timexes is None:
        from tracker import temporal

        timexes = temporal.tag(text, document.published)
    sentences = split_sentences(text)
    lines = [" ".join(text[s:e].split()).lower() for s, e in sentences]
    seen_lines: Counter[str] = Counter(lines)
    chrome = [
        (s, e)
        for (s, e), line in zip(sentences, lines, strict=True)
        if is_chrome(text[s:e], _whole_line(text, s, e)) or (seen_lines[line] > 1 and e - s < 200)
    ]
    chrome_set = set(chrome)
    who = _find_entities(text, [sp for sp in sentences if sp not in chrome_set])
    all_trigs = find_triggers(text)
    dated_all = _reference_days(
        [_Dated(tx, r[0], r[1], r[2]) for tx, r in dating(sorted(timexes, key=lambda t: t.start))], document.published
    )
    durations = _Index(tx for tx in timexes if tx.type == "DURATION")
    trig_index = _Index(all_trigs)
    dated_index = _Index(dated_all, lambda d: (d.tx.start, d.tx.end))

    drafts: list[EventDraft] = []
    anaphoric: set[int] = set()  # ids of drafts whose event noun is definite ("in the attack on 8 January")
    undated_mentions: list[tuple[str, int, int]] = []
    # the last dated past event: news narrates in order. Statements do not move narrative time:
    # after "JNIM claimed the attack on Sunday", an undated "gunmen opened fire" is still Saturday's.
    narrative: EventDraft | None = None
    for s, e in sentences:
        if (s, e) in chrome_set:
            continue
        dated = dated_index.within(s, e)
        trigs = sentence_triggers(text, s, e, trig_index.within(s, e), tuple(d.tx.start for d in dated))
        if not trigs:
            continue
        dated += _offset_dates(text, s, e, dated, durations)
        if dated:
            clauses = split_clauses(text, s, e)
            pairs = _assign(clauses, dated, trigs, text, document.published)
            multi = len(pairs) > 1
            moved = False  # narrative time follows the sentence's first (main-clause) event
            for d, owned, forced in pairs:
                span = _clause_span(clauses, d.tx.start, s, e) if multi else (s, e)
                future = _is_future(d, forced, document.published)
                after_rel = multi and _follows_relative_clause(text, clauses, span)
                for row in _types_for(owned, forced, d, future):
                    draft = _dated_draft(document, d, row, span, (s, e), who, future, after_rel)
                    drafts.append(draft)
                    if any(
                        not t.is_verb and t.row is row and _DEFINITE_BEFORE.search(text, max(0, t.start - 8), t.start)
                        for t in owned
                    ):
                        anaphoric.add(id(draft))
                    if not draft.future and draft.event_type != "statement" and not moved:
                        narrative, moved = draft, True
            continue
        best = min(trigs, key=lambda t: t.rank)
        sentence = text[s:e]
        if (
            best.is_verb
            and best.row.undated
            and reports_past_action(text[best.start : best.end])
            and not _HEDGE.search(sentence)
            and not _EARLIER_REF.search(text, s, best.start)
            and not _PERFECT_BEFORE.search(text, max(s, best.start - 24), best.start)
            and (narrative is None or _PRECISION_ORDER.get(narrative.precision, 9) <= _PRECISION_ORDER["month"])
        ):
            drafts.append(_undated_draft(document, best.row, (s, e), who, narrative))
        else:
            undated_mentions.append((best.row.event_type, s, e))
    drafts = _merge_same_sentence(_merge_same_sentence(drafts), same_sentence=False, anaphoric=anaphoric)
    _enrich(drafts, undated_mentions, who)
    return drafts


# "The departure comes months after the junta revoked …": an undated event placed before the
# narrative, not at it
_EARLIER_REF = re.compile(
    r"\b(?:(?:hours|days|weeks|months|years|decades)\s+after|since|ever\s+since)\b", re.IGNORECASE
)
# "Nigeria has already cut …", "thousands have been killed": a present perfect sums up, it does
# not narrate the paragraph's day
_PERFECT_BEFORE = re.compile(r"\b(?:has|have)\s+(?:\w+ly\s+|already\s+|also\s+|long\s+)?(?:been\s+)?$", re.IGNORECASE)
_DEFINITE_BEFORE = re.compile(r"\b(?:the|this|that)\s+$", re.IGNORECASE)
_DAY_WORD = re.compile(r"\b(?:this|today|tonight|yesterday|tomorrow|\w+day)\b", re.IGNORECASE)
_BARE_TIME_RULES = frozenset({"daypart", "clock-time", "daypart-relative"})


def _reference_days(dated: list[_Dated], published: date) -> list[_Dated]:
    """A time of day without a day ("in the early afternoon", "around 5am") happens on the last
    day the story named, not on the publication day (the tagger anchors it on the publication
    date when no day precedes it in the same sentence)."""
    out: list[_Dated] = []
    last_day: date | None = None
    for d in dated:
        if (
            d.tx.type == "TIME"
            and d.tx.rule in _BARE_TIME_RULES
            and d.first == published
            and last_day is not None
            and not _DAY_WORD.search(d.tx.text)
        ):
            d = _Dated(d.tx, last_day, last_day, "day")
        elif d.precision == "day":
            last_day = d.first
        out.append(d)
    return out


def _whole_line(text: str, s: int, e: int) -> bool:
    """Is ``text[s:e]`` a line of its own (only whitespace around it up to the line breaks)?"""
    before = text.rfind("\n", 0, s) + 1
    after = text.find("\n", e)
    return not text[before:s].strip() and not text[e : after if after != -1 else len(text)].strip()


def _merge_same_sentence(
    drafts: list[EventDraft], same_sentence: bool = True, anaphoric: set[int] | frozenset[int] = frozenset()
) -> list[EventDraft]:
    """One sentence reporting the same event twice (two clauses, two "February"s) reports one
    event — the store would merge them anyway, and it keeps one source per sentence and event.
    Keep the first draft (the finer date wins), with the actors and countries of both.

    With ``same_sentence=False`` the same holds across the article: a story tells its main event
    in the lede and again further down ("Tuesday's attack", "the attackers had been neutralised"),
    and an analyst writes it down once. A date the sentence states beats one it inherits."""
    out: list[EventDraft] = []
    # a twin has the same event type (same_event and _retold both require it): only those are tried
    by_type: dict[str, list[EventDraft]] = {}
    for d in drafts:
        same_type = by_type.setdefault(d.event_type, [])
        twin = next(
            (
                k
                for k in reversed(same_type)
                if (k.start == d.start and same_event(k, d))
                or (not same_sentence and _retold(k, d, id(d) in anaphoric))
            ),
            None,
        )
        if twin is None:
            out.append(d)
            same_type.append(d)
            continue
        if _better_dated(d, twin):
            twin.date, twin.date_end, twin.precision = d.date, d.date_end, d.precision
            twin.timex, twin.date_text, twin.rule, twin.anchor = d.timex, d.date_text, d.rule, d.anchor
            twin.resolution = d.resolution
        twin.actors = _dedupe([*twin.actors, *d.actors])
        twin.countries = _dedupe([*twin.countries, *d.countries])
    return out


def _retold(a: EventDraft, b: EventDraft, definite: bool = False) -> bool:
    """Do two sentences of one article tell the same happening?

    Same type and compatible dates, and: a coup or an election in a shared country (a country
    has one a month at most, whoever each sentence names), or one sentence inheriting its date,
    or the same dates stated twice, with the casts agreeing as :func:`same_event` wants them.
    Two stated dates of different precision ("in June", "on June 30") are usually two steps,
    unless the later sentence refers back with a definite noun ("gunmen attacked the compound
    earlier this month … killed in the attack on 8 January"): then a shared country suffices."""
    if a.event_type != b.event_type or not dates_compatible(a, b):
        return False
    if a.plover and b.plover and a.plover != b.plover:
        return False
    if a.future != b.future and a.event_type not in {"deadline", "threat"}:
        return False
    if (definite or a.event_type in {"coup", "election"}) and set(a.countries) & set(b.countries):
        return True
    if a.date_text is None or b.date_text is None or _span(a) == _span(b):
        return same_event(a, b)
    return False


def _better_dated(d: EventDraft, than: EventDraft) -> bool:
    """Is ``d`` dated better than ``than``: stated rather than inherited, then finer?"""
    inherited_d, inherited_t = d.date_text is None, than.date_text is None
    if inherited_d != inherited_t:
        return inherited_t
    return _PRECISION_ORDER.get(d.precision, 9) < _PRECISION_ORDER.get(than.precision, 9)


def _is_future(d: _Dated, forced: str | None, published: date) -> bool:
    """Does the event lie ahead of the article? The tagger's direction says so for "on Sunday" read
    forward; a deadline or any date after publication points forward too."""
    if d.first > published or (forced == "deadline" and d.last >= published):
        return True
    # "two days later" is future relative to its anchor, not to the article
    from_dct = (d.tx.anchor or "dct").lower() in {"dct", "none", ""}
    return d.tx.direction == "future" and from_dct and d.last >= published


def _clause_span(clauses: list[tuple[int, int]], pos: int, s: int, e: int) -> tuple[int, int]:
    for cs, ce in clauses:
        if cs <= pos < ce:
            return cs, ce
    return s, e


def _dated_draft(
    document: Document,
    d: _Dated,
    row: LexRow,
    span: tuple[int, int],
    sent: tuple[int, int],
    who: _Who,
    future: bool,
    after_relative: bool = False,
) -> EventDraft:
    """An event dated by its governing time expression."""
    text = document.text
    actors, countries, places = _who(who, *span, context=sent)
    title_text = _without_date(text[span[0] : span[1]].strip(), d.tx.text, row.event_type)
    if after_relative:
        subject = _subject_before(text, sent[0], span[0])
        if subject and title_text[:1].islower():
            # "General Tiani, who has led the guard since 2011, declared himself…": the clause
            # after the relative clause has lost its subject; lend it back
            title_text = f"{subject} {title_text}"
            if not actors:
                actors = _who(who, sent[0], sent[0] + len(subject))[0]
    sentence = text[sent[0] : sent[1]]
    return EventDraft(
        title=make_title(title_text, row.event_type, actors, countries),
        event_type=row.event_type,
        plover=row.plover,
        date=d.first,
        date_end=d.last if d.last != d.first else None,
        precision=d.precision,
        resolution=resolution_of(d.tx),
        timex=d.tx.value,
        date_text=d.tx.text,
        rule=d.tx.rule or None,
        anchor=d.tx.anchor or None,
        future=future,
        sentence=sentence,
        start=sent[0],
        end=sent[1],
        actors=actors,
        countries=countries,
        places=places,
    )


# What may stand before a time expression and go with it when it is cut out of a title: the start of
# the clause, or a space (with a comma before it), then prepositions and "the". Matched against the
# text before each occurrence of the expression, so no pattern is compiled per expression (a stream
# of articles has thousands of distinct ones, and compiling one costs more than extracting a page).
_BEFORE_DATE = re.compile(
    r"(?:(^)|(,\s*)?\s)(?:(?:on|in|since|by|at|during|from|of|late|early)\s+)*(?:the\s+)?\Z", re.IGNORECASE
)
_COMMA_AFTER_START = re.compile(r"\s*,?")
_COMMA_AFTER_COMMA = re.compile(r"\s*,(?=\s)")


def _date_in_clause(clause: str, date_text: str) -> tuple[int, int] | None:
    """Span of the first occurrence of ``date_text`` in ``clause`` with its prepositions, and with
    the commas of ", on Sunday," and "On Sunday, ..." that go with it; None if not there."""
    low, needle = clause.lower(), date_text.lower()
    at = low.find(needle)
    while at >= 0:
        end = at + len(needle)
        if not clause.startswith(("'s", "’s"), end):
            m = _BEFORE_DATE.search(clause, 0, at)
            while m is not None:
                if m.group(1) is not None:
                    return m.start(), _COMMA_AFTER_START.match(clause, end).end()  # type: ignore[union-attr]
                if m.group(2) is None:
                    return m.start(), end
                tail = _COMMA_AFTER_COMMA.match(clause, end)
                if tail is not None:
                    return m.start(), tail.end()
                # ", on Sunday" with no comma after: keep the comma, take " on Sunday"
                m = _BEFORE_DATE.search(clause, m.start() + 1, at)
        at = low.find(needle, at + 1)
    return None


def _without_date(clause: str, date_text: str, event_type: str) -> str:
    """The clause without its governing time expression: the date is shown beside the title.

    Kept for deadlines ("by Sunday" is the news) and possessives ("Sunday's coup" needs it).
    """
    if event_type == "deadline" or not date_text or date_text.endswith(("'s", "’s")):
        return clause
    span = _date_in_clause(clause, date_text)
    if span is None:
        return clause
    if span[0] == 0:
        return clause[span[1] :].lstrip()
    return clause[: span[0]] + clause[span[1] :]


def _follows_relative_clause(text: str, clauses: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Is ``span`` the rest of a main clause interrupted by ", who …,"?"""
    idx = clauses.index(span) if span in clauses else -1
    if idx <= 0:
        return False
    prev = clauses[idx - 1]
    return bool(_RELATIVE_START.match(text[prev[0] : prev[1]].lstrip()))


def _subject_before(text: str, sent_start: int, clause_start: int) -> str | None:
    """The words before the first comma of the sentence, when they look like a subject."""
    comma = text.find(",", sent_start, clause_start)
    if comma == -1:
        return None
    head = text[sent_start:comma].strip()
    return head if 0 < len(head) <= 60 and head[:1].isupper() else None


def _undated_draft(
    document: Document, row: LexRow, sent: tuple[int, int], who: _Who, prev: EventDraft | None
) -> EventDraft:
    """An event reported without a date: it inherits the narrative time of its paragraph (the
    last dated event before it) or, failing that, the publication date."""
    text = document.text
    actors, countries, places = _who(who, *sent)
    if prev is not None:
        first, last, precision = prev.date, prev.date_end, prev.precision
        resolution, anchor, timex = "previous-event", prev.date_text, prev.timex
    else:
        first, last, precision = document.published, None, "day"
        resolution, anchor, timex = "publication", "dct", document.published.isoformat()
    return EventDraft(
        title=make_title(text[sent[0] : sent[1]], row.event_type, actors, countries),
        event_type=row.event_type,
        plover=row.plover,
        date=first,
        date_end=last,
        precision=precision,
        resolution=resolution,
        timex=timex,
        date_text=None,
        rule="inherit-narrative" if prev is not None else "inherit-publication",
        anchor=anchor,
        future=False,
        sentence=text[sent[0] : sent[1]],
        start=sent[0],
        end=sent[1],
        actors=actors,
        countries=countries,
        places=places,
    )


_PRECISION_ORDER = {p: i for i, p in enumerate(("day", "week", "month", "quarter", "year", "decade"))}


def _enrich(drafts: list[EventDraft], mentions: list[tuple[str, int, int]], who: _Who) -> None:
    """Undated mentions are not events, but they often name who was involved ("mutineers …
    Mohamed Bazoum") in an event dated elsewhere ("Sunday's coup"). Lend their actors to the most
    precisely dated event of the same type in the article, when the actor belongs to one of that
    event's countries."""
    by_type: dict[str, list[EventDraft]] = {}
    for d in drafts:
        if not d.future:
            by_type.setdefault(d.event_type, []).append(d)
    for event_type, s, e in mentions:
        targets = by_type.get(event_type)
        if not targets:
            continue
        target = min(targets, key=lambda d: (_PRECISION_ORDER.get(d.precision, 9), abs(d.start - s)))
        for m in who.actors.within(s, e):
            if getattr(m, "country", None) in target.countries and m.name not in target.actors:
                target.actors.append(m.name)
