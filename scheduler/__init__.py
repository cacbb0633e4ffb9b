"""The scheduler (``actionbot clock``): the jobs that decide what the bot says on its own, and the drain
that delivers it.

- :mod:`scheduler.drain`: :class:`~scheduler.drain.Drain`, the only code that calls a
  :class:`~bot.sending.Sender`: it claims due outbox rows, checks each is still true, sends it paced
  per target and marks it sent, rescheduled, dead or skipped.
- :mod:`scheduler.pacing`: the platforms' rate limits as data, the per-target pacer, and the retry policy
  (backoff with jitter; dead after 8 attempts or 24 hours).
"""
