"""Sentences that used to overclaim, on constructed data where the old wording was wrong."""

from __future__ import annotations

import pandas as pd

from iraq_attacks import frequency, summaries
from iraq_attacks.coverage import largest_gap_sentence


def test_the_largest_salvo_is_one_attacks_range_never_two_attacks_joined():
    attacks = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-01", "2020-02-01"]), "site_label": ["A", "B"],
        "projectiles_fired_low": [30, 10], "projectiles_fired_high": [30, 36]})
    stats = frequency.projectiles_per_attack(attacks)
    sentence = summaries.projectiles_sentence(stats, 2, attacks)
    assert "30 to 36" not in sentence  # the old sentence joined A's 30 to B's 36
    assert "at B on 01 February 2020, was 10 to 36 projectiles" in sentence


def test_a_lower_bound_tally_that_the_data_meets_is_not_the_largest_gap():
    points = pd.DataFrame({
        "report_date": pd.to_datetime(["2020-01-10", "2020-02-10"]),
        "outlet": ["AFP", "AP"], "press": ["at least 10", "14"], "press_count": [10, 14],
        "dataset": [17, 13], "difference": [7, -1]})
    sentence = largest_gap_sentence(points)
    assert "at least 10" not in sentence and "7 more" not in sentence
    assert "AP counted 14" in sentence and "1 fewer" in sentence


def test_top_sites_keep_the_tie_at_the_cut_and_rank_road_groups_apart():
    by_site = pd.DataFrame({
        "label": ["Roads, Dhi Qar", "Embassy", "Ain al-Asad", "Taji", "Balad", "K1",
                  "Erbil", "Besmaya"],
        "attacks": [20, 15, 9, 8, 7, 5, 5, 5],
        "site_type": ["road", "embassy", "military_base", "military_base", "military_base",
                      "military_base", "airport", "military_base"]})
    sentence = summaries.top_sites_sentence(by_site)
    sites_part, roads_part = sentence.split("Convoy attacks on roads")
    assert "Roads, Dhi Qar" not in sites_part and "Roads, Dhi Qar (20)" in roads_part
    assert "7 sites were attacked" in sites_part
    # the old head(5) kept one of the three sites tied at 5
    assert "Ain al-Asad (9), Taji (8), Balad (7), then 3 sites tied at 5 attacks each " \
        "(K1, Erbil, Besmaya)" in sites_part


def test_the_most_attacked_site_is_a_site_and_the_two_campaigns_are_counted_apart():
    from iraq_attacks.selection import Selection

    attacks = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04",
                                "2020-01-05"]),
        "site_label": ["Roads, Baghdad"] * 3 + ["Taji"] * 2,
        "target_type": ["convoy"] * 3 + ["military_base"] * 2,
        "killed_us_military": [None, None, None, 1, 0]})
    from iraq_attacks.casualties import CASUALTY_COLUMNS

    for column in CASUALTY_COLUMNS:
        attacks[column] = attacks.get(column, pd.Series([None] * 5)).astype("Float64")
    selection = Selection.__new__(Selection)
    object.__setattr__(selection, "used", attacks)
    figures = summaries.key_figures(selection)
    assert figures["most_attacked_site"] == "Taji"  # the old code named 'Roads, Baghdad'
    assert (figures["site_attacks"], figures["convoy_attacks"]) == (2, 3)


def test_an_attack_without_a_casualty_figure_is_not_a_zero_in_the_lethality_share():
    from iraq_attacks.casualties import CASUALTY_COLUMNS, lethality_by_period

    attacks = pd.DataFrame({"date": pd.to_datetime(["2020-01-05", "2020-01-20"]),
                            "projectiles_fired_low": [4, 6]})
    for column in CASUALTY_COLUMNS:
        attacks[column] = pd.Series([None, None], dtype="Float64")
    attacks["killed_us_military"] = pd.Series([1, None], dtype="Float64")
    january = lethality_by_period(attacks, pd.Timestamp("2020-01-01"),
                                  pd.Timestamp("2020-01-31")).iloc[0]
    assert january["attacks"] == 2 and january["attacks_with_figure"] == 1
    assert january["share_with_casualties"] == 1.0  # the old code gave 0.5
    assert january["casualties_per_attack"] == 1.0
    assert january["per_100_projectiles"] == 25.0  # the old code gave 10 (1 per 10 fired)


def test_lethality_title_counts_the_attacks_that_hurt_someone():
    """The title once multiplied each month's share (over the attacks with a figure) by all of
    the month's attacks: '31 of 131' where 21 of the 86 attacks with a figure hurt someone."""
    from iraq_attacks.casualties import CASUALTY_COLUMNS, lethality_by_period
    from iraq_attacks.data import load_dataset
    from iraq_attacks.paths import DATA_DIR
    from iraq_attacks.titles import lethality_title

    dataset = load_dataset(DATA_DIR)
    lethality = lethality_by_period(dataset.attacks, dataset.attacks["date"].min(),
                                    dataset.attacks["date"].max())
    reported = dataset.attacks[CASUALTY_COLUMNS]
    hurt = int((reported.fillna(0).sum(axis=1) > 0).sum())
    with_figure = int(reported.notna().any(axis=1).sum())
    assert lethality_title(lethality).startswith(f"{hurt} of the {with_figure} attacks")
