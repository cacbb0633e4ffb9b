"""The bank holidays of each nation of the UK, from the ``holidays`` package (loaded on first use: the clock's
working days need it, ``serve`` does not)."""

from __future__ import annotations

import importlib.util
from datetime import date
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from bot.domain import Nation

_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@lru_cache(maxsize=64)
def bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    """The bank holidays of ``year`` in ``nation``."""
    calendar_ = _united_kingdom()(subdiv=_SUBDIVISIONS[nation], years=year)
    return frozenset(calendar_.keys())


@lru_cache(maxsize=1)
def _united_kingdom() -> Any:
    """The ``holidays`` package's UnitedKingdom calendar, loaded on first use (the clock's working days: `serve`
    does not need it) from its module alone: importing it by name runs ``holidays.countries`` first, which
    imports every country's module (some 280 modules, ~9 MB resident in the clock) for the one a council needs.
    Should the package move it, the package's own way."""
    import holidays

    path = Path(holidays.__file__).parent / "countries" / "united_kingdom.py"
    spec = importlib.util.spec_from_file_location("_actionbot_uk_holidays", path)
    if spec is not None and spec.loader is not None:
        try:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.UnitedKingdom
        except (ImportError, OSError, AttributeError):
            pass
    return partial(holidays.country_holidays, "GB")
