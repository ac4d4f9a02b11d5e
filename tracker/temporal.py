"""Temporal engine: find TIMEX3 time expressions in English news text and normalise them.

Public API (other stages code against it):

* ``tag(text, dct)`` -> sorted, non-overlapping :class:`~tracker.types.Timex` list.
* ``value_range(value)`` -> ``(first_day, last_day, precision)`` for a DATE/TIME value, else ``None``.
* ``run_batch(stdin, stdout)`` -> the JSONL batch contract of ``shared/eval/README.md``
  (``python -m tracker.temporal`` calls it).

How it works, in two passes over the text:

1. *Finding*: a handful of compiled regular expressions (built from the word tables below) are each
   run once over the text. Every hit becomes a candidate with a parse function; validation that
   depends only on the local context (a modal "may", "Sunday Times", "$1990") rejects candidates here.
   Overlaps are resolved longest-first, so "the past three years" beats "three years".
2. *Resolving*: the kept candidates are resolved in text order. Under-specified expressions get a
   direction from cue words around them in their sentence (tense, "by", "until", "next", a possessive
   "'s"), and narrative-relative ones ("a week later", "the next day", "a year earlier") are anchored on
   the previous resolved expression instead of the publication date (DCT).

All rules are general English rules; nothing is keyed on a particular document.

Conventions (TimeML / TIMEX3):

* Extents: prepositions stay outside ("on Friday" -> "Friday", "since 2020" -> "2020"); articles and
  relative words that are part of the expression stay inside ("the past three years", "the third
  quarter"); articles before an adjectival duration stay outside ("a 16-hour curfew" -> "16-hour");
  approximators "about/around/only/just" stay outside a duration, "nearly/more than/at least/up to"
  stay inside with a ``mod``; a possessive "'s" stays outside ("Sunday's coup" -> "Sunday"); an
  article before a hyphenated modifier of a noun stays outside ("the late-November trip",
  "the 20th-century coups", "an hour-long speech"); the verb "last" stays outside ("expected to
  last three days" -> "three days").
* Values: days ``2023-08-04``, ISO weeks ``2023-W31`` (weekends ``2023-W31-WE``), months, quarters
  ``2023-Q3``, halves ``2023-H1``, seasons ``2023-SU``, years, decades ``199`` (the TimeML
  guidelines' form; ``value_range`` also reads ``199X``), centuries ``19``,
  parts of day ``2023-08-04TMO``, clock times ``2023-08-04T12:00``, durations ``P3Y`` ``PT5H30M``
  (quarters as months: "three quarters" -> ``P9M``; a range "two to three weeks" -> its lower bound
  ``P2W``), sets ``P1D`` ``XXXX-WXX-7``, and ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF`` ("recent
  years", "past years" -> PAST_REF; "coming months" -> FUTURE_REF). Ranges of days and years give
  both ends ("April 24 and 25", "1999-2000"). "The year" alone is the DCT's year unless it is a
  reporting period ("the year ended Sept. 30" -> ``P1Y``), and "the second half of the year" is
  that year's ``H2``. "31 March this year" is one date; a clock time joined to its day by "on" or
  "at" is two expressions whose time holds the day ("at 2:50 p.m. on Monday" -> "2:50 p.m."
  2013-04-15T14:50 and "Monday"), without a preposition one ("10 p.m. Wednesday"); "the December
  quarter" is the quarter ending in December; a 24-hour clock time needs a zone ("21:00 GMT") or a
  preposition ("at 21:00"); "weeklong"/"month-long" are ``P1W``/``P1M``;
  "every few years" is a set ``PXY``; a rate after a money amount ("100 euros a day") is a set, that of
  another quantity ("50,000 barrels a day", "8.5% annually") is left untagged;
  "a week ago Sunday" / "a year ago today" is one day. Movable feasts count from Easter (Palm Sunday,
  Ash Wednesday, Pentecost...; "Holy Week"/"Easter week" is the ISO week after Palm Sunday).
  Without a DCT, what the DCT would have supplied is written as X ("yesterday" -> ``XXXX-XX-XX``,
  "Friday" -> ``XXXX-WXX-5``).
* Not tagged: discourse "Now," / "Currently," opening a sentence, generic "today's youth/world",
  the idioms "at/for the moment" and "the future of X".
* Dateline: a story opening with a dated dateline ("BAMAKO, Aug 5 (Reuters) -") counts its
  "yesterday" and weekdays from that day when it is within a week of the DCT.
* Narrative: a time of day without a day of its own ("around 5am", "in the early afternoon",
  "shortly before midnight", "overnight") is on the last resolved day of the last few expressions
  unless a month, week or season has been named since (a year is background), else the DCT;
  "December of that year" / "May the following year" is one expression in the year of the last
  resolved date. A holiday apposed to an explicit date takes that date ("on 11 April,
  election day"); a bare lower-case "election day" is the US holiday only after a year or a US
  marker ("the 2020 U.S. election day").
* Direction: weekdays default to the past (the most recent one, the DCT itself included); a bare
  month with no cue looks back unless it is at most three months ahead; a month-day without a cue is
  the nearest one, with a slight lean to the past. A cue in the sentence overrides these: tense
  words nearest the expression, "by/until/before", "planned/scheduled for", and an infinitive
  ("planned to leave Nairobi on Thursday", "is to resume trading Tuesday") looks ahead unless a
  plain past verb governs it ("declined to comment Saturday") or a past verb of decision ("agreed to
  resign on Sunday" dates the agreement), and after a verb of planning it reaches its day across a
  longer object ("is expected to hear from the first defence witness on Wednesday"); an -ed word
  after a determiner is an adjective, not a past cue ("have until Sunday to reinstate the elected
  government"); "no later than" and "effective"/"starting" look ahead like "by" ("a labour pact
  effective June 1"), and a bare season under a habitual adverb is any year's ("usually at its worst
  in winter" -> ``XXXX-WI``); "until" after a past verb of a lasting state looks back ("schools
  remained closed until Wednesday"); a possessive day looks back unless a future word precedes it
  ("it would boycott Sunday's election") or it names a scheduled event in a future clause ("will
  watch Thursday's jobs report and Friday's inflation data"), and always looks back before an event
  that has happened ("will speak about Sunday's attack"); a plan reported in the past ("were
  scheduled for December", "was due to") gives no direction. Inside a quotation the quote's own
  tense decides first, then the reporting clause's. A bare weekday naming the DCT's own weekday is
  the DCT even looking ahead (news names the days within a week of the dateline: "scheduled to meet
  on Sunday" in a Sunday paper is that day, "next Sunday" the one a week on); "this Sunday" is
  within six days of the DCT, the one just gone in a past context and the coming one otherwise. A
  present-tense verb of a scheduled event right before the day ("the leaders meet Monday", "talks
  resume on Tuesday", "polls open at 7 a.m. Sunday"), or after the subject when the day opens the
  sentence ("On Friday he travels to Amman"), or after a pronoun or a named subject with its object
  between ("They play Real Madrid on Tuesday", "Host Portugal opens the Cup against Morocco on
  Saturday"), looks ahead; so do "ahead of <event> on Sunday", "could/would <verb>" further back in
  the clause, "planned a <noun>", and a futures month ("Oil for February delivery"). A weekday with
  no cue of its own goes the way of the weekday before it in its sentence ("due to reopen on
  Tuesday, after a public holiday on Monday"). A quarter's results are published after it ends
  ("due to publish fourth-quarter figures" in January is last year's Q4).
* Offsets in hours or minutes ("an hour later") are the duration (``PT1H``), the adverb outside;
  "four hours and 42 minutes" is one duration (``PT4H42M``); "the past hour" is ``PT1H``. "The day
  before" / "the year after (that)" used as an adverb is one unit from the narrative's last date
  ("the night before" its night). A shift in years is written as a year ("seven years earlier" than
  Christmas Eve 1968 is 1961), except from a quarter or half ("the third quarter ... a year earlier"
  is that quarter). "That summer" is the season of the latest year named; "the first half" right
  after a year is that year's half; "every weekend" is ``XXXX-WXX-WE``; "the Easter weekend" is that
  holiday's ISO weekend.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from tracker.types import Timex

TYPE_CHECKING = False  # typing's TextIO is for annotations only: the batch command need not import typing
if TYPE_CHECKING:
    from typing import TextIO

__all__ = ["tag", "value_range", "run_batch", "TIMEX3_VALUE_RE"]

# --------------------------------------------------------------------------------------------
# Word tables
# --------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS: dict[str, int] = {  # ISO weekday numbers
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
    "mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6, "sun": 7,
}
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# First and last month of each season / half (winter runs into the next year).
SEASON_MONTHS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
DAY_PARTS: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "midday": "MI", "mid-day": "MI",
}
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "couple": 2, "a couple of": 2, "couple of": 2, "a dozen": 12,
    "a hundred": 100, "one hundred": 100, "two thousand": 2000,
}
VAGUE_NUMBERS = {"a few", "few", "several", "some", "many", "a number of", "dozens of", "hundreds of",
                 "thousands of", "a couple", "the"}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}
# unit word -> (TIMEX3 duration letter, multiplier, granularity name used for resolution)
UNITS: dict[str, tuple[str, float, str]] = {
    "second": ("S", 1, "second"), "minute": ("M", 1, "minute"), "hour": ("H", 1, "hour"),
    "day": ("D", 1, "day"), "night": ("D", 1, "day"), "week": ("W", 1, "week"),
    "weekend": ("D", 2, "weekend"), "fortnight": ("W", 2, "week"), "month": ("M", 1, "month"),
    "quarter": ("Q", 1, "quarter"), "year": ("Y", 1, "year"), "decade": ("Y", 10, "decade"),
    "century": ("Y", 100, "century"), "centurie": ("Y", 100, "century"), "millennium": ("Y", 1000, "year"),
}
# "the past/recent/coming years" without a count: vague duration letters
VAGUE_UNIT_LETTER: dict[str, str] = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D",
                                     "week": "W", "weekend": "W", "month": "M", "quarter": "Q", "year": "Y",
                                     "decade": "E", "century": "C", "centurie": "C"}
PRESENT_REF_WORDS = ("now", "currently", "current", "presently", "at present", "nowadays",
                     "these days", "the present", "the moment")
PAST_REF_WORDS = ("recently", "recent", "the past", "lately", "more recently",
                  "the old days", "years ago", "some time ago", "a while ago", "several years ago",
                  "not long ago")
FUTURE_REF_WORDS = ("the future", "the near future", "the near term", "the short term",
                    "the long term", "the longer term", "a later date", "as soon as possible",
                    "the coming months", "the coming years", "coming months", "coming years", "soon")
# "soon" is a time (FUTURE_REF) only beside a word that puts it ahead: "may soon seek", "it soon will
# begin", "expects sales to soon grow", "healthy enough soon to"; "as soon as", "soon after" and a
# past narrative ("was soon released") are not.
SOON_BESIDE = frozenset("will 'll shall may might could would to enough".split())
# "one day" between a modal and its verb is "someday" (FUTURE_REF: "Islam will one day be ..."); after a
# subject pronoun ("the hope he one day follows") it is left untagged.
SOMEDAY_BEFORE = frozenset("will would could might may can should shall must 'll".split())
SUBJECT_PRONOUNS = frozenset("he she they we i it you".split())
# Rates. A money amount per unit is a set ("$500 a year", "C$17.9 million annually", as the
# TimeBank annotators tag it); the rate of any other quantity ("50,000 barrels a day", "four flights
# a week", "sales to rise 8.5% annually", "10,000 units annually") is left untagged, as they leave it.
# Frequencies ("twice a week", "three times a year") stay sets, the frequency word inside the extent.
RATE_MONEY_RE = re.compile(
    r"(?:[$#£€¥]|\b(?:US|C|A|HK|NZ)\$)\s?\d[\d.,]*(?:\s*(?:million|billion|trillion|bn|m))?"
    r"(?:\s+(?:and|to|or)\s+(?:[$#£€¥]\s?)?\d[\d.,]*(?:\s*(?:million|billion|trillion))?)?"
    r"(?:\s+(?:of|in)\s+[a-z]+)?\s*$"  # "$85 billion of bonds a month"
    r"|\b(?:dollars|euros|pounds|pence|cents|yen|yuan|rupees|francs|marks|guilders|lire|pesos)\s*$",
    re.IGNORECASE,
)
RATE_ADVERBS = frozenset({"annually", "yearly", "monthly", "weekly", "daily", "hourly"})
_QUANTITY_BEFORE = re.compile(
    r"(?:\d[\d.,]*\s*(?:%|percent|per\s+cent)|\d[\d.,]*(?:\s+(?:million|billion))?\s+[a-z]+|"
    r"\b(?:doubling|tripling|doubled|tripled)\s+(?:its|their|his|her|the)?\s*[a-z]+)\s*$"
)


def _after_quantity(text: str, pos: int) -> bool:
    """True when a rate adverb follows a non-money quantity ("8.5% annually", "10,000 units annually")."""
    left = text[max(0, pos - 40) : pos]
    return bool(_QUANTITY_BEFORE.search(left)) and not RATE_MONEY_RE.search(
        re.sub(r"\s+[a-z]+\s*$", "", left))


# set adverbs -> value
SET_WORDS: dict[str, str] = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
                             "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y",
                             "hourly": "PT1H", "semiannually": "P6M", "biannually": "P6M"}
# Holidays with a fixed (month, day); movable ones are computed.
FIXED_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
    "valentine's day": (2, 14), "independence day": (7, 4), "bastille day": (7, 14),
    "boxing day": (12, 26), "may day": (5, 1), "armistice day": (11, 11),
    "veterans day": (11, 11), "veterans' day": (11, 11), "new year": (1, 1),
    "st. patrick's day": (3, 17), "st patrick's day": (3, 17), "saint patrick's day": (3, 17),
    "fourth of july": (7, 4), "remembrance day": (11, 11), "canada day": (7, 1), "australia day": (1, 26),
}
# US holidays on the n-th weekday of a month: name -> (month, ISO weekday, n; -1 = last)
NTH_WEEKDAY_HOLIDAYS: dict[str, tuple[int, int, int]] = {
    "labor day": (9, 1, 1), "memorial day": (5, 1, -1), "thanksgiving": (11, 4, 4), "thanksgiving day": (11, 4, 4),
    "mother's day": (5, 7, 2), "father's day": (6, 7, 3), "presidents' day": (2, 1, 3), "presidents day": (2, 1, 3),
    "martin luther king day": (1, 1, 3), "martin luther king jr. day": (1, 1, 3), "columbus day": (10, 1, 2),
}
# Days counted from Easter Sunday; "Holy Week" (and "Easter week", as news uses it) is given by its
# Monday, the day after Palm Sunday, and written as that ISO week.
EASTER_OFFSETS: dict[str, int] = {
    "easter": 0, "easter sunday": 0, "easter monday": 1, "good friday": -2, "palm sunday": -7,
    "ash wednesday": -46, "maundy thursday": -3, "holy thursday": -3, "holy saturday": -1,
    "pentecost": 49, "pentecost sunday": 49, "whit sunday": 49, "whit monday": 50, "ascension day": 39,
    "holy week": -6, "easter week": -6,
}
WEEK_HOLIDAYS = frozenset({"holy week", "easter week"})
MOVABLE_HOLIDAYS = ("easter", "easter sunday", "good friday", "easter monday", "thanksgiving", "black friday",
                    "cyber monday",
                    "thanksgiving day", "election day", "memorial day")

# Cue words that decide the direction of an under-specified expression in its sentence.
FUTURE_CUES = frozenset("""will 'll shall wo won't going plans planning scheduled expected expect expects
due intends intend aims hopes would next upcoming coming deadline ultimatum until till tomorrow ahead
await awaits awaiting forthcoming slated could plan""".split())
PAST_AUX = frozenset("was were had did been ago last earlier yesterday".split())
PAST_VERBS = frozenset("""said told met took made gave came went saw led won lost began fell rose
hit held left sent brought fought fled struck ran knew thought became found broke spoke wrote
stood sought shot caught chose drew drove flew froze grew hung hid kept laid meant paid quit
rang sang sank sat slept slid sold spent split spread stole stuck swore swept swung threw tore
understood woke wore bought built dealt felt got heard lent taught shook withdrew upheld overtook
undertook ate drank forgot swam rode sold""".split())
NOT_PAST_ED = frozenset("""need needed red bed shed bred fed wed hundred united based armed
related concerned interested supposed proposed scheduled expected planned intended prepared
detailed advanced limited speed indeed seed feed weed steed creed deed""".split())
# words that cannot follow an infinitive "to" (so "to the market" is not "to <verb>")
NOT_VERBS = frozenset("""the a an his her their its this that these those my our your be date
last next early late about around mid on at in by for from with of until since before after during
than per""".split())
# verbs of planning: "planned to leave on Thursday" is ahead even though "planned" is past
PLAN_VERBS = frozenset("""plan plans planned planning schedule scheduled expect expects expected intend
intends intended aim aims aimed hope hopes hoped want wants wanted agree agrees agreed decide decides
decided vow vows vowed promise promises promised threaten threatens threatened prepare prepares prepared
pledge pledges pledged set due ready going is are am was were be""".split())
# past-tense verbs of decision or commitment: an adjunct after "agreed to resign" usually dates the
# decision being reported, not the act ("agreed to resign on Sunday" in a Monday paper)
DECIDED_VERBS = frozenset("agreed decided voted vowed promised pledged offered consented".split())
_SCHEDULED = frozenset("planned scheduled set slated due expected penciled pencilled earmarked targeted".split())
# present-tense verbs of scheduled events: "the two leaders meet Monday", "talks resume on Tuesday"
# name a day ahead (a plain present verb is not a tense cue otherwise)
SCHEDULE_PRESENT = frozenset("""meet meets begin begins starts resume resumes reopen reopens convene
convenes reconvene reconvenes arrive arrives depart departs expire expires testify testifies opens closes
ends concludes continues travels heads flies visits returns hosts open close play plays face faces
compete competes kicks return steps retires""".split())
# before "open"/"close" these make them adjectives ("remained open Sunday")
_ADJ_BEFORE = frozenset("remain remains remained stay stays stayed was were is are be been being kept keep".split())
# events that are scheduled, so a day's possessive before them may look ahead in a future clause
# ("will watch Friday's jobs report"), unlike "Sunday's attack"
SCHEDULED_NOUNS = frozenset("""election elections vote referendum poll polls summit meeting meetings talks match game
final semifinal race deadline hearing debate launch report data release figures auction ceremony inauguration
funeral session sitting announcement opening kickoff conference rally visit""".split())
# events that have happened once named: a day's possessive before them looks back whatever the tense
PAST_EVENT_NOUNS = frozenset("""attack attacks bombing bombings killing killings shooting shootings crash blast
explosion explosions earthquake quake coup assassination massacre ambush raid raids clashes murder death deaths
arrest shelling airstrike airstrikes kidnapping abduction""".split())
# words before a plural noun or an infinitive, never before a subject's verb
_NOT_SUBJECT = frozenset("to will would did does do and or of in on at for with by from tax".split())
# adverbs that may stand between such a verb and its day ("meet separately Monday")
_VERB_ADVERBS = frozenset("again separately jointly together here there formally officially on at".split())
# words before a verb: "to last three days", "could last weeks" (the verb "last", not the adjective)
_MODAL_BEFORE_VERB = frozenset("to will would could may might should can must not 'll cannot".split())
# past verbs of a lasting state: "until" after them ends that state in the past ("schools remained
# closed until Wednesday"), where "until" otherwise looks ahead ("postponed until Tuesday")
LASTED_VERBS = frozenset("remained stayed lasted continued waited persisted lingered".split())
# words after which "over" before a duration means "more than" ("for over three years"); elsewhere it
# is the preposition ("pay the money over nine years")
_OVER_AS_MORE_THAN = frozenset("""for in of after within than just well to by from last lasts lasting lasted take
takes took taking spent spend be been is was are were""".split())
# verbs that move a date: "to" after them names the new, later date
DELAY_VERBS = frozenset("""delayed postponed pushed moved deferred rescheduled extended brought""".split())
# words before a noun: an -ed word right after one is an adjective, not a past verb ("the elected
# government", "an armed group")
DETERMINERS = frozenset("the a an its their his her our your my this that these those".split())
# cue words that are also nouns: a cue only before "to" ("plans to", not "vacation plans")
NOUN_CUES = frozenset("plans plan hopes aims".split())
NAMED_DAY_PREFIX = frozenset("bloody black super cyber ash palm holy maundy blue good".split())
NEWSPAPER_NOUNS = frozenset("""times telegraph mirror express post herald tribune observer independent
mail sport star night morning people journal edition magazine review standard world sun""".split())
YEAR_FOLLOW_OK = frozenset("""was is has as this its plus versus does says shows""".split())
MODS: dict[str, str] = {
    "about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX",
    "some": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "fewer than": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN",
    "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
    "at most": "EQUAL_OR_LESS", "just over": "MORE_THAN", "just under": "LESS_THAN",
    "well over": "MORE_THAN", "barely": "LESS_THAN", "only": "", "just": "", "a full": "",
    "early": "START", "late": "END", "mid": "MID", "the end of": "END", "the beginning of": "START",
    "the start of": "START", "the middle of": "MID", "the first half of": "START",
    "earlier": "START", "later": "END", "the early": "START", "the late": "END", "the mid": "MID",
}

# A TIMEX3 value as this module writes it (the property tests check every value against it).
TIMEX3_VALUE_RE = re.compile(
    r"^(?:PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|P(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|Q|E|C)(?:\d+M)?"
    r"|PT(?:\d+(?:\.\d+)?|X)(?:H|M|S)(?:\d+(?:\.\d+)?(?:M|S))?"
    r"|P\d+(?:\.\d+)?DT\d+H"
    r"|(?:\d{4}|XXXX)(?:-(?:\d{2}|XX)(?:-(?:\d{2}|XX))?|-W(?:\d{2}|XX)(?:-(?:[1-7]|WE))?"
    r"|-Q[1-4X]|-H[12]|-(?:SP|SU|FA|WI))?(?:T(?:\d{2}:\d{2}|MO|AF|EV|NI|MI))?"
    r"|XXXX-WXX-[1-7](?:T(?:MO|AF|EV|NI))?"
    r"|\d{3}X?|\d{2})$"
)

# --------------------------------------------------------------------------------------------
# Regex building blocks
# --------------------------------------------------------------------------------------------


def _cap_alt(words: list[str]) -> str:
    """A case-sensitive alternation accepting Capitalised and UPPER forms of each word."""
    forms: list[str] = []
    for w in sorted(set(words), key=len, reverse=True):
        forms.append(re.escape(w[0].upper() + w[1:]))
        forms.append(re.escape(w.upper()))
    return "(?-i:" + "|".join(forms) + ")"


_MONTH_FULL = [w for w in MONTHS if len(w) > 4 or w in ("may", "june", "july")]
_MONTH_ABBR = [w for w in MONTHS if w not in _MONTH_FULL]
MONTH_RE = (
    r"(?:" + _cap_alt(_MONTH_FULL) + r"|" + _cap_alt(_MONTH_ABBR) + r"\.?)(?![A-Za-z])"
)
WEEKDAY_WORD_RE = _cap_alt([w for w in WEEKDAYS if len(w) > 5])
WEEKDAY_FULL_RE = WEEKDAY_WORD_RE + r"(?![A-Za-z])"
WEEKDAY_ANY_RE = (
    r"(?:" + _cap_alt([w for w in WEEKDAYS if len(w) > 5]) + r"|"
    + _cap_alt([w for w in WEEKDAYS if len(w) <= 5]) + r"\.)(?![A-Za-z])"
)
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUM_RE = (
    r"(?:(?<![\d,.$£€])\d+(?:\.\d+)?(?:(?:\s+|-)1/2|\s+and\s+a\s+half)?(?![\d,]\d)"
    rf"|(?:{_TENS})(?:[\s-](?:{_ONES})\b)?|(?:{_TEENS}|{_ONES})(?:\s+and\s+a\s+half)?"
    r"|a\s+couple\s+of|couple\s+of|a\s+few|a\s+dozen|dozens\s+of|a\s+hundred|one\s+hundred"
    r"|hundreds\s+of|thousands\s+of|two\s+thousand|a\s+number\s+of|several|few|many|some"
    r"|half\s+an?|an?)"
)
UNIT_RE = (
    r"(?:second|minute|hour|day|night|week(?:end)?|fortnight|month|quarter|year|decade"
    r"|century|centurie|millennium)"
)
UNIT_MID = (  # words allowed between a count and its unit
    r"(?:(?:more|additional|full|straight|consecutive|trading|business|working|calendar|long"
    r"|successive|further|extra|short|whole|entire)\s+)?"
)
SPELLED_YEAR_RE = (
    rf"(?:(?:nineteen|eighteen|twenty)[\s-](?:(?:{_TENS})(?:[\s-](?:{_ONES}))?|{_TEENS}"
    rf"|oh[\s-](?:{_ONES})|hundred)|two\s+thousand(?:\s+(?:and\s+)?(?:{_TEENS}|{_ONES}))?)"
)
YEAR_RE = (  # "1999-2000" gives its first year here (the second is the year-range rule's)
    r"(?:(?<![\d$£€.,:/])(?<!\d-)(?:1[0-9]|20)\d\d(?![\d%]|,\d|\.\d"
    r"|-(?:(?!(?:1[0-9]|20)?\d\d(?![\d-]))\d|year|month|day|week)))"
)
ANY_YEAR_RE = rf"(?:{YEAR_RE}|{SPELLED_YEAR_RE})"
APPROX_RE = (
    r"(?:about|around|roughly|approximately|nearly|almost|less\s+than|fewer\s+than|more\s+than"
    r"|over|at\s+least|up\s+to|no\s+more\s+than|at\s+most|just\s+over|just\s+under|well\s+over"
    r"|barely|only|just|a\s+full|under)"
)
ORD_RE = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last)"

_FLAGS = re.IGNORECASE
# A prefix for patterns whose matches begin with a word or a number: it lets the regex engine skip the
# positions inside words cheaply instead of trying every optional leading group there (about half
# of the scanning time of the tagger).
WORD_START = r"(?<![A-Za-z])(?=[A-Za-z\d])"

# --------------------------------------------------------------------------------------------
# Value helpers
# --------------------------------------------------------------------------------------------


def _fmt_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def monthrange(y: int, m: int) -> tuple[int, int]:
    """(weekday of the 1st, Monday=0; days in the month), as calendar.monthrange, without importing
    calendar (and its locale machinery) at start-up."""
    if m == 12:
        days = 31
    else:
        days = (date(y, m + 1, 1) - date(y, m, 1)).days
    return date(y, m, 1).weekday(), days


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _clamp_day(y: int, m: int, d: int) -> date | None:
    if not (1 <= m <= 12) or y < 1 or y > 9999:
        return None
    d = min(d, monthrange(y, m)[1])
    return date(y, m, d) if d >= 1 else None


def _safe_shift(d: date, days: int) -> date | None:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return None


def _quarter(m: int) -> int:
    return (m - 1) // 3 + 1


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month = (h + ll - 7 * m + 114) // 31
    day = (h + ll - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _nth_weekday(year: int, month: int, iso_wd: int, n: int) -> date:
    """n-th (1-based; -1 = last) ISO weekday of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(iso_wd - first.isoweekday()) % 7 + 7 * (n - 1))
    last = date(year, month, monthrange(year, month)[1])
    return last - timedelta(days=(last.isoweekday() - iso_wd) % 7)


