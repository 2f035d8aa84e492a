"""The `crm` command line: a thin Typer layer over the domain modules."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from crm import dates
from crm.cli.output import table, to_json
from crm.errors import CrmError

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm.contacts.writes import ContactChanges
    from crm.models import Contact

# Domain modules are imported inside the commands that use them: read-only commands run on
# plain sqlite3 and never load the ORM, so `crm due` and `crm contact list` start fast.

app = typer.Typer(
    name="crm",
    help="A personal networking CRM and outreach assistant for the terminal.",
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
contact_app = typer.Typer(help="Add, edit, find and list the people in your network.", no_args_is_help=True)
project_app = typer.Typer(help="Projects you shipped, with measured results to cite.", no_args_is_help=True)
hook_app = typer.Typer(help="Research about a contact to cite in a message.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema: show or upgrade it.", no_args_is_help=True)
app.add_typer(contact_app, name="contact")
app.add_typer(project_app, name="project")
app.add_typer(hook_app, name="hook")
app.add_typer(db_app, name="db")


class Store:
    """The database a command works on, opened (created, migrated, schedule current) when first needed."""

    def __init__(self, db: Path | None) -> None:
        from crm.store.paths import resolve_db_path

        self.path, chosen = resolve_db_path(db)
        self.create_folder = not chosen
        self._conn: sqlite3.Connection | None = None
        self._engine = None

    @property
    def conn(self) -> sqlite3.Connection:
        """A plain sqlite3 connection for read-only queries."""
        if self._conn is None:
            from crm.followups.reads import ensure_current
            from crm.store.db import connect, prepare

            prepare(self.path, create_folder=self.create_folder)
            self._conn = connect(self.path)
            ensure_current(self.path, self._conn)
        return self._conn

    @property
    def engine(self):
        if self._engine is None:
            from crm.store.db import make_engine

            self.conn  # noqa: B018  (prepares the file and the schedule first)
            self._engine = make_engine(self.path)
        return self._engine

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction: committed at the end, rolled back on any error."""
        from crm.store.db import write_session

        with write_session(self.engine) as session:
            yield session

    @contextmanager
    def orm(self) -> Iterator[Session]:
        """A read-only ORM session, for reads that are not on a hot path."""
        from crm.store.db import read_session

        with read_session(self.engine) as session:
            yield session


def _store(ctx: typer.Context) -> Store:
    return ctx.find_root().obj


def _date(text: str | None, *, today: dt.date) -> dt.date | None:
    return None if text is None else dates.parse_date(text, today=today)


def _echo_json(data) -> None:
    typer.echo(to_json(data))


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[Path],
        typer.Option("--db", help="Database file (default: $CRM_DB, else the user data dir).", show_default=False),
    ] = None,
) -> None:
    """A personal networking CRM: log coffee chats, draft first messages, see whose follow-up is due."""
    ctx.obj = Store(db)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        _home(ctx.obj)


