"""Unit tables for the event extractor: sentences, chrome, lexicon, titles, deadlines, merging,
and extraction itself with hand-made time expressions (no dependency on the tagger's choices)."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import events
from tracker.events import (
    LEXICON_PATH,
    classify,
    deadline_status,
    extract,
    is_chrome,
    make_title,
    same_event,
    split_sentences,
)
from tracker.types import EVENT_TYPES, Document, EventDraft, Timex

# --- the lexicon file ---------------------------------------------------------------------------

PLOVER = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip


def _rows() -> list[dict[str, str]]:
    with LEXICON_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_lexicon_slugs_match_the_taxonomy_both_ways() -> None:
    slugs = {r["event_type"] for r in _rows()}
    assert slugs == set(EVENT_TYPES)


def test_lexicon_rows_are_well_formed() -> None:
    rows = _rows()
    priorities = [int(r["priority"]) for r in rows]
    assert len(set(priorities)) == len(priorities), "priorities must be distinct"
    for r in rows:
        assert r["plover"] == "" or r["plover"] in PLOVER, r
        assert r["undated"] in {"yes", "no"}, r
        assert r["note"].strip(), r
        assert r["verbs"] or r["nouns"], r


def test_lexicon_compiles_once() -> None:
    assert events.lexicon() is events.lexicon()


# --- sentences ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soldiers seized power. The army backed them.", ["Soldiers seized power.", "The army backed them."]),
        ("The U.S. Embassy said so. Officials left.", ["The U.S. Embassy said so.", "Officials left."]),
        ("Gen. Tiani spoke. Mr. Bazoum was held.", ["Gen. Tiani spoke.", "Mr. Bazoum was held."]),
        ("It was the seventh coup since 2020—not including a failed attempt.", None),
        ("Skip Navigation\n\nHeadline Here\nBody text starts. Second one!", None),
        ('He said "we will act." Then he left.', ['He said "we will act."', "Then he left."]),
        ("Troops left at 3 p.m. Monday was calm.", ["Troops left at 3 p.m. Monday was calm."]),
        ("A. Tiani took over. Nobody objected?  Yes.", ["A. Tiani took over.", "Nobody objected?", "Yes."]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str] | None) -> None:
    spans = split_sentences(text)
    got = [text[s:e] for s, e in spans]
    if expected is None:  # em dashes and line breaks: check the obvious invariants
        assert all("\n" not in g for g in got)
        assert not any(g.startswith("—") or g.startswith("not including") for g in got)
    else:
        assert got == expected
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
    assert spans == sorted(spans)


def test_split_sentences_em_dash_stays_in_one_sentence() -> None:
    text = "It is the seventh coup in the region since 2020—not including a failed attempt in Niger."
    assert split_sentences(text) == [(0, len(text))]


# --- chrome -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Skip Navigation",
        "Skip to main content",
        "6",
        "6 comments",
        "You've viewed 6 comments.",
        "You're viewing a single thread.",
        "Share this article",
        "Subscribe to our newsletter",
        "Advertisement",
        "By Jane Doe and John Smith",
        "www.example.com How the Coup Unfolded",
        "How the U.S. Fumbled Niger's Coup and Gave Russia an Opening",
        "Updated: Aug. 5, 2023 10:00 am ET",
        "— ",
    ],
)
def test_is_chrome(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "The Kremlin on Friday warned against any intervention.",
        "Soldiers detained the president on 26 July.",
        "By Sunday, the deadline had lapsed.",
        "Six comments from the minister angered the junta.",
        "ECOWAS imposed sanctions",  # no final stop but lower case: a sentence, not a headline
    ],
)
def test_is_not_chrome(line: str) -> None:
    assert not is_chrome(line)


# --- classify -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "event_type", "plover"),
    [
        ("Mutineers from the presidential guard seized power on Wednesday.", "coup", "COERCE"),
        ("Soldiers detained President Mohamed Bazoum.", "coup", "COERCE"),
        ("Police arrested three opposition leaders.", "arrest", "COERCE"),
        ("The Kremlin on Friday warned against any intervention.", "statement", "REJECT"),
        ("ECOWAS condemned the coup.", "statement", "ACCUSE"),
        ("The bloc called for the release of Bazoum.", "statement", "REQUEST"),
        ("Eleven countries threatened to use force.", "threat", "THREATEN"),
        ("The bloc imposed sanctions on Niger.", "sanctions", "SANCTION"),
        ("France began evacuating its nationals.", "deployment", "RETREAT"),
        ("ECOWAS activated its standby force.", "deployment", "MOBILIZE"),
        ("The junta closed Niger's airspace.", "deployment", "MOBILIZE"),
        ("The three juntas announced their withdrawal from ECOWAS.", "diplomacy", "REJECT"),
        ("Leaders met in Abuja.", "diplomacy", "CONSULT"),
        ("The three states signed a mutual defence pact.", "agreement", "AGREE"),
        ("Thousands protested in Niamey.", "protest", "PROTEST"),
        ("Protesters attacked the French embassy.", "protest", "PROTEST"),
        ("Jihadists attacked an army post, killing 17 soldiers.", "attack", "ASSAULT"),
        ("The World Food Programme delivered food aid.", "aid", "AID"),
        ("Bazoum won a run-off election.", "election", None),
        ("Keïta announced his resignation.", "other", None),
        ("The weather was hot.", "other", None),
    ],
)
def test_classify(sentence: str, event_type: str, plover: str | None) -> None:
    assert classify(sentence) == (event_type, plover)


def test_adjectival_participles_are_not_triggers() -> None:
    assert classify("The imprisoned president said everything was fine.")[0] == "statement"
    assert classify("Everything is fine, the imprisoned president said.")[0] == "other"  # attribution
    assert classify("Bazoum is still imprisoned in his palace.")[0] == "other"


# --- titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "event_type", "countries", "expected"),
    [
        (
            "The Kremlin on Friday warned against any intervention.",
            "statement",
            ["RUS", "NER"],
            "Kremlin warned against any intervention in Niger",
        ),
        (
            "Eleven West African countries, led by Nigeria, have threatened to use force to restore "
            "Bazoum to power if the coup isn't reversed by Sunday.",
            "deadline",
            ["NGA", "NER"],
            "Eleven West African countries have threatened to use force to restore Bazoum to power",
        ),
        (
            "On 28 July, General Abdourahamane Tiani declared himself head of state.",
            "coup",
            ["NER"],
            "General Abdourahamane Tiani declared himself head of state in Niger",
        ),
        ("Mali signed the charter in Bamako.", "agreement", ["MLI"], "Mali signed the charter in Bamako"),
    ],
)
def test_make_title(sentence: str, event_type: str, countries: list[str], expected: str) -> None:
    assert make_title(sentence, event_type, [], countries) == expected


@pytest.mark.parametrize(
    ("clause", "date_text", "expected"),
    [
        ("Thousands marched on the French embassy on Sunday, some waving flags", "Sunday",
         "Thousands marched on the French embassy, some waving flags"),
        ("On Thursday, the army command said it", "Thursday", "the army command said it"),
        ("ECOWAS, on Sunday, imposed sanctions", "Sunday", "ECOWAS imposed sanctions"),
        ("The Kremlin on Friday warned against any intervention", "Friday",
         "The Kremlin warned against any intervention"),
        ("They had no answer for Sunday’s coup", "Sunday’s", "They had no answer for Sunday’s coup"),
        ("They had no answer for Sunday's coup", "Sunday", "They had no answer for Sunday's coup"),
    ],
)  # fmt: skip
def test_titles_leave_the_date_out(clause: str, date_text: str, expected: str) -> None:
    """The date sits beside the title on the timeline; possessives keep it ("Sunday's coup")."""
    assert events._without_date(clause, date_text, "statement") == expected
    assert events._without_date(clause, date_text, "deadline") == clause


def test_make_title_is_short_and_never_empty() -> None:
    long = "Officials " + "said many things about the situation in the capital and elsewhere " * 5 + "."
    title = make_title(long, "statement", [], [])
    assert 0 < len(title) <= events.TITLE_MAX
    assert make_title("—", "coup", [], []) == EVENT_TYPES["coup"]


# --- deadline status ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "future", "event_type", "today", "expected"),
    [
        (date(2023, 8, 6), True, "deadline", date(2023, 8, 5), "pending"),
        (date(2023, 8, 6), True, "deadline", date(2023, 8, 6), "pending"),  # through its last day
        (date(2023, 8, 6), True, "deadline", date(2023, 8, 7), "lapsed"),
        (date(2023, 8, 6), False, "deadline", date(2023, 8, 11), "lapsed"),
        (date(2023, 8, 6), True, "threat", date(2023, 8, 1), "pending"),
        (date(2023, 7, 30), False, "threat", date(2023, 8, 1), None),  # a threat made, not pointing ahead
        (date(2023, 8, 6), True, "coup", date(2023, 8, 1), None),
        (date(2023, 8, 6), False, "statement", date(2023, 8, 1), None),
    ],
)
def test_deadline_status(when: date, future: bool, event_type: str, today: date, expected: str | None) -> None:
    assert deadline_status(when, future, event_type, today) == expected


# --- same_event -----------------------------------------------------------------------------------


def draft(
    event_type: str = "coup",
    day: date = date(2023, 7, 26),
    end: date | None = None,
    precision: str = "day",
    actors: tuple[str, ...] = (),
    countries: tuple[str, ...] = ("NER",),
    future: bool = False,
    plover: str | None = None,
) -> EventDraft:
    return EventDraft(
        title="t",
        event_type=event_type,
        date=day,
        date_end=end,
        precision=precision,
        resolution="explicit",
        sentence="s",
        start=0,
        end=1,
        actors=list(actors),
        countries=list(countries),
        future=future,
        plover=plover,
    )


JULY = {"day": date(2023, 7, 1), "end": date(2023, 7, 31), "precision": "month"}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (draft(), draft(), True),
        (draft(), draft(day=date(2023, 7, 27)), False),  # two different days
        (draft(), draft(**JULY), True),  # a day inside a month
        (draft(**JULY), draft(), True),
        (draft(), draft(event_type="arrest"), False),
        (draft(countries=("NER",)), draft(countries=("MLI",)), False),
        (draft(actors=("Mohamed Bazoum",), countries=("NER",)), draft(actors=("Mohamed Bazoum",), countries=()), True),
        (draft(actors=("ECOWAS",)), draft(countries=("NER", "RUS")), True),  # no cast on one side: country
        (draft(actors=("ECOWAS",)), draft(actors=("Wagner Group",), countries=("NER", "RUS")), False),  # 2 casts
        (
            draft(event_type="diplomacy", **JULY),
            draft(event_type="diplomacy"),
            False,  # country only: frequent events need the same dates
        ),
        (draft(event_type="diplomacy"), draft(event_type="diplomacy"), True),
        (draft(actors=("ECOWAS", "Niger")), draft(actors=("France", "Niger")), False),  # a state is no cast
        (draft(actors=("Niger",)), draft(actors=("Mohamed Bazoum", "Niger")), True),  # …so falls back to NER
        (
            draft(day=date(2023, 6, 25), end=date(2023, 7, 1), precision="week"),
            draft(**JULY),
            False,  # overlap is not containment
        ),
        (draft(day=date(2020, 1, 1), end=date(2020, 12, 31), precision="year"), draft(day=date(2020, 8, 18)), True),
        (draft(event_type="deadline", future=True), draft(event_type="deadline", future=False), True),
        (draft(future=True), draft(future=False), False),
        (draft(event_type="diplomacy", plover="REJECT"), draft(event_type="diplomacy", plover="CONSULT"), False),
        (draft(event_type="diplomacy", plover="REJECT"), draft(event_type="diplomacy"), True),  # store rows
    ],
)
def test_same_event(a: EventDraft, b: EventDraft, expected: bool) -> None:
    assert same_event(a, b) is expected
    assert same_event(b, a) is expected


# --- extract with hand-made time expressions ------------------------------------------------------


def tx(text: str, whole: str, value: str, direction: str = "past", anchor: str = "dct") -> Timex:
    start = whole.index(text)
    return Timex(start, start + len(text), text, "DATE", value, rule="test", direction=direction, anchor=anchor)


def test_extract_two_events_in_one_sentence() -> None:
    text = "It is the seventh coup in the region since 2020—not including a failed attempt in Niger two years ago."
    doc = Document(text=text, published=date(2023, 8, 5))
    got = extract(doc, [tx("2020", text, "2020"), tx("two years ago", text, "2021")])
    assert [(d.event_type, d.date, d.precision) for d in got] == [
        ("coup", date(2020, 1, 1), "year"),
        ("coup", date(2021, 1, 1), "year"),
    ]
    assert got[0].resolution == "explicit" and got[1].resolution == "relative"
    assert got[0].date_end == date(2020, 12, 31)


def test_extract_deadline_points_forward() -> None:
    text = "Eleven West African countries have threatened to use force if the coup isn't reversed by Sunday."
    doc = Document(text=text, published=date(2023, 8, 5))
    got = extract(doc, [tx("Sunday", text, "2023-08-06", "future")])
    assert len(got) == 1
    assert got[0].event_type == "deadline" and got[0].future is True and got[0].plover == "THREATEN"
    assert got[0].date_text == "Sunday" and got[0].timex == "2023-08-06"


def test_extract_undated_event_inherits_narrative_time() -> None:
    text = "Soldiers seized power in Niamey on Wednesday. They arrested two ministers."
    doc = Document(text=text, published=date(2023, 7, 29))
    got = extract(doc, [tx("Wednesday", text, "2023-07-26")])
    assert [(d.event_type, d.date, d.resolution) for d in got] == [
        ("coup", date(2023, 7, 26), "relative"),
        ("arrest", date(2023, 7, 26), "previous-event"),
    ]


def test_extract_one_event_told_twice_in_an_article_is_one_draft() -> None:
    """The second sentence tells more of the same coup: an analyst writes it down once, with the
    date the article states."""
    text = "Soldiers seized power in Niamey on Wednesday. They dissolved the government."
    doc = Document(text=text, published=date(2023, 7, 29))
    got = extract(doc, [tx("Wednesday", text, "2023-07-26")])
    assert [(d.event_type, d.date, d.resolution) for d in got] == [("coup", date(2023, 7, 26), "relative")]


def test_extract_background_summaries_do_not_inherit_the_narrative() -> None:
    """A present perfect sums up, and "months after" points before the narrative: neither is an
    event of the paragraph's day."""
    text = (
        "Troops left the base on Monday. Thousands of civilians have been killed since then. "
        "The departure comes months after the junta revoked a defence agreement."
    )
    doc = Document(text=text, published=date(2024, 8, 6))
    got = extract(doc, [tx("Monday", text, "2024-08-05")])
    assert [(d.event_type, d.date) for d in got] == [("deployment", date(2024, 8, 5))]


