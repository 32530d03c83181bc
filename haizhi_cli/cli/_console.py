"""The console script `haizhi`: it turns the cyclic garbage collector off before the commands' modules are
imported (they allocate a great deal and free almost nothing, so collecting during them is wasted work);
each command turns it back on once its modules are in (`_app._imports_done`). It also leaves pydantic's
plugins unloaded (NO_PYDANTIC_PLUGINS). This module imports nothing else, so that the script's own
`from haizhi_cli.cli import main` loads none of them with the collector on."""

from __future__ import annotations

import gc
import os

NO_PYDANTIC_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
"""haizhi's models are its own business: pydantic plugins (tracing, observability) are not loaded for them,
which also spares every run pydantic's search of every installed package's entry points for plugins (some
4 ms with 165 packages installed, more in a large environment). Set PYDANTIC_DISABLE_PLUGINS yourself to
override it."""


def main() -> None:
    gc.disable()
    os.environ.setdefault(*NO_PYDANTIC_PLUGINS)
    from haizhi_cli.cli._app import run  # the command line and every module it needs, with the collector off

    run()