def _home(store: Store) -> None:
    """The TUI at a terminal; piped or redirected, this week's follow-ups (or how to start) as text."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from crm.tui import run_tui

        run_tui(store.path, create_folder=store.create_folder)
        return
    if store.conn.execute("SELECT 1 FROM contact LIMIT 1").fetchone() is None:
        typer.echo(
            "Your network is empty. Start with one of:\n"
            "  crm demo                      load fictional sample alumni to explore\n"
            "  crm contact add 'Maya Chen' --company Spotify --team Personalization\n"
            "  crm me --name 'Your Name' --school MIT --year junior --major 'Course 6'"
        )
        return
    _print_due(store, window="week", days=None)


# ---------------------------------------------------------------- me & projects


@app.command("me")
def me_command(
    ctx: typer.Context,
    name: Annotated[Optional[str], typer.Option(help="Your name.")] = None,
    school: Annotated[Optional[str], typer.Option(help="Your school, e.g. MIT.")] = None,
    year: Annotated[Optional[str], typer.Option(help="Your year, e.g. junior or 2027.")] = None,
    major: Annotated[Optional[str], typer.Option(help="Your major, e.g. 'Course 6'.")] = None,
    target: Annotated[Optional[str], typer.Option(help="Target role/company, e.g. 'PM at Spotify'.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False,
) -> None:
    """Show your profile, or set parts of it."""
    from crm import profile

    values = {"name": name, "school": school, "year": year, "major": major, "target": target}
    store = _store(ctx)
    if any(v is not None for v in values.values()):
        with store.write() as session:
            me = profile.update_me(session=session, **values)
    else:
        with store.orm() as session:
            me = profile.get_me(session)
    data = {key: getattr(me, key) for key in profile.ME_FIELDS}
    if as_json:
        _echo_json(data)
    else:
        typer.echo("\n".join(f"{key:>7}: {value or '-'}" for key, value in data.items()))


@project_app.command("add")
def project_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Short project name.")],
    result: Annotated[str, typer.Option("--result", help="The measured result: 'cut load time from 3.2s to 1.4s'.")],
    description: Annotated[Optional[str], typer.Option(help="One line on what it is.")] = None,
) -> None:
    """Add a project you shipped, with its measured result."""
    from crm import profile

    with _store(ctx).write() as session:
        project = profile.add_project(session=session, name=name, result=result, description=description)
    typer.echo(f"Added project #{project.id} {project.name}: {project.result}")


@project_app.command("list")
def project_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List your projects."""
    from crm import profile

    with _store(ctx).orm() as session:
        projects = profile.list_projects(session)
    data = [{"id": p.id, "name": p.name, "description": p.description, "result": p.result} for p in projects]
    if as_json:
        _echo_json(data)
    elif not data:
        typer.echo("No projects yet: crm project add NAME --result 'what it achieved, with a number'")
    else:
        typer.echo(
            table(
                ["id", "name", "result", "description"],
                [list(d.values())[:2] + [d["result"], d["description"]] for d in data],
            )
        )


# ---------------------------------------------------------------- contacts

EmailOpt = Annotated[Optional[str], typer.Option("--email", help="Email address.")]
LinkedinOpt = Annotated[Optional[str], typer.Option("--linkedin", help="LinkedIn profile URL.")]
CompanyOpt = Annotated[Optional[str], typer.Option("--company", help="Company, e.g. Spotify.")]
TeamOpt = Annotated[Optional[str], typer.Option("--team", help="Team or squad, e.g. Personalization.")]
RoleOpt = Annotated[Optional[str], typer.Option("--role", help="Role, e.g. 'Senior PM'.")]
SchoolOpt = Annotated[Optional[str], typer.Option("--school", help="School, e.g. MIT.")]
GradYearOpt = Annotated[Optional[str], typer.Option("--grad-year", help="Graduation year, e.g. 2019.")]
ProgramOpt = Annotated[Optional[str], typer.Option("--program", help="Program, e.g. 'Course 6'.")]
LocationOpt = Annotated[Optional[str], typer.Option("--location", help="City or office.")]
SourceOpt = Annotated[Optional[str], typer.Option("--source", help="How you found them.")]
IntroducedByOpt = Annotated[
    Optional[str], typer.Option("--introduced-by", help="The contact who introduced you (CONTACT).")
]
CadenceOpt = Annotated[
    Optional[str], typer.Option("--cadence", help="Keep-in-touch cadence: 'every 4 weeks', monthly, an RRULE...")
]
NotesOpt = Annotated[Optional[str], typer.Option("--notes", help="Free notes about them.")]
TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", help="A tag; repeat for several.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ContactArg = Annotated[str, typer.Argument(help="An id, an email, a LinkedIn URL or part of a name.")]


def _changes(**values) -> ContactChanges:
    from crm.contacts.writes import ContactChanges

    values["add_tags"] = list(values.pop("tag", None) or [])
    values["remove_tags"] = list(values.pop("untag", None) or [])
    values["linkedin_url"] = values.pop("linkedin", None)
    return ContactChanges(**values)


@contact_app.command("add")
def contact_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Their full name.")],
    email: EmailOpt = None,
    linkedin: LinkedinOpt = None,
    company: CompanyOpt = None,
    team: TeamOpt = None,
    role: RoleOpt = None,
    school: SchoolOpt = None,
    grad_year: GradYearOpt = None,
    program: ProgramOpt = None,
    location: LocationOpt = None,
    source: SourceOpt = None,
    introduced_by: IntroducedByOpt = None,
    cadence: CadenceOpt = None,
    notes: NotesOpt = None,
    tag: TagOpt = None,
) -> None:
    """Add a contact."""
    values = dict(locals())
    values.pop("ctx")
    from crm.contacts import writes as contacts_mod

    today = dates.today()
    with _store(ctx).write() as session:
        contact = contacts_mod.create_contact(session=session, changes=_changes(**values), today=today)
    typer.echo(f"Added #{contact.id} {contact.name}" + (f" ({contact.company})" if contact.company else ""))


