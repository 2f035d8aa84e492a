"""What screens and widgets tell the app: small messages, posted up and handled by the app (posting's style).

Plain classes with an __init__, as Textual's own messages are: a dataclass apiece cost the app's start-up its
definitions (this module loads before the first paint).
"""

from __future__ import annotations

from typing import Literal

from textual.message import Message

ContactAction = Literal["open", "log", "done", "snooze", "draft", "edit", "add_hook", "merge", "prep", "forget"]


class ContactActionRequested(Message):
    """The user asked for `action` on a contact (a key on its row, a palette command); the app carries it out."""

    def __init__(self, action: ContactAction, contact_id: int) -> None:
        super().__init__()
        self.action = action
        self.contact_id = contact_id


class DataChanged(Message):
    """Something was written: the screen in front reloads now, the others when they are shown again."""


class PromiseDoneRequested(Message):
    """`x` on a promise in This week: mark that promise kept (not the contact's own follow-up)."""

    def __init__(self, promise_id: int) -> None:
        super().__init__()
        self.promise_id = promise_id
