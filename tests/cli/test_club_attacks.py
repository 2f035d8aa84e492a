"""A curious member with psql and their own role (issue 15.2): sam tries every route to jordan's private rows.

The first tests are holes this review found and crm.club.schema now closes; the rest are attacks the database
already refused, kept so that removing a protection fails a test. Metadata PostgreSQL cannot hide (row counts in
pg_class / pg_stat_user_tables, ids from sequences, a unique violation saying an id exists) is not tested here.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.cli.test_club_privacy import _promise, jordans  # noqa: F401  (the fixture: jordan's private rows)
from tests.club import Club

pytestmark = pytest.mark.usefixtures("jordans")


def _admin(club: Club):
    return psycopg.connect(club.admin_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _slots(conn) -> tuple[int, int]:
    slots, hook = conn.execute("SELECT value FROM club_info WHERE key = 'hook_slot'").fetchone()[0].split(":")
    return int(slots), int(hook)


# -- holes found and closed ---------------------------------------------------------------------------------------


def _rows_estimate(conn, sql: str) -> int:
    plan = conn.execute(f"EXPLAIN {sql}").fetchone()[0]
    return int(plan.split("rows=")[1].split()[0])


def test_the_planners_statistics_do_not_confirm_a_guess_at_another_members_notes_or_tags(club):
    """ANALYZE samples under no row-level security, and the planner uses the samples for leakproof operators: with
    statistics on, sam's EXPLAIN said rows=100 for jordan's real note and rows=1 for a wrong guess."""
    with club.connect("jordan") as conn:
        conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, created_at, notes) SELECT (SELECT min(id) FROM"
            " club_contact), 'note', '2026-11-01', now(), CASE WHEN g % 2 = 0 THEN 'SECRET-X' ELSE 'n' || g END"
            " FROM generate_series(1, 400) AS g"
        )
        conn.execute("INSERT INTO contact_tag (contact_id, tag) SELECT id, 'secret-tag-x' FROM contact")
    with club.connect("sam") as conn:  # sam's own rows, so that `owner = sam` does not make every estimate 1
        conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, created_at, notes) SELECT (SELECT min(id) FROM"
            " club_contact), 'note', '2026-11-01', now(), 's' || g FROM generate_series(1, 400) AS g"
        )
    with _admin(club) as admin:
        admin.execute("ANALYZE")  # as autovacuum would, sooner or later
        assert admin.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'hook'").fetchone()[0] > 0  # it ran
    with club.connect("sam") as conn:
        for table, column, secret in (("interaction", "notes", "SECRET-X"), ("search_index", "body", "SECRET-X"),
                                      ("contact_tag", "tag", "secret-tag-x")):  # fmt: skip
            right = _rows_estimate(conn, f"SELECT * FROM {table} WHERE {column} = '{secret}'")
            wrong = _rows_estimate(conn, f"SELECT * FROM {table} WHERE {column} = 'a wrong guess'")
            assert right == wrong, (table, right, wrong)


def test_club_contact_in_use_answers_for_the_callers_own_role_only(cli, club):
    """With another member's name it told whom a private relationship is with: Ivan, whom only jordan added (no
    touch), was 'in use' except when asked excluding jordan."""
    assert cli("--db", club.url("jordan"), "contact", "add", "Ivan Petrov", "--notes", "private").code == 0
    with club.connect("sam") as conn:
        ivan = conn.execute("SELECT id FROM club_contact WHERE name = 'Ivan Petrov'").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM touch WHERE contact_id = %s", (ivan,)).fetchone() == (0,)
        assert conn.execute("SELECT club_contact_in_use(%s, 'sam')", (ivan,)).fetchone() == (True,)  # as designed
        for other in ("jordan", "crm_club_admin"):
            with pytest.raises(psycopg.errors.RaiseException, match="own role only"):
                conn.execute("SELECT club_contact_in_use(%s, %s)", (ivan, other))


def _next_interaction_ids(conn, n: int = 5) -> list[int]:
    last = conn.execute("SELECT last_value FROM interaction_id_seq").fetchone()[0]
    return list(range(last + 1, last + 1 + n))


def test_a_member_cannot_block_anothers_logging_by_claiming_their_next_touches(cli, club):
    with club.connect("sam") as conn:
        contact = conn.execute("SELECT min(id) FROM club_contact").fetchone()[0]
        for taken in _next_interaction_ids(conn):
            conn.execute(
                "INSERT INTO touch (contact_id, kind, date, interaction_id) VALUES (%s, 'note', '2026-11-01', %s)",
                (contact, taken),
            )
    logged = cli("--db", club.url("jordan"), "log", "maya", "--kind", "chat", "--notes", "another chat")
    assert logged.code == 0, logged.err
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT count(*) FROM touch WHERE member = 'jordan'").fetchone() == (3,)


def test_a_member_cannot_block_anothers_logging_by_claiming_their_next_search_entries(cli, club):
    with club.connect("sam") as conn:
        slots, hook = _slots(conn)
        for taken in _next_interaction_ids(conn):
            for field in range(slots):
                if field != hook:
                    conn.execute(
                        "INSERT INTO search_index (entry, body) VALUES (%s, 'squatted')", (taken * slots + field,)
                    )
    logged = cli("--db", club.url("jordan"), "log", "maya", "--kind", "chat", "--notes", "another chat")
    assert logged.code == 0, logged.err
    assert "«another» chat" in cli("--db", club.url("jordan"), "search", "another").out
    assert "Nothing matches" in cli("--db", club.url("sam"), "search", "another").out


# -- attacks the database refuses (regressions) -------------------------------------------------------------------


def test_a_member_cannot_move_an_id_sequence_back_to_break_everyones_next_log(cli, club):
    """setval is refused to members; the club's forward-only function (for `crm db copy`) never moves one back, and
    touches only the club's own sequences."""
    with club.connect("sam") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT setval('interaction_id_seq', 1)")
        before = conn.execute("SELECT last_value FROM interaction_id_seq").fetchone()[0]
        conn.execute("SELECT club_advance_sequence('interaction_id_seq', 1)")
        assert conn.execute("SELECT last_value FROM interaction_id_seq").fetchone()[0] == before
        with pytest.raises(psycopg.errors.RaiseException, match="not a sequence of this club"):
            conn.execute("SELECT club_advance_sequence('pg_catalog.pg_class', 5)")
    assert cli("--db", club.url("jordan"), "log", "maya", "--kind", "note", "--notes", "still logs").code == 0


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE FUNCTION spy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",  # no CREATE in schema
        "CREATE SCHEMA spy",
        "CREATE TRIGGER spy BEFORE UPDATE ON club_contact FOR EACH ROW EXECUTE FUNCTION contact_view_update()",
        "CREATE TRIGGER spy AFTER INSERT ON touch FOR EACH ROW EXECUTE FUNCTION club_touch_sync()",
        "TRUNCATE club_contact CASCADE",
        "TRUNCATE touch",
        "TRUNCATE search_index",
        "ALTER TABLE club_contact DISABLE ROW LEVEL SECURITY",
        "CREATE POLICY spy ON interaction FOR SELECT USING (true)",
        "ALTER FUNCTION club_contact_in_use(integer, text) SECURITY INVOKER",
        "ALTER FUNCTION club_contact_in_use(integer, text) SET search_path = pg_temp, public",
        "ALTER TABLE interaction ALTER COLUMN notes SET STATISTICS 100",
        "ANALYZE interaction",  # skipped with a warning for a non-owner: must not be a way to fill pg_stats
    ],
)
def test_sam_may_not_create_alter_or_truncate(club, sql):
    with club.connect("sam") as conn:
        warnings = []
        conn.add_notice_handler(lambda diag: warnings.append(diag.message_primary))
        try:
            conn.execute(sql)
        except psycopg.errors.InsufficientPrivilege:
            return
        assert sql.startswith("ANALYZE") and warnings and "skipping" in warnings[0], (sql, warnings)