@contact_app.command("edit")
def contact_edit(
    ctx: typer.Context,
    contact: ContactArg,
    name: Annotated[Optional[str], typer.Option("--name", help="A new name.")] = None,
    email: EmailOpt = None,
    linkedin: LinkedinOpt = None,
    company: CompanyOpt = None,
    team: TeamOpt = None,
    role: RoleOpt = None,
    school: SchoolOpt = None,
    grad_year: GradYearOpt = None,
    program: ProgramOpt = None,
    location: LocationOpt = None,
    source: SourceOpt = None,
    introduced_by: IntroducedByOpt = None,
    cadence: CadenceOpt = None,
    notes: NotesOpt = None,
    tag: TagOpt = None,
    untag: Annotated[Optional[list[str]], typer.Option("--untag", help="Remove a tag; repeatable.")] = None,
) -> None:
    """Change a contact's fields ('' clears one); --tag adds tags, --untag removes them."""
    values = dict(locals())
    query = values.pop("contact")
    values.pop("ctx")
    from crm.contacts import writes as contacts_mod

    today = dates.today()
    with _store(ctx).write() as session:
        found = contacts_mod.resolve_contact(session, query)
        contacts_mod.edit_contact(session=session, contact=found, changes=_changes(**values), today=today)
    typer.echo(f"Updated #{found.id} {found.name}")


@contact_app.command("archive")
def contact_archive(
    ctx: typer.Context,
    contact: ContactArg,
    undo: Annotated[bool, typer.Option("--undo", help="Bring an archived contact back.")] = False,
) -> None:
    """Archive a contact: kept, but never due and hidden from lists."""
    from crm.contacts import writes as contacts_mod

    with _store(ctx).write() as session:
        found = contacts_mod.resolve_contact(session, contact)
        contacts_mod.archive_contact(session=session, contact=found, archived=not undo)
    typer.echo(f"{'Restored' if undo else 'Archived'} #{found.id} {found.name}")


@contact_app.command("forget")
def contact_forget(
    ctx: typer.Context,
    contact: ContactArg,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this deletes their whole history.")] = False,
) -> None:
    """Delete a contact and all their history (hooks, interactions, tags)."""
    from crm.contacts import writes as contacts_mod

    with _store(ctx).write() as session:
        found = contacts_mod.resolve_contact(session, contact)
        if not yes:
            raise CrmError(f"this deletes {found.name} (#{found.id}) and all their history: add --yes to confirm")
        contacts_mod.forget_contact(session=session, contact=found)
    typer.echo(f"Forgot #{found.id} {found.name} and all their history")


@contact_app.command("show")
def contact_show(ctx: typer.Context, contact: ContactArg, as_json: JsonOpt = False) -> None:
    """Show a contact: profile, hooks and timeline (newest first)."""
    from crm.contacts.reads import contact_details, resolve_contact_id

    today = dates.today()
    conn = _store(ctx).conn
    data = contact_details(conn, resolve_contact_id(conn, contact), today=today)
    if as_json:
        _echo_json(data)
        return
    typer.echo(_format_contact(data))


