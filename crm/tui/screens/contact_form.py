"""Add or edit a contact: one form for both, prefilled when editing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.app import ComposeResult

from crm.contacts.fields import (
    CONTACT_FIELDS,
    ContactChanges,
    normalize_email,
    normalize_linkedin,
    normalize_tag,
    parse_grad_year,
)
from crm.errors import CrmError
from crm.followups.cadence import parse_cadence
from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import FormField

# (field id, label, placeholder); the id is the ContactChanges attribute with '-' for '_'. The contact's own
# fields come from their one declaration (crm.contacts.fields); the form adds its name, introducer and tags.
NAME = ("name", "Name", "Maya Chen")
INTRODUCED_BY = ("introduced-by", "Introduced by", "a contact's name, email or #id")
TAGS = ("tags", "Tags", "mit, podcasts (comma-separated)")


def _form_fields() -> tuple[tuple[str, str, str], ...]:
    fields = [NAME]
    for field in CONTACT_FIELDS:
        if field.name == "cadence":
            fields.append(INTRODUCED_BY)  # how they came to you, before how often you keep in touch
        elif field.name == "notes":
            fields.append(TAGS)
        fields.append((field.name.replace("_", "-"), field.label, field.example))
    return tuple(fields)


FIELDS = _form_fields()

# Checks that need no database, run as the user leaves the form, so each message sits under its field.
# The domain repeats them (and adds the ones that do need the store) when saving.
_CHECKS: dict[str, Callable[[str, dt.date], object]] = {
    "email": lambda text, today: normalize_email(text),
    "linkedin-url": lambda text, today: normalize_linkedin(text),
    "grad-year": lambda text, today: parse_grad_year(text, today=today),
    "cadence": lambda text, today: parse_cadence(text),
    "tags": lambda text, today: [normalize_tag(tag) for tag in split_tags(text)],
}


def split_tags(text: str) -> list[str]:
    return [tag.strip() for tag in text.replace(";", ",").split(",") if tag.strip()]


def initial_values(details: dict) -> dict[str, str]:
    """Form values for a contact as `crm.contacts.reads.contact_details` returns it."""
    values = {}
    for field_id, _, _ in FIELDS:
        key = field_id.replace("-", "_")
        if field_id == "tags":
            values[field_id] = ", ".join(details.get("tags") or [])
        elif field_id == "introduced-by":
            introducer = details.get("introduced_by")
            values[field_id] = f"#{introducer['id']}" if introducer else ""
        else:
            value = details.get(key)
            values[field_id] = "" if value is None else str(value)
    return values


class ContactFormModal(FormModal[int]):
    """Returns the id of the contact saved (None when cancelled); `save` does the write.

    `look_alike`, when adding, says who the person may already be (crm.contacts.duplicates.duplicate_warning's line) or
    None: then the first save writes nothing and shows it, and saving again with the same name, company, email and
    LinkedIn URL adds them anyway (namesakes exist), as `crm contact add` adds them with a warning.
    """

    DEFAULT_CSS = """
    ContactFormModal FormField {
        margin-bottom: 0;
    }
    """

    def __init__(
        self,
        *,
        today: dt.date,
        save: Callable[[ContactChanges], int],
        initial: dict[str, str] | None = None,
        title: str = "Add a contact",
        look_alike: Callable[[ContactChanges], str | None] | None = None,
    ) -> None:
        super().__init__(title, save=save if look_alike is None else self._save_unless_alike)
        self.today = today
        self.initial = initial or {}
        self._write = save
        self._look_alike = look_alike
        self._warned_for: tuple | None = None

    def _save_unless_alike(self, changes: ContactChanges) -> int:
        who = (changes.name, changes.company, changes.email, changes.linkedin_url)
        if self._look_alike is not None and (changes.name or "").strip() and who != self._warned_for:
            warning = self._look_alike(changes)
            if warning:
                self._warned_for = who
                raise CrmError(f"{warning} Save again to add them anyway, or Esc to go back.")
        return self._write(changes)

    def compose_fields(self) -> ComposeResult:
        for field_id, label, placeholder in FIELDS:
            yield FormField(
                label,
                id=field_id,
                value=self.initial.get(field_id, ""),
                placeholder=placeholder,
                required=field_id == "name",
            )

    def on_mount(self) -> None:
        self.query_one("#name", FormField).focus()

    def on_descendant_blur(self, event) -> None:
        field = next((node for node in event.widget.ancestors if isinstance(node, FormField)), None)
        if field is not None:
            self._check(field)

    def _check(self, field: FormField) -> bool:
        text = field.value.strip()
        if field.id == "name" and not text:
            field.show_error("a contact needs a name")
            return False
        check = _CHECKS.get(field.id or "")
        if text and check is not None:
            try:
                check(text, self.today)
            except CrmError as err:
                field.show_error(str(err))
                return False
        field.clear_message()
        return True

    def collect(self) -> ContactChanges | None:
        fields = {field.id: field for field in self.query(FormField)}
        if not all([self._check(field) for field in fields.values()]):
            return None
        changes = ContactChanges()
        for field_id, field in fields.items():
            text = field.value.strip()
            if text == self.initial.get(field_id, "").strip():
                continue  # unchanged: leave it alone (an edit must not rewrite what it did not touch)
            if field_id == "tags":
                before = set(split_tags(self.initial.get("tags", "")))
                after = set(split_tags(text))
                changes.add_tags = sorted(after - before)
                changes.remove_tags = sorted(before - after)
            else:
                setattr(changes, field_id.replace("-", "_"), text)
        if changes.name is None and not self.initial:
            changes.name = ""
        return changes
