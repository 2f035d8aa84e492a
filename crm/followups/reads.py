"""What is due: plain-SQL reads over the stored schedule (see crm.followups.writes for how it is kept)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, NamedTuple

from crm.followups.defaults import IDEAS_SHOWN, OTHER_ALUM_AFTER_BUSINESS_DAYS, PROMISE_REASON_PREFIX
from crm.store.dialect import fold, fold_in, is_postgres, pg_ascii_lower

if TYPE_CHECKING:  # only annotated here: `crm draft` reads what is due without loading the settings module
    from crm.store.settings import Settings


# Rows are NamedTuples, as in crm.outreach.context: defined on the app's first-paint path, they cost a fraction
# of a dataclass each.
class DueItem(NamedTuple):
    contact_id: int
    name: str
    company: str | None
    due: dt.date
    reason: str
    overdue: bool
    key: str = ""

    def as_json(self) -> dict:
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "company": self.company,
            "due": self.due.isoformat(),
            "reason": self.reason,
            "overdue": self.overdue,
        }


def due_items(
    conn: sqlite3.Connection, *, today: dt.date, through: dt.date | None, overdue_only: bool = False
) -> list[DueItem]:
    """Follow-ups due up to `through` (None: everything scheduled), overdue ones included, sorted by date.

    One range scan of the next_follow_up index: archived contacts have no stored date. On SQLite `+archived`
    keeps the planner off the (archived, stage) index, which it would otherwise prefer (`archived = 0` is an
    equality) and then read every live contact: 47 ms instead of 9 at 100k contacts.
    """
    postgres = is_postgres(conn)
    sql = (
        "SELECT id, name, company, next_follow_up, next_follow_up_reason, next_follow_up_key FROM contact"
        + (" WHERE next_follow_up IS NOT NULL AND NOT archived" if postgres else
           " WHERE next_follow_up IS NOT NULL AND +archived = 0")
    )  # fmt: skip
    params: tuple = ()
    if overdue_only:
        sql += " AND next_follow_up < ?"
        params = (today.isoformat(),)
    elif through is not None:
        sql += " AND next_follow_up <= ?"
        params = (through.isoformat(),)
    sql += _DUE_ORDER_PG if postgres else " ORDER BY next_follow_up, lower(name), id"
    now = today.isoformat()
    items = [
        DueItem(cid, name, company, dt.date.fromisoformat(due), reason, due < now, key or "")
        for cid, name, company, due, reason, key in conn.execute(sql, params)
    ]
    return _with_promises(items, due_promises(conn, today=today, through=through, overdue_only=overdue_only))


_DUE_ORDER_PG = f" ORDER BY next_follow_up, {pg_ascii_lower('name')}, id"


class DueGroups(NamedTuple):
    """Due items as every view shows them: overdue first, then today, then later."""

    overdue: list[DueItem]
    today: list[DueItem]
    later: list[DueItem]


def group_due(items: list[DueItem], *, today: dt.date) -> DueGroups:
    return DueGroups(
        [i for i in items if i.due < today], [i for i in items if i.due == today], [i for i in items if i.due > today]
    )


def end_of_week(today: dt.date, settings: Settings) -> dt.date:
    from crm.dates import week_bounds

    return week_bounds(today, week_start=settings.week_start)[1]


class Awaiting(NamedTuple):
    contact_id: int
    name: str
    company: str | None
    since: dt.date


def awaiting_reply(conn: sqlite3.Connection) -> list[Awaiting]:
    """People I have written to who have never answered (stage `contacted`), oldest first message first."""
    rows = conn.execute(
        "SELECT c.id, c.name, c.company,"
        " (SELECT min(i.date) FROM interaction AS i WHERE i.contact_id = c.id AND i.kind = 'message') AS since"
        + (" FROM contact AS c WHERE c.stage = 'contacted' AND NOT c.archived ORDER BY since, c.id"
           if is_postgres(conn) else
           " FROM contact AS c WHERE c.stage = 'contacted' AND c.archived = 0 ORDER BY since, c.id")
    )  # fmt: skip
    return [Awaiting(cid, name, company, dt.date.fromisoformat(since)) for cid, name, company, since in rows if since]


def other_alumni_suggestions(
    conn: sqlite3.Connection, waiting: list[Awaiting], *, today: dt.date, limit: int = 3, ideas: int = IDEAS_SHOWN
) -> list[str]:
    """For first messages unanswered after 3 business days: others at the same company to write to.

    The newest unanswered messages come first, and at most `ideas` of them: a network of thousands has
    hundreds awaiting a reply, and a list of hundreds of ideas is no idea at all. One query for all companies.
    """
    from crm.followups.rules import add_business_days

    after = OTHER_ALUM_AFTER_BUSINESS_DAYS
    # add_business_days(since, after) <= today  <=>  since <= the latest day that is `after` business days back
    latest = today
    while add_business_days(latest, after) > today:
        latest -= dt.timedelta(days=1)
    ready = [p for p in reversed(waiting) if p.company and p.since <= latest]
    if not ready:
        return []
    companies = {fold(p.company) for p in ready}  # case ignored for every letter: Ørsted is ØRSTED (dialect.fold)
    same_company, params = fold_in(conn, "company", companies)
    untouched: dict[str, list[tuple[int, str]]] = {}
    sql = (
        f"SELECT company, id, name FROM contact WHERE {same_company} AND stage = 'identified'"
        " AND next_follow_up IS NULL AND archived = 0 ORDER BY name"
    )
    if is_postgres(conn):
        sql = (
            f"SELECT company, id, name FROM contact WHERE {same_company} AND stage = 'identified'"
            ' AND next_follow_up IS NULL AND NOT archived ORDER BY name COLLATE "C"'
        )
    for company, cid, name in conn.execute(sql, params):
        company = fold(company)
        if company not in companies:  # SQL lets a few others through: Python decides
            continue
        same = untouched.setdefault(company, [])
        if len(same) <= limit:  # one more than shown, in case one of them is the person themself
            same.append((cid, name))
    found = []
    for person in ready:
        others = [name for cid, name in untouched.get(fold(person.company), []) if cid != person.contact_id][:limit]
        if others:
            found.append(
                f"no reply from {person.name} for {after}+ business days: write to another {person.company} alum"
                f" too ({', '.join(others)})"
            )
            if len(found) == ideas:
                break
    return found


def fitting_template(conn, contact_id: int) -> str:
    """The template that fits what is due for this contact now (see rules.template_for_due)."""
    from crm.followups.rules import template_for_due

    row = conn.execute("SELECT next_follow_up_key, stage FROM contact WHERE id = ?", (contact_id,)).fetchone()
    return template_for_due(*(row or (None, None)))


def awaiting_reply_count(conn) -> int:
    """How many `awaiting_reply` lists, without listing them (stage `contacted` means a message went out).

    The app's This week shows the count at once and the list below the fold a moment later.
    """
    if is_postgres(conn):
        return conn.execute("SELECT count(*) FROM contact WHERE stage = 'contacted' AND NOT archived").fetchone()[0]
    return conn.execute("SELECT count(*) FROM contact WHERE stage = 'contacted' AND archived = 0").fetchone()[0]


# ---------------------------------------------------------------- promises (crm.followups.promises)

PROMISE_KEY = "promise-"  # a dated promise's DueItem.key: "promise-<id>"


def promise_id_of(item: DueItem) -> int | None:
    """The promise a due item is (None: the contact's own follow-up)."""
    return int(item.key[len(PROMISE_KEY) :]) if item.key.startswith(PROMISE_KEY) else None


def due_promises(
    conn: sqlite3.Connection, *, today: dt.date, through: dt.date | None, overdue_only: bool = False
) -> list[DueItem]:
    """Open dated promises due up to `through` (None: all), as due items: reason "promise: <text>".

    One range of the (done_on, due) index; archived contacts' promises are not due, as their follow-ups are not.
    """
    sql = (
        "SELECT p.contact_id, c.name, c.company, p.due, p.text, p.id FROM promise AS p"
        " JOIN contact AS c ON c.id = p.contact_id"
        + (" WHERE p.done_on IS NULL AND p.due IS NOT NULL AND NOT c.archived" if is_postgres(conn) else
           " WHERE p.done_on IS NULL AND p.due IS NOT NULL AND c.archived = 0")
    )  # fmt: skip
    params: tuple = ()
    if overdue_only:
        sql += " AND p.due < ?"
        params = (today.isoformat(),)
    elif through is not None:
        sql += " AND p.due <= ?"
        params = (through.isoformat(),)
    now = today.isoformat()

    return [
        DueItem(
            cid,
            name,
            company,
            dt.date.fromisoformat(due),
            PROMISE_REASON_PREFIX + text,
            due < now,
            f"{PROMISE_KEY}{pid}",
        )
        for cid, name, company, due, text, pid in conn.execute(sql, params)
    ]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _due_order(item: DueItem) -> tuple:
    """due_items' order, as SQLite sorts it (its lower() folds ASCII only); a contact's promises after their
    follow-up."""
    return item.due, item.name.translate(_ASCII_LOWER), item.contact_id, item.key.startswith(PROMISE_KEY), item.key


def _with_promises(items: list[DueItem], promises: list[DueItem]) -> list[DueItem]:
    """The promises put in their places among the follow-ups (already in order): a few insertions, not a sort of
    the whole schedule (which a network of thousands would pay for on every `crm due`); many, one merging sort."""
    if len(promises) > INSERT_AT_MOST:
        return sorted(items + promises, key=_due_order)
    import bisect

    for promise in promises:
        bisect.insort(items, promise, key=_due_order)
    return items


INSERT_AT_MOST = 50  # open dated promises due in the window; past that, one sort (timsort merges the sorted runs)


class OpenPromise(NamedTuple):
    """A promise to a contact not yet kept: a stored one (`id`), or a chat's undated next step (`id` None).

    `noted_on`: the day of the interaction it was made in. A stored promise is open until marked done; an undated
    next step of a chat, until my next message to them (crm.insights.prep explains why).
    """

    id: int | None
    text: str
    due: dt.date | None
    noted_on: dt.date | None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "due": self.due.isoformat() if self.due else None,
            "noted_on": self.noted_on.isoformat() if self.noted_on else None,
        }


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def follow_up_date(conn, contact_id: int) -> dt.date | None:
    """The date a contact's follow-up is due now (None: nothing is), for a snooze that must move it later."""
    row = conn.execute("SELECT next_follow_up FROM contact WHERE id = ?", (contact_id,)).fetchone()
    return _day(str(row[0])) if row and row[0] else None