def _format_contact(data: dict) -> str:
    title = f"#{data['id']} {data['name']}"
    where = ", ".join(x for x in (data["role"], data["team"], data["company"]) if x)
    lines = [title + (f" -- {where}" if where else "") + (" [archived]" if data["archived"] else "")]
    school = " ".join(str(x) for x in (data["school"], data["program"], data["grad_year"]) if x)
    facts = [
        ("stage", data["stage"]),
        ("email", data["email"]),
        ("linkedin", data["linkedin_url"]),
        ("school", school),
        ("location", data["location"]),
        ("source", data["source"]),
        ("introduced by", data["introduced_by"] and data["introduced_by"]["name"]),
        ("cadence", data["cadence"]),
        ("next follow-up", data["next_follow_up"]),
        ("tags", ", ".join(data["tags"])),
        ("notes", data["notes"]),
    ]
    lines += [f"  {label}: {value}" for label, value in facts if value]
    if data["hooks"]:
        lines.append("Hooks:")
        for hook in data["hooks"]:
            extra = " ".join(x for x in (hook["date"], hook["url"]) if x)
            lines.append(f"  - {hook['text']}" + (f" ({extra})" if extra else ""))
    lines.append("Timeline:" if data["interactions"] else "Timeline: nothing logged yet")
    for item in data["interactions"]:
        head = f"  {item['date']}  {item['kind']}"
        if item["intro_to"]:
            head += f" -> {item['intro_to']['name']}"
        lines.append(head)
        for label in ("notes", "takeaways", "next_step"):
            if item[label]:
                lines.append(f"      {label.replace('_', ' ')}: {item[label]}")
    return "\n".join(lines)


