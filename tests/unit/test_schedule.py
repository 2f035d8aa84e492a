"""The stored schedule never goes stale: whatever is logged, the stored date equals a fresh computation."""

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import select

from crm.contacts.interactions import log_interaction
from crm.contacts.writes import ContactChanges, archive_contact, create_contact, edit_contact
from crm.followups import writes as schedule
from crm.models import Contact
from crm.store.db import open_engine, write_session
from crm.store.settings import Settings

TODAY = dt.date(2026, 11, 25)

ACTIONS = st.one_of(
    st.tuples(
        st.just("log"),
        st.sampled_from(["message", "reply", "chat", "intro", "referral", "note"]),
        st.integers(min_value=0, max_value=120),  # days ago
        st.booleans(),  # with an explicit follow-up
    ),
    st.tuples(st.just("done")),
    st.tuples(st.just("snooze"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("cadence"), st.sampled_from(["weekly", "monthly", "every 10 days", ""])),
    st.tuples(st.just("archive"), st.booleans()),
)


def _fresh(session, contact):
    events = schedule.history_of(session, contact.id)
    return schedule.compute(contact, events, schedule.introduction_of(session, contact.id), Settings())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ACTIONS, min_size=1, max_size=12))
def test_every_change_leaves_a_current_next_date(actions):
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(Path(folder) / "crm.db")
        with write_session(engine) as session:
            maya = create_contact(session=session, changes=ContactChanges(name="Maya Chen"), today=TODAY)
            for action in actions:
                if action[0] == "log":
                    _, kind, ago, explicit = action
                    day = TODAY - dt.timedelta(days=ago)
                    log_interaction(
                        session=session, contact=maya, kind=kind, date=day, today=TODAY,
                        follow_up=day + dt.timedelta(days=9) if explicit else None,
                        intro_to=f"Person {len(actions)}-{ago}" if kind == "intro" else None,
                    )  # fmt: skip
                elif action[0] == "done" and maya.next_follow_up and not maya.archived:
                    schedule.mark_done(session=session, contact=maya, today=TODAY)
                elif (
                    action[0] == "snooze"
                    and not maya.archived
                    and TODAY + dt.timedelta(days=action[1]) >= (maya.next_follow_up or TODAY)  # never earlier
                ):
                    schedule.snooze(
                        session=session, contact=maya, until=TODAY + dt.timedelta(days=action[1]), today=TODAY
                    )
                elif action[0] == "cadence":
                    edit_contact(session=session, contact=maya, changes=ContactChanges(cadence=action[1]), today=TODAY)
                elif action[0] == "archive":
                    archive_contact(session=session, contact=maya, archived=action[1])
                for contact in session.exec(select(Contact)).all():
                    expected = _fresh(session, contact)
                    assert contact.next_follow_up == (expected.due if expected else None)
                    assert contact.next_follow_up_reason == (expected.reason if expected else None)
                    if contact.archived:
                        assert contact.next_follow_up is None
        engine.dispose()


def test_recompute_all_matches_per_contact_refresh(cli, db_path):
    cli("demo")
    engine = open_engine(db_path)
    with write_session(engine) as session:
        before = {c.id: (c.next_follow_up, c.next_follow_up_reason, c.stage) for c in session.exec(select(Contact))}
        session.execute(update(Contact).values(next_follow_up=None, next_follow_up_reason=None, stage="identified"))
        session.expire_all()
        assert schedule.recompute_all(session, Settings()) == len(before)
    with write_session(engine) as session:
        after = {c.id: (c.next_follow_up, c.next_follow_up_reason, c.stage) for c in session.exec(select(Contact))}
    assert after == before
    assert sum(1 for due, _, _ in after.values() if due) >= 8
    engine.dispose()


def test_a_stored_cadence_that_can_no_longer_be_parsed_falls_back_to_the_default(session, add_contact):
    """Cadences stored before validation got stricter ("every 3 years") must not lock the user out."""
    import datetime as dt

    from crm.contacts.interactions import log_interaction
    from crm.followups.writes import recompute_all
    from crm.store.settings import Settings

    maya = add_contact(session, "Maya Chen")
    log_interaction(session=session, contact=maya, kind="chat", date=dt.date(2026, 11, 2), today=dt.date(2026, 11, 25),
                    notes="coffee")  # fmt: skip
    maya.cadence = "every 3 years"  # written by an older crm, before the two-year rule
    recompute_all(session, Settings())
    assert maya.next_follow_up is not None and maya.next_follow_up <= dt.date(2027, 1, 1)
