"""`crm club init`, `add-member` and `members` (issue 15.2): what init makes, what it refuses, members' roles."""

from __future__ import annotations

import json
import time

import pytest

from tests.club import ADMIN, MEMBERS, Club, password
from tests.conftest import dump_url

PRIVATE = ("interaction", "promise", "draft", "contact_tag", "project", "target", "search_index", "me", "meta",
           "contact_state")  # fmt: skip


def _one(url: str, sql: str, params=()):
    import psycopg

    from crm.store.urls import libpq_url

    with psycopg.connect(libpq_url(url)) as conn:
        return conn.execute(sql, params).fetchall()


def _group() -> str:
    """A member group no other test's club has: the session's club template holds crm_member (roles are the
    cluster's, and a second club may not take another's group)."""
    return f"crm_test_group_{time.monotonic_ns() % 10**12}"


def test_init_makes_the_shared_and_private_tables_with_forced_row_security(cli, pg_url):
    result = cli("--db", pg_url, "club", "init", "--group", _group())
    assert result.code == 0, result.err
    assert "club database" in result.out
    kinds = dict(
        _one(pg_url, "SELECT relname, relkind::text FROM pg_class WHERE relnamespace = 'public'::regnamespace")
    )
    assert kinds["contact"] == "v" and kinds["club_contact"] == "r"
    assert {"contact_state", "touch", "club_info"} <= set(kinds)
    security = dict(
        (name, (enabled, forced))
        for name, enabled, forced in _one(
            pg_url,
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(%s)",
            (list(PRIVATE) + ["touch", "club_contact"],),
        )
    )
    for table in (*PRIVATE, "touch", "club_contact"):
        assert security[table] == (True, True), table
    policies = {(t, p) for t, p in _one(pg_url, "SELECT tablename, policyname FROM pg_policies")}
    for table in PRIVATE:
        assert (table, "club_own") in policies, table
    assert {("touch", "touch_read"), ("touch", "touch_add"), ("club_contact", "club_remove")} <= policies
    touch = _one(pg_url, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'touch'"
                         " ORDER BY ordinal_position")  # fmt: skip
    assert touch[:5] == [("id", "integer"), ("contact_id", "integer"), ("member", "text"), ("kind", "text"),
                         ("date", "date")]  # fmt: skip
    # crm keeps working for whoever ran init (here the superuser): the view takes the ORM's writes
    assert cli("--db", pg_url, "contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    assert cli("--db", pg_url, "log", "maya", "--kind", "message", "--date", "2026-11-20").code == 0
    assert _one(pg_url, "SELECT member, kind, date::text FROM touch") == [("postgres", "message", "2026-11-20")]


def test_init_keeps_a_personal_databases_rows_as_the_admins(cli, pg_url):
    assert cli("--db", pg_url, "contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    assert cli("--db", pg_url, "log", "maya", "--kind", "chat", "--date", "2026-11-20", "--notes", "hi").code == 0
    assert cli("--db", pg_url, "club", "init", "--group", _group()).code == 0
    assert _one(pg_url, "SELECT owner, stage FROM contact_state") == [("postgres", "chatted")]
    assert _one(pg_url, "SELECT member, kind FROM touch") == [("postgres", "chat")]
    shown = json.loads(cli("--db", pg_url, "contact", "show", "maya", "--json").out)
    assert shown["stage"] == "chatted" and shown["interactions"][0]["notes"] == "hi"


def test_init_migrates_an_empty_database_first(cli, pg_empty_url):
    assert cli("--db", pg_empty_url, "club", "init", "--group", _group()).code == 0
    assert _one(pg_empty_url, "SELECT to_regclass('club_contact') IS NOT NULL") == [(True,)]


def test_a_second_init_is_refused_and_changes_nothing(cli, club):
    """By a member: refused, as on any club. By its admin: the rules are this crm's already, so nothing to do
    (tests/cli/test_club_rules.py brings an older club's up to date)."""
    before = dump_url(club.admin_url)
    result = cli("--db", club.url("jordan"), "club", "init")
    assert result.code == 2
    assert "already a club" in result.err and len(result.err.strip().splitlines()) == 1
    result = cli("--db", club.admin_url, "club", "init")
    assert result.code == 0 and "nothing to do" in result.out and len(result.out.strip().splitlines()) == 1
    assert dump_url(club.admin_url) == before


def test_init_refuses_sqlite(cli, db_path):
    result = cli("--db", str(db_path), "club", "init")
    assert result.code == 2 and "PostgreSQL" in result.err
    assert not db_path.exists()


def test_init_by_a_role_that_does_not_own_the_tables_is_refused(cli, club, pg_cluster):
    name = pg_cluster.create_database()  # a personal crm database: its tables are the superuser's
    try:
        url = pg_cluster.url(name, user="jordan", password=password("jordan"))
        before = dump_url(pg_cluster.url(name))
        result = cli("--db", url, "club", "init")
        assert result.code == 2
        assert "does not own table" in result.err and "jordan" in result.err
        assert password("jordan") not in result.err
        assert dump_url(pg_cluster.url(name)) == before
    finally:
        pg_cluster.drop_database(name)


def test_init_by_a_role_that_may_not_create_the_group_is_refused(cli, pg_cluster):
    pg_cluster.admin("DO $$ BEGIN CREATE ROLE crm_test_owner LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    name = f"crm_test_owned_{time.monotonic_ns()}"
    pg_cluster.admin(f'CREATE DATABASE "{name}" OWNER crm_test_owner TEMPLATE template0')
    try:
        url = pg_cluster.url(name, user="crm_test_owner")
        result = cli("--db", url, "club", "init", "--group", "crm_test_group_nobody_made")
        assert result.code == 2
        assert "CREATEROLE" in result.err and "crm_test_group_nobody_made" in result.err
        assert _one(pg_cluster.url(name), "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                                          " AND relkind = 'r'") == [(0,)]  # fmt: skip
    finally:
        pg_cluster.drop_database(name)


# -- add-member and members -------------------------------------------------------------------------------------


def _require_password(cluster, role: str) -> None:
    """Make the test cluster (trust for everyone else) ask `role` for its password, and wait for the reload."""
    hba = cluster.data / "pg_hba.conf"
    hba.write_text(f"local all {role} scram-sha-256\n" + hba.read_text())
    cluster.admin("SELECT pg_reload_conf()")


def test_add_member_reads_the_password_from_stdin_and_the_member_logs_in_with_it(cli, club):
    import psycopg

    role = f"newbie_{time.monotonic_ns() % 10**9}"
    result = cli("--db", club.admin_url, "club", "add-member", role, stdin="correct horse\n")
    assert result.code == 0, result.err
    assert "correct horse" not in result.out + result.err
    _require_password(club.cluster, role)
    good = club.cluster.url(club.database, user=role, password="correct%20horse")
    bad = club.cluster.url(club.database, user=role, password="wrong")
    from crm.store.urls import libpq_url

    deadline = time.monotonic() + 10
    while True:  # the reload is asynchronous: wait until the server asks for the password
        try:
            psycopg.connect(libpq_url(bad)).close()
        except psycopg.OperationalError as refused:
            assert "password authentication failed" in str(refused)
            break
        assert time.monotonic() < deadline, "the server never asked for the password"
        time.sleep(0.1)
    with psycopg.connect(libpq_url(good)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (role,)
        assert conn.execute("SELECT pg_has_role(current_user, 'crm_member', 'MEMBER')").fetchone() == (True,)
    shown = cli("--db", good, "contact", "list")
    assert shown.code == 0, shown.err
    assert role in json.loads(cli("--db", club.admin_url, "club", "members", "--json").out)


def test_add_member_takes_no_password_on_the_command_line(cli, club):
    help_text = cli("club", "add-member", "--help").out
    assert "--password" not in help_text and "stdin" in help_text
    result = cli("--db", club.admin_url, "club", "add-member", "someone", "--password", "x", stdin="pw\n")
    assert result.code == 2 and "No such option" in result.err


@pytest.mark.parametrize("name", ["Bad-Name", "sam; DROP TABLE contact", "pg_sneaky", "1abc", "", "x" * 64])
def test_add_member_refuses_a_name_that_is_not_a_plain_role_name(cli, club, name):
    before = json.loads(cli("--db", club.admin_url, "club", "members", "--json").out)
    result = cli("--db", club.admin_url, "club", "add-member", name, stdin="pw\n")
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert json.loads(cli("--db", club.admin_url, "club", "members", "--json").out) == before


def test_add_member_refuses_an_existing_role_and_an_empty_password(cli, club):
    result = cli("--db", club.admin_url, "club", "add-member", "jordan", stdin="pw\n")
    assert result.code == 2 and "already exists" in result.err
    result = cli("--db", club.admin_url, "club", "add-member", "fresh_name", stdin="\n")
    assert result.code == 2 and "empty" in result.err
    assert "fresh_name" not in json.loads(cli("--db", club.admin_url, "club", "members", "--json").out)


def test_add_member_by_a_member_is_refused(cli, club):
    result = cli("--db", club.url("jordan"), "club", "add-member", "jordans_friend", stdin="pw\n")
    assert result.code == 2 and "CREATEROLE" in result.err


def test_members_lists_the_member_roles(cli, club):
    listed = json.loads(cli("--db", club.admin_url, "club", "members", "--json").out)
    assert set(MEMBERS) <= set(listed) and ADMIN not in listed
    plain = cli("--db", club.url("sam"), "club", "members").out.split()
    assert set(MEMBERS) <= set(plain)


def test_members_on_a_personal_database_says_to_init_first(cli, pg_url):
    result = cli("--db", pg_url, "club", "members")
    assert result.code == 2 and "crm club init" in result.err


# -- later crm versions ---------------------------------------------------------------------------------------


def test_a_crm_with_a_newer_migration_refuses_a_club_database_in_one_line(cli, club: Club):
    import psycopg

    from crm.store.urls import libpq_url

    with psycopg.connect(libpq_url(club.admin_url), autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0007'")  # as if this crm had a migration past it
    before = dump_url(club.admin_url)
    for url in (club.url("jordan"), club.admin_url):
        result = cli("--db", url, "due")
        assert result.code == 2
        assert "club database" in result.err and "not migrated automatically" in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert dump_url(club.admin_url) == before


def test_a_member_moves_a_personal_database_into_an_empty_club_and_back(cli, club, tmp_path):
    """Issue 15.4 in a club: jordan's laptop database goes into the club as jordan's, losslessly, and back out."""
    from tests.cli.test_db_copy import _everything

    laptop = str(tmp_path / "laptop.db")
    for args in (["demo"], ["draft", "hannah", "--send"], ["me", "--name", "Jordan"],
                 ["project", "add", "Skip-rate model", "--result", "cut skips 12%"]):  # fmt: skip
        assert cli("--db", laptop, *args).code == 0
    before = _everything(cli, laptop)
    jordan = club.url("jordan")
    result = cli("db", "copy", laptop, jordan)
    assert result.code == 0, result.err
    exported, due, found = _everything(cli, jordan)
    for item in due:  # in a club each due item also says who else touched them lately: nobody, here
        assert item.pop("club_touches") == [] and item.pop("fatigue")["exceeded"] is False
    assert (exported, due, found) == before
    with club.connect("sam") as conn:  # moved in as jordan's: sam sees the alumni, none of jordan's history
        assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == len(before[0]["contacts"])
        assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (0,)
    back = str(tmp_path / "back.db")
    assert cli("db", "copy", jordan, back).code == 0
    assert _everything(cli, back) == before
    largest = max(c["id"] for c in before[0]["contacts"])
    assert cli("--db", club.url("sam"), "contact", "add", "Someone New").out == f"Added #{largest + 1} Someone New\n"
