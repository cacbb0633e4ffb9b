"""The console chat: type commands as a chosen person, read replies as text, press buttons by number.

On a terminal it prompts; when standard input is not a terminal it reads commands line by line,
echoes each one, and exits at the end of input, so it can be scripted. A file the bot sends (``export``)
is saved in the working directory (or ``files``), and the reply says where.

In the demo the chat also has the demo's clock (:class:`adapters.console_clock.DemoClock`): ``tick`` moves
time on and shows what the bot sends on its own, and what a command queues (an update broadcast to a
subscribed channel) is printed as it is sent.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.core import Core
from bot.domain import Surface
from bot.render_text import clean, render
from bot.replies import Button, Reply
from bot.requests import Actor, ConversationRef, Request

if TYPE_CHECKING:
    from adapters.console_clock import DemoClock

QUIT_WORDS = {"quit", "exit", "bye"}


class ConsoleChat:
    """A chat session in the terminal, as one person in the plan."""

    def __init__(
        self,
        core: Core,
        person_id: int,
        person_name: str,
        *,
        out: TextIO | None = None,
        clock: DemoClock | None = None,
        files: Path | None = None,
    ) -> None:
        self.core = core
        self.clock = clock
        self.files = files
        self.actor = Actor(platform="console", user_id=str(person_id), display_name=person_name)
        self.conversation = ConversationRef(platform="console", key=f"console:{person_id}")
        self.out = out or sys.stdout
        self.buttons: list[Button] = []

    def ask(self, text: str) -> Reply:
        """Run one typed line: a command, or the number of a button in the last reply."""
        stripped = text.strip()
        from_button = stripped.isdigit() and 1 <= int(stripped) <= len(self.buttons) and not stripped.startswith("#")
        if from_button:
            text = self.buttons[int(stripped) - 1].command
        request = Request(
            actor=self.actor,
            text=text,
            surface=Surface.CONSOLE,
            conversation=self.conversation,
            from_button=from_button,
        )
        return self.core.handle(request)

    def say(self, text: str) -> None:
        """Handle a line and print the reply (and, in the demo, what the bot sent on its own because of it)."""
        words = text.split(maxsplit=1)
        if self.clock is not None and words and words[0].lower() == "tick":
            print(self.clock.tick(words[1] if len(words) > 1 else ""), file=self.out)
            print(file=self.out)
            return
        reply = self.ask(text)
        rendered = render(reply)
        self.buttons = rendered.buttons or self.buttons
        print(rendered.text, file=self.out)
        if reply.attachment is not None:
            path = (self.files or Path.cwd()) / Path(reply.attachment.name).name
            path.write_bytes(reply.attachment.data)
            print(f"Saved {path}", file=self.out)
        if self.clock is not None:
            if text.strip().lower() == "help":
                from adapters.console_clock import TICK_HELP

                print(f"In the demo: {TICK_HELP}.", file=self.out)
            sent = self.clock.deliver()
            if sent:
                print(file=self.out)
                print(sent, file=self.out)
        print(file=self.out)

    def run(self, lines: Iterable[str] | None = None, *, interactive: bool | None = None) -> None:
        """Read commands until end of input (or ``quit``)."""
        source = sys.stdin if lines is None else lines
        if interactive is None:
            interactive = lines is None and sys.stdin.isatty()
        if interactive:
            self._interactive()
            return
        for line in source:
            if not line.strip():
                continue
            if line.strip().lower() in QUIT_WORDS:
                break
            print(f"> {clean(line.rstrip())}", file=self.out)
            self.say(line)

    def _interactive(self) -> None:
        print("Type a command (`help` lists them), a button's number, or `quit`.", file=self.out)
        while True:
            try:
                line = input(f"{self.actor.display_name}> ")
            except (EOFError, KeyboardInterrupt):
                print(file=self.out)
                return
            if line.strip().lower() in QUIT_WORDS:
                return
            if line.strip():
                self.say(line)
