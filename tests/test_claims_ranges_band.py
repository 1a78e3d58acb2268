"""Claims, casualty ranges, the coverage band, phases and the overview's paragraph, on
constructed data where the old code gave the misleading answer, and on the real data checked
against figures computed here from the CSV."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from iraq_attacks import casualties, claims, escalation, frequency, missing, narrative, titles
from iraq_attacks.data import load_dataset
from iraq_attacks.paths import DATA_DIR
from iraq_attacks.schema import CASUALTY_GROUPS

START = pd.Timestamp("2020-01-01")


def attacks_frame(rows: list[dict]) -> pd.DataFrame:
    """Attack rows with every casualty column (empty unless given)."""
    columns = [f"{m}_{g}" for m in ("killed", "wounded") for g in CASUALTY_GROUPS]
    frame = pd.DataFrame(rows)
    for column in [*columns, "tbi_diagnosed_us_military"]:
        frame[column] = frame.get(column, pd.Series([pd.NA] * len(frame))).astype("Int64")
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def reports_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["attack_id", "group", "measure", "figure", "status",
                                       "report_date"]).assign(
        report_date=lambda f: pd.to_datetime(f["report_date"]))


def test_casualty_ranges_give_lowest_latest_highest_and_keep_brain_injuries_apart():
    attacks = attacks_frame([
        {"attack_id": "A", "date": "2020-01-08", "wounded_us_military": 0,
         "tbi_diagnosed_us_military": 110},
        {"attack_id": "B", "date": "2020-03-11", "killed_us_military": 2,
         "wounded_unspecified": 14},
        {"attack_id": "C", "date": "2020-04-01"},  # no figure at all: unknown, not zero
    ])
    reports = reports_frame([
        ("A", "us_military", "wounded", 11, "accepted", "2020-01-20"),
        ("A", "us_military", "tbi_diagnosed", 34, "accepted", "2020-01-24"),
        ("A", "us_military", "tbi_diagnosed", 110, "accepted", "2020-02-21"),
        ("A", "us_military", "killed", 80, "unsupported", "2020-01-08"),  # left out
        ("B", "all_personnel", "wounded", 10, "accepted", "2020-03-12"),  # the unspecified
        ("B", "us_military", "killed", 1, "accepted", "2020-03-11"),
        ("B", "us_contractor", "killed", 1, "accepted", "2020-03-11"),  # later a soldier
    ])
    ranges = casualties.casualty_ranges(attacks, reports).set_index(["measure", "group"])
    assert ranges.loc[("wounded", "us_military"), ["conservative", "latest", "highest"]
                      ].tolist() == [0, 0, 11]
    assert ranges.loc[("wounded", "unspecified"), ["conservative", "latest", "highest"]
                      ].tolist() == [10, 14, 14]
    assert ranges.loc[("killed", "us_military"), ["conservative", "latest", "highest"]
                      ].tolist() == [1, 2, 2]
    # the contractor the data moved to another group is not counted a second time
    assert pd.isna(ranges.loc[("killed", "us_contractor"), "highest"])
    # the Iranian claim of 80 dead is unsupported: not the highest
    assert ranges.loc[("killed", "us_military"), "highest"] == 2
    # brain injuries are their own row and never part of the wounded
    assert ranges.loc[("tbi_diagnosed", "us_military"), ["conservative", "latest"]
                      ].tolist() == [34, 110]
    wounded = ranges.xs("wounded")
    assert wounded["latest"].sum() == 14 and wounded["highest"].sum() == 25
    # a group no attack gives a figure for is unknown, not zero
    assert pd.isna(ranges.loc[("killed", "unspecified"), "latest"])
    assert titles.casualty_ranges_title(ranges.reset_index()) == (
        "2 killed, 14 wounded; the sources give 1 to 2 and 10 to 25")


def test_the_totals_sentence_counts_brain_injuries_apart_and_gives_the_range():
    from iraq_attacks import summaries

    attacks = attacks_frame([
        {"attack_id": "A", "date": "2020-01-08", "wounded_us_military": 0,
         "tbi_diagnosed_us_military": 110},
        {"attack_id": "B", "date": "2020-03-11", "wounded_unspecified": 14}])
    reports = reports_frame([("B", "all_personnel", "wounded", 10, "accepted", "2020-03-12")])
    totals = casualties.casualty_totals(attacks)
    ranges = casualties.casualty_ranges(attacks, reports)
    sentence = summaries.casualty_totals_sentence(totals, attacks, 0, ranges)
    assert "14 wounded or injured" in sentence and "124" not in sentence
    assert "range from 10 to 14" in sentence
    assert "110 US service members diagnosed with brain injuries" in sentence


def test_lethality_title_is_over_attacks_with_a_figure_not_all_attacks():
    attacks = attacks_frame(
        [{"attack_id": "A", "date": "2020-01-05", "wounded_civilian": 2},
         {"attack_id": "B", "date": "2020-01-06", "killed_civilian": 0, "wounded_civilian": 0}]
        + [{"attack_id": f"N{i}", "date": "2020-01-07"} for i in range(8)]).assign(
            projectiles_fired_low=np.nan)
    lethality = casualties.lethality_by_period(attacks, START, pd.Timestamp("2020-01-31"))
    title = titles.lethality_title(lethality)
    # the old title read "1 of 10 attacks ... (10%)", as if the eight unknowns hurt nobody
    assert title.startswith("1 of the 2 attacks with a casualty figure") and "(50%)" in title


def test_per_projectile_figures_are_per_weapon():
    attacks = attacks_frame([
        {"attack_id": "M", "date": "2020-01-08", "weapon": "ballistic_missile",
         "projectiles_fired_low": 10, "wounded_us_military": 0},
        {"attack_id": "R", "date": "2020-03-11", "weapon": "rocket",
         "projectiles_fired_low": 20, "wounded_us_military": 5},
        {"attack_id": "I", "date": "2020-08-01", "weapon": "ied"}])
    table = casualties.per_projectile_by_weapon(attacks).set_index("weapon")
    assert table.loc["rocket", "per_100_projectiles"] == pytest.approx(25.0)
    assert table.loc["ballistic_missile", "per_100_projectiles"] == 0
    assert pd.isna(table.loc["ied", "per_100_projectiles"])  # no projectiles: no rate


def test_phases_are_not_stretched_to_the_ends_of_the_window():
    # one attack a day on days 100-199 of a 300-day window: one phase of 7 a week
    attacks = pd.DataFrame({"date": [START + pd.Timedelta(days=d) for d in range(100, 200)]})
    phases = escalation.rate_phases(attacks, START, START + pd.Timedelta(days=299))
    assert len(phases) == 1
    phase = phases.iloc[0]
    # the old fit ran it from day 0 to day 299 at 2.3 a week
    assert phase["start"] == START + pd.Timedelta(days=100)
    assert phase["end"] == START + pd.Timedelta(days=199)
    assert phase["weekly_rate"] == pytest.approx(7.0, rel=0.02)


def claim_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-03", "2020-02-10"]),
        "target_type": ["embassy", "convoy", "convoy", "military_base"],
        "claimed_by": [None, "front_a", "front_a front_b", None],
        "attributed_to": ["militia_x iran", None, None, "militia_x"],
        "attributed_by_kind": ["us_military analysts", None, None, "iraqi_military"]})


GROUPS = pd.DataFrame({
    "group_id": ["front_a", "front_b", "militia_x", "iran"],
    "name": ["Front A", "Front B", "Militia X", "Iran"],
    "kind": ["front_group", "front_group", "militia", "state"],
    "linked_to": ["militia_x", None, None, None],
    "linked_by": ["a named analyst", None, None, None]})


def test_claims_are_counted_per_series_month_and_group():
    attacks = claim_rows()
    by_month = claims.claims_by_month(attacks, START, pd.Timestamp("2020-02-29"))
    convoys = by_month[by_month["series"] == "convoys"].set_index("period_start")
    assert convoys["claimed"].tolist() == [1, 1] and convoys["unclaimed"].tolist() == [0, 0]
    sites = by_month[by_month["series"] == "sites"]
    assert sites["claimed"].sum() == 0 and sites["attacks"].sum() == 2
    groups = claims.claims_per_group(attacks, GROUPS).set_index("group_id")
    assert groups.loc["front_a", "convoys"] == 2 and groups.loc["front_b", "attacks"] == 1
    assert groups.loc["front_a", "tied_to"] == "Militia X"
    assert titles.claims_title(by_month) == (
        "A group claimed 2 of 2 convoy attacks and 0 of 2 attacks on sites")
    assert "not proof" in claims.claims_sentence(by_month, groups.reset_index())


def test_attributions_count_who_blamed_and_who_was_blamed_without_crossing_them():
    table = claims.attributions(claim_rows(), GROUPS)
    by = table[table["side"] == "attributed by"].set_index("name")["attacks"]
    to = table[table["side"] == "attributed to"].set_index("name")["attacks"]
    assert by.to_dict() == {"analysts": 1, "iraqi military": 1, "us military": 1}
    assert to.to_dict() == {"Militia X": 2, "Iran": 1}
    assert table["attacks"].sum() == 6  # a crossed table would have 5 pairs on 2 sides


@pytest.mark.parametrize("storage", ["object", "pyarrow"])
def test_claim_ids_are_split_on_white_space_and_an_empty_cell_claims_nothing(storage):
    cells = [" front_a  front_b ", None, "", "   ", "front_a\tfront_c", "front_b"]
    attacks = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-05"] * 6),
        "target_type": ["military_base"] * 3 + ["convoy"] * 3,
        "claimed_by": pd.Series(cells, dtype=object if storage == "object"
                                else pd.StringDtype("pyarrow"))})
    by_month = claims.claims_by_month(attacks, START, pd.Timestamp("2020-01-31"))
    assert by_month.set_index("series")["claimed"].to_dict() == {"sites": 1, "convoys": 2}
    groups = claims.claims_per_group(attacks, GROUPS).set_index("group_id")
    assert groups["attacks"].to_dict() == {"front_a": 2, "front_b": 2, "front_c": 1}
    assert groups.loc["front_b", "sites"] == 1 and groups.loc["front_b", "convoys"] == 1


def test_site_ranking_leaves_convoy_road_groups_out():
    attacks = pd.DataFrame({"site_label": ["Embassy", "Embassy", "Roads, Dhi Qar",
                                           "Roads, Dhi Qar", "Roads, Dhi Qar", "Taji"],
                            "province": ["Baghdad", "Baghdad", "Dhi Qar", "Dhi Qar",
                                         "Dhi Qar", "Baghdad"],
                            "target_type": ["embassy", "embassy", "convoy", "convoy",
                                            "convoy", "military_base"]})
    sites, roads = frequency.site_and_road_breakdowns(attacks)
    assert "Roads, Dhi Qar" not in set(sites["site_label"])
    assert sites.iloc[0]["site_label"] == "Embassy" and sites["attacks"].sum() == 3
    assert roads.set_index("province")["attacks"].to_dict() == {"Dhi Qar": 3}
    assert titles.breakdown_title(sites, "site_label", "site", "attacks on sites") == (
        "Most attacks by site: Embassy, 2 of 3 attacks on sites (67%)")


def band_dataset(counts: list[dict]) -> SimpleNamespace:
    attacks = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-10", "2020-02-11",
                                "2020-03-02"]),
        "target_type": ["embassy", "military_base", "military_base", "convoy", "airport"],
        "actor_type": "militia", "confidence": ["high", "low", "high", "medium", "high"]})
    coverage = pd.DataFrame({"month": ["2020-01", "2020-02", "2020-03"],
                             "assessment": ["complete", "incomplete", "complete"],
                             "sites_assessment": ["complete", "complete", "complete"],
                             "convoys_assessment": ["complete", "incomplete", "complete"]})
    press = pd.DataFrame(counts)
    press["report_date"] = pd.to_datetime(press["report_date"])
    press["since_date"] = pd.to_datetime(press["since_date"])
    return SimpleNamespace(attacks=attacks, press_counts=press, coverage=coverage)


def test_the_band_adds_a_press_shortfall_once_and_only_to_its_series():
    dataset = band_dataset([
        # sites since 1 Jan: 2 recorded by 31 Jan, the press says 4: 2 more, in January
        {"count_id": "P1", "report_date": "2020-01-31", "since_date": "2020-01-01",
         "counted_what": "us_interests", "count": 4, "checked": True},
        # the same shortfall again a month later (3 recorded, press 5): not added twice
        {"count_id": "P2", "report_date": "2020-02-28", "since_date": "2020-01-01",
         "counted_what": "us_interests", "count": 5, "checked": True},
        # a count of all attacks cannot be split between the series: left out
        {"count_id": "P3", "report_date": "2020-03-05", "since_date": "2020-01-01",
         "counted_what": "all_attacks", "count": 40, "checked": True},
        # an unchecked count is left out
        {"count_id": "P4", "report_date": "2020-03-05", "since_date": "2020-01-01",
         "counted_what": "us_interests", "count": 30, "checked": False}])
    attacks = dataset.attacks
    band = missing.monthly_band(dataset, attacks, START, pd.Timestamp("2020-03-31"))
    sites = band[band["series"] == "sites"].set_index("period_start")
    assert sites["recorded"].tolist() == [2, 1, 1]
    assert sites["confirmed"].tolist() == [1, 1, 1]  # the low-confidence row is the lower edge
    assert sites["press_extra"].tolist() == [2, 0, 0]
    assert sites["upper"].sum() == 6
    convoys = band[band["series"] == "convoys"].set_index("period_start")
    assert convoys["press_extra"].sum() == 0
    assert convoys["open_above"].tolist() == [False, True, False]


@pytest.fixture(scope="module")
def real():
    from iraq_attacks.context import build_context

    dataset = load_dataset(DATA_DIR)
    return dataset, build_context(dataset, {}).selection


def test_the_overview_paragraph_states_computed_figures_without_causal_words(real):
    dataset, selection = real
    raw = pd.read_csv(DATA_DIR / "attacks.csv")
    text = narrative.overview_narrative(selection.used, dataset.milestones, dataset.coverage)
    convoys = int((raw["target_type"] == "convoy").sum())
    assert f"{len(raw)} attacks" in text and f"and {convoys} bombs on supply convoys" in text
    state = raw[raw["actor_type"] == "state"].sort_values("date").iloc[0]
    assert f"{int(state['projectiles_fired_low'])} ballistic missiles" in text
    assert f"{int(raw['tbi_diagnosed_us_military'].sum())} US service members" in text
    low = int((raw["confidence"] == "low").sum())
    assert f"{low} of the {len(raw)} rows are of low confidence" in text
    weak = int((~pd.read_csv(DATA_DIR / "coverage.csv")["assessment"].isin(
        ["complete", "mostly_complete"])).sum())
    assert f"{weak} of the" in text
    for word in ("in response", "answered", "retaliat", "because", "provoked", "caused"):
        assert word not in text.lower(), word


def test_real_ranges_and_claims_match_the_csv(real):
    dataset, selection = real
    raw = pd.read_csv(DATA_DIR / "attacks.csv")
    ranges = casualties.casualty_ranges(selection.used, dataset.casualty_reports)
    wounded = [c for c in raw.columns if c.startswith("wounded_")]
    assert ranges.loc[ranges["measure"] == "wounded", "latest"].sum() == raw[wounded].sum().sum()
    tbi = ranges[ranges["measure"] == "tbi_diagnosed"]
    assert tbi["latest"].sum() == raw["tbi_diagnosed_us_military"].sum()
    assert (ranges["conservative"] <= ranges["latest"]).all()
    assert (ranges["latest"] <= ranges["highest"]).all()
    by_month = claims.claims_by_month(selection.used, selection.start, selection.end)
    assert by_month["claimed"].sum() == raw["claimed_by"].notna().sum()


def test_a_revision_whose_latest_report_is_not_the_datas_figure_says_what_the_data_keep():
    from iraq_attacks import summaries

    attacks = attacks_frame([{"attack_id": "A", "date": "2020-01-08", "site_label": "Base",
                              "wounded_us_military": 0}])
    reports = reports_frame([
        ("A", "us_military", "wounded", 0, "accepted", "2020-01-08"),
        ("A", "us_military", "wounded", 11, "accepted", "2020-01-16")]).assign(
            report_id=["R1", "R2"], outlet=["White House", "CENTCOM"])
    revision = next(casualties.revisions_of(reports, attacks).itertuples())
    sentence = summaries.revision_sentence(revision, "Base")
    # the old sentence stopped at "last as 11", as if the data counted 11 wounded
    assert "last as 11" in sentence and "the data keep 0" in sentence


def test_the_deadliest_table_tells_unknown_from_none():
    from iraq_attacks.tables import deadliest_table

    attacks = attacks_frame([
        {"attack_id": "A", "date": "2020-01-05", "killed_civilian": 1},
        {"attack_id": "B", "date": "2020-01-06", "killed_civilian": 1, "wounded_civilian": 0}]
    ).assign(site_label="X", weapon="rocket", source_urls="https://example.org/a")
    who = deadliest_table(casualties.deadliest_attacks(attacks, 5))["who"].tolist()
    # B (a source says nobody was wounded) ranks before A (no wounded figure at all)
    assert who == ["killed: Civilians 1; wounded: none",
                   "killed: Civilians 1; wounded: not reported"]


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_n_on_the_lethality_and_intensity_charts_counts_the_attacks_the_figure_is_over():
    import matplotlib.pyplot as plt

    from iraq_attacks import charts

    # January: 4 attacks, 1 with a casualty figure and 2 with a projectile count
    attacks = attacks_frame(
        [{"attack_id": "A", "date": "2020-01-05", "wounded_civilian": 2,
          "projectiles_fired_low": 4},
         {"attack_id": "B", "date": "2020-01-06", "projectiles_fired_low": 2}]
        + [{"attack_id": f"N{i}", "date": "2020-01-07"} for i in range(2)])
    end = pd.Timestamp("2020-01-31")
    lethality = casualties.lethality_by_period(attacks, START, end)
    fig = charts.lethality_chart(lethality, "month", "t", "s")
    assert "n=1" in _texts(fig) and "n=4" not in _texts(fig)  # the old label said n=4
    plt.close(fig)
    intensity = escalation.intensity_by_period(attacks, START, end)
    fig = charts.intensity_chart(intensity, "t", "s")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert sorted(t for t in texts if t.startswith("n=")) == ["n=1", "n=2"]
    plt.close(fig)


def test_a_burst_of_two_days_is_told_as_attacks_in_days_not_a_weekly_rate():
    phases = pd.DataFrame({"start": pd.to_datetime(["2020-01-01", "2020-08-16"]),
                           "end": pd.to_datetime(["2020-08-15", "2020-08-17"]),
                           "attacks": [40, 11], "weekly_rate": [1.2, 38.5]})
    title = titles.phases_title(phases)
    # the old title said "ran at 38.5 a week" for two days
    assert "a week" not in title and "11 attacks in 2 days, 16 Aug-17 Aug 2020" in title
    fits = phases.assign(series="all attacks", variant="all rows", survives=[True, False])
    assert "11 attacks in 2 days" in escalation.busiest_phase_sentence(fits)
    assert escalation.phase_pace(phases.iloc[0]) == "1.2 attacks a week"


def test_an_empty_or_one_attack_selection_draws_without_error():
    import matplotlib.pyplot as plt
    from conftest import FIXTURE_DATA

    from iraq_attacks import charts

    attacks = load_dataset(FIXTURE_DATA).attacks
    start, end = pd.Timestamp("2020-03-14"), attacks["date"].max()
    # no attack: the claims of an empty selection used to fail on the column's type
    empty = claims.claims_by_month(attacks.iloc[0:0], START, pd.Timestamp("2020-02-29"))
    assert empty["attacks"].sum() == 0 and len(empty) == 4
    # one attack without a projectile count or a casualty figure: the means are unknown,
    # and the axes used to fail on the unknown maximum
    one = attacks[attacks["date"] >= start].head(1).assign(
        projectiles_fired_low=pd.NA, **{c: pd.NA for c in attacks.columns
                                        if c.startswith(("killed_", "wounded_"))})
    intensity = escalation.intensity_by_period(one, start, end)
    plt.close(charts.intensity_chart(intensity, "t", "s"))
    lethality = casualties.lethality_by_period(one, start, end)
    plt.close(charts.lethality_chart(lethality, "month", "t", "s"))
