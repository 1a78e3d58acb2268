"""Escalation statistics on synthetic series whose answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from iraq_attacks import escalation
from iraq_attacks.data import load_dataset
from iraq_attacks.paths import DATA_DIR

START = pd.Timestamp("2020-01-01")


def poisson_attacks(rates: list[tuple[int, float]], seed: int) -> pd.DataFrame:
    """Attack dates from a Poisson process: ``rates`` is [(days, attacks per day), ...]."""
    rng = np.random.default_rng(seed)
    dates, offset = [], 0
    for days, rate in rates:
        counts = rng.poisson(rate, days)
        dates += [START + pd.Timedelta(days=offset + d) for d in range(days)
                  for _ in range(counts[d])]
        offset += days
    return pd.DataFrame({"date": pd.to_datetime(dates)})


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_rate_that_doubles_is_found_within_a_few_days(seed):
    # 3 then 6 attacks a day: enough events that the step is sharp (at 1 then 2 a day the
    # method still finds it, but only to within two or three weeks)
    attacks = poisson_attacks([(150, 3.0), (150, 6.0)], seed)
    phases = escalation.rate_phases(attacks, START, START + pd.Timedelta(days=299))
    change = START + pd.Timedelta(days=150)
    nearest = min(phases["start"].iloc[1:], key=lambda s: abs((s - change).days))
    assert abs((nearest - change).days) <= 3, phases
    assert phases["weekly_rate"].iloc[-1] == pytest.approx(42, rel=0.1)


def test_a_constant_rate_gives_one_phase_and_ratios_whose_interval_covers_one():
    attacks = poisson_attacks([(300, 1.0)], seed=4)
    phases = escalation.rate_phases(attacks, START, START + pd.Timedelta(days=299))
    assert len(phases) == 1
    milestones = pd.DataFrame({"title": ["m1", "m2", "m3"],
                               "date": pd.to_datetime(["2020-03-01", "2020-06-01",
                                                       "2020-08-15"])})
    rates = escalation.rates_around_milestones(attacks, milestones, 28, START,
                                               START + pd.Timedelta(days=299))
    assert ((rates["ci_low"] < 1) & (rates["ci_high"] > 1)).all(), rates


def test_a_rate_that_triples_at_a_milestone_is_significant():
    attacks = poisson_attacks([(100, 0.5), (100, 1.5)], seed=5)
    milestone = pd.DataFrame({"title": ["step"], "date": [START + pd.Timedelta(days=100)]})
    row = escalation.rates_around_milestones(attacks, milestone, 28, START,
                                             START + pd.Timedelta(days=199)).iloc[0]
    assert row["ci_low"] > 1
    assert "excludes 1" in escalation.rate_ratio_reading(row)


def test_rate_ratio_interval_matches_the_exact_binomial():
    # 5 before and 15 after in equal windows: ratio 3; p = 15/20 with a Clopper-Pearson
    # interval of (0.5090, 0.9134), so the ratio interval is p/(1-p) at each end
    result = escalation.rate_ratio(5, 15, 28, 28)
    assert result["ratio"] == 3
    assert result["low"] == pytest.approx(0.5090 / 0.4910, rel=1e-3)
    assert result["high"] == pytest.approx(0.9134 / 0.0866, rel=1e-3)
    unequal = escalation.rate_ratio(5, 15, 14, 28)  # half the exposure before
    assert unequal["ratio"] == pytest.approx(1.5)


def test_windows_leave_out_the_day_itself_and_stop_at_the_ends():
    attacks = pd.DataFrame({"date": pd.to_datetime(["2020-01-02", "2020-01-10", "2020-01-11",
                                                    "2020-01-12", "2020-01-20"])})
    milestone = pd.DataFrame({"title": ["m"], "date": pd.to_datetime(["2020-01-10"])})
    row = escalation.rates_around_milestones(attacks, milestone, 28, START,
                                             pd.Timestamp("2020-01-31")).iloc[0]
    assert (row["attacks_before"], row["days_before"]) == (1, 9)
    assert (row["attacks_after"], row["days_after"]) == (3, 21)


def test_days_between_attacks():
    attacks = pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2020-01-04", "2020-01-04",
                                                    "2020-01-10"])})
    gaps = escalation.days_between_attacks(attacks, window=2)
    assert gaps["days_since_previous"].tolist() == [3, 0, 6]
    assert gaps["rolling_median"].tolist() == [3, 1.5, 3]


def test_action_and_response_on_the_real_data():
    dataset = load_dataset(DATA_DIR)
    sequence = escalation.action_and_response(dataset.attacks, dataset.milestones)
    k1 = sequence[sequence["action_date"] == "2019-12-29"].iloc[0]
    assert k1["trigger"].startswith("K1") and k1["days_trigger_to_action"] == 2
    assert k1["days_to_state_strike"] == 10  # Iran's strike of 8 January
    taji = sequence[sequence["action_date"] == "2020-03-12"].iloc[0]
    assert taji["trigger"].startswith("Taji") and taji["days_trigger_to_action"] == 1


def test_a_large_timeline_shows_one_marker_per_site_and_day():
    dataset = load_dataset(DATA_DIR)
    attacks = dataset.attacks
    full = escalation.attack_timeline(attacks)
    assert len(full) == len(attacks) and full["attacks"].sum() == len(attacks)
    grouped = escalation.attack_timeline(attacks, max_markers=10)
    assert grouped["attacks"].sum() == len(attacks)
    assert not grouped.duplicated(["date", "site"]).any()
    assert len(grouped) == len(attacks.drop_duplicates(["date", "site_label"]))
    # the worst severity of the day is kept: for every site and day, the grouped marker's
    # severity is the highest of that day's attacks
    rank = {s: i for i, s in enumerate(escalation.SEVERITY_ORDER)}
    worst = (full.assign(rank=full["severity"].map(rank)).groupby(["date", "site"])["rank"]
             .max().map(dict(enumerate(escalation.SEVERITY_ORDER))))
    shown = grouped.set_index(["date", "site"])["severity"]
    assert shown.sort_index().equals(worst.rename("severity").sort_index())


def test_a_grouped_day_shows_its_deadliest_attack_whichever_comes_first():
    attacks = load_dataset(DATA_DIR).attacks
    calm = attacks[escalation.attack_timeline(attacks)["severity"].to_numpy() == "none"].iloc[:1]
    deadly = calm.assign(attack_id="ATK-9999", time_local="23:59",
                         killed_us_military=pd.array([2], dtype=calm["killed_us_military"].dtype))
    day = pd.concat([calm, deadly], ignore_index=True)  # the harmless attack first
    grouped = escalation.attack_timeline(day, max_markers=1)
    assert len(grouped) == 1 and grouped["attacks"].iloc[0] == 2
    assert grouped["severity"].iloc[0] == "killed"
