"""Frequency metrics on hand-made frames whose answers are known."""

from __future__ import annotations

import pandas as pd
from conftest import FIXTURE_DATA

from iraq_attacks import frequency
from iraq_attacks.coverage import largest_gap_sentence, running_count_comparison
from iraq_attacks.data import load_dataset
from iraq_attacks.tables import attack_register


def attacks(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_breakdown_ranks_and_shares_with_stable_ties():
    frame = attacks(date=["2020-01-01"] * 5, weapon=["rocket", "ied", "rocket", "drone", "ied"])
    result = frequency.breakdown(frame, "weapon")
    assert list(result["weapon"]) == ["ied", "rocket", "drone"]
    assert list(result["attacks"]) == [2, 2, 1]
    assert list(result["share"]) == [0.4, 0.4, 0.2]


def test_per_month_by_weapon_fills_empty_months():
    frame = attacks(date=["2020-01-05", "2020-01-20", "2020-03-01"],
                    weapon=["rocket", "ied", "rocket"])
    table = frequency.per_period_by(frame, "weapon", pd.Timestamp("2020-01-01"),
                                    pd.Timestamp("2020-03-31"), "M")
    assert list(table.columns) == ["rocket", "ied"]
    assert table.loc["2020-01-01"].tolist() == [1, 1]
    assert table.loc["2020-02-01"].tolist() == [0, 0]
    assert table.loc["2020-03-01"].tolist() == [1, 0]


def test_time_of_day_and_unknown_share():
    frame = attacks(date=["2020-01-01"] * 4, time_local=["00:30", "20:45", "", "23:59"])
    bands, unknown = frequency.time_of_day(frame)
    assert unknown == 1
    assert bands.set_index("local_time")["attacks"].to_dict() == {
        "00-03": 1, "03-06": 0, "06-09": 0, "09-12": 0, "12-15": 0, "15-18": 0, "18-21": 1,
        "21-24": 1}


def test_day_of_week():
    frame = attacks(date=["2020-02-13", "2020-02-16", "2020-02-20"])  # Thu, Sun, Thu
    days = frequency.day_of_week(frame).set_index("day")["attacks"]
    assert days["Thursday"] == 2 and days["Sunday"] == 1 and days.sum() == 3


def test_projectiles_per_month_keeps_low_high_and_unknown_apart():
    frame = attacks(date=["2020-01-01", "2020-01-10", "2020-01-20"],
                    projectiles_fired_low=pd.array([2, 10, pd.NA], dtype="Int64"),
                    projectiles_fired_high=pd.array([3, 10, pd.NA], dtype="Int64"))
    result = frequency.projectiles_per_period(frame, pd.Timestamp("2020-01-01"),
                                              pd.Timestamp("2020-02-29"), "M")
    january, february = result.iloc[0], result.iloc[1]
    assert (january["fired_low"], january["fired_high"]) == (12, 13)
    assert (january["attacks_with_count"], january["attacks_without_count"]) == (2, 1)
    assert february["fired_low"] == 0 and february["attacks_with_count"] == 0
    stats = frequency.projectiles_per_attack(frame).set_index("figure")
    assert stats.loc["low", "median"] == 6 and stats.loc["high", "max"] == 10


def test_cumulative_attacks():
    frame = attacks(date=["2020-01-02", "2020-01-02", "2020-01-04"])
    result = frequency.cumulative_attacks(frame, pd.Timestamp("2020-01-01"),
                                          pd.Timestamp("2020-01-05"))
    assert result["cumulative"].tolist() == [0, 2, 2, 3, 3]


def test_running_count_comparison_on_fixture_data():
    dataset = load_dataset(FIXTURE_DATA)
    cumulative, points = running_count_comparison(dataset, pd.Timestamp("2019-10-01"),
                                                  pd.Timestamp("2020-03-31"))
    # fixture: PC-013 'about 20' and PC-014 '19' against the few fixture rows
    assert list(points["count_id"]) == ["PC-013", "PC-014"]
    by_day = cumulative.set_index("date")["cumulative"]
    for point in points.itertuples():
        assert by_day[pd.Timestamp(point.report_date)] == point.dataset
    worst = points.loc[points["difference"].abs().idxmax()]
    sentence = largest_gap_sentence(points)
    assert f"{pd.Timestamp(worst.report_date):%d %B %Y}" in sentence
    assert f"holds {worst.dataset}, {abs(worst.difference)} fewer" in sentence


def test_register_escapes_text_and_keeps_only_http_links():
    dataset = load_dataset(FIXTURE_DATA)
    hostile = dataset.attacks.head(1).copy()
    hostile["site_label"] = "<img src=x onerror=alert(1)>"
    hostile["source_urls"] = "javascript:alert(1) https://example.org/a?b=<x> https://ok.example/r"
    register = attack_register(hostile)
    assert register.loc[0, "site"] == "&lt;img src=x onerror=alert(1)&gt;"
    links = register.loc[0, "sources"]
    assert "javascript:" not in links and "<x>" not in links
    assert links.count("<a ") == 1 and 'href="https://ok.example/r"' in links
    many = hostile.assign(source_urls=" ".join(f"https://s{i}.example/x" for i in range(7)))
    assert attack_register(many).loc[0, "sources"].endswith(
        '<span class="more-sources" title="3 more in the dataset\'s attacks.csv">+3 more'
        '</span>')
    assert 'rel="noopener noreferrer nofollow"' in links


def test_register_is_capped_and_says_so():
    from iraq_attacks.tables import attack_register, register_note

    attacks = load_dataset(FIXTURE_DATA).attacks
    capped = attack_register(attacks, limit=3)
    assert len(capped) == 3
    assert list(capped["date"]) == sorted(attacks["date"].dt.strftime("%Y-%m-%d"))[-3:]
    assert register_note(attacks, limit=3).startswith(f"The 3 most recent of the {len(attacks)}")
    assert register_note(attacks).startswith(f"All {len(attacks)} attacks")


def test_table_counts_show_zero_only_in_searched_weeks():
    """A week without an attack is 0 where the month was searched, empty (unknown) where it
    was not: the weekly table shows every week, as its chart does."""
    from iraq_attacks.frequency import attacks_per_period, sourced_counts

    # 1 March 2020 is the Sunday that ends the week of 24 February
    attacks = pd.DataFrame({"date": pd.to_datetime(["2020-01-06", "2020-03-10", "2020-03-01"])})
    counts = attacks_per_period(attacks, pd.Timestamp("2020-01-01"),
                                pd.Timestamp("2020-03-31"), "W")
    coverage = pd.DataFrame({"month": ["2020-01", "2020-02", "2020-03"],
                             "assessment": ["complete", "not_started", "incomplete"]})
    shown = sourced_counts(counts, coverage).set_index("period_start")["attacks"]
    assert len(shown) == len(counts)  # every week is listed
    february = pd.to_datetime(["2020-02-03", "2020-02-10", "2020-02-17"])
    assert shown[february].isna().all()  # weeks of February: nobody searched, no zero
    assert shown[pd.Timestamp("2020-02-24")] == 1  # partly searched, one attack: shown
    assert shown[pd.Timestamp("2020-01-13")] == 0  # searched, no attack: a real zero
    assert shown[pd.Timestamp("2020-01-27")] is pd.NA  # 27 Jan to 2 Feb reaches February
    assert shown.sum() == 3
