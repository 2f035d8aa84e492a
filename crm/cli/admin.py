"""`crm demo`, `backup`, `db` and `completion`: the database and the shell around it."""

from __future__ import annotations

import click

from crm import dates
from crm.cli.common import store_of
from crm.errors import CrmError


@click.command("demo")
@click.pass_context
def demo_command(ctx: click.Context) -> None:
    """Load a fictional network of alumni with two months of history (empty database only)."""
    from crm.demo import load_demo

    with store_of(ctx).write() as session:
        summary = load_demo(session=session, today=dates.today())
    click.echo(summary)


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.pass_context
def backup_command(ctx: click.Context, path: str | None) -> None:
    """Copy the database safely to PATH (default: beside it), even while crm is running."""
    from pathlib import Path

    from crm.store.db import HEAD_REVISION, backup_database, manual_backup_path

    store = store_of(ctx)
    if store.url is not None:
        raise CrmError(
            f"{store.location} is a PostgreSQL database: back it up with its server's pg_dump, or copy it into a"
            " SQLite file with `crm db copy`"
        )
    store.open()  # opens and migrates, so the copy is of a current database
    destination = Path(path) if path else manual_backup_path(store.path)
    # Written under a temporary name, checked (PRAGMA quick_check), then renamed: "Backed up" means a whole copy.
    written = backup_database(store.path, revision=HEAD_REVISION, destination=destination)
    click.echo(f"Backed up {store.path} to {written}")


@click.group("db", no_args_is_help=True)
def db_group() -> None:
    """Database schema: show or upgrade it; copy a database between SQLite and PostgreSQL."""


@db_group.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Show the database's schema revision."""
    from crm.store.db import HEAD_REVISION, check_database_path, is_newer_revision, schema_revision, url_revision

    store = store_of(ctx)
    if store.url is not None:
        path, revision = store.location, url_revision(store.url)  # the URL's password masked
    else:
        path = store.checked_path()
        if not check_database_path(path):  # refuses folders, devices, FIFOs... before opening anything
            raise CrmError(f"{path} does not exist yet: any crm command creates it")
        revision = schema_revision(path)
    if revision == HEAD_REVISION:
        click.echo(f"{revision} (head) {path}")
    elif is_newer_revision(revision):  # `crm db upgrade` would refuse it: only a newer crm can open it
        click.echo(
            f"{revision} (made by a newer crm: upgrade crm; this one knows schemas up to {HEAD_REVISION}) {path}"
        )
    else:
        click.echo(f"{revision or 'empty'} (head is {HEAD_REVISION}: run `crm db upgrade`) {path}")


@db_group.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Upgrade the database schema to the newest revision (a SQLite file is backed up first)."""
    from crm.store.db import HEAD_REVISION, prepare, upgrade_database, upgrade_url

    store = store_of(ctx)
    if store.url is not None:  # one transaction: a failure leaves it as it was (no copy is made first)
        upgrade_url(store.url)
        click.echo(f"{store.location} is at schema {HEAD_REVISION} (head)")
        return
    path = store.checked_path()
    prepare(path, create_folder=store.create_folder, upgrade=False)
    backup = upgrade_database(path)  # under the write lock: waits for any other crm, backs up, migrates
    note = f" (backup: {backup})" if backup else ""
    click.echo(f"{path} is at schema {HEAD_REVISION} (head){note}")


@db_group.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DST")
def db_copy(source: str, destination: str) -> None:
    """Copy a whole crm database into an empty one: a SQLite file into a postgresql:// URL, or back.

    Lossless (every table, through the same JSON as `crm export json` and `crm restore`): the copy shows the same
    contacts, history and follow-ups. DST must be empty or new; nothing is written to it otherwise.
    """
    from crm.formats.archive import copy_database
    from crm.store.store import Store

    source_store, target_store = Store.from_option(source), Store.from_option(destination)
    try:
        summary = copy_database(source_store, target_store)
    finally:
        source_store.close()
        target_store.close()
    click.echo(f"Copied {summary} from {source_store.location} to {target_store.location}")


SHELLS = ("bash", "zsh", "fish")


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion_command(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (commands, options, contact names).

    Install it with, e.g., `crm completion bash >> ~/.bashrc` (zsh: ~/.zshrc;
    fish: `crm completion fish > ~/.config/fish/completions/crm.fish`).
    """
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)(ctx.find_root().command, {}, "crm", "_CRM_COMPLETE")
    click.echo(completion.source())
