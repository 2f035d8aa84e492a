"""`crm stats`, `crm companies`, `crm target add` and `crm prep`: what the log says back (crm.insights)."""

from __future__ import annotations

import datetime as dt

import click

from crm import dates
from crm.cli.common import CONTACT_HELP, contact_argument, echo_json, json_option, store_of
from crm.errors import CrmError


@click.command("stats")
@click.option(
    "--since", metavar="DATE",
    help="Count what was logged from DATE on (stages stay today's): YYYY-MM-DD, 'Oct 1', -4w...",
)  # fmt: skip
@json_option
@click.pass_context
def stats_command(ctx: click.Context, since: str | None, as_json: bool) -> None:
    """Your funnel: contacts by stage, messages, reply rate, chats, intros, referrals, a weekly trend, and the reply
    rate of each template with its 95% interval."""
    from crm.insights.funnel import funnel

    today = dates.today()
    start = None
    if since is not None:
        start = dates.parse_date(since, today=today, facing="past")
        if start > today:
            raise CrmError(f"--since {since} is after today ({today.isoformat()}): nothing has been logged yet")
    # Stages and counts need no follow-up dates: the schedule is not brought up to date first (as `crm search`).
    data = funnel(store_of(ctx).open(schedule=False).reader, today=today, since=start)
    if as_json:
        echo_json(data.as_json())
    else:
        click.echo(format_stats(data))


