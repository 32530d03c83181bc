"""Writing what a user asked for: atomically, never over a file without `--force`.

May import: errors, i18n.
"""

from haizhi_cli.outputs._files import refuse_overwrite, write_file_atomically

__all__ = ["refuse_overwrite", "write_file_atomically"]
