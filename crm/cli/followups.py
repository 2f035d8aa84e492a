"""`crm due`, `done`, `snooze` and `export`: whose follow-up is due, and moving it along."""

from __future__ import annotations

import datetime as dt

import click

from crm import dates
from crm.cli.common import CONTACT_HELP, contact_argument, echo_json, json_option, next_line, store_of
from crm.cli.output import table
from crm.errors import CrmError

MAX_DAYS = 3650  # `crm due --days N`: ten years ahead at most (today + N days must stay a date)


@click.command("due")
@click.option("--week", is_flag=True, help="Overdue plus the rest of this week (the default).")
@click.option("--days", type=int, metavar="N", help="Overdue plus the next N days.")
@click.option("--overdue", is_flag=True, help="Only what is overdue.")
@json_option
@click.pass_context
def due_command(ctx: click.Context, week: bool, days: int | None, overdue: bool, as_json: bool) -> None:
    """Whose follow-up is due: overdue first, then this week."""
    chosen = [name for name, on in (("--week", week), ("--days", days is not None), ("--overdue", overdue)) if on]
    if len(chosen) > 1:
        raise CrmError(f"choose one of --week, --days N or --overdue, not {' and '.join(chosen)}")
    if days is not None and days < 0:
        raise CrmError(f"--days {days} is negative: use 0 for today, 7 for the coming week")
    if days is not None and days > MAX_DAYS:
        raise CrmError(f"--days {days} is too far ahead: use at most {MAX_DAYS} (ten years)")
    window = "overdue" if overdue else "days" if days is not None else "week"
    if as_json:
        store = store_of(ctx)
        items, _ = due_in_window(store, window=window, days=days)
        club = club_fatigue(store, items) or {}
        rows = []
        for item in items:
            fatigue = club.get(item.contact_id)  # on a club's database: who else touched them lately
            extra = {} if fatigue is None else fatigue.as_json(dates.today(), cold=fatigue.cold(item.key))
            rows.append(item.as_json() | extra)
        echo_json(rows)
    else:
        print_due(store_of(ctx), window=window, days=days)


def due_in_window(store, *, window: str, days: int | None):
    from crm.followups.reads import due_items, end_of_week
    from crm.store.settings import load_settings

    today = dates.today()
    through = {
        "week": end_of_week(today, load_settings()) if window == "week" else None,
        "days": today + dt.timedelta(days=days or 0),
        "overdue": None,
    }[window]
    items = due_items(store.reader, today=today, through=through, overdue_only=window == "overdue")
    return items, through


def club_fatigue(store, items) -> dict | None:
    """Who else in the club touched each due contact lately (crm.club.fatigue), in one query for them all; None
    off a club's database, and on SQLite without importing or asking anything."""
    if store.dialect != "postgresql" or not items:
        return None
    from crm.club.fatigue import store_fatigue

    return store_fatigue(store, [item.contact_id for item in items], today=dates.today())


def club_notes(store, items, *, today) -> dict[int, str]:
    """The club's note under each due contact (crm.club.fatigue.due_notes); empty, and free, on SQLite."""
    fatigue = club_fatigue(store, items)
    if fatigue is None:
        return {}
    from crm.club.fatigue import due_notes

    return due_notes(fatigue, items, today=today)


