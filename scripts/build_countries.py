"""Write tracker/data/countries.csv from pycountry + countryinfo plus hand-written names.

Run with the build extra installed (``pip install -e .[build]``)::

    .venv/bin/python scripts/build_countries.py

Why a build script: the runtime must not import pycountry/countryinfo (big, and not needed once the
table exists), so this script turns them into one small committed CSV that ``tracker.entities`` reads
with the stdlib. Re-running it is deterministic.

Columns: iso3, iso2, name, lat, lon (centroid of the largest polygon, for map markers), min_lat,
min_lon, max_lat, max_lon (bounding box over all polygons, for sanity tests), region (countryinfo's
continent label), aliases, demonyms, metonyms (all ``|``-separated).

Aliases/demonyms claimed by two countries are dropped unless a hand-written table below names an
owner: "Congolese" or "Dominican" must not silently pick a side, while "French" belongs to France
rather than to Réunion.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

import countryinfo
import pycountry

OUT = Path(__file__).resolve().parent.parent / "tracker" / "data" / "countries.csv"

# Display names: pycountry's names are ISO's ("Russian Federation", "Iran, Islamic Republic of"),
# which read badly on a timeline.
NAME_OVERRIDES: dict[str, str] = {
    "RUS": "Russia",
    "IRN": "Iran",
    "SYR": "Syria",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "TZA": "Tanzania",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "VNM": "Vietnam",
    "LAO": "Laos",
    "MDA": "Moldova",
    "CZE": "Czechia",
    "CIV": "Côte d'Ivoire",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "TWN": "Taiwan",
    "PSE": "Palestine",
    "FSM": "Micronesia",
    "VAT": "Vatican City",
    "BRN": "Brunei",
    "CPV": "Cabo Verde",
    "SWZ": "Eswatini",
    "TUR": "Türkiye",
    "GMB": "Gambia",
    "MKD": "North Macedonia",
    "USA": "United States",
    "GBR": "United Kingdom",
    "FLK": "Falkland Islands",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "MAF": "Saint Martin",
    "SXM": "Sint Maarten",
    "CCK": "Cocos Islands",
    "BES": "Caribbean Netherlands",
    "SHN": "Saint Helena",
}

# Extra names that analysts and wire copy use (hand-written; owner wins ties).
ALIASES: dict[str, list[str]] = {
    "USA": ["United States", "United States of America", "U.S.", "U.S.A.", "USA", "US", "America", "the States"],
    "GBR": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "RUS": ["Russia", "Russian Federation"],
    "FRA": ["France", "French Republic"],
    "DEU": ["Germany"],
    "CHN": ["China", "People's Republic of China", "PRC"],
    "TUR": ["Turkey", "Turkiye", "Türkiye"],
    "ARE": ["United Arab Emirates", "UAE", "the Emirates"],
    "SAU": ["Saudi Arabia"],
    "IRN": ["Iran"],
    "UKR": ["Ukraine"],
    "ISR": ["Israel"],
    "NER": ["Niger", "Republic of Niger", "Niger Republic", "Republic of the Niger"],
    "NGA": ["Nigeria", "Federal Republic of Nigeria"],
    "MLI": ["Mali", "Republic of Mali"],
    "BFA": ["Burkina Faso", "Burkina"],
    "TCD": ["Chad", "Republic of Chad", "Tchad"],
    "MRT": ["Mauritania", "Islamic Republic of Mauritania"],
    "SEN": ["Senegal", "Sénégal"],
    "CIV": ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"],
    "GIN": ["Guinea", "Guinea-Conakry", "Guinée"],
    "GNB": ["Guinea-Bissau", "Guinea Bissau"],
    "GMB": ["Gambia", "The Gambia"],
    "BEN": ["Benin", "Bénin"],
    "TGO": ["Togo"],
    "GHA": ["Ghana"],
    "CMR": ["Cameroon", "Cameroun"],
    "CAF": ["Central African Republic", "CAR", "Centrafrique"],
    "DZA": ["Algeria", "Algérie"],
    "LBY": ["Libya"],
    "MAR": ["Morocco", "Maroc"],
    "SDN": ["Sudan"],
    "SSD": ["South Sudan"],
    "COD": ["Democratic Republic of the Congo", "Democratic Republic of Congo", "DR Congo", "DRC", "Congo-Kinshasa"],
    "COG": ["Republic of the Congo", "Republic of Congo", "Congo-Brazzaville", "Congo"],
    "CPV": ["Cabo Verde", "Cape Verde"],
    "SWZ": ["Eswatini", "Swaziland"],
    "KOR": ["South Korea", "Republic of Korea"],
    "PRK": ["North Korea"],
    "CZE": ["Czechia", "Czech Republic"],
    "NLD": ["Netherlands", "the Netherlands", "Holland"],
    "MMR": ["Myanmar", "Burma"],
    "PSE": ["Palestine", "State of Palestine"],
    "VAT": ["Vatican City", "Holy See", "the Vatican"],
}

# Demonyms / adjectives. Niger and Nigeria are the trap: "Nigerien" (and French "Nigérien") is NER,
# "Nigerian" is NGA.
DEMONYMS: dict[str, list[str]] = {
    "NER": ["Nigerien", "Nigériens", "Nigerienne", "Nigeriens", "Nigérien", "Nigérienne", "Nigériennes"],
    "NGA": ["Nigerian", "Nigerians"],
    "MLI": ["Malian", "Malians", "Malien", "Malienne", "Maliens", "Maliennes"],
    "BFA": ["Burkinabe", "Burkinabè", "Burkinabé", "Burkinabes", "Burkinabès", "Burkinese"],
    "TCD": ["Chadian", "Chadians", "Tchadien", "Tchadienne", "Tchadiens"],
    "MRT": ["Mauritanian", "Mauritanians"],
    "SEN": ["Senegalese"],
    "CIV": ["Ivorian", "Ivorians", "Ivoirien", "Ivoirienne"],
    "GIN": ["Guinean", "Guineans"],
    "GNB": ["Bissau-Guinean", "Bissau-Guineans"],
    "GMB": ["Gambian", "Gambians"],
    "BEN": ["Beninese", "Béninois"],
    "TGO": ["Togolese"],
    "GHA": ["Ghanaian", "Ghanaians"],
    "CMR": ["Cameroonian", "Cameroonians"],
    "CAF": ["Central African", "Centrafrican"],
    "DZA": ["Algerian", "Algerians"],
    "LBY": ["Libyan", "Libyans"],
    "MAR": ["Moroccan", "Moroccans"],
    "TUN": ["Tunisian", "Tunisians"],
    "EGY": ["Egyptian", "Egyptians"],
    "SDN": ["Sudanese"],
    "SSD": ["South Sudanese"],
    "ETH": ["Ethiopian", "Ethiopians"],
    "ERI": ["Eritrean", "Eritreans"],
    "SOM": ["Somali", "Somalis", "Somalian"],
    "KEN": ["Kenyan", "Kenyans"],
    "UGA": ["Ugandan", "Ugandans"],
    "RWA": ["Rwandan", "Rwandans"],
    "BDI": ["Burundian", "Burundians"],
    "TZA": ["Tanzanian", "Tanzanians"],
    "COD": ["Congolese"],
    "COG": ["Brazzaville Congolese"],
    "DJI": ["Djiboutian", "Djiboutians"],
    "GAB": ["Gabonese"],
    "GNQ": ["Equatorial Guinean", "Equatoguinean"],
    "SLE": ["Sierra Leonean", "Sierra Leoneans"],
    "LBR": ["Liberian", "Liberians"],
    "CPV": ["Cape Verdean", "Cabo Verdean"],
    "ZAF": ["South African", "South Africans"],
    "AGO": ["Angolan", "Angolans"],
    "MOZ": ["Mozambican", "Mozambicans"],
    "ZWE": ["Zimbabwean", "Zimbabweans"],
    "ZMB": ["Zambian", "Zambians"],
    "ESH": ["Sahrawi", "Sahrawis", "Saharawi"],
    "USA": ["American", "Americans"],
    "GBR": ["British", "Briton", "Britons"],
    "FRA": ["French", "Frenchman", "Frenchmen"],
    "RUS": ["Russian", "Russians"],
    "CHN": ["Chinese"],
    "DEU": ["German", "Germans"],
    "ITA": ["Italian", "Italians"],
    "ESP": ["Spanish", "Spaniard", "Spaniards"],
    "TUR": ["Turkish", "Turk", "Turks"],
    "UKR": ["Ukrainian", "Ukrainians"],
    "IRN": ["Iranian", "Iranians"],
    "ISR": ["Israeli", "Israelis"],
    "SAU": ["Saudi", "Saudis"],
    "ARE": ["Emirati", "Emiratis"],
    "QAT": ["Qatari", "Qataris"],
    "IND": ["Indian", "Indians"],
    "JPN": ["Japanese"],
    "CAN": ["Canadian", "Canadians"],
    "BEL": ["Belgian", "Belgians"],
    "NLD": ["Dutch"],
    "PRT": ["Portuguese"],
    "BRA": ["Brazilian", "Brazilians"],
    "PAK": ["Pakistani", "Pakistanis"],
    "NOR": ["Norwegian", "Norwegians"],
}

# Capitals and buildings that stand for a government in analysts' prose ("Paris recalled its
# ambassador"). Sahel capitals are included because an event there is in that country anyway.
METONYMS: dict[str, list[str]] = {
    "USA": ["Washington", "the White House", "the Pentagon", "the State Department"],
    "RUS": ["Moscow", "the Kremlin"],
    "FRA": ["Paris", "the Élysée", "Élysée Palace", "the Quai d'Orsay"],
    "GBR": ["London", "Downing Street", "Whitehall"],
    "CHN": ["Beijing"],
    "TUR": ["Ankara"],
    "UKR": ["Kyiv", "Kiev"],
    "IRN": ["Tehran"],
    "DEU": ["Berlin"],
    "NGA": ["Abuja", "Aso Rock"],
    "NER": ["Niamey"],
    "MLI": ["Bamako", "Koulouba"],
    "BFA": ["Ouagadougou", "Ouaga"],
    "TCD": ["N'Djamena", "Ndjamena"],
    "MRT": ["Nouakchott"],
    "DZA": ["Algiers"],
    "MAR": ["Rabat"],
    "SEN": ["Dakar"],
    "GHA": ["Accra"],
    "TGO": ["Lomé"],
    "BEN": ["Cotonou", "Porto-Novo"],
    "CIV": ["Abidjan", "Yamoussoukro"],
    "CMR": ["Yaoundé"],
    "CAF": ["Bangui"],
    "SDN": ["Khartoum"],
    "LBY": ["Tripoli"],
    "EGY": ["Cairo"],
    "GIN": ["Conakry"],
}

# Small territories that countryinfo has no coordinates for (approximate centres).
EXTRA_CENTROIDS: dict[str, tuple[float, float]] = {
    "ALA": (60.2, 20.0),
    "BES": (12.2, -68.3),
    "BLM": (17.9, -62.83),
    "CUW": (12.17, -68.99),
    "MAF": (18.07, -63.05),
    "SXM": (18.04, -63.07),
    "TCA": (21.7, -71.8),
    "VGB": (18.43, -64.62),
    "VIR": (18.34, -64.9),
    "BVT": (-54.42, 3.36),
    "UMI": (19.3, 166.6),
}

# countryinfo's native-language spellings that are ordinary words or names in English copy.
DROP_ALIASES = {"Island", "Mann", "Mannin", "Prathet", "Mexicanos", "Portuguesa", "Zhonghua", "Guiana"}
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .\-ʾ]+$")

CODE_LIKE = re.compile(r"^[A-Z]{2,3}$")


def _ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Shoelace area and centroid (lon, lat) of one closed ring."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def _geometry(info: dict) -> tuple[tuple[float, float] | None, tuple[float, float, float, float] | None]:
    """Centroid of the largest polygon and the bounding box of all of them (None if no shape)."""
    gj = info.get("geoJSON") or {}
    polys: list[list[list[float]]] = []
    for feat in gj.get("features", []):
        geom = feat.get("geometry") or {}
        if geom.get("type") == "Polygon":
            polys.append(geom["coordinates"][0])
        elif geom.get("type") == "MultiPolygon":
            polys.extend(p[0] for p in geom["coordinates"])
    if not polys:
        return None, None
    best = max((_ring_area_centroid(r) for r in polys), key=lambda t: t[0])
    lons = [p[0] for r in polys for p in r]
    lats = [p[1] for r in polys for p in r]
    return (best[2], best[1]), (min(lats), min(lons), max(lats), max(lons))


def _fold(s: str) -> str:
    """Case/diacritic-insensitive key, used only to detect clashes between countries."""
    import unicodedata

    s = s.replace("\u2019", "'")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).casefold()


def main() -> int:
    infos: dict[str, dict] = {}
    for ci in countryinfo.all_countries():
        info = ci.info()
        iso = (info.get("ISO") or {}).get("alpha3")
        # countryinfo holds several files per code (United Kingdom, Wales...): keep the one with a shape.
        if iso and (iso not in infos or (info.get("geoJSON") and not infos[iso].get("geoJSON"))):
            infos[iso] = info

    rows = []
    claims: dict[str, dict[str, set[str]]] = {"aliases": defaultdict(set), "demonyms": defaultdict(set)}
    per: dict[str, dict[str, list[str]]] = {}
    for c in pycountry.countries:
        iso3, iso2 = c.alpha_3, c.alpha_2
        info = infos.get(iso3, {})
        name = NAME_OVERRIDES.get(iso3) or getattr(c, "common_name", None) or c.name
        centroid, bbox = _geometry(info)
        if centroid is None:
            ll = info.get("latlng") or []
            if len(ll) != 2 and iso3 not in EXTRA_CENTROIDS:
                print(f"skip {iso3} {name}: no coordinates", file=sys.stderr)
                continue
            centroid = (float(ll[0]), float(ll[1])) if len(ll) == 2 else EXTRA_CENTROIDS[iso3]
            bbox = (centroid[0] - 1, centroid[1] - 1, centroid[0] + 1, centroid[1] + 1)
        aliases = [name, c.name, getattr(c, "common_name", ""), getattr(c, "official_name", ""), info.get("name", "")]
        aliases += [
            a
            for a in info.get("altSpellings", [])
            if a not in (iso2, iso3) and a not in DROP_ALIASES and LATIN.match(a)
        ]
        aliases += ALIASES.get(iso3, [])
        aliases = [
            a.strip()
            for a in aliases
            if a and "," not in a and "(" not in a and (not CODE_LIKE.match(a) or a in ALIASES.get(iso3, []))
        ]
        demonyms = [d for d in [info.get("demonym", "")] + DEMONYMS.get(iso3, []) if d]
        per[iso3] = {"aliases": aliases, "demonyms": demonyms}
        for col in ("aliases", "demonyms"):
            for a in aliases if col == "aliases" else demonyms:
                claims[col][_fold(a)].add(iso3)
        rows.append([iso3, iso2, name, centroid, bbox, info.get("region", "")])

    owners: dict[str, str] = {}
    for table in (ALIASES, DEMONYMS, METONYMS):
        for iso, names in table.items():
            for n in names:
                owners[_fold(n)] = iso
    # A demonym that is also another country's name (Djibouti's "Djibouti") is fine; a string claimed
    # by two countries is kept only for its hand-written owner.
    all_claims: dict[str, set[str]] = defaultdict(set)
    for col in claims.values():
        for k, v in col.items():
            all_claims[k] |= v

    def keep(iso: str, alias: str) -> bool:
        k = _fold(alias)
        if k in owners:
            return owners[k] == iso
        if len(all_claims[k]) > 1:
            print(f"drop ambiguous {alias!r} claimed by {sorted(all_claims[k])}", file=sys.stderr)
            return False
        return True

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
                "iso3",
                "iso2",
                "name",
                "lat",
                "lon",
                "min_lat",
                "min_lon",
                "max_lat",
                "max_lon",
                "region",
                "aliases",
                "demonyms",
                "metonyms",
            ]
        )
        for iso3, iso2, name, (lat, lon), bbox, region in sorted(rows, key=lambda r: r[0]):
            out: dict[str, list[str]] = {}
            for col in ("aliases", "demonyms"):
                seen: dict[str, str] = {}
                for a in per[iso3][col]:
                    if keep(iso3, a) and _fold(a) not in seen and (col == "aliases" or _fold(a) != _fold(name)):
                        seen[_fold(a)] = a
                out[col] = list(seen.values())
            w.writerow(
                [
                    iso3,
                    iso2,
                    name,
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    *(f"{b:.3f}" for b in bbox),
                    region,
                    "|".join(out["aliases"]),
                    "|".join(out["demonyms"]),
                    "|".join(METONYMS.get(iso3, [])),
                ]
            )
    print(f"wrote {len(rows)} countries to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
