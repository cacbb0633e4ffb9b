"""The peer team's recommendations letter read as the start of a plan (``actionbot import --recommendations``).

Before there is a plan there is the report: recommendations as numbered headings and bullets, no table,
no owners, no timescales (``shared/seeds/peer-challenge-recommendations-2017.txt`` is one, as Word holds
it). Read from Word (.docx) or plain text (.txt, .md):

* the first line before any heading is the review's title (unless ``--review`` names it);
* a numbered heading (``1: Recommendations for Scrutiny``, ``## 2. Accountability``, a Word heading) starts
  a section; a heading without a number does too;
* a bullet is a recommendation; its sub-bullets and the lines that continue it stay in its text;
* a numbered paragraph that reads as a sentence is a recommendation with that number.

Recommendations under a numbered section are referenced ``<section>.<n>`` (``3.2``), else by their place.
Each gets one action, its own text, awaiting an owner and a timescale, flagged so; the template export
(``actionbot export --template``) is how the directors fill those in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.importing.model import Flag, PlannedAction, PlannedImport, PlannedRecommendation, PlannedReview
from bot.importing.owners import read_owners
from bot.importing.plan_reader import number_refs, title_from_name
from bot.importing.tables import ImportFailed, Problem, Where
from bot.importing.timescales import read_timescale
from bot.importing.values import reads_as_heading
from bot.importing.word import docx_paragraphs

FORMATS = (".docx", ".txt", ".md")
NEEDS = "needs an owner and a timescale"
MAX_TITLE = 300

_BULLET = re.compile(r"^[-*•◦▪‣●○►▸➢➤✓✔–—\uf0b7\uf0a7]\s+|^o\t")
_NUMBERED = re.compile(r"^(?:recommendation\s+)?([A-Za-z]?\d{1,3}(?:\.\d{1,3})*)\s*[:.)]\s+(.+)$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")


@dataclass(frozen=True)
class Line:
    """One line (or Word paragraph) as the letter gives it."""

    number: int
    kind: str  # "heading", "bullet", "numbered", "text"
    text: str
    level: int = 0
    label: str | None = None  # a heading's or numbered paragraph's number


def read_letter(path: Path, review: str | None = None) -> PlannedImport:
    """The recommendations in a report; raises :class:`ImportFailed` when it holds none."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ImportFailed(path.name, [Problem(Where(), f"a report of recommendations is read from {', '.join(FORMATS)}"
                                                        f" files, not '{suffix or path.name}'")])  # fmt: skip
    if suffix == ".docx":
        title, lines = _docx_lines(path)
    else:
        title, lines = None, _text_lines(_read_text(path))
    return _Letter(path.name, review, title).read(lines)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFailed(path.name, [Problem(Where(), f"cannot be opened: {error.strerror or error}")]) from None
    if b"\x00" in raw[:4096]:
        raise ImportFailed(path.name, [Problem(Where(), "this is not a text file: it holds binary data")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _text_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not raw.strip():
            lines.append(Line(number, "blank", ""))
            continue
        indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
        body = raw.strip()
        if heading := _MD_HEADING.match(body):
            numbered = _NUMBERED.match(heading[1])
            lines.append(Line(number, "heading", numbered[2] if numbered else heading[1],
                              label=numbered[1] if numbered else None))  # fmt: skip
        elif _BULLET.match(body):
            lines.append(Line(number, "bullet", _BULLET.sub("", body, count=1), level=1 if indent else 0))
        elif (numbered := _NUMBERED.match(body)) and not indent:
            kind = "heading" if reads_as_heading(numbered[2]) else "numbered"
            lines.append(Line(number, kind, numbered[2], label=numbered[1]))
        else:
            lines.append(Line(number, "text", body, level=1 if indent else 0))
    return lines


def _docx_lines(path: Path) -> tuple[str | None, list[Line]]:
    title, paragraphs = docx_paragraphs(path)
    lines: list[Line] = []
    for number, paragraph in enumerate(paragraphs, start=1):
        text = paragraph.text.strip()
        if not text:
            lines.append(Line(number, "blank", ""))
            continue
        style = paragraph.style.lower()
        label = paragraph.label
        if style.startswith(("heading", "title")):
            numbered = _NUMBERED.match(text)
            own = label if label and label != "•" else (numbered[1] if numbered else None)
            lines.append(Line(number, "heading", numbered[2] if numbered and not label else text,
                              label=own.rstrip(".):") if own else None))  # fmt: skip
        elif label == "•" or "bullet" in style or _BULLET.match(text):
            level = max(paragraph.level, _style_level(style))
            lines.append(Line(number, "bullet", _BULLET.sub("", text, count=1), level=level))
        elif label:
            kind = "heading" if reads_as_heading(text) and paragraph.level == 0 else "numbered"
            lines.append(Line(number, kind, text, level=paragraph.level, label=label.rstrip(".):")))
        elif numbered := _NUMBERED.match(text):
            kind = "heading" if reads_as_heading(numbered[2]) else "numbered"
            lines.append(Line(number, kind, numbered[2], label=numbered[1]))
        else:
            lines.append(Line(number, "text", text))
    return title, lines


def _style_level(style: str) -> int:
    """Word's "List Bullet 2" is a bullet one level in."""
    last = style.rsplit(" ", 1)[-1]
    return int(last) - 1 if last.isdigit() and int(last) > 1 else 0


class _Letter:
    """Builds the plan from the letter's lines, keeping the current section and recommendation."""

    def __init__(self, name: str, review: str | None, title: str | None) -> None:
        self.name = name
        self.title = " ".join(review.split()) if review else title
        self.fixed = review is not None or title is not None
        self.section, self.section_number = "", ""
        self.in_section = 0
        self.recs: list[PlannedRecommendation] = []
        self.current: PlannedRecommendation | None = None
        self.notices: list[str] = []

    def read(self, lines: list[Line]) -> PlannedImport:
        for line in lines:
            self._line(line)
        if not self.recs:
            raise ImportFailed(self.name, [Problem(Where(), "no recommendations found: expected bullets or numbered "
                                                            "paragraphs under the report's headings")])  # fmt: skip
        title = (self.title or title_from_name(self.name))[:MAX_TITLE]
        if not self.fixed:
            source = "the report's first line" if self.title else "the file's name"
            self.notices.append(f"Review title taken from {source}: '{title}' (name it with --review)")
        flags: list[Flag] = []
        for rec in self.recs:
            action = PlannedAction(rec.text, rec.where, read_owners(""), rec.where, read_timescale(""), rec.where)
            rec.actions.append(action)
            flags.append(Flag(rec.where, "", NEEDS, "plan"))
        review = PlannedReview(title, self.recs)
        number_refs(review)
        return PlannedImport(self.name, [review], flags, self.notices)

    def _line(self, line: Line) -> None:
        where = Where(f"{'paragraph' if self.name.lower().endswith('.docx') else 'line'} {line.number}")
        if line.kind == "blank":
            return
        if line.kind == "heading":
            if self.title is None and not self.recs and not self.section:
                self.title = line.text if not line.label else None
                if self.title is not None:
                    return
            self.section, self.section_number, self.in_section = line.text[:300], line.label or "", 0
            self.current = None
            return
        if line.kind in ("bullet", "numbered") and line.level == 0:
            self._new(line, where)
            return
        if self.current is not None:  # a sub-bullet, or a line that carries the recommendation on
            self.current.text += "\n" + line.text
            return
        if self.title is None and not self.recs and not self.section:
            self.title = line.text
        elif line.kind == "text" and reads_as_heading(line.text):
            self.section, self.section_number, self.in_section = line.text[:300], "", 0
        elif line.kind in ("bullet", "numbered"):
            self._new(line, where)
        else:
            self.notices.append(f"{where}: not under a recommendation, so not imported: '{line.text[:60]}'")

    def _new(self, line: Line, where: Where) -> None:
        self.in_section += 1
        if line.kind == "numbered" and line.label:
            ref = line.label
        elif self.section_number:
            ref = f"{self.section_number}.{self.in_section}"
        else:
            ref = None
        rec = PlannedRecommendation(ref, line.text, self.section, where, numbered=ref is not None)
        self.recs.append(rec)
        self.current = rec
