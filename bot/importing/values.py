"""Reading the small cells of a plan: recommendation references, statuses and percentages.

Each reader returns the value, or ``None`` and a reason a person can act on; nothing is guessed.
"""

from __future__ import annotations

import re

from bot.commands import STATUS_WORDS
from bot.domain import Status
from bot.importing.normalise import fold, leading_number, match_key, strip_marker

MAX_REF = 32

_REF = re.compile(r"^(?:rec(?:ommendation)?|no|item|ref)?\.?\s*([A-Za-z]{0,3}\s?\d{1,3}(?:\.\d{1,3})*[A-Za-z]?)[.:)]?$")
_REC_PREFIX = re.compile(
    r"^recommendation\s+([A-Za-z]{0,3}\d{1,3}(?:\.\d{1,3})*[a-z]?)\s*[.:\-–—)]\s*", re.IGNORECASE
)
_PERCENT = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*%?$")

_MORE_STATUSES: dict[str, Status] = {
    "in progress": Status.ON_TRACK,
    "started": Status.ON_TRACK,
    "underway": Status.ON_TRACK,
    "under way": Status.ON_TRACK,
    "not yet started": Status.NOT_STARTED,
    "not due": Status.NOT_STARTED,
    "achieved": Status.DONE,
    "closed": Status.DONE,
    "delayed": Status.AT_RISK,
    "slipped": Status.OFF_TRACK,
    "dropped": Status.DROPPED,
    "withdrawn": Status.DROPPED,
    "superseded": Status.DROPPED,
    "no longer required": Status.DROPPED,
}
STATUS_HELP = "use not started, on track, at risk, off track, done or dropped (or Red, Amber, Green)"


def normal_ref(text: str) -> str | None:
    """A reference as stored: ``"Rec 12."`` → ``"12"``, ``"k3"`` → ``"K3"``; ``None`` if it is not one."""
    match = _REF.match(fold(text).strip())
    return match[1].replace(" ", "").upper() if match else None


def split_ref(text: str) -> tuple[str | None, str]:
    """A recommendation cell's own number, if it starts with one, and its text without it."""
    first, _, rest = text.partition("\n")
    if match := _REC_PREFIX.match(first):
        number, first = match[1], first[match.end() :]
    else:
        number, first = leading_number(first)
    body = "\n".join(line for line in [first.strip(), *(strip_marker(line) for line in rest.split("\n"))] if line)
    return (normal_ref(number) if number else None), body


def read_status(text: str) -> tuple[Status | None, str | None]:
    """A status as plans write it (``On track``, ``Amber``, ``Complete``, ``In progress``)."""
    key = match_key(text).replace("-", " ").replace("_", " ")
    if not key:
        return None, None
    status = STATUS_WORDS.get(key.replace(" ", "")) or _MORE_STATUSES.get(key)
    if status is None:
        return None, f"'{text.strip()}' is not a status: {STATUS_HELP}"
    return status, None


def read_percent(text: str) -> tuple[int | None, str | None]:
    """``40%``, ``40`` or ``0.4`` (Excel's way of writing 40%) → 40."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None, None
    match = _PERCENT.match(cleaned)
    if not match:
        return None, f"'{text.strip()}' is not a percentage between 0% and 100%"
    value = float(match[1])
    if "%" not in cleaned and "." in cleaned and 0 < value < 1:
        value *= 100
    if value > 100:
        return None, f"'{text.strip()}' is more than 100%"
    return round(value), None


# Verbs a recommendation starts with ("Ensure…", "Review…", "Consider…"); a heading names a theme and has none.
_VERBS = frozenset(
    {
        "address", "adopt", "agree", "align", "appoint", "articulate", "assess", "be", "build", "capture", "celebrate",
        "challenge", "clarify", "commission", "communicate", "complete", "consider", "consult", "continue", "create",
        "deliver", "define", "develop", "embed", "empower", "encourage", "engage", "enhance", "ensure", "establish",
        "evaluate", "examine", "explore", "focus", "give", "have", "identify", "implement", "improve", "increase",
        "introduce", "invest", "involve", "link", "look", "maintain", "make", "map", "maximise", "monitor", "plan",
        "prepare", "prioritise", "produce", "promote", "provide", "publish", "put", "raise", "rationalise", "reconfirm",
        "reconsider", "recruit", "reduce", "refresh", "report", "resource", "revise", "review", "seek", "set", "share",
        "simplify", "strengthen", "streamline", "support", "tackle", "take", "undertake", "update", "use", "utilise",
        "work",
    }
)  # fmt: skip
_MODALS = re.compile(r"\b(should|must|will|needs? to|ought to|we recommend|recommend(?:s|ed)? that)\b", re.IGNORECASE)
MAX_HEADING_WORDS = 12


def reads_as_heading(text: str) -> bool:
    """A theme title ("Recommendations for Scrutiny", "Theme 2: Leadership of Place"), not a recommendation
    ("Review the constitution", "The council should…"): short, no full stop at the end, no verb."""
    body = strip_marker(" ".join(text.split()))
    words = body.split()
    if not words or len(words) > MAX_HEADING_WORDS or _MODALS.search(body):
        return False
    if body.endswith(".") and len(words) >= 4:
        return False
    first = re.sub(r"[^a-z]", "", words[0].lower())
    return first not in _VERBS
