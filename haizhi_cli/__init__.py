"""haizhi: check CAST 海智计划基地 applications against the notice and build the packet."""

__version__ = "0.1.0"