def test_extract_undated_event_without_narrative_gets_publication_date() -> None:
    text = "Soldiers dissolved the government."
    got = extract(Document(text=text, published=date(2023, 7, 29)), [])
    assert [(d.event_type, d.date, d.resolution) for d in got] == [("coup", date(2023, 7, 29), "publication")]


@pytest.mark.parametrize(
    "text",
    [
        "The coup, if successful, could lead Russia to pick up drone bases.",  # hypothetical
        "Officials said the situation was tense.",  # statement without a date
        "A series of blunders now threatens to turn West Africa into a theater of war.",  # present tense
        "Skip Navigation",
        "6 comments",
    ],
)
def test_extract_ignores_non_events(text: str) -> None:
    assert extract(Document(text=text, published=date(2023, 8, 5)), []) == []


def test_extract_durations_do_not_date_but_offsets_do() -> None:
    text = "Tiani declared himself head of state on Friday, two days after his troops detained President Bazoum."
    dur_start = text.index("two days")
    timexes = [
        tx("Friday", text, "2023-07-28"),
        Timex(dur_start, dur_start + 8, "two days", "DURATION", "P2D"),
    ]
    got = extract(Document(text=text, published=date(2023, 7, 29)), timexes)
    assert {(d.event_type, d.date) for d in got} == {("coup", date(2023, 7, 28)), ("coup", date(2023, 7, 26))}
    offset = next(d for d in got if d.date == date(2023, 7, 26))
    assert offset.resolution == "previous-event" and offset.rule == "duration-offset"


