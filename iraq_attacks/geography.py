"""Reference geography shipped in data/geo/ (see its README): country outlines and cities."""

from __future__ import annotations

import json
from functools import cache

import pandas as pd

from .paths import DATA_DIR

GEO_DIR = DATA_DIR / "geo"


@cache
def countries() -> dict:
    """GeoJSON outlines of Iraq and its neighbours (Natural Earth 1:110m)."""
    return json.loads((GEO_DIR / "countries.geojson").read_text(encoding="utf-8"))


def cities() -> pd.DataFrame:
    """Large Iraqi cities for orientation (GeoNames)."""
    return pd.read_csv(GEO_DIR / "cities.csv")


def provinces() -> pd.DataFrame:
    """Each governorate's capital (GeoNames): the anchor of attacks known only by province."""
    return pd.read_csv(GEO_DIR / "provinces.csv")


NOT_REPORTED = " (not reported)"


def place_sites(by_site: pd.DataFrame, anchors: pd.DataFrame | None = None) -> pd.DataFrame:
    """``by_site`` (frequency.attacks_by_site) with a place for every site it can: the site's
    own coordinates where a source gives them; else, marked ``approximate``, its province's
    capital, or the point midway between two capitals for a route the sources leave between
    two provinces ("Babil or Qadisiyah (not reported)"). A site whose province has no
    anchor keeps empty coordinates."""
    anchors = provinces() if anchors is None else anchors
    where = {row.province: (row.latitude, row.longitude) for row in anchors.itertuples()}
    placed = by_site.copy()
    placed["approximate"] = False
    for index, row in placed[placed["latitude"].isna()].iterrows():
        names = str(row["province"]).removesuffix(NOT_REPORTED).split(" or ")
        points = [where[name.strip()] for name in names if name.strip() in where]
        if points and len(points) == len(names):
            placed.loc[index, "latitude"] = sum(p[0] for p in points) / len(points)
            placed.loc[index, "longitude"] = sum(p[1] for p in points) / len(points)
            placed.loc[index, "approximate"] = True
    return placed
