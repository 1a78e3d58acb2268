"""Validation of the data files: the committed data passes, broken copies give clear messages
naming file, spreadsheet row, column and value, and the command line exits non-zero."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import edit_cell, read_rows, write_rows

from iraq_attacks.data import load_dataset
from iraq_attacks.paths import DATA_DIR, PROJECT_ROOT
from iraq_attacks.validate import DataValidationError, validate_dataset


def messages(folder) -> list[str]:
    return [str(p) for p in validate_dataset(folder).problems]


def test_committed_data_is_valid():
    report = validate_dataset(DATA_DIR)
    assert report.problems == []
    dataset = load_dataset(DATA_DIR)
    assert len(dataset.attacks) >= 30
    assert dataset.attacks["attack_id"].is_unique


def test_every_attack_has_a_source_and_a_known_site():
    dataset = load_dataset(DATA_DIR)
    assert dataset.attacks["source_urls"].str.startswith("http").all()
    assert set(dataset.attacks["site_id"]) <= set(dataset.sites["site_id"])


@pytest.mark.parametrize(
    ("filename", "row", "column", "value", "expected"),
    [
        ("attacks.csv", 16, "date", "2020-13-01",
         "attacks.csv row 18, column date: '2020-13-01' is not a date (YYYY-MM-DD)"),
        ("attacks.csv", 3, "date", "2021-02-01",
         "attacks.csv row 5, column date: '2021-02-01' is in 2021-02, not listed in "
         "coverage.csv; add the month to coverage.csv with its assessment once it has been "
         "sourced"),
        ("attacks.csv", 4, "killed_civilian", "-2",
         "attacks.csv row 6, column killed_civilian: '-2' is not a whole number >= 0"),
        ("attacks.csv", 4, "wounded_civilian", "1.5",
         "attacks.csv row 6, column wounded_civilian: '1.5' is not a whole number >= 0"),
        ("attacks.csv", 5, "attack_id", "ATK-0001",
         "attacks.csv row 7, column attack_id: 'ATK-0001' appears more than once; ids must be "
         "unique"),
        ("attacks.csv", 7, "site_id", "camp_nowhere",
         "attacks.csv row 9, column site_id: 'camp_nowhere' is not a site_id in sites.csv"),
        ("attacks.csv", 2, "source_urls", "",
         "attacks.csv row 4, column source_urls: '' is empty, but a value is required"),
        ("attacks.csv", 2, "source_urls", "javascript:alert(1)",
         "attacks.csv row 4, column source_urls: 'javascript:alert(1)' is not a list of "
         "http(s) URLs separated by ' '"),
        ("attacks.csv", 1, "weapon", "catapult",
         "attacks.csv row 3, column weapon: 'catapult' is not one of: rocket, mortar, "
         "ballistic_missile, drone, guided_missile, ied, unknown"),
        ("attacks.csv", 1, "notes", "=HYPERLINK(\"http://x\")",
         "attacks.csv row 3, column notes: '=HYPERLINK(\"http://x\")' starts like a "
         "spreadsheet formula (=, +, -, @); reword it"),
        ("attacks.csv", 1, "location_detail", "Green Zone\x7f",
         "attacks.csv row 3, column location_detail: 'Green Zone\\x7f' holds a control "
         "character (such as NUL); remove it"),
        ("attacks.csv", 1, "location_detail", "Green\tZone",
         "attacks.csv row 3, column location_detail: 'Green\\tZone' holds a control "
         "character (such as NUL); remove it"),
        ("attacks.csv", 1, "notes", "First line.\x0bSecond",
         "attacks.csv row 3, column notes: 'First line.\\x0bSecond' holds a control "
         "character other than tab and line break (such as NUL); remove it"),
        ("attacks.csv", 2, "projectiles_fired_high", "1",
         "attacks.csv row 4, column projectiles_fired_low: '17' is larger than "
         "projectiles_fired_high (1)"),
        ("sites.csv", 0, "latitude", "51.5",
         "sites.csv row 2, column latitude: '51.5' is outside 29.0 to 37.5 (inside Iraq)"),
        ("milestones.csv", 0, "kind", "rumour",
         "milestones.csv row 2, column kind: 'rumour' is not one of: us_strike, "
         "iranian_strike, siege_or_protest, targeted_killing, political_decision, "
         "truce_or_statement, iraqi_security_operation"),
    ],
)
def test_broken_cell_gives_the_expected_message(data_copy, filename, row, column, value,
                                                expected):
    edit_cell(data_copy, filename, row, column, value)
    assert expected in messages(data_copy)


def test_column_rules_in_two_threads_find_what_one_thread_finds(data_copy, monkeypatch):
    """Large files are checked in two threads, each with part of the columns: the same
    problems, in the same order, as the one-thread check of a small file."""
    import iraq_attacks.validate as validate

    for row, column, value in [(1, "date", "2020-13-01"), (2, "source_urls", "ftp://x"),
                               (3, "weapon", "catapult"), (4, "notes", "=1+1"),
                               (5, "attack_id", "ATK-0001"), (6, "killed_civilian", "-1"),
                               (7, "location_detail", "a\x00b")]:
        edit_cell(data_copy, "attacks.csv", row, column, value)
    serial = messages(data_copy)
    assert len(serial) >= 7
    monkeypatch.setattr(validate, "PARALLEL_ROWS", 1)
    threads = []
    original = validate.pa.DataFrameSchema.validate

    def spy(schema, *args, **kwargs):
        threads.append(len(schema.columns))
        return original(schema, *args, **kwargs)

    monkeypatch.setattr(validate.pa.DataFrameSchema, "validate", spy)
    assert messages(data_copy) == serial
    # every table's columns split in two parts (attacks has far more than two columns)
    assert len(threads) == 2 * len(validate.TABLES)


def test_missing_column_is_reported_on_the_header_row(data_copy):
    columns, rows = read_rows(data_copy / "attacks.csv")
    columns.remove("weapon")
    write_rows(data_copy / "attacks.csv", columns,
               [{k: v for k, v in r.items() if k != "weapon"} for r in rows])
    assert "attacks.csv row 1, column weapon: column is missing from the header" in \
        messages(data_copy)


def test_every_problem_is_reported_at_once(data_copy):
    edit_cell(data_copy, "attacks.csv", 0, "date", "yesterday")
    edit_cell(data_copy, "attacks.csv", 5, "outcome", "boom")
    edit_cell(data_copy, "sites.csv", 1, "province", "")
    found = messages(data_copy)
    assert any("row 2, column date: 'yesterday'" in m for m in found)
    assert any("row 7, column outcome: 'boom'" in m for m in found)
    assert any(m.startswith("sites.csv row 3, column province") for m in found)


def test_semicolon_file_and_cut_off_row_and_non_utf8(data_copy):
    text = (data_copy / "sites.csv").read_text(encoding="utf-8")
    (data_copy / "sites.csv").write_text(text.replace(",", ";"), encoding="utf-8")
    (data_copy / "milestones.csv").write_bytes(
        (data_copy / "milestones.csv").read_bytes() + b'MS-999,2020-01-01,,us_strike,"unclosed')
    (data_copy / "press_counts.csv").write_bytes(
        (data_copy / "press_counts.csv").read_bytes().replace(b"Al Bawaba", b"Al Baw\xe1ba"))
    found = messages(data_copy)
    assert any(m.startswith("sites.csv row 1") and "must be comma-separated" in m for m in found)
    assert any(m.startswith("milestones.csv") and "row cut off" in m for m in found)
    assert any(m.startswith("press_counts.csv row 2") and "is not UTF-8" in m for m in found)


def test_byte_order_mark_is_accepted_with_a_note(data_copy):
    path = data_copy / "attacks.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    report = validate_dataset(data_copy)
    assert report.ok
    assert any("byte-order mark" in note for note in report.notices)


def test_load_dataset_raises_with_every_problem(data_copy):
    edit_cell(data_copy, "attacks.csv", 0, "confidence", "certain")
    with pytest.raises(DataValidationError, match="column confidence: 'certain'"):
        load_dataset(data_copy)


def run_cli(*args, cwd=PROJECT_ROOT):
    return subprocess.run([sys.executable, "-m", "iraq_attacks", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_summary_and_failure(data_copy):
    ok = run_cli("validate")
    assert ok.returncode == 0, ok.stderr
    assert "valid: " in ok.stdout and "attacks (2019-10-" in ok.stdout
    assert "distinct attack sources" in ok.stdout

    edit_cell(data_copy, "attacks.csv", 0, "date", "2020-02-30")
    edit_cell(data_copy, "attacks.csv", 1, "site_id", "atlantis")
    bad = run_cli("validate", str(data_copy))
    assert bad.returncode == 1
    assert "attacks.csv row 2, column date: '2020-02-30' is not a date" in bad.stderr
    assert "attacks.csv row 3, column site_id: 'atlantis' is not a site_id" in bad.stderr
    assert "2 problem(s)" in bad.stderr


def test_snapshot_is_used_only_for_the_data_it_was_made_from(tmp_path, data_copy):
    from iraq_attacks.data import save_snapshot

    dataset = load_dataset(data_copy)
    snapshot = save_snapshot(dataset, tmp_path / "dataset.pickle")
    kept = load_dataset(data_copy, snapshot=snapshot)
    assert kept.fingerprint == dataset.fingerprint
    assert kept.attacks.equals(dataset.attacks)
    edit_cell(data_copy, "attacks.csv", 0, "notes", "Changed after the snapshot was made.")
    fresh = load_dataset(data_copy, snapshot=snapshot)
    assert fresh.fingerprint != dataset.fingerprint
    assert "Changed after the snapshot" in fresh.attacks.set_index("attack_id").loc[
        "ATK-0001", "notes"]


def test_text_is_stripped_of_surrounding_white_space_of_any_kind():
    import pandas as pd

    from iraq_attacks.arrowtext import stripped

    cells = pd.Series(["plain", " lead", "trail\t", "\u00a0nbsp\u00a0", "é", "", "in side"],
                      dtype="string[pyarrow]")
    assert stripped(cells).tolist() == ["plain", "lead", "trail", "nbsp", "é", "", "in side"]
    untouched = pd.Series(["a", "b c", "Kata'ib"], dtype="string[pyarrow]")
    assert stripped(untouched).tolist() == ["a", "b c", "Kata'ib"]
    # a slice of a longer array (Arrow offsets not starting at zero)
    assert stripped(cells.iloc[3:5].reset_index(drop=True)).tolist() == ["nbsp", "é"]


def test_control_characters_are_found_in_any_cell_of_any_chunk():
    """The byte scan that spares the per-cell search must agree with a per-cell search, on
    multi-byte text, on several chunks and on slices (Arrow offsets not starting at zero)."""
    import re

    import pandas as pd
    import pyarrow as arrow

    from iraq_attacks.arrowtext import contains_control

    cells = ["plain", "é and ü", "Green\x00Zone", "tab\there", "line\nbreak", "del\x7f",
             "esc\x1b[2J", "\u0085 next line is not ASCII", "", "\r"]
    for harmless in (frozenset(), frozenset("\t\n\r")):
        banned = "".join(chr(c) for c in [*range(0x20), 0x7F] if chr(c) not in harmless)
        expected = [bool(re.search(f"[{re.escape(banned)}]", c)) for c in cells]
        column = pd.Series(cells, dtype="string[pyarrow]")
        assert contains_control(column, harmless).tolist() == expected
        two_chunks = pd.Series(pd.StringDtype("pyarrow").__from_arrow__(
            arrow.chunked_array([cells[:4], cells[4:]], arrow.large_string())))
        assert contains_control(two_chunks, harmless).tolist() == expected
        for start, stop in [(3, 5), (5, 8), (0, 2), (7, 10)]:
            part = column.iloc[start:stop].reset_index(drop=True)
            assert contains_control(part, harmless).tolist() == expected[start:stop]
    clean = pd.Series(["a", "b c", "é"] * 1000, dtype="string[pyarrow]")
    assert not contains_control(clean).any()


def test_rows_in_any_order_load_as_the_same_chronological_dataset(tmp_path, data_copy):
    """The loader orders the attacks by date, time and id itself (moving text columns one
    Arrow chunk at a time, looking site names up): a shuffled file gives the same frames."""
    import random

    import pandas as pd

    from iraq_attacks.data import load_snapshot, save_snapshot

    in_order = load_dataset(data_copy)
    columns, rows = read_rows(data_copy / "attacks.csv")
    random.Random(7).shuffle(rows)
    write_rows(data_copy / "attacks.csv", columns, rows)
    shuffled = load_dataset(data_copy)
    pd.testing.assert_frame_equal(shuffled.attacks, in_order.attacks)
    assert shuffled.attacks["site_label"].notna().all()
    # and the kernels' memory-mapped copy is the same frame, dtypes included
    _, kept = load_snapshot(save_snapshot(shuffled, tmp_path / "dataset.pickle"))
    pd.testing.assert_frame_equal(kept.attacks, in_order.attacks)
    pd.testing.assert_frame_equal(kept.sites, in_order.sites)


def test_distinct_tokens_counts_each_url_once_and_no_blank_word():
    """The deck's sources title counts reports by their distinct URLs: a URL cited by many
    rows counts once, cells repeated by a million rows are split once, and a blank cell or
    doubled space adds no empty "URL" (it once counted as one)."""
    import pandas as pd

    from iraq_attacks.arrowtext import distinct_tokens
    from iraq_attacks.data import load_dataset

    text = pd.StringDtype("pyarrow")
    assert distinct_tokens(pd.Series(["a b", None, "a", "", "c  d a"], dtype=text)) == 4
    assert distinct_tokens(pd.Series([None, " "], dtype=text)) == 0
    assert distinct_tokens(pd.Series(["u1 u2"] * 50_000 + ["u3"], dtype=text)) == 3
    attacks = load_dataset().attacks
    urls = {url for cell in attacks["source_urls"].dropna() for url in cell.split()}
    assert distinct_tokens(attacks["source_urls"]) == len(urls)
