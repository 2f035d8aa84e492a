"""Companies and target companies (crm.insights.companies, crm.insights.targets) on hand-built networks; migration 0007."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from crm.errors import CrmError
from crm.insights.companies import companies, company_key
from crm.insights.targets import add_target
from crm.store.db import migrate, schema_revision, write_session
from tests.conftest import TODAY
from tests.unit.test_insights_funnel import Net


@pytest.fixture
def net(engine, db_path):
    """A hand-built history (see test_insights_funnel.Net)."""
    found = Net(db_path)
    with closing(found.conn):
        yield found


D = dt.date.fromisoformat


def _targets(engine, *names):
    results = []
    with write_session(engine) as session:
        for name in names:
            target, created = add_target(session, name)
            results.append((target.company, created))
    return results


def _by_name(found):
    return {c.company: c for c in found}


def test_warmest_is_the_furthest_stage_then_the_most_recent(net):
    ana = net.contact("Ana Advocate", stage="advocate", company="Spotify")
    net.log(ana, "intro", "2026-06-01")  # quiet for months: advocates never read as dormant
    ben = net.contact("Ben Chatted", stage="chatted", company="spotify ", next_follow_up="2026-12-01")
    net.log(ben, "chat", "2026-11-22")
    cid = net.contact("Cid Chatted", stage="chatted", company="SPOTIFY", next_follow_up="2026-11-27")
    net.log(cid, "chat", "2026-11-20")
    net.contact("Old Friend", stage="advocate", company="Spotify", archived=True)  # archived: left out
    spotify = _by_name(companies(net.conn, today=TODAY))["Spotify"]
    assert (spotify.contacts, spotify.warmest.name, spotify.warmest.stage) == (3, "Ana Advocate", "advocate")
    assert spotify.last_touch == D("2026-11-22")
    assert (spotify.next_follow_up, spotify.next_person.name) == (D("2026-11-27"), "Cid Chatted")
    assert spotify.as_json() == {
        "company": "Spotify", "contacts": 3, "warmest": {"id": ana, "name": "Ana Advocate", "stage": "advocate"},
        "last_touch": "2026-11-22", "next_follow_up": "2026-11-27", "target": False,
    }  # fmt: skip


def test_a_tie_on_stage_goes_to_the_most_recent(net):
    for name, day in (("Early", "2026-11-01"), ("Late", "2026-11-20"), ("Middle", "2026-11-10")):
        who = net.contact(name, stage="chatted", company="Netflix")
        net.log(who, "chat", day)
    assert _by_name(companies(net.conn, today=TODAY))["Netflix"].warmest.name == "Late"


def test_a_dormant_contact_ranks_by_the_stage_they_reached(net):
    quiet = net.contact("Quiet Chat", stage="chatted", company="Stripe")
    net.log(quiet, "chat", "2026-06-01")  # 177 days ago: dormant
    fresh = net.contact("Fresh Reply", stage="replied", company="Stripe")
    net.log(fresh, "reply", "2026-11-20")
    stripe = _by_name(companies(net.conn, today=TODAY))["Stripe"]
    assert (stripe.warmest.name, stripe.warmest.stage) == ("Quiet Chat", "dormant")


def test_names_group_case_and_space_insensitively_and_show_the_most_used_spelling(net):
    for spelling in ("Cadenza Audio", "cadenza  audio", "Cadenza Audio", "CADENZA AUDIO"):
        net.contact(f"Person {spelling}", company=spelling)
    net.contact("Nowhere", company="  ")
    net.contact("No Company")
    found = companies(net.conn, today=TODAY)
    assert [(c.company, c.contacts) for c in found] == [("Cadenza Audio", 4)]
    assert company_key("  Cadenza   AUDIO ") == "cadenza audio"


def test_target_companies_come_first_with_what_is_there(engine, net):
    net.contact("Maya", stage="chatted", company="Spotify")
    for n in range(2):
        net.contact(f"Imported {n}", company="Stripe", source="LinkedIn")  # identified connections, never written to
    net.contact("Researched", company="Stripe", source="MIT Alumni Directory")
    net.contact("Only One", company="Notion", source="LinkedIn")
    net.contact("Mine", company="Notion", stage="contacted", source="LinkedIn")  # written to: Notion is not cold
    net.contact("Someone", company="Deezer", source="MIT Alumni Directory")
    _targets(engine, "Figma", "stripe", "Notion", "Deezer")
    found = companies(net.conn, today=TODAY)
    assert [(c.company, c.target) for c in found] == [
        ("Deezer", True), ("Figma", True), ("Notion", True), ("Stripe", True), ("Spotify", False),
    ]  # fmt: skip
    by_name = _by_name(found)
    assert by_name["Figma"].as_json() == {
        "company": "Figma", "contacts": 0, "warmest": None, "last_touch": None, "next_follow_up": None,
        "target": True,
    }  # fmt: skip
    assert by_name["Figma"].note() == "no one at Figma yet"
    assert by_name["Stripe"].contacts == 3 and by_name["Stripe"].imported == 2
    assert by_name["Stripe"].note() == (
        "no one you've written to at Stripe yet: 2 of your imported connections work there"
    )
    assert by_name["Deezer"].note() == "no one you've written to at Deezer yet: 1 identified"
    assert not by_name["Notion"].cold and by_name["Notion"].note() is None
    assert by_name["Spotify"].note() is None  # not a target


def test_one_imported_connection_works_there(engine, net):
    net.contact("Solo", company="Figma", source="linkedin")
    _targets(engine, "Figma")
    assert companies(net.conn, today=TODAY)[0].note() == (
        "no one you've written to at Figma yet: 1 of your imported connections works there"
    )


def test_adding_a_target_is_idempotent_and_case_insensitive(engine, net):
    assert _targets(engine, "Figma", "figma", "  FIGMA  ", "Acme   Audio", "acme audio") == [
        ("Figma", True), ("Figma", False), ("Figma", False), ("Acme Audio", True), ("Acme Audio", False),
    ]  # fmt: skip
    assert net.conn.execute("SELECT company, key FROM target ORDER BY id").fetchall() == [
        ("Figma", "figma"), ("Acme Audio", "acme audio"),
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_target_needs_a_sensible_name(engine, net, name):
    with pytest.raises(CrmError):
        _targets(engine, name)
    assert net.conn.execute("SELECT count(*) FROM target").fetchone() == (0,)


def test_no_companies(net):
    assert companies(net.conn, today=TODAY) == []


def test_migration_0007_adds_the_target_table_and_the_indexes_and_takes_them_away(tmp_path):
    path = tmp_path / "old.db"
    migrate(path, "0006")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO contact (name, stage, archived, created_at, updated_at) VALUES ('Maya', 'contacted', 0,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, created_at) VALUES (1, 'message', '2026-11-01',"
            " '2026-01-01 00:00:00')"
        )
    migrate(path)
    assert schema_revision(path) >= "0007"  # head: 0007 or a later migration
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
        assert {"target", "ix_target_key", "ix_interaction_kind_contact_date", "ix_contact_archived_stage"} <= names
        triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert "search_interaction_insert" in triggers  # no table rebuild: 0004's triggers are still there
        assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (1,)
    migrate(path, "0006", downgrade=True)
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
        assert not names & {"target", "ix_target_key", "ix_interaction_kind_contact_date", "ix_contact_archived_stage"}
