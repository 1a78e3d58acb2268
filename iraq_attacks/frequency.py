"""How often: attack counts per period. DataFrame in, DataFrame out."""

from __future__ import annotations

import pandas as pd

# pandas period aliases for the report's `period` parameter.
PERIOD_FREQ = {"W": "W-SUN", "M": "M"}
PERIOD_NAMES = {"W": "week", "M": "month"}


def attacks_per_period(attacks: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                       period: str = "W") -> pd.DataFrame:
    """Number of attacks in every period (weeks ending Sunday, or calendar months) that
    overlaps [start, end], including periods with none.

    Returns columns period_start, period_end, attacks.
    """
    freq = PERIOD_FREQ[period]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    counts = attacks["date"].dt.to_period(freq).value_counts()
    frame = pd.DataFrame({"period": periods})
    frame["attacks"] = frame["period"].map(counts).fillna(0).astype(int)
    frame["period_start"] = frame["period"].dt.start_time.dt.normalize()
    frame["period_end"] = frame["period"].dt.end_time.dt.normalize()
    return frame[["period_start", "period_end", "attacks"]]


def with_rolling_mean(counts: pd.DataFrame, window: int) -> pd.DataFrame:
    """Add a trailing rolling mean of ``attacks`` over ``window`` periods (partial at the start)."""
    return counts.assign(rolling_mean=counts["attacks"].rolling(window, min_periods=1).mean())
