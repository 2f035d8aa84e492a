"""`crm contact`, `crm hook`, `crm log` and `crm search`: the people, what I know of them, what happened."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable

import click

from crm import dates
from crm.cli.common import (
    CONTACT_HELP,
    complete_contact,
    contact_argument,
    echo_json,
    json_option,
    next_line,
    optional_date,
    store_of,
)
from crm.cli.output import table
from crm.contacts.fields import CONTACT_FIELDS, ContactChanges
from crm.display import position
from crm.errors import CrmError


def contact_field_options(command: Callable) -> Callable:
    """--email, --company, ... for every editable field (crm.contacts.fields), plus --introduced-by and --tag."""
    options = [click.option(f.option, f.name, metavar="TEXT", help=f.help) for f in CONTACT_FIELDS]
    options += [
        click.option(
            "--introduced-by", "introduced_by", metavar="CONTACT", help="The contact who introduced you.",
            shell_complete=complete_contact,
        ),
        click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag; repeat for several."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def contact_changes(values: dict, *, untag: tuple[str, ...] = ()) -> ContactChanges:
    """The changes a command was given: every field option by name, tags as lists."""
    fields = {f.name: values.get(f.name) for f in CONTACT_FIELDS}
    return ContactChanges(
        name=values.get("name"),
        introduced_by=values.get("introduced_by"),
        add_tags=list(values.get("tags") or ()),
        remove_tags=list(untag),
        **fields,
    )


def read_stdin_text(what: str) -> str:
    """All of stdin as UTF-8 text; CrmError (nothing written) when its bytes are not UTF-8."""
    refused = f"{what}: stdin is not UTF-8 text"
    raw = getattr(sys.stdin, "buffer", None)
    if raw is not None:
        data = raw.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            bad = f"byte {error.start + 1} is {data[error.start]:#04x}"
            raise CrmError(f"{refused} ({bad}): save it as UTF-8") from None
    text = sys.stdin.read()
    try:  # already text (a test's stream, or a C locale's surrogateescape, where bytes that are not UTF-8 arrive
        text.encode("utf-8")  # as lone surrogates, which cannot be stored)
    except UnicodeEncodeError:
        raise CrmError(f"{refused}: save it as UTF-8") from None
    return text


@click.group("contact", no_args_is_help=True)
def contact_group() -> None:
    """Add, edit, find and list the people in your network."""


@contact_group.command("add")
@click.argument("name")
@contact_field_options
@click.pass_context
def contact_add(ctx: click.Context, **values) -> None:
    """Add a contact called NAME."""
    from crm.contacts.duplicates import duplicate_warning, likely_duplicates
    from crm.contacts.writes import create_contact

    store = store_of(ctx)
    with store.write() as session:
        contact = create_contact(session=session, changes=contact_changes(values), today=dates.today())
    click.echo(f"Added #{contact.id} {contact.name}" + (f" ({contact.company})" if contact.company else ""))
    # Added all the same (namesakes exist, and a script adding people must not stop on one), but said at once,
    # with the merge that undoes it: otherwise the second record is found only when the name stops resolving.
    try:
        alike = likely_duplicates(
            store.reader, name=contact.name, company=contact.company, email=contact.email,
            linkedin_url=contact.linkedin_url, not_id=contact.id,
        )  # fmt: skip
    except Exception as error:  # the add is committed: a failed look must not turn it into an error exit
        click.echo(f"crm: warning: added, but could not look for duplicates ({type(error).__name__})", err=True)
        return
    if alike:
        click.echo(f"crm: warning: {duplicate_warning(contact.name, alike, new_id=contact.id)}", err=True)


@contact_group.command("edit", epilog=CONTACT_HELP)
@contact_argument()
@click.option("--name", help="A new name.")
@contact_field_options
@click.option("--untag", multiple=True, metavar="TAG", help="Remove a tag; repeatable.")
@click.pass_context
def contact_edit(ctx: click.Context, contact: str, untag: tuple[str, ...], **values) -> None:
    """Change a contact's fields ('' clears one); --tag adds tags, --untag removes them."""
    from crm.contacts.writes import edit_contact, resolve_contact

    with store_of(ctx).write() as session:
        found = resolve_contact(session, contact)
        edit_contact(session=session, contact=found, changes=contact_changes(values, untag=untag), today=dates.today())
    click.echo(f"Updated #{found.id} {found.name}")