def _holiday(name: str, year: int) -> date | None:
    name = name.lower().replace("’", "'")
    if name in NTH_WEEKDAY_HOLIDAYS:
        m, wd, n = NTH_WEEKDAY_HOLIDAYS[name]
        return _nth_weekday(year, m, wd, n)
    if name in FIXED_HOLIDAYS:
        m, d = FIXED_HOLIDAYS[name]
        return date(year, m, d)
    if name in EASTER_OFFSETS:
        return _easter(year) + timedelta(days=EASTER_OFFSETS[name])
    if name == "election day":  # US: the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 1, 1) + timedelta(days=1)
    if name in ("black friday", "cyber monday"):  # the Friday / Monday after US Thanksgiving
        return _nth_weekday(year, 11, 4, 4) + timedelta(days=1 if name == "black friday" else 4)
    return None


def _unit_value(base: date, n: int, gran: str) -> str | None:
    """The value of the ``gran`` unit ``n`` units away from the one holding ``base``."""
    try:
        if gran == "day":
            return (base + timedelta(days=n)).isoformat()
        if gran == "week":
            return _fmt_week(base + timedelta(weeks=n))
        if gran == "weekend":
            return _fmt_week(base + timedelta(weeks=n)) + "-WE"
        if gran == "month":
            y, m = _add_months(base.year, base.month, n)
            return f"{y:04d}-{m:02d}"
        if gran == "quarter":
            q = base.year * 4 + _quarter(base.month) - 1 + n
            return f"{q // 4:04d}-Q{q % 4 + 1}"
        if gran == "half":
            h = base.year * 2 + (base.month - 1) // 6 + n
            return f"{h // 2:04d}-H{h % 2 + 1}"
        if gran == "year":
            return f"{base.year + n:04d}"
        if gran == "decade":
            return f"{base.year // 10 + n:03d}"
        if gran == "century":
            return f"{base.year // 100 + n:02d}"
    except (OverflowError, ValueError):
        return None
    return None


def _shift_value(value: str, n: int, unit: str) -> str | None:
    """Shift a DATE value by ``n`` units, keeping the value's own granularity when it is finer
    than a year ("2023-Q3" minus one year is "2022-Q3")."""
    rng = value_range(value)
    if rng is None:
        return None
    first, _, prec = rng
    if unit == "year":
        m = re.match(r"^(\d{4})(.*)$", value)
        if m and prec in ("month", "quarter", "year") and "W" not in m.group(2):
            return f"{int(m.group(1)) + n:04d}{m.group(2)}"
        if prec == "day":
            d = _clamp_day(first.year + n, first.month, first.day)
            return d.isoformat() if d else None
        return _unit_value(first, n, "year")
    if unit == "month" and prec in ("day", "month"):
        y, m = _add_months(first.year, first.month, n)
        if prec == "month":
            return f"{y:04d}-{m:02d}"
        d = _clamp_day(y, m, first.day)
        return d.isoformat() if d else None
    if unit == "quarter" and prec == "quarter":
        return _unit_value(first, n, "quarter")
    if unit in ("day", "week") and prec == "day":
        d = _safe_shift(first, n * (7 if unit == "week" else 1))
        return d.isoformat() if d else None
    return _unit_value(first, n, unit)


def _num_value(s: str) -> float | None:
    """A count from words or digits; None for vague counts ("several")."""
    s = " ".join(s.lower().replace("-", " ").split())
    if s in VAGUE_NUMBERS:
        return None
    half = 0.0
    for suffix in (" and a half", " 1/2"):
        if s.endswith(suffix):
            s, half = s[: -len(suffix)], 0.5
    if s.startswith("half a"):
        return 0.5
    try:
        return float(s) + half
    except ValueError:
        pass
    if s in NUMBER_WORDS:
        return NUMBER_WORDS[s] + half
    parts = s.split()
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]] + half
    return None


def _fmt_num(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}"


def _duration_value(n: float | None, unit_word: str) -> str:
    unit_word = unit_word.lower().rstrip("s") if unit_word.lower() != "centuries" else "century"
    if unit_word.endswith("ie"):
        unit_word = "century"
    letter, mult, _ = UNITS.get(unit_word, ("D", 1, "day"))
    if n is None:
        v = VAGUE_UNIT_LETTER.get(unit_word, letter)
        v = "M" if v == "Q" else v
        return ("PTX" if unit_word in ("hour", "minute", "second") else "PX") + v
    total = n * mult
    if letter == "Y" and total != int(total):  # 2 1/2 years -> P2Y6M, half a year -> P6M
        months = int(round((total - int(total)) * 12))
        return f"P{int(total)}Y{months}M" if int(total) else f"P{months}M"
    if unit_word == "day" and total == 0.5:  # half a day
        return "PT12H"
    if letter == "Q":  # TimeML writes quarters as months
        return f"P{_fmt_num(total * 3)}M"
    if unit_word in ("hour", "minute", "second"):
        if total != int(total):  # 5 1/2 hours -> PT5H30M
            whole = int(total)
            sub = {"H": ("M", 60), "M": ("S", 60)}.get(letter)
            if sub:  # (half an hour -> PT30M)
                rest = f"{int(round((total - whole) * sub[1]))}{sub[0]}"
                return f"PT{whole}{letter}{rest}" if whole else f"PT{rest}"
        return f"PT{_fmt_num(total)}{letter}"
    return f"P{_fmt_num(total)}{letter}"


def _spelled_year(s: str) -> int | None:
    words = re.split(r"[\s-]+", s.lower())
    words = [w for w in words if w not in ("and", "the", "year")]
    if len(words) >= 2 and words[0] == "two" and words[1] == "thousand":
        rest = words[2:]
        n = sum(NUMBER_WORDS.get(w, 0) for w in rest)
        return 2000 + n
    if not words or words[0] not in ("nineteen", "eighteen", "twenty"):
        return None
    cent = NUMBER_WORDS[words[0]] * 100
    rest = words[1:]
    if rest == ["hundred"]:
        return cent
    if rest and rest[0] == "oh":
        rest = rest[1:]
    n = 0
    for w in rest:
        if w not in NUMBER_WORDS:
            return None
        n += NUMBER_WORDS[w]
    return cent + n if n < 100 else None


def _year_of(s: str) -> int | None:
    s = s.strip()
    if s.isdigit():
        return int(s)
    return _spelled_year(s)


def _month_of(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


# --------------------------------------------------------------------------------------------
# value_range
# --------------------------------------------------------------------------------------------

_VR_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_VR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_VR_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-(WE|[1-7]))?$")
_VR_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)$")
_VR_YEAR = re.compile(r"^(\d{4})$")
_VR_DECADE = re.compile(r"^(\d{3})X?$")
_VR_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")


def value_range(value: str) -> tuple[date, date, str] | None:
    """First day, last day and precision of a TIMEX3 DATE/TIME value, or None.

    Precision is one of day|week|month|quarter|year|decade (seasons and halves give "quarter"
    with their real months; times give "day"; a century gives its 100 years as "decade").
    REF values, durations, sets and unparseable values give None.
    """
    if not isinstance(value, str):
        return None
    v = value.strip()
    try:
        m = _VR_DAY.match(v)
        if m:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d, "day"
        m = _VR_WEEK.match(v)
        if m:
            y, w = int(m.group(1)), int(m.group(2))
            monday = date.fromisocalendar(y, w, 1)
            tail = m.group(3)
            if tail == "WE":
                return monday + timedelta(days=5), monday + timedelta(days=6), "week"
            if tail:
                d = monday + timedelta(days=int(tail) - 1)
                return d, d, "day"
            return monday, monday + timedelta(days=6), "week"
        m = _VR_MONTH.match(v)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return date(y, mo, 1), date(y, mo, monthrange(y, mo)[1]), "month"
        m = _VR_QUARTER.match(v)
        if m:
            y, part = int(m.group(1)), m.group(2)
            if part[0] == "Q":
                q = int(part[1])
                a, b = 3 * q - 2, 3 * q
            elif part[0] == "H":
                h = int(part[1])
                a, b = 6 * h - 5, 6 * h
            else:
                a, b = SEASON_MONTHS[part]
            ya, ma = _add_months(y, a, 0)
            yb, mb = _add_months(y, b, 0) if b <= 12 else _add_months(y, b - 12, 12)
            return date(ya, ma, 1), date(yb, mb, monthrange(yb, mb)[1]), "quarter"
        m = _VR_YEAR.match(v)
        if m:
            y = int(m.group(1))
            return date(y, 1, 1), date(y, 12, 31), "year"
        m = _VR_DECADE.match(v)
        if m and len(v) in (3, 4):
            y = int(m.group(1)) * 10
            return date(max(y, 1), 1, 1), date(y + 9, 12, 31), "decade"
        m = _VR_CENTURY.match(v)
        if m:
            y = int(m.group(1)) * 100
            return date(max(y, 1), 1, 1), date(y + 99, 12, 31), "decade"
    except (ValueError, OverflowError):
        return None
    return None


# --------------------------------------------------------------------------------------------
# Resolution context
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_HAS_YEAR = re.compile(r"\d{4}|['’]\d\d\b")
_SENT_END = re.compile(r"[.!?]['\"”’)]*\s+(?=[A-Z\"'“‘(`])|\n\s*\n")


# the commas of "Bangalore, India," (a place and its country), which do not end a clause
_PLACE_PAIR_AFTER = re.compile(r",\s+[A-Z][a-z]+\.?,")
_PLACE_PAIR_BEFORE = re.compile(r",\s+[A-Z][a-z]+\.?,$")

# a clock time and "on" right before a day: "at 2:50 p.m. on Monday", "midnight on 28 March"
_CLOCK_ON_BEFORE = re.compile(
    r"(?:\b\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?|o['’]clock)?(?:\s+(?:[A-Z]{2,4}|local\s+time"
    r"|(?:Pacific|Eastern|Central|Mountain|Atlantic)\s+time))?|\bmidnight|\bnoon|\bmidday)\s*,?\s+(?-i:on)\s+$",
    re.I,
)
# words that open a new clause: a tense after them is not the expression's
_CLAUSE_OPENERS = frozenset("unless if when because while although though whereas and but".split())
# words of the future that reach their expression from anywhere in its clause (see _far_will)
_FAR_FUTURE = frozenset("will shall would expects intends aims plans".split())

# an event ahead of which something happens is still to come, however long its name
_AHEAD_OF = re.compile(r"\b(?:ahead\s+of|(?:run|lead)-up\s+to|in\s+preparation\s+for)\b([^,;:.!?()\"“”]*)$", re.I)


def _lower_words(text: str) -> list[str]:
    """The words of ``text`` in lower case, for the tense scan; a capitalised word ending in "-ed"
    is a name ("President Mohamed Bazoum", "Ahmed"), not a past verb, and so is the second half of a
    hyphenated adjective ("cloud-managed", "state-owned"): both become "_"."""
    if "-" not in text:  # the common case, at C speed
        return ["_" if w[0].isupper() and w.endswith("ed") and len(w) > 2 else w.lower() for w in _WORD.findall(text)]
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        if w.endswith("ed") and len(w) > 2 and (w[0].isupper() or text[m.start() - 1 : m.start()] == "-"):
            out.append("_")
        else:
            out.append(w.lower())
    return out


@dataclass
class _Res:
    type: str
    value: str
    rule: str
    direction: str = "none"
    anchor: str = "dct"
    mod: str | None = None
    uses_dct: bool = False
    derived: bool = False  # shifted from an earlier expression: never an anchor itself


