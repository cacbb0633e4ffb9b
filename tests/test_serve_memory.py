"""``actionbot serve`` limits glibc's malloc arenas before its worker threads start, unless the operator chose
(``MALLOC_ARENA_MAX``): with an arena per thread its memory crept up over a long run (bench/README.md, the soak)."""

from __future__ import annotations

import platform
import sys

import pytest

from adapters.cli.serve import fewer_malloc_arenas


def test_an_arena_limit_the_operator_set_is_left_to_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert fewer_malloc_arenas() is False


def test_on_linux_with_glibc_the_limit_is_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert fewer_malloc_arenas() is glibc
