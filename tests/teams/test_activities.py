"""The pure translation of a Teams message's text and mentions into what the grammar reads."""

from __future__ import annotations

import pytest

from adapters.teams.activities import Mention, command_text

BOT = Mention("<at>actionbot</at>", "28:bot", "actionbot")
DEB = Mention("<at>Deb Poole</at>", "29:deb", "Deb Poole", "aad-deb")
DEB_FIRST, DEB_LAST = Mention("<at>Deb</at>", "29:deb", "Deb Poole"), Mention("<at>Poole</at>", "29:deb", "Deb Poole")
OTHER_DEB = Mention("<at>Deb Poole</at>", "29:deb2", "Deb Poole", "aad-deb2")


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        ("<at>actionbot</at> mine", [BOT], "mine"),
        ("\r\nmine <at>actionbot</at>\r\n", [BOT], "mine"),
        ("<at>actionbot</at> link <at>Deb Poole</at> Deb Poole", [BOT, DEB], "link <@aad-deb> Deb Poole"),
        ("link <at>Deb</at> <at>Poole</at> Deb Poole", [DEB_FIRST, DEB_LAST], "link <@aad-from-lookup> Deb Poole"),
        ("note 4 ask <at>Deb Poole</at> and <at>Deb Poole</at>", [DEB, OTHER_DEB],
         "note 4 ask <@aad-deb> and <@aad-deb2>"),
        ("note 4 <at>Everyone</at> look", [], "note 4 <at>Everyone</at> look"),  # typed, not a mention
        ("overdue <at>Deb</at>", [Mention("<at>Deb</at>", "29:gone", "Deb")], "overdue Deb"),  # unresolved
    ],
)
def test_command_text(text: str, mentions: list[Mention], expected: str) -> None:
    assert command_text(text, mentions, "28:bot", {"29:deb": "aad-from-lookup"}) == expected
