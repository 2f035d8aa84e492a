"""Warm paths (crm.insights.paths): the chain of introductions, and bad data that cannot hang it."""

from __future__ import annotations

from contextlib import closing

import pytest

from crm.contacts.reads import contact_details
from crm.insights.paths import MAX_STEPS, PathStep, path_text, warm_path
from tests.conftest import TODAY
from tests.unit.test_insights_funnel import Net


@pytest.fixture
def net(engine, db_path):
    """A hand-built history (see test_insights_funnel.Net)."""
    found = Net(db_path)
    with closing(found.conn):
        yield found


def _names(path):
    return [step.name for step in path]


def test_the_chain_of_introductions(net):
    ivan = net.contact("Ivan Roy")
    jia = net.contact("Jia Song", introduced_by=ivan)
    lee = net.contact("Lee Park", introduced_by=jia)
    path = warm_path(net.conn, lee)
    assert path == [PathStep(ivan, "Ivan Roy"), PathStep(jia, "Jia Song"), PathStep(lee, "Lee Park")]
    assert path_text(path) == "Ivan Roy -> Jia Song -> Lee Park"
    assert path_text([step.as_json() for step in path]) == "Ivan Roy -> Jia Song -> Lee Park"
    assert _names(warm_path(net.conn, jia)) == ["Ivan Roy", "Jia Song"]
    assert _names(warm_path(net.conn, ivan)) == ["Ivan Roy"]  # met directly: a path of one
    assert warm_path(net.conn, 999) == []


def test_a_cycle_planted_with_raw_sql_ends_the_walk(net):
    a = net.contact("Ann")
    b = net.contact("Bob", introduced_by=a)
    c = net.contact("Cy", introduced_by=b)
    net.conn.execute("UPDATE contact SET introduced_by_id = ? WHERE id = ?", (c, a))  # Ann "introduced by" Cy
    assert _names(warm_path(net.conn, c)) == ["Ann", "Bob", "Cy"]
    assert _names(warm_path(net.conn, a)) == ["Bob", "Cy", "Ann"]
    me = net.contact("Self Intro")
    net.conn.execute("UPDATE contact SET introduced_by_id = id WHERE id = ?", (me,))
    assert _names(warm_path(net.conn, me)) == ["Self Intro"]


def test_a_very_long_chain_stops_at_the_limit(net):
    previous = None
    for n in range(30):
        previous = net.contact(f"Person {n}", introduced_by=previous)
    assert len(warm_path(net.conn, previous)) == 30
    assert _names(warm_path(net.conn, previous, limit=5)) == [f"Person {n}" for n in range(25, 30)]
    assert MAX_STEPS >= 1000


def test_contact_details_carry_the_path(net):
    ivan = net.contact("Ivan Roy")
    lee = net.contact("Lee Park", introduced_by=ivan)
    assert contact_details(net.conn, lee, today=TODAY)["path"] == [
        {"id": ivan, "name": "Ivan Roy"}, {"id": lee, "name": "Lee Park"},
    ]  # fmt: skip
    assert contact_details(net.conn, ivan, today=TODAY)["path"] == [{"id": ivan, "name": "Ivan Roy"}]
