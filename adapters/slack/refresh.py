"""Showing a message again after a button press or a submitted form, with the action's new state.

Two cases (Slack's rules, checked Jan 2025): a bot message in a channel or DM arrives with its
blocks in the payload, so the pressed action's blocks are replaced in place (``splice``) and the
message is ``chat.update``-d; an ephemeral message (a slash command's answer) arrives without its
blocks and cannot be ``chat.update``-d, so it is rendered again from the command that produced it
(``with_notice``) and replaced through its ``response_url``.
"""

from __future__ import annotations

from adapters.slack.blocks import Block, item_blocks
from bot.replies import ActionItem, Reply, Section, Tone


def notice_line(reply: Reply) -> str:
    """What a press or a form did, in one line: the first line of the core's answer."""
    return next(iter(reply.plain_lines), "Done.")


def splice(blocks: list[Block], item: ActionItem, notice: str) -> tuple[list[Block], bool]:
    """``blocks`` with each appearance of ``item``'s action shown in its new state and ``notice``
    under it; the flag says whether the action was found in the message at all."""
    item_prefix, buttons_prefix = f"item:{item.action_id}:", f"buttons:{item.action_id}:"
    result: list[Block] = []
    found = False
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        if block_id.startswith(item_prefix):
            found = True
            result.extend(item_blocks(item, block_id.removeprefix(item_prefix), notice=notice))
        elif not block_id.startswith(buttons_prefix):
            result.append(block)
    return result, found


def with_notice(listing: Reply, outcome: Reply) -> Reply:
    """A re-run list with one line on top saying what the press did."""
    sections = [Section(lines=[notice_line(outcome)]), *listing.sections]
    tone = Tone.SUCCESS if outcome.tone is Tone.SUCCESS else Tone.INFO
    return listing.model_copy(update={"sections": sections, "tone": tone})
