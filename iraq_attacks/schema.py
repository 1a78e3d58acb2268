"""The one definition of every data file: columns, types, allowed values, ranges and row rules.

Validation (``validate.py``), the data dictionary in ``data/README.md`` and the Table Schema
descriptor ``data/datapackage.json`` (``docs.py``) are all generated from the objects below, so a
column is described in exactly one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A dataset's window is its sourced months (coverage.csv), not a date written here: attacks,
# milestones and the start of a press count lie inside them (validate.py checks it), so a copy
# of the data that adds the attacks of 2021 needs no change to the code.
SOURCED = "sourced"
# Reports about the window (casualty revisions, press counts) may be published later, up to
# this many months after the last sourced month.
REPORTS_LAG_MONTHS = 12
REPORTED = "reported"
WINDOWS = {
    SOURCED: "the sourced months of coverage.csv",
    REPORTED: f"the sourced months of coverage.csv and the {REPORTS_LAG_MONTHS} months after "
              "them",
}

# A generous bounding box around Iraq (degrees): a coordinate outside it is a typo.
IRAQ_LATITUDE = (29.0, 37.5)
IRAQ_LONGITUDE = (38.7, 48.7)

# Several URLs in one cell are separated by white space (a URL cannot contain a space).
URL_SEPARATOR = " "


def url_domain(url: str) -> str:
    """The host of a URL, lower case, without a leading 'www.' (the key of sources.csv)."""
    host = re.sub(r"^https?://", "", url.strip(), flags=re.I).split("/", 1)[0]
    host = host.split("?", 1)[0].split("#", 1)[0].split("@")[-1].split(":", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host

CASUALTY_GROUPS: dict[str, str] = {
    "us_military": "US service members",
    "us_contractor": "US citizens working as contractors",
    "coalition": "troops of other coalition countries",
    "iraqi_forces": "Iraqi army, police, counter-terrorism service or PMF personnel",
    "civilian": "civilians, including non-US contractors",
    "unspecified": "people whose nationality or service no source gives (e.g. 'up to 14 "
                   "wounded' with no split)",
}


# Short names for charts and tables.
GROUP_LABELS: dict[str, str] = {
    "us_military": "US military", "us_contractor": "US contractors",
    "coalition": "Other coalition", "iraqi_forces": "Iraqi forces", "civilian": "Civilians",
    "unspecified": "Nationality not given",
}


@dataclass(frozen=True)
class Field:
    """One column of a data file.

    kind is one of: id, ids (several ids separated by a space), text, date, time, integer,
    number, enum, enums (several codes separated by a space), boolean, url, urls.
    ``required`` means the cell may not be empty; an empty optional cell means "not reported".
    """

    name: str
    kind: str
    description: str
    required: bool = False
    allowed: dict[str, str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    unique: bool = False
    window: str | None = None  # a date column's bounds: a key of WINDOWS
    example: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    filename: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: str
    # (column, other table name, other column): every non-empty value must exist there.
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    # (low column, high column) pairs: low <= high when both are given.
    ranges: tuple[tuple[str, str], ...] = ()
    # Named row rules, implemented in validate.py, listed here so the docs name them.
    rules: tuple[str, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _count(name: str, description: str, example: str = "") -> Field:
    return Field(name, "integer", description, minimum=0, maximum=10_000, example=example)


def _casualty_fields() -> tuple[Field, ...]:
    fields = []
    for outcome, verb in (("killed", "killed"), ("wounded", "wounded or injured")):
        for group, who in CASUALTY_GROUPS.items():
            fields.append(
                _count(
                    f"{outcome}_{group}",
                    f"Number of {who} {verb}, latest best-supported figure. Empty: no source "
                    f"gives it; 0: a source says none.",
                    example="0" if outcome == "killed" else "",
                )
            )
    fields.append(_count(
        "tbi_diagnosed_us_military",
        "US service members later diagnosed with traumatic brain injury, latest official "
        "figure. Counted apart from the people wounded in the attack (diagnoses came days to "
        "weeks later). Empty: no source gives it.", example=""))
    return tuple(fields)


# Who made an attribution: a controlled list, so attributions can be counted by whom.
ATTRIBUTION_SOURCES: dict[str, str] = {
    "us_government": "the White House, the State Department or another US civilian official",
    "us_military": "the Pentagon, CENTCOM or another US military official",
    "coalition": "the US-led coalition (Operation Inherent Resolve)",
    "iraqi_government": "the Iraqi prime minister's office, ministries or other Iraqi officials",
    "iraqi_military": "the Iraqi Joint Operations Command, Security Media Cell or a commander",
    "kurdistan_region": "the Kurdistan Regional Government or its security services",
    "analysts": "security analysts or think-tanks (for example Talos, ISW)",
    "press": "a news outlet on its own account",
    "claimant": "the group itself, in its claim",
}

GROUP_KINDS: dict[str, str] = {
    "front_group": "a name used to claim attacks, which analysts tie to an established militia",
    "militia": "an established armed group (for example Kataib Hezbollah)",
    "umbrella": "a loose label for several groups (for example 'Iran-backed militias')",
    "state": "a state or its armed forces",
    "other": "criminal gangs, Islamic State, or groups named only vaguely",
}

SOURCE_KINDS: dict[str, str] = {
    "official": "an official body's own statement or page",
    "wire": "a news agency whose copy others republish (AFP, AP, Reuters, Xinhua, Anadolu)",
    "major_outlet": "a national or international outlet with its own reporting",
    "regional_local": "a regional or local outlet (Kurdish, Iraqi, Gulf)",
    "state_affiliated": "an outlet owned or directed by a state party to the conflict (Iran, "
                        "Russia)",
    "partisan": "an outlet or channel aligned with a party to the conflict",
    "aggregator": "a site that republishes other outlets' copy",
    "reference": "an encyclopedia, think-tank, analyst or data service",
}


WINDOW = dict(window=SOURCED)
REPORT_WINDOW = dict(window=REPORTED)

ATTACKS = Table(
    name="attacks",
    filename="attacks.csv",
    title="Attacks",
    description="One row per attack (see the definition above).",
    primary_key="attack_id",
    foreign_keys=(("site_id", "sites", "site_id"), ("claimed_by", "groups", "group_id"),
                  ("attributed_to", "groups", "group_id")),
    ranges=(
        ("projectiles_fired_low", "projectiles_fired_high"),
        ("projectiles_landed_low", "projectiles_landed_high"),
    ),
    rules=(
        "projectiles_landed_low is not larger than projectiles_fired_high",
        "a row with sources_disagree = true says in notes what the sources disagree on",
        "a row with confidence = low says in notes why",
    ),
    fields=(
        Field("attack_id", "id", "Stable identifier; never changes or is reused once published.",
              required=True, unique=True, pattern=r"ATK-\d{4,7}", example="ATK-0012"),
        Field("date", "date", "Local (Iraq, UTC+3) date of the attack; its month must be a "
              "sourced month of coverage.csv (the dataset's window).", required=True,
              example="2020-02-13"),
        Field("time_local", "time", "Local time (24 h, HH:MM) when a source gives it.",
              example="20:45"),
        Field("date_precision", "enum", "How exactly the date is known.", required=True,
              allowed={"day": "the date is reported",
                       "approximate": "within a day either way (e.g. 'overnight')"},
              example="day"),
        Field("site_id", "id", "The site attacked; a site_id of sites.csv.", required=True,
              example="k1"),
        Field("target_type", "enum", "What was aimed at.", required=True,
              allowed={"military_base": "a base hosting US or coalition personnel",
                       "embassy": "the US embassy in Baghdad's Green Zone",
                       "airport": "a civil airport hosting coalition personnel",
                       "convoy": "a convoy carrying supplies for the coalition"},
              example="military_base"),
        Field("location_detail", "text", "Where exactly (inside the base, road, district), "
              "when reported.", example="open area inside the base"),
        Field("weapon", "enum", "Weapon used.", required=True,
              allowed={"rocket": "rockets (e.g. 107 mm Katyusha)",
                       "mortar": "mortar rounds",
                       "ballistic_missile": "ballistic missiles",
                       "drone": "armed drone",
                       "guided_missile": "a guided missile (for example an anti-tank missile)",
                       "ied": "improvised explosive device",
                       "unknown": "not reported"},
              example="rocket"),
        _count("projectiles_fired_low", "Projectiles fired: lowest figure reported.", "1"),
        _count("projectiles_fired_high", "Projectiles fired: highest figure reported "
               "(equal to low when sources agree).", "1"),
        _count("projectiles_landed_low", "Projectiles that landed in or near the target: "
               "lowest figure reported.", "1"),
        _count("projectiles_landed_high", "Projectiles that landed: highest figure reported.",
               "1"),
        *_casualty_fields(),
        Field("outcome", "enum", "What became of the attack.", required=True,
              allowed={"hit": "landed in or near the target",
                       "intercepted": "shot down by air defence (e.g. C-RAM)",
                       "failed": "fell short, landed far away, or misfired",
                       "dud": "struck or landed at the target but did not explode",
                       "unknown": "not reported"},
              example="hit"),
        Field("claimed_by", "ids", "Groups that claimed the attack: group_ids of groups.csv, "
              "separated by a space; empty if no claim was reported.",
              example="ashab_al_kahf"),
        Field("attributed_to", "ids", "Groups blamed by officials, analysts or the press: "
              "group_ids of groups.csv, separated by a space.", example="kataib_hezbollah"),
        Field("attributed_by", "text", "Who made that attribution, as the sources name them.",
              example="US officials"),
        Field("attributed_by_kind", "enums", "Kinds of who made the attribution, separated by "
              "a space; empty when nobody attributed the attack.",
              allowed=ATTRIBUTION_SOURCES, example="us_military"),
        Field("actor_type", "enum", "Kind of actor believed responsible.", required=True,
              allowed={"militia": "a non-state armed group",
                       "state": "a state's armed forces (Iran, 2020-01-08)",
                       "unknown": "not attributed"},
              example="militia"),
        Field("confidence", "enum", "How well the row is supported (rules in the README).",
              required=True,
              allowed={"high": "two or more independent outlets agree on date, site and "
                               "weapon, or an official statement is reported",
                       "medium": "one credible outlet with specific detail",
                       "low": "a single vague mention, or sources conflict on whether it "
                              "happened"},
              example="high"),
        Field("sources_disagree", "boolean", "true when sources give different figures or "
              "details; notes say which.", required=True, example="false"),
        Field("notes", "text", "Context and caveats in our own words.", example=""),
        Field("source_urls", "urls", "Every source read for this row (http or https), "
              "separated by a space.", required=True,
              example="https://example.org/report-1 https://example.org/report-2"),
    ),
)

SITES = Table(
    name="sites",
    filename="sites.csv",
    title="Sites",
    description="One row per place attacked.",
    primary_key="site_id",
    fields=(
        Field("site_id", "id", "Short identifier used by attacks.csv.", required=True,
              unique=True, pattern=r"[a-z0-9_]+", example="k1"),
        Field("name", "text", "Common English name.", required=True, example="K1 Air Base"),
        Field("label", "text", "Short name for chart labels (at most 20 characters).",
              required=True, pattern=r".{1,20}", example="K1"),
        Field("aliases", "text", "Other names and spellings, separated by ';'.",
              example="K-1; Kirkuk K1 base"),
        Field("province", "text", "Iraqi governorate.", required=True, example="Kirkuk"),
        Field("latitude", "number", "Latitude in decimal degrees (WGS84). Empty when no source "
              "read gives it.", minimum=IRAQ_LATITUDE[0], maximum=IRAQ_LATITUDE[1],
              example="35.51"),
        Field("longitude", "number", "Longitude in decimal degrees (WGS84).",
              minimum=IRAQ_LONGITUDE[0], maximum=IRAQ_LONGITUDE[1], example="44.28"),
        Field("hosted", "text", "Who was stationed there, per the sources.",
              example="US forces; Iraqi Federal Police"),
        Field("site_type", "enum", "Kind of site.", required=True,
              allowed={"military_base": "an Iraqi or coalition military base",
                       "embassy": "a diplomatic compound",
                       "airport": "a civil airport with a military section",
                       "road": "a road or area where convoys were attacked"},
              example="military_base"),
        Field("coordinates_source", "url", "Where the coordinates come from.",
              example="https://example.org/k1"),
        Field("source_urls", "urls", "Sources describing the site and who it hosts.",
              required=True, example="https://example.org/k1"),
    ),
)

MILESTONE_KINDS = {
    "us_strike": "US air or drone strike",
    "iranian_strike": "strike by Iran's armed forces",
    "siege_or_protest": "siege of, or protest at, a US site",
    "targeted_killing": "killing of a named leader",
    "political_decision": "vote, order or official decision",
    "truce_or_statement": "truce, threat or public statement",
    "iraqi_security_operation": "raid or arrests by Iraqi forces against a militia",
}

MILESTONES = Table(
    name="milestones",
    filename="milestones.csv",
    title="Escalation milestones",
    description="Events that mark the escalation, drawn on the time axis of the charts.",
    primary_key="milestone_id",
    ranges=(("date", "end_date"),),
    fields=(
        Field("milestone_id", "id", "Stable identifier.", required=True, unique=True,
              pattern=r"MS-\d{3}", example="MS-004"),
        Field("date", "date", "Local date the event began.", required=True, example="2020-01-03",
              **WINDOW),
        Field("end_date", "date", "Last day, for events over several days.",
              example="2020-01-01", **WINDOW),
        Field("kind", "enum", "Kind of event.", required=True, allowed=MILESTONE_KINDS,
              example="targeted_killing"),
        Field("title", "text", "Short label for chart annotations (at most 32 characters).",
              required=True, pattern=r".{1,32}", example="Soleimani killed"),
        Field("on_charts", "boolean", "true for the main escalation steps, which every time "
              "chart marks; the others appear in tables only.", required=True, example="true"),
        Field("description", "text", "What happened, in our own words.", required=True),
        Field("killed", "integer", "People killed, when a source gives it.", minimum=0,
              maximum=10_000, example="10"),
        Field("wounded", "integer", "People wounded, when a source gives it.", minimum=0,
              maximum=10_000),
        Field("casualties_note", "text", "Who the casualties were; disagreements."),
        Field("source_urls", "urls", "Sources, separated by a space.", required=True),
    ),
)

CASUALTY_REPORTS = Table(
    name="casualty_reports",
    filename="casualty_reports.csv",
    title="Casualty reports over time",
    description="Dated casualty figures for attacks whose figures changed or were disputed: "
                "one row per figure a source reported on a date.",
    primary_key="report_id",
    foreign_keys=(("attack_id", "attacks", "attack_id"),),
    fields=(
        Field("report_id", "id", "Stable identifier.", required=True, unique=True,
              pattern=r"CR-\d{3}", example="CR-007"),
        Field("attack_id", "id", "The attack; an attack_id of attacks.csv.", required=True,
              example="ATK-0014"),
        Field("report_date", "date", "Date the figure was published.", required=True,
              example="2020-01-24", **REPORT_WINDOW),
        Field("group", "enum", "Who the figure counts.", required=True,
              allowed={**CASUALTY_GROUPS,
                       "all_personnel": "US and other coalition personnel together, when the "
                                        "source does not split them"},
              example="us_military"),
        Field("measure", "enum", "What the figure counts.", required=True,
              allowed={"killed": "people killed",
                       "wounded": "people wounded or injured",
                       "tbi_diagnosed": "people diagnosed with traumatic brain injury",
                       "evacuated": "people evacuated for treatment"},
              example="tbi_diagnosed"),
        Field("figure", "integer", "The figure as reported; empty when the source gave no "
              "number ('several').", minimum=0, maximum=10_000, example="34"),
        Field("qualifier", "enum", "How the source qualified the figure.", required=True,
              allowed={"exact": "a plain figure", "at_least": "'at least N'",
                       "about": "'about N'", "more_than": "'more than N'",
                       "unquantified": "no number ('several', 'dozens'); figure is empty"},
              example="exact"),
        Field("outlet", "text", "Who published or stated it.", required=True,
              example="Pentagon via Reuters"),
        Field("status", "enum", "Whether the figure is used for revisions and ranges.",
              required=True,
              allowed={"accepted": "an official figure or one from a credible outlet",
                       "unsupported": "a claim the other sources contradict (for example a "
                                      "state broadcaster's death toll); kept for the record, "
                                      "left out of revisions and ranges"},
              example="accepted"),
        Field("source_url", "url", "The source.", required=True),
        Field("notes", "text", "Context in our own words."),
    ),
)

PRESS_COUNTS = Table(
    name="press_counts",
    filename="press_counts.csv",
    title="Running counts in the press",
    description="Counts of attacks that the press reported ('the 19th attack since October'), "
                "compared with the cumulative count in attacks.csv.",
    primary_key="count_id",
    ranges=(("since_date", "report_date"),),
    fields=(
        Field("count_id", "id", "Stable identifier.", required=True, unique=True,
              pattern=r"PC-\d{3}", example="PC-003"),
        Field("report_date", "date", "Publication date.", required=True, example="2020-02-13",
              **REPORT_WINDOW),
        Field("count", "integer", "The number reported.", required=True, minimum=0,
              maximum=10_000, example="19"),
        Field("qualifier", "enum", "How the source qualified the number.", required=True,
              allowed={"exact": "a plain number ('the 19th attack')",
                       "at_least": "'at least N'", "about": "'about N' or 'almost N'",
                       "more_than": "'more than N'"},
              example="about"),
        Field("counted_what", "enum", "Which attacks the number counts.", required=True,
              allowed={"us_interests": "attacks on US forces, the bases hosting them and the "
                                       "US embassy, by militias or unknown actors: not "
                                       "convoys, and not Iran's own missile strike of "
                                       "2020-01-08, which the press tallied apart",
                       "embassy": "attacks on the US embassy / Green Zone only",
                       "convoys": "attacks on supply convoys only",
                       "all_attacks": "every attack in scope, convoys included (not Iran's "
                                      "own strike)"},
              example="us_interests"),
        Field("since_date", "date", "Start of the counted period (first of the month when the "
              "source names only a month).", example="2019-10-01", **WINDOW),
        Field("outlet", "text", "Who published it.", required=True, example="AFP"),
        Field("source_url", "url", "The source.", required=True),
        Field("checked", "boolean", "true for a tally of the same series as ours, which the "
              "tests hold to within 3 of our count; false for a loosely scoped count (mixed "
              "targets, a partisan source, a month we know is incomplete), shown with its "
              "difference and explained in the README.", required=True, example="true"),
        Field("notes", "text", "How the count was read; the difference from our data."),
    ),
)

COVERAGE_LEVELS: dict[str, str] = {
    "complete": "searched for site and convoy attacks, and every attack the press counted is "
                "matched by a row",
    "mostly_complete": "press counts matched within 3; small gaps explained",
    "incomplete": "known attacks are missing",
    "not_started": "not yet sourced",
}

COVERAGE = Table(
    name="coverage",
    filename="coverage.csv",
    title="Coverage assessment",
    description="Our judgement of how complete each month of attacks.csv is, and why. The "
                "counts beside it in the coverage table are computed from the data.",
    primary_key="month",
    rules=("assessment is the weaker of sites_assessment and convoys_assessment",
           "the sourced months (any assessment but not_started) are the dataset's window: "
           "every month from the first to the last of them is listed and sourced, since the "
           "reports count each month and week of the window, and a month nobody searched "
           "would be counted as one without attacks",),
    fields=(
        Field("month", "id", "Calendar month.", required=True, unique=True,
              pattern=r"\d{4}-(0[1-9]|1[0-2])", example="2020-02"),
        Field("assessment", "enum", "How complete we believe the month is as a whole: the "
              "weaker of the two ratings that follow.", required=True,
              allowed=COVERAGE_LEVELS, example="mostly_complete"),
        Field("sites_assessment", "enum", "How complete the attacks on bases, airports and the "
              "embassy are.", required=True, allowed=COVERAGE_LEVELS, example="complete"),
        Field("convoys_assessment", "enum", "How complete the attacks on supply convoys are.",
              required=True, allowed=COVERAGE_LEVELS, example="incomplete"),
        Field("searched", "text", "What was searched for the month: phrasings, outlets and "
              "statements, for site and convoy attacks."),
        Field("reasoning", "text", "Why the ratings hold, in a sentence or two.", required=True),
    ),
)

GROUPS = Table(
    name="groups",
    filename="groups.csv",
    title="Groups that claimed or were blamed for attacks",
    description="One row per group named in claimed_by or attributed_to, under one id whatever "
                "the spelling.",
    primary_key="group_id",
    foreign_keys=(("linked_to", "groups", "group_id"),),
    fields=(
        Field("group_id", "id", "Short identifier used by attacks.csv.", required=True,
              unique=True, pattern=r"[a-z0-9_]+", example="ashab_al_kahf"),
        Field("name", "text", "The name most sources use, in English transliteration.",
              required=True, example="Ashab al-Kahf"),
        Field("aliases", "text", "Other names and spellings, separated by ';'.",
              example="Companions of the Cave; Ashab al-Kahaf"),
        Field("kind", "enum", "Kind of group.", required=True, allowed=GROUP_KINDS,
              example="front_group"),
        Field("linked_to", "id", "The organisation a source ties the group to: a group_id of "
              "this table.", example="kataib_hezbollah"),
        Field("linked_by", "text", "Who ties it there, as the source says.",
              example="US officials and analysts, per AFP"),
        Field("linked_source_url", "url", "The page that ties it there."),
        Field("notes", "text", "Context in our own words."),
    ),
)

SOURCES = Table(
    name="sources",
    filename="sources.csv",
    title="Sources",
    description="One row per web domain of any URL in the data files: who the outlet is and "
                "what kind of source it is. Validation fails on a URL whose domain is not "
                "listed.",
    primary_key="domain",
    fields=(
        Field("domain", "id", "Host name without a leading 'www.'.", required=True,
              unique=True, pattern=r"[a-z0-9.-]+\.[a-z]{2,}", example="aljazeera.com"),
        Field("outlet", "text", "The outlet's name.", required=True, example="Al Jazeera"),
        Field("kind", "enum", "Kind of source (confidence rules use it).", required=True,
              allowed=SOURCE_KINDS, example="major_outlet"),
        Field("note", "text", "Ownership, alignment, or whose copy it republishes."),
    ),
)

TABLES: dict[str, Table] = {t.name: t for t in
                            (ATTACKS, SITES, MILESTONES, CASUALTY_REPORTS, PRESS_COUNTS,
                             COVERAGE, GROUPS, SOURCES)}


# Vocabulary: the short label and the chart colour of every code of the coded columns, beside
# each other, so a code added above without them fails a test (tests/test_chart_text.py) rather
# than a render. Colours are Okabe & Ito (2008), colour-blind safe; a colour means the same
# thing on every chart.
_BLUE, _SKY, _GREEN, _ORANGE = "#0072B2", "#56B4E9", "#009E73", "#E69F00"
_VERMILLION, _PURPLE, _GREY = "#D55E00", "#CC79A7", "#999999"

VOCABULARY: dict[str, dict[str, tuple[str, str]]] = {
    "weapon": {"rocket": ("rocket", _BLUE), "mortar": ("mortar", _SKY),
               "ballistic_missile": ("ballistic missile", _VERMILLION),
               "drone": ("drone", _PURPLE), "ied": ("IED", _ORANGE),
               "guided_missile": ("guided missile", _GREEN),
               "unknown": ("unknown", _GREY)},
    "target_type": {"military_base": ("military base", _BLUE), "embassy": ("embassy", _GREEN),
                    "airport": ("airport", _SKY), "convoy": ("convoy", _ORANGE)},
    "outcome": {"hit": ("hit", _BLUE), "intercepted": ("intercepted", _GREEN),
                "failed": ("failed", _SKY), "dud": ("did not explode", _ORANGE),
                "unknown": ("unknown", _GREY)},
    "casualty_group": {group: (GROUP_LABELS[group], colour) for group, colour in
                       {"us_military": _BLUE, "us_contractor": _SKY, "coalition": _GREEN,
                        "iraqi_forces": _PURPLE, "civilian": _ORANGE,
                        "unspecified": _GREY}.items()},
}


def vocabulary_colour(column: str, code: str) -> str | None:
    return VOCABULARY.get(column, {}).get(code, (None, None))[1]


def vocabulary_label(column: str, code: str) -> str:
    return VOCABULARY.get(column, {}).get(code, (str(code).replace("_", " "), None))[0]
