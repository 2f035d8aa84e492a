"""The command palette's contacts: 'Go to contact: NAME' for everyone, fuzzy-matched."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider

from crm.contacts.reads import contact_names
from crm.tui.context import context_of
from crm.tui.messages import ContactActionRequested

HITS_SHOWN = 30


class ContactsProvider(Provider):
    """Contacts come up as you type (an empty palette lists the app's actions, not hundreds of people)."""

    async def startup(self) -> None:
        self.contacts = contact_names(context_of(self.app).reader)

    def _open(self, contact_id: int) -> None:
        self.app.post_message(ContactActionRequested("open", contact_id))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        wanted = [char for char in query.lower() if not char.isspace()]
        scored = []
        for contact_id, name, company in self.contacts:
            text = f"Go to contact: {name}"
            if not _has_in_order(text.lower(), wanted):
                continue  # the fuzzy matcher is slower; most of 10k names fail this cheap test
            score = matcher.match(text)
            if score > 0:
                scored.append((score, text, contact_id, company))
        # Only the best few are worth drawing (highlighting thousands of hits is what makes a palette lag).
        scored.sort(key=lambda hit: hit[0], reverse=True)
        for score, text, contact_id, company in scored[:HITS_SHOWN]:
            yield Hit(score, matcher.highlight(text), partial(self._open, contact_id), text=text, help=company)


def _has_in_order(text: str, chars: list[str]) -> bool:
    rest = iter(text)
    return all(char in rest for char in chars)