@contact_group.command("archive", epilog=CONTACT_HELP)
@contact_argument()
@click.option("--undo", is_flag=True, help="Bring an archived contact back.")
@click.pass_context
def contact_archive(ctx: click.Context, contact: str, undo: bool) -> None:
    """Archive a contact: kept, but never due and hidden from lists."""
    from crm.contacts.writes import archive_contact, resolve_contact

    with store_of(ctx).write() as session:
        found = resolve_contact(session, contact)
        archive_contact(session=session, contact=found, archived=not undo)
    click.echo(f"{'Restored' if undo else 'Archived'} #{found.id} {found.name}")


@contact_group.command("forget", epilog=CONTACT_HELP)
@contact_argument()
@click.option("--yes", is_flag=True, help="Confirm: this deletes their whole history.")
@json_option
@click.pass_context
def contact_forget(ctx: click.Context, contact: str, yes: bool, as_json: bool) -> None:
    """Delete a contact and all their history, leaving no copy in the database files."""
    from crm.contacts.reads import contact_name, resolve_contact_id
    from crm.contacts.writes import forget

    store = store_of(ctx)
    contact_id = resolve_contact_id(store.reader, contact)
    if not yes:
        name = contact_name(store.reader, contact_id)
        raise CrmError(f"this deletes {name} (#{contact_id}) and all their history: add --yes to confirm")
    forgotten = forget(store, contact_id)
    if as_json:
        echo_json(forgotten.as_json())
    else:
        click.echo("\n".join(forgotten.report()))


@contact_group.command("show", epilog=CONTACT_HELP)
@contact_argument()
@json_option
@click.pass_context
def contact_show(ctx: click.Context, contact: str, as_json: bool) -> None:
    """Show a contact: profile, hooks and timeline (newest first)."""
    from crm.contacts.reads import contact_details, resolve_contact_id

    reader = store_of(ctx).reader
    data = contact_details(reader, resolve_contact_id(reader, contact), today=dates.today())
    if as_json:
        echo_json(data)
    else:
        click.echo(format_contact(data))


def format_contact(data: dict) -> str:
    title = f"#{data['id']} {data['name']}"
    where = ", ".join(position(data["role"], data["team"], data["company"]))
    lines = [title + (f" -- {where}" if where else "") + (" [archived]" if data["archived"] else "")]
    school = " ".join(str(x) for x in (data["school"], data["program"], data["grad_year"]) if x)
    facts = [
        ("stage", data["stage"]),
        ("email", data["email"]),
        ("linkedin", data["linkedin_url"]),
        ("school", school),
        ("location", data["location"]),
        ("source", _source(data)),
        ("introduced by", data["introduced_by"] and data["introduced_by"]["name"]),
        (
            "warm path",
            " -> ".join(step["name"] for step in data.get("path") or []) if len(data.get("path") or []) > 1 else None,
        ),
        ("cadence", data["cadence"]),
        ("next follow-up", data["next_follow_up"]),
        ("tags", ", ".join(data["tags"])),
        ("notes", data["notes"]),
    ]
    lines += [_entry("  ", label, value) for label, value in facts if value]
    if data["hooks"]:
        lines.append("Hooks:")
        for hook in data["hooks"]:
            extra = " ".join(x for x in (hook["date"], hook["url"]) if x)
            lines.append(f"  - {hook['text']}" + (f" ({extra})" if extra else ""))
            if hook.get("question"):
                lines.append(f"      asks: {hook['question']}")
    if data.get("promises"):
        lines.append("Open promises:")
        lines += [f"  {promise_line(p)}" for p in data["promises"]]
    lines.append("Timeline:" if data["interactions"] else "Timeline: nothing logged yet")
    for item in data["interactions"]:
        head = f"  {item['date']}  {item['kind']}"
        if item["intro_to"]:
            head += f" -> {item['intro_to']['name']}"
        lines.append(head)
        for label in ("notes", "takeaways", "advice", "next_step"):
            if item.get(label):
                lines.append(_entry("      ", label.replace("_", " "), item[label]))
        if item.get("suggested"):
            lines.append(f"      suggested: {', '.join(item['suggested'])}")
    return "\n".join(lines)