def _rate(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "--"


def _days(value: float) -> str:
    shown = f"{value:g}"
    return f"{shown} day" + ("" if value == 1 else "s")


def format_stats(data) -> str:
    from crm.insights.funnel import sparkline
    from crm.insights.templates_ab import beats

    when = f"since {dates.short_date(data.since, today=data.today)}" if data.since else "all time"
    stages = " · ".join(f"{stage} {count}" for stage, count in data.by_stage.items())
    total = sum(data.by_stage.values())
    lines = [f"Contacts: {total} ({stages})" + (f"; {data.archived} archived" if data.archived else "")]
    lines.append(f"Logged ({when}):")
    lines.append(f"  messages sent {data.messages_sent} · chats {data.chats} · intros {data.intros}"
                 f" · referrals offered {data.referrals}")  # fmt: skip
    if data.contacts_messaged:
        reply = (f"  reply rate {_rate(data.contacts_replied, data.contacts_messaged)}"
                 f" ({data.contacts_replied} of {data.contacts_messaged} people written to replied")  # fmt: skip
        if data.median_days_to_reply is not None:
            reply += f"; median {_days(data.median_days_to_reply)} to reply"
        lines.append(reply + ")")
    else:
        lines.append("  reply rate --: no one written to yet")
    first, last = data.trend[0].start, data.trend[-1].start
    weeks = f"{len(data.trend)} week" + ("s" if len(data.trend) != 1 else "")
    lines.append(f"Week by week ({weeks}, {dates.short_date(first)} to the week of {dates.short_date(last)}):")
    for name in ("messages", "replies", "chats"):
        series = data.series(name)
        lines.append(f"  {name:<9} {sparkline(series)}  {sum(series)}")
    if data.templates:
        lines.append("Reply rate by template (95% interval):")
        wins = beats(data.templates)
        for stats in data.templates:
            better = wins.get(stats.template)
            lines.append(f"  {stats.label()}" + (f"  better than {', '.join(better)}" if better else ""))
        if not any(wins.values()) and len(data.templates) > 1:
            lines.append("  (no template is better yet: every interval overlaps another)")
    return "\n".join(lines)


@click.command("companies")
@json_option
@click.pass_context
def companies_command(ctx: click.Context, as_json: bool) -> None:
    """Companies in your network: contacts, the warmest one, last touch, next follow-up; target companies first,
    and the ones where you have reached no one yet."""
    from crm.insights.companies import companies

    today = dates.today()
    found = companies(store_of(ctx).reader, today=today)
    if as_json:
        echo_json([company.as_json() for company in found])
        return
    if not found:
        click.echo("No companies yet: add contacts with --company, or a target with `crm target add COMPANY`.")
        return
    from crm.cli.output import table

    rows = []
    for c in found:
        warm = f"{c.warmest.name} ({c.warmest.stage})" if c.warmest else ""
        nxt = f"{dates.short_date(c.next_follow_up, today=today)} {c.next_person.name}" if c.next_person else ""
        last = dates.short_date(c.last_touch, today=today) if c.last_touch else ""
        rows.append(["*" if c.target else "", c.company, c.contacts, warm, last, nxt])
    click.echo(table(["", "company", "contacts", "warmest", "last touch", "next follow-up"], rows))
    cold = [c.note() for c in found if c.cold]
    if cold:
        click.echo("Targets (*) where you have reached no one yet:")
        click.echo("\n".join(f"  {note}" for note in cold))


@click.group("target", no_args_is_help=True)
def target_group() -> None:
    """Companies you are aiming at: `crm companies` lists them, with or without contacts there."""


@target_group.command("add")
@click.argument("company", metavar="COMPANY")
@click.pass_context
def target_add(ctx: click.Context, company: str) -> None:
    """Make COMPANY a target company (again is fine; case doesn't matter)."""
    from crm.insights.targets import add_target

    with store_of(ctx).write() as session:
        target, created = add_target(session, company)
        name = target.company
    click.echo(f"Added target company {name}" if created else f"{name} is already a target company")


@click.command("prep", epilog=CONTACT_HELP)
@contact_argument()
@json_option
@click.pass_context
def prep_command(ctx: click.Context, contact: str, as_json: bool) -> None:
    """A one-page brief before a coffee chat: who they are, how you met, their hooks, earlier chats, open promises,
    your project to mention and three questions to ask."""
    from crm.contacts.reads import resolve_contact_id
    from crm.insights.prep import prep_brief

    reader = store_of(ctx).reader
    brief = prep_brief(reader, resolve_contact_id(reader, contact), today=dates.today())
    if as_json:
        echo_json(brief.as_json())
    else:
        click.echo(format_brief(brief, today=dates.today()))


HISTORY = (("messages", "message"), ("replies", "reply"), ("chats", "chat"), ("intros", "intro"),
           ("referrals", "referral"))  # fmt: skip


def _promised(promise, *, today) -> str:
    """'due Fri Nov 27', 'promised Nov 24' (undated), or 'chat on Nov 24' (a chat's undated next step)."""
    if promise.due:
        return f"due {dates.weekday_date(promise.due, today=today)}"
    return f"{'promised' if promise.id else 'chat on'} {dates.short_date(promise.date, today=today)}"


def format_brief(brief, *, today) -> str:
    from crm.display import position
    from crm.insights.paths import path_text

    c = brief.contact
    where = ", ".join(position(c["role"], c["team"], c["company"]))
    lines = [f"Prep: {c['name']}" + (f" -- {where}" if where else "")]
    school = " ".join(str(x) for x in (c["school"], c["program"], c["grad_year"]) if x)
    about = " · ".join(x for x in (school, c["location"], f"stage {c['stage']}") if x)
    lines.append(f"  {about}")
    if brief.introduced:
        lines.append(f"  How you met: {path_text(brief.path)}" + (f" ({c['source']})" if c["source"] else ""))
    elif c["source"]:
        lines.append(f"  How you met: {c['source']}")
    h = brief.history
    if any(h.values()):
        so_far = ", ".join(f"{h[kind]} {kind if h[kind] != 1 else one}" for kind, one in HISTORY if h.get(kind))
        if c["last_interaction"]:
            so_far += f"; last {dates.short_date(dt.date.fromisoformat(c['last_interaction']), today=today)}"
        lines.append(f"  So far: {so_far}")
    else:
        lines.append("  So far: nothing logged yet")
    if c["notes"]:
        lines.append(f"  Notes: {c['notes']}")
    lines.append("Their work:" if brief.hooks else "Their work: no hooks yet (crm hook add CONTACT TEXT)")
    for hook in brief.hooks:
        extra = " ".join(x for x in (hook["date"], hook["url"]) if x)
        lines.append(f"  - {hook['text']}" + (f" ({extra})" if extra else ""))
        if hook.get("question"):
            lines.append(f"      asks: {hook['question']}")
    if brief.chats:
        lines.append("Earlier chats:")
        for chat in brief.chats:
            lines.append(f"  {chat.date.isoformat()}" + (f"  {chat.notes}" if chat.notes else ""))
            if chat.takeaways:
                lines.append(f"      takeaways: {chat.takeaways}")
            if chat.next_step:
                lines.append(f"      next step: {chat.next_step}")
    if brief.open_promises:
        lines.append("Still open (promises not yet kept, next steps from chats since your last message):")
        lines += [f"  - {p.next_step} ({_promised(p, today=today)})" for p in brief.open_promises]
    if brief.project:
        p = brief.project
        lines.append(f"Your project to mention: {p['name']} -- {p['result']}")
    lines.append("Questions to ask:" if brief.questions else "Questions to ask: none found")
    lines += [f"  {n}. {q.text}" for n, q in enumerate(brief.questions, 1)]
    return "\n".join(lines)
