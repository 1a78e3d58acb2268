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