def _source(data: dict) -> str | None:
    """'LinkedIn (connected Jan 8, 2018)': where they came from and since when."""
    if not data.get("source_date"):
        return data["source"]
    day = dates.short_date(dt.date.fromisoformat(str(data["source_date"])[:10]), today=dates.today())
    return f"{data['source'] or 'source'} (connected {day})"


def promise_line(promise: dict) -> str:
    """'#5 due 2026-11-27: send the analysis'; the id is what `crm done CONTACT --promise ID` takes."""
    if promise["id"] is None:
        return f"next step of the chat on {promise['noted_on']}: {promise['text']} (open until you next write)"
    when = f"due {promise['due']}" if promise["due"] else "no date"
    return f"#{promise['id']} {when}: {promise['text']}"


def _entry(indent: str, label: str, value) -> str:
    """`label: value`, with a multi-line value's later lines indented under its first, not at the margin."""
    first, *rest = str(value).splitlines() or [""]
    under = "\n" + indent + " " * (len(label) + 2)
    return f"{indent}{label}: {first}" + "".join(under + line for line in rest)


@contact_group.command("list")
@click.option("--search", metavar="Q", help="Match name, company, team, role, email, tags or hooks.")
@click.option("--tag", metavar="TAG", help="Only contacts with this tag.")
@click.option("--archived", is_flag=True, help="Include archived contacts.")
@click.option(
    "--duplicates", is_flag=True,
    help="Suggest likely duplicates to merge: same LinkedIn URL or email, or a similar name at the same company.",
)  # fmt: skip
@json_option
@click.pass_context
def contact_list(
    ctx: click.Context, search: str | None, tag: str | None, archived: bool, duplicates: bool, as_json: bool
) -> None:
    """List contacts (archived ones only with --archived); --duplicates lists likely duplicates to merge instead."""
    from crm.contacts.reads import contacts_json, list_contacts

    if duplicates:
        if search or tag:
            raise CrmError("--duplicates looks at everyone: leave out --search and --tag")
        print_duplicates(store_of(ctx).reader, include_archived=archived, as_json=as_json)
        return
    reader, today = store_of(ctx).reader, dates.today()
    if as_json and not search and not sys.stdout.isatty():  # piped: SQLite's own JSON, as it comes
        click.echo("[" + ",".join(contacts_json(reader, today=today, tag=tag, include_archived=archived)) + "]")
        return
    rows = list_contacts(reader, today=today, search=search, tag=tag, include_archived=archived)
    if as_json:
        echo_json(rows)
    elif not rows:
        click.echo("No contacts match." if (search or tag) else "No contacts yet: crm contact add NAME, or crm demo")
    else:
        headers = ["id", "name", "company", "team", "stage", "last", "next"]
        keys = ["id", "name", "company", "team", "stage", "last_interaction", "next_follow_up"]
        # --archived lists everyone: the archived say so, as in `contact show` (the JSON has "archived" already).
        click.echo(table(headers, [[_listed_name(row) if k == "name" else row[k] for k in keys] for row in rows]))


def _listed_name(row: dict) -> str:
    return f"{row['name']} [archived]" if row.get("archived") else row["name"]


def print_duplicates(reader, *, include_archived: bool, as_json: bool) -> None:
    """`contact list --duplicates`: each suggested pair, why, and the command that merges it; in a club, after them,
    the pairs the user cannot merge either way (the JSON lists only merges that work)."""
    from crm.contacts.duplicates import look_for_duplicates

    duplicates = look_for_duplicates(reader, include_archived=include_archived)
    found, apart = duplicates.suggestions, duplicates.unmergeable
    if as_json:
        echo_json([s.as_json() for s in found])
        return
    if not found and not apart:
        click.echo("No likely duplicates.")
    if found:
        rows = [[f"#{s.keep.id} {s.keep.name}", f"#{s.other.id} {s.other.name}", s.reason, s.score, s.command]
                for s in found]  # fmt: skip
        click.echo(table(["keep", "merge away", "why", "score", "command"], rows))
        count = len(found)
        click.echo(f"{count} suggestion{'s' if count != 1 else ''}: check each, then run its command.")
    if apart:
        click.echo(
            "Likely the same person, but other club members have both records in their networks, so you cannot"
            " merge them either way (keep both):"
        )
        click.echo("\n".join(f"  #{s.keep.id} {s.keep.name} and #{s.other.id} {s.other.name}: {s.reason}"
                              for s in apart))  # fmt: skip


