"""Row-level checks on the committed entity tables (countries, actors, places).

These guard the hand-written and generated CSVs against the mistakes that would silently corrupt
extraction: an alias that points at two actors, a place in the wrong hemisphere, a country code that
does not exist, a duplicate town that makes plain-text lookup arbitrary.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "tracker" / "data"
ACTOR_KINDS = {"state", "person", "organisation", "armed group", "coalition"}
PLACE_KINDS = {"capital", "town", "region", "base", "site"}
# Countries the gazetteer is meant to cover (Sahel and neighbours).
SAHEL = {
    "MRT",
    "MLI",
    "BFA",
    "NER",
    "TCD",
    "SDN",
    "SEN",
    "GMB",
    "GIN",
    "CIV",
    "GHA",
    "TGO",
    "BEN",
    "NGA",
    "CMR",
    "CAF",
    "DZA",
    "LBY",
}
AFRICA_BOX = (-35.0, -26.0, 38.0, 52.0)  # min_lat, min_lon, max_lat, max_lon


def fold(value: str) -> str:
    value = value.replace("\u2019", "'")
    value = "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))
    return " ".join(value.split()).casefold()


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


COUNTRIES = read("countries.csv")
ACTORS = read("actors.csv")
PLACES = read("places.csv")
BY_ISO3 = {r["iso3"]: r for r in COUNTRIES}


def test_required_columns() -> None:
    assert set(COUNTRIES[0]) >= {"iso3", "iso2", "name", "lat", "lon", "aliases", "demonyms", "metonyms"}
    assert set(ACTORS[0]) >= {"name", "kind", "country", "aliases"}
    assert set(PLACES[0]) >= {"name", "alternates", "lat", "lon", "country", "kind", "population", "match"}


def test_no_empty_cells_where_required() -> None:
    for r in COUNTRIES:
        assert all(r[k] for k in ("iso3", "iso2", "name", "lat", "lon")), r
    for r in ACTORS:
        assert r["name"] and r["kind"], r
    for r in PLACES:
        assert all(r[k] for k in ("name", "lat", "lon", "country", "kind", "match")), r


# ---------------------------------------------------------------------------------------- countries


def test_country_codes_unique_and_well_formed() -> None:
    iso3 = [r["iso3"] for r in COUNTRIES]
    iso2 = [r["iso2"] for r in COUNTRIES]
    assert len(iso3) == len(set(iso3)) and len(iso2) == len(set(iso2))
    assert all(len(c) == 3 and c.isupper() for c in iso3)
    assert all(len(c) == 2 and c.isupper() for c in iso2)
    assert len(COUNTRIES) >= 193  # every UN member, plus territories


def test_country_centroids_in_range_and_inside_bbox() -> None:
    for r in COUNTRIES:
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r["iso3"]
        if r["min_lat"]:
            assert float(r["min_lat"]) - 0.5 <= lat <= float(r["max_lat"]) + 0.5, r["iso3"]
            assert float(r["min_lon"]) - 0.5 <= lon <= float(r["max_lon"]) + 0.5, r["iso3"]


def test_country_aliases_unambiguous() -> None:
    """No name, alias, demonym or metonym may point at two countries."""
    owner: dict[str, str] = {}
    for r in COUNTRIES:
        for col in ("name", "aliases", "demonyms", "metonyms"):
            for alias in filter(None, r[col].split("|")):
                key = fold(alias)
                assert owner.setdefault(key, r["iso3"]) == r["iso3"], (alias, owner[key], r["iso3"])


@pytest.mark.parametrize(
    ("iso3", "demonym"),
    [
        ("NER", "Nigerien"),
        ("NGA", "Nigerian"),
        ("MLI", "Malian"),
        ("BFA", "Burkinabe"),
        ("TCD", "Chadian"),
        ("FRA", "French"),
        ("RUS", "Russian"),
        ("USA", "American"),
        ("CIV", "Ivorian"),
        ("DZA", "Algerian"),
    ],
)
def test_key_demonyms_present(iso3: str, demonym: str) -> None:
    assert demonym in BY_ISO3[iso3]["demonyms"].split("|")


def test_african_demonyms_cover_the_continent() -> None:
    territories = {"ATF", "IOT", "MYT", "REU", "SHN"}  # their people are French/British/Saint Helenian
    missing = [r["iso3"] for r in COUNTRIES if r["region"] == "Africa" and not r["demonyms"]]
    assert set(missing) <= territories, missing


# ------------------------------------------------------------------------------------------- actors


def test_actor_rows_valid() -> None:
    names = [r["name"] for r in ACTORS]
    assert len(names) == len(set(names))
    assert len(ACTORS) >= 80
    for r in ACTORS:
        assert r["kind"] in ACTOR_KINDS, r
        assert not r["country"] or r["country"] in BY_ISO3, r


def test_actor_aliases_unique_across_actors() -> None:
    owner: dict[str, str] = {}
    for r in ACTORS:
        for alias in [r["name"], *filter(None, r["aliases"].split("|"))]:
            key = fold(alias)
            assert owner.setdefault(key, r["name"]) == r["name"], (alias, owner[key], r["name"])


def test_bare_junta_is_not_an_alias() -> None:
    aliases = {fold(a) for r in ACTORS for a in r["aliases"].split("|")}
    assert "the junta" not in aliases and "junta" not in aliases


@pytest.mark.parametrize(
    "name",
    [
        "Russia",
        "United States",
        "France",
        "Nigeria",
        "Niger",
        "Mali",
        "Burkina Faso",
        "Chad",
        "Algeria",
        "Wagner Group",
        "ECOWAS",
        "African Union",
        "United Nations",
        "MINUSMA",
        "European Union",
        "Alliance of Sahel States",
        "Mohamed Bazoum",
        "Abdourahamane Tiani",
        "Vladimir Putin",
        "Bola Tinubu",
        "Assimi Goïta",
        "Ibrahim Traoré",
        "Mahamat Idriss Déby",
        "Idriss Déby",
        "Paul-Henri Sandaogo Damiba",
        "Emmanuel Macron",
        "Antony Blinken",
        "Joe Biden",
        "Yevgeny Prigozhin",
        "Ibrahim Boubacar Keïta",
        "Bah Ndaw",
        "Roch Marc Christian Kaboré",
        "Mahamadou Issoufou",
        "Victoria Nuland",
        "Alassane Ouattara",
        "Macky Sall",
        "JNIM",
        "Islamic State Sahel",
        "ISWAP",
        "Boko Haram",
        "al-Qaeda",
        "AQIM",
        "CNSP",
    ],
)
def test_required_actor_present(name: str) -> None:
    assert name in {r["name"] for r in ACTORS}


def test_state_actors_match_their_country() -> None:
    for r in ACTORS:
        if r["kind"] == "state":
            assert r["country"], r
            assert fold(r["name"]) in {
                fold(a) for a in [BY_ISO3[r["country"]]["name"], *BY_ISO3[r["country"]]["aliases"].split("|")]
            }, r


# ------------------------------------------------------------------------------------------- places


def test_enough_places() -> None:
    assert len(PLACES) >= 300
    per_country = Counter(r["country"] for r in PLACES)
    for iso3 in ("MLI", "BFA", "NER", "TCD", "MRT", "NGA"):
        assert per_country[iso3] >= 20, (iso3, per_country[iso3])


def test_place_rows_valid() -> None:
    for r in PLACES:
        assert r["country"] in BY_ISO3, r
        assert r["kind"] in PLACE_KINDS, r
        assert r["match"] in {"yes", "guarded", "no"}, r
        assert int(r["population"]) >= 0, r
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r


def test_places_inside_their_country_box() -> None:
    """Within 1 degree of the country's bounding box, and inside Africa for African countries."""
    for r in PLACES:
        c = BY_ISO3[r["country"]]
        lat, lon = float(r["lat"]), float(r["lon"])
        assert float(c["min_lat"]) - 1 <= lat <= float(c["max_lat"]) + 1, (r["name"], r["country"], lat)
        assert float(c["min_lon"]) - 1 <= lon <= float(c["max_lon"]) + 1, (r["name"], r["country"], lon)
        if c["region"] == "Africa":
            assert AFRICA_BOX[0] <= lat <= AFRICA_BOX[2] and AFRICA_BOX[1] <= lon <= AFRICA_BOX[3], r