@dataclass
class _Ctx:
    text: str
    dct: date | None
    # resolved expressions so far: (value, text, precision); derived ones (shifted from another
    # expression, like "a year earlier") are kept apart so they never anchor a later one
    history: list[tuple[str, str, str]] = field(default_factory=list)
    # the latest resolved date of all, derived or not: what a demonstrative points back to ("the spill
    # two years ago closed the fishing grounds for much of that summer")
    latest: tuple[str, str, str] | None = None
    # (end, direction) of the last weekday resolved: a weekday with no cue of its own in the same
    # sentence goes the same way ("due to reopen on Tuesday, after a public holiday on Monday")
    last_weekday: tuple[int, str] | None = None
    _bounds: list[tuple[int, int]] | None = None

    @property
    def base(self) -> date:
        return self.dct or date(2000, 1, 1)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence around [start, end) (at most 400 characters either side)."""
        if self._bounds is None:  # sentence breaks, found once per document
            self._bounds = [(m.start(), m.end()) for m in _SENT_END.finditer(self.text)]
        bounds = self._bounds
        i = bisect.bisect_left(bounds, (start,)) - 1
        s = bounds[i][1] if i >= 0 and bounds[i][1] <= start else max(0, start - 400)
        s = max(s, start - 400)
        # an expression may end with the sentence's own full stop ("at 10 a.m. She will ...")
        j = bisect.bisect_left(bounds, (end - 1 if self.text[end - 1 : end] == "." else end,))
        e = bounds[j][0] + 1 if j < len(bounds) else len(self.text)
        return s, min(e, end + 400, len(self.text))

    def last(self, precisions: tuple[str, ...] | None = None, window: int = 0) -> tuple[str, str, str] | None:
        """The most recent resolved DATE of one of ``precisions`` (any when None)."""
        hist = self.history[-window:] if window else self.history
        for item in reversed(hist):
            if precisions is None or item[2] in precisions:
                return item
        return None

    def narrative_day(self, default: date, direction: str = "none") -> tuple[date, str]:
        """(day, anchor) for a time of day with no day of its own: the day the narrative is on,
        else ``default`` anchored on the DCT.

        The day is the most recent one among the last six expressions, skipping days after the DCT
        when the sentence is in the past ("called an election for July 4. He made the announcement
        at 5:15 p.m." is the day of the call, not of the election). It is dropped when the narrative
        has since moved to a coarser time of its own ("begins in April or May"); a month or season
        with its year written out ("an election set for February 2024") is background, as a year is.
        """
        dct = self.dct
        for back, item in enumerate(reversed(self.history)):
            if item[2] in ("week", "month", "quarter", "season") and not _HAS_YEAR.search(item[1]):
                return default, "dct"
            if item[2] != "day":
                continue
            rng = value_range(item[0])
            if rng is None:
                continue
            if dct is not None and direction == "past" and rng[0] > dct:
                continue
            if back < 6:
                return rng[0], item[1]
            break
        return default, "dct"

    def narrative_direction(self, start: int, end: int) -> str:
        """Direction for a time of day placed on the narrative's day: the near cues first, then the
        first tense cue anywhere before it in its sentence ("May, who took office in July 2016, made
        the announcement in a statement outside Downing Street at 10 a.m." is past, so its day is not
        the future June 7 named before). Only used to skip future days, so a far cue is safe here."""
        d = self.direction(start, end, default="none")
        if d != "none":
            return d
        s, _e = self.sentence(start, end)
        words = list(reversed(_lower_words(self.text[max(s, start - 160) : start])[-24:]))
        if "to" in words:  # "agreed to run minimum services ... between 6 am and 9 am": the plan's day
            words = words[: words.index("to")]
        return self._scan(words, leftwards=True) or "none"

    def day_direction(self, start: int, end: int) -> str:
        """Direction of a weekday or weekend: its own cues, else the way the weekday before it in the
        same sentence went ("due to reopen on Tuesday, after a public holiday on Monday"), else back."""
        d = self.direction(start, end, default="none")
        if d != "none":
            return d
        prev = self.last_weekday
        return prev[1] if prev is not None and prev[0] >= self.sentence(start, end)[0] else "past"

    def direction(self, start: int, end: int, default: str = "past") -> str:
        """Direction of an under-specified expression from cue words in its sentence.

        A day right after a clock time ("polls open at 7 a.m. on Sunday") reads its cues from where
        the time starts, so the two agree.

        In order: a possessive ("Sunday's coup") looks back; "since"/"ago" look back; "as soon as",
        "by", "until", "before", "a deadline of" look forward unless the clause is in the past
        tense; "to <verb>" just before looks forward; otherwise the nearest tense cue to the left
        (the verb governing an adjunct usually precedes it: "said Friday"), then to the right up to
        a comma ("on Friday warned"), decides; with no cue, ``default``.
        """
        if self.text[max(0, start - 4) : start].rstrip().endswith("on"):  # (a cheap test first)
            clock = _CLOCK_ON_BEFORE.search(self.text, max(0, start - 48), start)
            if clock is not None:
                start = clock.start()
        s, e = self.sentence(start, end)
        q = self._quote(s, start, end, e)
        if q is not None:  # reported speech: the quote's own tense first, then the reporting clause's
            inner = self._direction(start, end, "", q[0], q[1])
            if inner:
                return inner
        return self._direction(start, end, default, s, e)

    def _quote(self, s: int, start: int, end: int, e: int) -> tuple[int, int] | None:
        """Bounds of the quotation holding [start, end) inside the sentence [s, e), if any."""
        left = self.text[s:start]
        if '"' in left or "“" in left or "``" in left:
            o = max(left.rfind("“"), left.rfind("``"))
            c = max(left.rfind("”"), left.rfind("''"))
            if o > c:
                qs = s + o + (2 if left.startswith("``", o) else 1)
            elif left.count('"') % 2 == 1:
                qs = s + left.rfind('"') + 1
            else:
                return None
            right = self.text[end:e]
            ends = [i for i in (right.find('"'), right.find("”"), right.find("''")) if i >= 0]
            return qs, end + (min(ends) if ends else len(right))
        return None

    def _direction(self, start: int, end: int, default: str, s: int, e: int) -> str:
        text = self.text
        after = text[end : min(e, end + 60)]
        if after.startswith(("'s", "’s")):
            head = _lower_words(after[2:40])[:3]
            if any(w in PAST_EVENT_NOUNS for w in head):
                return "past"  # "will speak about Sunday's attack": the attack has happened
            left = _lower_words(text[max(s, start - 50) : start])
            if any(w in ("ahead", "upcoming", "until", "next") for w in left[-3:]) or any(
                w in ("will", "would", "shall") for w in left[-5:]
            ):
                return "future"  # "next Sunday's vote", "it would boycott Sunday's election"
            near = list(reversed(_lower_words(text[max(s, start - 100) : start])[-10:]))
            if any(w in SCHEDULED_NOUNS for w in head) and (
                self._far_will(s, start) or self._scan(near, 8, leftwards=True) == "future"
            ):
                return "future"  # "Investors will watch Thursday's jobs report and Friday's inflation data"
            return "past"
        lw10 = _lower_words(text[max(s, start - 100) : start])[-10:]
        lw = lw10[-8:]
        if len(lw) >= 3 and re.match(r"\s*,(?!\s+(?:was|were|had|will|would)\b)", after):
            # an attribution after a comma ("..., an official said") governs nothing here, unlike the
            # verb closing an apposition ("The previous general strike, on March 29, was marked by")
            after = ""
        rw = _lower_words(after)[:6]
        if rw[:1] and rw[0] in ("delivery", "futures", "contract", "contracts", "expiry"):
            return "future"  # "Oil for February delivery": a futures month is still to come
        prep = lw[-1] if lw else ""
        if prep in ("since", "ago"):
            return "past"
        if prep in ("effective", "starting") and not any(w in ("had", "was", "were") for w in lw[-4:]):
            return "future"  # "a new labor pact effective June 1", "scrap the armistice, effective Monday"
        if prep == "to" and lw[-2:-1] and lw[-2] in DELAY_VERBS:
            return "future"  # "has been delayed to Oct. 31", "postponed to Sunday"
        tail5 = " ".join(lw[-5:])
        if "as soon as" in tail5 or "as early as" in tail5:
            return "future"
        through_day = prep == "through" and text[start:end].lower() in WEEKDAYS  # "rain through Thursday"
        if prep in ("by", "until", "till", "before") or through_day or (
            prep == "of" and len(lw) > 1 and lw[-2] in ("deadline", "ultimatum")
        ) or (prep == "than" and lw[-2:-1] == ["later"]):  # "no later than Saturday"
            if any(w in ("had", "did") for w in lw[-6:]) or lw[-2:-1] == ["not"]:
                return "past"  # "had left by Sunday", "it was not until Tuesday that"
            if prep == "by" and self._plain_past_before(lw[:-1]):
                return "past"  # "shares rose 1.2 percent to C$38.70 by midday": done by then
            clause_rw = []
            for w in rw[:4]:  # up to a new clause ("till July 15 unless consumption was curbed")
                if w in _CLAUSE_OPENERS:
                    break
                clause_rw.append(w)
            if self._scan(clause_rw) == "past":
                return "past"
            if any(w in LASTED_VERBS for w in lw[-5:-1]) and not any(self._cue(w) == "future" for w in lw[-8:-1]):
                return "past"  # "schools remained closed until Wednesday": a state that has ended
            return "future"
        if prep == "for" and len(lw) > 1 and lw[-2] in _SCHEDULED and "had" not in lw[-6:]:
            if lw[-3:-2] in (["was"], ["were"]):
                return default  # "were scheduled for December": a plan in the past, either side of the DCT
            return "future"  # "the accession was planned for early March"
        tv = self._to_verb(text[max(s, start - 80) : start])
        if tv is not None:
            return tv
        k = len(lw) - 1
        while k >= 0 and lw[k] in _VERB_ADVERBS:
            k -= 1
        if k >= 0 and lw[k] in SCHEDULE_PRESENT and (
            k == 0
            or lw[k - 1] not in ("to", "will", "would", "did")
            and lw[k - 1] not in _ADJ_BEFORE
            and lw[k - 1] not in DETERMINERS  # "saw their faces on Saturday": a noun
        ):
            return "future"
        for i in range(len(lw10) - 2, 0, -1):
            # "They play Real Madrid in the Champions League on Tuesday": a pronoun's scheduled verb,
            # with its object between it and the day
            if lw10[i] in SCHEDULE_PRESENT and (
                lw10[i - 1] in SUBJECT_PRONOUNS
                # "The U.S. swimming team competes for its first medals Saturday": a third-person
                # verb (not a plural noun after a determiner: "their faces", "tax returns")
                or (lw10[i].endswith("s") and lw10[i - 1] not in DETERMINERS and lw10[i - 1] not in _NOT_SUBJECT)
            ):
                if not any(self._cue(w) for w in lw10[i + 1 :]):
                    return "future"
                break
        if self._named_subject_schedules(s, start):
            return "future"
        if text[start:end].lower() in WEEKDAYS and (
            lw[-1:] and lw[-1] in ("is", "are")
            or len(lw) > 1 and lw[-2] in ("is", "are") and lw[-1] not in DETERMINERS and not self._cue(lw[-1])
            and not lw[-1].endswith("ing")
        ):
            return "future"  # "the vote is Saturday", "a backup opportunity is available Saturday"
        if len(lw) <= 2:  # "On Friday he travels to Amman": the clause's present verb after its subject
            for w in rw[:4]:
                if w in SCHEDULE_PRESENT:
                    return "future"
                if self._cue(w) or w in ("and", "but", "who", "which", "that"):
                    break
        if len(lw) <= 2 and not rw[6:]:
            # sentence-initial ("On Tuesday, the league plans to ..."): the main verb may come later
            rw = _lower_words(text[end : min(e, end + 110)])[:12]
        left110 = text[max(s, start - 110) : start]
        ahead = _AHEAD_OF.search(left110) if ("ahead" in left110 or "-up" in left110 or "prepar" in left110) else None
        if ahead and not any(self._cue(w) for w in _lower_words(ahead.group(1))):
            return "future"  # "trained on Friday ahead of the Africa Cup of Nations final ... on Sunday"
        near = self._scan(list(reversed(lw10)), 8, leftwards=True) or self._scan(rw)
        return near or self._far_will(s, start) or default

    @staticmethod
    def _plain_past_before(words: list[str]) -> bool:
        """A plain past verb among the last five words, with no future word after it and not a name
        after a determiner ("the Met department expects the monsoon by early June")."""
        for i in range(len(words) - 1, max(-1, len(words) - 6), -1):
            w = words[i]
            if w in FUTURE_CUES:
                return False
            if w in PAST_VERBS and w != "said" and not (i and words[i - 1] in DETERMINERS):
                return True
        return False

    def _named_subject_schedules(self, s: int, start: int) -> bool:
        """A named subject's scheduled verb, with its object between it and the day ("Host Portugal opens
        the Atlantic Nations Cup against Morocco on Saturday", "Spain begin their defence in Porto on
        Sunday", "The Red Sox return to Fenway Park on Saturday")."""
        words = _WORD.findall(self.text[max(s, start - 120) : start])[-14:]
        if SCHEDULE_PRESENT.isdisjoint(words):  # (the common case)
            return False
        for i in range(len(words) - 1, 0, -1):
            w = words[i]
            if w in SCHEDULE_PRESENT and words[i - 1][:1].isupper() and words[i - 1] not in ("The", "A", "An"):
                return not any(self._cue(x.lower()) for x in words[i + 1 :])
            if self._cue(w.lower()):
                return False
        return False

    def _far_will(self, s: int, start: int) -> str | None:
        """"will"/"would"/"expects"/"plans" further back in the same clause, past the eight words the
        tense scan reads ("ECOWAS leaders will discuss the crisis at a summit in Accra on Sunday", "the
        rebels would hold a public meeting with local officials on Thursday", "expects its project in
        eastern Senegal to pour its first gold in the March quarter")."""
        left = self.text[max(s, start - 120) : start]
        # a clause ends at a comma, but not at one inside a place name ("in Bangalore, India, in the spring")
        cut = max(left.rfind(";"), left.rfind(":"))
        for m in re.finditer(",", left):
            i = m.start()
            if not (_PLACE_PAIR_AFTER.match(left, i) or _PLACE_PAIR_BEFORE.search(left, 0, i + 1)):
                cut = max(cut, i)
        words = _lower_words(left[cut + 1 :])[-14:]
        return "future" if any(w in _FAR_FUTURE for w in words) else None

    _TO_VERB = re.compile(r"(?:\b([A-Za-z]+)\s+)?\bto\s+([a-z]+)((?:\s+[\w.%$'’-]+){0,7}?)\s*$")

    def _to_verb(self, left: str) -> str | None:
        """An adjunct after "to <verb> [a few words]" belongs to the infinitive: ahead of its clause
        ("planned to leave Nairobi on Thursday", "is to resume trading in Paris Tuesday"), unless the
        governing verb is a plain past one ("declined to comment Saturday")."""
        m = self._TO_VERB.search(left)
        if m is None:
            return None
        gov, verb, between = (m.group(1) or "").lower(), m.group(2), m.group(3).lower().split()
        if gov in ("over", "back", "up", "down", "out", "off", "away", "according", "close", "next", "prior"):
            return None  # "handed himself over to police on Wednesday": a preposition, not an infinitive
        if verb == "be" and between and re.fullmatch(r"[a-z]+(?:ed|en)", between[0]):
            verb, between = between[0], between[1:]  # "to be published in early November"
        if verb in NOT_VERBS or (verb.endswith("s") and not verb.endswith("ss")):
            return None
        if any(re.search(r"[,;:]|\d", w) for w in between):
            return None
        reach = 7 if gov in PLAN_VERBS else 4  # "is expected to hear from the first defence witness on Wednesday"
        if between and (len(between) > reach or any(self._cue(w.strip(".")) for w in between)):
            return None
        if between not in ([], ["on"], ["at"], ["in"], ["by"], ["for"]) and gov not in PLAN_VERBS:
            return None  # "countries to accede to NATO on Friday": only a verb of planning reaches that far
        lw = _lower_words(left)[-8:]
        if gov in DECIDED_VERBS:
            return None  # "agreed to resign on Sunday": the day of the decision, left to the tense scan
        if gov and gov not in PLAN_VERBS and self._cue(gov) == "past":
            return "past"
        pre = _lower_words(left[: m.start()])[-2:]  # the auxiliary of the governing verb: "was due to hand ..."
        past_aux = any(w in ("had", "was", "were", "did") for w in lw[-6:]) or any(
            w in ("had", "was", "were") for w in pre
        )
        if past_aux and gov not in ("was", "were"):
            return None
        return "future"

    @staticmethod
    def _next_prev(words: list[str], i: int, leftwards: bool) -> tuple[list[str], list[str]]:
        """The words after and before ``words[i]`` in text order (each a list of at most one), for a
        list ordered outwards from an expression."""
        before_i = words[i - 1 : i] if i else []
        after_i = words[i + 1 : i + 2]
        return (before_i, after_i) if leftwards else (after_i, before_i)

    @classmethod
    def _scan(cls, words: list[str], limit: int = 0, leftwards: bool = False) -> str | None:
        """The first tense cue in ``words`` (ordered outwards from the expression: leftwards for the
        words before it, which are then in reverse text order)."""
        for i, w in enumerate(words[:limit] if limit else words):
            nxt, prv = cls._next_prev(words, i, leftwards)
            if w == "planned":
                if nxt and nxt[0] in ("a", "an", "another", "more", "further", "new") and not (
                    prv and (prv[0] in DETERMINERS or prv[0].endswith("ly"))
                ):
                    return "future"  # "protesters planned a large demonstration on Saturday": the plan's day
            c = cls._cue(w)
            if c is None:
                continue
            before = words[i + 1 : i + 2] if leftwards else words[i - 1 : i] if i else []
            if c == "past" and (w not in PAST_AUX and w not in PAST_VERBS or w == "last") and before and (
                before[0] in DETERMINERS
            ):
                continue  # "the elected government", "an armed group", "the last session": adjectives
            if w in NOUN_CUES and "to" not in nxt + prv:
                # "union leaders plan a rally Saturday": the verb, not the noun ("the plan on Saturday")
                if not (nxt and nxt[0] in ("a", "an", "another", "more", "further", "new")
                        and prv and prv[0] not in DETERMINERS and prv[0] not in ("of", "new", "peace")):
                    continue
            if w in ("deadline", "ultimatum") and prv == ["the"]:
                continue  # "Congress pushed the deadline back once, in January": a known one, no cue
            if w == "could":
                if not nxt or nxt[0] in ("not", "be", "have", "never", "only", "barely", "hardly"):
                    continue  # "could not be reached Wednesday": past ability, not a prospect
            if c == "future" and w in ("scheduled", "expected", "slated", "due", "set"):
                aux = words[i + 1 : i + 3]
                if "had" in aux:
                    return "past"  # "had been scheduled to expire": a plan that has lapsed
                if any(n in ("was", "were") for n in aux):
                    return None  # "whose term was due to end in June": a plan reported, either side of the DCT
            if c == "past" and w not in PAST_AUX:
                # a participle after a form of "be" is passive, not past ("will be held")
                neighbours = words[i + 1 : i + 2] + words[i - 1 : i] if i else words[i + 1 : i + 2]
                if any(n in ("be", "been", "being", "is", "are", "am") for n in neighbours):
                    continue
            return c
        return None

    @staticmethod
    def _cue(w: str) -> str | None:
        if w in FUTURE_CUES:
            return "future"
        if w in PAST_AUX or w in PAST_VERBS:
            return "past"
        if w.endswith("ed") and len(w) > 4 and w not in NOT_PAST_ED and not w.startswith("un"):
            return "past"  # ("unspecified", "undisclosed": adjectives)
        return None


def _rel_direction(value: str, dct: date | None) -> str:
    rng = value_range(value)
    if rng is None or dct is None:
        if value == "PAST_REF":
            return "past"
        if value == "FUTURE_REF":
            return "future"
        return "none"
    if rng[1] < dct:
        return "past"
    if rng[0] > dct:
        return "future"
    return "none"


# --------------------------------------------------------------------------------------------
# Rules: each has a compiled pattern and a parse function (match, text) -> resolver | None.
# A resolver is a function (ctx, start, end) -> _Res | None, run in text order.
# --------------------------------------------------------------------------------------------

Resolver = Callable[[_Ctx, int, int], "_Res | None"]
Parser = Callable[[re.Match[str], str], "Resolver | None"]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    parse: Parser
    priority: int = 0  # tie-break between equally long candidates
    triggers: str = ""  # tokens that must occur in or near a match (see _TRIGGERS)
    reach: tuple[int, int] = (64, 36)  # how far a match may extend before / after a trigger token


def _g(m: re.Match[str], name: str) -> str | None:
    try:
        return m.group(name)
    except IndexError:
        return None


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([A-Za-z$'’]+)[\s,]*$", text[max(0, pos - 30) : pos])
    return m.group(1).lower() if m else ""


def _mod_of(s: str | None) -> str | None:
    if not s:
        return None
    k = " ".join(s.lower().replace("-", " ").split())
    return MODS.get(k) or None


def _fixed(rule: str, typ: str, value: str, mod: str | None = None) -> Resolver:
    def res(ctx: _Ctx, s: int, e: int) -> _Res:
        return _Res(typ, value, rule, "none", "dct", mod)

    return res


# --- absolute calendar dates ----------------------------------------------------------------

_FULLDATE = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<wd>{WEEKDAY_ANY_RE}),?\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?(?:(?P<mon>{MONTH_RE})\s+"
    rf"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:/.]\d|\s*(?:%|percent|-(?![0-3]?\d\b(?![-.:]\d))|miles?|km|people"
    rf"|points?))"
    rf"(?:,?\s+(?P<year>{YEAR_RE}))?"
    rf"|(?:the\s+)?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{MONTH_RE}),?"
    rf"(?:\s+(?P<year2>{YEAR_RE}))?)"
    rf"(?:\s+(?P<ry>(?:this|last|next)\s+year)(?![A-Za-z'’-]))?" + ")",
    _FLAGS,
)


_RANGE_YEAR = re.compile(rf"\s*(?:-|–|and\b|to\b|through\b|or\b)\s*[0-3]?\d(?:st|nd|rd|th)?,?\s+({YEAR_RE})")


def _parse_fulldate(m: re.Match[str], text: str) -> Resolver | None:
    mon = _g(m, "mon") or _g(m, "mon2")
    day_s = _g(m, "day") or _g(m, "day2")
    year_s = _g(m, "year") or _g(m, "year2")
    if not mon or not day_s:
        return None
    month, day = _month_of(mon), int(day_s)
    if not 1 <= day <= 31:
        return None
    if mon.lower() == "may" and not year_s and _prev_word(text, m.start()) in ("i", "you", "we", "they"):
        return None
    wd = _g(m, "wd")
    if not year_s:  # "April 24 and 25, 1999": the year after the range is this date's too
        ym = _RANGE_YEAR.match(text, m.end())
        year_s = ym.group(1) if ym else None

    ry = (_g(m, "ry") or "").lower().split()
    if ry and year_s:
        return None

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        if year_s:
            d = _clamp_day(int(year_s), month, day)
            if d is None:
                return None
            return _Res("DATE", d.isoformat(), "date-full", "none", "dct")
        base = ctx.base
        if ry:  # "31 March this year", "June 5 last year"
            d = _clamp_day(base.year + {"this": 0, "last": -1, "next": 1}[ry[0]], month, day)
            if d is None:
                return None
            return _Res("DATE", d.isoformat(), "date-rel-year", _rel_direction(d.isoformat(), ctx.dct), "dct",
                        _mod_of(_g(m, "mod")), uses_dct=True)
        cands2 = _days_around(base, month, day)
        if not cands2:
            return None
        if wd:  # a weekday pins the year
            pinned = [c for c in cands2 if c.isoweekday() == WEEKDAYS[wd.lower().rstrip(".")]]
            if pinned:
                cands2 = pinned
        direction = "none" if wd else ctx.direction(s, e, default="none")
        # the nearest such day, unless it lies far (over a season) on the wrong side of the DCT
        best = _nearest_day(cands2, base)
        if direction == "past" and (best - base).days > 90 or direction == "future" and (base - best).days > 90:
            pool = [c for c in cands2 if (c <= base) == (direction == "past")]
            if pool:
                best = min(pool, key=lambda c: abs((c - base).days))
        return _Res("DATE", best.isoformat(), "date-month-day", _rel_direction(best.isoformat(), ctx.dct),
                    "dct", _mod_of(_g(m, "mod")), uses_dct=True)

    the = re.match(r"the\s+", m.group(0), re.I)
    if the and re.match(r"\s+(?!of\b|and\b|or\b|to\b)(?-i:[a-z])", text[m.end() : m.end() + 4]):
        return _start(res, m.start() + the.end())  # "the 25 February election": the article is the noun's
    return res


# the second day of "April 24 and 25", "Jan. 5-7" (the first is an ordinary date)
_SECOND_DAY = re.compile(
    WORD_START + "(?:" +
    rf"(?P<mon>{MONTH_RE})\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|\band\b|\bto\b|\bthrough\b|\bor\b)\s*"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:/%A-Za-z-]|[.,]\d|\s*(?:percent|miles?|km|people|points?|[ap]\.?m\b))"
    rf"(?:,?\s+(?P<year>{YEAR_RE}))?" + ")",
    _FLAGS,
)


def _days_around(base: date, month: int, day: int) -> list[date]:
    """That month-day in the year before, of and after ``base`` (those that exist)."""
    return [c for c in (_clamp_day(base.year + k, month, day) for k in (-1, 0, 1)) if c is not None]


def _nearest_day(cands: list[date], base: date) -> date:
    """The candidate nearest ``base``; news reports more often look back, so a day ahead counts as
    a little further than one behind."""
    return min(cands, key=lambda c: (c - base).days * 1.2 if c > base else (base - c).days)


def _range_day(month: int, day: int, year_s: str | None, rule: str) -> Resolver:
    """One end of a day range ("1 to 5 April"): the year given, or the nearest such day to the base."""

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        if year_s:
            d = _clamp_day(int(year_s), month, day)
            return _Res("DATE", d.isoformat(), rule, "none", "dct") if d else None
        cands = _days_around(ctx.base, month, day)
        if not cands:
            return None
        best = _nearest_day(cands, ctx.base)
        return _Res("DATE", best.isoformat(), rule, _rel_direction(best.isoformat(), ctx.dct), "dct", None, True)

    return res


def _parse_second_day(m: re.Match[str], text: str) -> Resolver | None:
    month, day = _month_of(m.group("mon")), int(m.group("d2"))
    if not int(m.group("d1")) < day <= 31:
        return None
    return _start(_range_day(month, day, m.group("year"), "date-second-day"), m.start("d2"))


# the first day of "1 to 5 April", "10-12 March 2013" (the second day is an ordinary date)
_FIRST_DAY = re.compile(
    rf"(?<![\d.,:/$£€-])(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|\band\b|\bto\b|\bthrough\b)\s*"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_RE})(?:,?\s+(?P<year>{YEAR_RE}))?",
    _FLAGS,
)


def _parse_first_day(m: re.Match[str], text: str) -> Resolver | None:
    month, day, d2 = _month_of(m.group("mon")), int(m.group("d1")), int(m.group("d2"))
    if not 1 <= day < d2 <= 31:
        return None
    return _cut(_range_day(month, day, m.group("year"), "date-first-day"), m.end("d1"))


# the second year of "1999-2000", "1980-88"
_YEAR_RANGE = re.compile(
    r"(?<![\d$£€.,:/-])(?P<y1>(?:1[0-9]|20)\d\d)\s*[-–]\s*(?P<y2>(?:1[0-9]|20)\d\d|\d\d)(?![\d%-]|\.\d|,\d)"
)


