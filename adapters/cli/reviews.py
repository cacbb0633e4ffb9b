"""``actionbot reviews``: list the reviews, and set who leads each and when the clock speaks about it.

Thin: the work is in :mod:`bot.review_settings`. Registered on the main app by :func:`register`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from adapters.cli.exits import fail, user_errors
from adapters.cli.startup import application

if TYPE_CHECKING:
    from bot.review_settings import ReviewSummary
    from bot.unit_of_work import Context

reviews_app = typer.Typer(
    help="Reviews: list them; set their leads, nation, dates, escalation point and morning hour.",
    invoke_without_command=True,
)

LEAD_HELP = "A lead (a person in the plan), told of escalations; repeatable. Replaces the leads."


def register(app: typer.Typer) -> None:
    """Add ``actionbot reviews`` to the ``actionbot`` command line."""
    app.add_typer(reviews_app, name="reviews")


@reviews_app.callback()
def reviews(context: typer.Context) -> None:
    """Every review, with its leads, progress and the clock's settings (``reviews set`` changes them)."""
    from bot.review_settings import summaries

    if context.invoked_subcommand is not None:
        return
    running = application()

    def read(work: Context) -> list[ReviewSummary]:
        return summaries(work.session, work.today, work.settings)

    with user_errors():
        found = running.core.uow.run(read, writes=False)
    if not found:
        typer.echo("No reviews yet: `actionbot import PLAN.docx` loads one.")
    for summary in found:
        for line in summary.lines():
            typer.echo(line)


@reviews_app.command("set")
def reviews_set(
    review: Annotated[str, typer.Argument(help="The review: its title, part of it, or its number.")],
    lead: Annotated[list[str] | None, typer.Option(help=LEAD_HELP)] = None,
    add_lead: Annotated[list[str] | None, typer.Option(help="Add a lead; repeatable.")] = None,
    remove_lead: Annotated[list[str] | None, typer.Option(help="Remove a lead; repeatable.")] = None,
    no_leads: Annotated[bool, typer.Option("--no-leads", help="Remove every lead (escalations go to admins).")] = False,
    nation: Annotated[
        str | None, typer.Option(help="Whose bank holidays: england, wales, scotland or northern-ireland.")
    ] = None,
    received: Annotated[str | None, typer.Option(help="When the review's report was received (or 'none').")] = None,
    follow_up: Annotated[
        str | None, typer.Option(help="The follow-up visit's date, e.g. 2019-06-30 (or 'none').")
    ] = None,
    escalation_days: Annotated[
        str | None, typer.Option(help="Days overdue before the leads are told (or 'default').")
    ] = None,
    morning_hour: Annotated[
        str | None, typer.Option(help="The hour owners are nudged, 0–23, council time (or 'default').")
    ] = None,
    state: Annotated[str | None, typer.Option(help="active, or closed (no more nudges or escalations).")] = None,
    organisation: Annotated[str | None, typer.Option(help="The council or body reviewed.")] = None,
    kind: Annotated[str | None, typer.Option(help="The kind of review, e.g. 'Corporate Peer Challenge'.")] = None,
) -> None:
    """Change a review's settings; each is checked first, and nothing changes if one is wrong."""
    from bot.review_settings import ReviewChange, change

    if no_leads and lead:
        fail("give --lead or --no-leads, not both", code=2)
    wanted = ReviewChange(
        leads=[] if no_leads else lead,
        add_leads=add_lead or (),
        remove_leads=remove_lead or (),
        nation=nation,
        received=received,
        follow_up=follow_up,
        escalation_days=escalation_days,
        morning_hour=morning_hour,
        state=state,
        organisation=organisation,
        kind=kind,
    )
    if wanted.empty:
        fail("say what to change: --lead, --nation, --follow-up, --escalation-days, --morning-hour, … (see --help)")
    running = application()

    def write(work: Context) -> tuple[str, list[str]]:
        found = work.review(review)
        return found.title, change(work.session, found, wanted)

    with user_errors():
        title, lines = running.core.uow.run(write)
    if not lines:
        typer.echo(f"'{title}' already has those settings.")
    for line in lines:
        typer.echo(f"'{title}': {line}")
