"""The words lead-officer cells are read by: the groups councils name, what ends a group's name, job titles.

Kept apart from :mod:`bot.importing.owners` so that the vocabulary can grow without the reading changing.
"""

from __future__ import annotations

# Canonical names of the groups councils write, by key (see owner_key).
GROUP_ALIASES: dict[str, str] = {
    "cmt": "CMT",
    "corporate management team": "CMT",
    "smt": "SMT",
    "senior management team": "SMT",
    "slt": "SLT",
    "senior leadership team": "SLT",
    "elt": "ELT",
    "executive leadership team": "ELT",
    "clt": "CLT",
    "corporate leadership team": "CLT",
    "leaders": "Leaders",
    "group leaders": "Group Leaders",
    "political group leaders": "Group Leaders",
    "portfolio holders": "Portfolio Holders",
    "all portfolio holders": "Portfolio Holders",
    "hos": "Heads of Service",
    "heads of service": "Heads of Service",
    "all heads of service": "Heads of Service",
    "cabinet": "Cabinet",
    "communications team": "Communications Team",
    "communications": "Communications Team",
    "comms": "Communications Team",
    "comms team": "Communications Team",
    "directors": "Directors",
    "all directors": "Directors",
    "members": "Members",
    "all members": "Members",
    "elected members": "Members",
}
GROUP_SUFFIXES = frozenset(
    {"team", "teams", "board", "committee", "panel", "group", "groups", "leaders", "holders", "members", "forum",
     "partnership", "directors", "managers", "officers", "service", "services", "unit"}
)  # fmt: skip
TITLE_WORDS = frozenset(
    {"director", "head", "manager", "officer", "executive", "chief", "lead", "controller", "secretary", "deputy",
     "assistant", "principal", "monitoring", "s151", "holder", "member", "leader", "clerk", "solicitor", "treasurer"}
)  # fmt: skip