def _parse_year_range(m: re.Match[str], text: str) -> Resolver | None:
    y1, y2s = int(m.group("y1")), m.group("y2")
    y2 = int(y2s) if len(y2s) == 4 else y1 // 100 * 100 + int(y2s)
    if len(y2s) == 2 and y2 <= y1:
        y2 += 100
    if not y1 < y2 <= y1 + 50:
        return None  # not a span of years ("1990-12" is a month, "2000-1999" nothing)
    return _start(_fixed("year-range", "DATE", f"{y2:04d}"), m.start("y2"))


_NUMDATE = re.compile(
    r"(?<![\d/.\-])(?:(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?"
    r"|(?P<m2>[01]?\d)/(?P<d2>[0-3]?\d)/(?P<y2>(?:19|20)?\d\d))(?![\d/\-])"
)


def _parse_numdate(m: re.Match[str], text: str) -> Resolver | None:
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    else:
        y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        if y < 100:
            y += 1900 if y >= 40 else 2000
    try:
        dd = date(y, mo, d)
    except ValueError:
        return None
    if m.group("hh"):
        return _fixed("date-iso", "TIME", f"{dd.isoformat()}T{m.group('hh')}:{m.group('mi')}")
    return _fixed("date-iso" if m.group("y") else "date-numeric", "DATE", dd.isoformat())


# --- months, years, decades, centuries, seasons ----------------------------------------------

_MONTHYEAR = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<mod>(?:the\s+)?(?:early|late|mid|end\s+of|beginning\s+of|start\s+of|middle\s+of)|the\s+end\s+of"
    rf"|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)?"
    rf"(?P<rel>(?:this|last|next|past|this\s+past|this\s+coming|coming)\s+)?(?P<mon>{MONTH_RE})"
    rf"(?:(?P<ry>\s+(?:this|last|next)\s+year)|(?P<ty>,?\s+(?:of\s+)?(?:that|the\s+same|the\s+following"
    rf"|the\s+next|the\s+previous|the\s+preceding)\s+year(?![A-Za-z'’-]))"
    rf"|,?\s+(?:of\s+)?(?P<year>{ANY_YEAR_RE}))?(?![.\s-]*\d)" + ")",
    _FLAGS,
)
# a determiner before a month used as a modifier ("the March accession", "a May deadline")
_MONTH_DETERMINERS = frozenset("the a its their his her our this that".split())
_NOT_AFTER_MONTH_MODIFIER = frozenset("""was were is are has had have will would could should can may
and but for from that which who with into onto through against organizers""".split())
_MONTH_OK_PREV = frozenset("""in of since until till by from to through during last next this early late mid
before after and or between around about past coming in-between throughout as""".split())


def _parse_monthyear(m: re.Match[str], text: str) -> Resolver | None:
    mon = m.group("mon")
    key = mon.lower().rstrip(".")
    month = MONTHS[key]
    year_s, rel, ry, mod = m.group("year"), m.group("rel"), m.group("ry"), m.group("mod")
    ty = " ".join((m.group("ty") or "").lower().split())
    bare = not (year_s or rel or ry or mod or ty)
    if bare:
        if len(key) <= 4 and key not in ("june", "july", "may"):
            return None  # a bare abbreviation ("Jan Kavan") needs a day or a year
        if key in ("may", "march"):
            pw = _prev_word(text, m.start())
            # "set for March" is the month; "for May" is as often Theresa May, so May keeps needing more
            if pw not in _MONTH_OK_PREV and not (key == "march" and pw == "for" and mon[0] == "M") and not (
                pw in _MONTH_DETERMINERS
                and (nx := re.match(r"\s+(?-i:([a-z]{3,}))\b", text[m.end() : m.end() + 20])) is not None
                and nx.group(1) not in _NOT_AFTER_MONTH_MODIFIER
            ):
                return None  # a modal "may", a march; but "the March accession", "its May deadline"
        # a capitalised word right after ("March Madness", "April Fools") or a name before
        if re.match(r"\s+(?-i:[A-Z][a-z]+)", text[m.end() : m.end() + 20]) and not re.match(
            r"\s+(?:[0-9]|The\b|In\b|On\b|At\b)", text[m.end() : m.end() + 5]
        ):
            prev = _prev_word(text, m.start())
            if prev not in _MONTH_OK_PREV:
                return None
    modv = _mod_of(mod)

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        if year_s:
            y = _year_of(year_s)
            if y is None:
                return None
            return _Res("DATE", f"{y:04d}-{month:02d}", "month-year", "none", "dct", modv)
        base = ctx.base
        if ty:  # "December of that year": the year the narrative is in, one expression
            dy = 1 if ("following" in ty or "next" in ty) else -1 if ("previous" in ty or "preceding" in ty) else 0
            prev = ctx.last(("day", "week", "month", "quarter", "season", "year"), window=8)
            rng = value_range(prev[0]) if prev is not None else None
            if prev is not None and rng is not None:
                v = f"{rng[0].year + dy:04d}-{month:02d}"
                return _Res("DATE", v, "month-that-year", _rel_direction(v, ctx.dct), prev[1], modv)
            v = f"{base.year + dy:04d}-{month:02d}"
            return _Res("DATE", v, "month-that-year", _rel_direction(v, ctx.dct), "dct", modv, True)
        r = (rel or "").lower().split()
        rr = (ry or "").lower().split()
        if rr:
            dy = {"this": 0, "last": -1, "next": 1}[rr[0]]
            v = f"{base.year + dy:04d}-{month:02d}"
            return _Res("DATE", v, "month-rel-year", _rel_direction(v, ctx.dct), "dct", modv, True)
        if r and r[0] in ("last", "past") or r[:2] == ["this", "past"]:
            y = base.year if month < base.month else base.year - 1
            direction = "past"
        elif r and r[0] in ("next", "coming") or r[:2] == ["this", "coming"]:
            y = base.year if month > base.month else base.year + 1
            direction = "future"
        elif r and r[0] == "this":
            y, direction = base.year, "none"
        else:
            direction = ctx.direction(s, e, default="none")
            if direction == "past":
                y = base.year if month <= base.month else base.year - 1
            elif direction == "future":
                y = base.year if month >= base.month else base.year + 1
            else:  # no tense cue: news looks back, unless the month is at most a season ahead
                ahead = (month - base.month) % 12
                if 0 < ahead <= 3:
                    y = base.year + (1 if month < base.month else 0)
                else:
                    y = base.year - (1 if month > base.month else 0)
        v = f"{y:04d}-{month:02d}"
        return _Res("DATE", v, "month-relative" if r else "month-bare", _rel_direction(v, ctx.dct), "dct",
                    modv, True)

    qm = re.match(r"\s+quarter(?![A-Za-z])", text[m.end() : m.end() + 10]) if bare and month % 3 == 0 else None
    if qm is not None:
        month_res = res

        def res_q(ctx: _Ctx, s: int, e: int) -> _Res | None:
            # "the December quarter": the quarter that ends in that month
            r = month_res(ctx, s, e)
            if r is None or not re.match(r"^\d{4}-\d{2}$", r.value):
                return r
            v = f"{r.value[:4]}-Q{month // 3}"
            return _Res("DATE", v, "quarter-ordinal", _rel_direction(v, ctx.dct), r.anchor, r.mod, r.uses_dct)

        art = re.search(r"(?<![A-Za-z])(?:the|this|that)\s+$", text[max(0, m.start() - 6) : m.start()], re.I)
        if art is not None:  # "the third quarter" keeps its article, and so does "the December quarter"
            res_q = _start(res_q, m.start() - len(art.group(0)))
        return _cut(res_q, m.end() + qm.end())
    the = re.match(r"the\s+", m.group(0), re.I)
    if the and mod and re.search(r"-$", text[m.start("mod") : m.start("mon")]) and re.match(
        r"\s+(?-i:[a-z])", text[m.end() : m.end() + 3]
    ):
        return _start(res, m.start() + the.end())  # "the late-November trip": the article is the noun's
    return res


_YEAR = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<mod>(?:the\s+)?(?:early|late|mid|end\s+of|beginning\s+of|start\s+of|middle\s+of"
    rf"|first\s+half\s+of|second\s+half\s+of|last\s+half\s+of)|the\s+end\s+of|the\s+beginning\s+of"
    rf"|the\s+start\s+of|the\s+middle\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of"
    rf"|the\s+last\s+half\s+of)[\s-]+)?"
    rf"(?P<fy>(?:fiscal|calendar|FY|model)(?:\s+year)?\s*|the\s+year\s+|(?P<the>the)\s+(?=\d{{4}}\s+(?:period|quarter)))?"
    rf"(?P<year>{YEAR_RE}|{SPELLED_YEAR_RE})(?P<per>\s+(?:period|quarter)(?![A-Za-z]))?" + ")",
    _FLAGS,
)


def _parse_year(m: re.Match[str], text: str) -> Resolver | None:
    ys = m.group("year")
    y = _year_of(ys)
    if y is None:
        return None
    digits = ys.isdigit()
    if digits:
        if not 1000 <= y <= 2099:
            return None
        before = text[max(0, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 25]
        if (re.search(r"\d{2,}[ .]$|(?<!\d)\d{3}-$|\d-\d+-$", before)
                or re.match(r"[ .]\d{3,}|-\d{3}(?!\d)|-\d+-\d", after)):
            return None  # a group of digits in a phone number ("0800 2013 1500", "555-2012", "1-800-2013-77")
        if re.search(r"(?:No\.|#|\$|Route|Flight|flight|number|Number|Article|article|Resolution"
                     r"|resolution|Room|room|page|Page|Boeing|Airbus|model|Model)\s*$", before):
            return None
        if re.match(r"\s*(?:%|percent|people|troops|soldiers|men|women|km|kilometers|kilometres|miles|feet"
                     r"|meters|metres|tons|tonnes|votes|points|residents|deaths|cases|hours|dollars|euros"
                     r"|yards|acres|barrels|times|votes|seats|GMT|UTC|hrs)\b", after):
            return None
        wm = re.match(r"\s+([a-z]+)", after)
        plural = wm is not None and wm.group(1).endswith("s") and len(wm.group(1)) > 3
        if plural and wm and not (m.group("mod") or m.group("fy")) and wm.group(1) not in YEAR_FOLLOW_OK:
            # "1990 elections" is fine, "1500 soldiers" is not: plural right after a year-looking
            # number reads as a count unless a determiner/preposition precedes.
            prev = _prev_word(text, m.start())
            hyphened = text[m.start() - 1 : m.start()] == "-"  # "post-1959 politics"
            if not hyphened and prev not in ("the", "in", "of", "since", "and", "'s", "its", "their", "his", "her",
                                             "by", "for", "from", "after", "before", "until", "during"):
                return None
    else:  # spelled year: must not be a plain count ("twenty-one people")
        wm = re.match(r"\s+([a-z]+s)\b", text[m.end() : m.end() + 20])
        if wm and wm.group(1) not in YEAR_FOLLOW_OK and not m.group("fy"):
            return None
    mod = m.group("mod")
    modl = " ".join((mod or "").lower().split())
    value = f"{y:04d}"
    if "half" in modl:
        value += "-H1" if "first" in modl else "-H2"
        modl = ""
    modv = _mod_of(modl)
    if m.group("per"):
        if not m.group("the"):
            return _cut(_fixed("year", "DATE", value, modv), m.end("year"))

        def res_period(ctx: _Ctx, s: int, e: int) -> _Res:
            # "the 1988 quarter": the quarter under discussion, in that year
            prev = ctx.last(("quarter",), window=8)
            if prev is not None:
                return _Res("DATE", f"{y:04d}{prev[0][4:]}", "year-period", "none", prev[1], derived=True)
            return _Res("DATE", value, "year-period", "none", "dct", derived=True)

        return res_period
    return _fixed("year", "DATE", value, modv)


_DECADE = re.compile(
    r"(?:(?P<the>the)\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?(?:(?P<y>(?:1[0-9]|20)\d0)'?s(?![A-Za-z])"
    r"|['’](?P<yy>\d0)s(?![A-Za-z])|(?P<w>(?-i:twenties|thirties|forties|fifties|sixties|seventies|eighties"
    r"|nineties))(?![A-Za-z]))",
    _FLAGS,
)
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}


def _parse_decade(m: re.Match[str], text: str) -> Resolver | None:
    if m.group("y"):
        dec = int(m.group("y")) // 10
        if dec % 10 == 0 and dec // 10 < 20:  # "the 1800s", "the early 1900s": the century
            return _fixed("century-hundreds", "DATE", f"{dec // 10:02d}", _mod_of(m.group("mod")))
        return _fixed("decade", "DATE", f"{dec:03d}", _mod_of(m.group("mod")))
    tens = int(m.group("yy")) // 10 if m.group("yy") else _DECADE_WORDS[m.group("w").lower()]
    if m.group("w") and not m.group("the"):
        # "in his forties" is an age; require "the"
        return None
    if m.group("w") and _prev_word(text, m.start()) in ("his", "her", "their", "its", "early", "late", "mid"):
        return None
    modv = _mod_of(m.group("mod"))

    def res(ctx: _Ctx, s: int, e: int) -> _Res:
        base = ctx.base
        cent = base.year // 100
        if cent * 100 + tens * 10 > base.year:
            cent -= 1
        return _Res("DATE", f"{cent * 10 + tens:03d}", "decade-short", "past", "dct", modv, True)

    return res


_CENTURY = re.compile(
    WORD_START + "(?:" +
    r"(?:(?:the|this|last|next|(?P<rel>this|last|next|past|coming))\s+)?(?:(?P<mod>early|late|mid)[\s-]+)?"
    r"(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth"
    r"|twentieth|twenty-first))?[\s-]*century(?![A-Za-z])" + ")",
    _FLAGS,
)


def _parse_century(m: re.Match[str], text: str) -> Resolver | None:
    n = int(m.group("n")) if m.group("n") else ORDINALS.get((m.group("w") or "").lower())
    head = m.group(0).lower()
    if n is None:
        if not re.match(r"(?:this|last|next|the\s+last|the\s+next|the\s+past|the\s+current)\b", head):
            return None
        rel = head.split()[0] if head.split()[0] != "the" else head.split()[1]
        delta = {"this": 0, "current": 0, "last": -1, "past": -1, "next": 1}.get(rel, 0)
        if "last" in head or "past" in head or "next" in head:
            if head.startswith("the"):
                return _fixed("century-duration", "DURATION", "P100Y")

        def res(ctx: _Ctx, s: int, e: int) -> _Res:
            c = ctx.base.year // 100 + delta
            return _Res("DATE", f"{c:02d}", "century-relative", "none", "dct", None, True)

        return res
    if not 1 <= n <= 30:
        return None
    res = _fixed("century", "DATE", f"{n - 1:02d}", _mod_of(m.group("mod")))
    the = re.match(r"the\s+", m.group(0), re.I)
    if the and re.search(r"-century$", m.group(0), re.I) and re.match(r"\s+(?-i:[a-z])", text[m.end() : m.end() + 3]):
        return _start(res, m.start() + the.end())  # "the 20th-century popes": the article is the noun's
    return res


# adverbs of a habit: a bare season under one is any year's ("usually at its worst in winter")
HABITUAL_ADVERBS = frozenset("usually typically normally generally often traditionally always".split())
# weather words before a season make it the season, not the verb or the coil: "a cool, wet spring"
SEASON_WEATHER = frozenset(
    "cold cool wet dry warm hot mild harsh rainy snowy severe bitter brutal freezing sweltering scorching stormy chilly"
    " record-hot record-cold unusually".split()
)

_WEATHER_NP = re.compile(r"\b(?:an?|the|this|last)\s+[\w\s,-]*$", re.I)  # "a cool, wet" before the season

_SEASON = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<mod>(?:the\s+)?(?:early|late|mid)|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
    rf"|the\s+middle\s+of)[\s-]+)?"
    rf"(?P<det>the\s+|this\s+past\s+|this\s+coming\s+|this\s+|that\s+|last\s+|next\s+|past\s+|coming\s+|"
    rf"(?:{YEAR_RE})\s+)?(?P<s>spring|summer|fall|autumn|winter)(?![A-Za-z])"
    rf"(?:\s+(?:of\s+)?(?P<year>{ANY_YEAR_RE}))?" + ")",
    _FLAGS,
)