@contact_app.command("list")
def contact_list(
    ctx: typer.Context,
    search: Annotated[
        Optional[str], typer.Option("--search", help="Match name, company, team, role, email, tags or hooks.")
    ] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="Only contacts with this tag.")] = None,
    archived: Annotated[bool, typer.Option("--archived", help="Include archived contacts.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List contacts (archived ones only with --archived)."""
    from crm.contacts.reads import list_contacts

    rows = list_contacts(_store(ctx).conn, today=dates.today(), search=search, tag=tag, include_archived=archived)
    if as_json:
        _echo_json(rows)
    elif not rows:
        typer.echo("No contacts match." if (search or tag) else "No contacts yet: crm contact add NAME, or crm demo")
    else:
        headers = ["id", "name", "company", "team", "stage", "last", "next"]
        keys = ["id", "name", "company", "team", "stage", "last_interaction", "next_follow_up"]
        typer.echo(table(headers, [[row[k] for k in keys] for row in rows]))


# ---------------------------------------------------------------- hooks & interactions


@hook_app.command("add")
def hook_add(
    ctx: typer.Context,
    contact: ContactArg,
    text: Annotated[
        str, typer.Argument(help="What to cite, as a noun phrase: 'post on reducing playlist-loading latency'.")
    ],
    url: Annotated[Optional[str], typer.Option("--url", help="Where it is.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="When it was published.")] = None,
) -> None:
    """Add a research hook to cite in a first message."""
    from crm.contacts.hooks import add_hook
    from crm.contacts.writes import resolve_contact

    today = dates.today()
    when = _date(date, today=today)
    with _store(ctx).write() as session:
        found = resolve_contact(session, contact)
        add_hook(session=session, contact=found, text=text, url=url, date=when)
    typer.echo(f"Added a hook for {found.name}")


@app.command("log")
def log_command(
    ctx: typer.Context,
    contact: ContactArg,
    kind: Annotated[str, typer.Option("--kind", help="message, reply, chat, intro, referral or note.")],
    date: Annotated[Optional[str], typer.Option("--date", help="When it happened (default today).")] = None,
    notes: Annotated[Optional[str], typer.Option("--notes", help="Notes; '-' reads them from stdin.")] = None,
    takeaways: Annotated[Optional[str], typer.Option("--takeaways", help="What you learned.")] = None,
    next_step: Annotated[Optional[str], typer.Option("--next-step", help="What happens next.")] = None,
    follow_up: Annotated[
        Optional[str], typer.Option("--follow-up", help="An explicit follow-up date (wins over the rules).")
    ] = None,
    intro_to: Annotated[
        Optional[str], typer.Option("--intro-to", help="With --kind intro: who they introduced you to.")
    ] = None,
) -> None:
    """Log an interaction: a message, a reply, a coffee chat, an intro, a referral or a note."""
    from crm.contacts.interactions import log_interaction
    from crm.contacts.writes import resolve_contact
    from crm.models import Contact

    today = dates.today()
    when = _date(date, today=today) or today
    follow = _date(follow_up, today=today)
    if notes == "-":
        notes = sys.stdin.read()
    with _store(ctx).write() as session:
        found = resolve_contact(session, contact)
        interaction = log_interaction(
            session=session,
            contact=found,
            kind=kind,
            date=when,
            today=today,
            notes=notes,
            takeaways=takeaways,
            next_step=next_step,
            follow_up=follow,
            intro_to=intro_to,
        )
        target = interaction.intro_to_id and session.get(Contact, interaction.intro_to_id)
    message = f"Logged {interaction.kind} with {found.name} on {interaction.date.isoformat()}"
    if target:
        message += f"; {target.name} (#{target.id}) is introduced by {found.name}"
    typer.echo(message + "\n" + _next_line(found))
    if target:
        typer.echo(_next_line(target))


def _next_line(contact: Contact) -> str:
    if contact.next_follow_up is None:
        return f"Next for {contact.name}: nothing scheduled"
    return f"Next for {contact.name}: {contact.next_follow_up.isoformat()} -- {contact.next_follow_up_reason}"


# ---------------------------------------------------------------- follow-ups


@app.command("due")
def due_command(
    ctx: typer.Context,
    week: Annotated[bool, typer.Option("--week", help="Overdue plus the rest of this week (the default).")] = False,
    days: Annotated[Optional[int], typer.Option("--days", help="Overdue plus the next N days.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Whose follow-up is due: overdue first, then this week."""
    chosen = [name for name, on in (("--week", week), ("--days", days is not None), ("--overdue", overdue)) if on]
    if len(chosen) > 1:
        raise CrmError(f"choose one of --week, --days N or --overdue, not {' and '.join(chosen)}")
    if days is not None and days < 0:
        raise CrmError(f"--days {days} is negative: use 0 for today, 7 for the coming week")
    window = "overdue" if overdue else "days" if days is not None else "week"
    if as_json:
        items, _ = _due(_store(ctx), window=window, days=days)
        _echo_json([item.as_json() for item in items])
    else:
        _print_due(_store(ctx), window=window, days=days)


def _due(store: Store, *, window: str, days: int | None):
    from crm.followups import reads as agenda
    from crm.store.settings import load_settings

    today = dates.today()
    through = {
        "week": agenda.end_of_week(today, load_settings()) if window == "week" else None,
        "days": today + dt.timedelta(days=days or 0),
        "overdue": None,
    }[window]
    items = agenda.due_items(store.conn, today=today, through=through, overdue_only=window == "overdue")
    return items, through


def _print_due(store: Store, *, window: str, days: int | None) -> None:
    from crm.followups import reads as agenda

    today = dates.today()
    items, through = _due(store, window=window, days=days)
    overdue = [i for i in items if i.overdue]
    due_today = [i for i in items if i.due == today]
    later = [i for i in items if i.due > today]
    sections = [("Overdue", overdue), ("Today", due_today)]
    if through is not None:
        sections.append((f"Later (to {through:%a} {dates.human_date(through, today=today)})", later))
    lines: list[str] = []
    for title, group in sections:
        if not group:
            continue
        lines.append(f"{title}:")
        rows = []
        for item in group:
            late = (today - item.due).days
            when = (
                f"{late} day{'s' if late != 1 else ''} overdue"
                if item.overdue
                else f"{item.due:%a} {item.due:%b} {item.due.day}"
            )
            who = item.name + (f" ({item.company})" if item.company else "")
            rows.append([f"#{item.contact_id}", who, when, item.reason])
        lines.append(table(["", "", "", ""], rows, indent="  "))
    if not items:
        lines.append("Nothing due" + (" this week." if window == "week" else "."))
    if window == "week":
        waiting = agenda.awaiting_reply(store.conn)
        suggestions = agenda.other_alumni_suggestions(store.conn, waiting, today=today)
        if waiting:
            lines.append("Awaiting reply:")
            for person in waiting:
                who = person.name + (f" ({person.company})" if person.company else "")
                lines.append(f"  #{person.contact_id} {who}: messaged {dates.human_date(person.since, today=today)}")
        for text in suggestions:
            lines.append(f"Idea: {text}")
    typer.echo("\n".join(lines))


@app.command("done")
def done_command(ctx: typer.Context, contact: ContactArg) -> None:
    """Mark the current follow-up done; the next comes by the contact's cadence from today."""
    from crm.contacts.writes import resolve_contact
    from crm.followups import writes as schedule

    today = dates.today()
    with _store(ctx).write() as session:
        found = resolve_contact(session, contact)
        schedule.mark_done(session=session, contact=found, today=today)
    typer.echo(f"Done. {_next_line(found)}")


@app.command("snooze", context_settings={"ignore_unknown_options": True})  # so "-3d" reaches the date parser
def snooze_command(
    ctx: typer.Context,
    contact: ContactArg,
    until: Annotated[str, typer.Argument(help="A date, or +Nd / +Nw from today.")],
) -> None:
    """Move a contact's follow-up to a later date."""
    from crm.contacts.writes import resolve_contact
    from crm.followups import writes as schedule

    today = dates.today()
    when = dates.parse_date(until, today=today)
    with _store(ctx).write() as session:
        found = resolve_contact(session, contact)
        schedule.snooze(session=session, contact=found, until=when, today=today)
    typer.echo(f"Snoozed. {_next_line(found)}")


@app.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="ics (follow-ups as to-dos).")],
    path: Annotated[Path, typer.Argument(help="The file to write.")],
) -> None:
    """Export your follow-ups as an iCalendar file of to-dos (VTODO)."""
    from crm.cli.output import write_private
    from crm.followups.reads import due_items

    if fmt.lower() != "ics":
        raise CrmError(f"cannot export {fmt!r} yet: this version exports ics")
    items = due_items(_store(ctx).conn, today=dates.today(), through=None)
    from crm.formats.ics import follow_ups_to_ics

    write_private(path, follow_ups_to_ics(items))
    typer.echo(f"Wrote {len(items)} follow-up{'s' if len(items) != 1 else ''} to {path}")


# ---------------------------------------------------------------- outreach

template_app = typer.Typer(help="Message templates (built-in and your own).", no_args_is_help=True)
app.add_typer(template_app, name="template")


@app.command("check")
def check_command(
    ctx: typer.Context,
    file: Annotated[
        Optional[str], typer.Argument(metavar="[FILE|-]", help="The message; '-' or nothing reads stdin.")
    ] = None,
    max_words: Annotated[int, typer.Option("--max-words", help="The length limit.")] = 100,
    contact: Annotated[
        Optional[str], typer.Option("--contact", help="Also check it cites something of this contact's.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check a message: length, no referral ask, no placeholders, one question, no filler (exit 1 on a problem)."""
    from crm.outreach.checks import check_message

    text = _read_message(file)
    if max_words < 1:
        raise CrmError(f"--max-words {max_words} must be at least 1")
    if contact is not None:
        from crm.contacts.writes import resolve_contact
        from crm.outreach.drafts import check_draft

        with _store(ctx).orm() as session:
            result = check_draft(session, resolve_contact(session, contact), text, max_words)
    else:
        result = check_message(text, max_words=max_words)
    if as_json:
        _echo_json(result.as_json())
    else:
        from crm.cli.output import format_check

        typer.echo(format_check(text, result))
    if not result.ok:
        raise typer.Exit(1)


def _read_message(file: str | None) -> str:
    if file in (None, "-"):
        if file is None and sys.stdin.isatty():
            raise CrmError("give the message as a FILE, or pipe it in: crm check - < draft.txt")
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CrmError(f"{file} does not exist: give the path of a text file, or - for stdin") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CrmError(f"{file} cannot be read as text ({exc})") from None


@app.command("draft")
def draft_command(
    ctx: typer.Context,
    contact: ContactArg,
    template: Annotated[str, typer.Option("--template", help="Template name (see crm template list).")] = (
        "first-message"
    ),
    project: Annotated[Optional[str], typer.Option("--project", help="Which of your projects to cite.")] = None,
    question: Annotated[Optional[str], typer.Option("--question", help="The one question to ask.")] = None,
    as_json: JsonOpt = False,
    send: Annotated[
        bool, typer.Option("--send", help="Store it as sent and log the message (schedules the nudge).")
    ] = False,
) -> None:
    """Draft a message from a template and check it (exit 1 if a check fails; --send only sends a passing draft)."""
    from crm.contacts.writes import resolve_contact
    from crm.outreach.drafts import draft_message, send_draft

    today = dates.today()
    store = _store(ctx)
    with store.write() if send else store.orm() as session:
        found = resolve_contact(session, contact)
        result = draft_message(session, found, template_name=template, project_name=project, question=question)
        if send and result.check.ok:
            send_draft(session, result, today=today)
    if as_json:
        _echo_json(result.as_json())
    else:
        from crm.cli.output import format_check

        typer.echo(result.text + "\n\n" + format_check(result.text, result.check))
        if send and result.check.ok:
            typer.echo(f"Sent: logged a message to {found.name}. {_next_line(found)}")
        elif send:
            typer.echo("Not sent: fix the problems above (edit the template, --question or --project).")
    if not result.check.ok:
        raise typer.Exit(1)


@template_app.command("list")
def template_list(as_json: JsonOpt = False) -> None:
    """List templates: name, kind, word limit, built-in or yours, description."""
    from crm.outreach.render import list_templates

    rows = [
        {"name": t.name, "kind": t.kind, "max_words": t.max_words, "source": t.source, "description": t.description}
        for t in list_templates()
    ]
    if as_json:
        _echo_json(rows)
    else:
        keys = ["name", "kind", "max_words", "source", "description"]
        typer.echo(table(keys, [[r[k] for k in keys] for r in rows]))


# ---------------------------------------------------------------- demo & database


@app.command("demo")
def demo_command(ctx: typer.Context) -> None:
    """Load a fictional network of alumni with two months of history (empty database only)."""
    from crm.demo import load_demo

    today = dates.today()
    with _store(ctx).write() as session:
        summary = load_demo(session=session, today=today)
    typer.echo(summary)


@app.command("backup")
def backup_command(
    ctx: typer.Context,
    path: Annotated[
        Optional[Path], typer.Argument(help="Where to write the copy (default: beside the database).")
    ] = None,
) -> None:
    """Copy the database safely, even while crm is running."""
    from crm.store.db import HEAD_REVISION, backup_database

    store = _store(ctx)
    store.conn  # noqa: B018  (opens and migrates, so the copy is of a current database)
    written = backup_database(store.path, revision=HEAD_REVISION, destination=path)
    typer.echo(f"Backed up {store.path} to {written}")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the database's schema revision."""
    from crm.store.db import HEAD_REVISION, schema_revision

    store = _store(ctx)
    if not store.path.exists():
        raise CrmError(f"{store.path} does not exist yet: any crm command creates it")
    revision = schema_revision(store.path)
    if revision == HEAD_REVISION:
        typer.echo(f"{revision} (head) {store.path}")
    else:
        typer.echo(f"{revision or 'empty'} (head is {HEAD_REVISION}: run `crm db upgrade`) {store.path}")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Upgrade the database schema to the newest revision (backing it up first)."""
    from crm.store.db import HEAD_REVISION, prepare, upgrade_database

    store = _store(ctx)
    prepare(store.path, create_folder=store.create_folder, upgrade=False)
    backup = upgrade_database(store.path)
    note = f" (backup: {backup})" if backup else ""
    typer.echo(f"{store.path} is at schema {HEAD_REVISION} (head){note}")


# ---------------------------------------------------------------- entry point


def _usage_line(error) -> str:
    ctx = getattr(error, "ctx", None)
    where = ctx.command_path if ctx is not None else "crm"
    return f"{where}: {error.format_message()} (see `{where} --help`)"


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: user errors become one line on stderr and exit code 2, never a traceback."""
    try:  # newer Typer vendors click; older ones depend on it
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover
        from click.exceptions import ClickException

    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="crm", standalone_mode=False)
    except CrmError as error:
        typer.echo(f"crm: {error}", err=True)
        sys.exit(2)
    except ClickException as error:
        typer.echo(_usage_line(error), err=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        typer.echo("crm: aborted", err=True)
        sys.exit(1)
    except Exception as error:
        if not _is_database_error(error):
            raise
        typer.echo(f"crm: the database could not be used ({_root_cause(error)}); nothing was written", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _is_database_error(error: Exception) -> bool:
    """sqlite3's own operational errors, or SQLAlchemy's wrapping of them (without importing SQLAlchemy)."""
    cause = getattr(error, "orig", error)
    return isinstance(cause, sqlite3.OperationalError)


def _root_cause(error: Exception) -> str:
    orig = getattr(error, "orig", None)
    return str(orig or error).splitlines()[0]
