"""`crm check`, `crm draft` and `crm template`: tailored messages, checked before they go."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crm import dates
from crm.cli.common import CONTACT_HELP, contact_argument, echo_json, json_option, next_line, store_of
from crm.cli.output import format_check, table
from crm.errors import CrmError
from crm.outreach.text import DEFAULT_MAX_WORDS


@click.command("check")
@click.argument("file", required=False, metavar="[FILE|-]")
@click.option(
    "--max-words", type=int, metavar="N", default=DEFAULT_MAX_WORDS, show_default=True, help="The length limit."
)
@click.option(
    "--contact",
    metavar="CONTACT",
    help="Also check it cites something of this contact's (and, on a club's database, that the club has not"
    " written to them too often lately).",
)
@json_option
@click.pass_context
def check_command(ctx: click.Context, file: str | None, max_words: int, contact: str | None, as_json: bool) -> None:
    """Check a message (FILE, or '-' or nothing for stdin): length, no referral ask, no placeholders,
    one question, no filler. Exits 1 on a problem."""
    from crm.outreach.checks import check_message

    text = read_message(file)
    if max_words < 1:
        raise CrmError(f"--max-words {max_words} must be at least 1")
    if contact is not None:
        from crm.contacts.reads import resolve_contact_id
        from crm.outreach.drafts import check_draft

        store = store_of(ctx)
        contact_id = resolve_contact_id(store.reader, contact)
        result = check_draft(store.reader, contact_id, text, max_words)
        if store.dialect == "postgresql":  # the club's fatigue guard: SQLite neither imports nor queries it
            from crm.club.fatigue import store_fatigue, with_fatigue

            club = store_fatigue(store, [contact_id], today=dates.today())
            if club is not None:
                result = with_fatigue(result, club[contact_id], text)
    else:
        result = check_message(text, max_words=max_words)
    if as_json:
        echo_json(result.as_json())
    else:
        click.echo(format_check(text, result))
    if not result.ok:
        ctx.exit(1)


def read_message(file: str | None) -> str:
    if file in (None, "-"):
        if file is None and sys.stdin.isatty():
            raise CrmError("give the message as a FILE, or pipe it in: crm check - < draft.txt")
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CrmError(f"{file} does not exist: give the path of a text file, or - for stdin") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CrmError(f"{file} cannot be read as text ({exc})") from None


@click.command("draft", epilog=CONTACT_HELP)
@contact_argument()
@click.option("--template", help="Template name (default: the one that fits what is due; see crm template list).")
@click.option("--project", help="Which of your projects to cite.")
@click.option("--question", help="The one question to ask.")
@json_option
@click.option(
    "--send", is_flag=True, help="Mark it sent: store it and log the message (schedules the nudge). crm sends no mail."
)
@click.option("--saved", is_flag=True, help="Print the drafts you saved for them (newest first), instead of drafting.")
@click.pass_context
def draft_command(
    ctx: click.Context,
    contact: str,
    template: str | None,
    project: str | None,
    question: str | None,
    as_json: bool,
    send: bool,
    saved: bool,
) -> None:
    """Draft a message from a template and check it (exit 1 if a check fails; --send marks only a passing one sent)."""
    from crm.contacts.reads import resolve_contact_id

    store = store_of(ctx)
    if (template or saved) and not send:  # shows and writes no follow-up date: no need to load settings to check them
        store.open(schedule=False)
    contact_id = resolve_contact_id(store.reader, contact)
    if saved:
        if send or template or project or question:
            raise CrmError(
                "--saved lists the drafts you saved: it takes no --send, --template, --project or --question"
            )
        show_saved(store.reader, contact_id, as_json=as_json)
        return
    from crm.outreach.drafts import draft_message, first_message_refusal
    from crm.outreach.render import load_template

    if template is None or send:  # what is due picks the template (and names the one that fits, refusing a send)
        from crm.followups.reads import fitting_template

        template = template or fitting_template(store.reader, contact_id)
    if send and (refusal := first_message_refusal(store.reader, contact_id, load_template(template))):
        raise CrmError(f"{refusal} (--template {fitting_template(store.reader, contact_id)})")
    result = draft_message(store.reader, contact_id, template_name=template, project_name=project, question=question)
    club, cold = None, False
    if store.dialect == "postgresql":  # who else in the club wrote to them lately: SQLite neither imports nor queries
        from dataclasses import replace

        from crm.club.fatigue import store_fatigue, with_fatigue, writes_cold

        found = store_fatigue(store, [contact_id], today=dates.today())
        club = None if found is None else found[contact_id]
        cold = writes_cold(result.template)
        if club is not None:  # over the limit, the same `fatigue` problem as `crm check --contact`: --send refuses
            result = replace(result, check=with_fatigue(result.check, club, result.text, cold=cold))
    sent = None
    if send and result.check.ok:
        from crm.outreach.drafts import send_draft

        with store.write() as session:
            sent = send_draft(session, result, today=dates.today())
    if as_json:
        echo_json(result.as_json() | (club.as_json(dates.today(), cold=cold) if club is not None else {}))
    else:
        if club is not None and cold and (note := club.note(dates.today())):
            click.echo(f"Club: {note}.\n")
        click.echo(result.text + "\n\n" + format_check(result.text, result.check))
        if sent is not None:
            click.echo(f"Marked sent: logged a message to {sent.name}. {next_line(sent)}")
        elif send and {p.check for p in result.check.problems} == {"fatigue"}:
            click.echo(f"Not sent: the club has written to {result.contact.name} enough lately (see fatigue above).")
        elif send:
            click.echo("Not sent: fix the problems above (edit the template, --question or --project).")
    if not result.check.ok:
        ctx.exit(1)


def show_saved(reader, contact_id: int, *, as_json: bool) -> None:
    """Every draft stored for the contact, newest first: those not yet sent, then (marked) the ones sent."""
    from crm.contacts.reads import contact_name
    from crm.outreach.drafts import saved_drafts

    drafts = saved_drafts(reader, contact_id, unsent_only=False)
    if as_json:
        echo_json([draft.as_json() for draft in drafts])
        return
    if not drafts:
        click.echo(
            f"No saved drafts for {contact_name(reader, contact_id)}: save one with ctrl+s in the app's draft screen."
        )
        return
    blocks = []
    for draft in drafts:
        state = f"sent {draft.sent_on.isoformat()}" if draft.sent_on else "not sent"
        saved_on = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
        blocks.append(
            f"#{draft.id} · {draft.template} · {draft.words} words · saved {saved_on} · {state}\n{draft.text}"
        )
    click.echo("\n\n".join(blocks))


@click.group("template", no_args_is_help=True)
def template_group() -> None:
    """Message templates (built-in and your own)."""


@template_group.command("list")
@json_option
def template_list(as_json: bool) -> None:
    """List templates: name, kind, word limit, built-in or yours, description.

    A template file that cannot be used (bad front matter, say) is left out and named on stderr with its reason;
    the others are listed, and the exit code is 0: the list is right, and drafting with any of them works.
    """
    from crm.outreach.render import survey_templates

    templates, problems = survey_templates()
    rows = [
        {"name": t.name, "kind": t.kind, "max_words": t.max_words, "source": t.source, "description": t.description}
        for t in templates
    ]
    if as_json:
        echo_json(rows)
    else:
        keys = ["name", "kind", "max_words", "source", "description"]
        click.echo(table(keys, [[r[k] for k in keys] for r in rows]))
    for problem in problems:
        click.echo(f"crm: warning: template {problem.name} is left out: {problem.reason}; fix or remove it", err=True)
