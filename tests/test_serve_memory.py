"""``actionbot serve`` and ``actionbot clock`` limit glibc's malloc arenas before their worker threads start, unless
the operator chose (``MALLOC_ARENA_MAX``): with an arena per thread their memory crept up over a long run
(bench/README.md, the soak). One function, :func:`scheduler.memory.cap_arenas`, for both."""

from __future__ import annotations

import platform
import sys

import pytest

from scheduler.memory import cap_arenas


def test_an_arena_limit_the_operator_set_is_left_to_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert cap_arenas() is False


def test_on_linux_with_glibc_the_limit_is_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert cap_arenas() is glibc
