"""The dataset's second pass: graded sources, groups under one id, casualties without a split,
coverage rated per series, and the audit of every row. Real data where the test is about the
data; a broken copy of it where the test is about a rule."""

from __future__ import annotations

import csv

from conftest import edit_cell, read_rows

from iraq_attacks.data import load_dataset
from iraq_attacks.paths import DATA_DIR
from iraq_attacks.validate import url_domain, validate_dataset


def messages(folder) -> list[str]:
    return [str(p) for p in validate_dataset(folder).problems]


def row_of(folder, attack_id: str) -> int:
    """The 0-based data index of an attack in attacks.csv (spreadsheet row = index + 2)."""
    _, rows = read_rows(folder / "attacks.csv")
    return next(i for i, r in enumerate(rows) if r["attack_id"] == attack_id)


# ------------------------------------------------------------------------------ sources


def test_url_domain_drops_www_port_and_case():
    assert url_domain("https://WWW.Reuters.com/world/x?y=1") == "reuters.com"
    assert url_domain("http://trtworld.com:443/a") == "trtworld.com"
    assert url_domain("https://user@blog.talos-iraq.com/#x") == "blog.talos-iraq.com"


def test_every_domain_of_the_real_data_is_graded():
    dataset = load_dataset(DATA_DIR)
    graded = set(dataset.sources["domain"])
    used = {url_domain(u) for cell in dataset.attacks["source_urls"] for u in cell.split()}
    assert used <= graded
    assert set(dataset.sources["kind"]) >= {"wire", "official", "state_affiliated", "partisan"}


def test_an_ungraded_domain_is_an_error_naming_row_and_column(data_copy):
    index = row_of(data_copy, "ATK-0002")
    edit_cell(data_copy, "attacks.csv", index, "source_urls",
              "https://unheard-of-outlet.example/story")
    assert (f"attacks.csv row {index + 2}, column source_urls: 'unheard-of-outlet.example' is a "
            "domain not listed in sources.csv; add it with its outlet and kind"
            ) in messages(data_copy)


def test_a_row_resting_only_on_aligned_outlets_cannot_be_above_low(data_copy):
    _, sources = read_rows(data_copy / "sources.csv")
    partisan = next(s["domain"] for s in sources if s["kind"] == "partisan")
    index = row_of(data_copy, "ATK-0002")
    edit_cell(data_copy, "attacks.csv", index, "source_urls", f"https://{partisan}/a-story")
    edit_cell(data_copy, "attacks.csv", index, "confidence", "medium")
    found = messages(data_copy)
    assert any(m.startswith(f"attacks.csv row {index + 2}, column confidence: 'medium' is not "
                            "low, but every source URL is on a state-affiliated or partisan")
               for m in found), found
    edit_cell(data_copy, "attacks.csv", index, "confidence", "low")
    assert not any("column confidence" in m for m in messages(data_copy))


def test_no_committed_row_rests_only_on_aligned_outlets_above_low():
    dataset = load_dataset(DATA_DIR)
    kind = dict(zip(dataset.sources["domain"], dataset.sources["kind"]))
    for row in dataset.attacks.itertuples():
        kinds = {kind[url_domain(u)] for u in row.source_urls.split()}
        if kinds <= {"state_affiliated", "partisan"}:
            assert row.confidence == "low", row.attack_id


# ------------------------------------------------------------------------------- groups


def test_claims_and_attributions_are_group_ids_one_per_group():
    dataset = load_dataset(DATA_DIR)
    groups = set(dataset.groups["group_id"])
    for column in ("claimed_by", "attributed_to"):
        ids = {g for cell in dataset.attacks[column] for g in cell.split()}
        assert ids and ids <= groups, column
    # the spellings of one group are one id: no two names of groups.csv are aliases of each other
    names = dict(zip(dataset.groups["group_id"], dataset.groups["name"].str.lower()))
    for gid, aliases in zip(dataset.groups["group_id"], dataset.groups["aliases"]):
        for alias in filter(None, (a.strip().lower() for a in aliases.split(";"))):
            assert alias not in {n for g, n in names.items() if g != gid}, (gid, alias)
    claimed = dataset.attacks["claimed_by"]
    assert (claimed == "ashab_al_kahf").sum() >= 5  # three spellings before, one id now
    assert not claimed.str.contains("(", regex=False).any()


def test_an_unknown_group_id_is_an_error(data_copy):
    index = row_of(data_copy, "ATK-0002")
    edit_cell(data_copy, "attacks.csv", index, "claimed_by", "ashab_al_kahf no_such_group")
    found = messages(data_copy)
    assert (f"attacks.csv row {index + 2}, column claimed_by: 'no_such_group' is not a "
            "group_id in groups.csv") in found
    assert not any("'ashab_al_kahf'" in m for m in found)


def test_a_front_group_tie_carries_its_source():
    dataset = load_dataset(DATA_DIR)
    groups = dataset.groups
    tied = groups[groups["linked_to"] != ""]
    assert set(tied["linked_to"]) <= set(groups["group_id"])
    fronts = tied[tied["kind"] == "front_group"]
    assert len(fronts) >= 1 and (fronts["linked_source_url"] != "").all()


# ---------------------------------------------------------------------------- casualties


def test_brain_injuries_and_unsplit_wounded_have_their_own_columns():
    attacks = load_dataset(DATA_DIR).attacks.set_index("attack_id")
    ain_al_asad = attacks.loc["ATK-0014"]
    assert ain_al_asad["tbi_diagnosed_us_military"] == 110
    assert ain_al_asad["wounded_us_military"] != 110  # diagnoses are not the attack's wounded
    taji = attacks.loc["ATK-0028"]
    assert taji["wounded_unspecified"] >= 12  # counted, not dropped for want of a split


def test_casualty_notes_do_not_contradict_the_tbi_column():
    attacks = load_dataset(DATA_DIR).attacks.set_index("attack_id")
    assert "109 used as latest" not in attacks.loc["ATK-0014", "notes"]


# ------------------------------------------------------------------------------ coverage


def test_a_month_is_only_as_complete_as_its_weaker_series(data_copy):
    _, months = read_rows(data_copy / "coverage.csv")
    index = next(i for i, m in enumerate(months) if m["convoys_assessment"] == "incomplete")
    edit_cell(data_copy, "coverage.csv", index, "assessment", "complete")
    assert (f"coverage.csv row {index + 2}, column assessment: 'complete' should be incomplete, "
            "the weaker of sites_assessment and convoys_assessment") in messages(data_copy)


def test_february_2020_is_no_longer_rated_complete():
    # a convoy bomb of 10 Feb 2020 confirmed by the Security Media Cell was missing
    coverage = load_dataset(DATA_DIR).coverage.set_index("month")
    assert coverage.loc["2020-02", "assessment"] != "complete"
    assert (coverage["searched"] != "").all()


# --------------------------------------------------------------------------------- audit


def test_every_attack_is_audited_once_and_changes_are_logged():
    dataset = load_dataset(DATA_DIR)
    with open(DATA_DIR / "audit.csv", encoding="utf-8", newline="") as handle:
        audit = list(csv.DictReader(handle))
    ids = [a["attack_id"] for a in audit]
    assert sorted(ids) == sorted(dataset.attacks["attack_id"])
    assert all(a["urls_read"].startswith("http") for a in audit)
    changelog = (DATA_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    changed = {a["attack_id"] for a in audit if a["changed_fields"] and "new row" not in
               a["changed_fields"]}
    assert changed and all(f"| {attack_id} |" in changelog for attack_id in changed)
