"""The ``actionbot`` command line. The console script is :func:`main`; the commands are typer's
(:data:`app`, built in :mod:`adapters.cli.commands` when first asked for).

``actionbot serve`` as a platform starts it (no option, or ``--workers N``, ``WEB_CONCURRENCY`` a plain number) goes
straight to the server (:func:`adapters.cli.serving.plain_serve`): typer builds every command's parameters, with a
pydantic adapter for each option's value, before it runs one, ~30 ms of a start-up of ~0.5 s that a restarted or
scaled web process pays each time. Everything else, ``actionbot serve --help`` and any value to refuse among it,
goes through typer, which answers it as before.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.cli.commands import app as app


def main() -> None:
    """``actionbot``: a plain ``serve`` runs the server; anything else the typer command line."""
    if sys.argv[1:2] == ["serve"]:
        from adapters.cli.serving import plain_serve, run

        plain = plain_serve(sys.argv[1:], os.environ)
        if plain is not None:
            workers, from_environment = plain
            try:
                run(workers, workers_from_environment=from_environment)
            except KeyboardInterrupt:  # Ctrl-C before the server handles it: as typer says it, no traceback
                print("\nAborted!", file=sys.stderr)
                raise SystemExit(1) from None
            return
    from adapters.cli.commands import app

    app()


def __getattr__(name: str) -> Any:
    """``adapters.cli.app``, the typer app, built when first asked for."""
    if name == "app":
        from adapters.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
