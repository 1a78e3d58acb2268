"""Formatting of table cells: percentages, p values, ratios without inf, labels for codes,
and the sortable table's HTML (sort keys, empty cells)."""

import math

import pandas as pd

from iraq_attacks import tables


def test_percent():
    assert tables.percent(4 / 122) == "3.3%"
    assert tables.percent(0.5) == "50.0%"
    assert tables.percent(1) == "100%"
    assert tables.percent(float("nan")) == ""


def test_p_value_two_significant_figures():
    assert tables.p_value(0.0004) == "< 0.001"
    assert tables.p_value(0.0) == "< 0.001"
    assert tables.p_value(0.21345) == "0.21"
    assert tables.p_value(0.0012345) == "0.0012"
    assert tables.p_value(0.05) == "0.05"
    assert tables.p_value(1.0) == "1"
    assert tables.p_value(None) == ""


def test_ratio_says_no_attack_before_instead_of_inf():
    assert tables.ratio(math.inf) == "no attack before"
    assert tables.ratio(2.2) == "2.20"
    assert tables._no_inf("inf [0.19-inf]") == "no attack before (at least 0.19)"
    assert "inf" not in tables._no_inf("2.10 [0.19-inf]")


def test_code_labels_from_the_schema():
    assert tables.code_label("kind", "truce_or_statement") == "Truce, threat or public statement"
    assert tables.code_label("group", "iraqi_forces") == "Iraqi forces"
    assert tables.code_label("kind", "unknown_code") == "unknown code"
    assert tables.code_label("kind", None) == ""


def test_styled_formats_by_column_and_aligns():
    frame = pd.DataFrame({"province": ["Muthanna"], "attacks": [4], "share": [4 / 122],
                          "p_value": [0.0], "rate_ratio": [math.inf],
                          "kind": ["truce_or_statement"]})
    page = tables.styled(frame, "t").to_html()
    assert "3.3%" in page and "&lt; 0.001" in page and "no attack before" in page
    assert "Truce, threat or public statement" in page and ">inf<" not in page
    assert "text-align: right" in page and "text-align: left" in page


def test_sortable_table_keys_numbers_and_marks_empty_cells():
    frame = pd.DataFrame({"site": ["A", "B", "C"], "fired": ["30", "4", ""],
                          "wounded": pd.array([110, None, 13], dtype="Int64")})
    page = tables.interactive_table(frame, "register")
    assert "<NA>" not in page and "nan" not in page
    assert 'data-sort="30"' in page and 'class="num empty"' in page
    assert 'title="not reported"' in page
    assert page.count('class="num"') >= 4  # fired and wounded are numeric columns
