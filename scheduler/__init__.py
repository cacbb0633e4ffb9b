"""The scheduler (``actionbot clock``): the jobs that decide what the bot says on its own, and the drain
that delivers it.

- :mod:`scheduler.runner`: :class:`~scheduler.runner.ClockRunner`, the clock process: the jobs of
  :data:`bot.notices.jobs.JOBS` on an APScheduler schedule in the council's zone (and once at start-up, to
  catch up), the drain beside them, all under the lease; ``--once`` for cron.
- :mod:`scheduler.lease`: exactly one clock (a PostgreSQL advisory lock, or a file lock beside a SQLite
  database) and its heartbeat row.
- :mod:`scheduler.preview`: ``--dry-run [--at]``: what the jobs would send at a moment, written nowhere.
- :mod:`scheduler.drain`: :class:`~scheduler.drain.Drain`, the only code that calls a
  :class:`~bot.sending.Sender`: it claims due outbox rows, checks each is still true, sends it paced
  per target and marks it sent, rescheduled, dead or skipped.
- :mod:`scheduler.pacing`: the platforms' rate limits as data, the per-target pacer, and the retry policy
  (backoff with jitter; dead after 8 attempts or 24 hours).
"""
