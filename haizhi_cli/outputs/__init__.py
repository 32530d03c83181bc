"""Writing what a user asked for: atomically, never over a file without `--force`, with the same bytes for the
same input (SOURCE_DATE_EPOCH); and the user's cache folder, where what haizhi can rebuild is kept for speed.

May import: errors, i18n.
"""

from haizhi_cli.outputs._cache import cache_dir, caching_enabled, prune_cached, read_cached, write_cached
from haizhi_cli.outputs._files import refuse_overwrite, write_file_atomically
from haizhi_cli.outputs._timestamps import build_time, reproducible_timestamp

__all__ = [
    "build_time",
    "cache_dir",
    "caching_enabled",
    "prune_cached",
    "read_cached",
    "refuse_overwrite",
    "reproducible_timestamp",
    "write_cached",
    "write_file_atomically",
]
