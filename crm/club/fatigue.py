"""The alumni-fatigue guard: before I write cold to an alum, who else in the club has touched them lately.

Ten members writing to the same PM in one week burns the alum out (issue 15); a member who already talks to them
is a warm intro instead. A club database is a PostgreSQL one made by `crm club init` (crm.club.is_club), whose
shared `touch` table has one row per message, reply, chat or intro any member logged, no text. Callers import this
module only on PostgreSQL (`store.dialect`), so SQLite pays neither the import nor a query; on PostgreSQL
`club_fatigue` reads what one command needs in one query after is_club's catalog look-up, and nothing more off a
club's database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from crm.club import TOUCH_KINDS
from crm.contacts.fields import first_name
from crm.dates import short_date

if TYPE_CHECKING:
    from crm.outreach.checks import CheckResult
    from crm.store.settings import Settings

# The kinds in which the member wrote to the alum: SPEC logs a nudge as a second `message`, and a reply, chat,
# intro or referral is the alum's doing (or both's), which is no burden of unanswered mail.
WROTE = frozenset({"message"})
# Templates that write to an alum cold (nothing from them yet): the guard speaks before these alone.
COLD_TEMPLATES = frozenset({"first-message", "nudge"})

# Everyone's but mine (`member` defaults to current_user when a member logs), newest first. Only the touch kinds:
# a club whose admin has not yet brought its rules up to date (`crm club init`) may still hold notes and referrals.
_TOUCHES = (
    "SELECT c.id, c.name, c.next_follow_up_key, c.stage, t.member, t.kind, t.date"
    " FROM touch t JOIN contact c ON c.id = t.contact_id"
    " WHERE t.contact_id = ANY(?) AND t.member <> current_user"
    f" AND t.kind IN ({', '.join(repr(kind) for kind in TOUCH_KINDS)}) AND t.date >= ?"
    " ORDER BY t.contact_id, t.date DESC, t.id DESC"
)


class Touch(NamedTuple):
    member: str  # the member's PostgreSQL role
    kind: str
    date: dt.date

    def as_json(self, today: dt.date) -> dict:
        return {
            "member": self.member,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "days_ago": self.days_ago(today),
        }

    def days_ago(self, today: dt.date) -> int:
        return max(0, (today - self.date).days)


class Fatigue(NamedTuple):
    """What the club did with one alum in the last `days` days, other members only, newest first."""

    contact_id: int
    name: str
    key: str | None  # the contact's follow-up key and stage: which template fits (crm.followups.rules)
    stage: str | None
    touches: tuple[Touch, ...]
    days: int
    limit: int  # more members than this writing to them is too many

    @property
    def writers(self) -> list[str]:
        """The members who wrote to them (not who heard back or chatted), in order of their latest touch."""
        return list(dict.fromkeys(t.member for t in self.touches if t.kind in WROTE))

    @property
    def exceeded(self) -> bool:
        return len(self.writers) > self.limit

    def cold(self, key: str | None = None) -> bool:
        """Whether what is due for me is a first message or a nudge (`key`: a due item's own, else the contact's)."""
        from crm.followups.rules import template_for_due

        return template_for_due(key or self.key, self.stage) in COLD_TEMPLATES

    def note(self, today: dt.date) -> str | None:
        """ "Jordan messaged Maya 3 days ago; Sam had a chat with Maya on Nov 2: ask Sam for a warm intro
        instead", each member's latest touch; None when nobody else touched them.

        A warm intro comes from a member the alum answered (a reply, chat or intro); when the others
        have only written, what helps is to hear from them whether the alum replied."""
        latest: dict[str, Touch] = {}
        for touch in self.touches:
            latest.setdefault(touch.member, touch)
        if not latest:
            return None
        first = first_name(self.name)
        said = "; ".join(_touch_words(touch, first, today) for touch in latest.values())
        warm = list(dict.fromkeys(member_name(t.member) for t in self.touches if t.kind not in WROTE))
        if warm:
            return f"{said}: ask {' or '.join(warm)} for a warm intro instead"
        who = member_name(next(iter(latest))) if len(latest) == 1 else "them"
        return f"{said}: ask {who} whether {first} replied before you write too"

    def problem_message(self) -> str:
        writers = self.writers
        names = ", ".join(member_name(m) for m in sorted(writers))
        members = f"{len(writers)} other club member{'s' if len(writers) != 1 else ''}"
        return (
            f"{members} ({names}) wrote to {self.name} in the last {self.days} days, more than {self.limit}: "
            "give them a rest, or ask one of those members for a warm intro"
        )

    def as_json(self, today: dt.date, *, cold: bool) -> dict:
        """The keys `draft --json` and `due --json` add on a club database."""
        return {
            "club_touches": [touch.as_json(today) for touch in self.touches],
            "fatigue": {
                "members": self.writers,
                "limit": self.limit,
                "days": self.days,
                "exceeded": self.exceeded,
                "note": self.note(today) if cold else None,
            },
        }


@lru_cache(maxsize=256)  # a club has a few dozen members; `crm due` names them once per due alum
def member_name(member: str) -> str:
    """A role name as people say it: "jordan" -> "Jordan", "sam_lee" -> "Sam Lee"."""
    return " ".join(part[:1].upper() + part[1:] for part in member.replace("_", " ").split()) or member


def _when(day: dt.date, today: dt.date) -> str:
    ago = (today - day).days
    if ago <= 0:
        return "today"
    if ago == 1:
        return "yesterday"
    if ago < 7:
        return f"{ago} days ago"
    return f"on {short_date(day, today=today)}"


def _touch_words(touch: Touch, first: str, today: dt.date) -> str:
    who = member_name(touch.member)
    what = {
        "message": f"{who} messaged {first}",
        "reply": f"{who} heard back from {first}",
        "chat": f"{who} had a chat with {first}",
        "intro": f"{who} got an intro from {first}",
    }.get(touch.kind, f"{who} logged a {touch.kind} with {first}")
    return f"{what} {_when(touch.date, today)}"


def club_fatigue(conn, contact_ids: Iterable[int], *, today: dt.date, settings: Settings) -> dict[int, Fatigue] | None:
    """Other members' touches of each contact in the last `settings.fatigue_days` days, by contact id (every id
    asked for: no touches when nobody else touched them); None when the database is not a club's. `conn` is a
    PostgreSQL read connection (`store.reader`): one catalog look-up, then one query for all the contacts."""
    from crm.club import is_club

    if not is_club(conn):
        return None
    ids = sorted(set(contact_ids))
    if not ids:
        return {}
    since = today - dt.timedelta(days=settings.fatigue_days)
    contacts: dict[int, tuple] = {}
    touches: dict[int, list[Touch]] = {}
    for cid, name, key, stage, member, kind, day in conn.execute(_TOUCHES, (ids, since)).fetchall():  # batched
        contacts.setdefault(cid, (name, key, stage))
        touches.setdefault(cid, []).append(Touch(member, kind, dt.date.fromisoformat(str(day))))
    days, limit = settings.fatigue_days, settings.fatigue_members
    return {
        cid: Fatigue(cid, *contacts[cid], tuple(touches[cid]), days, limit)
        if cid in contacts
        else Fatigue(cid, "", None, None, (), days, limit)
        for cid in ids
    }


def store_fatigue(store, contact_ids: Iterable[int], *, today: dt.date) -> dict[int, Fatigue] | None:
    """`club_fatigue` on a store with the user's [club] settings. Call it only when `store.dialect` is
    "postgresql": importing this module at all is what SQLite must not pay for."""
    from crm.store.settings import load_settings

    return club_fatigue(store.reader, contact_ids, today=today, settings=load_settings())


def writes_cold(template) -> bool:
    """Whether a draft from this template (crm.outreach.render.Template) writes to them cold: the guard speaks
    before a first message or a nudge alone (a user's variant counts as the kind it declares)."""
    return (template.kind or template.name) in COLD_TEMPLATES


def due_notes(fatigue: dict[int, Fatigue] | None, items: Iterable, *, today: dt.date) -> dict[int, str]:
    """Under what is due (`crm due`, This week): the note for each due item whose follow-up writes cold to an
    alum someone else in the club touched lately, by contact id. Empty off a club's database."""
    notes: dict[int, str] = {}
    for item in items:
        found = (fatigue or {}).get(item.contact_id)
        if found is not None and found.cold(item.key) and (note := found.note(today)):
            notes[item.contact_id] = note
    return notes


def with_fatigue(result: CheckResult, fatigue: Fatigue | None, text: str, *, cold: bool | None = None) -> CheckResult:
    """The check result with a `fatigue` problem over the whole message when too many members wrote to them lately
    and what I would send is a first message or a nudge (thanking someone I chatted with is never too much).

    `cold`: whether the message writes cold, when the caller knows its template (`writes_cold`: `crm draft`, the
    draft screen); else (`crm check --contact`) what is due for the contact says."""
    if fatigue is None or not fatigue.exceeded or not (fatigue.cold() if cold is None else cold):
        return result
    from crm.outreach.checks import Problem

    problem = Problem("fatigue", fatigue.problem_message(), 0, len(text.rstrip()))
    return replace(result, ok=False, problems=[*result.problems, problem])
