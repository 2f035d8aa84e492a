"""`crm export` (ics, vcard, csv, json) and `crm restore`: leaving with all your data, and coming back with it.

Every file written goes through crm.store.files: 0600, atomic, never through a symlink. `-` is stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

import click

from crm import dates
from crm.cli.common import store_of
from crm.errors import CrmError

FORMATS = ("ics", "vcard", "csv", "json")


def _complete_format(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    from click.shell_completion import CompletionItem

    return [CompletionItem(name) for name in FORMATS if name.startswith(incomplete.lower())]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@contextmanager
def _output(path: str) -> Iterator[BinaryIO]:
    """PATH opened privately (checked and created before any work is done), or stdout for '-'."""
    if path != "-":
        from crm.store.files import open_private

        with open_private(path) as handle:
            yield handle
        return
    from crm.display import ExactBytes

    # A machine format, byte for byte: past crm.cli.main's filter that makes control characters visible (and
    # past click.echo, which would strip escape codes).
    out = ExactBytes(sys.stdout)
    yield out
    out.flush()


@click.command("export")
@click.argument("fmt", metavar="(ics|vcard|csv|json)", shell_complete=_complete_format)
@click.argument("path", metavar="PATH")
@click.pass_context
def export_command(ctx: click.Context, fmt: str, path: str) -> None:
    """Export to PATH: ics (follow-ups as to-dos), vcard (a folder, one card per contact), csv or json (everything).

    \b
    ics    one VTODO per scheduled follow-up, for calendar and to-do apps
    vcard  PATH is a folder (created 0700 if missing): one vCard 3.0 file per contact, for vdir address books
    csv    one row per contact with last interaction and next follow-up, safe to open in a spreadsheet
    json   every table, lossless: `crm restore` reads it back into an empty database

    Files are written readable by you only (0600), atomically, and never through a symbolic link.
    For ics, csv and json, PATH '-' writes to stdout.
    """
    kind = fmt.lower()
    if kind not in FORMATS:
        raise CrmError(f"cannot export {fmt!r}: choose one of {', '.join(FORMATS)}")
    if kind == "vcard":
        _export_vcard(ctx, path)
        return
    with _output(path) as out:  # a bad path is reported before the database is opened
        data, summary = _export_data(store_of(ctx), kind)
        out.write(data)
    if path != "-":
        click.echo(f"Wrote {summary} to {path}")


def _export_data(store, kind: str) -> tuple[bytes, str]:
    if kind == "ics":
        from crm.followups.reads import due_items
        from crm.formats.ics import follow_ups_to_ics

        items = due_items(store.reader, today=dates.today(), through=None)
        return follow_ups_to_ics(items), _plural(len(items), "follow-up")
    if kind == "csv":
        from crm.formats.contacts_csv import contacts_csv

        data, count = contacts_csv(store.reader, today=dates.today())
        return data, _plural(count, "contact")

    from crm.formats.archive import counts, dumps, export_archive
    from crm.store.settings import load_settings

    with store.open().orm() as session:
        archive = export_archive(session, settings=load_settings().follow_up())
    return dumps(archive), counts(archive)


def _export_vcard(ctx: click.Context, path: str) -> None:
    from crm.formats.vcard import export_cards, uid_namespace
    from crm.store.db import raw_connection
    from crm.store.files import check_folder_target, make_private_folder, write_private

    if path == "-":
        raise CrmError("vcard exports to a folder, one file per contact: give a folder path, not '-'")
    folder = check_folder_target(path)
    created = make_private_folder(folder)  # before the database is touched: a folder that cannot be made stops here
    try:
        with store_of(ctx).write() as session:  # the UID namespace is made on the first export
            conn = raw_connection(session)
            cards = export_cards(conn, uid_namespace(conn))
    except BaseException:
        if created:
            folder.rmdir()
        raise
    for name, data in cards:
        write_private(folder / name, data)
    click.echo(f"Wrote {_plural(len(cards), 'vCard')} to {folder}")


@click.command("restore")
@click.argument("file", metavar="FILE.json")
@click.pass_context
def restore_command(ctx: click.Context, file: str) -> None:
    """Restore a `crm export json` file into an empty database ('-' reads stdin).

    Everything comes back as it was: profile, projects, contacts, tags, hooks, interactions, drafts and the
    follow-up schedule; the search index is rebuilt as rows go in. A database that holds anything, a file
    written by a newer crm, or a file that does not check out (the first bad place is named, e.g.
    contacts[3].email) exits 2 with nothing written.
    """
    from pathlib import Path

    from crm.formats.archive import counts, loads, restore_archive, validate

    if file == "-":
        raw, source = _read_stdin(), "stdin"
    else:
        source = file
        try:
            raw = Path(file).read_bytes()
        except FileNotFoundError:
            raise CrmError(f"{file} does not exist: give a file made by `crm export json`") from None
        except IsADirectoryError:
            raise CrmError(f"{file} is a folder: give a file made by `crm export json`") from None
        except OSError as exc:
            raise CrmError(f"cannot read {file} ({exc.strerror}): give a file made by `crm export json`") from None
    data = loads(raw, source=source)
    archive = validate(data, source=source)
    store = store_of(ctx)
    with store.write() as session:
        restore_archive(session, archive, target=store.location)
    click.echo(f"Restored {counts(data)} from {source} into {store.location}")


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
