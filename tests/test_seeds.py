"""Every fact taken from a seed document is checked against the row that carries it."""

from __future__ import annotations

import csv

import pytest

from iraq_attacks.paths import DATA_DIR, SEEDS_DIR
from iraq_attacks.schema import TABLES

FACTS = list(csv.DictReader((SEEDS_DIR / "facts.csv").open(encoding="utf-8")))
SOURCES = {s["seed_id"]: s for s in csv.DictReader((SEEDS_DIR / "sources.csv").open(
    encoding="utf-8"))}


def data_row(table: str, row_id: str) -> dict:
    spec = TABLES[table]
    with (DATA_DIR / spec.filename).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row[spec.primary_key] == row_id:
                return row
    raise AssertionError(f"{table} has no row {row_id}")


def test_seed_facts_cover_the_seed_article():
    assert len(FACTS) >= 25
    assert {f["seed_id"] for f in FACTS} <= set(SOURCES)


@pytest.mark.parametrize("fact", FACTS, ids=[f["fact_id"] for f in FACTS])
def test_seed_fact_matches_its_row(fact):
    row = data_row(fact["table"], fact["row_id"])
    expected, check = fact["expected"], fact["check"]
    if check == "range_includes":
        low, high = row[f"{fact['column']}_low"], row[f"{fact['column']}_high"]
        assert int(low) <= int(expected) <= int(high), fact["fact"]
        return
    cell = row[fact["column"]]
    if check == "equals":
        assert cell == expected, fact["fact"]
    elif check == "contains":
        assert expected.lower() in cell.lower(), fact["fact"]
    elif check == "greater_than":
        assert cell and float(cell) > float(expected), fact["fact"]
    else:
        raise AssertionError(f"unknown check {check!r} in seeds/facts.csv {fact['fact_id']}")


@pytest.mark.parametrize("fact", FACTS, ids=[f["fact_id"] for f in FACTS])
def test_rows_carrying_a_seed_fact_cite_the_seed(fact):
    row = data_row(fact["table"], fact["row_id"])
    cited = (row.get("source_urls") or row.get("source_url") or "").split()
    seed_url = SOURCES[fact["seed_id"]]["url"]
    if fact["table"] == "casualty_reports":
        # a dated figure cites its own publication; the seed only repeats it
        assert cited, fact["fact_id"]
    else:
        assert seed_url in cited, f"{fact['row_id']} does not cite {seed_url}"
