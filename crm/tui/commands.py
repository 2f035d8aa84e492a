"""The command palette's contacts: 'Go to contact: NAME' for everyone, fuzzy-matched, case and accents ignored
("soren" finds Søren Kjær, as every lookup by name does: crm.store.dialect.fold_accents)."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content, Span

from crm.contacts.reads import contact_names
from crm.store.dialect import fold_accents
from crm.tui.context import context_of
from crm.tui.messages import ContactActionRequested

HITS_SHOWN = 30


class ContactsProvider(Provider):
    """Contacts come up as you type (an empty palette lists the app's actions, not hundreds of people)."""

    async def startup(self) -> None:
        # Each text folded once here, not on every keystroke.
        self.contacts = [
            (contact_id, text, fold_accents(text), company)
            for contact_id, name, company in contact_names(context_of(self.app).reader)
            for text in (f"Go to contact: {name}",)
        ]

    def _open(self, contact_id: int) -> None:
        self.app.post_message(ContactActionRequested("open", contact_id))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold_accents(query))
        wanted = [char for char in fold_accents(query) if not char.isspace()]
        scored = []
        for contact_id, text, folded, company in self.contacts:
            if not _has_in_order(folded, wanted):
                continue  # the fuzzy matcher is slower; most of 10k names fail this cheap test
            score = matcher.match(folded)
            if score > 0:
                scored.append((score, text, folded, contact_id, company))
        # Only the best few are worth drawing (highlighting thousands of hits is what makes a palette lag).
        scored.sort(key=lambda hit: hit[0], reverse=True)
        for score, text, folded, contact_id, company in scored[:HITS_SHOWN]:
            shown = _highlight(matcher, text, folded)
            yield Hit(score, shown, partial(self._open, contact_id), text=text, help=company)


def _highlight(matcher, text: str, folded: str) -> Content:
    """`text` with the letters matched in its folded twin marked: each folded letter marks the letter it came from
    ("soren" marks the 'ø' of "Søren", "kjae" the 'æ' of "Kjær")."""
    source = [index for index, char in enumerate(text) for _ in fold_accents(char)]
    if len(source) != len(folded):  # folded letter by letter, the text would differ: left unmarked
        return Content(text)
    marked = {source[span.start]: span.style for span in matcher.highlight(folded).spans if span.end > span.start}
    return Content(text, spans=[Span(index, index + 1, style) for index, style in sorted(marked.items())])


def _has_in_order(text: str, chars: list[str]) -> bool:
    rest = iter(text)
    return all(char in rest for char in chars)
