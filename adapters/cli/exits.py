"""How a command stops: one line on standard error and an exit code, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from bot.errors import Failure, UserError


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``actionbot: <message>`` on standard error and exit with ``code`` (2: a usage error).

    A plain :class:`SystemExit`, not typer's: a plain ``actionbot serve`` runs without typer (:mod:`adapters.cli`),
    and under typer a command's ``SystemExit`` ends the process with its code just the same."""
    print(f"actionbot: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Refusals and failures of the unit of work as one line on standard error, exit code 1."""
    try:
        yield
    except (UserError, Failure) as exc:
        fail(str(exc), code=1)
