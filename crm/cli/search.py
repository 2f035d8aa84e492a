"""`crm search`: the full text of every note, in a module of its own so the command loads nothing else of the CLI."""

from __future__ import annotations

import sys

import click

from crm.cli.common import echo_json, json_option, store_of
from crm.display import RESET, YELLOW
from crm.errors import CrmError


@click.command("search")
@click.argument("text")
@click.option("--limit", default=20, metavar="N", show_default=True, help="At most this many results.")
@json_option
@click.pass_context
def search_command(ctx: click.Context, text: str, limit: int, as_json: bool) -> None:
    """Search the full text of notes, takeaways, next steps, advice, suggested names and hooks (best match first)."""
    from crm.search import MARK_END, MARK_START, search_notes

    if limit < 1:
        raise CrmError(f"--limit {limit} must be at least 1")
    hits = search_notes(store_of(ctx).open(schedule=False).reader, text, limit=limit)  # shows no dates
    if as_json:
        echo_json([hit.as_json() for hit in hits])
        return
    if not hits:
        click.echo(f"Nothing matches {text!r} in notes, takeaways, next steps, advice, suggested names or hooks.")
        return
    color = sys.stdout.isatty()
    for hit in hits:
        who = f"#{hit.contact_id} {hit.name}" + (f" ({hit.company})" if hit.company else "")
        when = f" {hit.date}" if hit.date else ""
        snippet = hit.snippet
        if color:
            snippet = snippet.replace(MARK_START, YELLOW).replace(MARK_END, RESET)
        click.echo(f"{who} · {hit.source}{when}\n    {snippet}")
