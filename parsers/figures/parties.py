"""Known parties: canonical name, side (state or non-state), home country, and the surface
names that normalise to it. This table only normalises names it knows; any other party the
actor finder meets keeps its own clean name ("Tuareg rebels", "National Shield Forces").

State forces of a country are built from the country data (`countries.government_of`): the
entries here add only what that cannot derive ("Tatmadaw", "the Assad regime", "Kyiv").
"""

from __future__ import annotations

from typing import NamedTuple


class Party(NamedTuple):
    """One known party."""

    side: str  # state | non_state | jihadist (a non-state party nobody calls a liberator)
    country: str | None  # where it fights (a clue to which country an article is about)
    aliases: tuple[str, ...]  # case-insensitive regex fragments
    acronyms: tuple[str, ...] = ()  # case-sensitive


def _p(side: str, country: str | None, aliases: list[str], acronyms: list[str] | None = None) -> Party:
    return Party(side, country, tuple(aliases), tuple(acronyms or ()))


_FIGHTERS = (r"(?: (?:forces|fighters|militants|insurgents|rebels|terrorists|militias?|jihadists|group|movement"
             r"|troops|units))?")

_BROTHERHOOD_MEMBER = (r"(?:the )?(?:MNDAA|Myanmar National Democratic Alliance Army|TNLA|Ta'ang National Liberation"
                       r" Army|Ara(?:kan|kha) Army|AA)")
#: the alliance named by its three members: "the coalition of the MNDAA, the TNLA and the Arakan Army"
_BROTHERHOOD_BY_MEMBERS = (rf"(?:three-party |three-member )?(?:coalition|alliance) of {_BROTHERHOOD_MEMBER},?"
                           rf" {_BROTHERHOOD_MEMBER},? and {_BROTHERHOOD_MEMBER}")