def _parse_season(m: re.Match[str], text: str) -> Resolver | None:
    det = " ".join((m.group("det") or "").lower().split())
    season = SEASONS[m.group("s").lower()]
    year_s = m.group("year")
    if det and det[0].isdigit():
        year_s = det
        det = ""
    prev = _prev_word(text, m.start())
    if not (det or year_s or m.group("mod")):
        if prev not in ("in", "during", "this", "last", "next", "since", "until", "by", "over", "through",
                        "throughout", "early", "late", "and", "or", "each", "every") and not (
            # "a summer rally", "a winter offensive": the season as a modifier of the next noun
            prev in ("a", "an") and re.match(r"\s+(?!in\b|of\b|on\b|at\b|to\b|and\b|or\b|for\b|water|loaded|fed"
                                             r"|break\b)[a-z]{3,}\b", text[m.end() : m.end() + 16])
            and m.group("s").islower()
        ) and not (
            prev in SEASON_WEATHER
            and not (prev == "hot" and m.group("s").lower() == "spring")  # a hot spring is water
            and not re.match(r"[\s-]+(?:water|waters|fed|loaded)\b", text[m.end() : m.end() + 10], re.I)
            and _WEATHER_NP.search(text[max(0, m.start() - 40) : m.start()])
        ):
            return None
    if m.group("s")[0].isupper() and not year_s and prev not in ("in", "the", "this", "last", "next"):
        return None  # "Arab Spring", "Operation Winter ..."
    if m.group("s")[0].isupper() and not year_s and re.match(r"\s+(?-i:[A-Z][a-z])", text[m.end() : m.end() + 4]):
        return None  # "the next Winter Olympics", "Summer Games": a name, not the season
    if m.group("s").lower() == "fall" and not (year_s or det.endswith(("this", "last", "next", "past", "the"))):
        return None
    if not year_s and re.match(r"\s+of\s+(?!\d)", text[m.end() : m.end() + 12]):
        return None  # "the fall of Kabul", "the spring of discontent": not the season
    modv = _mod_of(m.group("mod"))

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        if year_s:
            y = _year_of(year_s)
            if y is None:
                return None
            return _Res("DATE", f"{y:04d}-{season}", "season-year", "none", "dct", modv)
        base = ctx.base
        a, _b = SEASON_MONTHS[season]
        # which season holds the DCT, as a (year, index) pair
        cur_m = base.month if base.month >= 3 else base.month + 12
        cur_y = base.year if base.month >= 3 else base.year - 1
        order = ["SP", "SU", "FA", "WI"]
        cur_idx = min(3, (cur_m - 3) // 3)
        idx = order.index(season)
        words = det.split()
        if words[:2] == ["this", "past"] or (words and words[0] in ("last", "past")):
            y = cur_y if idx < cur_idx else cur_y - 1
            direction = "past"
        elif words[:2] == ["this", "coming"] or (words and words[0] in ("next", "coming")):
            y = cur_y if idx > cur_idx else cur_y + 1
            direction = "future"
        elif words and words[0] == "this":
            # "this spring" in January is the spring of the DCT's calendar year, and so is "this winter"
            # (the winter the DCT is in, written with the DCT's year, as our blind writers all did)
            y, direction = base.year, "none"
        elif words and words[0] == "that":
            prev = ctx.latest
            rng = value_range(prev[0]) if prev else None
            if rng is None:
                return None
            return _Res("DATE", f"{rng[0].year:04d}-{season}", "season-anchored", "none", prev[1], modv)
        else:
            sent_start = ctx.sentence(s, e)[0]
            last = ctx.history[-1] if ctx.history else None
            if (words and words[0] == "the" and last is not None and last[2] == "year"
                    and re.search(rf"\bin\s+{last[0]}\b", ctx.text[sent_start:s])):
                # "faster than in 2010, when funding came only after the crisis had peaked in the summer"
                return _Res("DATE", f"{last[0]}-{season}", "season-of-year", "none", last[1], modv)
            left = _lower_words(ctx.text[max(sent_start, s - 80) : s])
            if any(w in HABITUAL_ADVERBS for w in left[-10:]):
                # "pollution is usually at its worst in winter": any winter
                return _Res("DATE", f"XXXX-{season}", "season-generic", "none", "dct", modv)
            direction = ctx.direction(s, e, default="none")
            if direction == "past":
                y = cur_y if idx <= cur_idx else cur_y - 1
            elif direction == "future":
                y = cur_y if idx >= cur_idx else cur_y + 1
            else:
                y = cur_y + (1 if idx - cur_idx < -2 else -1 if idx - cur_idx > 2 else 0)
            if idx == cur_idx:
                y = base.year  # the season the DCT is in carries the DCT's year ("the winter" in February)
        v = f"{y:04d}-{season}"
        return _Res("DATE", v, "season-relative", direction, "dct", modv, True)

    return res


# --- quarters and halves ---------------------------------------------------------------------

_QUARTER = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<det>the)\s+)?(?:(?P<own>this|last|next)\s+year['’]s\s+)?"
    rf"(?:(?P<adj>year-ago|year-earlier|comparable|same|latest|current|previous|prior|first|"
    rf"corresponding|comparable\s+year-ago|comparable\s+year-earlier|flat|fiscal)\s+)?"
    rf"(?:(?P<y1>{YEAR_RE})\s+)?(?:fiscal[\s-]+)?"
    rf"(?P<ord>{ORD_RE})[\s-]+(?:fiscal[\s-]+)?(?P<qh>quarter|half|period)(?:s)?(?![A-Za-z])"
    rf"(?:\s+of\s+(?:fiscal\s+|the\s+year\s+|)(?P<y2>{YEAR_RE})|\s+of\s+(?P<ofrel>this|last|next|the)\s+year)?"
    rf"|(?<![A-Za-z0-9])(?P<qn>(?-i:Q[1-4]|H[12]))(?:\s+(?P<y3>{YEAR_RE}))?(?![A-Za-z0-9])" + ")",
    _FLAGS,
)


_QUARTER_RESULTS = re.compile(
    r"(?:\s+[a-z]+)?\s+(?:results|earnings|figures|production|output|sales|profits?|loss|losses|revenues?|numbers)\b"
)


def _parse_quarter(m: re.Match[str], text: str) -> Resolver | None:
    if m.group("qn"):
        kind, n = m.group("qn")[0], int(m.group("qn")[1])
        year_s = m.group("y3")
        own = None
        of_the_year = False
        adj = ""
    else:
        kind = "Q" if m.group("qh").lower() != "half" else "H"
        if m.group("qh").lower() == "period":
            return None
        ordw = m.group("ord").lower()
        if ordw in ("last", "final") and not (m.group("y1") or m.group("y2") or m.group("det")):
            return None  # "last quarter" is the previous quarter (relative rule)
        n = ORDINALS.get(ordw, 4 if kind == "Q" else 2)
        if ordw in ("final", "last"):
            n = 4 if kind == "Q" else 2
        year_s = m.group("y1") or m.group("y2")
        ofrel = (m.group("ofrel") or "").lower()
        of_the_year = ofrel == "the"  # "the second half of the year": the year the text is in
        own = m.group("own") or (ofrel if ofrel and not of_the_year else None)
        adj = (m.group("adj") or "").lower()
    if re.match(r"\s+of\s+the\s+(?:['’]?\d0s|\d{4}s|\w+ies\b|\d+\w\w\s+century)", text[m.end() : m.end() + 30]):
        return None  # "the last half of the '80s": a part of a decade, left to the decade rule
    if kind == "H" and not (year_s or own or of_the_year) and (
        not m.group("det") or _prev_word(text, m.start()) != "for" or m.group(0).lower().startswith("the half")
    ):
        # "in the second half" of a match; "profit for the first half" is a reporting period, and so is
        # a half right after a year ("gained 11.6 percent in 2012 ... rose 8.3 percent in the first half")
        if not m.group("det") or m.group(0).lower().startswith("the half"):
            return None
        half = n

        def res_half(ctx: _Ctx, s: int, e: int) -> _Res | None:
            last = ctx.history[-1] if ctx.history else None
            if last is None or last[2] != "year" or not re.fullmatch(r"\d{4}", last[0]):
                return None
            return _Res("DATE", f"{last[0]}-H{half}", "half-of-year", "none", last[1])

        return res_half
    cut = m.start()
    if m.group("det") and not m.group("qn") and re.search(r"-(?:fiscal-)?(?:quarter|half)", m.group(0), re.I):
        cut = m.start("ord")  # "the third-quarter loss": the adjective alone

    # the results of a quarter are published after it ends
    reported = bool(_QUARTER_RESULTS.match(text, m.end()))

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        if year_s:
            return _Res("DATE", f"{int(year_s):04d}-{kind}{n}", "quarter-year", "none", "dct")
        base = ctx.base
        if own:
            y = base.year + {"this": 0, "last": -1, "next": 1}[own.lower()]
            v = f"{y:04d}-{kind}{n}"
            return _Res("DATE", v, "quarter-owner-year", _rel_direction(v, ctx.dct), "dct", None, True)
        cur = _quarter(base.month) if kind == "Q" else (base.month - 1) // 6 + 1
        direction = ctx.direction(s, e, default="past")
        # financial reports: a quarter later in the year than the DCT's is last year's when past
        y = base.year
        if n > cur and (direction != "future" or reported) and not (
            of_the_year and ctx.direction(s, e, default="none") != "past"
        ):
            # ("is due to publish fourth-quarter production figures" in January: last year's; but "a
            # recovery in the second half of the year" is this year's unless the clause is past)
            y -= 1
        anchor = "dct"
        if adj.startswith(("year-ago", "year-earlier", "comparable year", "corresponding")):
            y -= 1
        v = f"{y:04d}-{kind}{n}"
        return _Res("DATE", v, "quarter-ordinal", _rel_direction(v, ctx.dct), anchor, None, True)

    return _start(res, cut) if cut != m.start() else res


# --- relative to the DCT: yesterday/today, last/next/this UNIT, weekdays ----------------------

_DAYWORD = re.compile(
    WORD_START + "(?:" +
    r"(?:(?P<mod>early|late|earlier|later)\s+)?(?:(?P<pre>the\s+day\s+(?:before|after)|"
    r"the\s+night\s+before)\s+)?"
    r"(?P<w>(?-i:today|Today|TODAY|yesterday|Yesterday|YESTERDAY|tomorrow|Tomorrow|TOMORROW|tonight|Tonight"
    r"|TONIGHT))(?![A-Za-z])"
    r"(?:(?=['’]s)|\s+(?P<part>morning|afternoon|evening|night)(?![A-Za-z]))?" + ")",
    _FLAGS,
)


_GENERIC_TODAY = re.compile(
    r"['’]s\s+(?:[a-z]+\s+)?(?:world|youth|society|generation|young|children|kids|families|standards|economy"
    r"|technology|computers|consumers|teenagers|students|people|culture|business\s+world)\b"
)


def _parse_dayword(m: re.Match[str], text: str) -> Resolver | None:
    w = m.group("w").lower()
    if w in ("today", "tomorrow") and not m.group("pre") and _GENERIC_TODAY.match(text, m.end()):
        return None  # "today's youth", "the people of tomorrow": the present/future age, not a day
    delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
    pre = (m.group("pre") or "").lower()
    if "before" in pre:
        delta -= 1
    elif "after" in pre:
        delta += 1
    part = m.group("part")
    tp = DAY_PARTS[part.lower()] if part else ("NI" if w == "tonight" else None)
    mod = _mod_of(m.group("mod"))

    def res(ctx: _Ctx, s: int, e: int) -> _Res:
        d = ctx.base + timedelta(days=delta)
        v = d.isoformat() + (f"T{tp}" if tp else "")
        return _Res("TIME" if tp else "DATE", v, f"deictic-{w}", _rel_direction(d.isoformat(), ctx.dct),
                    "dct", mod, True)

    return res


_RELUNIT = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<mod>early|late|mid|earlier|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
    rf"|the\s+middle\s+of|the\s+rest\s+of|end\s+of|sometime)[\s-]+(?:in\s+)?)?"
    rf"(?P<the>the\s+|that\s+)?(?P<rel>last|next|this|past|previous|coming|following|current|latest|same|prior"
    rf"|upcoming|preceding|very\s+next|this\s+past|this\s+coming|that|most\s+recent|recent)"
    rf"\s+(?P<fis>fiscal\s+|calendar\s+)?(?P<unit>day|week|weekend|month|quarter|year|decade|morning|afternoon"
    rf"|evening|night|period|(?-i:{WEEKDAY_FULL_RE}))(?![A-Za-z-])"
    rf"(?:\s+(?P<part>morning|afternoon|evening|night)(?![A-Za-z]))?" + ")",
    _FLAGS,
)


def _parse_relunit(m: re.Match[str], text: str) -> Resolver | None:
    rel = " ".join(m.group("rel").lower().split())
    unit = m.group("unit").lower()
    if unit not in WEEKDAYS and m.group("unit")[0].isupper() and not m.group("unit").isupper():
        return None  # a title: ABC's "This Week"
    the = (m.group("the") or "").strip().lower()
    mod = _mod_of(m.group("mod"))
    part = m.group("part")
    if rel == "recent" and unit != "period":
        return None
    if rel in ("that", "same") or (the and rel in ("next", "following", "previous", "prior", "preceding",
                                                  "very next")):
        anchored = True
    else:
        anchored = False
    if rel == "that" and the:
        return None

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        base = ctx.base
        anchor_text = "dct"
        ref = base
        ref_prec = "day"
        if anchored:
            prev = None
            if rel in ("that", "same") and unit in ("week", "month", "quarter", "year"):
                prev = ctx.last((unit,), window=8)  # "that quarter": the quarter last mentioned
            elif unit in ("day", "morning", "afternoon", "evening", "night"):
                # "later that week ... that evening": the day last mentioned, not the week
                latest = ctx.last(("day", "week", "month", "quarter", "year"))
                if latest is not None and latest[2] == "week":
                    prev = ctx.last(("day",), window=4)
                elif latest is not None and latest[2] == "year":
                    # a year is background ("champions in 1980 and 1994, had thrashed Mali earlier the
                    # same day"): the day the narrative is on
                    prev = ctx.last(("day",), window=6)
            elif unit == "week":
                latest = ctx.last(("day", "week", "month", "quarter", "year"))
                if latest is not None and latest[2] == "year":  # "the jet, built in 2001, ... the previous week"
                    prev = ctx.last(("day", "week"), window=6)
            prev = prev or ctx.last(("day", "week", "month", "quarter", "year"))
            if prev is not None:
                rng = value_range(prev[0])
                if rng:
                    ref, ref_prec = rng[0], rng[2]
                    anchor_text = prev[1]
        # weekday
        if unit in WEEKDAYS:
            wd = WEEKDAYS[unit]
            if rel in ("last", "past", "previous", "prior", "preceding", "this past", "most recent"):
                diff = (ref.isoweekday() - wd) % 7 or 7
                d = ref - timedelta(days=diff)
            elif rel in ("next", "coming", "following", "upcoming", "this coming", "very next"):
                diff = (wd - ref.isoweekday()) % 7 or 7
                d = ref + timedelta(days=diff)
            elif rel == "this" and anchor_text == "dct":
                # "this Sunday": within six days of the DCT, on the side of the tense: the coming one
                # for a present or future verb, the one just gone in a past context ("This Sunday we
                # celebrate...," he said on Sunday: in a Monday paper, the day before)
                if ctx.direction(s, e, default="none") == "past":
                    d = ref - timedelta(days=(ref.isoweekday() - wd) % 7)
                else:
                    d = ref + timedelta(days=(wd - ref.isoweekday()) % 7)
            else:  # same / that: the one in the anchor's week
                d = ref + timedelta(days=wd - ref.isoweekday())
            tp = DAY_PARTS.get(part.lower()) if part else None
            v = d.isoformat() + (f"T{tp}" if tp else "")
            return _Res("TIME" if tp else "DATE", v, "weekday-relative", _rel_direction(d.isoformat(), ctx.dct),
                        anchor_text, mod, anchor_text == "dct")
        if unit == "period":
            if rel not in ("latest", "same", "current", "recent", "most recent", "previous", "prior"):
                return None
            prev = ctx.last(("quarter", "month", "year"), window=6)
            if prev is None:
                return None
            v = prev[0]
            if rel in ("previous", "prior"):
                v = _shift_value(v, -1, prev[2]) or v
            return _Res("DATE", v, "period-anaphor", _rel_direction(v, ctx.dct), prev[1], mod)
        if unit in ("morning", "afternoon", "evening", "night"):
            if rel not in ("this", "last", "that", "same", "next", "following", "previous"):
                return None
            delta = {"this": 0, "last": -1 if unit == "night" else 0, "that": 0, "same": 0}.get(rel)
            if delta is None:
                delta = 1 if rel in ("next", "following") else -1
            if rel == "last" and unit != "night":
                return None
            d = ref + timedelta(days=delta)
            v = f"{d.isoformat()}T{DAY_PARTS[unit]}"
            return _Res("TIME", v, "daypart-relative", _rel_direction(d.isoformat(), ctx.dct), anchor_text,
                        mod, anchor_text == "dct")
        gran = "weekend" if unit == "weekend" else unit
        if rel in ("this", "current", "same", "that"):
            n = 0
        elif rel in ("last", "past", "previous", "prior", "preceding", "this past", "most recent"):
            n = -1
        elif rel == "latest":
            n = -1 if gran in ("quarter", "year") else 0
        else:
            n = 1
        if anchored and anchor_text != "dct":
            # "the next day" after a month-level anchor cannot be resolved to a day
            order = ["day", "week", "month", "quarter", "year"]
            if ref_prec in order and gran in order and order.index(ref_prec) > order.index(gran):
                return None
        if gran == "decade" and rel in ("past", "last", "next", "coming") and the:
            return _Res("DURATION", "P10Y", "duration-decade", "none", "dct", mod)
        v = _unit_value(ref, n, gran)
        if v is None:
            return None
        rule = "relative-anchored" if anchor_text != "dct" else "relative-dct"
        return _Res("DATE", v, rule, _rel_direction(v, ctx.dct), anchor_text, mod, anchor_text == "dct")

    return res


# "the day before", "the year after" as an adverb (the clause goes on without a noun after it):
# one unit from the narrative's last date. Before a noun ("the day before the vote") the day is that
# of an event, which this engine does not date.
_UNIT_BEFORE = re.compile(
    WORD_START + r"the\s+(?P<unit>day|night|week|month|year)\s+(?P<ba>before|after)(?:\s+that)?"
    r"(?=\s*(?:[.,;:!?)'\"”’]|$)|\s+(?:and|but|when|while|as|in|at|on|with|from|he|she|they|it|we)\b)",
    _FLAGS,
)


def _parse_unit_before(m: re.Match[str], text: str) -> Resolver | None:
    unit = m.group("unit").lower()
    before = m.group("ba").lower() == "before"
    if unit != "night":
        return _resolve_offset(1, unit, unit, "earlier" if before else "later", -1 if before else 1, None, False)
    day = _resolve_offset(1, "day", "day", "earlier" if before else "later", -1 if before else 1, None, False)

    def res_night(ctx: _Ctx, s: int, e: int) -> _Res | None:
        r = day(ctx, s, e)  # "the probe landed the night before": that day's night
        return None if r is None or r.type != "DATE" else replace(r, type="TIME", value=r.value + "TNI")

    return res_night


_WEEKEND = re.compile(r"(?<![A-Za-z])(?:the|this|that)\s+weekend(?![A-Za-z-])", _FLAGS)


def _parse_weekend(m: re.Match[str], text: str) -> Resolver | None:
    det = m.group(0).split()[0].lower()
    if det != "the":
        return None  # "this weekend" is the relative rule's

    def res(ctx: _Ctx, s: int, e: int) -> _Res:
        base = ctx.base
        # ("due to fly to Brussels on Friday evening to meet officials over the weekend")
        direction = ctx.day_direction(s, e)
        wd = base.isoweekday()
        if wd == 5 and ctx.direction(s, e, default="none") == "none" and direction == "past" and (
            ctx.last_weekday is None or ctx.last_weekday[0] < ctx.sentence(s, e)[0]
        ):
            direction = "future"  # on a Friday, "the weekend" with no cue is the one starting tomorrow
        if direction == "future":
            d = base if wd <= 5 else base + timedelta(days=7)  # the coming Saturday's week
        else:
            d = base if wd >= 6 else base - timedelta(days=7)  # the weekend just gone
        v = _fmt_week(d) + "-WE"
        return _Res("DATE", v, "weekend", direction, "dct", None, True)

    return res


_WEEKDAY = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<wd>{WEEKDAY_WORD_RE})(?P<pl>s)?(?![A-Za-z])"
    rf"(?P<poss>(?=['’]s))?(?:\s+(?P<part>morning|afternoon|evening|night)(?P<ppl>s)?(?![A-Za-z]))?" + ")",
    _FLAGS,
)


def _parse_weekday(m: re.Match[str], text: str) -> Resolver | None:
    wd_s = m.group("wd")
    wd = WEEKDAYS[wd_s.lower()]
    prev = _prev_word(text, m.start())
    after = text[m.end() : m.end() + 30]
    if prev in NAMED_DAY_PREFIX and not m.group("mod"):
        return None
    nm = re.match(r"\s+([A-Z][a-z]+)", after)
    if nm and nm.group(1).lower() in NEWSPAPER_NOUNS and not m.group("part"):
        return None
    if prev == "the" and nm and not m.group("part"):
        return None
    if re.search(r"\b[Tt]he\s+(?:Mail|Independent|Observer|Herald|Telegraph|Post|Times|Express|Star|Mirror)\s+on\s+$",
                 text[max(0, m.start() - 30) : m.start()]):
        return None  # "The Mail on Sunday": a newspaper
    part = m.group("part")
    tp = DAY_PARTS[part.lower()] if part else None
    mod = _mod_of(m.group("mod"))
    # "early Tuesday" is one expression (mod START); "earlier"/"later" are adverbs of the clause
    cut = m.start() if (m.group("mod") or "").lower() in ("early", "late") else m.start("wd")
    if m.group("pl") or m.group("ppl"):
        v = f"XXXX-WXX-{wd}" + (f"T{tp}" if tp else "")
        return _fixed("set-weekday", "SET", v)
    if prev in ("every", "each"):
        return None

    def res(ctx: _Ctx, s: int, e: int) -> _Res:
        base = ctx.base
        direction = ctx.day_direction(s, e)
        ctx.last_weekday = (e, direction)
        if direction == "future":
            # the DCT's own weekday is the DCT itself either way (news names days within a week of
            # the dateline, "next Sunday" is the one a week ahead)
            d = base + timedelta(days=(wd - base.isoweekday()) % 7)
        else:
            d = base - timedelta(days=(base.isoweekday() - wd) % 7)
        v = d.isoformat() + (f"T{tp}" if tp else "")
        return _Res("TIME" if tp else "DATE", v, "weekday-" + direction, direction, "dct", mod, True)

    return _start(res, cut)


# --- clock times -----------------------------------------------------------------------------

_TIME = re.compile(
    WORD_START + "(?:" +
    rf"(?:(?P<approx>about|around|approximately|shortly\s+(?:before|after)|just\s+(?:before|after))"
    rf"\s+)?(?:(?P<wd0>{WEEKDAY_FULL_RE}|today|yesterday|tomorrow)(?:,)?\s+(?:at\s+)?)?"
    rf"(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?-i:a\.m\.?|p\.m\.?|am\b|pm\b|AM\b|PM\b|A\.M\.?"
    rf"|P\.M\.?)|o['’]clock)|(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?=\s*(?:GMT|UTC|local|hours|hrs|h\b))"
    rf"|(?P<mil>(?:[01]\d|2[0-3])[0-5]\d)(?:(?P<milh>\s+(?:hours|hrs))\b|(?=\s*(?-i:GMT|UTC|local\s+time)\b))"
    rf"|(?:(?<=\bat\s)|(?<=\bby\s)|(?<=\bfrom\s)|(?<=\buntil\s)|(?<=\bbefore\s)|(?<=\bafter\s))"
    rf"(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:.,]\d|\s*[ap]\.?m)"
    rf"|(?<![\d.,$£€])(?P<h3>[1-9]|1[0-2])(?=\s+(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight"
    rf"|this\s+(?:morning|afternoon|evening))"
    rf"(?:\s*(?:[,.;:!?)'\"”’(]|$)|\s+(?:on|and|when|as|local|at|in|to|the|that|he|she|they|we|I|(?-i:[A-Z]))\b))"
    rf"|(?P<named>noon|midnight|midday|mid-day))"
    rf"(?:\s+(?P<tz>(?-i:[ECMP][SD]?T|GMT|UTC|local\s+time|(?:Pacific|Eastern|Central|Mountain|Atlantic)\s+time"
    rf"|WAT|CAT|EAT|CET|CEST|BST|MSK|JST|HKT))(?![A-Za-z]))?"
    rf"(?:\s+(?P<part>in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight|this\s+(?:morning|afternoon|evening)))?"
    rf"(?:,?\s+(?:(?-i:on)\s+)?(?P<day>{WEEKDAY_FULL_RE}|today|yesterday|tomorrow|(?:{MONTH_RE})\s+[0-3]?\d"
    rf"(?![\d:])|[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTH_RE}))(?![A-Za-z]))?" + ")",
    _FLAGS,
)


# an evening time then "to": the span runs overnight ("from 7 p.m. to 6 a.m.")
_OVERNIGHT_FROM = re.compile(r"\b\d{1,2}(?:[:.]\d\d)?\s*p\.?m\.?\s+(?:to|until|till|and)\s+$", re.I)
_DAY_AFTER_ASIDE = re.compile(
    rf"\s*\([^()\n]{{1,30}}\)\s*,?\s*(?:on\s+)?({WEEKDAY_FULL_RE}|today|yesterday|tomorrow)(?![A-Za-z])", re.I
)


def _parse_time(m: re.Match[str], text: str) -> Resolver | None:
    named = m.group("named")
    if m.group("mil"):
        if m.group("milh") and _prev_word(text, m.start()) not in ("at", "by", "from", "until", "before", "after"):
            return None  # "lasted 1400 hours" is a duration; "at 1400 hours" the time
    if named and _prev_word(text, m.start()) == "high":
        return None
    if named:
        hh, mi = (0, 0) if named.lower() == "midnight" else (12, 0)
    else:
        mil = m.group("mil")  # "1912 GMT": a 24-hour clock written without its colon
        hh = int(mil[:2] if mil else m.group("h") or m.group("hh") or m.group("h24") or m.group("h3"))
        mi = int(mil[2:] if mil else m.group("mi") or m.group("mm") or m.group("m24") or 0)
        ap = (m.group("ap") or "").lower()
        if ap.startswith("p") and hh < 12:
            hh += 12
        elif ap.startswith("a") and hh == 12:
            hh = 0
        part = (m.group("part") or "").lower()
        if ("afternoon" in part or "evening" in part or "night" in part) and hh < 12:
            hh += 12
    day_s = m.group("day") or m.group("wd0")
    if not day_s:  # "at 8:12 p.m. local time (1912 GMT) on Wednesday": the day after an aside
        later = _DAY_AFTER_ASIDE.match(text, m.end())
        day_s = later.group(1) if later else None
    mod = "APPROX" if m.group("approx") and m.group("approx").lower().startswith(("about", "around", "at",
                                                                                  "approx")) else None

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        base = ctx.base
        anchor = "dct"
        d: date | None = None
        if day_s:
            k = day_s.lower()
            if k in ("today", "yesterday", "tomorrow"):
                d = base + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[k])
            elif k in WEEKDAYS:
                # "Sunday at 7 a.m.": the day's own direction, as the day alone gets it
                wd_at = (m.start("wd0"), m.end("wd0")) if m.group("wd0") else (s, e)
                direction = ctx.direction(*wd_at, default="past")
                wd = WEEKDAYS[k]
                if direction == "future":
                    d = base + timedelta(days=(wd - base.isoweekday()) % 7)
                else:
                    d = base - timedelta(days=(base.isoweekday() - wd) % 7)
            else:
                mm = re.match(rf"({MONTH_RE})\s+(\d+)", day_s, re.I)
                dm = re.match(rf"(\d+)(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})", day_s, re.I)
                mon_day = (mm.group(1), mm.group(2)) if mm else (dm.group(2), dm.group(1)) if dm else None
                if mon_day:  # "midnight on 28 March", "at about 2 a.m. on Aug. 12": the nearest such day
                    cands = _days_around(base, _month_of(mon_day[0]), int(mon_day[1]))
                    d = _nearest_day(cands, base) if cands else None
        if d is None and m.group("part") and m.group("part").lower().startswith(("this", "tonight")):
            d = base  # "since 4 o'clock this morning", "at 7 tonight"
        if d is None:  # "around 5am", "shortly before midnight": on the day the narrative is on
            d, anchor = ctx.narrative_day(base, ctx.narrative_direction(s, e))
            if hh < 12 and _OVERNIGHT_FROM.search(text, max(0, s - 30), s):
                d += timedelta(days=1)  # "a curfew from 7 p.m. to 6 a.m.": the morning after
        hour = 24 if named and named.lower() == "midnight" and day_s else hh  # "midnight Friday": its end
        v = f"{d.isoformat()}T{hour:02d}:{mi:02d}"
        return _Res("TIME", v, "clock-time", _rel_direction(d.isoformat(), ctx.dct), anchor, mod,
                    anchor == "dct")

    # a time joined to its day by a preposition is two expressions, the time's value holding the
    # day ("at 2:50 p.m. on Monday", "Thursday at 9 a.m."); without one it is one ("10 p.m. Wednesday")
    if m.group("day"):
        on = re.search(r",?\s+on\s+$", text[m.start() : m.start("day")], re.I)
        if on:
            return _cut(res, m.start() + on.start())
    if m.group("wd0"):
        at = re.match(r",?\s+at\s+", text[m.end("wd0") : m.end("wd0") + 8], re.I)
        if at:
            return _start(res, m.end("wd0") + at.end())
    return res


