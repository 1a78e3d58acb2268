"""Who was killed and wounded. Unknown is not zero: empty cells are counted apart."""

from __future__ import annotations

import pandas as pd

from .schema import CASUALTY_GROUPS, GROUP_LABELS

CASUALTY_COLUMNS = [f"{o}_{g}" for o in ("killed", "wounded") for g in CASUALTY_GROUPS]


def casualty_totals(attacks: pd.DataFrame) -> pd.DataFrame:
    """Killed and wounded per group, summing reported figures only, with the number of attacks
    that give a figure for that group (the rest are unknown, not zero)."""
    rows = []
    for group, description in CASUALTY_GROUPS.items():
        killed, wounded = attacks[f"killed_{group}"], attacks[f"wounded_{group}"]
        rows.append({
            "group": group,
            "label": GROUP_LABELS[group],
            "description": description,
            "killed": int(killed.sum(skipna=True)),
            "wounded": int(wounded.sum(skipna=True)),
            "attacks_reporting_killed": int(killed.notna().sum()),
            "attacks_reporting_wounded": int(wounded.notna().sum()),
        })
    return pd.DataFrame(rows)


def attacks_without_casualty_report(attacks: pd.DataFrame) -> pd.DataFrame:
    """Attacks for which no source gives any casualty figure."""
    return attacks[attacks[CASUALTY_COLUMNS].isna().all(axis=1)]


def severity(attacks: pd.DataFrame) -> pd.Series:
    """'killed' if anyone was reported killed, 'wounded' if wounded, 'none' if a source says no
    casualties, 'unknown' when no figure is given."""
    killed = attacks[[c for c in CASUALTY_COLUMNS if c.startswith("killed")]].fillna(0).sum(axis=1)
    wounded = attacks[[c for c in CASUALTY_COLUMNS if c.startswith("wounded")]].fillna(0).sum(
        axis=1)
    unknown = attacks[CASUALTY_COLUMNS].isna().all(axis=1)
    result = pd.Series("none", index=attacks.index)
    result[unknown] = "unknown"
    result[wounded > 0] = "wounded"
    result[killed > 0] = "killed"
    return result
