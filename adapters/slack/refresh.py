"""Showing a message again after a button press or a submitted form, with the action's new state.

The core draws a list again after a press (:mod:`bot.redraw`) from the view its buttons carry; the
new message replaces the pressed one (``chat.update``, or the ``response_url`` for an ephemeral one,
which Slack sends without its blocks). A bot message from before buttons carried a view arrives with
its blocks (Slack's rules, checked Jan 2025), so the pressed action's blocks are replaced in place
(``splice``) instead.
"""

from __future__ import annotations

from adapters.slack.blocks import Block, item_blocks
from bot.replies import ActionItem, Reply


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