PARTIES: dict[str, Party] = {
    # ------------------------------------------------------------------ Syria / Iraq
    "Islamic State": _p("jihadist", None, [
        r"(?:the )?Islamic State(?: of Iraq and (?:the Levant|Syria|al-Sham)| in Iraq and (?:the Levant|Syria))?(?: "
            r"group)?" + _FIGHTERS,
        r"(?:so-called |self-declared |self-styled )?(?:Islamic )?caliphate",
        r"Daesh(?: Takfiri)?" + _FIGHTERS, r"Da'esh", r"Daish", r"ISIS[- ]Takfiri", r"Takfiri terrorists?",
        r"Islamic State (?:West Africa|Central Africa|Sahel|Mozambique|Somalia|Khorasan)(?: Province)?",
        r"(?:local )?(?:IS|ISIS|Islamic State)[- ](?:affiliate|affiliated|linked|allied)(?: militants| insurgents| "
            r"fighters| group)?",
        r"Ansar al-Sunn?ah?(?: wa[l]?[- ]Jama'?ah?)?", r"Ahlu Sunnah Wa-Jama",
    ], ["ISIS", "ISIL", "IS", "ISIS-K", "ISKP", "ISWAP", "ISGS", "IS-CAP", "ISCAP", "IS-Sahel"]),
    "Syrian government": _p("state", "Syria", [
        r"Syrian (?:government|regime|Arab) (?:forces|troops|army|soldiers)", r"Syrian Arab Army",
        r"(?:Assad|pro-Assad|Damascus) (?:forces|troops|loyalists)",
        r"(?:the )?Assad (?:regime|government)", r"(?:the )?Syrian regime", r"Tiger Forces",
        # "Bashar al-Assad's forces": the full name carries the article "al-"
        r"(?:al-)?Assad['’]s (?:army|forces|troops|regime|government|loyalists)",
        r"(?:forces|troops|units|soldiers) loyal to "
            r"(?:President )?(?:Bashar al-)?Assad",
    ], ["SAA"]),
    "Syrian Democratic Forces": _p("non_state", "Syria", [
        r"(?:US-backed |U\.S\.-backed |Kurdish-led )?Syrian Democratic Forces",
        r"Kurdish-(?:led|dominated) (?:forces|alliance|fighters|militia|coalition)", r"(?:Arab-Kurdish|Kurdish-Arab) "
            r"alliance",
        r"(?:US-backed |U\.S\.-backed )?alliance of Kurdish and Arab (?:fighters|forces|militias)",
    ], ["SDF", "QSD"]),
    "YPG": _p("non_state", "Syria", [
        r"(?:Kurdish )?People's Protection Units", r"YPG/PKK", r"PKK/PYD", r"Kurdish (?:YPG )?militias?",
    ], ["YPG", "YPJ", "PYD"]),
    "Jaysh al-Islam": _p("non_state", "Syria", [r"Jaysh al-Islam", r"Jaish al-Islam", r"Army of Islam"]),
    "Ahrar al-Sham": _p("non_state", "Syria", [r"Ahrar al-Sham"]),
    "Peshmerga": _p("non_state", "Iraq", [
        r"(?:Kurdish |Iraqi Kurdish )?Peshmerga(?: forces| fighters)?", r"Kurdish security forces",
        r"Kurdistan Regional Government",
    ], ["KRG"]),
    "Hayat Tahrir al-Sham": _p("jihadist", "Syria", [
        r"Hay'?[ae]t Tahrir al-Sham", r"Tahrir al-Sham", r"(?:al-)?Nusra Front",
        r"Jabhat (?:al-)?Nusra", r"Jabhat Fateh al-Sham", r"al-Nusra",
    ], ["HTS"]),
    # the Islamic State's affiliate in the Yarmouk basin: "the Khalid ibn al-Walid Army keeps a pocket"
    "Khalid ibn al-Walid Army": _p("jihadist", "Syria", [
        r"(?:Jaish|Jaysh) Khalid (?:ibn|bin) al-Walid", r"Khalid (?:ibn|bin) al-Walid Army",
    ]),
    "Syrian opposition": _p("non_state", "Syria", [
        r"Free Syrian Army", r"Syrian National Army",
        r"Syrian (?:rebels|opposition)(?: forces| fighters| factions)?",
        r"(?:Turkish|Turkey|Ankara)-(?:backed|supported) (?:Syrian )?(?:rebels|forces|fighters|factions|militias|groups"
            r"|opposition)",
    ], ["FSA"]),
    "Iraqi government": _p("state", "Iraq", [
        r"Iraqi (?:government |security |federal |special )?(?:forces|troops|army|military|soldiers|units|police)",
        r"Iraqi Counter[- ]Terrorism Service", r"Counter[- ]Terrorism Service",
        r"Joint Operations Command",
    ], ["ISF", "CTS"]),
    "Popular Mobilization Forces": _p("non_state", "Iraq", [
        r"Popular Mobili[sz]ation (?:Forces|Units|Committees?)", r"(?:al-)?Hashd(?: al-Sha'?abi)?",
    ], ["PMF", "PMU"]),
    "Hezbollah": _p("non_state", "Lebanon", [
        r"Hezbollah" + _FIGHTERS, r"Hizbollah", r"Hizballah", r"Hizbullah", r"Islamic Resistance",
    ]),
    "Turkey": _p("state", "Turkey", [r"Turkish Armed Forces", r"Operation Olive Branch"], ["TAF"]),
    # ------------------------------------------------------------------ Europe / Caucasus
    "Russia": _p("state", "Russia", [
        r"Moscow's (?:forces|troops)", r"(?:the )?Russian Federation", r"(?:the )?Kremlin",
        r"Russian (?:invaders|occupiers|occupation forces)",
        r"Wagner(?: Group)?(?: mercenaries| fighters)?",
        r"(?:Northern|Southern|Western|Eastern|Central|North|South|West|East|Center|Centre|Dnepr|Dnipro|Vostok) Group "
            r"of Forces",
        r"(?:the )?Russian (?:Defen[cs]e Ministry|Ministry of Defen[cs]e|General Staff)",
    ]),
    "Ukraine": _p("state", "Ukraine", [
        r"Armed Forces of Ukraine", r"Ukraine's (?:forces|army|armed forces|military)",
        r"Ukrainian defenders", r"Defen[cs]e Forces of Ukraine",
    ], ["ZSU", "AFU"]),
    "Azerbaijan": _p("state", "Azerbaijan", [r"Armed Forces of Azerbaijan"]),
    "Armenia": _p("state", "Armenia", [r"Artsakh Defen[cs]e Army", r"Karabakh Armenian forces"]),
    "Georgia": _p("state", "Georgia", []),
    # ------------------------------------------------------------------ Israel / Palestine
    "Israel": _p("state", "Israel", [r"Israel Defen[cs]e Forces", r"Israeli occupation(?: forces| army)?",
                                     r"(?:Israeli |Israel's )?Civil Administration"], ["IDF"]),
    "Hamas": _p("non_state", "Palestine", [r"Hamas" + _FIGHTERS, r"Qassam Brigades"]),
    # ------------------------------------------------------------------ Yemen
    "Houthis": _p("non_state", "Yemen", [
        r"(?:Shia |Iran-backed |Iranian-backed )?Houthis?" + _FIGHTERS, r"Ansar ?Allah", r"Ansarullah",
        r"(?:Yemeni )?army and popular committees", r"popular committees",
    ]),
    "Yemeni government": _p("state", "Yemen", [
        r"(?:the )?internationally[- ]recogni[sz]ed government", r"Hadi(?:'s)? government",
        r"(?:National|Homeland) Shield Forces", r"Presidential Leadership Council",
        r"Saudi-backed government(?: forces)?", r"legitimacy forces",
    ]),
    "Southern Transitional Council": _p("non_state", "Yemen", [
        r"Southern Transitional Council", r"southern separatists", r"UAE-backed separatists",
    ], ["STC"]),
    # ------------------------------------------------------------------ Afghanistan / Asia
    "Taliban": _p("non_state", "Afghanistan", [r"(?:the )?Tal[ei]ban" + _FIGHTERS, r"Islamic Emirate(?: of "
        r"Afghanistan)?"]),
    "Afghan government": _p("state", "Afghanistan", [r"Afghan National (?:Army|Security Forces|Defen[cs]e and Security "
        r"Forces)"], ["ANDSF", "ANA", "ANSF"]),
    "Myanmar military": _p("state", "Myanmar", [r"Tatmadaw", r"State Administration Council"], ["SAC"]),
    "Arakan Army": _p("non_state", "Myanmar", [r"Ara(?:kan|kha) Army", r"United League of Arakan"], ["AA", "ULA"]),
    "Three Brotherhood Alliance": _p("non_state", "Myanmar", [r"(?:Three )?Brotherhood Alliance", r"Operation 1027",
                                                              _BROTHERHOOD_BY_MEMBERS], ["3BA"]),
    "MNDAA": _p("non_state", "Myanmar", [r"Myanmar National Democratic Alliance Army"], ["MNDAA"]),
    "TNLA": _p("non_state", "Myanmar", [r"Ta'ang National Liberation Army"], ["TNLA"]),
    "Kachin Independence Army": _p("non_state", "Myanmar", [r"Kachin Independence (?:Army|Organi[sz]ation)"], ["KIA",
    "KIO"]),
    "Myanmar resistance": _p("non_state", "Myanmar", [
        r"People's Defen[cs]e Forces?", r"National Unity Government",
        r"ethnic (?:armed )?(?:organi[sz]ations|groups|alliances|armies)",
        r"anti-junta (?:forces|fighters|groups)", r"resistance (?:forces|fighters|groups)",
    ], ["PDF", "PDFs", "NUG", "EAOs", "EAO"]),
    "LTTE": _p("non_state", "Sri Lanka", [r"Liberation Tigers of Tamil Eelam", r"Tamil Tigers?(?: rebels)?",
    r"Tiger rebels", r"(?-i:[Tt]he Tigers)"], ["LTTE"]),
    "Abu Sayyaf": _p("jihadist", "Philippines", [r"Abu Sayyaf(?: Group)?" + _FIGHTERS], ["ASG"]),
    "Maute group": _p("jihadist", "Philippines", [r"Maute(?: group| terror group| brothers)?"]),
    # ------------------------------------------------------------------ Africa
    "al-Shabaab": _p("jihadist", "Somalia", [r"(?:al[- ])?Shabaa?b" + _FIGHTERS, r"Harakat al-Shabaab al-Mujahideen"]),
    "Somali government": _p("state", "Somalia", [r"Somali National Army", r"Federal Government of Somalia",
    r"Ma'?awisley", r"Macawisley"]),
    "Boko Haram": _p("jihadist", "Nigeria", [r"Boko Haram" + _FIGHTERS, r"Jama'?atu Ahlis Sunna",
                                              r"Shekau['’]s (?:fighters|forces|men|faction|group|militants)"], ["JAS"]),
    "ADF": _p("jihadist", "Democratic Republic of the Congo", [
        r"Allied Democratic Forces", r"ADF" + _FIGHTERS,
    ], ["ADF"]),
    "M23": _p("non_state", "Democratic Republic of the Congo", [
        r"M23" + _FIGHTERS, r"March 23 Movement", r"Alliance Fleuve Congo", r"Congo River Alliance", r"AFC/M23",
    ], ["M23", "AFC"]),
    "Congolese army": _p("state", "Democratic Republic of the Congo", [
        r"Armed Forces of the Democratic Republic of (?:the )?Congo",
    ], ["FARDC"]),
    "Rapid Support Forces": _p("non_state", "Sudan", [
        r"(?:paramilitary )?Rapid Support Forces", r"Janjaweed",
        r"Hemedti['’]s (?:paramilitaries|forces|fighters|militia|men)"], ["RSF"]),
    "Sudanese army": _p("state", "Sudan", [r"Sudanese Armed Forces", r"Burhan's (?:army|forces|troops)"], ["SAF"]),
    "Libyan National Army": _p("non_state", "Libya", [
        r"(?:self-styled )?Libyan (?:National|Arab Armed) (?:Army|Forces)", r"Haft[ae]r(?:'s)? (?:forces|troops"
            r"|fighters|army|militias?)",
        r"forces loyal to (?:Khalifa )?Haft[ae]r", r"(?:the )?forces of (?:Khalifa |Field Marshal )?Haft[ae]r",
        r"Haft[ae]r[- ](?:led|backed|loyal|aligned) (?:forces|troops"
            r"|fighters|army)",
    ], ["LNA", "LAAF"]),
    "Government of National Accord": _p("state", "Libya", [
        r"Government of National Accord", r"(?:pro-)?GNA(?: forces| troops)",
        r"Tripoli(?:-based)? government(?! of National Unity)",
        r"(?:Libyan )?unity government(?: forces)?", r"forces loyal to the GNA",
    ], ["GNA"]),
    # the Tripoli government since 2021 (Dbeibah), successor of the GNA
    "Government of National Unity": _p("state", "Libya", [
        r"Government of National Unity", r"Dbeibah(?:'s)? (?:government|forces)",
    ], ["GNU"]),
    "Malian army": _p("state", "Mali", [r"Malian Armed Forces"], ["FAMa", "FAMA"]),
    "Burkinabe army": _p("state", "Burkina Faso", [r"Burkina Faso's (?:military )?junta", r"Burkina junta"]),
    "Tuareg rebels": _p("non_state", "Mali", [
        r"(?:pro-autonomy )?Tuareg(?:-led)? (?:rebels|separatists|fighters|forces)",
        r"National Movement for the Liberation of Azawad", r"Azawad (?:rebels|Liberation Front)",
        r"Coordination of Azawad Movements",
    ], ["MNLA", "CMA", "CSP", "FLA"]),
    "al-Qaeda in the Islamic Maghreb": _p("jihadist", "Mali", [r"al-Qaeda in the Islamic Maghreb"], ["AQIM"]),
    "JNIM": _p("jihadist", "Mali", [
        r"Jama'?at Nusrat al-Islam wal?[- ]Muslimin", r"Group for the Support of Islam and Muslims",
    ], ["JNIM"]),
    "Ethiopian government": _p("state", "Ethiopia", [r"Ethiopian National Defen[cs]e Forces?"], ["ENDF"]),
    "Fano": _p("non_state", "Ethiopia", [r"Fano(?: militias?| militiamen| fighters| forces| groups?)?"]),
    "TPLF": _p("non_state", "Ethiopia", [
        r"Tigray People's Liberation Front", r"Tigray Defen[cs]e Forces", r"Tigrayan (?:forces|fighters|rebels)",
    ], ["TPLF", "TDF"]),
    "Mozambican forces": _p("state", "Mozambique", [r"Mozambique Defen[cs]e (?:and Security )?Forces"], ["FADM"]),
    "Rwanda": _p("state", "Rwanda", [r"Rwanda Defen[cs]e Force"], ["RDF"]),
    "Polisario Front": _p("non_state", "Western Sahara", [r"Polisario(?: Front)?(?: fighters)?", r"Sahrawi Arab "
        r"Democratic Republic"]),
    "Seleka": _p("non_state", "Central African Republic", [r"Seleka(?: coalition| alliance| rebels| fighters)?"]),
    "Coalition of Patriots for Change": _p("non_state", "Central African Republic", [
        r"Coalition of Patriots for Change", r"CPC (?:rebels|fighters|coalition)"], ["CPC"]),
    "UPC": _p("non_state", "Central African Republic", [r"Union for Peace in the Central African Republic"], ["UPC"]),
    "SPLA-IO": _p("non_state", "South Sudan", [
        r"SPLA-IO", r"SPLM-IO", r"SPLM/A-IO", r"(?:Riek )?Machar['’]s (?:rebels|forces|fighters|troops|SPLA-IO)"]),
    # ------------------------------------------------------------------ Americas
    "FARC": _p("non_state", "Colombia", [r"Revolutionary Armed Forces of Colombia", r"FARC(?:-EP)?(?: rebels| "
        r"guerrillas| dissidents)?"], ["FARC"]),
    "ELN": _p("non_state", "Colombia", [r"National Liberation Army"], ["ELN"]),
    # the largest FARC dissident bloc: "the self-styled Estado Mayor Central of the FARC"
    "Estado Mayor Central": _p("non_state", "Colombia", [
        r"(?:FARC(?:-EP)?['’]s )?Estado Mayor Central(?: \(EMC\))?(?: of the FARC(?:-EP)?)?",
        r"Central General Staff(?: \(EMC\))?(?: of the FARC(?:-EP)?)?"], ["EMC"]),
    "Haitian gangs": _p("non_state", "Haiti", [r"Viv Ansanm", r"(?:armed |Haitian )gangs", r"gang coalition"]),
    "Mexican cartels": _p("non_state", "Mexico", [r"(?:Jalisco New Generation|Sinaloa|Gulf) Cartel", r"drug cartels"],
                          ["CJNG"]),
    "Republic of Cyprus": _p("state", "Cyprus", [r"Republic of Cyprus", r"Greek Cypriot (?:government|administration"
                                                 r"|authorities|side|state)"]),
    "Turkish Republic of Northern Cyprus": _p("non_state", "Cyprus", [
        r"Turkish Republic of Northern Cyprus", r"Turkish Cypriot (?:administration|authorities|government|state"
        r"|leadership|side)", r"(?:the )?breakaway Turkish Cypriot (?:state|north)"], ["TRNC"]),
    # ------------------------------------------------------------------ outside powers
    "United Nations": _p("state", None, [r"(?:UN|U\.N\.|United Nations) peacekeep(?:ers|ing (?:force|troops|mission))",
                                         r"UNFICYP"]),
    "US-led coalition": _p("state", None, [r"(?:US|U\.S\.)-led coalition", r"(?:the )?(?:global|international) "
        r"coalition"]),
}


