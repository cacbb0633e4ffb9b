"""Keeping a long-running process's resident memory small on Linux (glibc): few malloc arenas, and freed memory
given back. Both ``actionbot serve`` and ``actionbot clock`` use it; importing it costs nothing (``ctypes`` is
loaded when first called).

A process whose threads each allocate gets one glibc heap ("arena") per thread, and glibc keeps freed memory
in them: a clock whose jobs build a morning's messages at once (thousands of rows read, replies built, then
dropped), or a web server's worker threads, hold on to their peaks. :func:`cap_arenas` limits the arenas (as
``MALLOC_ARENA_MAX=2`` would), and :func:`give_back` returns what is free to the operating system after each
job (``malloc_trim``). Elsewhere (musl, macOS) both do nothing.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h
ARENAS = 2

_libc: Any = None


def _glibc() -> Any:
    """The C library's ``mallopt`` and ``malloc_trim`` (glibc on Linux), or None elsewhere."""
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None)  # the process's own C library
            libc.malloc_trim  # noqa: B018  (glibc only)
            libc.mallopt  # noqa: B018
        except (OSError, AttributeError):  # musl and others: a different allocator
            return None
        _libc = libc
    return _libc


def cap_arenas(arenas: int = ARENAS) -> bool:
    """Ask glibc for at most ``arenas`` malloc arenas for the threads to come (call it before starting threads),
    unless the operator chose (``MALLOC_ARENA_MAX``, which glibc reads itself). ``False`` where nothing changes
    (the operator's choice stands, or there is no glibc)."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, arenas))


def keep_startup() -> None:
    """What start-up built (modules, mappings, settings, the engine) lives as long as the process:
    take it out of the garbage collector's sight (``gc.freeze``), so that a full collection (:func:`give_back`, or
    Python's own) walks only what the jobs and the drain made since, not some hundred thousand objects each time
    (150-350 ms of CPU on a loaded machine). For a process's entry point only, once its start-up is done."""
    gc.collect()
    gc.freeze()


def give_back() -> None:
    """Free unreachable cycles, and return freed heap memory to the operating system (after a job that built a
    morning's messages, and at the clock's heartbeat)."""
    gc.collect()
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
