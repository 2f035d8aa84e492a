"""What every command shares: the store, dates, JSON, the CONTACT argument (with completion), contact fields."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import click

from crm import dates
from crm.cli.output import to_json
from crm.contacts.fields import CONTACT_FIELDS, ContactChanges


def store_of(ctx: click.Context):
    """The command's Store (opened on first use, closed when the command ends)."""
    return ctx.find_root().obj


def echo_json(data) -> None:
    click.echo(to_json(data))


def optional_date(text: str | None, *, today: dt.date) -> dt.date | None:
    return None if text is None else dates.parse_date(text, today=today)


def _complete_contact(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """Contact names for shell completion; nothing (never an error) when the database is not there yet."""
    from click.shell_completion import CompletionItem

    from crm.contacts.reads import names_like
    from crm.store.store import Store

    store = Store.from_option(ctx.find_root().params.get("db"))
    if not store.path.is_file():
        return []
    # bash inserts a completion as typed, so a space must come escaped to stay one argument; zsh and fish quote
    bash = os.environ.get("_CRM_COMPLETE", "").startswith("bash")
    try:
        return [
            CompletionItem(name.replace(" ", "\\ ") if bash else name) for name in names_like(store.reader, incomplete)
        ]
    except Exception:  # completion must never print a traceback into the user's prompt
        return []
    finally:
        store.close()


def contact_argument(name: str = "contact") -> Callable:
    return click.argument(name, metavar="CONTACT", shell_complete=_complete_contact)


CONTACT_HELP = "CONTACT is an id, an email, a LinkedIn URL or part of a name."

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def contact_field_options(command: Callable) -> Callable:
    """--email, --company, ... for every editable field (crm.contacts.fields), plus --introduced-by and --tag."""
    options = [click.option(f.option, f.name, metavar="TEXT", help=f.help) for f in CONTACT_FIELDS]
    options += [
        click.option(
            "--introduced-by", "introduced_by", metavar="CONTACT", help="The contact who introduced you.",
            shell_complete=_complete_contact,
        ),
        click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag; repeat for several."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def contact_changes(values: dict, *, untag: tuple[str, ...] = ()) -> ContactChanges:
    """The changes a command was given: every field option by name, tags as lists."""
    fields = {f.name: values.get(f.name) for f in CONTACT_FIELDS}
    return ContactChanges(
        name=values.get("name"),
        introduced_by=values.get("introduced_by"),
        add_tags=list(values.get("tags") or ()),
        remove_tags=list(untag),
        **fields,
    )


def next_line(contact) -> str:
    if contact.next_follow_up is None:
        return f"Next for {contact.name}: nothing scheduled"
    return f"Next for {contact.name}: {contact.next_follow_up.isoformat()} -- {contact.next_follow_up_reason}"
