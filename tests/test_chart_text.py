"""Every figure the notebooks publish, from the fixture data and from the real data, passes
the text geometry check (tests/chart_geometry.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from chart_geometry import published_figures, text_problems
from conftest import FIXTURE_DATA

from iraq_attacks.paths import DATA_DIR

DATASETS = {"fixture": FIXTURE_DATA, "real": DATA_DIR}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def figures(request):
    drawn = published_figures(DATASETS[request.param])
    yield request.param, drawn
    for fig in drawn.values():
        plt.close(fig)


def test_every_published_figure_has_clean_text(figures):
    dataset, drawn = figures
    assert len(drawn) >= 20, f"{dataset}: only {len(drawn)} figures published"
    problems = {name: text_problems(fig) for name, fig in drawn.items()}
    problems = {name: found for name, found in problems.items() if found}
    assert not problems, "\n".join(f"{dataset} {name}: " + "; ".join(found)
                                   for name, found in problems.items())


def test_every_code_has_a_label_and_a_colour():
    """A weapon, target, outcome or casualty group added to the schema without its label and
    colour fails here, not in a render."""
    from iraq_attacks.schema import ATTACKS, CASUALTY_GROUPS, VOCABULARY

    coded = {field.name: set(field.allowed) for field in ATTACKS.fields
             if field.name in ("weapon", "target_type", "outcome")}
    coded["casualty_group"] = set(CASUALTY_GROUPS)
    for column, codes in coded.items():
        assert set(VOCABULARY[column]) == codes, column
        for code, (label, colour) in VOCABULARY[column].items():
            assert label.strip(), (column, code)
            assert len(colour) == 7 and colour.startswith("#"), (column, code, colour)
        known = [c for code, (_, c) in VOCABULARY[column].items() if code != "unknown"]
        assert len(set(known)) == len(known), f"{column}: two codes share a colour"


def test_every_narrow_drawing_has_clean_legible_text(figures):
    """The drawing a phone is served (webcharts.redraw at phone width) passes the same text
    check, and its smallest type is 13 pt: about 12 CSS px at the 370 px it is shown at."""
    from iraq_attacks import webcharts

    dataset, drawn = figures
    if dataset != "real":
        pytest.skip("the real data's figures are enough: a redraw costs time")
    problems = {}
    for name, fig in drawn.items():
        phone = webcharts.redraw(fig)
        assert phone is not None, f"{name} was not drawn by a recorded chart function"
        assert phone.get_figwidth() == webcharts.NARROW_FIGSIZE[0]
        found = text_problems(phone)
        smallest = webcharts.smallest_text_points(phone)
        if smallest < 13:
            found.append(f"smallest text {smallest} pt")
        if found:
            problems[name] = found
        plt.close(phone)
    assert not problems, "\n".join(f"{name}: " + "; ".join(found)
                                   for name, found in problems.items())
