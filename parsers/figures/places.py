"""Places (countries, regions, cities) as data, and finding them in text."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .lexicon import Lexicon, branch_index

#: a side of a place, as an adjective ("eastern", "far north-western", "central"): regex fragment
COMPASS_SIDE = r"(?:far\s+)?(?:(?:north|south)[- ]?(?:east|west)ern|eastern|western|northern|southern|central)"

#: canonical place -> (kind, aliases as regex fragments incl. demonym adjectives)
PLACES: dict[str, tuple[str, list[str]]] = {
    "Syria": ("country", [r"Syria", r"Syrian(?= territory| land| soil| state)", r"the Syrian Arab Republic"]),
    "Iraq": ("country", [r"Iraq", r"Iraqi(?= territory| land| soil| state)"]),
    "Ukraine": ("country", [r"Ukraine", r"Ukrainian(?= territory| land| soil| state)"]),
    "Russia": ("country", [r"Russia", r"Russian(?= territory| land| soil)"]),
    "Afghanistan": ("country", [r"Afghanistan", r"Afghan(?= territory| land| soil)"]),
    "Somalia": ("country", [r"Somalia", r"Somali(?= territory| land| soil)"]),
    "Libya": ("country", [r"Libya", r"Libyan(?= territory| land| soil)"]),
    "Yemen": ("country", [r"Yemen", r"Yemeni(?= territory| land| soil)"]),
    "Lebanon": ("country", [r"Lebanon", r"Lebanese(?= territory| land| soil)"]),
    "Nigeria": ("country", [r"Nigeria"]),
    "Mali": ("country", [r"Mali"]),
    "Sudan": ("country", [r"Sudan"]),
    "Myanmar": ("country", [r"Myanmar", r"Burma"]),
    "Turkey": ("country", [r"Turkey"]),
    "Gaza": ("region", [r"(?:the )?Gaza Strip", r"Gaza"]),
    "West Bank": ("region", [r"(?:the )?West Bank"]),
    "Jordan Valley": ("region", [r"(?:the )?Jordan Valley"]),
    "Raqqa": ("region", [r"Raqqa(?:h)?(?: province| governorate| city)?"]),
    "Deir ez-Zor": ("region", [r"Deir[- ]?(?:ez|el|al)?[- ]?Zou?r(?: province| governorate)?", r"Deir Ezzor"]),
    "Aleppo": ("region", [r"Aleppo(?: province| governorate)?"]),
    "Idlib": ("region", [r"Idlib(?: province| governorate)?"]),
    "Hama": ("region", [r"Hama(?: province| governorate)?"]),
    "Homs": ("region", [r"Homs(?: province| governorate)?"]),
    "Daraa": ("region", [r"Daraa(?: province| governorate)?", r"Deraa"]),
    "Palmyra": ("city", [r"Palmyra"]),
    "al-Mayadeen": ("city", [r"(?:al-)?Mayadeen"]),
    "Abu Kamal": ("city", [r"(?:Abu|Albu|al-Bukamal) Kamal", r"Albukamal"]),
    "Eastern Ghouta": ("region", [r"(?:Eastern )?Ghouta"]),
    "Afrin": ("region", [r"Afrin"]),
    "Manbij": ("city", [r"Manbij"]),
    "Mosul": ("city", [r"(?:west(?:ern)? |east(?:ern)? )?Mosul"]),
    "Nineveh": ("region", [r"Nineveh(?: province)?", r"Ninawa"]),
    "Anbar": ("region", [r"(?:al-)?Anbar(?: province)?"]),
    "Kirkuk": ("region", [r"Kirkuk(?: province)?"]),
    "Tal Afar": ("city", [r"Tal Afar", r"Tal'Afar"]),
    "Fallujah": ("city", [r"Fallujah", r"Falluja"]),
    "Ramadi": ("city", [r"Ramadi"]),
    "Helmand": ("region", [r"Helmand(?: province)?"]),
    "Kandahar": ("region", [r"Kandahar(?: province)?"]),
    "Kunduz": ("region", [r"Kunduz(?: province)?"]),
    "Donetsk": ("region", [r"Donetsk(?: region| oblast| province)?"]),
    "Luhansk": ("region", [r"Luhansk(?: region| oblast| province)?", r"Lugansk"]),
    "Donbas": ("region", [r"(?:the )?Donbas+"]),
    "Kharkiv": ("region", [r"Kharkiv(?: region| oblast| province)?", r"Kharkov"]),
    "Kherson": ("region", [r"Kherson(?: region| oblast| province)?"]),
    "Zaporizhzhia": ("region", [r"Zaporizhzhia(?: region| oblast| province)?", r"Zaporozhye"]),
    "Kursk": ("region", [r"Kursk(?: region| oblast| province)?"]),
    "Crimea": ("region", [r"(?:the )?Crimea(?:n peninsula)?"]),
    "Sinai": ("region", [r"(?:the )?Sinai(?: Peninsula)?"]),
    "Sirte": ("city", [r"Sirte"]),
    "Marib": ("region", [r"Marib(?: province| governorate)?"]),
    "Hodeidah": ("region", [r"Hodeidah"]),
    "Lower Shabelle": ("region", [r"Lower Shabelle"]),
    "Rakhine": ("region", [r"Rakhine(?: state)?"]),
    "Darfur": ("region", [r"Darfur"]),
    "Borno": ("region", [r"Borno(?: state)?"]),
    "Hasakah": ("region", [r"(?:al-)?Hasakah?(?: province| governorate)?", r"Hassakeh"]),
    "Latakia": ("region", [r"Latakia(?: province)?"]),
    "Quneitra": ("region", [r"Quneitra(?: province)?"]),
    "Bakhmut": ("city", [r"Bakhmut"]),
    "Avdiivka": ("city", [r"Avdiivka"]),
    "Kupiansk": ("city", [r"Kupiansk"]),
    "Nagorno-Karabakh": ("region", [r"Nagorno[- ]Karabakh", r"Karabakh"]),
    "Shan": ("region", [r"(?:northern )?Shan(?: State| state)"]),
    "Kachin": ("region", [r"Kachin(?: State| state)"]),
    "Chin": ("region", [r"Chin(?: State| state)"]),
    "Sagaing": ("region", [r"Sagaing(?: Region| region)?"]),
    "Taiz": ("region", [r"Taiz(?: province| governorate)?", r"Ta'izz"]),
    "Shabwa": ("region", [r"Shabwa(?:h)?(?: province| governorate)?"]),
    "Al Bayda": ("region", [r"(?:Al[- ])?Bayda(?: province| governorate)?"]),
    "Aden": ("city", [r"Aden"]),
    "Tripoli": ("city", [r"Tripoli"]),
    "Benghazi": ("city", [r"Benghazi"]),
    "Kidal": ("region", [r"Kidal(?: region)?"]),
    "North Kivu": ("region", [r"North Kivu(?: province)?"]),
    "Goma": ("city", [r"Goma"]),
    "Khartoum": ("city", [r"Khartoum"]),
    "El Fasher": ("city", [r"(?:El[- ])?Fasher"]),
    "Gezira": ("region", [r"(?:Al[- ])?Ge?zira(?: state)?", r"(?:Al[- ])?Jazirah(?: state)?"]),
    "Cabo Delgado": ("region", [r"Cabo Delgado(?: province)?"]),
    "Tigray": ("region", [r"Tigray(?: region)?"]),
    "Hiiraan": ("region", [r"Hiiraan", r"Hiran"]),
    "Middle Shabelle": ("region", [r"Middle Shabelle"]),
    "Marawi": ("city", [r"Marawi"]),
    "Shusha": ("city", [r"Shusha", r"Shushi"]),
    "Fuzuli": ("region", [r"Fuzuli"]), "Jabrayil": ("region", [r"Jabrayil", r"Jebrail"]),
    "Khojavend": ("region", [r"Khojavend"]), "Zangilan": ("region", [r"Zangilan"]),
    "Lachin": ("region", [r"Lachin"]), "Kalbajar": ("region", [r"Kalbajar"]),
    "Aghdam": ("region", [r"Aghdam", r"Agdam"]),
    "Hadrut": ("city", [r"Hadrut"]), "Stepanakert": ("city", [r"Stepanakert", r"Khankendi"]),
    "Karenni": ("region", [r"Karenni(?: State| state)?", r"Kayah(?: State| state)?"]),
    "Kayin": ("region", [r"Kayin(?: State| state)?", r"Karen State"]),
    "Magway": ("region", [r"Magway(?: Region| region)?", r"Magwe"]),
    "Lashio": ("city", [r"Lashio"]),
    "Loikaw": ("city", [r"Loikaw"]),
    "Laukkai": ("city", [r"Laukkai"]),
    "Sittwe": ("city", [r"Sittwe"]),
    # Myanmar's towns that the post-2021 fighting made news
    "Myawaddy": ("city", [r"Myawadd?y"]), "Mandalay": ("city", [r"Mandalay"]),
    "Yangon": ("city", [r"Yangon", r"Rangoon"]),
    "Pyin Oo Lwin": ("city", [r"Pyin Oo Lwin"]), "Hsenwi": ("city", [r"Hsenwi"]), "Kutkai": ("city", [r"Kutkai"]),
    "Namhsan": ("city", [r"Namhsan"]), "Mogok": ("city", [r"Mogok"]), "Paletwa": ("city", [r"Paletwa"]),
    "Muse": ("city", [r"Muse(?= township| Township|,)"]), "Kyaukme": ("city", [r"Kyaukme"]),
    "Hsipaw": ("city", [r"Hsipaw"]), "Namhkam": ("city", [r"Namhkam"]), "Bhamo": ("city", [r"Bhamo"]),
    "Hpakant": ("city", [r"Hpakant"]), "Kyauktaw": ("city", [r"Kyauktaw"]), "Mrauk-U": ("city", [r"Mrauk[- ]U\b"]),
    "Buthidaung": ("city", [r"Buthidaung"]), "Maungdaw": ("city", [r"Maungdaw"]), "Thandwe": ("city", [r"Thandwe"]),
    "Falam": ("city", [r"Falam"]), "Hakha": ("city", [r"Hakha"]), "Mindat": ("city", [r"Mindat"]),
    "Tedim": ("city", [r"Tedim"]), "Kawkareik": ("city", [r"Kawkareik"]), "Demoso": ("city", [r"Demoso"]),
    # North and South Kivu towns of the M23 war
    "Bunagana": ("city", [r"Bunagana"]), "Rutshuru": ("city", [r"Rutshuru"]), "Kiwanja": ("city", [r"Kiwanja"]),
    "Rumangabo": ("city", [r"Rumangabo"]), "Kibumba": ("city", [r"Kibumba"]), "Masisi": ("region", [r"Masisi"]),
    "Sake": ("city", [r"Sake(?= town|,| in)"]), "Minova": ("city", [r"Minova"]), "Bukavu": ("city", [r"Bukavu"]),
    "Kitshanga": ("city", [r"Kitshanga"]), "Nyiragongo": ("region", [r"Nyiragongo"]), "Jomba": ("city", [r"Jomba"]),
    "Kalehe": ("region", [r"Kalehe"]), "Walikale": ("region", [r"Walikale"]), "Uvira": ("city", [r"Uvira"]),
    "South Kivu": ("region", [r"South Kivu(?: province)?"]),
    # Cabo Delgado's district towns (where the Mozambican insurgency is reported from)
    "Mocimboa da Praia": ("city", [r"Moc[ií]mboa da Praia", r"Moc[ií]mboa"]), "Palma": ("city", [r"Palma(?! de)"]),
    "Macomia": ("city", [r"Macomia"]), "Quissanga": ("city", [r"Quissanga"]), "Muidumbe": ("city", [r"Muidumbe"]),
    "Mueda": ("city", [r"Mueda"]), "Nangade": ("city", [r"Nangade"]), "Ancuabe": ("city", [r"Ancuabe"]),
    "Meluco": ("city", [r"Meluco"]), "Metuge": ("city", [r"Metuge"]), "Montepuez": ("city", [r"Montepuez"]),
    # Somalia's federal member states and the central towns of the offensives against al-Shabaab
    "Galmudug": ("region", [r"Galmudug(?: state| State)?"]), "Hirshabelle": ("region", [r"Hirshabelle"]),
    "Jubaland": ("region", [r"Jubaland"]), "Puntland": ("region", [r"Puntland"]),
    "Dusamareb": ("city", [r"Dh?usa?mareb"]), "Beledweyne": ("city", [r"Beled ?weyne"]),
    "Adan Yabaal": ("city", [r"Adan Yaba?al"]), "Harardhere": ("city", [r"Harardh?ere"]),
    "El Buur": ("city", [r"El[- ]Buu?r"]), "Mahas": ("city", [r"Mahas"]),
    # Haiti's communes outside the capital that gang reporting names
    "Mirebalais": ("city", [r"Mirebalais"]), "Saut-d'Eau": ("city", [r"Saut[- ]d['’]Eau"]),
    "Croix-des-Bouquets": ("city", [r"Croix[- ]des[- ]Bouquets"]), "Cabaret": ("city", [r"Cabaret(?= commune|,| in)"]),
    "Kenscoff": ("city", [r"Kenscoff"]), "Petion-Ville": ("city", [r"P[ée]tion[- ]?Ville"]),
    "Cite Soleil": ("city", [r"Cit[ée] Soleil"]), "Martissant": ("city", [r"Martissant"]),
}

#: the country of each place above (a clue to which country a text is about)
PLACE_COUNTRY: dict[str, str] = {
    **dict.fromkeys(["Raqqa", "Deir ez-Zor", "Aleppo", "Idlib", "Hama", "Homs", "Daraa", "Palmyra",
                     "al-Mayadeen", "Abu Kamal", "Eastern Ghouta", "Afrin", "Manbij", "Hasakah",
                     "Latakia", "Quneitra"], "Syria"),
    **dict.fromkeys(["Mosul", "Nineveh", "Anbar", "Kirkuk", "Tal Afar", "Fallujah", "Ramadi"], "Iraq"),
    **dict.fromkeys(["Helmand", "Kandahar", "Kunduz"], "Afghanistan"),
    **dict.fromkeys(["Donetsk", "Luhansk", "Donbas", "Kharkiv", "Kherson", "Zaporizhzhia", "Crimea",
                     "Bakhmut", "Avdiivka", "Kupiansk"], "Ukraine"),
    "Kursk": "Russia", "Sinai": "Egypt", "Sirte": "Libya", "Tripoli": "Libya", "Benghazi": "Libya",
    **dict.fromkeys(["Marib", "Hodeidah", "Taiz", "Shabwa", "Al Bayda", "Aden"], "Yemen"),
    **dict.fromkeys(["Lower Shabelle", "Hiiraan", "Middle Shabelle", "Galmudug", "Hirshabelle", "Jubaland",
                     "Puntland", "Dusamareb", "Beledweyne", "Adan Yabaal", "Harardhere", "El Buur", "Mahas"],
                    "Somalia"),
    **dict.fromkeys(["Rakhine", "Shan", "Kachin", "Chin", "Sagaing", "Karenni", "Kayin", "Magway", "Lashio",
                     "Loikaw", "Laukkai", "Sittwe"], "Myanmar"),
    **dict.fromkeys(["Darfur", "Khartoum", "El Fasher", "Gezira"], "Sudan"),
    "Borno": "Nigeria", "Nagorno-Karabakh": "Azerbaijan",
    **dict.fromkeys(["Shusha", "Fuzuli", "Jabrayil", "Khojavend", "Zangilan", "Lachin", "Kalbajar", "Aghdam",
                     "Hadrut", "Stepanakert"], "Azerbaijan"), "Kidal": "Mali",
    "North Kivu": "Democratic Republic of the Congo", "Goma": "Democratic Republic of the Congo",
    "Cabo Delgado": "Mozambique", "Tigray": "Ethiopia", "Marawi": "Philippines",
    **dict.fromkeys(["Myawaddy", "Mandalay", "Yangon", "Pyin Oo Lwin", "Hsenwi", "Kutkai", "Namhsan", "Mogok",
                     "Paletwa", "Muse", "Kyaukme", "Hsipaw", "Namhkam", "Bhamo", "Hpakant", "Kyauktaw", "Mrauk-U",
                     "Buthidaung", "Maungdaw", "Thandwe", "Falam", "Hakha", "Mindat", "Tedim", "Kawkareik",
                     "Demoso"], "Myanmar"),
    **dict.fromkeys(["Bunagana", "Rutshuru", "Kiwanja", "Rumangabo", "Kibumba", "Masisi", "Sake", "Minova", "Bukavu",
                     "Kitshanga", "Nyiragongo", "Jomba", "Kalehe", "Walikale", "Uvira", "South Kivu"],
                    "Democratic Republic of the Congo"),
    **dict.fromkeys(["Mocimboa da Praia", "Palma", "Macomia", "Quissanga", "Muidumbe", "Mueda", "Nangade",
                     "Ancuabe", "Meluco", "Metuge", "Montepuez"], "Mozambique"),
    **dict.fromkeys(["Mirebalais", "Saut-d'Eau", "Croix-des-Bouquets", "Cabaret", "Kenscoff",
                     "Petion-Ville", "Cite Soleil", "Martissant"], "Haiti"),
    # the state whose forces act there (for "the army", "the government")
    "Gaza": "Israel", "West Bank": "Israel", "Jordan Valley": "Israel",
}


class PlaceMention(NamedTuple):
    """A place mention in a sentence."""

    name: str
    kind: str
    start: int
    end: int


_ALTS = [(name, kind, alias) for name, (kind, aliases) in PLACES.items() for alias in aliases]
_ALTS.sort(key=lambda t: len(t[2]), reverse=True)
_PLACES = Lexicon([f"(?P<p{i}>{a})" for i, (_, _, a) in enumerate(_ALTS)])


@lru_cache(maxsize=64)
def find_places(sentence: str) -> tuple[PlaceMention, ...]:
    """All place mentions in `sentence` (case-sensitive: places are proper nouns); cached, as
    both the quantity and the figure steps ask for a sentence's places."""
    out = []
    for m in _PLACES.finditer(sentence):
        name, kind, _ = _ALTS[branch_index(m)]
        out.append(PlaceMention(name, kind, m.start(), m.end()))
    from .countries import find_countries

    for c in find_countries(sentence):  # every other country, its capital and provinces
        if c.kind == "adjective" or any(p.start < c.end and c.start < p.end for p in out):
            continue
        kind = {"name": "country", "capital": "city", "province": "region"}[c.kind]
        name = c.country if c.kind == "name" else sentence[c.start: c.end]
        out.append(PlaceMention(name, kind, c.start, c.end))
    out.sort(key=lambda p: p.start)
    return tuple(out)


def place_kind(name: str) -> str | None:
    """'country', 'region' or 'city' for a canonical place name."""
    entry = PLACES.get(name)
    return entry[0] if entry else None
