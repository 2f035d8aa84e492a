"""`crm me` and `crm project`: the profile and shipped projects that drafts cite."""

from __future__ import annotations

import click

from crm.cli.common import echo_json, json_option, store_of
from crm.cli.output import table


@click.command("me")
@click.option("--name", help="Your name.")
@click.option("--school", help="Your school, e.g. MIT.")
@click.option("--year", help="Your year, e.g. junior or 2027.")
@click.option("--major", help="Your major, e.g. 'Course 6'.")
@click.option("--target", help="Target role/company, e.g. 'PM at Spotify'.")
@json_option
@click.pass_context
def me_command(ctx: click.Context, as_json: bool, **values: str | None) -> None:
    """Show your profile, or set parts of it."""
    from crm import profile

    store = store_of(ctx)
    if any(v is not None for v in values.values()):
        with store.write() as session:
            me = profile.update_me(session=session, **values)
    else:
        with store.orm() as session:
            me = profile.get_me(session)
    data = {key: getattr(me, key) for key in profile.ME_FIELDS}
    if as_json:
        echo_json(data)
    else:
        click.echo("\n".join(f"{key:>7}: {value or '-'}" for key, value in data.items()))


@click.group("project", no_args_is_help=True)
def project_group() -> None:
    """Projects you shipped, with measured results to cite."""


@project_group.command("add")
@click.argument("name")
@click.option("--result", required=True, help="The measured result: 'cut load time from 3.2s to 1.4s'.")
@click.option("--description", help="One line on what it is.")
@click.pass_context
def project_add(ctx: click.Context, name: str, result: str, description: str | None) -> None:
    """Add a project you shipped (NAME), with its measured result."""
    from crm import profile

    with store_of(ctx).write() as session:
        project = profile.add_project(session=session, name=name, result=result, description=description)
    click.echo(f"Added project #{project.id} {project.name}: {project.result}")


@project_group.command("list")
@json_option
@click.pass_context
def project_list(ctx: click.Context, as_json: bool) -> None:
    """List your projects."""
    from crm import profile

    with store_of(ctx).orm() as session:
        projects = profile.list_projects(session)
    data = [{"id": p.id, "name": p.name, "description": p.description, "result": p.result} for p in projects]
    if as_json:
        echo_json(data)
    elif not data:
        click.echo("No projects yet: crm project add NAME --result 'what it achieved, with a number'")
    else:
        keys = ["id", "name", "result", "description"]
        click.echo(table(keys, [[d[k] for k in keys] for d in data]))