def test_no_duplicate_names_within_a_country() -> None:
    seen: dict[tuple[str, str], str] = {}
    for r in PLACES:
        key = (fold(r["name"]), r["country"])
        assert key not in seen, (r["name"], r["country"])
        seen[key] = r["name"]


def test_place_names_do_not_shadow_countries() -> None:
    """A place matched in running text must never be a country name or demonym ("Mali", "Niger")."""
    country_words = {
        fold(a) for r in COUNTRIES for col in ("name", "aliases", "demonyms") for a in r[col].split("|") if a
    }
    for r in PLACES:
        if r["match"] == "no":
            continue
        for alias in [r["name"], *filter(None, r["alternates"].split("|"))]:
            assert fold(alias) not in country_words, (alias, r["country"])


def test_same_name_across_countries_is_known() -> None:
    """Shared names are allowed (Gao, MLI and BFA) but the bigger one must be unambiguous."""
    by_name: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in PLACES:
        by_name[fold(r["name"])].append(r)
    gao = sorted(by_name["gao"], key=lambda r: -int(r["population"]))
    assert [r["country"] for r in gao] == ["MLI", "BFA"]


@pytest.mark.parametrize(
    ("name", "iso3", "kind"),
    [
        ("Agadez", "NER", "town"),
        ("Niamey", "NER", "capital"),
        ("Bamako", "MLI", "capital"),
        ("Ouagadougou", "BFA", "capital"),
        ("N'Djamena", "TCD", "capital"),
        ("Air Base 201", "NER", "base"),
        ("Ouallam", "NER", "town"),
        ("Tillabéri Region", "NER", "region"),
        ("Liptako-Gourma", "BFA", "region"),
        ("Ménaka", "MLI", "town"),
        ("Kidal", "MLI", "town"),
        ("Tessalit", "MLI", "town"),
        ("Madama", "NER", "base"),
    ],
)
def test_required_places(name: str, iso3: str, kind: str) -> None:
    rows = [r for r in PLACES if r["name"] == name and r["country"] == iso3]
    assert rows and rows[0]["kind"] == kind, rows


@pytest.mark.parametrize("name", ["Say", "Mao", "Bol", "Kaya", "Ati", "Gouré", "Bama", "Dori"])
def test_ambiguous_names_are_guarded(name: str) -> None:
    rows = [r for r in PLACES if r["name"] == name]
    assert rows and all(r["match"] in {"guarded", "no"} for r in rows), rows


def test_sahel_countries_covered() -> None:
    covered = {r["country"] for r in PLACES}
    assert SAHEL <= covered, SAHEL - covered
