"""The README's command table, generated from the commands themselves so the two cannot drift.

`python -m crm.cli.docs` rewrites the table in README.md; a test fails when it is stale.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

START, END = "<!-- commands:start -->", "<!-- commands:end -->"


def _leaves(group: click.Group, ctx: click.Context) -> Iterator[tuple[click.Context, click.Command]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        sub_ctx = click.Context(command, info_name=name, parent=ctx)
        if isinstance(command, click.Group):
            yield from _leaves(command, sub_ctx)
        else:
            yield sub_ctx, command


def _usage(ctx: click.Context, command: click.Command) -> str:
    pieces = [ctx.command_path]
    for param in command.get_params(ctx):
        if not param.expose_value:  # --help
            continue
        if isinstance(param, click.Argument):
            pieces.append(param.make_metavar(ctx) if hasattr(param, "make_metavar") else param.human_readable_name)
        else:
            flag = max(param.opts, key=len)
            shown = flag if param.is_flag or param.count else f"{flag} {param.make_metavar(ctx)}"
            pieces.append(shown if param.required else f"[{shown}]")
    return " ".join(pieces).replace("|", "\\|")


def command_table() -> str:
    from crm.cli import cli

    root = click.Context(cli, info_name="crm")
    rows = ["| command | what it does |", "|---|---|"]
    for ctx, command in _leaves(cli, root):
        summary = command.get_short_help_str(limit=200).replace("|", "\\|")
        rows.append(f"| `{_usage(ctx, command)}` | {summary} |")
    return "\n".join(rows)


def render_readme(text: str) -> str:
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{command_table()}\n{END}{after}"


def main() -> None:
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    readme.write_text(render_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
