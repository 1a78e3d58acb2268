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


def _no_casualty_figure(attacks: pd.DataFrame) -> pd.Series:
    return attacks[CASUALTY_COLUMNS].isna().all(axis=1)


def attacks_without_casualty_report(attacks: pd.DataFrame) -> pd.DataFrame:
    """Attacks for which no source gives any casualty figure."""
    return attacks[_no_casualty_figure(attacks)]


def count_without_casualty_report(attacks: pd.DataFrame) -> int:
    """How many attacks no source gives any casualty figure for (without copying them)."""
    return int(_no_casualty_figure(attacks).sum())


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


def _totals(attacks: pd.DataFrame, outcome: str) -> pd.Series:
    columns = [c for c in CASUALTY_COLUMNS if c.startswith(outcome)]
    return attacks[columns].sum(axis=1, min_count=1).astype("Int64")


def deadliest_attacks(attacks: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Attacks with reported casualties, most killed first, then most wounded."""
    # Ranked on the three key columns only; the whole rows of the top ones are taken at the
    # end (a million-row table is not copied to keep ten rows).
    keys = pd.DataFrame({"killed": _totals(attacks, "killed"),
                         "wounded": _totals(attacks, "wounded"), "date": attacks["date"]})
    keys = keys[(keys["killed"].fillna(0) > 0) | (keys["wounded"].fillna(0) > 0)]
    keys = keys.sort_values(["killed", "wounded", "date"], ascending=[False, False, True],
                            na_position="last", kind="stable").head(top)
    return attacks.loc[keys.index].assign(killed=keys["killed"], wounded=keys["wounded"]
                                          ).reset_index(drop=True)


def cumulative_casualties(attacks: pd.DataFrame, start: pd.Timestamp,
                          end: pd.Timestamp) -> pd.DataFrame:
    """Running totals of reported killed and wounded per group on every day of [start, end]:
    columns date, then killed_<group> and wounded_<group>."""
    days = pd.date_range(start, end, freq="D")
    daily = attacks.groupby("date")[CASUALTY_COLUMNS].sum(min_count=1).fillna(0)
    daily = daily.reindex(days, fill_value=0).astype(int).cumsum()
    return daily.rename_axis("date").reset_index()


def lethality_by_period(attacks: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                        period: str = "M") -> pd.DataFrame:
    """Per period: attacks, attacks that caused casualties and their share, people killed or
    wounded, casualties per attack, and casualties per 100 projectiles (over the attacks whose
    projectile count is reported, lowest figure)."""
    from .frequency import PERIOD_FREQ

    freq = PERIOD_FREQ[period]
    periods = pd.period_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    killed, wounded = _totals(attacks, "killed"), _totals(attacks, "wounded")
    # an attack with no casualty figure at all is unknown: it is not a zero in the share or
    # in the means, which are taken over the attacks that report a figure (n kept beside)
    reported = killed.notna() | wounded.notna()
    killed, wounded = killed.fillna(0), wounded.fillna(0)
    frame = pd.DataFrame({
        "period": attacks["date"].dt.to_period(freq),
        "casualties": (killed + wounded).astype(int),
        "with_casualties": (killed + wounded) > 0,
        "reported": reported,
        "projectiles": attacks["projectiles_fired_low"],
    })
    counted = frame[frame["projectiles"].notna() & frame["reported"]]
    grouped = frame.groupby("period").agg(attacks=("casualties", "size"),
                                         attacks_with_figure=("reported", "sum"),
                                         attacks_with_casualties=("with_casualties", "sum"),
                                         casualties=("casualties", "sum"))
    per_projectile = counted.groupby("period").agg(counted_casualties=("casualties", "sum"),
                                                  projectiles=("projectiles", "sum"))
    result = grouped.join(per_projectile).reindex(periods)
    counts = ["attacks", "attacks_with_figure", "attacks_with_casualties", "casualties"]
    result[counts] = result[counts].fillna(0).astype(int)
    with_figure = result["attacks_with_figure"].where(result["attacks_with_figure"] > 0)
    result["share_with_casualties"] = result["attacks_with_casualties"] / with_figure
    result["casualties_per_attack"] = result["casualties"] / with_figure
    result["per_100_projectiles"] = 100 * result["counted_casualties"] / result[
        "projectiles"].where(result["projectiles"] > 0)
    result.index = periods.start_time.normalize()
    return result.rename_axis("period_start").reset_index()[
        ["period_start", "attacks", "attacks_with_figure", "attacks_with_casualties",
         "share_with_casualties", "casualties", "casualties_per_attack",
         "per_100_projectiles"]]


def revisions(reports: pd.DataFrame) -> pd.DataFrame:
    """For every attack, group and measure whose reported figure changed: the first and the
    latest figure with their dates and outlets, the lowest and highest figure any source gave,
    and the number of reports. Reports without a number ('several') and unsupported claims
    are left out."""
    numeric = reports[reports["figure"].notna() & (reports["status"] == "accepted")]
    numeric = numeric.sort_values(["report_date", "report_id"])
    rows = []
    for (attack, group, measure), series in numeric.groupby(["attack_id", "group", "measure"]):
        if series["figure"].nunique() < 2:
            continue
        first, latest = series.iloc[0], series.iloc[-1]
        rows.append({"attack_id": attack, "group": group, "measure": measure,
                     "first_date": first["report_date"], "first_figure": int(first["figure"]),
                     "first_outlet": first["outlet"],
                     "latest_date": latest["report_date"], "latest_figure": int(latest["figure"]),
                     "latest_outlet": latest["outlet"],
                     "lowest": int(series["figure"].min()), "highest": int(series["figure"].max()),
                     "reports": len(series)})
    return pd.DataFrame(rows, columns=[
        "attack_id", "group", "measure", "first_date", "first_figure", "first_outlet",
        "latest_date", "latest_figure", "latest_outlet", "lowest", "highest", "reports"])


def revisions_of(reports: pd.DataFrame, attacks: pd.DataFrame) -> pd.DataFrame:
    """``revisions`` of the attacks in ``attacks``, each with the attack's date
    (``attack_date``) and ``site_label``."""
    from .arrowtext import isin

    changed = revisions(reports[isin(reports["attack_id"], attacks["attack_id"])])
    involved = attacks.loc[isin(attacks["attack_id"], changed["attack_id"])]
    merged = changed.merge(involved[["attack_id", "date", "site_label"]].rename(
        columns={"date": "attack_date"}), on="attack_id")
    # the figure the data keep for that group and measure, where the row has that column
    # (the latest best-supported one, which need not be the latest reported)
    rows = involved.set_index("attack_id")
    merged["recorded"] = [
        rows.at[a, f"{m}_{g}"] if f"{m}_{g}" in rows.columns and a in rows.index else pd.NA
        for a, g, m in zip(merged["attack_id"], merged["group"], merged["measure"])]
    return merged


def revision_series(reports: pd.DataFrame, attack_id: str) -> pd.DataFrame:
    """The dated figures of one attack whose value changed, for a step chart: report_date,
    series label (group and measure), figure, outlet."""
    chosen = reports[(reports["attack_id"] == attack_id) & reports["figure"].notna()
                     & (reports["status"] == "accepted")]
    changed = chosen.groupby(["group", "measure"])["figure"].transform("nunique") > 1
    chosen = chosen[changed]
    chosen = chosen.sort_values(["report_date", "report_id"])
    label = chosen["group"].map(lambda g: GROUP_LABELS.get(g, "All personnel")) + ", " + \
        chosen["measure"].str.replace("tbi_diagnosed", "brain injuries").str.replace("_", " ")
    return pd.DataFrame({"report_date": chosen["report_date"], "series": label,
                         "figure": chosen["figure"].astype(int), "outlet": chosen["outlet"]})


# The dated reports name groups as the attack rows do, plus "all_personnel" for figures given
# for everyone at a base. Such a figure belongs to the row's "unspecified" cell only when the
# row keeps that measure unspecified (Taji, 11 Mar 2020: 10 to 14 wounded, no split); where the
# row splits the figure by group, an all-personnel figure is a sum and is not a range of any
# one group.
MEASURES = ("killed", "wounded", "tbi_diagnosed")


def _range_rows(attacks: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """One row per attack, group and measure that has a figure in the attack row or an
    accepted numeric report: the row's figure (``recorded``) and the lowest and highest figure
    any accepted report or the row gives."""
    from .arrowtext import isin

    cells = []
    for measure in MEASURES:
        groups = ["us_military"] if measure == "tbi_diagnosed" else list(CASUALTY_GROUPS)
        for group in groups:
            column = f"{measure}_{group}"
            if column not in attacks:
                continue
            known = attacks.loc[attacks[column].notna(), ["attack_id", column]]
            cells.append(pd.DataFrame({"attack_id": known["attack_id"], "group": group,
                                       "measure": measure,
                                       "recorded": known[column].astype(float)}))
    recorded = pd.concat(cells, ignore_index=True) if cells else pd.DataFrame(
        columns=["attack_id", "group", "measure", "recorded"])
    numeric = reports[reports["figure"].notna() & (reports["status"] == "accepted")
                      & isin(reports["attack_id"], attacks["attack_id"])
                      & reports["measure"].isin(MEASURES)]
    unspecified = set(recorded.loc[recorded["group"] == "unspecified",
                                   ["attack_id", "measure"]].itertuples(index=False, name=None))
    kept_unspecified = pd.Series(
        [(a, m) in unspecified for a, m in zip(numeric["attack_id"], numeric["measure"])],
        index=numeric.index, dtype=bool)
    group = numeric["group"].where(
        ~((numeric["group"] == "all_personnel") & kept_unspecified), "unspecified")
    numeric = numeric.assign(group=group)
    numeric = numeric[numeric["group"].isin(list(CASUALTY_GROUPS))]
    spread = numeric.groupby(["attack_id", "group", "measure"])["figure"].agg(
        report_low="min", report_high="max").reset_index()
    merged = recorded.merge(spread, on=["attack_id", "group", "measure"], how="outer")
    # a range only where the data keep a figure for that group: a report whose person the
    # data's latest figure moved to another group (Taji: a contractor, later a soldier) would
    # otherwise be counted twice
    kept = merged["recorded"].notna()
    merged["lowest"] = merged[["recorded", "report_low"]].min(axis=1).where(kept)
    merged["highest"] = merged[["recorded", "report_high"]].max(axis=1).where(kept)
    return merged[kept].reset_index(drop=True)


def casualty_ranges(attacks: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Killed, wounded and (US military) brain-injury diagnoses per group, three ways:
    ``conservative`` sums for each attack the lowest figure any accepted source gave,
    ``latest`` sums the data's figure (the latest best-supported one), ``highest`` the highest
    any accepted source gave. An attack enters a sum only where a figure exists (unknown is
    not zero); ``attacks`` says how many do, ``attacks_disputed`` how many of them have
    figures that differ between sources. Brain injuries are their own row, never part of the
    wounded."""
    from .arrowtext import isin

    # Only attacks that some report is about can have a range; for every other attack the
    # lowest, the latest and the highest figure are the row's own, summed straight from its
    # column (pairing a million attacks with a handful of reports took seconds and a
    # gigabyte).
    reported = isin(attacks["attack_id"], reports["attack_id"]).to_numpy(dtype=bool)
    cells = _range_rows(attacks[reported], reports)
    rows = []
    for measure in MEASURES:
        groups = ["us_military"] if measure == "tbi_diagnosed" else list(CASUALTY_GROUPS)
        for group in groups:
            chosen = cells[(cells["group"] == group) & (cells["measure"] == measure)]
            recorded = chosen["recorded"].fillna(-1)
            disputed = ((chosen["lowest"].fillna(-1) != recorded)
                        | (chosen["highest"].fillna(-1) != recorded))
            column = attacks.get(f"{measure}_{group}")
            others = (column[~reported] if column is not None
                      else pd.Series([], dtype="Int64"))
            others_sum, others_known = int(others.sum()), int(others.notna().sum())
            label = GROUP_LABELS[group]
            # no attack with a figure: unknown, not zero
            known = len(chosen) + others_known > 0
            rows.append({
                "measure": measure, "group": group,
                "label": label + (", brain injuries diagnosed later"
                                  if measure == "tbi_diagnosed" else ""),
                "conservative": int(chosen["lowest"].sum()) + others_sum if known else pd.NA,
                "latest": int(chosen["recorded"].sum()) + others_sum if known else pd.NA,
                "highest": int(chosen["highest"].sum()) + others_sum if known else pd.NA,
                "attacks": int(chosen["recorded"].notna().sum()) + others_known,
                "attacks_disputed": int(disputed.sum()),
            })
    frame = pd.DataFrame(rows)
    for column in ("conservative", "latest", "highest"):
        frame[column] = frame[column].astype("Int64")
    return frame


def brain_injuries(attacks: pd.DataFrame) -> int | None:
    """US service members later diagnosed with brain injuries (counted apart from the
    wounded); None when no attack in the selection has a figure."""
    column = attacks.get("tbi_diagnosed_us_military")
    if column is None or column.notna().sum() == 0:
        return None
    return int(column.sum())


def per_projectile_by_weapon(attacks: pd.DataFrame) -> pd.DataFrame:
    """People killed or wounded per 100 projectiles, for each weapon apart (a ballistic
    missile and a 107 mm rocket are not the same unit), over the attacks that report both a
    projectile count (lowest figure) and a casualty figure; ``attacks`` is how many attacks of
    that weapon there are, ``attacks_counted`` how many the rate is over. Brain-injury
    diagnoses are not in the casualties."""
    killed, wounded = _totals(attacks, "killed"), _totals(attacks, "wounded")
    frame = pd.DataFrame({"weapon": attacks["weapon"],
                          "casualties": killed.fillna(0) + wounded.fillna(0),
                          "reported": killed.notna() | wounded.notna(),
                          "projectiles": attacks["projectiles_fired_low"]})
    counted = frame[frame["reported"] & frame["projectiles"].notna()
                    & (frame["projectiles"] > 0)]
    table = frame.groupby("weapon").size().rename("attacks").to_frame().join(
        counted.groupby("weapon").agg(attacks_counted=("casualties", "size"),
                                      projectiles=("projectiles", "sum"),
                                      casualties=("casualties", "sum")))
    table[["attacks_counted", "projectiles", "casualties"]] = table[
        ["attacks_counted", "projectiles", "casualties"]].fillna(0).astype(int)
    table["per_100_projectiles"] = (100 * table["casualties"]
                                    / table["projectiles"].where(table["projectiles"] > 0))
    return table.sort_values("attacks", ascending=False).rename_axis("weapon").reset_index()


MEASURE_NAMES = {"killed": "killed", "wounded": "wounded or injured",
                 "tbi_diagnosed": "brain injuries (diagnosed later)"}


def ranges_table(ranges: pd.DataFrame) -> pd.DataFrame:
    """casualty_ranges with reader's column names, one row per measure and group."""
    return pd.DataFrame({
        "people": ranges["measure"].map(MEASURE_NAMES),
        "group": ranges["label"].str.replace(", brain injuries diagnosed later", "",
                                             regex=False),
        "latest (the data)": ranges["latest"],
        "lowest": ranges["conservative"],
        "highest": ranges["highest"],
        "attacks with a figure": ranges["attacks"],
        "sources differ": ranges["attacks_disputed"],
    })
