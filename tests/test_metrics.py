"""Metrics on small hand-made frames whose answers are known."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import FIXTURE_DATA

from iraq_attacks.casualties import (
    CASUALTY_COLUMNS,
    attacks_without_casualty_report,
    casualty_totals,
    count_without_casualty_report,
    severity,
)
from iraq_attacks.data import load_dataset
from iraq_attacks.escalation import attack_timeline, milestones_in_window
from iraq_attacks.frequency import attacks_per_period, with_rolling_mean
from iraq_attacks.parameters import ParameterError
from iraq_attacks.selection import select_attacks, sourced_until
from iraq_attacks.summaries import busiest_period_sentence, key_figures, overview_sentence


def frame(dates, **columns) -> pd.DataFrame:
    data = {"date": pd.to_datetime(dates)}
    for column in CASUALTY_COLUMNS:
        data[column] = pd.array(columns.get(column, [pd.NA] * len(dates)), dtype="Int64")
    for name, values in columns.items():
        if name not in CASUALTY_COLUMNS:
            data[name] = values
    return pd.DataFrame(data)


def test_attacks_per_week_counts_and_fills_empty_weeks():
    attacks = frame(["2020-01-06", "2020-01-07", "2020-01-12", "2020-01-20"])
    weekly = attacks_per_period(attacks, pd.Timestamp("2020-01-06"),
                                pd.Timestamp("2020-01-26"), "W")
    assert list(weekly["attacks"]) == [3, 0, 1]
    assert weekly["period_start"].dt.day_name().eq("Monday").all()
    assert list(weekly["period_start"].dt.strftime("%m-%d")) == ["01-06", "01-13", "01-20"]


def test_attacks_per_month_and_rolling_mean():
    attacks = frame(["2019-12-31", "2020-01-01", "2020-01-31", "2020-03-15"])
    monthly = attacks_per_period(attacks, pd.Timestamp("2019-12-01"),
                                 pd.Timestamp("2020-03-31"), "M")
    assert list(monthly["attacks"]) == [1, 2, 0, 1]
    rolled = with_rolling_mean(monthly, 2)
    assert list(rolled["rolling_mean"]) == [1.0, 1.5, 1.0, 0.5]


def test_casualty_totals_keep_unknown_apart_from_zero():
    attacks = frame(["2020-01-01", "2020-01-02", "2020-01-03"],
                    killed_us_military=[1, 0, pd.NA], wounded_us_military=[2, pd.NA, pd.NA],
                    killed_civilian=[pd.NA, pd.NA, pd.NA])
    totals = casualty_totals(attacks).set_index("group")
    assert totals.loc["us_military", "killed"] == 1
    assert totals.loc["us_military", "attacks_reporting_killed"] == 2
    assert totals.loc["us_military", "wounded"] == 2
    assert totals.loc["us_military", "attacks_reporting_wounded"] == 1
    assert totals.loc["civilian", "attacks_reporting_killed"] == 0
    assert len(attacks_without_casualty_report(attacks)) == 1  # the third attack
    assert count_without_casualty_report(attacks) == 1


def test_severity_levels():
    attacks = frame(["2020-01-01"] * 4, killed_us_contractor=[1, 0, 0, pd.NA],
                    wounded_iraqi_forces=[3, 2, 0, pd.NA])
    assert list(severity(attacks)) == ["killed", "wounded", "none", "unknown"]


def test_select_attacks_accounts_for_every_row():
    dataset = load_dataset(FIXTURE_DATA)
    selection = select_attacks(dataset, "2020-01-01", "2020-03-31", "W", sites="k1,taji")
    assert len(selection.used) + len(selection.excluded) == len(dataset.attacks)
    assert set(selection.used["site_id"]) <= {"k1", "taji"}
    assert selection.used["date"].between("2020-01-01", "2020-03-31").all()
    reasons = set(selection.excluded["reason"])
    assert "outside 2020-01-01 to 2020-03-31" in reasons
    assert "site_id not in k1, taji" in reasons


def test_select_attacks_rejects_bad_values():
    dataset = load_dataset(FIXTURE_DATA)
    with pytest.raises(ParameterError, match="period: 'fortnight' is not accepted"):
        select_attacks(dataset, "2019-10-01", "", "fortnight")
    with pytest.raises(ParameterError, match="is not a valid date"):
        select_attacks(dataset, "2020-13-01", "", "W")


def test_empty_end_date_stops_at_the_last_sourced_month():
    dataset = load_dataset(FIXTURE_DATA)
    assert sourced_until(dataset) == pd.Timestamp("2020-03-31")
    assert select_attacks(dataset, "2019-10-01", "").end == pd.Timestamp("2020-03-31")


def test_empty_selection_gives_a_message_not_an_error():
    dataset = load_dataset(FIXTURE_DATA)
    selection = select_attacks(dataset, "2019-11-01", "2019-11-30", "W")
    assert selection.empty
    assert "No attack in the data matches this selection" in overview_sentence(selection)
    weekly = attacks_per_period(selection.used, selection.start, selection.end, "W")
    assert weekly["attacks"].sum() == 0
    assert busiest_period_sentence(weekly, "week") == "No attacks in any week of the selection."


def test_key_figures_on_fixture_data():
    dataset = load_dataset(FIXTURE_DATA)
    figures = key_figures(select_attacks(dataset, "2019-10-01", ""))
    attacks = dataset.attacks
    assert figures["attacks"] == len(attacks)
    killed = int(attacks[[c for c in CASUALTY_COLUMNS if c.startswith("killed")]].sum().sum())
    assert figures["killed"] == killed
    assert figures["first"] == attacks["date"].min()


def test_timeline_and_milestones_window():
    dataset = load_dataset(FIXTURE_DATA)
    timeline = attack_timeline(dataset.attacks)
    assert len(timeline) == len(dataset.attacks)
    k1 = timeline[timeline["attack_id"] == "ATK-0009"].iloc[0]
    assert k1["severity"] == "killed"
    assert k1["projectiles"] == dataset.attacks.set_index("attack_id").loc[
        "ATK-0009", "projectiles_fired_high"]
    window = milestones_in_window(dataset.milestones, pd.Timestamp("2020-01-01"),
                                  pd.Timestamp("2020-01-31"))
    assert window["date"].between("2020-01-01", "2020-01-31").all() and len(window) >= 2