@contact_group.command("merge", epilog=CONTACT_HELP.replace("CONTACT is", "KEEP and OTHER are each"))
@click.argument("keep", metavar="KEEP", shell_complete=complete_contact)
@click.argument("other", metavar="OTHER", shell_complete=complete_contact)
@click.option("--dry-run", "dry_run", is_flag=True, help="Show what would happen; write nothing.")
@click.pass_context
def contact_merge(ctx: click.Context, keep: str, other: str, dry_run: bool) -> None:
    """Merge OTHER into KEEP (one person twice): OTHER's history, hooks, drafts, tags and fields move to KEEP
    (KEEP's values win; OTHER's conflicting ones go into KEEP's notes), then OTHER is deleted."""
    from crm.contacts.merge import merge_contacts, plan_merge
    from crm.contacts.reads import resolve_contact_id

    store = store_of(ctx)
    if dry_run:
        reader = store.reader
        plan = plan_merge(reader, resolve_contact_id(reader, keep), resolve_contact_id(reader, other))
        click.echo(f"Would merge {plan.other.label} into {plan.keep.label}:")
        click.echo("\n".join(plan.summary()))
        click.echo(f"Would then delete {plan.other.label} (dry run: nothing was written)")
        return
    from crm.contacts.writes import resolve_contact

    with store.write() as session:
        kept, merged = resolve_contact(session, keep), resolve_contact(session, other)
        plan = merge_contacts(session=session, keep=kept, other=merged)
    click.echo(f"Merged {plan.other.label} into {plan.keep.label}:")
    click.echo("\n".join(plan.summary()))
    click.echo(f"Deleted {plan.other.label}\n" + next_line(kept))


@click.group("hook", no_args_is_help=True)
def hook_group() -> None:
    """Research about a contact to cite in a message."""


@hook_group.command("add", epilog=CONTACT_HELP)
@contact_argument()
@click.argument("text")
@click.option("--url", metavar="URL", help="Where it is.")
@click.option("--date", metavar="DATE", help="When it was published.")
@click.option("--question", metavar="TEXT", help="The question it inspires: a first message citing this hook asks it.")
@click.pass_context
def hook_add(
    ctx: click.Context, contact: str, text: str, url: str | None, date: str | None, question: str | None
) -> None:
    """Add a research hook (TEXT, a noun phrase: 'post on reducing playlist-loading latency') to cite."""
    from crm.contacts.hooks import add_hook
    from crm.contacts.writes import resolve_contact

    when = optional_date(date, today=dates.today(), facing="past")
    with store_of(ctx).write() as session:
        found = resolve_contact(session, contact)
        add_hook(session=session, contact=found, text=text, url=url, date=when, question=question)
    click.echo(f"Added a hook for {found.name}")


LOG_HELP = (
    CONTACT_HELP
    + "\n\nAfter a chat: --advice is what they advised; --suggested 'NAME[, COMPANY]' (repeatable) notes someone they"
    " suggested you talk to, and --add-suggested makes each a contact introduced by CONTACT (an existing contact"
    " with exactly that name is linked instead). --promise 'TEXT @DATE' (repeatable; the date is optional) records"
    " a promise: a dated one is due on its date in `crm due` and the app's This week, an undated one is listed"
    " under the contact; `crm done CONTACT --promise ID` marks one kept. A next step with a date (--next-step-due,"
    " or a plain 'by Friday' / 'by Dec 3' at its end) is a promise too. A 'by' date is read only when it names one"
    " day for sure ('by next Friday' or 'by 3/12' stay text)."
)


