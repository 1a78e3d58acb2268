"""A chart two reports show is drawn once per render (drawings.py): the second publish takes
the first one's pictures, byte for byte, and draws nothing; any other argument is another
drawing; outside a render every publish draws."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import IPython.display  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from iraq_attacks import charts, drawings  # noqa: E402

COUNTS = pd.DataFrame({"site_type": ["military_base", "embassy"], "attacks": [7, 3],
                       "share": [0.7, 0.3]})


@pytest.fixture
def publishing(monkeypatch):
    """Counts the drawings publish makes and keeps what it shows."""
    shown, draws = [], []
    real_draw = charts._draw

    def counting_draw(fig, *args, **kwargs):
        draws.append(fig)
        return real_draw(fig, *args, **kwargs)

    monkeypatch.setattr(charts, "_draw", counting_draw)
    monkeypatch.setattr(IPython.display, "display",
                        lambda data, metadata=None, raw=False: shown.append((data, metadata)))
    return shown, draws


def _chart(title="7 of 10 attacks struck bases"):
    return charts.ranked_bar_chart(COUNTS, "site_type", "site_type", title=title,
                                   source="Source: test rows")


def test_the_same_chart_published_twice_in_a_render_is_drawn_once(tmp_path, publishing):
    shown, draws = publishing
    drawings.enable(tmp_path)
    charts.publish(_chart(), "overview-sites", tmp_path, takeaway="Bases first")
    first_draws = len(draws)
    assert first_draws == 2  # the chart and its phone drawing
    charts.publish(_chart(), "frequency-sites", tmp_path, takeaway="Bases most")
    assert len(draws) == first_draws  # nothing drawn the second time
    for suffix in (".png", ".svg"):
        assert ((tmp_path / f"overview-sites{suffix}").read_bytes()
                == (tmp_path / f"frequency-sites{suffix}").read_bytes())
    (first, first_meta), (second, second_meta) = shown
    assert first["image/png"] == second["image/png"]
    assert first_meta["image/png"]["narrow"] == second_meta["image/png"]["narrow"]
    # what is the publish's own stays its own: name, takeaway, alternative text
    assert second_meta["image/png"]["name"] == "frequency-sites"
    assert "Bases most" in second_meta["image/png"]["alt"]
    sidecar = json.loads((tmp_path / "frequency-sites.json").read_text())
    assert sidecar["takeaway"] == "Bases most"


def test_another_argument_is_another_drawing(tmp_path, publishing):
    _, draws = publishing
    drawings.enable(tmp_path)
    charts.publish(_chart(), "a", tmp_path)
    charts.publish(_chart(title="Bases took 7 of 10"), "b", tmp_path)
    assert len(draws) == 4
    assert (tmp_path / "a.png").read_bytes() != (tmp_path / "b.png").read_bytes()


def test_outside_a_render_every_publish_draws(tmp_path, publishing):
    _, draws = publishing
    charts.publish(_chart(), "a", tmp_path)
    charts.publish(_chart(), "b", tmp_path)
    assert len(draws) == 4
    assert not (tmp_path / drawings.FOLDER).exists()


def test_a_render_publishes_its_shared_drawings_nowhere(rendered):
    figures = rendered / "figures"
    assert not [p for p in figures.rglob("*") if p.name.startswith(".")]
    # the overview's map is the frequency page's map: one drawing, the same bytes
    assert ((figures / "overview-map.png").read_bytes()
            == (figures / "frequency-map.png").read_bytes())


def test_publishing_a_chart_draws_each_picture_once(tmp_path, monkeypatch):
    """One drawing makes the 1920 x 1080 PNG and the page's image, one the SVG, one the
    phone's picture: three. savefig used to draw the SVG twice, because tight_layout leaves a
    placeholder layout engine on the figure and savefig lays out any figure that has one."""
    from matplotlib.figure import Figure

    monkeypatch.setattr(IPython.display, "display", lambda *args, **kwargs: None)
    drawn, real_draw = [], Figure.draw

    def counting_draw(self, renderer):
        drawn.append(self)
        return real_draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counting_draw)
    fig = _chart()
    assert fig.get_layout_engine() is not None  # what made savefig draw twice
    charts.publish(fig, "test-sites", tmp_path)  # not a deck chart: no slide drawing
    assert (tmp_path / "test-sites.svg").stat().st_size > 0
    assert sum(figure is fig for figure in drawn) == 2  # the PNG and the SVG
    assert len(drawn) == 3  # and the phone's drawing