def test_extract_one_event_per_sentence_type_and_date() -> None:
    """Two clauses of one sentence with the same type and date are one event (the store keeps one
    source per sentence and event)."""
    text = "Jihadists attacked army posts in Niger in February — and attacked them again in February."
    first, second = text.index("February"), text.rindex("February")
    timexes = [
        Timex(first, first + 8, "February", "DATE", "2023-02"),
        Timex(second, second + 8, "February", "DATE", "2023-02"),
    ]
    got = extract(Document(text=text, published=date(2023, 8, 5)), timexes)
    assert len(got) == 1
    assert got[0].event_type == "attack" and got[0].precision == "month"
    text = "Jihadists attacked Niger in February — and attacked Mali in February."  # two countries: two
    first, second = text.index("February"), text.rindex("February")
    timexes = [
        Timex(first, first + 8, "February", "DATE", "2023-02"),
        Timex(second, second + 8, "February", "DATE", "2023-02"),
    ]
    assert len(extract(Document(text=text, published=date(2023, 8, 5)), timexes)) == 2


def test_extract_is_pure_and_repeatable() -> None:
    text = "The Kremlin on Friday warned against any intervention in Niger."
    doc = Document(text=text, published=date(2023, 8, 5))
    timexes = [tx("Friday", text, "2023-08-04")]
    assert [d.to_json() for d in extract(doc, timexes)] == [d.to_json() for d in extract(doc, timexes)]


