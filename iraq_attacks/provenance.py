"""What a report says about where it came from: data fingerprint, rows used and excluded,
window, parameters, version and generation time."""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime

from .data import Dataset
from .selection import Selection

SCOPE_MIME = "application/vnd.iraq-attacks.scope+json"
# The header lists excluded rows one by one up to this many, then says how many more.
MAX_LISTED_EXCLUSIONS = 50


def generation_time() -> str:
    """Now in UTC, or the time given by SOURCE_DATE_EPOCH (for reproducible output)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), tz=UTC) if epoch
              else datetime.now(tz=UTC))
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def scope_payload(dataset: Dataset, selection: Selection) -> dict:
    used = selection.used
    listed = selection.excluded.head(MAX_LISTED_EXCLUSIONS)
    return {
        "rows_input": selection.input_rows,
        "rows_used": len(used),
        "rows_excluded": len(selection.excluded),
        "excluded": [{"attack_id": r.attack_id, "date": r.date.date().isoformat(),
                      "reason": r.reason} for r in listed.itertuples(index=False)],
        "excluded_truncated": max(0, len(selection.excluded) - MAX_LISTED_EXCLUSIONS),
        "window_start": selection.start.date().isoformat(),
        "window_end": selection.end.date().isoformat(),
        "first_attack": used["date"].min().date().isoformat() if len(used) else None,
        "last_attack": used["date"].max().date().isoformat() if len(used) else None,
        "filters": selection.describe_filters(),
        "fingerprint": dataset.fingerprint,
        "data_dir": dataset.data_dir.name + "/",
    }


def publish_scope(dataset: Dataset, selection: Selection) -> None:
    """Show the report's scope in the notebook, and hand it to the exporter, which moves it
    into the report header (a machine-readable copy travels under SCOPE_MIME)."""
    from IPython.display import display

    payload = scope_payload(dataset, selection)
    text = (f"{payload['rows_used']} of {payload['rows_input']} attacks used "
            f"({payload['rows_excluded']} excluded), {payload['window_start']} to "
            f"{payload['window_end']}; filters: {payload['filters']}; data sha256 "
            f"{payload['fingerprint'][:16]}")
    display({"text/plain": text, "text/html": f"<p><em>{html.escape(text)}</em></p>",
             SCOPE_MIME: payload}, raw=True)
