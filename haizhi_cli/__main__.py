"""Allow ``python -m haizhi_cli``."""

from haizhi_cli.cli import main

main()