# --- properties -------------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "Soldiers", "seized", "power", "in", "Niger", "on", "Sunday", "the", "junta", "warned", "ECOWAS",
        "—", ",", ".", "U.S.", "Gen.", "\n", "6 comments", "by", "coup", "Mali", "imposed", "sanctions",
        "two", "days", "after", "who", "detained", "President", "Bazoum", "'s", "ultimatum", "(", ")",
    ]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join), st.dates(min_value=date(2000, 1, 1)))
def test_extract_never_fails_and_drafts_are_well_formed(text: str, published: date) -> None:
    """Whatever the text, with or without time expressions, drafts stay inside the text and typed."""
    timexes = []
    if "Sunday" in text:
        start = text.index("Sunday")
        timexes.append(Timex(start, start + 6, "Sunday", "DATE", "2023-07-30", direction="past"))
    for d in extract(Document(text=text, published=published), timexes):
        assert d.event_type in EVENT_TYPES
        assert 0 <= d.start < d.end <= len(text)
        assert d.sentence == text[d.start : d.end]
        assert d.title and len(d.title) <= events.TITLE_MAX
        assert d.date_end is None or d.date_end >= d.date


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_split_sentences_spans_are_ordered_trimmed_and_disjoint(text: str) -> None:
    spans = split_sentences(text)
    prev_end = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        prev_end = e


