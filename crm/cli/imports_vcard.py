"""`crm import vcard PATH`: contacts from an address book (a .vcf file, one card or many, or a folder of them)."""

from __future__ import annotations

import click

from crm import dates
from crm.cli.common import store_of


class _DryRun(Exception):
    """Raised inside the write transaction to roll a dry run back."""


@click.command("vcard")
@click.argument("path", metavar="PATH")
@click.option("--dry-run", is_flag=True, help="Print what the import would do; write nothing.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag everyone in the file; repeat for several.")
@click.pass_context
def vcard_command(ctx: click.Context, path: str, dry_run: bool, tags: tuple[str, ...]) -> None:
    """Import contacts from vCards (PATH: a .vcf file, one card or many, a folder of them, or '-' for stdin).

    vCard 2.1, 3.0 and 4.0. Someone already in crm (same LinkedIn URL, else email, else name and company) only
    gains the fields they lack; everyone else is added. Cards that cannot be read are listed with their file
    and line and skipped; the rest are imported in one transaction.
    """
    from crm.contacts.fields import normalize_tag
    from crm.formats.vcard import import_people, read_data, read_path

    for tag in tags:
        normalize_tag(tag)  # a bad --tag is reported before the files are read
    if path == "-":
        import sys

        stream = getattr(sys.stdin, "buffer", None)
        files = read_data(stream.read() if stream is not None else sys.stdin.read().encode("utf-8"))
    else:
        files = read_path(path)
    summary = None
    try:
        with store_of(ctx).write() as session:
            summary = import_people(session, files, source=path, today=dates.today(), tags=tags)
            if dry_run:
                raise _DryRun
    except _DryRun:
        summary.dry_run = True
    click.echo(summary.text())