_DAYPART = re.compile(
    WORD_START + "(?:" +
    r"(?:(?P<the0>the\s+)?(?P<mod>early|late|mid)[\s-]+)?(?P<the>(?:this|last|the|that)\s+)?(?P<p>(?-i:morning|afternoon"
    r"|evening|overnight|midday|mid-afternoon|mid-morning|night))(?![A-Za-z])"
    r"(?:\s+(?P<y>yesterday))?" + ")",
    _FLAGS,
)


_MARKET_SESSION = re.compile(r"\s+(?:trading|trade|dealings|deals|session)\b")


def _parse_daypart(m: re.Match[str], text: str) -> Resolver | None:
    p = m.group("p").lower()
    the = (m.group("the") or m.group("the0") or "").strip().lower()
    y = m.group("y")
    if m.group("the0") and m.group("the"):
        return None
    if p != "overnight" and not the and not y and not m.group("mod") and not (
        p in ("morning", "afternoon", "evening") and _MARKET_SESSION.match(text, m.end())
        and _prev_word(text, m.start()) == "in"
    ):
        return None  # (but "in afternoon trading" is that part of the day)
    if the == "the" and p not in ("morning", "afternoon", "evening") and not (
        p == "night" and _prev_word(text, m.start()) in ("into", "during", "through", "throughout")
    ):
        return None  # ("late into the night" is that night)
    if the == "last" and p != "night":
        return None
    if the == "the" and re.match(rf"\s+of\s+(?:{WEEKDAY_WORD_RE}|{MONTH_RE}|\d)", text[m.end() : m.end() + 14], re.I):
        return None  # "by the morning of May 12": the date alone is the timex, as TimeBank tags "the night of"
    if the == "the" and not re.match(r"\s*[,.;]", text[m.end() : m.end() + 3]):
        prev = _prev_word(text, m.start())
        if prev not in ("in", "during", "by", "until", "since", "through", "throughout", "into"):
            return None
    key = p.replace("mid-", "").replace("mid", "") if p not in ("midday",) else "midday"
    tp = DAY_PARTS.get(key, "MO" if "morning" in p else "AF")
    if p == "overnight":
        tp = "NI"
    if p in ("mid-afternoon", "mid-morning"):
        tp = "AF" if "after" in p else "MO"

    def res(ctx: _Ctx, s: int, e: int) -> _Res:
        base = ctx.base
        anchor = "dct"
        d = base
        if y or the == "last":
            d = base - timedelta(days=1)
        elif the != "this":
            # "in the early afternoon", "that night", "overnight": a part of the day the narrative is on
            d, anchor = ctx.narrative_day(d, ctx.narrative_direction(s, e))
        v = f"{d.isoformat()}T{tp}"
        return _Res("TIME", v, "daypart", _rel_direction(d.isoformat(), ctx.dct), anchor, None,
                    anchor == "dct")

    return res


# --- durations and offsets -------------------------------------------------------------------

_DURATION = re.compile(
    rf"(?<![A-Za-z0-9'’-])(?:(?P<approx>{APPROX_RE})\s+"
    rf"(?!the\b|past\b|last\b|next\b|recent\b|several\b|many\b|some\b|few\b|a\s+few\b|coming\b))?"
    rf"(?:(?P<the>the|a|each\s+of\s+the|all)\s+)?"
    rf"(?:(?P<rel>past|last|next|previous|coming|first|final|latest|following|preceding|remaining|initial"
    rf"|additional|another|further|other|nearly|recent|same|year-earlier|year-ago|ensuing|intervening)\s+)?"
    rf"(?P<num>{NUM_RE})(?:(?:\s+(?:to|or)\s+|\s*-\s*)(?P<num2>{NUM_RE}))?"
    rf"(?P<sep>[\s-]+){UNIT_MID}(?P<unit>{UNIT_RE})(?P<pl>s)?(?![A-Za-z])(?P<hyph>-(?:long|old))?"
    rf"(?P<half>\s+and\s+a\s+half)?(?P<mins>(?:(?<=hour)|(?<=hours))\s+and\s+(?P<mn>[1-5]?\d)\s+minutes?(?![A-Za-z]))?"
    rf"(?P<orso>\s+or\s+so(?=\s+(?:ago|earlier|later|before|after|back)\b))?"
    rf"(?:(?P<tail>\s+(?:ago|earlier|later|before|after|hence|from\s+now|previously|back|on)(?![A-Za-z])))?",
    _FLAGS,
)


# "by (about) a quarter", "fell a quarter": a share, not three months
_FRACTION_BEFORE = re.compile(
    r"\b(?:by|cut|fell|rose|dropped|grew)\s+(?:(?:about|nearly|almost|roughly|some|around|over|more\s+than"
    r"|less\s+than)\s+)?$"
)


def _parse_duration(m: re.Match[str], text: str) -> Resolver | None:
    num_s = m.group("num")
    unit = m.group("unit").lower()
    pl = bool(m.group("pl"))
    n = _num_value(num_s)
    nl = num_s.lower()
    rel = (m.group("rel") or "").lower()
    the = (m.group("the") or "").lower()
    tail = (m.group("tail") or "").strip().lower()
    sep = m.group("sep")
    approx = (m.group("approx") or "").lower()
    # counts without units are not durations; "the two days" needs the article
    if nl in ("a", "an") and pl:
        return None
    if nl in ("some", "many") and not pl:
        return None
    if nl == "some" and unit in ("day", "time"):
        return None
    if n is not None and n != 1 and not pl and "-" not in sep and unit != "century" and not nl.startswith("half"):
        # "two year" without hyphen is rare English; allow "five year plan" style only with hyphen
        if not re.match(r"\s+[a-z]", text[m.end() : m.end() + 3]):
            return None
    if unit == "night" and nl not in ("a", "an", "one") and not pl:
        return None
    if (m.group("hyph") or "").lower() == "-old" or re.match(r"\s+old\b", text[m.end() : m.end() + 5]):
        return None  # ages ("a 6-year-old", "52 years old") are not times
    if m.group("unit")[0].isupper() and not m.group(0).isupper():
        return None  # "Sandra Day O'Connor", "60 Minutes"
    if unit == "second" and nl in ("a", "an", "one") and not re.match(
        r"\s*(?:[,.;)]|or\b|and\b|later\b|earlier\b|after\b|before\b|ago\b)", text[m.end() : m.end() + 8]
    ):
        return None  # "a second group"
    if unit == "quarter" and re.match(r"s?\s+of\s+(?!fiscal|the\s+(?:fiscal\s+)?year|\d{4}|this|last|next)",
                                      text[m.end("unit") : m.end("unit") + 30]):
        return None  # a fraction: "three-quarters of its food", "more than a quarter of the market"
    if unit == "quarter" and _FRACTION_BEFORE.search(text, max(0, m.start() - 30), m.start()):
        return None  # "cut output by about a quarter": a fraction
    if the == "the" and not rel and nl in ("a", "an"):
        return None
    if nl in ("a", "an") and re.search(r"\bfractions?\s+of\s+$", text[max(0, m.start() - 20) : m.start()], re.I):
        return None  # "a fraction of a second" is no measured time
    if nl in ("a", "an", "one") and unit == "day" and not tail and not approx and not rel:
        # "one day" in "one day he will ..." is vague; keep "a day" only when it measures something
        # ("One day, he ...": with a comma only when it opens the sentence; "lasted one day, he said")
        comma = r",?" if num_s[:1] == "O" else ""
        if nl == "one" and re.match(comma + r"\s+(?:he|she|they|we|i|it|the|a|in|soon|you)\b",
                                   text[m.end() : m.end() + 8], re.I):
            return None
        if nl == "one" and not m.group("the"):
            before = _prev_word(text, m.start())
            if before in SOMEDAY_BEFORE and re.match(r"\s+[a-z]+", text[m.end() : m.end() + 4]):
                return _fixed("future-ref-someday", "DATE", "FUTURE_REF")  # "will one day be": someday
            if before in SUBJECT_PRONOUNS and re.match(r"\s+[a-z]+", text[m.end() : m.end() + 4]):
                return None  # "the hope he one day follows": someday, of no time the text fixes
    mod = _mod_of(approx) if approx else None
    cut = m.start()
    if rel == "last" and not the and _prev_word(text, m.start()) in _MODAL_BEFORE_VERB:
        cut = m.start("num")  # "talks are expected to last three days": the verb "last" is not the timex
    if rel == "following" and not the:
        cut = m.start("num")  # "finished 1-1 following 120 minutes": the preposition, not "the following"
    if approx in ("only", "just", "about", "around", "roughly", "approximately", "some", "a full"):
        cut = m.start("num") if not m.group("the") else m.start("the")  # approximators stay outside
    elif approx == "over" and _prev_word(text, m.start()) not in _OVER_AS_MORE_THAN:
        # "will pay the money over nine years", "voting took place over four days": the preposition
        # "over" (outside the timex), not "more than" ("for over three years")
        cut, mod = (m.start("num") if not m.group("the") else m.start("the")), None
    quantity_a = nl.startswith(("couple", "few", "dozen", "hundred", "number"))
    if m.group("the") and not rel and not quantity_a and (the == "a" and nl not in ("a", "an") or "-" in sep):
        cut = m.start("num")  # "a 16-hour", "the 14-day": the article is not part of the timex
    if (m.group("hyph") or "").lower() == "-long" and nl in ("a", "an") and not rel and not approx:
        cut = m.start("unit")  # "an hour-long speech": the article is the speech's, as in "a 16-hour curfew"
    if m.group("half"):
        n = (n or 0) + 0.5
    num2 = m.group("num2")
    unit_key = unit if unit != "centurie" else "century"
    gran = UNITS[unit_key][2]
    is_time_unit = unit_key in ("hour", "minute", "second")
    # a range ("two to three weeks") is written with its lower bound, as TimeML corpora annotate it
    dur_value = _duration_value(n, unit_key)
    if m.group("mins") and unit_key == "hour" and n is not None and n == int(n) and not num2:
        dur_value = f"PT{int(n)}H{int(m.group('mn'))}M"  # "four hours and 42 minutes": one duration
    if the == "each of the":
        # "in each of the past three years": the whole phrase, the duration it spans (as TimeBank)
        return _fixed("duration-each", "DURATION", dur_value, mod)
    if nl in ("a", "an") and not pl and tail in ("", "on") and not rel and not approx and re.search(
        r"(?:\d|million|billion|percent|%|times|once|twice|dollars|cents)\s*$"
        r"|(?:\d|\b(?i:two|three|four|five|six|seven|eight|nine|ten|twelve|dozen|hundred|thousand))"
        r"\s+(?:[a-z]+\s+){0,3}(?:euros|pounds|yen|yuan|rupees|francs|barrels|tons|tonnes|flights|trips|meals"
        r"|visits|sessions|doses|pills|hours|shifts|games|calls|patients|cases|deaths|people|workers|vehicles"
        r"|children|men|women|staff|cattle|sheep|fish"
        r"|trucks|[a-z]{3,}s)\)?\s*$"  # "20 typhoons and tropical storms a year", "(195 miles) an hour"
        r"|\d\s+(?:[a-z]+\s+)?[a-z]{3,}s\s+of\s+[a-z]+\s*$",  # "10,000 ounces of platinum a day"
        text[max(0, m.start() - 50) : m.start()],
    ):
        left = text[max(0, m.start() - 40) : m.start()]
        if RATE_MONEY_RE.search(left) or re.search(r"(?:times|once|twice)\s*$", left):
            return _start(_fixed("set-rate", "SET", _duration_value(1, unit_key)), cut)  # "$5 a year"
        return None  # "50,000 barrels a day", "four flights a week": a quantity's rate, left untagged

    if tail in ("earlier", "later") and is_time_unit and n is not None:
        # "an hour later": the day is all an anchor could give, so TimeML annotates the duration
        # ("an hour", PT1H) and leaves "later" outside as the signal
        return _start(_cut(_fixed("duration", "DURATION", dur_value, mod), m.start("tail")), cut)
    if tail == "before" and not num2 and re.match(r"\s*(?:[,.;:)]|$)", text[m.end() : m.end() + 2]) and (
        _prev_word(text, m.start()) in ("from", "than", "with")
    ):
        tail = "earlier"  # "roughly flat from a year before": the comparison's date, as "a year earlier"
    if tail in ("ago", "back", "earlier", "later", "hence", "from now", "previously") and not num2:
        sign = 1 if tail in ("later", "hence", "from now") else -1
        if rel:
            return None
        if cut != m.start():
            return _start(_resolve_offset(n, unit_key, gran, tail, sign, mod, is_time_unit), cut)
        return _resolve_offset(n, unit_key, gran, tail, sign, mod, is_time_unit)
    if tail in ("before", "after", "on"):
        # "two days after the vote": the duration alone is the timex
        end_cut = m.start("tail")
        return _start(_cut(_fixed("duration", "DURATION", dur_value, mod), end_cut), cut)
    return _start(_fixed("duration", "DURATION", dur_value, mod), cut)


def _resolve_offset(n: float | None, unit_key: str, gran: str, tail: str, sign: int, mod: str | None,
                    is_time_unit: bool) -> Resolver:
    """Resolver for "two years ago", "a week later", "three days earlier"."""
    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        if n is None:
            if tail in ("ago", "back", "previously"):
                return _Res("DATE", "PAST_REF", "offset-vague-ago", "past", "dct", mod)
            return _Res("DURATION", _duration_value(None, unit_key), "duration-vague", "none", "dct", mod)
        k = int(n) if n == int(n) else n
        anchor_text = "dct"
        ref_val: str | None = None
        if tail in ("earlier", "later", "previously"):
            prev = ctx.last(("day", "week", "month", "season", "quarter", "year"), window=8)
            if prev is None and ctx.latest is not None:
                # only a derived date so far ("20 years ago this month ... A decade later"): that one
                prev = ctx.latest
            if gran == "year" and k == 1:
                # a year-on-year comparison is about the reporting period, not the day it ended
                quarter = ctx.last(("quarter",), window=6)
                if quarter is not None and (prev is None or prev[2] not in ("month", "season")):
                    prev = quarter  # (but "fell in April from a year earlier" is April's)
                elif prev is not None and prev[2] == "day":
                    prev = None
            if prev is not None:
                ref_val, anchor_text = prev[0], prev[1]
        elif gran == "year" and k == 1:
            # "up from $5 million a year ago" in a report about a quarter: that quarter a year back
            prev = ctx.last(("quarter",), window=6)
            if prev is not None and _rel_direction(prev[0], ctx.dct) != "future":
                ref_val, anchor_text = prev[0], prev[1]
        if is_time_unit:
            d = ctx.base
            if ref_val:
                rng = value_range(ref_val)
                if rng:
                    d = rng[0]
            return _Res("DATE", d.isoformat(), "offset-hours", "none", anchor_text, mod, anchor_text == "dct")
        if not isinstance(k, int) and gran in ("decade", "century") and tail in ("ago", "hence", "from now"):
            years = k * UNITS[unit_key][1]  # "half a century ago": 50 years back
            if years == int(years):
                v = _unit_value(ctx.base, sign * int(years), "year")
                if v is not None:
                    return _Res("DATE", v, "offset-dct", "past" if sign < 0 else "future", "dct", mod, True,
                                derived=True)
        if not isinstance(k, int):
            months = k * 12
            if gran != "year" or months != int(months) or tail not in ("ago", "hence", "from now"):
                return _Res("DURATION", _duration_value(n, unit_key), "duration", "none", "dct", mod)
            v = _unit_value(ctx.base, sign * int(months), "month")  # "a year and a half ago"
            if v is None:
                return None
            return _Res("DATE", v, "offset-dct", "past" if sign < 0 else "future", "dct", mod, True)
        if ref_val is not None:
            # keep the anchor's own granularity for year shifts of quarters/months ("a year earlier")
            mult = int(UNITS[unit_key][1])
            if gran in ("year", "decade", "century"):
                v = _shift_value(ref_val, sign * k * mult, "year")
                if v is not None and (gran != "year" or not re.search(r"-[QH]\d", ref_val)):
                    # a shift in years is written as a year ("jobs rose in January, wages were 3% higher
                    # than a year earlier" -> the year before; "in the summer of 1961 ... a year later"
                    # -> 1962; "on Christmas Eve 1968 ... seven years earlier" -> 1961), except of a
                    # quarter or half, which keeps its own ("the third quarter ... a year earlier")
                    v = _unit_value(value_range(v)[0], 0, "year") if value_range(v) else v
            elif gran == "quarter":
                v = _shift_value(ref_val, sign * k, "quarter")
            elif gran == "month":
                v = _shift_value(ref_val, sign * k, "month")
            else:
                rng = value_range(ref_val)
                if rng is None or rng[2] != "day":
                    v = None
                else:
                    days = k * (7 if gran == "week" else 2 if gran == "weekend" else 1)
                    dd = _safe_shift(rng[0], sign * days)
                    v = dd.isoformat() if dd else None
            if v is not None:
                return _Res("DATE", v, "offset-anchored", "past" if sign < 0 else "future", anchor_text,
                            mod, derived=gran in ("year", "decade", "century"))
        base = ctx.base
        mult = int(UNITS[unit_key][1])
        if gran == "day":
            dd = _safe_shift(base, sign * k)
            v = dd.isoformat() if dd else None
        elif gran in ("week", "weekend"):
            v = _unit_value(base, sign * k, "week")
        elif gran in ("decade", "century"):
            v = _unit_value(base, sign * k * mult, "year")
        else:
            v = _unit_value(base, sign * k, gran)
        if v is None:
            return None
        return _Res("DATE", v, "offset-dct", "past" if sign < 0 else "future", "dct", mod, True,
                    derived=gran in ("year", "decade", "century"))

    return res


def _cut(res: Resolver, end: int) -> Resolver:
    """Mark a resolver whose span ends before the regex match does."""
    res.cut_end = end  # type: ignore[attr-defined]
    return res


# "in the past hour": a duration of one hour back from now (the calendar units have their own rules:
# "the past week" is the last ISO week)
# ("the last hour of the debate" is a part of something else; "at the last minute" an idiom)
_PAST_HOUR = re.compile(WORD_START + r"the\s+(?:past|last|next|coming)\s+hour(?![A-Za-z-])(?!\s+of\b)", _FLAGS)


# "20 years ago this month": the month of the DCT so many years back (one expression, AP style)
_AGO_THIS_MONTH = re.compile(WORD_START + rf"(?P<num>{NUM_RE})\s+years?\s+ago\s+this\s+month(?![A-Za-z])", _FLAGS)


def _parse_ago_this_month(m: re.Match[str], text: str) -> Resolver | None:
    n = _num_value(m.group("num"))
    if n is None or n != int(n) or not 0 < n < 1000:
        return None

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        v = _shift_value(f"{ctx.base.year:04d}-{ctx.base.month:02d}", -int(n), "year")
        return None if v is None else _Res("DATE", v, "ago-this-month", "past", "dct", None, True, derived=True)

    return res


# "after the new year" (lower case: the year, not the holiday): the coming one late in the year
_NEW_YEAR = re.compile(r"(?<![A-Za-z])(?:the\s+)?(?-i:new\s+year)(?![A-Za-z-])", _FLAGS)


def _parse_new_year(m: re.Match[str], text: str) -> Resolver | None:
    if not m.group(0).lower().startswith("the"):
        return None

    def res(ctx: _Ctx, s: int, e: int) -> _Res:
        late = ctx.base.month >= 10 and ctx.direction(s, e, default="future") != "past"
        y = ctx.base.year + (1 if late else 0)
        return _Res("DATE", f"{y:04d}", "new-year", _rel_direction(f"{y:04d}", ctx.dct), "dct", None, True)

    return res


# "For the month, the index is up 0.2 percent": the market report's own week or month
_FOR_THE_UNIT = re.compile(r"(?<=\b[Ff]or\s)the\s+(?P<unit>week|month)(?=\s*,)")


def _parse_for_the_unit(m: re.Match[str], text: str) -> Resolver | None:
    unit = m.group("unit")

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        v = _unit_value(ctx.base, 0, unit)
        return None if v is None else _Res("DATE", v, "for-the-unit", "none", "dct", None, True)

    return res


def _parse_past_hour(m: re.Match[str], text: str) -> Resolver | None:
    return _fixed("duration-hour", "DURATION", "PT1H")


