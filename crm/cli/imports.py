"""`crm import`: bring people in from other tools (LinkedIn's Connections.csv, vCards), one importer per format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crm import dates
from crm.cli import LazyGroup
from crm.cli.common import store_of

# One line per importer: name -> "module:command". Each loads only when it runs, so one format's
# dependencies never slow another's import.
IMPORTERS = {
    "linkedin": "crm.cli.imports:linkedin_command",
    "vcard": "crm.cli.imports_vcard:vcard_command",
}

PROGRESS_FROM_ROWS = 2000  # smaller files finish before a bar would be worth drawing


@click.group("import", cls=LazyGroup, lazy_commands=IMPORTERS, no_args_is_help=True)
def import_group() -> None:
    """Import contacts from other tools; re-importing updates, never duplicates."""


@click.command("linkedin")
@click.argument("file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--dry-run", "dry_run", is_flag=True, help="Print what the import would do; write nothing.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag everyone in the file; repeat for several.")
@click.pass_context
def linkedin_command(ctx: click.Context, file: Path, dry_run: bool, tags: tuple[str, ...]) -> None:
    """Import LinkedIn's Connections.csv: adds new people, updates company and role, logs job changes as notes."""
    from crm.formats.linkedin import apply_import, preview_import, read_export

    export = read_export(file)  # a file that is not this CSV stops here, before the database is opened
    today = dates.today()
    store = store_of(ctx)
    with _progress(len(export.connections)) as progress:
        if dry_run:
            summary = preview_import(store.reader, export, today=today, tags=tags, progress=progress)
        else:
            with store.write() as session:
                summary = apply_import(session=session, export=export, today=today, tags=tags, progress=progress)
    click.echo(summary.text())
    if dry_run:
        click.echo("Dry run: nothing was written.")


class _progress:
    """A progress bar on stderr for a large file at a terminal; nothing when stderr is piped or redirected."""

    def __init__(self, rows: int) -> None:
        self.bar = None
        if rows >= PROGRESS_FROM_ROWS and sys.stderr.isatty():
            self.bar = click.progressbar(length=rows, label="Importing", file=sys.stderr)
        self.shown = 0

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        return self.update

    def update(self, done: int, _total: int) -> None:
        self.bar.update(done - self.shown)
        self.shown = done

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
