"""``export [review] [xlsx|csv|json]`` in chat: the progress report as a file attached to the reply.

The file is made by :func:`bot.exporting.report.report_file`, as ``actionbot export --output`` makes it, so
the bytes are the same; each surface uploads the attachment its own way. A workbook unless another format
is asked for: it is the report a committee paper is made from. The attachment says how to make it again
(:class:`~bot.replies.FileRequest`), for a surface that sends the file only once the user allows it.
"""

from __future__ import annotations

from bot.commands import Command
from bot.errors import UserError
from bot.replies import Attachment, FileRequest, Reply, Section, Tone
from bot.services.turn import Turn
from store.models import Review


def export(command: Command, turn: Turn) -> Reply:
    review = turn.review(command.review) if command.review else None
    return _report(turn, review, command.file_format or "xlsx")


def remake(wanted: FileRequest, turn: Turn) -> Reply:
    """The file of an earlier ``export`` made again, as it is now (the core has checked who asks)."""
    review = None
    if wanted.review_id is not None:
        review = turn.session.get(Review, wanted.review_id)
        if review is None:
            raise UserError("That review is no longer in the plan: `reviews` lists them; ask for the report again.")
    return _report(turn, review, wanted.file_format)


def _report(turn: Turn, review: Review | None, file_format: str) -> Reply:
    from bot.exporting import export_rows
    from bot.exporting.report import report_file

    review_ids, scope = ([review.id or 0], f"'{review.title}'") if review else (None, "every review")
    rows = export_rows(turn.session, today=turn.today, zone=turn.zone, review_ids=review_ids)
    if not rows:
        raise UserError("There are no actions to report on yet: an admin imports a plan first.")
    made = report_file(rows, file_format, turn.today)
    count = f"{made.actions} action{'s' if made.actions != 1 else ''}"
    again = FileRequest(review_id=review.id if review else None, review=review.title if review else None,
                        file_format=file_format)  # fmt: skip
    return Reply(
        title="Progress report",
        sections=[Section(lines=[f"The progress report of {scope}: {count}, as {made.name}."])],
        tone=Tone.SUCCESS,
        attachment=Attachment(name=made.name, data=made.data, media_type=made.media_type, remake=again),
    )
