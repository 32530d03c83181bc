"""The one date written into generated files, so that the same input gives the same bytes."""

from __future__ import annotations

import datetime as dt
import os


def reproducible_timestamp(fallback: dt.date) -> dt.datetime:
    """SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set, as reproducible builds expect; otherwise
    `fallback` (the round's deadline) at midnight UTC, never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.combine(fallback, dt.time(), dt.UTC)
