"""The briefing deck: a PowerPoint file built from the rendered charts with python-pptx.

Slides: a title slide with the data's as-of date; the bottom line (the overview's key figures
and the findings the charts state); one slide per chosen chart, its one-line takeaway as the
title over the chart drawn for the slide (slides.py), its key and source line under it, the
numbers and sources in the speaker notes; and a closing slide on the sources the counts rest
on, by kind of source. Every slide carries its number and the data's as-of date.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC
from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from . import __version__, slides
from .arrowtext import distinct_tokens
from .charts import OKABE_ITO, source_line
from .data import Dataset
from .selection import Selection
from .slides import DEFAULT_DECK_CHARTS
from .summaries import shown_key_figures

WIDE = (Inches(13.333), Inches(7.5))
BLUE = RGBColor.from_string(OKABE_ITO["blue"].lstrip("#"))
GREY = RGBColor(0x44, 0x44, 0x44)


def deck_key_figures(dataset: Dataset, selection: Selection | None = None) -> dict[str, str]:
    """The key-figures slide's values, as shown, for the render's selection (the overview's
    rows; by default the whole sourced period, as the reports' defaults)."""
    if selection is None:
        from .context import build_context

        selection = build_context(dataset, {}).selection
    return shown_key_figures(selection)


# Title sizing: the widest a bold title character runs, as a share of the type size (measured
# on the deck font's capitals and digits, which are wider than the average letter), and the
# line height. Titles shrink from 28 pt to 20 pt to stay on two lines at most.
TITLE_CHAR_WIDTH = 0.62
TITLE_LINE_HEIGHT = 1.25
TITLE_SIZES = (28, 26, 24, 22, 20)
FOOTER_HEIGHT = Inches(0.45)


def title_lines(text: str, size: int, width) -> int:
    """Lines a title of ``size`` points takes in a box ``width`` wide (EMU), wrapping at
    spaces."""
    per_line = max(1, int(width / Pt(size * TITLE_CHAR_WIDTH)))
    lines, used = 1, 0
    for word in text.split():
        need = len(word) if used == 0 else used + 1 + len(word)
        if need > per_line and used:
            lines, used = lines + 1, len(word)
        else:
            used = need
    return lines


def title_fit(text: str, width) -> tuple[int, int]:
    """The largest title size that keeps ``text`` on two lines, and its number of lines."""
    for size in TITLE_SIZES:
        lines = title_lines(text, size, width)
        if lines <= 2:
            return size, lines
    return TITLE_SIZES[-1], title_lines(text, TITLE_SIZES[-1], width)


def _footer(slide, number: int, total: int, as_of_text: str, width, height, margin) -> None:
    _text(slide, margin, height - FOOTER_HEIGHT + Inches(0.05), width - 2 * margin,
          Inches(0.35), f"{number} / {total} · data as of {as_of_text}", 12, colour=GREY)


def _text(slide, left, top, width, height, text, size, bold=False, colour=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.text = text
    paragraph.font.size = Pt(size)
    paragraph.font.bold = bold
    if colour is not None:
        paragraph.font.color.rgb = colour
    return box


KEY_SIZES = (12, 11, 10, 9)
# python-pptx's text boxes keep 0.1 in left and right and 0.05 in above and below the text
BOX_INSET = (Inches(0.1), Inches(0.05))
KEY_LINE_HEIGHT = 1.2


@functools.lru_cache(maxsize=32)  # a deck asks for a few sizes, many times each
def _measuring_font(size: float, bold: bool = False):
    """DejaVu Sans (shipped with matplotlib) at ``size`` points, lengths in points: wider than
    Calibri, the deck's font, and what LibreOffice falls back to without it, so text that
    fits by this measure fits wherever the deck is shown."""
    from matplotlib import font_manager
    from PIL import ImageFont

    path = font_manager.findfont(font_manager.FontProperties(
        family="DejaVu Sans", weight="bold" if bold else "normal"))
    return ImageFont.truetype(path, size=max(1, round(size * 8))), 8  # finer than 1 pt


def wrapped_lines(text: str, size: float, width, bold: bool = False) -> int:
    """Lines ``text`` takes at ``size`` points in a text box ``width`` wide (EMU), wrapped at
    spaces as PowerPoint and LibreOffice wrap, measured with _measuring_font."""
    font, scale = _measuring_font(size, bold)
    room = (width - 2 * BOX_INSET[0]) / 12700 * scale
    lines, line = 0, ""
    for paragraph in text.split("\n"):
        lines, line = lines + 1, ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if line and font.getlength(trial) > room:
                lines, line = lines + 1, word
            else:
                line = trial
    return lines


def key_height(text: str, size: float, width, space_before: float = 0,
               bold: bool = False) -> int:
    """The height (EMU) a text takes in its box: its wrapped lines, ``space_before`` points
    above every paragraph but the first, and the box's insets."""
    return int(wrapped_lines(text, size, width, bold) * Pt(size) * KEY_LINE_HEIGHT
               + text.count("\n") * Pt(space_before) + 2 * BOX_INSET[1])


def _fitted_text(slide, left, top, width, height, text, sizes=KEY_SIZES, colour=GREY,
                 space_before: float = 0, bold: bool = False):
    """A text in the largest of ``sizes`` whose wrapped lines fit the box (one paragraph per
    line of ``text``): the key and source line under a chart, the bottom line's findings."""
    paragraphs = text.split("\n")
    size = next((s for s in sizes if key_height(text, s, width, space_before, bold) <= height),
                sizes[-1])
    box = _text(slide, left, top, width, height, paragraphs[0], size, bold=bold,
                colour=colour)
    for line in paragraphs[1:]:
        paragraph = box.text_frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        if colour is not None:
            paragraph.font.color.rgb = colour
        if space_before:
            paragraph.space_before = Pt(space_before)
    return box


def slide_source(line: str, sources_slide: int) -> str:
    """A chart's source line shortened for its slide: the outlets it names are on the
    sources slide, and the as-of date is in every slide's footer."""
    import re

    match = re.match(r"Source: (Iraq attacks dataset[^(]*)\(([\d,]+ attacks)", line)
    if match is None:
        return line
    return (f"Source: {match.group(1).strip()} ({match.group(2)}); the outlets and official "
            f"statements behind the counts: slide {sources_slide}.")


def bottom_line(selection: Selection, located: dict[str, Path]) -> list[str]:
    """Three to five findings under the key figures: the two campaigns, the casualty figures
    that are missing, and the escalation charts' own takeaways (computed in the notebooks
    from the same rows), where this render drew them."""
    from .summaries import key_figures

    k = key_figures(selection)
    findings = [f"{k['site_attacks']:,} attacks on bases, the embassy and airports and "
                f"{k['convoy_attacks']:,} on supply convoys: two campaigns, sourced apart."]
    for name in ("escalation-phases", "escalation-rate-ratios"):
        meta = located[name].with_suffix(".json") if name in located else None
        if meta is not None and meta.exists():
            takeaway = json.loads(meta.read_text(encoding="utf-8")).get("takeaway")
            if takeaway:
                findings.append(takeaway.rstrip(".") + ".")
    if k["attacks"]:
        findings.append(f"For {k['no_casualty_report']:,} of {k['attacks']:,} attacks no "
                        "source gives any casualty figure: unknown, not zero.")
    return findings[:5]


def _sources_slide(slide, attacks: pd.DataFrame, dataset: Dataset, margin, width) -> None:
    """Who the counts rest on: per kind of source (data/sources.csv), the attacks citing at
    least one source of that kind and the outlets cited most; the method in two lines."""
    from .sourcing import kind_counts, outlet_counts

    kinds = kind_counts(attacks, dataset.sources, outlets=2)
    outlets = outlet_counts(attacks, dataset.sources)
    urls = distinct_tokens(attacks["source_urls"])
    title = (f"Sources: {urls:,} reports from {len(outlets):,} outlets behind "
             f"{len(attacks):,} attacks")
    size, lines = title_fit(title, width - 2 * margin)
    title_height = Emu(int(Pt(size) * TITLE_LINE_HEIGHT * lines + Inches(0.15)))
    _text(slide, margin, Inches(slides.TITLE_TOP), width - 2 * margin, title_height, title,
          size, bold=True)
    rows = max(1, len(kinds)) + 1
    table = slide.shapes.add_table(rows, 3, margin, Inches(slides.PICTURE_TOP),
                                   width - 2 * margin, Inches(0.42) * rows).table
    table.columns[0].width, table.columns[1].width = Inches(3.7), Inches(1.2)
    table.columns[2].width = width - 2 * margin - Inches(4.9)
    cells = [("Kind of source", "Attacks", "Outlets cited most (attacks)")]
    cells += [(r.label, f"{r.attacks:,}", r.outlets) for r in kinds.itertuples()]
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(16)
                paragraph.font.bold = i == 0
    confidence = attacks["confidence"].value_counts()
    notes = [
        "An attack citing several kinds counts under each. Every row lists its sources; "
        "each outlet is graded in data/sources.csv.",
        f"Confidence: {confidence.get('high', 0):,} high, {confidence.get('medium', 0):,} "
        f"medium, {confidence.get('low', 0):,} low (rules in data/README.md). Empty means not "
        "reported, never zero; where sources disagree the data keeps the range.",
    ]
    # under the table, whose rows may grow to two lines
    box = _text(slide, margin, Inches(slides.SLIDE_SIZE[1]) - FOOTER_HEIGHT - Inches(0.95),
                width - 2 * margin, Inches(0.9), notes[0], 14, colour=GREY)
    for line in notes[1:]:
        paragraph = box.text_frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(14)
        paragraph.font.color.rgb = GREY
    slide.notes_slide.notes_text_frame.text = "\n".join(
        [f"{r.label}: {r.attacks} attacks; {r.outlets}" for r in kinds.itertuples()]
        + [f"Data sha256 {dataset.fingerprint}; generated by iraq_attacks {__version__}."])


def build_deck(dataset: Dataset, figures_dirs: Path | list[Path], out_path: Path,
               charts: tuple[str, ...] | list[str] | None = None,
               selection: Selection | None = None) -> list[str]:
    """Write the deck to ``out_path`` from the PNGs and sidecars in ``figures_dirs`` (a chart
    is taken from the first folder that has it: this render's charts before those of reports
    left unchanged). Returns the charts used, in order.

    ``charts`` names the chart slides in order. A chart asked for by name that was not
    rendered is an error naming those that were; from the default list, charts that the
    selection did not produce (no revisions in a short window, say) are left out."""
    folders = [figures_dirs] if isinstance(figures_dirs, (str, Path)) else figures_dirs
    located: dict[str, Path] = {}
    for folder in folders:
        for png in sorted(Path(folder).glob("*.png")) if Path(folder).exists() else []:
            located.setdefault(png.stem, png)
    available = sorted(located)
    if charts is None:
        charts = [name for name in DEFAULT_DECK_CHARTS if name in available]
    missing = [name for name in charts if name not in available]
    if missing:
        raise ValueError(f"deck charts not rendered: {', '.join(missing)}; available: "
                         f"{', '.join(available)}")
    if selection is None:
        from .context import build_context

        selection = build_context(dataset, {}).selection
    attacks = selection.used  # the rows of the reports beside the deck, not the whole file
    as_of = dataset.as_of
    source = source_line(attacks, as_of, dataset.sources)  # the speaker notes of every slide
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE
    blank = deck.slide_layouts[6]
    width, height = deck.slide_width, deck.slide_height
    margin = Inches(0.5)

    slide = deck.slides.add_slide(blank)
    _text(slide, margin, Inches(2.1), width - 2 * margin, Inches(1.75),
          "Attacks on US and coalition sites in Iraq", 44, bold=True, colour=BLUE)
    _text(slide, margin, Inches(4.0), width - 2 * margin, Inches(1),
          f"{selection.start:%B %Y} to {selection.end:%B %Y} · {len(attacks)} attacks · data as of "
          f"{as_of:%d %B %Y}", 24, colour=GREY)
    slide.notes_slide.notes_text_frame.text = (
        f"Curated dataset, {len(attacks)} attacks, each with its sources; data sha256 "
        f"{dataset.fingerprint[:16]}; built by iraq_attacks {__version__}.")

    slide = deck.slides.add_slide(blank)
    _text(slide, margin, Inches(0.3), width - 2 * margin, Inches(0.8), "Bottom line", 36,
          bold=True)
    figures = deck_key_figures(dataset, selection)
    # two rows of cards across the slide, however many figures the overview shows
    columns = max(1, -(-len(figures) // 2))
    card = (width - 2 * margin) / columns
    for i, (label, value) in enumerate(figures.items()):
        column, row = i % columns, i // columns
        left = Emu(int(margin + column * card))
        top = Inches(1.2) + row * Inches(1.6)
        _fitted_text(slide, left, top, Emu(int(card - Inches(0.2))), Inches(0.6), label,
                     sizes=(14, 12), colour=GREY)
        _fitted_text(slide, left, top + Inches(0.6), Emu(int(card - Inches(0.2))),
                     Inches(0.95), value, sizes=(30, 24) if len(value) < 10 else (18, 16, 14),
                     bold=True, colour=BLUE)
    findings = bottom_line(selection, located)
    # above the footer whatever the findings say: the largest size at which they fit
    _fitted_text(slide, margin, Inches(4.45), width - 2 * margin,
                 height - FOOTER_HEIGHT - Inches(4.45),
                 "\n".join("• " + finding for finding in findings), sizes=(20, 18, 16),
                 colour=None, space_before=6)
    slide.notes_slide.notes_text_frame.text = "\n".join(
        [f"{label}: {value}" for label, value in figures.items()] + findings
        + [source])

    sources_slide = len(deck.slides) + len(charts) + 1  # the slide after the charts
    for name in charts:
        meta_path = located[name].with_suffix(".json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        slide = deck.slides.add_slide(blank)
        title = meta.get("takeaway") or name
        title_width = width - 2 * margin
        size, lines = title_fit(title, title_width)
        title_height = Emu(int(Pt(size) * TITLE_LINE_HEIGHT * lines + Inches(0.15)))
        _text(slide, margin, Inches(slides.TITLE_TOP), title_width, title_height, title, size,
              bold=True)
        drawn = located[name].parent / slides.FOLDER / f"{name}.png"
        if drawn.exists() and "slide" in meta:
            # drawn for the slide at the size shown (slides.py): a point in the picture is a
            # point on the slide, and the picture has no title of its own
            picture_width, picture_height = (Inches(v) for v in slides.PICTURE_SIZE)
            picture = slide.shapes.add_picture(
                str(drawn), Emu(int((width - picture_width) / 2)), Inches(slides.PICTURE_TOP),
                width=picture_width, height=picture_height)
            key = "\n".join(slide_source(line, sources_slide) if line.startswith("Source:")
                            else line for line in meta["slide"]["key"].split("\n"))
            if key:
                _fitted_text(slide, margin, picture.top + picture.height, width - 2 * margin,
                             Inches(slides.KEY_HEIGHT), key)
        else:  # a chart saved without its slide drawing: the page's picture, scaled
            picture_top = Inches(slides.TITLE_TOP) + title_height + Inches(0.05)
            picture_height = height - picture_top - FOOTER_HEIGHT
            picture_width = Emu(int(picture_height * 16 / 9))
            picture = slide.shapes.add_picture(str(located[name]),
                                               Emu(int((width - picture_width) / 2)),
                                               picture_top, width=picture_width,
                                               height=picture_height)
        # alternative text: the chart's own title, which states what it shows
        picture._element.nvPicPr.cNvPr.set("descr", meta.get("title") or title)
        slide.notes_slide.notes_text_frame.text = "\n".join(filter(None, [
            meta.get("title", ""), meta.get("notes", ""),
            source,
            f"Chart file: figures/{name}.png (and .svg)"]))

    _sources_slide(deck.slides.add_slide(blank), attacks, dataset, margin, width)
    as_of_text = f"{as_of:%d %b %Y}" if as_of is not None and pd.notna(as_of) else "n/a"
    for number, numbered in enumerate(deck.slides, start=1):
        _footer(numbered, number, len(deck.slides), as_of_text, width, height, margin)
    deck.core_properties.title = "Attacks on US and coalition sites in Iraq"
    deck.core_properties.author = "iraq_attacks"
    stamp = _timestamp()
    deck.core_properties.created = deck.core_properties.modified = stamp
    deck.core_properties.last_printed = stamp
    deck.core_properties.revision = 1
    deck.save(str(out_path))
    _normalise_zip(out_path, stamp)
    return list(charts)


def _timestamp():
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; naive UTC for the
    deck's core properties."""
    import os
    from datetime import datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), tz=UTC) if epoch
              else datetime.now(tz=UTC))
    return moment.replace(tzinfo=None, microsecond=0)


def _normalise_zip(path: Path, stamp) -> None:
    """Rewrite the .pptx (a zip) with one fixed time on every member, so that two builds of the
    same inputs give the same bytes (zip entries otherwise carry the time of writing)."""
    import zipfile

    members = []
    with zipfile.ZipFile(path) as source:
        for info in source.infolist():
            members.append((info.filename, source.read(info.filename)))
    date_time = max(stamp.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


def deck_summary(path: Path) -> pd.DataFrame:
    """Slide number, title text and picture count of a deck (for checks and the index)."""
    deck = Presentation(str(path))
    rows = []
    for number, slide in enumerate(deck.slides, start=1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        rows.append({"slide": number, "title": texts[0] if texts else "",
                     "pictures": len(pictures)})
    return pd.DataFrame(rows)
