"""What every command shares: the store, dates, JSON, the CONTACT argument (with completion), contact fields."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import click

from crm import dates
from crm.cli.output import to_json


def store_of(ctx: click.Context):
    """The command's Store (opened on first use, closed when the command ends)."""
    return ctx.find_root().obj


def echo_json(data) -> None:
    click.echo(to_json(data))


def optional_date(text: str | None, *, today: dt.date, facing: dates.Facing = None) -> dt.date | None:
    """The date an option gave, read the way the option faces (`--date` of a chat: the past; a follow-up: ahead)."""
    return None if text is None else dates.parse_date(text, today=today, facing=facing)


def complete_contact(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    """Contact names for shell completion; nothing (never an error) when the database is not there yet."""
    from click.shell_completion import CompletionItem

    from crm.contacts.reads import names_like
    from crm.store.store import Store

    store = Store.from_option(ctx.find_root().params.get("db"))
    if store.path is not None and not store.path.is_file():  # (None: a PostgreSQL URL)
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
    return click.argument(name, metavar="CONTACT", shell_complete=complete_contact)


CONTACT_HELP = "CONTACT is an id, an email, a LinkedIn URL or part of a name."

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def next_line(contact) -> str:
    if contact.next_follow_up is None:
        return f"Next for {contact.name}: nothing scheduled"
    return f"Next for {contact.name}: {contact.next_follow_up.isoformat()} -- {contact.next_follow_up_reason}"
