"""The cell parsers are pure: reading an owner or a timescale cell loads nothing of the database."""

from __future__ import annotations

import subprocess
import sys

PURE = ["bot.importing.normalise", "bot.importing.owners", "bot.importing.segment", "bot.importing.timescales",
        "bot.importing.values", "bot.importing.headers", "bot.importing.tables"]  # fmt: skip


def test_the_cell_parsers_import_no_sqlalchemy_and_no_store() -> None:
    code = (
        f"import sys; import {', '.join(PURE)}; "
        "tops = {m.split('.')[0] for m in sys.modules}; "
        "print(sorted(tops & {'sqlalchemy', 'sqlmodel', 'store'}))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
