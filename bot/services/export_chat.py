"""``export [review] [xlsx|csv|json]`` in chat: the progress report as a file attached to the reply.

The file is made by :func:`bot.exporting.report.report_file`, as ``actionbot export --output`` makes it, so
the bytes are the same; each surface uploads the attachment its own way. A workbook unless another format
is asked for: it is the report a committee paper is made from.
"""

from __future__ import annotations

from bot.commands import Command
from bot.errors import UserError
from bot.exporting import export_rows
from bot.exporting.report import report_file
from bot.replies import Attachment, Reply, Section, Tone
from bot.services.turn import Turn


def export(command: Command, turn: Turn) -> Reply:
    review_ids, scope = None, "every review"
    if command.review:
        review = turn.review(command.review)
        review_ids, scope = [review.id or 0], f"'{review.title}'"
    rows = export_rows(turn.session, today=turn.today, zone=turn.zone, review_ids=review_ids)
    if not rows:
        raise UserError("There are no actions to report on yet: an admin imports a plan first.")
    made = report_file(rows, command.file_format or "xlsx", turn.today)
    count = f"{made.actions} action{'s' if made.actions != 1 else ''}"
    return Reply(
        title="Progress report",
        sections=[Section(lines=[f"The progress report of {scope}: {count}, as {made.name}."])],
        tone=Tone.SUCCESS,
        attachment=Attachment(name=made.name, data=made.data, media_type=made.media_type),
    )
