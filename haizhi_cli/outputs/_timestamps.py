"""The one date written into generated files, so that the same input gives the same bytes."""

from __future__ import annotations

import datetime as dt
import os


def reproducible_timestamp(fallback: dt.date) -> dt.datetime:
    """SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set, as reproducible builds expect; otherwise
    `fallback` (the round's deadline) at midnight UTC, never the clock."""
    return _source_date_epoch() or dt.datetime.combine(fallback, dt.time(), dt.UTC)


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when it is set, else the clock (UTC, whole seconds): when a file was made, for a record
    of it (a manifest's `generated`, a PDF's dates) rather than a date inside the data."""
    return _source_date_epoch() or dt.datetime.now(dt.UTC).replace(microsecond=0)


def _source_date_epoch() -> dt.datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else None