@click.command("log", epilog=LOG_HELP)
@contact_argument()
@click.option("--kind", required=True, metavar="KIND", help="message, reply, chat, intro, referral or note.")
@click.option("--date", metavar="DATE", help="When it happened (default today).")
@click.option("--notes", help="Notes; '-' reads them from stdin.")
@click.option("--takeaways", help="What you learned.")
@click.option("--advice", metavar="TEXT", help="Advice they gave you.")
@click.option(
    "--suggested", "suggested", multiple=True, metavar="'NAME[, COMPANY]'",
    help="Someone they suggested you talk to; repeat for several.",
)  # fmt: skip
@click.option(
    "--add-suggested", "add_suggested", is_flag=True,
    help="Add each --suggested person as a contact introduced by CONTACT (or link the existing one).",
)  # fmt: skip
@click.option("--next-step", "next_step", help="What happens next ('send the deck by Friday' is due Friday).")
@click.option(
    "--next-step-due", "next_step_due", metavar="DATE", help="When the next step is due: it becomes a promise."
)  # fmt: skip
@click.option(
    "--promise", "promises", multiple=True, metavar="'TEXT[ @DATE]'",
    help="Something you promised ('send the skip-rate analysis @fri'); repeat for several.",
)  # fmt: skip
@click.option("--follow-up", "follow_up", metavar="DATE", help="An explicit follow-up date (wins over the rules).")
@click.option("--intro-to", "intro_to", metavar="NAME", help="With --kind intro: who they introduced you to.")
@click.pass_context
def log_command(
    ctx: click.Context,
    contact: str,
    kind: str,
    date: str | None,
    notes: str | None,
    takeaways: str | None,
    advice: str | None,
    suggested: tuple[str, ...],
    add_suggested: bool,
    next_step: str | None,
    next_step_due: str | None,
    promises: tuple[str, ...],
    follow_up: str | None,
    intro_to: str | None,
) -> None:
    """Log an interaction: a message, a reply, a coffee chat, an intro, a referral or a note."""
    from crm.contacts.interactions import read_suggested, record_interaction
    from crm.contacts.writes import resolve_contact

    today = dates.today()
    when = optional_date(date, today=today, facing="past") or today
    follow = optional_date(follow_up, today=today, facing="future")
    step_due = optional_date(next_step_due, today=today, facing="future")
    if add_suggested and not suggested:
        raise CrmError("--add-suggested adds the --suggested people: name at least one with --suggested 'NAME'")
    people = [read_suggested(text, add=add_suggested) for text in suggested]
    if notes == "-":
        notes = read_stdin_text("--notes -")
    with store_of(ctx).write() as session:
        found = resolve_contact(session, contact)
        logged = record_interaction(
            session=session,
            contact=found,
            kind=kind,
            date=when,
            today=today,
            notes=notes,
            takeaways=takeaways,
            next_step=next_step,
            next_step_due=step_due,
            follow_up=follow,
            intro_to=intro_to,
            advice=advice,
            suggested=people,
            promises=promises,
        )
        interaction, target = logged.interaction, logged.intro_to
    message = f"Logged {interaction.kind} with {found.name} on {interaction.date.isoformat()}"
    if target:
        message += f"; {target.name} (#{target.id}) is introduced by {found.name}"
        if logged.intro_typed:
            message += f" (linked for {logged.intro_typed!r}: the same name, accents aside)"
    click.echo(message)
    for promise in logged.promises:
        when_due = f"due {dates.weekday_date(promise.due, today=today)}" if promise.due else "no date"
        kept = f"crm done {found.id} --promise {promise.id}"
        click.echo(f"Promise #{promise.id}: {promise.text}, {when_due} (once kept: {kept})")
    noted = [o.suggested.label for o in logged.suggested if o.outcome == "noted"]
    for outcome in logged.suggested:
        person = outcome.contact
        if outcome.outcome == "added":
            click.echo(f"Added #{person.id} {outcome.suggested.label}, introduced by {found.name}")
        elif outcome.outcome == "linked":
            click.echo(f"Linked #{person.id} {person.name}: introduced by {found.name}")
        elif person is not None:
            click.echo(f"#{person.id} {person.name} is {outcome.outcome}: left as it is")
    if noted:
        click.echo(f"Suggested: {', '.join(noted)} (--add-suggested adds them as contacts introduced by {found.name})")
    click.echo(next_line(found))
    if target:
        click.echo(next_line(target))
