"""What an admin sends: the file's name, size and type checked, and the review title the message gives.

The limits are the same on every surface: at most :data:`MAX_BYTES`, and only the formats the importer reads
(``.docx``, ``.xlsx``, ``.csv``, ``.pdf``; ``.doc`` and ``.xls`` through LibreOffice where it is installed).
Everything here is pure: no database, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from bot.errors import UserError
from bot.importing.convert import OLD_FORMATS
from bot.importing.readers import FORMATS

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
MAX_TITLE = 200
SUFFIXES = tuple(sorted({*FORMATS, *OLD_FORMATS}))
_IMPORT_WORDS = re.compile(r"^(?:/\S+\s+)?import\b[\s:]*", re.IGNORECASE)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")


class Refused(UserError):
    """A file that is not imported, and will not be downloaded: the message says why, in one line."""


@dataclass(frozen=True)
class Title:
    """The review title a file is imported under: from the message, or (``text`` is ``None``) from the file."""

    text: str | None

    @property
    def source(self) -> str:
        return "from your message" if self.text else "from the file (its title, else its name)"


def kinds() -> str:
    """``.csv, .doc, .docx, .pdf, .xls or .xlsx``"""
    return ", ".join(SUFFIXES[:-1]) + f" or {SUFFIXES[-1]}"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def safe_name(name: str) -> str:
    """The file's own name, without any folder, control or path character, at most :data:`MAX_NAME` long."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = " ".join(_UNSAFE.sub("_", base).split()).lstrip(".")
    if len(cleaned) > MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        keep_suffix = dot and len(suffix) <= 5
        cleaned = stem[: MAX_NAME - len(suffix) - 1] + dot + suffix if keep_suffix else cleaned[:MAX_NAME]
    return cleaned or "plan"


def check(name: str, size: int | None) -> str:
    """The file's safe name, if a file so named and of this size (``None``: not known yet) may be imported;
    :class:`Refused` otherwise."""
    clean = safe_name(name)
    suffix = PurePosixPath(clean).suffix.lower()
    if suffix not in SUFFIXES:
        what = f"'{suffix}' files" if suffix else "Files without an extension"
        raise Refused(f"{clean}: {what} cannot be imported. Send the plan as {kinds()}.")
    if size is not None:
        check_size(clean, size)
    return clean


def too_large(name: str, size: int | None = None) -> str:
    """One line: the file is over the limit (``size`` unknown: the download stopped past it)."""
    how_big = megabytes(size) if size is not None else f"over {megabytes(MAX_BYTES)}"
    return (f"{name} is {how_big}: plans over {megabytes(MAX_BYTES)} are not imported from chat. "
            "Split it, or ask someone with the server to run `actionbot import`.")  # fmt: skip


def check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise Refused(too_large(name, size))
    if size == 0:
        raise Refused(f"{name} is empty: nothing to import.")


def title_from(text: str | None) -> Title:
    """The review title the message gives: ``/actions import Corporate Peer Challenge`` or ``import …`` → the rest;
    any other text → all of it; nothing (or ``import`` alone) → the file's own title or name."""
    words = " ".join((text or "").split())
    words = _IMPORT_WORDS.sub("", words, count=1).strip().strip("\"'“”‘’").strip()
    if not words:
        return Title(None)
    if len(words) > MAX_TITLE:
        raise Refused(f"That review title is {len(words)} characters long: at most {MAX_TITLE}. Send the file "
                      "again with a shorter title as its message.")  # fmt: skip
    return Title(words)