_VAGUE_DURATION = re.compile(
    WORD_START + "(?:" +
    r"(?:(?P<the>the)\s+)?(?:(?P<rel>past|last|next|coming|recent|previous|first|few|several|many|ensuing"
    r"|intervening|following|remaining|early|later)\s+)?(?:(?P<adj>few|several|many)\s+)?"
    r"(?P<unit>second|minute|hour|day|week|month|quarter|year|decade|centurie)s(?![A-Za-z'’])"
    r"(?P<hy>-long|-old)?(?:\s+(?P<tail>ago|ahead|to\s+come|earlier|later))?" + ")",
    _FLAGS,
)


def _parse_vague_duration(m: re.Match[str], text: str) -> Resolver | None:
    unit = m.group("unit").lower()
    rel = (m.group("rel") or "").lower()
    adj = (m.group("adj") or "").lower()
    tail = (m.group("tail") or "").lower()
    the = m.group("the")
    prev = _prev_word(text, m.start())
    after = text[m.end() : m.end() + 12]
    if re.match(r"\s*(?:of|'|’)", after) and not tail:
        return None  # "days of talks", "years' experience"
    if rel in ("early", "later") and not the:
        return None
    unit_key = "century" if unit == "centurie" else unit
    if the and not rel and not adj:
        return _start(_parse_vague_core(unit, unit_key, rel, adj, tail, m, prev) or _never, m.start("unit"))
    if rel == "last" and not the and prev in _MODAL_BEFORE_VERB and not tail:
        # "it will last several weeks": the verb stays outside
        core = _parse_vague_core(unit, unit_key, "", adj, tail, m, "last")
        return _start(core, m.start("adj") if adj else m.start("unit")) if core is not None else None
    res = _parse_vague_core(unit, unit_key, rel, adj, tail, m, prev)
    if res is not None and tail in ("earlier", "later"):
        return _cut(res, m.start("tail"))  # "a few days later": the adverb stays outside
    return res



def _never(ctx: _Ctx, s: int, e: int) -> None:
    return None


def _parse_vague_core(unit: str, unit_key: str, rel: str, adj: str, tail: str, m: re.Match[str],
                      prev: str) -> Resolver | None:
    the = m.group("the")
    if tail == "ago":
        return _fixed("past-ref-ago", "DATE", "PAST_REF")
    if rel == "recent" and not adj and unit == "year":
        return _fixed("past-ref-recent", "DATE", "PAST_REF")
    if rel in ("coming", "next") and not adj and unit in ("month", "year") and the:
        return _fixed("future-ref", "DATE", "FUTURE_REF")
    if rel == "coming" and not adj and not the and unit in ("month", "quarter", "year"):
        return _fixed("future-ref", "DATE", "FUTURE_REF")  # "in coming months", like "in the future"
    if rel == "past" and not adj and not the and unit in ("year", "decade"):
        return _fixed("past-ref", "DATE", "PAST_REF")  # "in past years", like "in recent years"
    after_word = re.match(r"\s+(after|before|away)\b", m.string[m.end() : m.end() + 10])
    if not (rel or adj or tail or m.group("hy")) and not (
        after_word and unit not in ("second", "quarter") and prev != "of"  # ("a matter of days before")
    ):
        # ("hours after the blast", "still years away": a measured stretch, however vague)
        if prev not in ("for", "within", "in", "over", "after", "took", "take", "takes", "taking", "lasted",
                        "spent", "spend", "lasting", "last", "since", "than", "waited", "wait", "waiting",
                        "waits", "spending"):
            return None
        if prev == "in" and unit not in ("week", "day", "month", "year", "decade"):
            return None
    return _fixed("duration-vague", "DURATION", _duration_value(None, unit_key))


# --- financial and anaphoric phrases ---------------------------------------------------------

_ANAPHOR = re.compile(
    WORD_START + "(?:" +
    r"(?:(?P<the>the|its|that|a)\s+)?(?:(?P<pre>comparable|corresponding|same|latest|current|most\s+recent)\s+)?"
    r"(?P<kw>year-ago|year-earlier|year\s+ago|year\s+earlier)(?:\s+(?P<n>quarter|period|level|levels|month|"
    r"week|nine\s+months|six\s+months))?(?![A-Za-z])"
    r"|(?P<the2>the)\s+(?P<adj2>latest|current|comparable|corresponding|same|fiscal|full|entire|whole|most\s+recent|"
    r"fiscal-first|just-ended|just-completed|recent)?\s*(?P<n2>(?:fiscal\s+)?quarter|period|(?:fiscal\s+)?year)"
    r"(?P<ago>\s+(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year(?!['’])))?(?![A-Za-z-])"
    r"|(?P<lyq>last\s+year['’]s\s+(?:(?P<lyo>first|second|third|fourth)[\s-]+)?(?:quarter|period))(?![A-Za-z-])"
    r"|(?P<ye>year[\s-]end|year['’]s\s+end|(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+the\s+"
    r"(?:year|month|week|quarter))"
    r"(?![A-Za-z])" + ")",
    _FLAGS,
)


def _parse_anaphor(m: re.Match[str], text: str) -> Resolver | None:
    after = text[m.end() : m.end() + 20]
    if m.group("lyq"):
        ordinal = ORDINALS.get((m.group("lyo") or "").lower())

        def res_lyq(ctx: _Ctx, s: int, e: int) -> _Res | None:
            # "last year's quarter": the quarter under discussion (or the named one), a year back
            if ordinal:
                v = f"{ctx.base.year - 1:04d}-Q{ordinal}"
                return _Res("DATE", v, "last-years-quarter", "past", "dct", None, True, True)
            prev = ctx.last(("quarter",), window=12)
            q = prev[0] if prev is not None else _unit_value(ctx.base, -1, "quarter")
            v = _shift_value(q, -1, "year") if q else None
            if v is None:
                return None
            return _Res("DATE", v, "last-years-quarter", "past", prev[1] if prev else "dct", None, prev is None, True)

        return res_lyq
    if m.group("ye"):
        kw = m.group("ye").lower()

        def res_end(ctx: _Ctx, s: int, e: int) -> _Res | None:
            base = ctx.base
            if "month" in kw:
                v = _unit_value(base, 0, "month")
            elif "week" in kw:
                v = _unit_value(base, 0, "week")
            elif "quarter" in kw:
                v = _unit_value(base, 0, "quarter")
            else:
                v = f"{base.year:04d}"
            if v is None:
                return None
            mod = "START" if ("start" in kw or "beginning" in kw) else "MID" if "middle" in kw else "END"
            return _Res("DATE", v, "part-of-unit", _rel_direction(v, ctx.dct), "dct", mod, True)

        return res_end
    if m.group("kw"):
        noun = (m.group("n") or "").lower()
        if not noun and m.group("the"):
            return _start(_parse_anaphor_kw(noun), m.start("kw"))
        return _parse_anaphor_kw(noun)
    return _parse_anaphor_rest(m, text, after)


def _parse_anaphor_kw(noun: str) -> Resolver:
    if noun.startswith(("nine", "six")):
        return _fixed("duration", "DURATION", "P9M" if noun.startswith("nine") else "P6M")

    def res_ago(ctx: _Ctx, s: int, e: int) -> _Res | None:
        prev = ctx.last(("quarter", "month", "year", "day"), window=10)
        if prev is not None and prev[2] == "day":
            # the day a reporting period ended stands for that period ("the third quarter ... the three
            # months ended Sept. 30 ... in the year-ago period")
            prev = ctx.last(("quarter",), window=10) or prev
        if prev is not None and prev[2] in ("quarter", "month") and _rel_direction(prev[0], ctx.dct) != "future":
            v = _shift_value(prev[0], -1, "year")
            if v:
                return _Res("DATE", v, "year-ago-anchored", "past", prev[1], derived=True)
        if noun in ("quarter",):
            q = _unit_value(ctx.base, -1, "quarter")
            v = _shift_value(q, -1, "year") if q else None
            if v:
                return _Res("DATE", v, "year-ago-quarter", "past", "dct", None, True, derived=True)
        v = f"{ctx.base.year - 1:04d}"
        return _Res("DATE", v, "year-ago", "past", "dct", None, True, derived=True)

    return res_ago


# what may follow "the year" when it names a year rather than the current one ("the year 2000",
# "the year of the dragon")
_YEAR_NAMED = re.compile(r"\s+(?:two|nineteen|eighteen|twenty|of\s+the)\b|\s+(?:of\s+)?\d")


def _parse_anaphor_rest(m: re.Match[str], text: str, after: str) -> Resolver | None:
    noun = " ".join((m.group("n2") or "").lower().split())
    adj = " ".join((m.group("adj2") or "").lower().split())
    ago = bool(m.group("ago"))
    if "year" in noun:
        if adj in ("", "recent", "same") and not ago:
            if adj == "" and not re.match(_YEAR_NAMED, after):
                if re.match(r"\s+(?:ended|ending|to\s+(?:date|\w+\.?\s+\d+))\b", after):
                    return _fixed("duration-the-year", "DURATION", "P1Y")  # a reporting period
                if "fiscal" in noun:
                    return _fixed("duration-fiscal-year", "DURATION", "P1Y")

                def res_this_year(ctx: _Ctx, s: int, e: int) -> _Res:
                    # "for the year", "earlier in the year": the year under discussion (the DCT's)
                    return _Res("DATE", f"{ctx.base.year:04d}", "the-year", "none", "dct", None, True)

                return res_this_year
            return None
        if adj == "fiscal" or (adj == "" and "fiscal" in noun):
            return _fixed("duration-fiscal-year", "DURATION", "P1Y")

        def res_year(ctx: _Ctx, s: int, e: int) -> _Res:
            y = ctx.base.year - (1 if adj in ("latest", "most recent") or ago else 0)
            return _Res("DATE", f"{y:04d}", "year-anaphor", "none", "dct", None, True)

        return res_year
    if noun == "period" and adj in ("", "recent", "fiscal", "full", "entire", "whole"):
        return None

    def res_q(ctx: _Ctx, s: int, e: int) -> _Res | None:
        prev = ctx.last(("quarter",), window=12)
        if prev is not None and "quarter" in noun and "-H" in prev[0]:
            # "the quarter" is a quarter; a half named since ("the second half of the year") is not it
            prev = next((h for h in reversed(ctx.history[-12:]) if h[2] == "quarter" and "-Q" in h[0]), None)
        cur_q = _unit_value(ctx.base, 0, "quarter")
        last_q = _unit_value(ctx.base, -1, "quarter")
        if adj in ("current",):
            v = cur_q if "quarter" in noun else (prev[0] if prev else None)
            anchor = "dct"
        elif prev is not None and adj in ("", "same", "comparable", "corresponding", "fiscal", "full", "entire",
                                          "whole",
                                          "latest", "most recent", "just-ended", "just-completed",
                                          "fiscal-first"):
            v, anchor = prev[0], prev[1]
            if adj in ("latest", "most recent") and v != last_q and v != cur_q:
                v, anchor = last_q, "dct"
        else:
            if ago and prev is None:  # "the same period a year ago", nothing to compare: last year
                return _Res("DATE", f"{ctx.base.year - 1:04d}", "period-year-ago", "past", "dct", None, True, True)
            if noun == "period" and prev is None:
                return None
            v, anchor = last_q, "dct"
        if v is None:
            return None
        if ago:
            v = _shift_value(v, -1, "year") or v
        # "the same period last year" is a comparison, never the period the narrative is on
        return _Res("DATE", v, "quarter-anaphor", _rel_direction(v, ctx.dct), anchor, None, anchor == "dct",
                    derived=ago)

    return res_q


# --- REF words, sets, holidays ---------------------------------------------------------------


def _words_alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_REF = re.compile(
    rf"(?<![A-Za-z'’-])(?P<w>{_words_alt(PRESENT_REF_WORDS + PAST_REF_WORDS + FUTURE_REF_WORDS)}"
    r"|(?:the\s+)?(?:years|months|days|weeks)\s+ahead|(?:the\s+)?coming\s+(?:days|weeks))(?![A-Za-z'’-])",
    _FLAGS,
)
_REF_VALUE = {w: "PRESENT_REF" for w in PRESENT_REF_WORDS}
_REF_VALUE.update({w: "PAST_REF" for w in PAST_REF_WORDS})
_REF_VALUE.update({w: "FUTURE_REF" for w in FUTURE_REF_WORDS})


def _parse_ref(m: re.Match[str], text: str) -> Resolver | None:
    w = " ".join(m.group("w").lower().split())
    after = text[m.end() : m.end() + 25]
    prev = _prev_word(text, m.start())
    if w.endswith(("ahead",)) or w.startswith(("the coming", "coming")) and w.endswith(("days", "weeks")):
        unit = re.search(r"(year|month|day|week)s", w)
        return _fixed("duration-ahead", "DURATION", "PX" + VAGUE_UNIT_LETTER[unit.group(1)] if unit else "PXD")
    v = _REF_VALUE.get(w)
    if v is None:
        return None
    if w == "current":
        # adjective before a noun: "current account", "current president" — keep only time-ish nouns
        nm = re.match(r"\s+([a-z]+)", after)
        if not nm:
            return None
        if nm.group(1) in ("account", "accounts", "affairs", "events", "electric", "flows", "flow", "in"):
            return None
        then = re.search(r"(?<![A-Za-z])then\s+$", text[max(0, m.start() - 6) : m.start()], re.I)
        if then:  # "the then current price": current at a past time
            return _start(_fixed("past-ref", "DATE", "PAST_REF"), m.start() - len(then.group(0)))
    if w == "future":
        nm = re.match(r"\s+([a-z]+)", after)
        if prev in ("the", "a", "its", "their", "his", "her", "our", "my", "your", "whose") or not nm:
            return None
        if nm.group(1) in ("tense", "perfect", "contracts", "contract", "options", "prices"):
            return None
    if w == "recently" and prev == "most":
        return None  # "four coups, most recently in February 2010": the last of a series, dated there
    if w == "recent":
        nm = re.match(r"\s+([a-z]+)", after)
        if not nm or prev in ("most", "more", "a", "the", "its", "his", "her", "their"):
            return None  # "a recent filing" describes a thing; "in recent talks" is the time reading
    if w == "soon":
        nxt = re.match(r"\s+([a-z']+)", after)
        nxt_w = nxt.group(1) if nxt else ""
        if prev == "as" or nxt_w in ("as", "after", "afterwards", "thereafter", "before"):
            return None
        if prev not in SOON_BESIDE and nxt_w not in SOON_BESIDE:
            return None
    if w == "now" and re.match(r"\s*-?\s*defunct", after):
        return None
    if w in ("now", "currently") and (after.startswith(",") or w == "now" and re.match(r"\s+(?:for|to)\b", after)) and (
        re.search(r"(?:^|[.!?]['\"”’]*\s+|[\"“`']\s*)$", text[max(0, m.start() - 4) : m.start()])
    ):
        return None  # a sentence-opening discourse marker ("Now, he says ...", "Now for the weather"), not a time
    if w == "the moment":
        return None  # "at the moment", "for the moment": TimeML corpora leave this idiom untagged
    if w == "this time" and prev not in ("at", "by"):
        return None
    if w == "shortly" and re.match(r"\s+(?:after|before)", after):
        return None
    if w in ("the past", "the future") and re.match(r"\s+(?:\d|few|several|two|three|four|five|year|month"
                                                    r"|week|decade|day|centur|quarter|hour|generation)", after, re.I):
        return None
    if w == "the future" and re.match(r"\s+of\b", after):
        return None  # "the future of our peoples": a prospect, not a time
    if w == "the present" and re.match(r"\s+[a-z]", after):
        return None
    if w == "today's":
        return None
    rule = {"PRESENT_REF": "present-ref", "PAST_REF": "past-ref", "FUTURE_REF": "future-ref"}[v]
    return _fixed(rule, "DATE", v)


# "a yearlong inquiry", "the month-long campaign": one unit as an adjective (a count before it,
# "10-day-long", is the duration rule's)
_LONG_UNIT = re.compile(r"(?<![A-Za-z0-9-])(?P<unit>day|week|month|year|decade|hour|night)-?long(?![A-Za-z-])", _FLAGS)


def _parse_long_unit(m: re.Match[str], text: str) -> Resolver | None:
    if m.group(0)[0].isupper() and not m.group(0).isupper() and _prev_word(text, m.start()):
        return None  # a title word mid-sentence
    return _fixed("duration-long", "DURATION", _duration_value(1, m.group("unit").lower()))


_SET = re.compile(
    WORD_START + "(?:" +
    rf"(?P<adv>(?<![A-Za-z-])(?:daily|nightly|weekly|biweekly|monthly|yearly|annually|hourly"
    rf"|semiannually|biannually)(?![A-Za-z-]))"
    rf"|(?P<q>every|each|per)\s+(?:(?P<other>other)\s+)?(?:(?P<num>{NUM_RE})\s+)?"
    rf"(?P<unit>(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade)s?|"
    rf"(?P<wd>{WEEKDAY_FULL_RE})(?:\s+(?P<wdpart>morning|afternoon|evening|night))?|(?P<mon>{MONTH_RE})"
    rf"|(?P<season>spring|summer|fall|autumn|winter)|morning|afternoon|evening)(?![A-Za-z])"
    rf"|(?P<times>once|twice|three\s+times|four\s+times|\d+\s+times)\s+(?:a|an|per)\s+"
    rf"(?P<unit2>day|week|month|year|decade|hour|minute)(?![A-Za-z])" + ")",
    _FLAGS,
)


def _parse_set(m: re.Match[str], text: str) -> Resolver | None:
    if m.group("adv"):
        w = m.group("adv")
        if re.match(r"\s+[A-Z]", text[m.end() : m.end() + 3]):
            return None  # "Daily Telegraph", "the party daily Granma"
        if w.lower() in RATE_ADVERBS and _after_quantity(text, m.start()):
            return None  # "to rise 8.5% annually", "10,000 units annually": a quantity's rate
        return _fixed("set-adverb", "SET", SET_WORDS[w.lower()])
    if m.group("times"):
        unit = m.group("unit2").lower()
        letter = UNITS[unit][0]
        v = f"PT1{letter}" if unit in ("hour", "minute") else f"P1{letter}"
        if unit == "decade":
            v = "P10Y"
        # the frequency word is part of the set ("twice a week", TimeML's freq="2X")
        return _fixed("set-frequency", "SET", v)
    if m.group("wd"):
        part = m.group("wdpart")  # "every Saturday morning"
        tp = f"T{DAY_PARTS[part.lower()]}" if part else ""
        return _fixed("set-weekday", "SET", f"XXXX-WXX-{WEEKDAYS[m.group('wd').lower()]}{tp}")
    if m.group("mon"):
        return _fixed("set-month", "SET", f"XXXX-{_month_of(m.group('mon')):02d}")
    if m.group("season"):
        return _fixed("set-season", "SET", f"XXXX-{SEASONS[m.group('season').lower()]}")
    unit = m.group("unit").lower().rstrip("s")
    if unit in ("morning", "afternoon", "evening"):
        return _fixed("set-daypart", "SET", f"XXXX-XX-XXT{DAY_PARTS[unit]}")
    if m.group("q").lower() == "per" and not m.group("num") and _after_quantity(text, m.start()):
        return None  # "12.3 million barrels per day", "150 miles per hour": a quantity's rate
    n = _num_value(m.group("num")) if m.group("num") else 1
    if n is None:
        if m.group("q").lower() == "every" and m.group("num").lower() in ("few", "several", "many", "a few"):
            return _fixed("set-every", "SET", _duration_value(None, unit))  # "every few years"
        return None
    if m.group("other"):
        n *= 2
    if unit == "weekend" and n == 1 and not m.group("num"):
        return _fixed("set-weekend", "SET", "XXXX-WXX-WE")  # "every weekend": the weekends, as "every Sunday"
    return _fixed("set-every", "SET", _duration_value(n, unit))


def _start(res: Resolver, start: int) -> Resolver:
    res.cut_start = start  # type: ignore[attr-defined]
    return res


_HOLIDAY = re.compile(
    r"(?<![A-Za-z])(?:(?P<the>the)\s+)?(?P<rel>(?:last|next|this)\s+)?(?P<h>(?-i:Christmas\s+(?:Day|Eve)|Christmas|New\s+Year['’]s\s+"
    r"(?:Day|Eve)|Halloween|Valentine['’]s\s+Day|Independence\s+Day|Bastille\s+Day|Boxing\s+Day|Labor\s+Day"
    r"|Armistice\s+Day|Veterans['’]?\s+Day|Easter(?:\s+(?:Sunday|Monday|[Ww]eek))?|Good\s+Friday|Thanksgiving(?:\s+Day)?"
    r"|Palm\s+Sunday|Ash\s+Wednesday|(?:Maundy|Holy)\s+Thursday|Holy\s+Saturday|Holy\s+Week|Pentecost(?:\s+Sunday)?"
    r"|Whit\s+(?:Sunday|Monday)|Ascension\s+Day|(?:St\.?|Saint)\s+Patrick['’]s\s+Day|Fourth\s+of\s+July"
    r"|Remembrance\s+Day|Canada\s+Day|Australia\s+Day|Mother['’]s\s+Day|Father['’]s\s+Day|Presidents['’]?\s+Day|Columbus\s+Day"
    r"|Martin\s+Luther\s+King(?:\s+Jr\.?)?\s+Day"
    r"|Election\s+Day|Memorial\s+Day|election\s+day|Black\s+Friday|Cyber\s+Monday))(?![A-Za-z])(?P<wkend>\s+(?-i:weekend|holiday\s+weekend))?"
    r"(?:,?\s+(?P<y>" + YEAR_RE + "))?",
    _FLAGS,
)


