"""Golden table for temporal rules added after tests/golden/temporal_cases.json was frozen.

Each case: sentence (written for this project), DCT, and the complete expected output as
(extent, value) pairs; negatives expect nothing or only the listed expressions.
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.temporal import TIMEX3_VALUE_RE, tag

# family -> [(text, dct, [[extent, value], ...])]
CASES: dict[str, list[tuple[str, str, list[list[str]]]]] = {
    # a present-tense verb of a scheduled event names a day ahead (DCT Wednesday 2023-08-09)
    "present-schedule": [
        ("The two presidents meet Monday in Abuja.", "2023-08-09", [["Monday", "2023-08-14"]]),
        (
            "The envoy and the junta leader meet separately Friday with the mediators.",
            "2023-08-09",
            [["Friday", "2023-08-11"]],
        ),
        ("Talks resume on Tuesday in Niamey, the bloc said.", "2023-08-09", [["Tuesday", "2023-08-15"]]),
        (
            "The ultimatum expires Sunday at midnight.",
            "2023-08-09",
            [["Sunday", "2023-08-13"], ["midnight", "2023-08-13T24:00"]],
        ),
        (
            "Parliament reconvenes after the recess; the assembly convenes Thursday.",
            "2023-08-09",
            [["Thursday", "2023-08-10"]],
        ),
    ],
    "present-schedule-negative": [
        # past tense and noun uses keep looking back
        ("The two presidents met Monday in Abuja.", "2023-08-09", [["Monday", "2023-08-07"]]),
        ("Shares got off to a weak start Monday in Lagos.", "2023-08-09", [["Monday", "2023-08-07"]]),
        ("The talks that began Tuesday ended without a deal.", "2023-08-09", [["Tuesday", "2023-08-08"]]),
    ],
    # "March"/"May" after a determiner, modifying a noun, are months ("the March accession")
    "month-modifier": [
        ("The March accession will let the three countries vote.", "2023-02-10", [["March", "2023-03"]]),
        ("The May elections were postponed by the junta.", "2023-08-09", [["May", "2023-05"]]),
        ("Observers said their March report was ignored.", "2023-08-09", [["March", "2023-03"]]),
    ],
    "month-modifier-negative": [
        ("He said the March was peaceful.", "2023-08-09", []),
        ("The March against hunger drew thousands.", "2023-08-09", []),
        ("The rebels may march on the capital.", "2023-08-09", []),
        ("Officials said this may take weeks.", "2023-08-09", [["weeks", "PXW"]]),
    ],
    # US zone names without S/D ("ET") and a few more zone abbreviations join the clock time and its day
    "time-day-first": [
        (
            "The deadline is midnight on 28 March.",
            "2023-03-22",
            [["midnight", "2023-03-28T24:00"], ["28 March", "2023-03-28"]],
        ),
        (
            "Polls close at 8 p.m. on 3rd April.",
            "2023-03-22",
            [["8 p.m.", "2023-04-03T20:00"], ["3rd April", "2023-04-03"]],
        ),
    ],
    "time-zone": [
        ("The vote opens at 10:30 a.m. ET Thursday.", "2023-08-09", [["10:30 a.m. ET Thursday", "2023-08-10T10:30"]]),
        ("The curfew began at 6 p.m. WAT Tuesday.", "2023-08-09", [["6 p.m. WAT Tuesday", "2023-08-08T18:00"]]),
        (
            "Markets closed at 4 p.m. EAT on Monday.",
            "2023-08-09",
            [["4 p.m. EAT", "2023-08-07T16:00"], ["Monday", "2023-08-07"]],
        ),
    ],
    # one unit as an adjective: "weeklong", "month-long", "a day-long" (the article stays outside)
    "long-unit": [
        ("The envoy ended a weeklong visit to Bamako.", "2023-08-09", [["weeklong", "P1W"]]),
        ("The month-long campaign closed on Friday.", "2023-08-09", [["month-long", "P1M"], ["Friday", "2023-08-04"]]),
        ("After their third day-long meeting, the sides parted.", "2023-08-09", [["day-long", "P1D"]]),
        ("He gave an hour-long speech.", "2023-08-09", [["hour-long", "PT1H"]]),
        ("A yearlong inquiry found no fraud.", "2023-08-09", [["yearlong", "P1Y"]]),
        ("A 10-day-long strike shut the port.", "2023-08-09", [["10-day-long", "P10D"]]),
    ],
    "long-unit-negative": [
        ("The long march north took its toll.", "2023-08-09", []),
        ("Belong to the union, they said.", "2023-08-09", []),
    ],
    # the verb "last" after "to" or a modal stays outside the duration
    "verb-last": [
        ("Talks are scheduled to last three days.", "2023-08-09", [["three days", "P3D"]]),
        ("The transition could last two more years.", "2023-08-09", [["two more years", "P2Y"]]),
        ("The blockade will last several weeks.", "2023-08-09", [["several weeks", "PXW"]]),
        ("The unrest may last days.", "2023-08-09", [["days", "PXD"]]),
        ("The last three days were calm.", "2023-08-09", [["The last three days", "P3D"]]),
        ("He spent the last few days in Niamey.", "2023-08-09", [["the last few days", "PXD"]]),
    ],
    "present-schedule-initial": [
        ("On Friday he travels to Amman.", "2023-08-09", [["Friday", "2023-08-11"]]),
        ("On Friday, the president visits Niamey.", "2023-08-09", [["Friday", "2023-08-11"]]),
        ("On Friday he traveled to Amman.", "2023-08-09", [["Friday", "2023-08-04"]]),
        ("On Monday he said he visits Amman often.", "2023-08-09", [["Monday", "2023-08-07"]]),
    ],
    "present-open-close": [
        ("Polls open at 7 a.m. on Sunday.", "2023-08-09", [["7 a.m.", "2023-08-13T07:00"], ["Sunday", "2023-08-13"]]),
        ("Schools close Friday for the holiday.", "2023-08-09", [["Friday", "2023-08-11"]]),
        ("Shops remained open Sunday despite the strike.", "2023-08-09", [["Sunday", "2023-08-06"]]),
    ],
    "present-schedule-more": [
        ("The summit ends Sunday in Accra.", "2023-08-09", [["Sunday", "2023-08-13"]]),
        ("The trial continues Monday.", "2023-08-09", [["Monday", "2023-08-14"]]),
        ("The trial continued Monday.", "2023-08-09", [["Monday", "2023-08-07"]]),
    ],
    # a rate after a money amount is a set ("100 euros a day", "$1.76 a year", "C$17.9 million annually")
    "set-rate": [
        ("Withdrawals were limited to 100 euros a day.", "2023-08-09", [["a day", "P1D"]]),
        ("The shares pay a dividend of $1.76 a year.", "2023-08-09", [["a year", "P1Y"]]),
        ("It will cut payments of C$17.9 million annually.", "2023-08-09", [["annually", "P1Y"]]),
        ("Rooms cost between $35 and $55 a night.", "2023-08-09", [["a night", "P1D"]]),
        ("The convoy runs three times a week.", "2023-08-09", [["three times a week", "P1W"]]),
    ],
    # the rate of any other quantity is left untagged (as TimeBank leaves it); a lone unit stays a duration
    "set-rate-negative": [
        ("He took a day off after the vote.", "2023-08-09", [["a day", "P1D"]]),
        ("There are now two flights a week to Niamey.", "2023-08-09", [["now", "PRESENT_REF"]]),
        ("The field pumps 50,000 barrels a day.", "2023-08-09", []),
        ("Sales should rise 8.5% annually.", "2023-08-09", []),
        ("The plant would make about 10,000 units annually.", "2023-08-09", []),
        ("The firm has been doubling its profits annually.", "2023-08-09", []),
        ("Jobs grew at a rate of 358,000 a month.", "2023-08-09", []),
        ("Rations arrive weekly.", "2023-08-09", [["weekly", "P1W"]]),
        ("This will add nearly 700 seats a week on the route.", "2023-08-09", []),
        ("A week on, the talks resumed.", "2023-08-09", [["A week", "P1W"]]),
    ],
    # a hyphenated half ("2-1/2") is part of the count
    "half-count": [
        ("The currency hit a 2-1/2 year low.", "2023-08-09", [["2-1/2 year", "P2Y6M"]]),
        ("He served 3 1/2 years in jail.", "2023-08-09", [["3 1/2 years", "P3Y6M"]]),
    ],
    # a day and month with "this/last/next year" is one date
    "date-rel-year": [
        (
            "Easter falls on 31 March this year.",
            "2023-08-09",
            [["Easter", "2023-04-09"], ["31 March this year", "2023-03-31"]],
        ),
        ("The junta took power on July 26 last year.", "2023-08-09", [["July 26 last year", "2022-07-26"]]),
        ("Elections are due on Feb. 10 next year.", "2023-08-09", [["Feb. 10 next year", "2024-02-10"]]),
    ],
    # an article before a hyphenated modifier of a noun belongs to the noun
    "hyphen-modifier-article": [
        ("The 20th-century coups shaped the region.", "2023-08-09", [["20th-century", "19"]]),
        ("In the 20th century, coups were common.", "2023-08-09", [["the 20th century", "19"]]),
        ("He recalled the late-November trip to Abuja.", "2023-01-20", [["late-November", "2022-11"]]),
        ("Floods came in the late November rains.", "2023-01-20", [["the late November", "2022-11"]]),
    ],
    # a time of day without a day of its own stays on the narrative's day only while no month/week
    # has been named since (a year in between is background)
    "narrative-day": [
        (
            "The handover was moved from March 9 to March 25. Offensives begin in April or May. "
            "Gunmen killed 11 police overnight.",
            "2023-03-22",
            [
                ["March 9", "2023-03-09"],
                ["March 25", "2023-03-25"],
                ["April", "2023-04"],
                ["May", "2023-05"],
                ["overnight", "2023-03-22TNI"],
            ],
        ),
        (
            "On March 20, troops entered the town. Since 2019 it has been attacked often; shooting began around 5 a.m.",
            "2023-03-22",
            [["March 20", "2023-03-20"], ["2019", "2019"], ["around 5 a.m.", "2023-03-20T05:00"]],
        ),
    ],
    # "One day, he ..." opening a sentence is "someday", not a duration
    "fraction-negative": [
        ("The shot was fired within a fraction of a second.", "2023-08-09", []),
    ],
    "one-day": [
        ("One day, he will return to Bamako.", "2023-08-09", []),
        ("The strike lasted one day, he said.", "2023-08-09", [["one day", "P1D"]]),
        # between a modal and its verb "one day" is someday; after a subject pronoun it is untagged
        ("Islam will one day be the second largest religion.", "2023-08-09", [["one day", "FUTURE_REF"]]),
        ("The region could one day become a hub.", "2023-08-09", [["one day", "FUTURE_REF"]]),
        ("He hopes he one day follows his father.", "2023-08-09", []),
        ("The strike will last one day.", "2023-08-09", [["one day", "P1D"]]),
    ],
    # "every" with a vague count is a set of unknown period
    "set-every-vague": [
        ("Every few years the river floods the town.", "2023-08-09", [["Every few years", "PXY"]]),
        ("Inspectors visit every several months.", "2023-08-09", [["every several months", "PXM"]]),
    ],
    # a quarter named by the month it ends in
    "month-quarter": [
        ("Sales fell in the December quarter.", "2023-03-20", [["the December quarter", "2022-Q4"]]),
        ("The firm expects growth in the June quarter.", "2023-03-20", [["the June quarter", "2023-Q2"]]),
        ("The January quarter report.", "2023-03-20", [["January", "2023-01"]]),
    ],
    # a day-sized anchored expression after a week-level one anchors on the day before it
    "anchor-day-over-week": [
        (
            "On March 3, protesters gathered. Later that week, the cabinet resigned. That evening, a curfew began.",
            "2023-03-21",
            [["March 3", "2023-03-03"], ["Later that week", "2023-W09"], ["That evening", "2023-03-03TEV"]],
        ),
    ],
    # the start/beginning/middle of the year/month/week, like "the end of the year"
    "part-of-unit": [
        ("Since the start of the year, 500 people have died.", "2023-08-09", [["the start of the year", "2023"]]),
        ("At the beginning of the month, prices rose.", "2023-08-09", [["the beginning of the month", "2023-08"]]),
        ("By the middle of the week, the talks had collapsed.", "2023-08-09", [["the middle of the week", "2023-W32"]]),
    ],
    # the first day of a day-first range takes the month (and year) written after the second
    "first-day-range": [
        ("The fair runs from 1 to 5 April.", "2023-03-21", [["1", "2023-04-01"], ["5 April", "2023-04-05"]]),
        (
            "The summit on 10-12 March 2012 failed.",
            "2023-03-21",
            [["10", "2012-03-10"], ["12 March 2012", "2012-03-12"]],
        ),
    ],
    "first-day-range-negative": [
        ("Scores rose by 3 to 5 points in March.", "2023-03-21", [["March", "2023-03"]]),
    ],
    # AP style "a week ago Sunday", "a year ago today": one day
    "ago-day": [
        ("The rally, held a week ago Sunday, drew thousands.", "2023-08-09", [["a week ago Sunday", "2023-07-30"]]),
        ("A year ago today, the junta seized power.", "2023-08-09", [["A year ago today", "2022-08-09"]]),
        ("A week ago, on Sunday, they met.", "2023-08-09", [["A week ago", "2023-W31"], ["Sunday", "2023-08-06"]]),
    ],
    # days counted from Easter; Holy Week (and "Easter week") as the ISO week after Palm Sunday
    "easter-cycle": [
        ("Pilgrims gathered on Palm Sunday.", "2013-03-27", [["Palm Sunday", "2013-03-24"]]),
        ("Ash Wednesday fell on Feb. 13.", "2013-03-21", [["Ash Wednesday", "2013-02-13"], ["Feb. 13", "2013-02-13"]]),
        ("The pope will wash feet on Holy Thursday.", "2013-03-21", [["Holy Thursday", "2013-03-28"]]),
        ("Shops close for Holy Week.", "2013-03-21", [["Holy Week", "2013-W13"]]),
        ("Protesters prayed as Easter week began.", "2000-04-17", [["Easter week", "2000-W16"]]),
        ("Pentecost is celebrated in the cathedral.", "2013-03-21", [["Pentecost", "2013-05-19"]]),
    ],
    # more fixed and n-th-weekday holidays (observance days like Women's Day are left untagged, as in TimeBank)
    "holidays-more": [
        ("The St. Patrick's Day parade drew crowds.", "2013-03-21", [["St. Patrick's Day", "2013-03-17"]]),
        ("Fireworks are planned for the Fourth of July.", "2013-03-21", [["Fourth of July", "2013-07-04"]]),
        ("Mother's Day sales rose.", "2013-06-01", [["Mother's Day", "2013-05-12"]]),
        ("Martin Luther King Jr. Day was quiet.", "2013-03-21", [["Martin Luther King Jr. Day", "2013-01-21"]]),
        ("International Women's Day rallies took place.", "2013-03-21", []),
    ],
    # "a year earlier" after a month is the year before (quarters keep their quarter: WSJ style)
    "year-earlier-month": [
        (
            "Employers added 157,000 jobs in January. Wages were 2.1 percent higher than a year earlier.",
            "2013-02-06",
            [["January", "2013-01"], ["a year earlier", "2012"]],
        ),
        (
            "Third-quarter profit rose 5% from a year earlier.",
            "2013-11-06",
            [["Third-quarter", "2013-Q3"], ["a year earlier", "2012-Q3"]],
        ),
    ],
    # "half a/an <unit>" is a duration (and "half a century ago" a year)
    "half-unit": [
        ("Half an hour later, police arrived.", "2023-08-09", [["Half an hour", "PT30M"]]),
        ("The talks broke off after half a day.", "2023-08-09", [["half a day", "PT12H"]]),
        ("Half a year of talks failed.", "2023-08-09", [["Half a year", "P6M"]]),
        ("Half a century ago, the dam was built.", "2023-08-09", [["Half a century ago", "1973"]]),
    ],
    # "soon" beside a word that puts it ahead is FUTURE_REF; "as soon as", "soon after", past narrative are not
    "soon": [
        ("Prosecutors may soon seek an indictment.", "2023-08-09", [["soon", "FUTURE_REF"]]),
        ("The firm said it soon will begin selling the boxes.", "2023-08-09", [["soon", "FUTURE_REF"]]),
        ("He expects exports to soon grow to 25% of sales.", "2023-08-09", [["soon", "FUTURE_REF"]]),
    ],
    # "then current" is current at a past time
    "then-current": [
        ("Holders may buy shares at the then current price.", "2023-08-09", [["then current", "PAST_REF"]]),
        ("He called current market conditions difficult.", "2023-08-09", [["current", "PRESENT_REF"]]),
    ],
    "soon-negative": [
        ("He was soon released from the hospital.", "2023-08-09", []),
        ("The deal will close soon after the vote.", "2023-08-09", []),
        ("They could leave as soon as the threats end.", "2023-08-09", []),
        ("Rebels plan to strike again soon in the north.", "2023-08-09", []),
    ],
}

PARAMS = [
    pytest.param(text, dct, expect, id=f"{family}-{i}")
    for family, cases in CASES.items()
    for i, (text, dct, expect) in enumerate(cases)
]


@pytest.mark.parametrize(("text", "dct", "expect"), PARAMS)
def test_rule_table(text: str, dct: str, expect: list[list[str]]) -> None:
    got = tag(text, date.fromisoformat(dct))
    assert [[t.text, t.value] for t in got] == expect, [(t.text, t.value, t.rule, t.direction) for t in got]
    for t in got:
        assert text[t.start : t.end] == t.text
        assert TIMEX3_VALUE_RE.match(t.value)


def test_rel_year_without_dct_keeps_what_the_text_fixes() -> None:
    got = [(t.text, t.value) for t in tag("It fell on 31 March this year, as in March last year.", None)]
    assert got == [("31 March this year", "XXXX-03-31"), ("March last year", "XXXX-03")]
