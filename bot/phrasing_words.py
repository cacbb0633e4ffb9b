"""The words :mod:`bot.phrasing` reads: courtesies, question words, list words, and the verbs people use
for each command. Kept apart so the rules there read as rules, and so a word can be added in one place.
"""

from __future__ import annotations

from bot.commands import ALIASES, CommandName

GREETINGS = {"hi", "hello", "hey", "ok", "okay", "please", "pls", "plz", "kindly", "thanks", "actionbot", "@actionbot"}
LEADING_PHRASES: tuple[tuple[str, ...], ...] = (
    ("i", "would", "like", "to"), ("is", "there", "anything"), ("are", "there", "any"), ("i'd", "like", "to"),
    ("i", "want", "to"), ("i", "need", "to"), ("can", "you"), ("could", "you"), ("would", "you"), ("will", "you"),
    ("can", "i"), ("could", "i"), ("may", "i"), ("can", "we"), ("let", "me"), ("show", "me"), ("tell", "me"),
    ("give", "me"), ("get", "me"), ("send", "me"), ("what", "is"), ("what", "are"), ("which", "are"),
    ("how", "about"), ("what", "about"), ("is", "anything"), ("are", "any"), ("status", "of"),
    ("what's",), ("whats",), ("what're",), ("which",), ("what",), ("about",), ("any",), ("anything",), ("the",),
    ("all",),
)
PERSONAL_PHRASES: tuple[tuple[str, ...], ...] = (
    ("do", "i", "have", "any"), ("have", "i", "got", "any"), ("do", "i", "have"), ("have", "i", "got"),
    ("my",), ("mine",), ("me",), ("i",),
)
PERSONAL_ENDINGS: tuple[tuple[str, ...], ...] = (("for", "me"), ("of", "mine"), ("mine",), ("me",))
HELP_SENTENCES = {
    ("what", "can", "you", "do"), ("what", "can", "i", "do"), ("commands",), ("how", "does", "this", "work"),
    ("what", "commands", "are", "there"), ("what", "are", "the", "commands"), ("help", "me"), ("options",),
}
TRAILING = {"please", "pls", "plz", "thanks", "thx", "now", ""}
TRAILING_PHRASES: tuple[tuple[str, ...], ...] = (("thank", "you"),)
NOUNS = {"action", "actions", "task", "tasks", "item", "items", "ones", "things", "stuff", "list"}
OPEN_WORDS = {"open", "current", "outstanding", "live"}
LOOK_VERBS = {"show", "list", "view", "see", "get", "display", "check", "find", "look"}
LISTS = {"overdue", "late", "due", "upcoming", "coming", "my", "mine", "me", "i", "reviews", "review", "plans", "all",
         "people", "the", "actions", "tasks", "items", "everything", "anything", "any", "what's", "whats", "what"}
REVIEW_WORDS = {"reviews", "review", "plans", "plan"}
DETAIL_WORDS = {"details", "detail", "info", "history"}

VERBS: dict[str, CommandName] = {
    "mark": CommandName.UPDATE, "set": CommandName.UPDATE, "change": CommandName.UPDATE,
    "put": CommandName.UPDATE, "flag": CommandName.UPDATE, "make": CommandName.UPDATE,
    "record": CommandName.UPDATE, "update": CommandName.UPDATE,
    "move": CommandName.MOVE, "reschedule": CommandName.MOVE, "extend": CommandName.MOVE, "push": CommandName.MOVE,
    "snooze": CommandName.SNOOZE, "mute": CommandName.SNOOZE,
    "note": CommandName.NOTE, "comment": CommandName.NOTE, "add": CommandName.NOTE,
    "drop": CommandName.DROP,
    "show": CommandName.SHOW, "view": CommandName.SHOW, "see": CommandName.SHOW, "check": CommandName.SHOW,
    "open": CommandName.SHOW, "display": CommandName.SHOW, "find": CommandName.SHOW, "get": CommandName.SHOW,
    "info": CommandName.SHOW, "history": CommandName.SHOW, "details": CommandName.SHOW,
}
DEADLINE_WORDS = {"deadline", "date", "due"}
BEFORE_ID = {"the", "a", "an", "action", "item", "task", "number", "no", "for", "of", "on", "to", "status",
             "progress", "back", "deadline", "date", "due", "note", "comment", "off", "me"}
AFTER_ID: dict[CommandName, set[str]] = {
    CommandName.UPDATE: {"as", "to", "is", "status", "now", "-"},
    CommandName.MOVE: {"back", "deadline", "due", "date", "-"},
    CommandName.SNOOZE: {"for", "-"},
    CommandName.NOTE: {"-"},
    CommandName.DROP: {"-"},
}
TWO_WAYS: dict[str, tuple[str, str]] = {
    "close": ("done {id}", "drop {id} <reason>"),
    "cancel": ("drop {id} <reason>", "snooze {id}"),
    "postpone": ("move {id} <new date> <reason>", "snooze {id} <until when>"),
    "delay": ("move {id} <new date> <reason>", "snooze {id} <until when>"),
    "defer": ("move {id} <new date> <reason>", "snooze {id} <until when>"),
    "remove": ("drop {id} <reason>", "unsubscribe <review>"),
    "delete": ("drop {id} <reason>", "unsubscribe <review>"),
    "stop": ("snooze {id}", "unsubscribe <review>"),
}
COMMAND_WORDS = {name.value for name in CommandName} | set(ALIASES)
