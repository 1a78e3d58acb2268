"""Casualty metrics on hand-made frames whose answers are known, and on the real revisions."""

from __future__ import annotations

import pandas as pd
from test_metrics import frame

from iraq_attacks import casualties
from iraq_attacks.data import load_dataset
from iraq_attacks.paths import DATA_DIR


def test_deadliest_ranks_killed_then_wounded_and_skips_unknown():
    attacks = frame(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04"],
                    killed_us_military=[1, 0, pd.NA, 2], wounded_civilian=[5, 9, pd.NA, 0],
                    attack_id=["A", "B", "C", "D"])
    ranked = casualties.deadliest_attacks(attacks)
    assert list(ranked["attack_id"]) == ["D", "A", "B"]  # C has no figure at all
    assert list(ranked["killed"]) == [2, 1, 0] and list(ranked["wounded"]) == [0, 5, 9]


def test_cumulative_casualties_by_group():
    attacks = frame(["2020-01-02", "2020-01-04"], killed_civilian=[1, 2],
                    wounded_us_military=[pd.NA, 3])
    running = casualties.cumulative_casualties(attacks, pd.Timestamp("2020-01-01"),
                                               pd.Timestamp("2020-01-05"))
    assert running["killed_civilian"].tolist() == [0, 1, 1, 3, 3]
    assert running["wounded_us_military"].tolist() == [0, 0, 0, 3, 3]


def test_lethality_by_month():
    attacks = frame(["2020-01-05", "2020-01-20", "2020-03-01"],
                    killed_us_military=[1, 0, pd.NA], wounded_us_military=[3, 0, pd.NA],
                    projectiles_fired_low=pd.array([20, 5, pd.NA], dtype="Int64"))
    result = casualties.lethality_by_period(attacks, pd.Timestamp("2020-01-01"),
                                            pd.Timestamp("2020-03-31"), "M").set_index(
        "period_start")
    january = result.loc["2020-01-01"]
    assert (january["attacks"], january["attacks_with_casualties"]) == (2, 1)
    assert january["share_with_casualties"] == 0.5
    assert january["casualties_per_attack"] == 2.0
    assert january["per_100_projectiles"] == 100 * 4 / 25
    assert result.loc["2020-02-01", "attacks"] == 0
    assert pd.isna(result.loc["2020-02-01", "share_with_casualties"])
    assert pd.isna(result.loc["2020-03-01", "per_100_projectiles"])


def test_revisions_of_the_iranian_strike_leave_out_unsupported_claims():
    dataset = load_dataset(DATA_DIR)
    ain_al_asad = dataset.attacks[(dataset.attacks["date"] == "2020-01-08")
                                  & (dataset.attacks["site_id"] == "ain_al_asad")]
    attack_id = ain_al_asad["attack_id"].iloc[0]
    changed = casualties.revisions(dataset.casualty_reports).set_index(
        ["attack_id", "group", "measure"])
    tbi = changed.loc[(attack_id, "us_military", "tbi_diagnosed")]
    assert tbi["latest_figure"] == 110 and tbi["highest"] == 110
    assert tbi["latest_date"] == pd.Timestamp("2020-02-21")
    assert tbi["first_figure"] < tbi["latest_figure"]
    # Iranian state media's death toll is kept in the data but is not a revision
    assert (attack_id, "us_military", "killed") not in changed.index
    assert ain_al_asad["tbi_diagnosed_us_military"].iloc[0] == tbi["latest_figure"]
    series = casualties.revision_series(dataset.casualty_reports, attack_id)
    assert "US military, brain injuries" in set(series["series"])
    assert series.groupby("series")["figure"].nunique().min() > 1
