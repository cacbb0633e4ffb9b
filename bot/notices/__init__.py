"""Messages the bot sends on its own (nudges, escalations, digests, alerts, update broadcasts).

Deciding is separate from delivering. :mod:`bot.notices.jobs` holds the jobs: plain functions of a
unit of work's context that read the plan and write outbox rows with dedupe keys, testable with a
fixed clock and no scheduler. :mod:`bot.notices.messages` says what a queued row holds and, when the
drain's turn comes, whether it is still true (:func:`~bot.notices.messages.prepare`). Only the
scheduler's drain (``scheduler/``) calls a :class:`~bot.sending.Sender`.
"""
