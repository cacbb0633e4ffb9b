"""``actionbot serve`` with measuring instruments, for ``bench/serve_load.py --profile`` and ``--tracemalloc``.

    python bench/serve_instrumented.py --profile /tmp/serve.prof        # cProfile of every thread
    python bench/serve_instrumented.py --tracemalloc /tmp/serve-memory   # snapshots on SIGUSR1

``--profile``: the event loop's thread and every worker thread (the core runs in ``asyncio.to_thread``'s pool)
each get their own ``cProfile.Profile``, timed by the thread's own CPU clock (``time.thread_time``: a thread
waiting for work or for the database costs nothing, as in ``/proc/<pid>/stat``); at exit their statistics are
added together into one file for ``pstats`` (and ``PATH.threads``: the worker threads alone, ``PATH.loop``: the
event loop's thread alone).

``--tracemalloc``: Python's allocations are traced (10 frames deep); each SIGUSR1 writes a snapshot,
``DIR/snapshot-N.pickle`` (N counting from 1), that ``bench/serve_load.py`` compares between two points of
a soak. Nothing here is part of actionbot; it only wraps the command.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import pstats
import signal
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from types import FrameType
from typing import Any


def profile_every_thread(path: Path) -> None:
    loop_profile = cProfile.Profile(time.thread_time)
    thread_profiles: list[cProfile.Profile] = []

    def start_in_thread(_frame: FrameType, _event: str, _arg: Any) -> None:
        sys.setprofile(None)
        profile = cProfile.Profile(time.thread_time)
        thread_profiles.append(profile)
        profile.enable()

    def write() -> None:
        loop_profile.disable()
        pstats.Stats(loop_profile).dump_stats(f"{path}.loop")
        profiles = [p for p in thread_profiles if _has_stats(p)]
        if profiles:
            pstats.Stats(*profiles).dump_stats(f"{path}.threads")
        pstats.Stats(loop_profile, *profiles).dump_stats(str(path))

    threading.setprofile(start_in_thread)  # type: ignore[arg-type]
    atexit.register(write)
    loop_profile.enable()


def _has_stats(profile: cProfile.Profile) -> bool:
    try:
        profile.create_stats()
    except Exception:  # a thread's profile that never saw a call
        return False
    return bool(getattr(profile, "stats", None))


def snapshots_on_signal(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tracemalloc.start(10)
    taken = [0]

    def snapshot(_signum: int, _frame: FrameType | None) -> None:
        taken[0] += 1
        tracemalloc.take_snapshot().dump(str(directory / f"snapshot-{taken[0]}.pickle"))
        (directory / f"snapshot-{taken[0]}.done").touch()

    signal.signal(signal.SIGUSR1, snapshot)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--tracemalloc", type=Path)
    args, rest = parser.parse_known_args()
    if args.tracemalloc:
        snapshots_on_signal(args.tracemalloc)
    if args.profile:
        profile_every_thread(args.profile)
    from adapters.cli import app

    app(["serve", *rest], prog_name="actionbot")


if __name__ == "__main__":
    main()
