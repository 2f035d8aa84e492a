"""The tables: contacts, their hooks, interactions and the promises I made them, my profile and my projects."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _contact_fk(*, ondelete: str, index: bool = True, nullable: bool = False) -> Column:
    return Column(Integer, ForeignKey("contact.id", ondelete=ondelete), index=index, nullable=nullable)


class ContactBase(SQLModel):
    name: str
    email: str | None = Field(default=None, index=True)
    linkedin_url: str | None = Field(default=None, index=True)
    company: str | None = None
    team: str | None = None
    role: str | None = None
    school: str | None = None
    grad_year: int | None = None
    program: str | None = None
    location: str | None = None
    source: str | None = None
    cadence: str | None = None
    notes: str | None = None


class Contact(ContactBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    introduced_by_id: int | None = Field(
        default=None, sa_column=_contact_fk(ondelete="SET NULL", index=False, nullable=True)
    )
    stage: str = Field(default="identified")
    archived: bool = Field(default=False)
    created_at: dt.datetime = Field(default_factory=_now)
    updated_at: dt.datetime = Field(default_factory=_now)
    # The next follow-up, recomputed (crm.followups.writes) in the same transaction as any change
    # that affects it, so "who is due" is one indexed range query.
    next_follow_up: dt.date | None = Field(default=None, index=True)
    next_follow_up_reason: str | None = None
    next_follow_up_key: str | None = None
    # A date the user chose (log --follow-up, snooze), and the newest interaction it followed.
    follow_up_on: dt.date | None = None
    follow_up_note: str | None = None
    follow_up_after_id: int | None = None
    follow_up_key: str | None = None  # set by a snooze: the follow-up it moved
    # `crm done`: the day, and the newest interaction whose follow-up it completed.
    done_on: dt.date | None = None
    done_through_id: int | None = None
    # When the source put them in my network: LinkedIn's "Connected On" for an imported connection.
    source_date: dt.date | None = None


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"

    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True))
    tag: str = Field(primary_key=True, index=True)


class Hook(SQLModel, table=True):
    """Research about a contact worth citing: a post, a talk, a launch."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_contact_fk(ondelete="CASCADE"))
    text: str
    url: str | None = None
    date: dt.date | None = None
    question: str | None = None  # the question this hook inspires: a first message citing it asks it
    created_at: dt.datetime = Field(default_factory=_now)


class Interaction(SQLModel, table=True):
    __table_args__ = (Index("ix_interaction_contact_date", "contact_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_contact_fk(ondelete="CASCADE", index=False))
    kind: str
    date: dt.date
    notes: str | None = None
    takeaways: str | None = None
    next_step: str | None = None
    follow_up: dt.date | None = None
    advice: str | None = None  # what they advised me (after a chat, say)
    suggested: str | None = None  # people they suggested I talk to: one "Name (Company)" per line
    # For an intro: the person they introduced me to.
    intro_to_id: int | None = Field(default=None, sa_column=_contact_fk(ondelete="SET NULL", nullable=True))
    created_at: dt.datetime = Field(default_factory=_now)
    # Derived, kept by migration 0009's triggers (never written by crm's code, not in the JSON export): for a reply,
    # the message it is credited to; on a contact's first credited reply, the days since my first message to them.
    replies_to_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("interaction.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    days_to_reply: int | None = None


class Promise(SQLModel, table=True):
    """Something I promised a contact ("send Maya the skip-rate analysis"): open until marked done.

    A dated promise is due on its date (This week, `crm due`) beside the contact's follow-up; an undated one is
    listed under the contact. `from_next_step`: it is its interaction's next step, given a date.
    """

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_contact_fk(ondelete="CASCADE"))
    interaction_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("interaction.id", ondelete="SET NULL"), nullable=True),
    )
    text: str
    due: dt.date | None = None
    done_on: dt.date | None = None
    from_next_step: bool = Field(default=False)
    created_at: dt.datetime = Field(default_factory=_now)


class Me(SQLModel, table=True):
    """My own profile: a single row (id 1)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str | None = None
    school: str | None = None
    year: str | None = None
    major: str | None = None
    target: str | None = None


class Project(SQLModel, table=True):
    """Something I shipped, with a measured result to cite in messages."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    description: str | None = None
    result: str
    created_at: dt.datetime = Field(default_factory=_now)


class Meta(SQLModel, table=True):
    """Small key/value facts about the store, e.g. which settings its follow-up dates were computed with."""

    key: str = Field(primary_key=True)
    value: str


class Draft(SQLModel, table=True):
    """A message drafted from a template, with its word count and check results; sent_on once sent."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_contact_fk(ondelete="CASCADE"))
    template: str
    text: str
    words: int
    checks: str  # the check result as JSON (`crm check --json` shape)
    question: str | None = None  # the one question it asks: a nudge repeats the question actually sent
    sent_on: dt.date | None = None
    interaction_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("interaction.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: dt.datetime = Field(default_factory=_now)


class Target(SQLModel, table=True):
    """A company I am aiming at (`crm target add`): `crm companies` lists it even before I know anyone there."""

    id: int | None = Field(default=None, primary_key=True)
    company: str  # as first typed
    key: str = Field(unique=True, index=True)  # casefolded, spaces collapsed: `crm.insights.companies.company_key`
    created_at: dt.datetime = Field(default_factory=_now)


# `crm stats` (crm.insights) reads covering indexes only (migration 0007): counts by kind, "the latest message before
# each reply", contacts by stage.
Index("ix_interaction_kind_contact_date", Interaction.__table__.c.kind, Interaction.__table__.c.contact_id,
      Interaction.__table__.c.date)  # fmt: skip
Index("ix_contact_archived_stage", Contact.__table__.c.archived, Contact.__table__.c.stage)
# ... and (migration 0009) the days to reply, and counts by kind since a date.
Index("ix_interaction_days_to_reply", Interaction.__table__.c.days_to_reply, Interaction.__table__.c.date)
Index("ix_interaction_kind_date", Interaction.__table__.c.kind, Interaction.__table__.c.date)
# What is due reads open dated promises by date: `done_on IS NULL AND due <= ?` is one range of this index.
Index("ix_promise_open_due", Promise.__table__.c.done_on, Promise.__table__.c.due)
