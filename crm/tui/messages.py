"""What screens and widgets tell the app: small dataclasses, posted up and handled by the app (posting's style)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.message import Message

ContactAction = Literal["open", "log", "done", "snooze", "draft", "edit", "add_hook", "merge", "prep", "forget"]


@dataclass
class ContactActionRequested(Message):
    """The user asked for `action` on a contact (a key on its row, a palette command); the app carries it out."""

    action: ContactAction
    contact_id: int


@dataclass
class DataChanged(Message):
    """Something was written: the screen in front reloads now, the others when they are shown again."""


@dataclass
class PromiseDoneRequested(Message):
    """`x` on a promise in This week: mark that promise kept (not the contact's own follow-up)."""

    promise_id: int
