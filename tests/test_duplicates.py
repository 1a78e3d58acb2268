"""One row per attack: two rows on the same site within one day are flagged unless the notes of
one of them name the other and say why they are separate ('Separate from ATK-0012: ...')."""

from __future__ import annotations

import pandas as pd

from iraq_attacks.data import load_dataset
from iraq_attacks.paths import DATA_DIR


def close_pairs(attacks: pd.DataFrame) -> list[tuple[str, str]]:
    pairs = []
    for _, group in attacks.sort_values(["site_id", "date"]).groupby("site_id"):
        rows = list(group.itertuples(index=False))
        for i, first in enumerate(rows):
            for second in rows[i + 1:]:
                if (second.date - first.date).days > 1:
                    break
                pairs.append((first, second))
    return pairs


def explained(first, second) -> bool:
    return (f"Separate from {first.attack_id}" in second.notes
            or f"Separate from {second.attack_id}" in first.notes)


def test_rows_on_one_site_within_a_day_are_explained():
    attacks = load_dataset(DATA_DIR).attacks
    unexplained = [(a.attack_id, b.attack_id, str(a.date.date()), a.site_id)
                   for a, b in close_pairs(attacks) if not explained(a, b)]
    assert unexplained == [], f"possible duplicates: {unexplained}"


def test_the_check_catches_a_duplicate():
    attacks = load_dataset(DATA_DIR).attacks
    twin = attacks[attacks["attack_id"] == "ATK-0023"].assign(attack_id="ATK-9999", notes="")
    doubled = pd.concat([attacks, twin], ignore_index=True)
    flagged = [(a.attack_id, b.attack_id) for a, b in close_pairs(doubled) if not explained(a, b)]
    assert flagged == [("ATK-0023", "ATK-9999")]
