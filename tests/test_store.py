"""The store: one transaction per article, de-duplication, merging, filters, hand edits, audit."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from tracker.models import EventIn
from tracker.store import (
    EventFilter,
    StoreError,
    add_event,
    counts,
    delete_event,
    facets,
    get_event,
    history,
    list_events,
    save_article,
    session_scope,
    update_event,
)
from tracker.types import Document, EventDraft, PlaceRef


def doc(text: str = "Soldiers seized power in Niamey on Wednesday.", published: date = date(2023, 7, 28)) -> Document:
    return Document(text=text, published=published, title="t", outlet="Sahel Desk (test)")


def draft(**kw) -> EventDraft:  # type: ignore[no-untyped-def]
    base = dict(
        title="Coup in Niger",
        event_type="coup",
        date=date(2023, 7, 26),
        precision="day",
        resolution="relative",
        sentence="Soldiers seized power in Niamey on Wednesday.",
        start=0,
        end=45,
        countries=["NER"],
        actors=["Mohamed Bazoum"],
        places=[PlaceRef("Niamey", 13.51, 2.11, "NER", "capital", "place")],
    )
    base.update(kw)
    return EventDraft(**base)  # type: ignore[arg-type]


def test_save_article_stores_article_events_and_links(engine) -> None:
    with session_scope(engine) as s:
        res = save_article(s, document=doc(), drafts=[draft()])
    assert res.created and res.events_added == 1
    with session_scope(engine) as s:
        (ev,) = list_events(s, with_sources=True)
        assert ev.date == date(2023, 7, 26)
        assert ev.countries == ["NER"] and ev.actors == ["Mohamed Bazoum"]
        assert ev.place_name == "Niamey" and ev.lat == pytest.approx(13.51)
        assert ev.sources[0].outlet == "Sahel Desk (test)"
        assert counts(s)["articles"] == 1


def test_same_article_twice_adds_nothing(engine) -> None:
    with session_scope(engine) as s:
        save_article(s, document=doc(), drafts=[draft()])
    with session_scope(engine) as s:
        before = counts(s)
    # same words, different line endings and spacing: still the same article
    again = doc(text="Soldiers seized power in Niamey\r\non Wednesday.  ")
    with session_scope(engine) as s:
        res = save_article(s, document=again, drafts=[draft()])
    assert not res.created
    with session_scope(engine) as s:
        assert counts(s) == before


def test_reports_of_one_event_merge_and_finer_date_wins(engine) -> None:
    with session_scope(engine) as s:
        save_article(
            s,
            document=doc("Niger's coup happened in July.", date(2023, 8, 2)),
            drafts=[draft(date=date(2023, 7, 1), date_end=date(2023, 7, 31), precision="month")],
        )
    with session_scope(engine) as s:
        res = save_article(s, document=doc(), drafts=[draft()])
    assert res.events_merged == 1 and res.events_added == 0
    with session_scope(engine) as s:
        (ev,) = list_events(s)
        full = get_event(s, ev.id)
    assert ev.date == date(2023, 7, 26) and ev.precision == "day"
    assert full is not None and len(full.sources) == 2
    assert {src.precision for src in full.sources} == {"month", "day"}


def test_different_days_stay_different_events(engine) -> None:
    with session_scope(engine) as s:
        save_article(s, document=doc(), drafts=[draft()])
        save_article(s, document=doc("Another coup, much later."), drafts=[draft(date=date(2023, 9, 30))])
    with session_scope(engine) as s:
        assert len(list_events(s)) == 2


def test_hand_made_event_is_never_overwritten_by_ingest(engine) -> None:
    with session_scope(engine) as s:
        manual = add_event(
            s,
            event_in=EventIn(title="Coup (analyst's entry)", date=date(2023, 7, 26), event_type="coup",
                             countries=["Niger"], actors=["Mohamed Bazoum"], notes="checked by phone"),
            user="ana",
        )
    with session_scope(engine) as s:
        save_article(s, document=doc(), drafts=[draft(title="Soldiers seize power")])
    with session_scope(engine) as s:
        after = get_event(s, manual.id)
    assert after is not None
    assert after.title == "Coup (analyst's entry)" and after.notes == "checked by phone"
    assert after.origin == "manual"


def test_edits_survive_and_are_audited(engine) -> None:
    with session_scope(engine) as s:
        save_article(s, document=doc(), drafts=[draft()])
    with session_scope(engine) as s:
        (ev,) = list_events(s)
        update_event(
            s,
            event_id=ev.id,
            event_in=EventIn(title="Presidential guard detains Bazoum", date=ev.date, event_type="coup",
                             countries=ev.countries, actors=ev.actors),
            user="ana",
        )
    with session_scope(engine) as s:
        edited = get_event(s, ev.id)
        trail = history(s, ev.id)
    assert edited is not None and edited.edited and edited.title == "Presidential guard detains Bazoum"
    assert [c.action for c in trail] == ["extract", "update"]
    assert trail[-1].user == "ana" and "Coup in Niger" in (trail[-1].before or "")


def test_delete_removes_event_and_leaves_audit(engine) -> None:
    with session_scope(engine) as s:
        ev = add_event(s, event_in=EventIn(title="x event", date=date(2023, 8, 1), countries=["NER"]))
    with session_scope(engine) as s:
        delete_event(s, event_id=ev.id, user="ana")
    with session_scope(engine) as s:
        assert get_event(s, ev.id) is None
        assert [c.action for c in history(s, ev.id)] == ["create", "delete"]
        with pytest.raises(StoreError):
            delete_event(s, event_id=ev.id)


def test_failed_transaction_leaves_store_unchanged(engine) -> None:
    with session_scope(engine) as s:
        before = counts(s)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        save_article(s, document=doc(), drafts=[draft()])
        raise RuntimeError("killed half way")
    with session_scope(engine) as s:
        assert counts(s) == before


@pytest.fixture
def populated(engine):  # type: ignore[no-untyped-def]
    with session_scope(engine) as s:
        add_event(s, event_in=EventIn(title="Coup in Niamey", date=date(2023, 7, 26), event_type="coup",
                                      countries=["NER"], actors=["Mohamed Bazoum"]))
        add_event(s, event_in=EventIn(title="Tinubu chairs summit in Abuja", date=date(2023, 7, 30),
                                      event_type="diplomacy", countries=["NGA"], actors=["Bola Tinubu"]))
        add_event(s, event_in=EventIn(title="Deadline for the junta", date=date(2023, 8, 6), event_type="deadline",
                                      countries=["NER", "NGA"], actors=["ECOWAS"], future=True))
    return engine


@pytest.mark.parametrize(
    ("flt", "titles"),
    [
        (EventFilter(countries=["NER"]), {"Coup in Niamey", "Deadline for the junta"}),
        (EventFilter(countries=["NGA"]), {"Tinubu chairs summit in Abuja", "Deadline for the junta"}),
        (EventFilter(actors=["Bola Tinubu"]), {"Tinubu chairs summit in Abuja"}),
        (EventFilter(types=["coup", "deadline"]), {"Coup in Niamey", "Deadline for the junta"}),
        (EventFilter(since=date(2023, 7, 29), until=date(2023, 7, 31)), {"Tinubu chairs summit in Abuja"}),
        (EventFilter(text="abuja"), {"Tinubu chairs summit in Abuja"}),
        (EventFilter(include_future=False), {"Coup in Niamey", "Tinubu chairs summit in Abuja"}),
        (EventFilter(countries=["NER"], types=["coup"]), {"Coup in Niamey"}),
    ],
)
def test_filters(populated, flt: EventFilter, titles: set[str]) -> None:
    with session_scope(populated) as s:
        assert {e.title for e in list_events(s, flt)} == titles


def test_facets_count_what_the_filter_selects(populated) -> None:
    with session_scope(populated) as s:
        f = facets(s)
        assert dict(f.countries) == {"NER": 2, "NGA": 2}
        assert dict(f.types) == {"coup": 1, "diplomacy": 1, "deadline": 1}
        assert dict(facets(s, EventFilter(countries=["NER"])).types) == {"coup": 1, "deadline": 1}


def test_deadline_status_is_derived_from_today(populated) -> None:
    with session_scope(populated) as s:
        (dl,) = list_events(s, EventFilter(types=["deadline"]), today=date(2023, 8, 3))
        assert dl.status == "pending"
        (dl,) = list_events(s, EventFilter(types=["deadline"]), today=date(2023, 8, 10))
        assert dl.status == "lapsed"


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "bad\x00title"}, "title"),
        ({"date": date(1066, 10, 14)}, "date"),
        ({"precision": "hour"}, "precision"),
        ({"event_type": "picnic"}, "event_type"),
        ({"countries": ["Atlantis"]}, "countries"),
        ({"lat": 95.0, "lon": 2.0}, "lat"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"date_end": date(2023, 7, 1)}, None),
    ],
)
def test_event_in_rejects_bad_entries_with_a_field_message(fields: dict, where: str | None) -> None:
    base = {"title": "Valid", "date": date(2023, 7, 26)}
    base.update(fields)
    with pytest.raises(ValidationError) as exc:
        EventIn(**base)
    err = exc.value.errors()[0]
    if where is not None:
        assert err["loc"][0] == where
    assert err["msg"]


def test_country_names_and_demonyms_normalise_and_niger_is_not_nigeria() -> None:
    assert EventIn(title="a", date=date(2023, 1, 1), countries=["Niger", "nigeria", "MLI"]).countries == [
        "NER",
        "NGA",
        "MLI",
    ]


@pytest.mark.parametrize(
    ("day", "precision", "end"),
    [
        (date(2023, 8, 1), "day", None),
        (date(2023, 7, 31), "week", date(2023, 8, 6)),
        (date(2023, 8, 1), "month", date(2023, 8, 31)),
        (date(2023, 12, 1), "month", date(2023, 12, 31)),
        (date(2023, 7, 1), "quarter", date(2023, 9, 30)),
        (date(2023, 10, 1), "quarter", date(2023, 12, 31)),
        (date(2021, 1, 1), "year", date(2021, 12, 31)),
        (date(2020, 1, 1), "decade", date(2029, 12, 31)),
    ],
)
def test_period_end(day: date, precision: str, end: date | None) -> None:
    from tracker.store import period_end

    assert period_end(day, precision) == end


def test_hand_made_month_event_is_found_by_a_since_inside_that_month(engine) -> None:
    with session_scope(engine) as s:
        add_event(s, event_in=EventIn(title="Talks in August", date=date(2023, 8, 1), precision="month",
                                      countries=["NER"]))
        found = list_events(s, EventFilter(since=date(2023, 8, 15)))
    assert [e.title for e in found] == ["Talks in August"] and found[0].date_end == date(2023, 8, 31)


def test_editing_the_title_keeps_a_centroid_at_country_precision(engine) -> None:
    with session_scope(engine) as s:
        ev = add_event(s, event_in=EventIn(title="Talks", date=date(2023, 8, 1), countries=["NER"]))
    assert ev.geo_precision == "country"
    with session_scope(engine) as s:
        edited = update_event(s, event_id=ev.id, event_in=EventIn(
            title="Talks in Niger", date=ev.date, countries=ev.countries, lat=ev.lat, lon=ev.lon))
    assert edited.geo_precision == "country"
    with session_scope(engine) as s:
        moved = update_event(s, event_id=ev.id, event_in=EventIn(
            title="Talks in Agadez", date=ev.date, countries=ev.countries, lat=16.97, lon=7.99,
            place_name="Agadez"))
    assert moved.geo_precision == "place"
