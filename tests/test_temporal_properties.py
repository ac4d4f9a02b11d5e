"""Property tests: the tagger never fails and always returns well-formed, in-bounds output."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.temporal import TIMEX3_VALUE_RE, tag, value_range

DCTS = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))

# Fragments that reach many rules, mixed with arbitrary text, so the search explores real paths.
FRAGMENTS = [
    "on Friday", "Sunday's", "by Sunday", "last week", "next month", "two years ago", "a week later",
    "the third quarter", "Q4 1999", "the 1990s", "the '80s", "20th century", "March 3", "3 March 2001",
    "July 26, 2023", "2021-02-29", "02/30/2020", "fiscal 2024", "nineteen ninety-nine", "the year two thousand",
    "10:35 a.m.", "noon Friday", "midnight", "every Monday", "twice a year", "daily", "the past three years",
    "5 1/2 hours", "a year and a half ago", "2 1/2 years later",
    "a 16-hour", "the fall of", "the spring of 2021", "the second half", "for the first half",
    "the next day", "earlier this month", "late November", "this summer",
    "Easter", "Thanksgiving", "now", "recently", "the future", "year-ago", "a year earlier", "the quarter",
    "week 53", "2020-W53", "the 53rd week", "0000", "9999", "1900", "2100", "Feb. 29", "Dec. 31", "Jan. 1",
    "$1990", "3,000-mile", "6 comments", "We", "may", "March", " ", ".", ",", "\n\n", "'s", "-",
]
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map(" ".join),
)


def _check(text: str, dct: date | None) -> None:
    out = tag(text, dct)
    prev_end = -1
    for t in out:
        assert 0 <= t.start < t.end <= len(text)
        assert t.start >= prev_end, "sorted and non-overlapping"
        prev_end = t.end
        assert text[t.start : t.end] == t.text
        assert t.type in ("DATE", "TIME", "DURATION", "SET")
        assert TIMEX3_VALUE_RE.match(t.value), t.value
        assert t.direction in ("past", "future", "none")
        assert t.rule and t.anchor
        if t.type in ("DATE", "TIME"):
            value_range(t.value)  # never raises


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, dct=DCTS)
def test_tagger_total_and_well_formed(text: str, dct: date | None) -> None:
    _check(text, dct)


@settings(max_examples=200, deadline=None)
@given(dct=DCTS)
def test_every_fragment_with_any_dct(dct: date | None) -> None:
    _check(" then ".join(FRAGMENTS), dct)


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=20))
def test_value_range_total(value: str) -> None:
    r = value_range(value)
    if r is not None:
        first, last, precision = r
        assert first <= last
        assert precision in ("day", "week", "month", "quarter", "year", "decade")