#: acronyms that name different parties in different countries: acronym -> {country: party},
#: the None key for any other country
AMBIGUOUS_ACRONYMS: dict[str, dict[str | None, str]] = {
    "SNA": {"Somalia": "Somali government", None: "Syrian opposition"},
}


def side_of(name: str) -> str | None:
    """'state' / 'non_state' / 'jihadist' for a known canonical name, else None."""
    party = PARTIES.get(name)
    return party.side if party else None


#: well-known leaders and spokesmen -> the party they speak for (who "we" are in their quotes,
#: whose troops liberate what their statements call "liberated", and whose "army" a
#: self-styled army's spokesman means)
LEADERS: dict[str, str] = {
    "Putin": "Russia", "Shoigu": "Russia", "Belousov": "Russia", "Gerasimov": "Russia", "Rudskoy": "Russia",
    "Konashenkov": "Russia", "Peskov": "Russia", "Lavrov": "Russia",
    "Zelensky": "Ukraine", "Zelenskyy": "Ukraine", "Syrskyi": "Ukraine", "Zaluzhnyi": "Ukraine",
    "Maliar": "Ukraine", "Malyar": "Ukraine",
    "Erdogan": "Turkey", "Erdoğan": "Turkey", "Aliyev": "Azerbaijan", "Pashinyan": "Armenia",
    "Netanyahu": "Israel", "Gallant": "Israel", "Assad": "Syrian government",
    "Haftar": "Libyan National Army", "Hafter": "Libyan National Army", "Mismari": "Libyan National Army",
    "Saree": "Houthis", "Sarie": "Houthis", "Saria": "Houthis", "Sarea": "Houthis",
    "Burhan": "Sudanese army", "Hemedti": "Rapid Support Forces", "Abiy": "Ethiopian government",
    "Bin Dagher": "Yemeni government", "Hadi": "Yemeni government", "Traore": "Burkinabe army",
    "Traoré": "Burkinabe army", "Min Aung Hlaing": "Myanmar military",
}
#: non-state parties whose own statements call their forces "the army" / "the armed forces"
SELF_STYLED_ARMIES: frozenset[str] = frozenset({"Libyan National Army", "Houthis"})
