"""Who claimed the attacks and whom others blamed: claims and attributions in the groups
table's ids (data/groups.csv), per series (sites; convoys)."""

from __future__ import annotations

import pandas as pd

from .escalation import SERIES


def series_of(attacks: pd.DataFrame) -> pd.Series:
    """'sites' or 'convoys' for each attack (the two campaigns, see escalation.SERIES)."""
    return pd.Series("sites", index=attacks.index).where(attacks["target_type"] != "convoy",
                                                         "convoys")


def _ids(cell) -> list[str]:
    return str(cell).split() if isinstance(cell, str) and cell.strip() else []


def claims_by_month(attacks: pd.DataFrame, start: pd.Timestamp,
                    end: pd.Timestamp) -> pd.DataFrame:
    """Per month and series: attacks, attacks a group claimed, and the unclaimed rest.
    Columns period_start, series, attacks, claimed, unclaimed; every month of [start, end] for
    both series (a month without attacks has 0 of each)."""
    months = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq="M")
    frame = pd.DataFrame({"month": attacks["date"].dt.to_period("M"),
                          "series": series_of(attacks),
                          "claimed": attacks["claimed_by"].map(lambda c: bool(_ids(c))
                                                               ).astype(bool)})
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
    claims = pd.DataFrame({"series": series_of(attacks),
                           "group_id": attacks["claimed_by"].map(_ids)}).explode("group_id")
    claims = claims.dropna(subset=["group_id"])
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
        ids = pd.DataFrame({"series": series, "id": attacks[column].map(_ids)}).explode("id")
        ids = ids.dropna(subset=["id"])
        if ids.empty:
            continue
        table = ids.groupby("id").agg(attacks=("series", "size"),
                                      convoys=("series", lambda s: int((s == "convoys").sum())))
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