def test_lexicon_split_by_first_character_finds_what_the_single_alternation_finds() -> None:
    """The per-first-character alternations are a speed-up only: same matches, same rows."""
    from pathlib import Path

    lex = events.lexicon()
    assert lex.by_first is not None
    texts = [
        p.read_text(encoding="utf-8").lower() for p in (Path(__file__).parent / "golden" / "articles").glob("*.txt")
    ]
    texts.append("the 'junta' withdrew from ecowas; soldiers seized power — $5m pledged, u.s. troops pulled out.")
    for text in texts:
        single = [(m.span(), lex.groups[m.lastgroup or ""]) for m in lex.pattern.finditer(text)]
        split = [(m.span(), lex.groups[m.lastgroup or ""]) for m in lex.by_first.finditer(text)]
        assert split == single
        # and the buckets tried one word start at a time (what find_triggers uses)
        apart = [(m.span(), lex.groups[m.lastgroup or ""]) for m in events._lexicon_matches(lex, text)]
        assert apart == single


def test_extract_date_modifying_a_noun_inside_a_verb_trigger() -> None:
    """'had won Monday's election': Monday dates the election (the vote), Thursday the win."""
    text = "The agency said on Thursday that Déby had won Monday's presidential election in Chad."
    doc = Document(text=text, published=date(2024, 5, 10))
    got = extract(doc, [tx("Thursday", text, "2024-05-09"), tx("Monday", text, "2024-05-06")])
    assert sorted((d.event_type, d.date) for d in got) == [
        ("election", date(2024, 5, 6)),
        ("election", date(2024, 5, 9)),
    ]


def test_extract_coordinated_bare_date_repeats_the_event() -> None:
    text = "Russian instructors arrived in Burkina Faso in January and in Niger in April."
    doc = Document(text=text, published=date(2024, 7, 7))
    got = extract(doc, [tx("January", text, "2024-01"), tx("April", text, "2024-04")])
    assert [(d.event_type, d.date) for d in got] == [
        ("deployment", date(2024, 1, 1)),
        ("deployment", date(2024, 4, 1)),
    ]


