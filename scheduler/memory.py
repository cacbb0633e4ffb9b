"""Keeping the clock's resident memory small on Linux (glibc): few malloc arenas, and freed memory given back.

A long-running process whose jobs build a morning's messages at once (thousands of rows read, replies built,
then dropped) holds on to that peak: glibc keeps freed memory in its heaps, one heap ("arena") per thread
that allocated. :func:`cap_arenas` limits the arenas (as ``MALLOC_ARENA_MAX=2`` would), and
:func:`give_back` returns what is free to the operating system after each job (``malloc_trim``). Elsewhere
(musl, macOS) both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

log = logging.getLogger("actionbot.clock")

M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h
ARENAS = 2

_libc: ctypes.CDLL | None = None


def _glibc() -> ctypes.CDLL | None:
    global _libc
    if _libc is None:
        name = ctypes.util.find_library("c")
        try:
            libc = ctypes.CDLL(name or "libc.so.6")
            libc.malloc_trim  # noqa: B018  (glibc only)
            libc.mallopt  # noqa: B018
        except (OSError, AttributeError):
            return None
        _libc = libc
    return _libc


def cap_arenas() -> None:
    """At most :data:`ARENAS` malloc arenas for the threads to come (call before starting threads)."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, ARENAS)


def give_back() -> None:
    """Free unreachable cycles, and return freed heap memory to the operating system."""
    gc.collect()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
