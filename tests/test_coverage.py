"""The record against the press's running counts, and the generated documentation."""

from __future__ import annotations

import json

import pandas as pd

from iraq_attacks.coverage import monthly_coverage, press_count_comparison
from iraq_attacks.data import load_dataset
from iraq_attacks.docs import data_dictionary, datapackage, render_readme
from iraq_attacks.paths import DATA_DIR
from iraq_attacks.schema import TABLES

TOLERANCE = 3


def test_checked_press_counts_match_the_data_within_three():
    comparison = press_count_comparison(load_dataset(DATA_DIR))
    checked = comparison[comparison["checked"]]
    assert len(checked) >= 30
    off = checked[~checked["consistent"]]
    assert off.empty, "press counts differing by more than 3:\n" + off.to_string()
    exact = checked[~checked["press"].str.startswith(("at least", "more than"))]
    assert (exact["difference"].abs() <= TOLERANCE).all()
    lower_bounds = checked[checked["press"].str.startswith(("at least", "more than"))]
    assert (lower_bounds["difference"] >= -TOLERANCE).all()


def test_unchecked_press_counts_say_why():
    dataset = load_dataset(DATA_DIR)
    unchecked = dataset.press_counts[~dataset.press_counts["checked"]]
    # a tally is left unchecked only with a reason; most must stay comparable with ours
    assert len(unchecked) <= len(dataset.press_counts) // 4, "most counts must be comparable"
    for count in unchecked.itertuples():
        assert len(count.notes) > 60, f"{count.count_id}: say why it is not comparable"


def test_each_remaining_difference_is_explained_in_the_readme():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    comparison = press_count_comparison(load_dataset(DATA_DIR))
    explained = readme.split("### The remaining differences from the press tallies", 1)[1]
    for count in comparison[comparison["difference"] != 0].itertuples():
        if count.press.startswith(("at least", "more than")) and count.difference > 0:
            continue  # a lower bound that our count exceeds needs no explanation
        # the explanation names the date the count was published
        day = pd.Timestamp(count.report_date)
        assert f"{day.day} {day:%B}" in explained or f"{day:%B} {day.year}" in explained, \
            f"no explanation for {count.count_id} ({count.report_date})"


def test_press_comparison_counts_by_hand():
    """The AFP count of 16 Feb 2020 ('the 19th attack') against rows counted by hand: militia
    attacks on sites up to that day, without low-confidence rows or the Iranian strike."""
    dataset = load_dataset(DATA_DIR)
    attacks = dataset.attacks
    by_hand = attacks[(attacks["date"] <= "2020-02-16") & (attacks["target_type"] != "convoy")
                      & (attacks["actor_type"] != "state") & (attacks["confidence"] != "low")]
    row = press_count_comparison(dataset).set_index("count_id").loc["PC-014"]
    assert row["dataset"] == len(by_hand)


def test_monthly_coverage_covers_every_month_of_the_window():
    coverage = monthly_coverage(load_dataset(DATA_DIR))
    assert list(coverage["month"]) == [f"{m:%Y-%m}" for m in
                                       pd.period_range("2019-10", "2020-12", freq="M")]
    assert coverage["attacks"].sum() == len(load_dataset(DATA_DIR).attacks)


def test_generated_docs_are_up_to_date():
    dataset = load_dataset(DATA_DIR)
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert render_readme(readme, dataset) == readme, "run: python -m iraq_attacks docs"
    on_disk = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert on_disk == datapackage(), "run: python -m iraq_attacks docs"


def test_dictionary_and_datapackage_list_every_column_both_ways():
    dictionary = data_dictionary()
    package = {r["name"]: [f["name"] for f in r["schema"]["fields"]]
               for r in datapackage()["resources"]}
    for table in TABLES.values():
        header = (DATA_DIR / table.filename).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == table.columns
        assert package[table.name] == table.columns
        for column in table.columns:
            assert f"| `{column}` |" in dictionary