def _parse_holiday(m: re.Match[str], text: str) -> Resolver | None:
    name = " ".join(m.group("h").split()).replace("’", "'")
    after = text[m.end() : m.end() + 20]
    if re.match(r"\s+(?:Island|Rising|Offensive|tree|trees|card|cards|shopping|party|parties|dinner|carol)",
                after):
        return None
    year_s = m.group("y")
    rel = (m.group("rel") or "").strip().lower()
    py = re.search(r"(?<![\d$£€.,])((?:1[0-9]|20)\d\d)['’s]*\s+(?:U\.S\.\s+|US\s+|American\s+|presidential\s+"
                   r"|midterm\s+)?$", text[max(0, m.start() - 24) : m.start()])
    if py and not year_s and not rel:  # "the 2020 election day", "the 1998 Christmas"
        year_s = py.group(1)
    us_marked = bool(year_s) or re.search(
        r"(?:\b(?:1[0-9]|20)\d\d|\bU\.?S\.?|\bUS|\bAmerican?|\bmidterm|\bpresidential)['’s]*\s+(?:[A-Za-z]+\s+)?$",
        text[max(0, m.start() - 30) : m.start()])
    if name.lower() == "election day" and m.group("h").islower() and not us_marked:
        us_only = False  # a bare "election day" is any country's polling day, not the US holiday
    else:
        us_only = True
    after_date = _FULLDATE.match(text, m.end() + len(re.match(r"\s*[,(–—-]\s*", after).group(0))) if re.match(
        r"\s*[,(–—-]\s*\S", after) else None

    weekend = bool(m.group("wkend"))

    def as_value(d: date) -> str:
        if weekend:  # "the Easter weekend"; "Labor Day weekend" is the one before the Monday
            return _fmt_week(d - timedelta(days=2) if d.isoweekday() == 1 else d) + "-WE"
        return _fmt_week(d) if name.lower() in WEEK_HOLIDAYS else d.isoformat()

    def res(ctx: _Ctx, s: int, e: int) -> _Res | None:
        # apposed to an explicit date ("on 11 April, election day", "Independence Day, Aug. 11"): that date
        before = text[max(0, s - 60) : s].rstrip()
        prev = ctx.last(("day",), window=1)
        if prev is not None and re.search(r"[,(–—-]$", before) and before[:-1].rstrip().endswith(prev[1]):
            return _Res("DATE", prev[0], "holiday-apposed", _rel_direction(prev[0], ctx.dct), prev[1])
        if after_date is not None and (after_date.group("mon") or after_date.group("mon2")):
            fn = _parse_fulldate(after_date, text)
            r = fn(ctx, after_date.start(), after_date.end()) if fn else None
            if r is not None and r.type == "DATE":
                return _Res("DATE", r.value, "holiday-apposed", r.direction, "dct", None, r.uses_dct)
        if not us_only:
            return None
        if year_s:
            d = _holiday(name, int(year_s))
            return _Res("DATE", as_value(d), "holiday", "none", "dct") if d else None
        base = ctx.base
        direction = {"last": "past", "next": "future"}.get(rel) or ctx.direction(s, e, default="none")
        cands = [h for h in (_holiday(name, base.year + k) for k in (-1, 0, 1)) if h is not None]
        if direction == "past":
            pool = [c for c in cands if c <= base] or cands
            d = max(pool)
        elif direction == "future":
            pool = [c for c in cands if c >= base] or cands
            d = min(pool)
        else:
            d = min(cands, key=lambda c: abs((c - base).days))
        return _Res("DATE", as_value(d), "holiday", _rel_direction(as_value(d), ctx.dct), "dct", None, True)

    if m.group("the") and not weekend:
        return _start(res, m.start("rel") if m.group("rel") else m.start("h"))
    return res


_UNIT_TOKENS = ("second seconds minute minutes hour hours day days night nights week weeks weekend weekends "
                "fortnight fortnights month months quarter quarters year years decade decades century "
                "centuries millennium")
_PLURAL_UNIT_TOKENS = " ".join(w for w in _UNIT_TOKENS.split() if w.endswith("s") and w != "seconds") + " seconds"
_MONTH_TOKENS = " ".join(MONTHS)
_WEEKDAY_TOKENS = " ".join(w for w in WEEKDAYS if len(w) > 5) + " " + " ".join(
    w + "s" for w in WEEKDAYS if len(w) > 5)
_SEASON_TOKENS = "spring summer fall autumn winter springs summers winters"
_NUM_HEADS = "nineteen eighteen twenty thousand"
_DAYPART_TOKENS = "morning afternoon evening night overnight midday mornings evenings nights"

# Each rule runs only in windows around its trigger tokens (lower-cased whole words; "#4" = a 4-digit
# number, "#n" = any number, "#:" = a number followed by ":" or "/"), so most of a long text is never
# scanned by most patterns. Every pattern's obligatory head word is among its triggers.
RULES: tuple[Rule, ...] = (
    Rule("date-full", _FULLDATE, _parse_fulldate, 5, _MONTH_TOKENS, (32, 24)),
    Rule("date-numeric", _NUMDATE, _parse_numdate, 5, "#4 #/"),
    Rule("date-second-day", _SECOND_DAY, _parse_second_day, 5, _MONTH_TOKENS, (8, 40)),
    Rule("date-first-day", _FIRST_DAY, _parse_first_day, 5, _MONTH_TOKENS, (24, 24)),
    Rule("year-range", _YEAR_RANGE, _parse_year_range, 2, "#4", (4, 12)),
    Rule("month", _MONTHYEAR, _parse_monthyear, 3, _MONTH_TOKENS, (40, 32)),
    Rule("year", _YEAR, _parse_year, 2, "#4 " + _NUM_HEADS, (40, 32)),
    Rule("decade", _DECADE, _parse_decade, 3, "#s twenties thirties forties fifties sixties seventies "
         "eighties nineties"),
    Rule("century", _CENTURY, _parse_century, 3, "century"),
    Rule("season", _SEASON, _parse_season, 3, _SEASON_TOKENS),
    Rule("quarter", _QUARTER, _parse_quarter, 4, "quarter quarters half q1 q2 q3 q4 h1 h2"),
    Rule("dayword", _DAYWORD, _parse_dayword, 4, "today tonight yesterday tomorrow"),
    Rule("relative", _RELUNIT, _parse_relunit, 4, "day week weekend month quarter year decade morning "
         "afternoon evening night period " + _WEEKDAY_TOKENS, (56, 20)),
    Rule("weekday", _WEEKDAY, _parse_weekday, 3, _WEEKDAY_TOKENS),
    Rule("weekend", _WEEKEND, _parse_weekend, 2, "weekend"),
    Rule("unit-before", _UNIT_BEFORE, _parse_unit_before, 3, "before after"),
    Rule("past-hour", _PAST_HOUR, _parse_past_hour, 2, "hour"),
    Rule("for-the-unit", _FOR_THE_UNIT, _parse_for_the_unit, 2, "week month"),
    Rule("ago-this-month", _AGO_THIS_MONTH, _parse_ago_this_month, 3, "ago"),
    Rule("new-year", _NEW_YEAR, _parse_new_year, 3, "new"),
    Rule("time", _TIME, _parse_time, 6,
         "m am pm noon midnight midday mid clock #: morning afternoon evening night tonight gmt utc hours hrs"),
    Rule("daypart", _DAYPART, _parse_daypart, 1, _DAYPART_TOKENS + " mid"),
    Rule("duration", _DURATION, _parse_duration, 2, _UNIT_TOKENS, (72, 28)),
    Rule("vague-duration", _VAGUE_DURATION, _parse_vague_duration, 1, _PLURAL_UNIT_TOKENS, (40, 16)),
    Rule("anaphor", _ANAPHOR, _parse_anaphor, 2, "year quarter period end start beginning middle"),
    Rule("ref", _REF, _parse_ref, 1, "now currently current presently present nowadays days recently recent "
         "past previously formerly lately ago future soon term date possible shortly months years weeks "
         "ahead moment time coming"),
    Rule("long-unit", _LONG_UNIT, _parse_long_unit, 2, "daylong weeklong monthlong yearlong hourlong long"),
    Rule("set", _SET, _parse_set, 3, "daily nightly weekly biweekly monthly quarterly yearly annually hourly "
         "semiannually biannually every each per once twice times"),
    Rule("holiday", _HOLIDAY, _parse_holiday, 4, "christmas new halloween valentine independence bastille boxing "
         "labor armistice veterans easter good thanksgiving election memorial palm ash maundy holy pentecost whit "
         "ascension patrick fourth remembrance canada australia mother father presidents "
         "columbus king black cyber"),
)
_TRIGGERS: dict[str, list[int]] = {}
for _i, _rule in enumerate(RULES):
    for _w in _rule.triggers.split():
        _TRIGGERS.setdefault(_w, []).append(_i)


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------

_TRAIL = ".,;:"


_WORD_TOKEN = re.compile(r"[a-z]+\d?")
_NUM_TOKEN = re.compile(r"\d+")


def _windows(text: str) -> list[list[tuple[int, int]]]:
    """Per rule, the merged text windows around its trigger tokens."""
    wins: list[list[tuple[int, int]]] = [[] for _ in RULES]
    n = len(text)
    get = _TRIGGERS.get
    reach = [r.reach for r in RULES]
    low = text.lower()
    if len(low) != n:  # a character whose lower case is longer: token by token, as written
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    hits: list[tuple[int, int, list[int]]] = []
    for m in _WORD_TOKEN.finditer(low):  # words (C-speed scan, one dict lookup each)
        idx = get(m.group())
        if idx:
            hits.append((m.start(), m.end(), idx))
    for m in _NUM_TOKEN.finditer(text):  # numbers: "#4" a 4-digit one, "#s" 1990s, "#:" 10:30, "#/" 5/6
        s, e = m.span()
        nxt = text[e : e + 1]
        if e - s == 4:
            hits.append((s, e, get("#4", [])))
        key = "#s" if nxt in ("s", "'", "’") else "#:" if nxt == ":" else "#/" if nxt == "/" else ""
        if key:
            hits.append((s, e, get(key, [])))
    hits.sort(key=lambda h: h[0])
    for s, e, idx in hits:
        for i in idx:
            left, right = reach[i]
            ws, we = max(0, s - left), min(n, e + right)
            w = wins[i]
            if w and ws <= w[-1][1]:
                if we > w[-1][1]:
                    w[-1] = (w[-1][0], we)
            else:
                w.append((ws, we))
    return wins


def _candidates(text: str) -> list[tuple[int, int, int, str, Resolver]]:
    out: list[tuple[int, int, int, str, Resolver]] = []
    for rule, wins in zip(RULES, _windows(text), strict=True):
        for ws, we in wins:
            pos: int | None = ws
            while pos is not None:
                restart = None
                for m in rule.pattern.finditer(text, pos, we):
                    s, e = m.span()
                    if e <= s:
                        continue
                    fn = rule.parse(m, text)
                    if fn is None:
                        restart = s + 1  # a rejected match hides none of the shorter ones inside it
                        break
                    s = getattr(fn, "cut_start", s)
                    e = getattr(fn, "cut_end", e)
                    # trim spaces/punctuation left inside the span by optional groups
                    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:-"):
                        e -= 1
                    while s < e and text[s].isspace():
                        s += 1
                    if e > s:
                        out.append((s, e, rule.priority, rule.name, fn))
                pos = restart
    return out


Candidate = tuple[int, int, int, str, Resolver]


def _select(cands: list[Candidate]) -> list[tuple[Candidate, list[Candidate]]]:
    """Longest-first, non-overlapping selection, in text order. Each kept candidate comes with the
    shorter ones it displaced from inside its span: they stand in if it fails to resolve."""
    cands.sort(key=lambda c: (-(c[1] - c[0]), -c[2], c[0]))
    taken: list[tuple[int, int]] = []  # sorted, disjoint intervals
    kept: dict[tuple[int, int], tuple[Candidate, list[Candidate]]] = {}
    for c in cands:
        s, e = c[0], c[1]
        i = bisect.bisect_left(taken, (s, e))
        clash = None
        if i > 0 and taken[i - 1][1] > s:
            clash = taken[i - 1]
        elif i < len(taken) and taken[i][0] < e:
            clash = taken[i]
        if clash is not None:
            if clash[0] <= s and e <= clash[1]:
                kept[clash][1].append(c)
            continue
        taken.insert(i, (s, e))
        kept[(s, e)] = (c, [])
    return [kept[iv] for iv in taken]


_DIGITS = re.compile(r"\d")


def tag(text: str, dct: date | None) -> list[Timex]:
    """Every TIMEX3 expression in ``text`` (sorted, non-overlapping), resolved against ``dct``."""
    if not text:
        return []
    if dct is not None and not isinstance(dct, date):
        raise TypeError("dct must be a datetime.date or None")
    if dct is not None and hasattr(dct, "date") and callable(dct.date):  # a datetime
        dct = dct.date()
    ctx = _Ctx(text, _dateline_day(text, dct))
    out: list[Timex] = []
    for best, alternatives in _select(_candidates(text)):
        out.extend(_resolve_one(ctx, best, alternatives))
    return _merge_day_phrases(text, out)


_DATELINE = re.compile(
    rf"\s*(?-i:[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*)(?:,\s*(?-i:[A-Z][A-Za-z.]+)(?:\s+(?-i:[A-Z][A-Za-z.]+))*)?,"
    rf"\s+(?:(?P<mon>{MONTH_RE})\s+(?P<day>[0-3]?\d)|(?P<day2>[0-3]?\d)\s+(?P<mon2>{MONTH_RE}))\b\.?"
    rf"(?:,?\s+(?P<year>{YEAR_RE}))?\s*(?:\([A-Za-z .]+\)\s*)?(?:[-–—_]|\s*$)",
    re.IGNORECASE | re.MULTILINE,
)


def _dateline_day(text: str, dct: date | None) -> date | None:
    """The date of a dateline opening the story ("BAMAKO, Aug 5 (Reuters) -"): the day the report was
    written, which the story's "yesterday" and weekdays count from; the DCT when there is none or it
    lies more than a week from the DCT."""
    if dct is None:
        return None
    m = _DATELINE.match(text[:160])
    if m is None:
        return dct
    month = _month_of(m.group("mon") or m.group("mon2"))
    day = int(m.group("day") or m.group("day2"))
    years = [int(m.group("year"))] if m.group("year") else [dct.year - 1, dct.year, dct.year + 1]
    cands = [d for d in (_clamp_day(y, month, day) for y in years) if d is not None and abs((d - dct).days) <= 7]
    return min(cands, key=lambda d: abs((d - dct).days)) if cands else dct


_DAY_PHRASE = re.compile(r"(?<![A-Za-z])(the\s+)?(day\s+before|day\s+after|week\s+of)\s+$", re.I)
_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _merge_day_phrases(text: str, out: list[Timex]) -> list[Timex]:
    """"the day before last Tuesday", "the week of March 6": one expression with the shifted day
    or the ISO week of the day (TimeML annotates the whole phrase)."""
    for i, t in enumerate(out):
        if t.type != "DATE" or not _DAY_VALUE.match(t.value):
            continue
        m = _DAY_PHRASE.search(text, max(0, t.start - 24), t.start)
        if m is None or (i and out[i - 1].end > m.start()):
            continue
        kind = " ".join(m.group(2).lower().split())
        try:
            d = date.fromisoformat(t.value)
            shift = timedelta(days=1 if kind == "day after" else -1)
            value = _fmt_week(d) if kind == "week of" else (d + shift).isoformat()
        except (ValueError, OverflowError):
            continue
        start = m.start()
        out[i] = Timex(start, t.end, text[start : t.end], "DATE", value, "day-phrase", t.direction, t.text, t.mod)
    return _merge_week_day(text, _merge_ago_day(text, out))


_WEEK_VALUE = re.compile(r"^(\d{4})-W(\d{2})$")
_AGO_OFFSET = re.compile(r"^(?:(a|an|one|two|three|four|five|\d+)\s+)(week|year)s?\s+ago$", re.I)


def _merge_pairs(text: str, out: list[Timex], join: Callable[[Timex, Timex], Timex | None]) -> list[Timex]:
    """Replace each pair of expressions one space apart that ``join`` makes one expression."""
    merged: list[Timex] = []
    i = 0
    while i < len(out):
        t = out[i]
        nxt = out[i + 1] if i + 1 < len(out) else None
        one = join(t, nxt) if nxt is not None and text[t.end : nxt.start] == " " else None
        if one is not None:
            merged.append(one)
            i += 2
        else:
            merged.append(t)
            i += 1
    return merged


def _merge_week_day(text: str, out: list[Timex]) -> list[Timex]:
    """"next week Wednesday" (West African and South Asian English): that weekday of that week."""

    def join(t: Timex, nxt: Timex) -> Timex | None:
        wm = _WEEK_VALUE.match(t.value)
        if not (wm and nxt.type == "DATE" and nxt.text.lower() in WEEKDAYS and t.text.lower().endswith("week")):
            return None
        try:
            day = date.fromisocalendar(int(wm.group(1)), int(wm.group(2)), WEEKDAYS[nxt.text.lower()])
        except ValueError:
            return None
        return Timex(t.start, nxt.end, text[t.start : nxt.end], "DATE", day.isoformat(), "week-day", t.direction,
                     t.anchor, None)

    return _merge_pairs(text, out, join)


def _merge_ago_day(text: str, out: list[Timex]) -> list[Timex]:
    """"a week ago Sunday", "a year ago today": one expression, that day shifted back (AP style)."""

    def join(t: Timex, nxt: Timex) -> Timex | None:
        m = _AGO_OFFSET.match(t.text)
        if not (m and nxt.type == "DATE" and _DAY_VALUE.match(nxt.value)
                and nxt.rule.startswith(("weekday-", "deictic-"))):
            return None
        n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1).lower()]
        d = date.fromisoformat(nxt.value)
        try:
            day = d - timedelta(weeks=n) if m.group(2).lower() == "week" else _clamp_day(d.year - n, d.month, d.day)
        except (ValueError, OverflowError):
            return None
        if day is None:
            return None
        return Timex(t.start, nxt.end, text[t.start : nxt.end], "DATE", day.isoformat(), "ago-day", "past", nxt.text,
                     None)

    return _merge_pairs(text, out, join)


def _resolve_one(ctx: _Ctx, best: Candidate, alternatives: list[Candidate]) -> list[Timex]:
    """Resolve a kept candidate; if it fails, the best non-overlapping candidates inside it."""
    t = _resolve(ctx, best)
    if t is not None:
        return [t]
    got: list[Timex] = []
    for c in alternatives:  # already longest-first
        if any(c[0] < g.end and g.start < c[1] for g in got):
            continue
        t = _resolve(ctx, c)
        if t is not None:
            got.append(t)
    return sorted(got, key=lambda x: x.start)


def _resolve(ctx: _Ctx, cand: Candidate) -> Timex | None:
    """Run one candidate's resolver; record it in the narrative history when it can anchor."""
    s, e, _prio, _name, fn = cand
    text, dct = ctx.text, ctx.dct
    try:
        r = fn(ctx, s, e)
    except (ValueError, OverflowError, KeyError):
        r = None
    if r is None:
        return None
    value = r.value
    if dct is None and r.uses_dct and value[:1].isdigit():
        value = _mask(value, r.rule)
    if not TIMEX3_VALUE_RE.match(value):
        return None
    if r.type in ("DATE", "TIME") and not (dct is None and r.uses_dct):
        rng = value_range(value)
        if rng is not None:
            prec = rng[2] if rng[2] != "quarter" or "Q" in value or "-H" in value else "season"
            ctx.latest = (value.split("T")[0], text[s:e], prec)
            if not r.derived:
                ctx.history.append(ctx.latest)
    return Timex(s, e, text[s:e], r.type, value, r.rule, r.direction, r.anchor, r.mod)


def _mask(value: str, rule: str = "") -> str:
    """Hide the DCT-derived digits of a value when there is no DCT ("2000-01-07" -> "XXXX-XX-XX").

    What the text itself fixes is kept: a weekday ("XXXX-WXX-5"), a month ("XXXX-03"), a month
    and day ("XXXX-07-26")."""
    head, _, tail = value.partition("T")
    part = "T" + tail if tail and not tail[:1].isdigit() else ""
    if rule.startswith("weekday-") and re.match(r"^\d{4}-\d{2}-\d{2}$", head):
        return f"XXXX-WXX-{date.fromisoformat(head).isoweekday()}" + part
    if rule.startswith(("month-bare", "month-relative", "date-month-day", "date-second-day", "season-relative",
                        "quarter-ordinal", "date-rel-year", "month-rel-year", "date-first-day")):
        return "XXXX" + head[4:] + part
    m = re.match(r"^(\d{4})(-W\d{2}(?:-WE)?|-Q[1-4]|-H[12]|-SP|-SU|-FA|-WI|-\d{2}(?:-\d{2})?)?$", head)
    if m is None:
        return "XXXX"
    rest = m.group(2) or ""
    if rest.startswith("-W"):
        rest = "-WXX" + ("-WE" if rest.endswith("-WE") else "")
    elif re.match(r"^-\d", rest):
        rest = _DIGITS.sub("X", rest)
    head = "XXXX" + rest
    if tail and not re.match(r"^\d", tail):
        return head + "T" + tail
    return head + ("T" + tail if tail and head.count("-") == 2 and "X" not in head[5:] else "")


# --------------------------------------------------------------------------------------------
# Batch contract
# --------------------------------------------------------------------------------------------


def _parse_dct(raw: object) -> date | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise ValueError(f"dct must be a string YYYY-MM-DD, got {raw!r}")
    return date.fromisoformat(raw.strip()[:10])


def run_batch(stdin: TextIO, stdout: TextIO) -> int:
    """JSONL ``{"id","dct","text"}`` in, ``{"id","timexes":[...]}`` out; 0 on success, 2 on a bad line."""
    out_lines: list[str] = []
    for n, line in enumerate(stdin, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            if not isinstance(doc, dict):
                raise ValueError("a line must be a JSON object")
            if "id" not in doc or "text" not in doc:
                raise ValueError('a line needs "id" and "text"')
            text = doc["text"]
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
            dct = _parse_dct(doc.get("dct"))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            stdout.write("".join(out_lines))
            stdout.flush()
            print(f"tracker.temporal: input line {n}: {exc}", file=sys.stderr)
            return 2
        timexes = [
            {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value, "rule": t.rule,
             "direction": t.direction, "anchor": t.anchor, **({"mod": t.mod} if t.mod else {})}
            for t in tag(text, dct)
        ]
        out_lines.append(json.dumps({"id": doc["id"], "timexes": timexes}, ensure_ascii=False) + "\n")
        if len(out_lines) >= 256:
            stdout.write("".join(out_lines))
            out_lines.clear()
    stdout.write("".join(out_lines))
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(run_batch(sys.stdin, sys.stdout))
