"""Escalation statistics on synthetic series whose answer is known."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from iraq_attacks import charts, escalation, titles
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


def test_rate_ratio_interval_matches_the_exact_binomial():
    # 5 before and 15 after in equal windows: ratio 3; p = 15/20 with a Clopper-Pearson
    # interval of (0.5090, 0.9134), so the ratio interval is p/(1-p) at each end
    result = escalation.rate_ratio(5, 15, 28, 28)
    assert result["ratio"] == 3
    assert result["low"] == pytest.approx(0.5090 / 0.4910, rel=1e-3)
    assert result["high"] == pytest.approx(0.9134 / 0.0866, rel=1e-3)
    unequal = escalation.rate_ratio(5, 15, 14, 28)  # half the exposure before
    assert unequal["ratio"] == pytest.approx(1.5)


def test_rate_ratio_interval_is_scipys_exact_interval_for_every_count():
    """The Clopper-Pearson bounds taken from beta quantiles are scipy's exact interval for
    every split of up to 40 attacks, with equal and unequal windows, and the ends (none
    before, none after) stay open."""
    from scipy.stats import binomtest

    for days_before, days_after in ((28, 28), (14, 28), (56, 9)):
        share = days_after / (days_before + days_after)
        scale = days_before / days_after
        for total in range(1, 41):
            for after in range(total + 1):
                result = escalation.rate_ratio(total - after, after, days_before, days_after)
                test = binomtest(after, total, share)
                interval = test.proportion_ci(0.95, method="exact")
                assert result["p_value"] == pytest.approx(test.pvalue, rel=1e-9)
                assert result["low"] == pytest.approx(
                    interval.low / (1 - interval.low) * scale, rel=1e-9, abs=1e-12)
                if after == total:
                    assert result["high"] == float("inf")
                else:
                    assert result["high"] == pytest.approx(
                        interval.high / (1 - interval.high) * scale, rel=1e-9)


def test_rate_ratio_p_value_is_scipys_at_a_million_rows_scale():
    """The p value is computed without scipy.stats (a second of import per kernel); it is
    scipy's two-sided exact binomial test also for the tens of thousands of attacks a
    window holds in the million-row benchmark, in the tails and at ties."""
    from scipy.stats import binomtest

    for days_before, days_after in ((28, 28), (14, 28), (90, 7)):
        share = days_after / (days_before + days_after)
        for total in (41, 200, 5_000, 60_000):
            for after in {0, 1, round(total * share) - 3, round(total * share),
                          total // 2, total - 1, total}:
                expected = binomtest(after, total, share).pvalue
                result = escalation.rate_ratio(total - after, after, days_before, days_after)
                assert result["p_value"] == pytest.approx(expected, rel=1e-9, abs=1e-300)


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
    # Iran named Soleimani's killing, not the strikes of 29 December, as what it answered
    assert pd.isna(k1["days_to_state_strike"])
    killing = sequence[sequence["action_date"] == "2020-01-03"].iloc[0]
    state = dataset.attacks[dataset.attacks["actor_type"] == "state"]["date"].min()
    assert killing["days_to_state_strike"] == (state - killing["action_date"]).days
    taji = sequence[sequence["action_date"] == "2020-03-12"].iloc[0]
    assert taji["trigger"].startswith("Taji") and taji["days_trigger_to_action"] == 1


def test_a_large_timeline_shows_one_marker_per_site_and_the_finest_period_that_fits():
    dataset = load_dataset(DATA_DIR)
    attacks = dataset.attacks
    full = escalation.attack_timeline(attacks)
    assert len(full) == len(attacks) and full["attacks"].sum() == len(attacks)
    assert set(full["marker"]) == {"attack"}
    site_days = len(attacks.drop_duplicates(["date", "site_label"]))
    site_weeks = len(attacks.assign(week=attacks["date"].dt.to_period("W"))
                     .drop_duplicates(["week", "site_label"]))
    site_months = len(attacks.assign(month=attacks["date"].dt.to_period("M"))
                      .drop_duplicates(["month", "site_label"]))
    assert site_months < site_weeks < site_days < len(attacks)  # the real data has all four
    title = titles.timeline_title(full, dataset.milestones)
    rank = {s: i for i, s in enumerate(escalation.SEVERITY_ORDER)}
    for limit, marker, markers in [(site_days, "day", site_days),
                                   (site_days - 1, "week", site_weeks),
                                   (site_weeks - 1, "month", site_months),
                                   (1, "month", site_months)]:  # month: the coarsest there is
        grouped = escalation.attack_timeline(attacks, max_markers=limit)
        assert set(grouped["marker"]) == {marker} and len(grouped) == markers
        assert not grouped.duplicated(["date", "site"]).any()
        # every attack and every deadly attack is counted once; the title does not change
        assert grouped["attacks"].sum() == len(attacks)
        assert grouped["deadly_attacks"].sum() == full["deadly_attacks"].sum() > 0
        assert titles.timeline_title(grouped, dataset.milestones) == title
        # a marker is dated on the first day of its period, and keeps its worst severity
        period = full["date"].dt.to_period({"day": "D", "week": "W", "month": "M"}[marker])
        worst = (full.assign(rank=full["severity"].map(rank), date=period.dt.start_time)
                 .groupby(["date", "site"])["rank"].max()
                 .map(dict(enumerate(escalation.SEVERITY_ORDER))))
        shown = grouped.set_index(["date", "site"])["severity"]
        assert shown.sort_index().equals(worst.rename("severity").sort_index())
        if marker == "week":
            assert (grouped["date"].dt.day_of_week == 0).all()


def test_a_grouped_timeline_says_what_a_marker_stands_for():
    dataset = load_dataset(DATA_DIR)
    grouped = escalation.attack_timeline(dataset.attacks, max_markers=60)
    fig = charts.timeline_chart(grouped, dataset.milestones, title="t", source="s")
    try:
        key = " ".join(fig._house_key)
        assert (f"one site's attacks in a {grouped['marker'].iloc[0]} "
                f"({len(dataset.attacks):,} attacks, {len(grouped):,} markers)") in key
    finally:
        plt.close(fig)
    ungrouped = escalation.attack_timeline(dataset.attacks)
    fig = charts.timeline_chart(ungrouped, dataset.milestones, title="t", source="s")
    try:
        assert "stands for" not in " ".join(fig._house_key)
    finally:
        plt.close(fig)


def test_a_large_tempo_chart_shows_one_dot_per_series_and_day():
    attacks = load_dataset(DATA_DIR).attacks
    gaps = escalation.days_between_attacks_by_series(attacks)
    every = escalation.tempo_points(gaps)
    assert len(every) == len(gaps) and (every["attacks"] == 1).all()
    points = escalation.tempo_points(gaps, max_markers=10)
    assert not points.duplicated(["series", "date"]).any()
    assert len(points) == len(gaps.drop_duplicates(["series", "date"]))
    assert points["attacks"].sum() == len(gaps)
    # each day keeps its longest gap, and the median after its last attack
    longest = gaps.groupby(["series", "date"])["days_since_previous"].max()
    last = gaps.groupby(["series", "date"])["rolling_median"].last()
    shown = points.set_index(["series", "date"]).sort_index()
    assert shown["days_since_previous"].equals(longest.sort_index())
    assert shown["rolling_median"].equals(last.sort_index())


def test_a_grouped_day_shows_its_deadliest_attack_whichever_comes_first():
    attacks = load_dataset(DATA_DIR).attacks
    calm = attacks[escalation.attack_timeline(attacks)["severity"].to_numpy() == "none"].iloc[:1]
    deadly = calm.assign(attack_id="ATK-9999", time_local="23:59",
                         killed_us_military=pd.array([2], dtype=calm["killed_us_military"].dtype))
    day = pd.concat([calm, deadly], ignore_index=True)  # the harmless attack first
    grouped = escalation.attack_timeline(day, max_markers=1)
    assert len(grouped) == 1 and grouped["attacks"].iloc[0] == 2
    assert grouped["severity"].iloc[0] == "killed" and grouped["deadly_attacks"].iloc[0] == 1


def flat_attacks(per_day: dict[int, int], days: int) -> pd.DataFrame:
    """Attacks on constructed days: ``per_day`` maps a day offset to a count."""
    dates = [START + pd.Timedelta(days=d) for d in range(days) for _ in range(per_day.get(d, 0))]
    return pd.DataFrame({"date": pd.to_datetime(dates), "confidence": "high",
                         "actor_type": "unknown", "target_type": "military_base"})


def test_holm_adjusts_in_step_down_order():
    assert escalation.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_one_raw_p_of_0009_among_eleven_milestones_is_no_verdict():
    # a steady 1 attack every other day, except 34 attacks in the 28 days before day 200 and
    # 15 in the 28 after it: alone, p = 0.009; with ten other milestones on the flat stretch
    # Holm's correction lifts it to about 0.09
    per_day = {d: 1 for d in range(0, 400, 2)}
    for d in range(172, 229):
        per_day.pop(d, None)
    for i, d in enumerate(range(172, 200)):
        per_day[d] = 2 if i < 6 else 1
    for d in range(201, 229, 2):
        per_day[d] = 1
    per_day[228] = 1
    attacks = flat_attacks(per_day, 400)
    days = [40, 60, 80, 100, 120, 140, 260, 290, 320, 350]
    milestones = pd.DataFrame({"title": [f"m{d}" for d in days] + ["drop"],
                               "date": [START + pd.Timedelta(days=d) for d in days + [200]]})
    last = START + pd.Timedelta(days=399)
    effects = escalation.milestone_effects(attacks, milestones, 28, START, last)
    drop = effects[effects["milestone"] == "drop"].iloc[0]
    assert (drop["attacks_before"], drop["attacks_after"]) == (34, 15)
    assert drop["p_value"] == pytest.approx(0.009, abs=0.002)
    assert drop["p_holm"] == pytest.approx(11 * drop["p_value"], rel=1e-6)
    assert not effects["survives"].any()
    for _, row in effects.iterrows():
        text = escalation.milestone_effect_reading(row, len(effects))
        assert "unlikely to be chance" not in text
        assert "marks a change" not in text
    assert "does not survive the correction for multiple tests" in \
        escalation.milestone_effect_reading(drop, len(effects))
    takeaway = escalation.milestone_effects_takeaway(effects)
    assert takeaway.startswith("None of the 11") and "mark a change" not in takeaway


def test_a_bursty_series_gives_the_placebo_baseline_that_sinks_a_large_ratio():
    # 30 attacks on one day every 20 days: a 28-day window holds one burst or two, so a
    # ratio of 2 (p about 0.005 on its own) is what a great many ordinary days show
    attacks = flat_attacks({d: 30 for d in range(5, 400, 20)}, 400)
    milestone = pd.DataFrame({"title": ["m"], "date": [START + pd.Timedelta(days=164)]})
    last = START + pd.Timedelta(days=399)
    row = escalation.milestone_effects(attacks, milestone, 28, START, last).iloc[0]
    assert row["rate_ratio"] == pytest.approx(2.0) and row["p_value"] < 0.01
    assert row["placebo_share"] > 0.2
    assert not row["survives"]
    assert "placebo baseline" in escalation.milestone_effect_reading(row, 1)
    placebo = escalation.placebo_ratios(attacks, 28, START, last)
    assert (placebo["p_value"] < 0.05).mean() > 0.2


def test_a_result_that_flips_with_the_anchor_of_a_multi_day_milestone_does_not_survive():
    # one attack a day up to a fortnight-long milestone, none during it, one a day after it: from
    # its first day the rate falls; from its last day nothing changes
    per_day = {d: 1 for d in range(300) if not 150 <= d <= 163}
    attacks = flat_attacks(per_day, 300)
    milestone = pd.DataFrame({"title": ["m"], "date": [START + pd.Timedelta(days=150)],
                              "end_date": [START + pd.Timedelta(days=163)]})
    last = START + pd.Timedelta(days=299)
    row = escalation.milestone_effects(attacks, milestone, 14, START, last).iloc[0]
    assert row["ci_high"] < 1 and row["p_holm"] < 0.05
    assert row["grid_includes_one"] > 0
    assert not row["survives"]
    assert "sensitivity grid" in escalation.milestone_effect_reading(row, 1)


def test_a_large_sustained_step_survives_every_check_and_is_not_called_a_cause():
    attacks = poisson_attacks([(200, 0.1), (200, 3.0)], seed=7).assign(
        confidence="high", actor_type="unknown", target_type="military_base")
    days = [50, 100, 300, 350]
    milestones = pd.DataFrame({"title": [f"m{d}" for d in days] + ["step"],
                               "date": [START + pd.Timedelta(days=d) for d in days + [200]]})
    last = START + pd.Timedelta(days=399)
    effects = escalation.milestone_effects(attacks, milestones, 28, START, last)
    step = effects[effects["milestone"] == "step"].iloc[0]
    assert step["survives"], step
    assert effects.loc[effects["milestone"] != "step", "survives"].eq(False).all()
    reading = escalation.milestone_effect_reading(step, len(effects))
    assert "holds up" in reading and "does not show what caused it" in reading
    assert escalation.milestone_effects_takeaway(effects).startswith("1 of 5")


def test_a_busy_phase_made_of_low_confidence_convoy_rows_is_said_not_to_survive():
    # one well-sourced site attack every 4 days for 300 days; in days 200-209, two
    # low-confidence convoy rows a day from one list: the combined fit finds a busy phase
    rows = [{"date": START + pd.Timedelta(days=d), "confidence": "high",
             "actor_type": "unknown", "target_type": "military_base"} for d in range(0, 300, 4)]
    rows += [{"date": START + pd.Timedelta(days=d), "confidence": "low",
              "actor_type": "unknown", "target_type": "convoy"}
             for d in range(200, 210) for _ in range(2)]
    attacks = pd.DataFrame(rows)
    last = START + pd.Timedelta(days=299)
    old = escalation.rate_phases(attacks, START, last)
    busiest = old.loc[old["weekly_rate"].idxmax()]
    assert busiest["start"] >= START + pd.Timedelta(days=195)  # the old, unqualified answer
    phases = escalation.phases_by_series(attacks, START, last)
    combined = phases[(phases["series"] == "all attacks") & (phases["variant"] == "all rows")]
    top = combined.loc[combined["weekly_rate"].idxmax()]
    assert not top["survives"]
    sites = phases[(phases["series"] == "sites") & (phases["variant"] == "all rows")]
    assert len(sites) == 1 and sites["survives"].all()
    assert "does not survive" in escalation.busiest_phase_takeaway(phases)
    sentence = escalation.busiest_phase_sentence(phases)
    assert "all attacks: 3 phases" in sentence
    assert "does not survive without low-confidence rows" in sentence
    assert "sites: 1 phase, the busiest" in sentence


def test_one_attack_follows_one_action_iran_answers_the_named_action_and_lags_get_a_baseline():
    # attacks every 3 days; two US actions on days 30 and 31 with no attack between them;
    # a state strike on day 36
    rows = [{"date": START + pd.Timedelta(days=d), "site_label": f"site {d}",
             "attack_id": f"ATK-{d:04d}", "actor_type": "state" if d == 36 else "militia",
             "killed_us_military": 1 if d == 27 else 0} for d in list(range(0, 90, 3)) + [36]]
    attacks = pd.DataFrame(rows).sort_values("date").reset_index(drop=True)
    milestones = pd.DataFrame({
        "title": ["strikes", "killing"], "kind": ["us_strike", "targeted_killing"],
        "date": [START + pd.Timedelta(days=30), START + pd.Timedelta(days=31)],
        "on_charts": [True, True]})
    sequence = escalation.action_and_response(attacks, milestones)
    nexts = sequence["next_attack"].replace("", None).dropna()
    assert nexts.is_unique  # the old code gave ATK-0033 to both actions
    strikes, killing = sequence.iloc[0], sequence.iloc[1]
    assert pd.isna(strikes["days_to_next_attack"]) and killing["days_to_next_attack"] == 2
    assert pd.isna(strikes["days_to_state_strike"])  # the old code tied Iran's strike to both
    assert killing["days_to_state_strike"] == 5
    waits = escalation.waiting_times(attacks, START, START + pd.Timedelta(days=89))
    assert sorted(waits.unique()) == [1, 2, 3]
    reading = escalation.lag_reading(killing, waits)
    assert "cannot be told apart from the usual gap" in reading
    assert "answered" not in reading


def test_an_attack_without_a_casualty_figure_is_not_a_zero_in_casualties_per_attack():
    attacks = pd.DataFrame({
        "date": pd.to_datetime(["2020-01-05", "2020-01-20"]),
        "projectiles_fired_low": [3, None],
        "killed_us_military": [1, None], "wounded_us_military": [3, None]})
    frame = escalation.intensity_by_period(attacks, START, pd.Timestamp("2020-01-31"), "M")
    january = frame.iloc[0]
    assert january["casualties_per_attack"] == 4  # the old code gave 2, counting a zero
    assert january["attacks_with_casualty_figure"] == 1 and january["attacks"] == 2


def test_each_milestone_reading_leads_with_its_milestone_and_nests_no_brackets():
    """The eleven readings are read as a list: each starts with the milestone and its date
    (they all began "In the 28 days after", the name lost mid-sentence), and the checks sit
    in one pair of brackets (the raw p was a bracket inside a bracket)."""
    from iraq_attacks.context import build_context

    context = build_context(load_dataset(), {})
    milestones = context.dataset.milestones
    effects = escalation.milestone_effects(context.attacks, milestones[milestones["on_charts"]],
                                           28, context.selection.start, context.selection.end)
    assert len(effects) >= 5
    for _, row in effects.iterrows():
        reading = escalation.milestone_effect_reading(row, len(effects))
        assert reading.startswith(f"{row['milestone']} ({row['date']:%d %b %Y}): "), reading
        depth, deepest = 0, 0
        for character in reading.removeprefix(f"{row['milestone']} ({row['date']:%d %b %Y})"):
            depth += {"(": 1, ")": -1}.get(character, 0)
            deepest = max(deepest, depth)
        assert deepest == 1, reading
        assert "cause" not in reading or "does not show what caused it" in reading
