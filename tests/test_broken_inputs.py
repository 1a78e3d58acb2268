"""The corpus of broken and hostile inputs in tests/fixtures/broken/: each case is one data
file dropped into a copy of the fixture data. Errors give a message naming the file (and the
row and column where there is one) and a non-zero exit; valid but odd inputs are accepted and
say so."""

from __future__ import annotations

import csv
import shutil

import pytest
from conftest import FIXTURE_DATA

from iraq_attacks.cli import main
from iraq_attacks.paths import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "broken"
CASES = list(csv.DictReader((CORPUS / "cases.csv").open(encoding="utf-8")))


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25
    assert {c["case"] for c in CASES} == {p.name for p in CORPUS.iterdir() if p.is_dir()}


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_broken_input(case, tmp_path, capsys):
    assert case["message"].strip(), "every case states the message it expects"
    folder = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, folder)
    shutil.copy(CORPUS / case["case"] / case["file"], folder / case["file"])
    status = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    if case["expect"] == "error":
        assert status == 1
        assert case["message"] in err, err
        assert f"{folder}: " in err and "problem(s)" in err
        first = err.splitlines()[0]
        assert first.startswith(case["file"]), first
    else:
        assert status == 0, err
        assert "valid: " in out
        assert case["message"] in out