def test_extract_group_noun_takes_the_states_listed_before() -> None:
    text = (
        "Mali and Burkina Faso have backed the junta in Niger. "
        "A delegation from the two countries travelled to Niamey on Monday."
    )
    doc = Document(text=text, published=date(2023, 8, 11))
    got = extract(doc, [tx("Monday", text, "2023-08-07")])
    visit = next(d for d in got if d.event_type == "diplomacy")
    assert {"MLI", "BFA"} <= set(visit.countries)


def test_extract_definite_noun_refers_back_to_the_event_told_before() -> None:
    text = (
        "Earlier this month, gunmen attacked the presidential compound in N'Djamena, Chad. "
        "Nineteen people were killed in the attack on 8 January, the government said."
    )
    doc = Document(text=text, published=date(2025, 1, 31))
    got = extract(doc, [tx("Earlier this month", text, "2025-01"), tx("8 January", text, "2025-01-08")])
    attacks = [d for d in got if d.event_type == "attack"]
    assert [(d.date, d.precision) for d in attacks] == [(date(2025, 1, 8), "day")]


def test_sentence_case_headline_line_is_chrome() -> None:
    text = (
        "Niger's junta leader sworn in for five-year term, political parties dissolved\n\n"
        "General Tiani was sworn in on Wednesday in Niamey, Niger."
    )
    doc = Document(text=text, published=date(2025, 3, 27))
    got = extract(doc, [tx("Wednesday", text, "2025-03-26")])
    assert [(d.event_type, d.date) for d in got] == [("other", date(2025, 3, 26))]


def test_neighbour_named_as_a_border_keeps_the_main_country() -> None:
    text = (
        "Mali's army is stretched. In Mali, jihadists are spreading. "
        "On Sunday, JNIM fighters attacked a camp in Boulkessi, near the border with Burkina Faso."
    )
    doc = Document(text=text, published=date(2025, 6, 7))
    got = extract(doc, [tx("Sunday", text, "2025-06-01")])
    attack = next(d for d in got if d.event_type == "attack")
    assert "MLI" in attack.countries


def test_prefixes_list_how_every_match_can_begin() -> None:
    assert events._prefixes("ab(?:c|d)e", 3) == {"abc", "abd"}
    assert events._prefixes("ab", 3) == {"ab"}  # a match may be shorter than k
    assert events._prefixes(r"a\s+b|cd", 3) == {"a", "cd"}  # what \s starts cannot be listed
    assert events._prefixes("(?:ab){2}c", 3) == {"aba"}
    assert events._prefixes("x(?:y)?z", 3) == {"xyz", "xz"}
    assert events._prefixes("[a-c]d*", 2) == {"a", "b", "c"}  # "a" already covers "ad"
    assert events._prefixes("q(?=r)s", 3) == {"qs"}  # look-arounds are ignored (only lets more through)
    assert events._prefixes("x?", 3) is None  # may match the empty string
    assert events._prefixes("(?i)abc", 3) is None  # ignoring case, "a" also matches "A"
    assert events._prefixes("x(?i:abc)", 3) is None
    assert events._prefixes("[a-z]{6}", 6, limit=1000) is None  # too many


def _lexicon_words() -> list[str]:
    words = []
    for m in events.re.finditer(r"[a-z]+(?:[ '-][a-z]+)?", events.LEXICON_PATH.read_text(encoding="utf-8").lower()):
        words.append(m.group())
    return sorted(set(words))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_lexicon_words()) | st.text(alphabet=" -'.,\n;x\"0", min_size=1, max_size=3),
        max_size=30,
    )
)
def test_lexicon_word_start_prefilter_on_generated_text(parts: list[str]) -> None:
    """The start pattern only lets through word starts whose first characters can begin a match:
    still exactly the single alternation's matches, including at the very start of a text."""
    lex = events.lexicon()
    text = "".join(parts)
    single = [(m.span(), lex.groups[m.lastgroup or ""]) for m in lex.pattern.finditer(text)]
    apart = [(m.span(), lex.groups[m.lastgroup or ""]) for m in events._lexicon_matches(lex, text)]
    assert apart == single


