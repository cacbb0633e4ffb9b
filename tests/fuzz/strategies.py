"""Hypothesis strategies for what a careless client or an attacker sends: command text (unicode, control
characters, huge numbers, long strings), JSON of any shape, and mutations of real payloads (a field
dropped, retyped, nulled, or given a value of any JSON type)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

COMMAND_WORDS = [
    "help", "mine", "overdue", "due", "show", "update", "note", "snooze", "drop", "move", "reviews", "digest",
    "subscribe", "unsubscribe", "link", "done", "on-track", "on track", "at-risk", "off-track", "not-started",
    "page", "p", "#1", "#2", "2", "3", "40%", "100%", "101%", "-5%", "7d", "2w", "this week", "2019-03-31",
    "31/03/2019", "31 March 2019", "30/02/2019", "@Deb", "<@U0DEB>", "<@U0KEVIN|kevin>", "all", "updates",
    "digest", "overdue", '"quoted note"', "“curly”", "Corporate Peer Challenge 2018",
]

HUGE_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet="0123456789", min_size=10, max_size=80),
    st.sampled_from(["0", "-1", "2147483647", "2147483648", "9223372036854775808", "18446744073709551616",
                     "99999999999999999999", "1e309", "²", "١٢", "٣", "½", "Ⅻ", "9" * 4400]),
)

# Anything but lone surrogates (a form-encoded slash command cannot carry them): controls, NUL included.
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\x85\u2028\u202e"),
                  min_size=1, max_size=5)

COMMAND_TEXT = st.one_of(
    st.lists(st.one_of(st.sampled_from(COMMAND_WORDS), HUGE_NUMBERS, TEXT, CONTROL), max_size=7).map(" ".join),
    TEXT,
    st.builds(lambda word, n: f"{word} {n}", st.sampled_from(["show", "done", "note", "mine page", "due 7d page",
                                                             "snooze 2", "move 2"]), HUGE_NUMBERS),
    st.text(min_size=2000, max_size=6000).map(lambda t: "note 2 " + t),
)

# JSON of any shape, with the values that break loose code: huge ints, NaN, lone surrogates, deep nesting.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 2, max_value=2**70),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "\ud800", "block_actions", "view_submission", "message", "invoke", "mention",
                     "U0KEVIN", "actionbot_done", '{"id": 2}', '{"a": 2}', "Action.Execute"]),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in a JSON document (dict keys and list indexes)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((*prefix, key))
            found.extend(paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.append((*prefix, index))
            found.extend(paths(value, (*prefix, index)))
    return found


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any], *, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """``base`` with one to four changes: a value replaced by any JSON (often a JSON string of JSON), a
    key removed, or a key added. Paths through a key in ``keep`` are left alone."""
    document = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        candidates = [p for p in paths(document) if not any(part in keep for part in p)]
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        how = draw(st.sampled_from(["replace", "replace", "json-string", "delete", "add"]))
        if how == "replace":
            parent[path[-1]] = draw(JSON)
        elif how == "json-string":
            parent[path[-1]] = json.dumps(draw(JSON))
        elif how == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(JSON)
    return document
