"""`crm club`: share one PostgreSQL database with a club, each member as their own role (crm.club)."""

from __future__ import annotations

import sys

import click

from crm.cli.common import echo_json, store_of
from crm.errors import CrmError


def _club_url(ctx: click.Context) -> str:
    store = store_of(ctx)
    if store.url is None:
        store.checked_path()  # a URL crm refuses, or a folder: its own one-line reason first
        raise CrmError(
            f"{store.location} is a SQLite file: a club shares a PostgreSQL database (--db postgresql://...)"
        )
    return store.url


@click.group("club", no_args_is_help=True)
def club_group() -> None:
    """Share alumni research with a club on one PostgreSQL database; notes stay private to each member."""


@club_group.command("init")
@click.option(
    "--group",
    default=None,
    help="The member group role to create (or an empty NOLOGIN role made for this club) [default: crm_member].",
)
@click.pass_context
def club_init(ctx: click.Context, group: str | None) -> None:
    """Make this PostgreSQL database a club's (run once, as the role that owns it and may create roles).

    Migrates it to crm's newest schema first; then, in one transaction, shares contacts, hooks and touches and
    makes everything else private to each member (row-level security). Run again by the club's admin on a club
    made by an older crm, it brings the club's rules up to date.
    """
    from crm.club.schema import init_club

    url = _club_url(ctx)
    done, group, repaired = init_club(url, group=group)
    where = store_of(ctx).location
    if done == "made":
        click.echo(
            f"{where} is a club database; its members are the roles in {group}: add each with "
            "`crm club add-member NAME`"
        )
    elif done == "updated":
        moved = ""
        if repaired:  # used up by a member under the older rules: nobody could insert into their tables
            n = len(repaired)
            moved = f", and {n} id sequence{'s' * (n > 1)} a member had used up ({', '.join(repaired)}) moved back"
        click.echo(f"{where} is a club database: its rules (touches, sharing, ids) are brought up to this crm's{moved}")
    else:
        click.echo(f"{where} is a club database and its rules are this crm's already: nothing to do")


@club_group.command("add-member")
@click.argument("name")
@click.pass_context
def club_add_member(ctx: click.Context, name: str) -> None:
    """Create a login role NAME in the club's member group (admin only).

    The password is read from stdin when it is not a terminal (`printf '%s\\n' "$PW" | crm club add-member sam`),
    else asked for twice; never from the command line, where other users' `ps` would see it.
    """
    from crm.club.members import add_member, name_problem

    url = _club_url(ctx)
    problem = name_problem(name)  # before asking for a password
    if problem is not None:
        raise CrmError(problem)
    if sys.stdin.isatty():
        password = click.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    group = add_member(url, name, password)
    click.echo(f"Added {name} to {group}: they use --db with their own role, e.g. postgresql://{name}:...@host/db")


@club_group.command("members")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def club_members(ctx: click.Context, as_json: bool) -> None:
    """List the club's members (the login roles in its member group)."""
    from crm.club.members import members

    names = members(_club_url(ctx))
    if as_json:
        echo_json(names)
        return
    if not names:
        click.echo("No members yet: add one with `crm club add-member NAME`")
    for name in names:
        click.echo(name)