def test_the_peek_setting_lifts_nothing_for_a_member(club):
    _promise(club)
    with club.connect("sam") as conn:
        conn.execute("SELECT set_config('crm.club_peek', 'on', false)")
        for table in ("interaction", "contact_state", "promise", "draft", "contact_tag", "me", "project"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


def test_a_leaky_function_of_sams_sees_none_of_jordans_rows(club):
    """The policy runs before any user-written (not leakproof) condition, however cheap it claims to be."""
    with club.connect("sam") as conn:
        seen = []
        conn.add_notice_handler(lambda diag: seen.append(diag.message_primary))
        conn.execute(
            "CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001"
            " AS $$ BEGIN RAISE NOTICE 'saw %', $1; RETURN true; END $$"
        )
        for table, column in (("interaction", "notes"), ("contact_state", "notes"), ("search_index", "body"),
                              ("draft", "text"), ("me", "name")):  # fmt: skip
            conn.execute(f"SELECT count(*) FROM {table} WHERE pg_temp.leak({column}::text)")
    assert not [line for line in seen if "SECRET" in line], seen
    with club.connect("jordan") as conn:  # the same function as jordan does print them: the test is not vacuous
        conn.add_notice_handler(lambda diag: seen.append(diag.message_primary))
        conn.execute("CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql"
                     " AS $$ BEGIN RAISE NOTICE 'saw %', $1; RETURN true; END $$")  # fmt: skip
        conn.execute("SELECT count(*) FROM interaction WHERE pg_temp.leak(notes)")
    assert "saw SECRET-NOTE-J" in seen


def test_pg_stats_shows_no_private_table_and_pg_stat_activity_no_query_text(club):
    with club.connect("jordan") as jordan, _admin(club) as admin:
        admin.execute("ANALYZE")
        jordan.execute("SELECT 'SECRET-NOTE-J'")
        with club.connect("sam") as conn:
            shown = {
                row[0] for row in conn.execute("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public'")
            }
            assert shown and not shown & {"interaction", "contact_state", "search_index", "draft", "promise", "me"}
            queries = conn.execute("SELECT query FROM pg_stat_activity WHERE usename = 'jordan'").fetchall()
            assert queries == [("<insufficient privilege>",)]


def test_returning_on_conflict_and_copy_give_sam_nothing_of_jordans(club):
    with club.connect("jordan") as conn:
        chat = conn.execute("SELECT id, contact_id FROM interaction WHERE kind = 'chat'").fetchone()
    with club.connect("sam") as conn:
        insert = (
            "INSERT INTO interaction (id, contact_id, kind, date, created_at) VALUES (%s, %s, 'note', now(), now())"
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(insert + " ON CONFLICT (id) DO UPDATE SET notes = 'mine' RETURNING notes", chat)
        assert conn.execute(insert + " ON CONFLICT (id) DO NOTHING RETURNING notes", chat).fetchall() == []
        for sql in (
            "UPDATE interaction SET kind = kind RETURNING notes",
            "DELETE FROM interaction RETURNING notes",
            "UPDATE contact_state SET notes = notes RETURNING notes",
            "UPDATE touch SET member = 'sam' WHERE member = 'jordan' RETURNING *",
            "UPDATE touch SET contact_id = contact_id RETURNING *",
        ):
            assert conn.execute(sql).fetchall() == [], sql
        with conn.cursor().copy("COPY interaction TO STDOUT") as copy:
            assert [bytes(row) for row in copy] == []
        with conn.cursor().copy("COPY contact_state TO STDOUT") as copy:
            assert [bytes(row) for row in copy] == []


def test_hook_slot_arithmetic_moves_none_of_jordans_text_into_the_shared_slots(club):
    """search_index shares the rows whose entry is in the hook slot: sam cannot move jordan's notes there, nor write a
    row of his own into jordan's name outside it."""
    with club.connect("sam") as conn:
        slots, hook = _slots(conn)
        moved = conn.execute(
            f"UPDATE search_index SET entry = entry - entry % {slots} + {hook} WHERE entry % {slots} <> {hook}"
        )
        assert moved.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO search_index (entry, body, owner) VALUES (%s, 'x', 'jordan')", (slots * 999,))
        bodies = [row[0] for row in conn.execute("SELECT body FROM search_index")]
        assert bodies == ["post on playlist-loading latency"]
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT count(*) FROM search_index WHERE body LIKE 'SECRET%'").fetchone()[0] == 3


def test_a_temp_table_of_sams_does_not_hijack_the_security_definer_check(cli, club):
    """club_contact_in_use runs as the admin with search_path `public, pg_temp`: sam's temporary `touch` (or
    `interaction`) comes after the real one, so it cannot make a contact look in use (or not) to the check."""
    assert cli("--db", club.url("sam"), "contact", "add", "Jia Song").code == 0
    with club.connect("sam") as conn:
        jia = conn.execute("SELECT id FROM club_contact WHERE name = 'Jia Song'").fetchone()[0]
        conn.execute("CREATE TEMP TABLE touch (contact_id integer, member text)")
        conn.execute("INSERT INTO pg_temp.touch VALUES (%s, 'someone else')", (jia,))
        conn.execute("CREATE TEMP TABLE contact_state (contact_id integer, owner name)")
        conn.execute("INSERT INTO pg_temp.contact_state VALUES (%s, 'jordan')", (jia,))
        assert conn.execute("SELECT club_contact_in_use(%s, 'sam')", (jia,)).fetchone() == (False,)
        maya = conn.execute("SELECT id FROM club_contact WHERE name = 'Maya Chen'").fetchone()[0]
        assert conn.execute("SELECT club_contact_in_use(%s, 'sam')", (maya,)).fetchone() == (True,)


def test_keys_are_per_member_so_a_unique_violation_confirms_nothing_of_jordans(cli, club):
    """jordan's project name, tag and `me` row do not collide with sam's: no "Key (...)=(...) already exists"."""
    sam = club.url("sam")
    assert cli("--db", sam, "project", "add", "SECRET-PROJ-J", "--result", "a guess").code == 0
    assert cli("--db", sam, "contact", "edit", "maya", "--tag", "secret-tag-j").code == 0
    assert cli("--db", sam, "me", "--name", "Sam", "--school", "MIT", "--year", "junior", "--major", "Course 6",
               "--target", "product internships").code == 0  # fmt: skip
    assert cli("--db", sam, "target", "add", "Netflix").code == 0
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT name FROM me").fetchall() == [("SECRET-ME-J",)]
        assert conn.execute("SELECT count(*) FROM project WHERE name = 'SECRET-PROJ-J'").fetchone() == (1,)
