"""The answers about a plan sent in chat: its dry run with **Import** and **Cancel**, the import done, and refusals.

The dry run and the import are worded as ``actionbot import --dry-run`` and ``actionbot import`` print them
(:meth:`~bot.importing.report.ImportReport.lines`), with the CLI's option names turned into what to do in chat.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.admin_files.incoming import Title
from bot.dates import format_date
from bot.replies import Button, ButtonIntent, Reply, Section, Tone

if TYPE_CHECKING:
    from bot.importing.report import ImportReport

RENAME_HINT = "(name it with --review)"
CHAT_RENAME_HINT = "(to name it, send the file again with `import <review title>` as its message)"
GONE = "That file is no longer kept: it was cancelled, or sent more than 24 hours ago. Send it again to import it."
EXPIRED = "That file was sent more than 24 hours ago and has been discarded: send it again to import it."
ALREADY = "{name} was already imported: nothing more to do."
HOW_TO_SEND = (
    "A plan is imported by sending me the file: drop the .docx, .xlsx, .csv or .pdf into a direct message with me "
    "(Slack) or our 1:1 chat (Teams), with `import <review title>` as its message if you like. Only admins can."
)


def _report_lines(report: ImportReport) -> list[str]:
    return [line.replace(RENAME_HINT, CHAT_RENAME_HINT) for line in report.lines()]


def when(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{format_date(local.date())} {local:%H:%M}"


def preview(report: ImportReport, name: str, title: Title, pending_id: int, expires: datetime, zone: ZoneInfo) -> Reply:
    """The dry run, where the review title came from, and the two buttons."""
    titles = ", ".join(f"'{review}'" for review in report.reviews) or "no review"
    choice = f"Review title: {titles}, {title.source}."
    if title.text is None:
        choice += " To choose it, send the file again with `import <review title>` as its message."
    keep = f"Press Import to import it, or Cancel. The file is kept until {when(expires, zone)} (24 hours)."
    return Reply(
        title=f"Dry run: {name}",
        sections=[Section(lines=_report_lines(report)), Section(lines=[choice, keep])],
        buttons=[
            Button(intent=ButtonIntent.IMPORT_FILE, action_id=pending_id, label="Import", style="primary"),
            Button(intent=ButtonIntent.CANCEL_FILE, action_id=pending_id, label="Cancel"),
        ],
    )


def imported(report: ImportReport, name: str, who: str) -> Reply:
    return Reply(
        title=f"Imported: {name}",
        sections=[Section(lines=_report_lines(report)), Section(lines=[f"Imported by {who}."])],
        tone=Tone.SUCCESS,
    )


def cancelled(name: str) -> Reply:
    return Reply.text(f"Cancelled: {name} was not imported, and the file has been discarded.", tone=Tone.SUCCESS)


def not_imported(name: str, problems: list[str]) -> str:
    """One line: the file and every reason it cannot be imported."""
    return f"{name} was not imported; nothing was changed: " + "; ".join(problems)
