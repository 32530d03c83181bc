"""English translations of haizhi's messages, keyed by the Chinese template used in the code."""

from __future__ import annotations

EN: dict[str, str] = {
}
