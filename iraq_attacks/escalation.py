"""Escalation: attacks and milestones on one time axis."""

from __future__ import annotations

import pandas as pd

from .casualties import severity


def milestones_in_window(milestones: pd.DataFrame, start: pd.Timestamp,
                         end: pd.Timestamp) -> pd.DataFrame:
    """Milestones that begin inside [start, end]."""
    return milestones[milestones["date"].between(start, end)].reset_index(drop=True)


def attack_timeline(attacks: pd.DataFrame) -> pd.DataFrame:
    """One row per attack for the timeline: date, site, weapon, projectiles (the highest
    figure reported for fired, else landed; empty when unknown) and severity."""
    projectiles = attacks["projectiles_fired_high"].fillna(attacks["projectiles_landed_high"])
    return pd.DataFrame({
        "attack_id": attacks["attack_id"],
        "date": attacks["date"],
        "site": attacks["site_label"],
        "weapon": attacks["weapon"],
        "projectiles": projectiles,
        "severity": severity(attacks),
    }).reset_index(drop=True)
