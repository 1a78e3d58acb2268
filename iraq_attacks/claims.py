"""Who claimed the attacks and whom others blamed: claims and attributions in the groups
table's ids (data/groups.csv), per series (sites; convoys)."""

from __future__ import annotations

import pandas as pd

from .escalation import SERIES


def series_of(attacks: pd.DataFrame) -> pd.Series:
    """'sites' or 'convoys' for each attack (the two campaigns, see escalation.SERIES)."""
    return pd.Series("sites", index=attacks.index).where(attacks["target_type"] != "convoy",
                                                         "convoys")


def _ids(cells: pd.Series) -> pd.DataFrame:
    """Every id in ``cells`` (ids separated by white space; an empty cell has none), one row
    each: ``position`` (the row's place in ``cells``) and ``id``. Split by Arrow: a Python
    split per cell took seconds on a million attacks."""
    import pyarrow as arrow
    from pyarrow import compute

    from .arrowtext import arrow_cells

    if isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow":
        text = arrow_cells(cells).combine_chunks()
    else:  # object columns (tests, hand-built frames): anything but text holds no id
        text = arrow.array([c if isinstance(c, str) else None for c in cells],
                           arrow.large_string())
    lists = compute.utf8_split_whitespace(text)
    ids, rows = compute.list_flatten(lists), compute.list_parent_indices(lists)
    named = compute.not_equal(ids, "")  # white space at an edge splits off empty strings
    return pd.DataFrame({"position": rows.filter(named).to_numpy(),
                         "id": ids.filter(named).to_pylist()})


def _with_series(cells: pd.Series, series: pd.Series) -> pd.DataFrame:
    """_ids of ``cells`` with the series of the attack each id is on."""
    ids = _ids(cells)
    return ids.assign(series=series.to_numpy()[ids["position"].to_numpy()])


def claims_by_month(attacks: pd.DataFrame, start: pd.Timestamp,
                    end: pd.Timestamp) -> pd.DataFrame:
    """Per month and series: attacks, attacks a group claimed, and the unclaimed rest.
    Columns period_start, series, attacks, claimed, unclaimed; every month of [start, end] for
    both series (a month without attacks has 0 of each)."""
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M")
    import numpy as np

    claimed = np.zeros(len(attacks), dtype=bool)
    claimed[_ids(attacks["claimed_by"])["position"].to_numpy()] = True
    frame = pd.DataFrame({"month": attacks["date"].dt.to_period("M"),
                          "series": series_of(attacks), "claimed": claimed})
    rows = []
    for series in SERIES:
        chosen = frame[frame["series"] == series]
        counts = chosen.groupby("month").agg(attacks=("claimed", "size"),
                                             claimed=("claimed", "sum")).reindex(months,
                                                                                 fill_value=0)
        counts = counts.astype(int)
        rows.append(pd.DataFrame({"period_start": months.start_time.normalize(),
                                  "series": series, "attacks": counts["attacks"].to_numpy(),
                                  "claimed": counts["claimed"].to_numpy()}))
    table = pd.concat(rows, ignore_index=True)
    table["unclaimed"] = table["attacks"] - table["claimed"]
    return table


def claims_per_group(attacks: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Attacks each group claimed, per series, with the group's kind and the organisation a
    source ties it to (and who does): columns group_id, group, kind, tied_to, tied_by, sites,
    convoys, attacks. An attack claimed by two groups counts for each."""
    names = groups.set_index("group_id")["name"].to_dict()
    claims = _with_series(attacks["claimed_by"], series_of(attacks)).rename(
        columns={"id": "group_id"})
    columns = ["group_id", "group", "kind", "attacks", *SERIES, "tied_to", "tied_by"]
    if claims.empty:
        return pd.DataFrame(columns=columns)
    table = pd.crosstab(claims["group_id"], claims["series"]).reindex(columns=list(SERIES),
                                                                       fill_value=0)
    table["attacks"] = table.sum(axis=1)
    info = groups.set_index("group_id").reindex(table.index)
    table = table.assign(group=info["name"], kind=info["kind"].str.replace("_", " "),
                         tied_to=info["linked_to"].map(lambda g: names.get(g, "")
                                                       if isinstance(g, str) else ""),
                         tied_by=info["linked_by"].fillna(""))
    table = table.rename_axis("group_id").reset_index()
    return table.sort_values(["attacks", "group"], ascending=[False, True],
                             kind="stable")[columns].reset_index(drop=True)


def attributions(attacks: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Who blamed, and who was blamed, counted apart: rows ``side`` 'attributed by' (a kind of
    attributor: US military, US government, Iraqi military, analysts...) and 'attributed to'
    (a group of the groups table), with the attacks and how many of them were convoys. The
    data do not pair each attributor with each group when a row has several of both, so the
    two sides are not crossed."""
    from .schema import ATTRIBUTION_SOURCES

    names = groups.set_index("group_id")["name"].to_dict()
    series = series_of(attacks)
    frames = []
    for side, column, label in (("attributed by", "attributed_by_kind",
                                 lambda v: v.replace("_", " ")),
                                ("attributed to", "attributed_to", lambda v: names.get(v, v))):
        ids = _with_series(attacks[column], series)
        if ids.empty:
            continue
        table = ids.assign(convoy=ids["series"] == "convoys").groupby("id").agg(
            attacks=("series", "size"), convoys=("convoy", "sum"))
        table = table.reset_index()
        frames.append(pd.DataFrame({
            "side": side, "name": table["id"].map(label),
            "description": table["id"].map(ATTRIBUTION_SOURCES).fillna("")
            if side == "attributed by" else "",
            "attacks": table["attacks"], "convoys": table["convoys"]}).sort_values(
                ["attacks", "name"], ascending=[False, True], kind="stable"))
    if not frames:
        return pd.DataFrame(columns=["side", "name", "description", "attacks", "convoys"])
    return pd.concat(frames, ignore_index=True)


def claims_sentence(by_month: pd.DataFrame, per_group: pd.DataFrame) -> str:
    """How many attacks of each series a group claimed, and the most frequent claimant."""
    if by_month["attacks"].sum() == 0:
        return "No attacks in the selection."
    parts = []
    for series, rows in by_month.groupby("series", sort=False):
        attacks, claimed = int(rows["attacks"].sum()), int(rows["claimed"].sum())
        if attacks:
            parts.append(f"{claimed} of {attacks} attacks on {series} ({claimed / attacks:.0%})")
    text = "A group claimed " + " and ".join(parts) + "; the rest went unclaimed in the sources."
    if len(per_group):
        top = per_group.iloc[0]
        tied = (f"; tied to {top['tied_to']} by {top['tied_by']}" if top["tied_to"] else "")
        text += (f" The most frequent claimant was {top['group']} ({top['attacks']} attacks"
                 f"{tied}). A claim is the group's own word, reported by the press; it is "
                 "not proof of who carried out the attack.")
    return text