def print_due(store, *, window: str, days: int | None) -> None:
    from crm.followups.reads import awaiting_reply, group_due, other_alumni_suggestions

    today = dates.today()
    items, through = due_in_window(store, window=window, days=days)
    groups = group_due(items, today=today)
    club = club_notes(store, items, today=today)
    sections = [("Overdue", groups.overdue), ("Today", groups.today)]
    if through is not None:
        sections.append((f"Later (to {dates.weekday_date(through, today=today)})", groups.later))
    lines: list[str] = []
    for title, group in sections:
        if not group:
            continue
        lines.append(f"{title}:")
        rows = []
        for item in group:
            late = (today - item.due).days
            when = f"{late} day{'s' if late != 1 else ''} overdue" if item.overdue else dates.weekday_date(item.due)
            who = item.name + (f" ({item.company})" if item.company else "")
            rows.append([f"#{item.contact_id}", who, when, item.reason])
        for item, line in zip(group, table(["", "", "", ""], rows, indent="  ").split("\n"), strict=True):
            lines.append(line)
            if (note := club.get(item.contact_id)) is not None:
                lines.append(f"      Club: {note}.")
    if not items:
        lines.append("Nothing due" + (" this week." if window == "week" else "."))
    if window == "week":
        waiting = awaiting_reply(store.reader)
        if waiting:
            lines.append("Awaiting reply:")
            for person in waiting:
                who = person.name + (f" ({person.company})" if person.company else "")
                lines.append(f"  #{person.contact_id} {who}: messaged {dates.short_date(person.since, today=today)}")
        lines += [f"Idea: {text}" for text in other_alumni_suggestions(store.reader, waiting, today=today)]
    click.echo("\n".join(lines))


@click.command(
    "done",
    epilog=CONTACT_HELP + " With --promise ID, only that promise is marked kept (`crm contact show CONTACT` lists"
    " their open promises and ids): the contact's follow-up stays as it is.",
)
@contact_argument()
@click.option("--promise", "promise_id", type=int, metavar="ID", help="Mark this promise kept instead.")
@click.pass_context
def done_command(ctx: click.Context, contact: str, promise_id: int | None) -> None:
    """Mark the current follow-up done (the next comes by the contact's cadence from today), or one promise kept."""
    from crm.contacts.writes import resolve_contact
    from crm.followups.promises import complete_promise
    from crm.followups.writes import mark_done

    kept = None
    with store_of(ctx).write() as session:
        found = resolve_contact(session, contact)
        if promise_id is not None:
            kept = complete_promise(session=session, promise_id=promise_id, today=dates.today(), contact=found)
        else:
            mark_done(session=session, contact=found, today=dates.today())
    if kept is not None:
        click.echo(f"Done: promise #{kept.id} to {found.name} ({kept.text}). {next_line(found)}")
    elif found.next_follow_up is None and found.stage == "contacted":
        click.echo(
            f"Done. Nothing more is scheduled for {found.name} until they reply (one nudge at most: no pestering);"
            f" when they do: crm log {found.id} --kind reply"
        )
    elif found.next_follow_up is None and found.stage == "identified":
        click.echo(
            f"Done. Nothing more is scheduled for {found.name}: once you write, log it"
            f" (crm log {found.id} --kind message) and a nudge follows"
        )
    else:
        click.echo(f"Done. {next_line(found)}")


# ignore_unknown_options lets "-3d" reach the date parser instead of being taken for an option
@click.command(
    "snooze",
    epilog=CONTACT_HELP
    + " DATE is later than the follow-up's date: +3d, +2w, 'in 2 weeks', tomorrow (or tmrw), a weekday ('thu' is the"
    " next Thursday after today), 'Dec 3', 31/12 or 2026-12-31 (3/12 is March 12: month first).",
    context_settings={"ignore_unknown_options": True},
)
@contact_argument()
@click.argument("until", metavar="(DATE|+Nd|+Nw)")
@click.pass_context
def snooze_command(ctx: click.Context, contact: str, until: str) -> None:
    """Move a contact's follow-up to a later date."""
    from crm.contacts.writes import resolve_contact
    from crm.followups.writes import snooze

    today = dates.today()
    when = dates.parse_date(until, today=today, facing="future")
    with store_of(ctx).write() as session:
        found = resolve_contact(session, contact)
        snooze(session=session, contact=found, until=when, today=today)
    click.echo(f"Snoozed. {next_line(found)}")
    if dates.weekend_note(when, today=today):
        import shlex

        monday = dates.next_weekday(when)
        click.echo(
            f"  That is a {when:%A}; for {dates.weekday_date(monday, today=today)} instead: "
            f"crm snooze {shlex.quote(contact)} {monday}"
        )