def open_promises(conn: sqlite3.Connection, contact_id: int) -> list[OpenPromise]:
    """What I promised a contact and have not yet done: dated promises by date, then undated ones oldest first.

    Undated ones are stored promises without a date and the next steps of chats since my last message (a next
    step given a date is a stored promise already, so it is not listed twice).
    """
    stored = [
        OpenPromise(pid, text, _day(due), _day(noted))
        for pid, text, due, noted in conn.execute(
            "SELECT p.id, p.text, p.due, coalesce(i.date, p.created_at) FROM promise AS p"
            " LEFT JOIN interaction AS i ON i.id = p.interaction_id"
            " WHERE p.contact_id = ? AND p.done_on IS NULL ORDER BY p.id",
            (contact_id,),
        )
    ]
    last = conn.execute(
        "SELECT date, id FROM interaction WHERE contact_id = ? AND kind = 'message'"
        " ORDER BY date DESC, id DESC LIMIT 1",
        (contact_id,),
    ).fetchone() or ("0001-01-01" if is_postgres(conn) else "", 0)  # before any date (PostgreSQL: a date)
    next_steps = [
        OpenPromise(None, next_step, None, _day(date))
        for date, next_step in conn.execute(
            "SELECT i.date, i.next_step FROM interaction AS i WHERE i.contact_id = :id AND i.kind = 'chat'"
            " AND i.next_step IS NOT NULL AND (i.date > :last OR (i.date = :last AND i.id > :last_id))"
            " AND NOT EXISTS (SELECT 1 FROM promise AS p WHERE p.interaction_id = i.id AND p.from_next_step)"
            " ORDER BY i.date, i.id",
            {"id": contact_id, "last": last[0], "last_id": last[1]},
        )
    ]
    dated = sorted((p for p in stored if p.due), key=lambda p: (p.due, p.id))
    undated = sorted(
        [*(p for p in stored if not p.due), *next_steps], key=lambda p: (p.noted_on or dt.date.min, p.id or 0)
    )
    return dated + undated