def test_lexicon_prefilter_on_the_benchmark_articles() -> None:
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import ingest as bench
    finally:
        sys.path.pop(0)
    lex = events.lexicon()
    rng = random.Random(7)
    for i in range(20):
        text = bench.make_article(rng, 800, i).lower()
        single = [(m.span(), lex.groups[m.lastgroup or ""]) for m in lex.pattern.finditer(text)]
        apart = [(m.span(), lex.groups[m.lastgroup or ""]) for m in events._lexicon_matches(lex, text)]
        assert apart == single


_CLAUSE_BREAK_PLAIN = events.re.compile(
    r"\s*" + events._BREAK_MARK + r"\s*|" + "|".join("," + rest for rest in events._BREAK_AFTER_COMMA),
    events.re.IGNORECASE,
)
_TITLE_CUT_PLAIN = events.re.compile(
    r"\s*(?:—|–|;|:|\(|,\s+" + events._CUT_RELATIVE + r"\b|,?\s+" + events._CUT_SUBORDINATOR + r"\b)",
    events.re.IGNORECASE,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                " ",
                "  ",
                "\t",
                "\n",
                "\u00a0",
                "—",
                "–",
                "--",
                " -- ",
                ";",
                "(",
                ")",
                ":",
                ": ",
                ",",
                ", ",
                "-",
                "while",
                "which",
                "and in 2022",
                "and a week later",
                "two days later",
                "handing",
                "including",
                "According",
                "soldiers",
                "x",
                "ing ",
                "the",
                "who",
                "as",
                "if",
                "although",
                "according to",
                "in what",
                "saying",
                "Whom",
                "IF",
            ]
        ),
        max_size=30,
    )
)
def test_clause_break_written_from_its_first_character_matches_the_plain_pattern(parts: list[str]) -> None:
    """_CLAUSE_BREAK and _TITLE_CUT start with the characters a match can start with (a speed-up
    only): same matches as the plain patterns."""
    text = "".join(parts)
    for fast, plain in ((events._CLAUSE_BREAK, _CLAUSE_BREAK_PLAIN), (events._TITLE_CUT, _TITLE_CUT_PLAIN)):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
        for pos in range(0, len(text), 7):
            a, b = fast.search(text, pos), plain.search(text, pos)
            assert (a and a.span()) == (b and b.span())


def test_clause_break_on_the_golden_corpus() -> None:
    from pathlib import Path

    for p in (Path(__file__).parent / "golden" / "articles").glob("*.txt"):
        text = p.read_text(encoding="utf-8")
        for fast, plain in ((events._CLAUSE_BREAK, _CLAUSE_BREAK_PLAIN), (events._TITLE_CUT, _TITLE_CUT_PLAIN)):
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


_COMMENTS_PLAIN = events.re.compile(
    r"\b(?:" + "|".join(first + rest for first, rest in events._COMMENT_PHRASES) + r")\b", events.re.IGNORECASE
)


def test_comments_first_character_class_lists_every_case_variant() -> None:
    """_COMMENTS starts with a class of the phrases' first characters written out case by case: it
    must hold every character that matches one of them ignoring case."""
    re = events.re
    letters = "".join(sorted({first for first, _ in events._COMMENT_PHRASES if first != r"\d"}))
    ignoring_case = re.compile(f"[{letters}]", re.IGNORECASE)
    first_class = re.compile(events._COMMENTS.pattern[: events._COMMENTS.pattern.index("]") + 1])
    missing = [chr(c) for c in range(0x110000) if ignoring_case.fullmatch(chr(c)) and not first_class.fullmatch(chr(c))]
    assert missing == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "12",
                "3",
                " ",
                "  ",
                "\n",
                "x",
                "'",
                "comments",
                "Comment",
                "you've",
                "YOURE",
                "viewed",
                "viewing",
                "a single thread",
                "view",
                "all",
                "show",
                "more",
                "replies",
                "are",
                "closed",
                "join the",
                "conversation",
                "guidelines",
                "ſhow",
                "-",
                ".",
            ]
        ),
        max_size=20,
    )
)
def test_comments_pattern_matches_what_the_plain_pattern_matches(parts: list[str]) -> None:
    text = "".join(parts)
    assert [m.span() for m in events._COMMENTS.finditer(text)] == [m.span() for m in _COMMENTS_PLAIN.finditer(text)]
