"""The scheduler (``actionbot clock``): nudges, escalations, digests and outbox delivery.

Built with the scheduler issue; until then ``actionbot clock`` says it is not configured yet.
"""
