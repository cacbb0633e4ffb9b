"""``actionbot import`` and ``actionbot export``: plans in from Word, Excel or CSV, the progress report out.

Thin: the work is in :mod:`bot.importing` and :mod:`bot.exporting`; this module turns options into
calls and results into lines on the terminal. Both are imported when one of these commands runs, not when the
command line loads: ``actionbot serve`` never loads the Excel, Word and PDF libraries.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import fail, user_errors
from adapters.cli.startup import application
from bot.domain import Nation, TimescaleKind
from bot.errors import Failure, UserError

if TYPE_CHECKING:
    from bot.exporting import ExportRow
    from bot.unit_of_work import Context

NATIONS = {nation.value.replace("_", "-"): nation for nation in Nation}


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the ``actionbot`` command line."""
    app.command("import")(import_plan)
    app.command("export")(export_report)


def import_plan(
    file: Annotated[
        Path,
        typer.Argument(help="The plan: a .docx, .xlsx, .csv or .pdf file (.doc and .xls through LibreOffice)."),
    ],
    review: Annotated[str | None, typer.Option(help="The review's title (default: the document's title).")] = None,
    organisation: Annotated[str | None, typer.Option(help="The council or body the review is of.")] = None,
    nation: Annotated[
        str | None, typer.Option(help="Whose bank holidays: england, wales, scotland or northern-ireland.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
    no_split: Annotated[
        bool,
        typer.Option("--no-split", help="Keep an action whole when its owner and timescale cells pair several lines."),
    ] = False,
    recommendations: Annotated[
        bool,
        typer.Option(
            "--recommendations",
            help="The file is the peer team's report (.docx, .txt or .md): its numbered headings are sections and "
            "its bullets recommendations, each with an action awaiting an owner and a timescale.",
        ),
    ] = False,
    lead: Annotated[
        list[str] | None, typer.Option(help="The review's lead (told of escalations); repeatable. Replaces its leads.")
    ] = None,
) -> None:
    """Import an action plan from a Word table, a spreadsheet or a CSV file (again: updates it in place)."""
    from bot.importing.importer import ImportFailed, ImportOptions, import_file
    from bot.review_settings import import_with_leads

    chosen = None
    if nation is not None:
        chosen = NATIONS.get(nation.strip().lower().replace("_", "-").replace(" ", "-"))
        if chosen is None:
            fail(f"--nation: '{nation}' is not one of {', '.join(NATIONS)}", code=2)
    running = application()
    options = ImportOptions(
        review=review,
        organisation=organisation,
        nation=chosen,
        dry_run=dry_run,
        split=not no_split,
        recommendations=recommendations,
    )
    lead_lines: list[str] = []
    try:
        if lead:
            report, lead_lines = import_with_leads(running.core.uow, file, options, lead)
        else:
            report = import_file(running.core.uow, file, options)
    except ImportFailed as failed:
        typer.echo(f"actionbot: {failed.name} was not imported; nothing was changed:", err=True)
        for problem in failed.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None
    except (UserError, Failure) as refused:
        fail(str(refused), code=1)
    for line in report.lines() + lead_lines:
        typer.echo(line)


def export_report(
    format_: Annotated[
        str | None, typer.Option("--format", help="csv, json or xlsx (default: from --output, else csv).")
    ] = None,
    review: Annotated[str | None, typer.Option(help="Only this review (its title, or part of it).")] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write to this file (default: standard output; xlsx needs a file).")
    ] = None,
    template: Annotated[
        bool,
        typer.Option(
            "--template",
            help="Write the action-plan template (xlsx) for the directors to fill in Lead Officer, Timescale and "
            "Status; import the filled-in file to complete the plan.",
        ),
    ] = False,
) -> None:
    """Export the progress report: one row per action, as CSV, JSON or an Excel workbook for committee."""
    from bot.exporting import FORMATS, export_rows
    from bot.exporting.report import report_name

    default = "xlsx" if template else "csv"
    chosen = (format_ or (output.suffix.lstrip(".") if output and output.suffix else default)).lower()
    if chosen not in FORMATS:
        fail(f"--format: '{chosen}' is not one of {', '.join(FORMATS)}", code=2)
    if template and chosen != "xlsx":
        fail(f"--template writes an Excel workbook (.xlsx), not {chosen}", code=2)
    running = application()
    day = running.core.uow.today()
    if chosen == "xlsx" and output is None:
        output = Path(f"action-plan-{day.isoformat()}.xlsx" if template else report_name("xlsx", day))
    if template:
        assert output is not None
        _export_template(review, output)
        return

    def read(work: Context) -> list[ExportRow]:
        review_ids = _review_ids(work, review)
        return export_rows(work.session, today=work.today, zone=work.zone, review_ids=review_ids)

    with user_errors():
        rows = running.core.uow.run(read, writes=False)
    try:
        _write(chosen, rows, output, day)
    except BrokenPipeError:  # `actionbot export | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's advice: no second error at exit
        return
    except OSError as error:
        fail(f"cannot write {output or 'standard output'}: {error.strerror or error}", code=1)
    if output is not None:
        typer.echo(f"Wrote {len(rows)} action{'s' if len(rows) != 1 else ''} to {output}.", err=True)


def _review_ids(work: Context, review: str | None) -> list[int] | None:
    from store import reviews

    if review is None:
        return None
    found = reviews.find_reviews(work.session, review)
    if len(found) != 1:
        titles = ", ".join(f"'{r.title}'" for r in (found or reviews.all_reviews(work.session))[:5])
        what = "matches no review" if not found else f"matches {len(found)} reviews"
        raise UserError(f"--review: '{review}' {what}. Reviews: {titles or 'none yet'}")
    return [found[0].id or 0]


def _export_template(review: str | None, output: Path) -> None:
    """``export --template``: the review(s) as the workbook the directors fill in."""
    from bot.exporting import export_rows
    from bot.exporting.template import timescale_kinds, write_template

    running = application()

    def read(work: Context) -> tuple[list[ExportRow], dict[int, TimescaleKind]]:
        rows = export_rows(work.session, today=work.today, zone=work.zone, review_ids=_review_ids(work, review))
        return rows, timescale_kinds(work.session, rows)

    with user_errors():
        rows, kinds = running.core.uow.run(read, writes=False)
    if not rows:
        fail("there is no plan to write a template of yet: import one first", code=1)
    try:
        write_template(rows, str(output), kinds=kinds)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", code=1)
    missing = sum(1 for row in rows if not row.owners)
    typer.echo(f"Wrote the template of {len(rows)} action{'s' if len(rows) != 1 else ''} to {output} "
               f"({missing} without an owner). Fill it in, then: actionbot import {output}", err=True)  # fmt: skip


def _write(chosen: str, rows: list[ExportRow], output: Path | None, day: date) -> None:
    """To a file: the bytes chat's ``export`` uploads (:func:`report_bytes`); to standard output: the text."""
    from bot.exporting import write_csv, write_json
    from bot.exporting.report import report_bytes

    if output is not None:
        output.write_bytes(report_bytes(rows, chosen, day))
        return
    (write_csv if chosen == "csv" else write_json)(rows, sys.stdout)
