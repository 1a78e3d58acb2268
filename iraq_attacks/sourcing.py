"""Who the figures rest on: the outlets and kinds of source (data/sources.csv) that the
attacks' source URLs cite, counted in attacks. The chart source lines and the deck's sources
slide both read these counts."""

from __future__ import annotations

import pandas as pd

from .schema import url_domain

# data/sources.csv's kinds, in the order a reader weighs them
KINDS = {
    "official": "Official statements", "wire": "Wire services", "major_outlet": "Major outlets",
    "regional_local": "Regional and local outlets", "state_affiliated": "State-affiliated media",
    "partisan": "Partisan outlets", "aggregator": "Aggregators and copies",
    "reference": "Reference works and trackers",
}


def outlet_counts(attacks: pd.DataFrame, sources: pd.DataFrame | None) -> pd.DataFrame:
    """One row per outlet cited: outlet, kind and the number of attacks whose sources cite
    it (an attack counts once per outlet however many of its pages it cites), most cited
    first. A domain sources.csv does not grade is named by its domain, kind unknown."""
    columns = ["outlet", "kind", "attacks"]
    if "source_urls" not in attacks or attacks.empty:
        return pd.DataFrame(columns=columns)
    graded = {} if sources is None else {
        str(d): (str(o), str(k)) for d, o, k in zip(sources["domain"], sources["outlet"],
                                                    sources["kind"])}
    counts: dict[tuple[str, str], int] = {}
    # each distinct cell once, weighted by how many rows hold it (a million rows repeat a few)
    for cell, rows in attacks["source_urls"].dropna().astype(str).value_counts().items():
        named = {graded.get(domain, (domain, "unknown"))
                 for domain in (url_domain(url) for url in cell.split()) if domain}
        for outlet in named:
            counts[outlet] = counts.get(outlet, 0) + int(rows)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return pd.DataFrame([(o, k, n) for (o, k), n in ranked], columns=columns)


def kind_counts(attacks: pd.DataFrame, sources: pd.DataFrame | None,
                outlets: int = 3) -> pd.DataFrame:
    """Per kind of source: the attacks that cite at least one source of that kind (an
    attack resting on several kinds counts under each) and its most cited outlets."""
    if "source_urls" not in attacks or attacks.empty:
        return pd.DataFrame(columns=["kind", "label", "attacks", "outlets"])
    graded = {} if sources is None else dict(zip(sources["domain"].astype(str),
                                                 sources["kind"].astype(str)))
    per_kind: dict[str, int] = {}
    for cell, rows in attacks["source_urls"].dropna().astype(str).value_counts().items():
        for kind in {graded.get(url_domain(url), "unknown") for url in cell.split()}:
            per_kind[kind] = per_kind.get(kind, 0) + int(rows)
    by_outlet = outlet_counts(attacks, sources)
    rows = []
    for kind in [*KINDS, *sorted(set(per_kind) - set(KINDS))]:
        if kind not in per_kind:
            continue
        top = by_outlet[by_outlet["kind"] == kind].head(outlets)
        rows.append({"kind": kind, "label": KINDS.get(kind, "Not graded"),
                     "attacks": per_kind[kind],
                     "outlets": ", ".join(f"{r.outlet} ({r.attacks})"
                                          for r in top.itertuples())})
    return pd.DataFrame(rows)
