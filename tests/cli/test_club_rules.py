"""A club's rules as an independent tester tried them (crm.club.schema): the id sequences, the member group, hooks
when an alum is forgotten, which interactions become touches, and bringing a club made by an older crm up to date.

Each defect is reproduced as the tester did it, and now does no harm; the documented good paths still work.
"""

from __future__ import annotations

import json
import time

import psycopg
import pytest

from tests.club import ADMIN, Club
from tests.conftest import dump_url


def _admin(club: Club):
    return psycopg.connect(club.admin_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _name(prefix: str) -> str:
    """A role name no other test uses (roles belong to the whole cluster)."""
    return f"club_rules_{prefix}_{time.monotonic_ns() % 10**12}"


def _ok(result) -> str:
    assert result.code == 0, result.err
    return result.out


def _one_line_refusal(result) -> str:
    assert result.code == 2, (result.out, result.err)
    assert result.out == "" and len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    return result.err


# -- 1. a member cannot use up an id sequence for everyone ------------------------------------------------------


@pytest.mark.parametrize("sequence", ["touch_id_seq", "contact_id_seq", "interaction_id_seq", "hook_id_seq"])
def test_advancing_a_sequence_to_its_maximum_moves_it_no_further_than_the_ids_present(cli, club, sequence):
    with club.connect("sam") as conn:
        before = conn.execute(f"SELECT last_value FROM {sequence}").fetchone()[0]
        conn.execute("SELECT club_advance_sequence(%s, 2147483647)", (sequence,))
        after = conn.execute(f"SELECT last_value FROM {sequence}").fetchone()[0]
    assert after == before  # an empty club: no id beyond what the sequence gave out
    jordan = club.url("jordan")
    _ok(cli("--db", jordan, "contact", "add", "Maya Chen", "--company", "Spotify"))
    _ok(cli("--db", jordan, "hook", "add", "maya", "a post on ranking"))
    _ok(cli("--db", jordan, "log", "maya", "--kind", "message", "--notes", "hello"))
    _ok(cli("--db", club.url("sam"), "contact", "add", "Ivan Petrov"))


def test_a_members_own_row_with_a_huge_id_does_not_let_them_use_the_sequence_up(cli, club):
    """The cap is the largest id present, and a member may insert a row with an id of their choosing: ids past half
    the range are refused, and the function ignores any already there (a row from before these rules, here put in
    by the admin), so everyone's ids go on."""
    new = "INSERT INTO club_contact (id, name, created_at, updated_at) VALUES (%s, %s, now(), now())"
    with club.connect("sam") as conn, pytest.raises(psycopg.errors.RaiseException, match="past the ids a club"):
        conn.execute(new, (2147483647, "Nobody"))
    with _admin(club) as conn:
        conn.execute("ALTER TABLE club_contact DISABLE TRIGGER club_claim_id")
        conn.execute(new, (2147483647, "Nobody"))
        conn.execute("ALTER TABLE club_contact ENABLE TRIGGER club_claim_id")
    with club.connect("sam") as conn:
        conn.execute("SELECT club_advance_sequence('contact_id_seq', 2147483647)")
        assert conn.execute("SELECT last_value < 1000 FROM contact_id_seq").fetchone() == (True,)
        conn.execute(new, (5000, "Somebody"))  # the sequence moves past it as it goes in
        conn.execute("SELECT club_advance_sequence('contact_id_seq', 2147483647)")  # as far as 5000, no further
        assert conn.execute("SELECT last_value FROM contact_id_seq").fetchone() == (5000,)
        conn.execute("SELECT club_advance_sequence('contact_id_seq', 10)")  # never back
        assert conn.execute("SELECT last_value FROM contact_id_seq").fetchone() == (5000,)
    assert _ok(cli("--db", club.url("jordan"), "contact", "add", "Maya Chen")) == "Added #5001 Maya Chen\n"


def test_claiming_the_next_ids_of_a_table_blocks_nobodys_writes(cli, club):
    """sam inserts rows of his own with the ids jordan's next contact, interaction and touch would get: the sequences
    move past them as they go in, so jordan's `crm contact add` and `crm log` take the ids after."""
    _ok(cli("--db", club.url("jordan"), "contact", "add", "Maya Chen"))
    with club.connect("sam") as conn:
        maya = conn.execute("SELECT id FROM club_contact").fetchone()[0]

        def next_ids(sequence: str) -> range:
            last = conn.execute(f"SELECT last_value FROM {sequence}").fetchone()[0]
            return range(last + 1, last + 4)

        for taken in next_ids("contact_id_seq"):
            conn.execute("INSERT INTO club_contact (id, name, created_at, updated_at) VALUES (%s, 'x', now(), now())",
                         (taken,))  # fmt: skip
        for taken in next_ids("interaction_id_seq"):
            conn.execute("INSERT INTO interaction (id, contact_id, kind, date, created_at)"
                         " VALUES (%s, %s, 'note', now(), now())", (taken, maya))  # fmt: skip
        for taken in next_ids("touch_id_seq"):
            conn.execute("INSERT INTO touch (id, contact_id, kind, date) VALUES (%s, %s, 'chat', now())", (taken, maya))
        with pytest.raises(psycopg.errors.RaiseException, match="past the ids a club gives out"):
            conn.execute("INSERT INTO touch (id, contact_id, kind, date) VALUES (2147483647, %s, 'chat', now())",
                         (maya,))  # fmt: skip
    jordan = club.url("jordan")
    _ok(cli("--db", jordan, "contact", "add", "Ivan Petrov"))
    _ok(cli("--db", jordan, "log", "maya", "--kind", "chat", "--notes", "still logs"))
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT count(*) FROM touch WHERE member = 'jordan'").fetchone() == (1,)


def test_the_sequence_moves_past_other_members_private_rows_too(cli, club):
    """The function runs as the admin, who sees only their own private rows unless it peeks: without the peek, the
    ids of jordan's interactions would not count and sam's next log would collide with them. (The row goes in with
    the claim trigger off, as a row from before these rules would be there.)"""
    with _admin(club) as conn:
        conn.execute("ALTER TABLE interaction DISABLE TRIGGER club_claim_id")
    with club.connect("jordan") as conn:
        contact = conn.execute("INSERT INTO contact (name) VALUES ('Maya Chen') RETURNING id").fetchone()[0]
        conn.execute(
            "INSERT INTO interaction (id, contact_id, kind, date, created_at) VALUES (700, %s, 'note', now(), now())",
            (contact,),
        )
    with _admin(club) as conn:
        conn.execute("ALTER TABLE interaction ENABLE TRIGGER club_claim_id")
    with club.connect("sam") as conn:
        assert conn.execute("SELECT last_value < 700 FROM interaction_id_seq").fetchone() == (True,)
        conn.execute("SELECT club_advance_sequence('interaction_id_seq', 2147483647)")
        assert conn.execute("SELECT last_value FROM interaction_id_seq").fetchone() == (700,)
    _ok(cli("--db", club.url("sam"), "log", "maya", "--kind", "chat", "--notes", "sam's chat"))


def test_a_personal_database_copied_into_an_empty_club_still_moves_every_sequence(cli, club, tmp_path):
    laptop = str(tmp_path / "laptop.db")
    _ok(cli("--db", laptop, "demo"))
    exported = json.loads(_ok(cli("--db", laptop, "export", "json", "-")))
    jordan = club.url("jordan")
    _ok(cli("db", "copy", laptop, jordan))
    with club.connect("sam") as conn:
        for sequence, section in (("contact_id_seq", "contacts"), ("interaction_id_seq", "interactions"),
                                  ("hook_id_seq", "hooks")):  # fmt: skip
            largest = max(row["id"] for row in exported[section])
            assert conn.execute(f"SELECT last_value FROM {sequence}").fetchone()[0] >= largest, sequence
    sam = club.url("sam")
    _ok(cli("--db", sam, "contact", "add", "Someone New"))
    _ok(cli("--db", sam, "log", "someone new", "--kind", "message"))
    _ok(cli("--db", sam, "hook", "add", "someone new", "a talk"))
    _ok(cli("--db", jordan, "log", "someone new", "--kind", "chat", "--notes", "after the copy"))


# -- 2. the member group is the club's own ------------------------------------------------------------------------


def test_a_second_club_on_the_server_does_not_take_over_the_first_clubs_group(cli, club, pg_url):
    """crm_member is the first club's (its members jordan and sam are in it): a second init without --group is
    refused, changing nothing; with a group of its own it works and the first club's members are not its members."""
    before = dump_url(pg_url)
    err = _one_line_refusal(cli("--db", pg_url, "club", "init"))
    assert "role crm_member already has privileges or objects in database crm_" in err and "--group NAME" in err
    assert dump_url(pg_url) == before
    with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute("SELECT to_regclass('club_info')").fetchone() == (None,)
    group = _name("second")
    _ok(cli("--db", pg_url, "club", "init", "--group", group))
    assert json.loads(_ok(cli("--db", pg_url, "club", "members", "--json"))) == []
    second = pg_url.replace("postgresql+psycopg://", "postgresql://") + "&user=jordan"
    with pytest.raises(psycopg.errors.InsufficientPrivilege), psycopg.connect(second) as conn:
        conn.execute("SELECT count(*) FROM contact")  # jordan is no member of the second club


def _role(cluster, sql: str) -> str:
    name = _name("g")
    cluster.admin(sql.format(name=name))
    return name


@pytest.mark.parametrize(
    ("make", "said"),
    [
        ("CREATE ROLE {name} LOGIN", "can log in"),
        ("CREATE ROLE {name} NOLOGIN CREATEDB", "CREATEDB"),
        ("CREATE ROLE {name} NOLOGIN BYPASSRLS", "BYPASSRLS"),
        ("CREATE ROLE {name} NOLOGIN SUPERUSER", "SUPER"),
        ("CREATE ROLE {name} NOLOGIN IN ROLE pg_read_all_data", "member of role pg_read_all_data"),
        ("CREATE ROLE {name} NOLOGIN; GRANT {name} TO jordan", "already has members (jordan)"),
        ("CREATE ROLE {name} NOLOGIN; GRANT CONNECT ON DATABASE crm_club_template TO {name}", "crm_club_template"),
    ],
)
def test_a_role_that_is_not_an_empty_group_is_refused_as_the_group(cli, club, pg_url, make, said):
    group = _role(club.cluster, make)
    before = dump_url(pg_url)
    err = _one_line_refusal(cli("--db", pg_url, "club", "init", "--group", group))
    assert said in err and group in err and "--group NAME" in err
    assert dump_url(pg_url) == before


@pytest.mark.parametrize("group", ["jordan", "pg_monitor", "pg_sneaky"])
def test_a_members_login_role_or_a_predefined_role_is_refused_as_the_group(cli, club, pg_url, group):
    """With jordan's login role as the group, every new member could SET ROLE jordan and read jordan's notes."""
    before = dump_url(pg_url)
    err = _one_line_refusal(cli("--db", pg_url, "club", "init", "--group", group))
    assert group in err and ("can log in" in err or "pg_*" in err)
    assert dump_url(pg_url) == before


def test_an_empty_group_the_admin_made_for_the_club_is_used(cli, pg_cluster, pg_url):
    """README: a server hosting two clubs gives each its own group; the admin may make it first."""
    group = _role(pg_cluster, "CREATE ROLE {name} NOLOGIN")
    out = _ok(cli("--db", pg_url, "club", "init", "--group", group))
    assert group in out
    member = _name("m")
    _ok(cli("--db", pg_url, "club", "add-member", member, stdin="a password\n"))
    assert json.loads(_ok(cli("--db", pg_url, "club", "members", "--json"))) == [member]


def test_a_group_init_creates_itself_is_fine(cli, pg_url):
    group = _name("new")
    assert group in _ok(cli("--db", pg_url, "club", "init", "--group", group))
    with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (group,)).fetchone() == (False,)


# -- 3. hooks are the club's: forgetting an alum keeps them -------------------------------------------------------


def _hooks(club: Club) -> list[str]:
    with club.connect("jordan") as conn:
        return [row[0] for row in conn.execute("SELECT text FROM hook ORDER BY id")]


def test_forgetting_an_alum_keeps_the_hook_another_member_added(cli, club):
    sam, jordan = club.url("sam"), club.url("jordan")
    _ok(cli("--db", sam, "contact", "add", "Olivia Park", "--company", "Figma"))
    _ok(cli("--db", jordan, "hook", "add", "olivia", "a talk on design systems"))
    forgot = json.loads(_ok(cli("--db", sam, "contact", "forget", "olivia", "--yes", "--json")))
    assert forgot["shared_record_kept"] is True
    shown = json.loads(_ok(cli("--db", jordan, "contact", "show", "olivia", "--json")))
    assert shown["name"] == "Olivia Park" and [h["text"] for h in shown["hooks"]] == ["a talk on design systems"]
    with club.connect("sam") as conn:  # nor can a raw DELETE take the record and its hooks
        assert conn.execute("DELETE FROM club_contact WHERE name = 'Olivia Park'").rowcount == 0
        assert conn.execute("DELETE FROM contact WHERE name = 'Olivia Park'").rowcount == 1  # sam's side only
    assert _hooks(club) == ["a talk on design systems"]


def test_any_hook_keeps_the_record_even_the_forgetting_members_own(cli, club):
    """Hooks have no author: a hook sam added himself keeps the shared record too (and itself)."""
    sam = club.url("sam")
    _ok(cli("--db", sam, "contact", "add", "Ivan Petrov"))
    _ok(cli("--db", sam, "hook", "add", "ivan", "a talk on ranking"))
    _ok(cli("--db", sam, "log", "ivan", "--kind", "chat", "--notes", "good chat"))
    forgot = json.loads(_ok(cli("--db", sam, "contact", "forget", "ivan", "--yes", "--json")))
    assert forgot["shared_record_kept"] is True
    assert _hooks(club) == ["a talk on ranking"]
    with club.connect("sam") as conn:
        assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM touch").fetchone() == (0,)


def test_merging_away_an_alum_loses_no_hook_another_member_added(cli, club):
    sam, jordan = club.url("sam"), club.url("jordan")
    _ok(cli("--db", sam, "contact", "add", "Olivia Park", "--company", "Figma"))
    _ok(cli("--db", sam, "contact", "add", "Olivia P.", "--company", "Figma"))
    _ok(cli("--db", jordan, "hook", "add", "Olivia Park", "a talk on design systems"))
    cli("--db", sam, "contact", "merge", "Olivia P.", "Olivia Park")  # refused or done: the hook stays either way
    assert _hooks(club) == ["a talk on design systems"]


def test_club_others_know_answers_for_the_callers_own_role_only(cli, club):
    _ok(cli("--db", club.url("jordan"), "contact", "add", "Ivan Petrov", "--notes", "private"))
    with club.connect("sam") as conn:
        ivan = conn.execute("SELECT id FROM club_contact WHERE name = 'Ivan Petrov'").fetchone()[0]
        assert conn.execute("SELECT club_others_know(%s, 'sam')", (ivan,)).fetchone() == (True,)
        with pytest.raises(psycopg.errors.RaiseException, match="own role only"):
            conn.execute("SELECT club_others_know(%s, 'jordan')", (ivan,))
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT club_others_know(%s, 'jordan')", (ivan,)).fetchone() == (False,)


# -- 4. only messages, replies, chats and intros are touches -----------------------------------------------------


def _touches(club: Club, member: str = "sam") -> list[tuple]:
    with club.connect(member) as conn:
        return conn.execute("SELECT member, kind, date::text FROM touch ORDER BY id").fetchall()


def test_a_note_and_a_referral_are_not_published_as_touches(cli, club):
    jordan = club.url("jordan")
    _ok(cli("--db", jordan, "contact", "add", "Priya Shah", "--company", "Spotify"))
    _ok(cli("--db", jordan, "log", "priya", "--kind", "note", "--notes", "met her at the fair"))
    _ok(cli("--db", jordan, "log", "priya", "--kind", "referral", "--notes", "referred me for the PM role"))
    assert _touches(club) == []
    sam = club.url("sam")
    _ok(cli("--db", sam, "me", "--name", "Sam", "--school", "MIT", "--year", "junior", "--major", "Course 6",
            "--target", "product internships"))  # fmt: skip
    _ok(cli("--db", sam, "project", "add", "Ranker", "--result", "cut churn 5%"))
    _ok(cli("--db", sam, "hook", "add", "priya", "a post on ranking"))
    draft = cli("--db", sam, "draft", "priya", "--template", "first-message")
    assert "Club:" not in draft.out + draft.err and "Jordan" not in draft.out + draft.err
    for kind in ("message", "reply", "chat", "intro"):
        _ok(cli("--db", jordan, "log", "priya", "--kind", kind, "--date", "2026-11-20"))
    assert [kind for _, kind, _ in _touches(club)] == ["message", "reply", "chat", "intro"]


def test_changing_a_kind_to_or_from_a_touch_kind_adds_or_removes_its_touch(cli, club):
    jordan = club.url("jordan")
    _ok(cli("--db", jordan, "contact", "add", "Priya Shah"))
    _ok(cli("--db", jordan, "log", "priya", "--kind", "note", "--notes", "a note", "--date", "2026-11-20"))
    with club.connect("jordan") as conn:
        conn.execute("UPDATE interaction SET kind = 'chat'")
        assert _touches(club) == [("jordan", "chat", "2026-11-20")]
        conn.execute("UPDATE interaction SET kind = 'message', date = '2026-11-21'")
        assert _touches(club) == [("jordan", "message", "2026-11-21")]
        conn.execute("UPDATE interaction SET kind = 'referral'")
        assert _touches(club) == []
        conn.execute("UPDATE interaction SET kind = 'reply'")
        assert _touches(club) == [("jordan", "reply", "2026-11-21")]
        conn.execute("DELETE FROM interaction")
        assert _touches(club) == []


def test_init_publishes_only_the_touch_kinds_of_a_personal_database(cli, pg_url):
    for args in (
        ["contact", "add", "Priya Shah"],
        ["log", "priya", "--kind", "note", "--notes", "private"],
        ["log", "priya", "--kind", "referral"],
        ["log", "priya", "--kind", "chat", "--date", "2026-11-20"],
    ):
        _ok(cli("--db", pg_url, *args))  # fmt: skip
    _ok(cli("--db", pg_url, "club", "init", "--group", _name("fill")))
    with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute("SELECT kind FROM touch").fetchall() == [("chat",)]


# -- 5. a club made by the previous crm is brought up to date by its admin ---------------------------------------

# The previous release's definitions, as its `crm club init` made them on this schema (pg_get_functiondef).
OLD_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION public.club_touch_sync()
 RETURNS trigger LANGUAGE plpgsql
AS $function$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM touch WHERE interaction_id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        UPDATE touch SET contact_id = NEW.contact_id, kind = NEW.kind, date = NEW.date, interaction_id = NEW.id
        WHERE interaction_id = OLD.id;
        IF FOUND THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO touch (contact_id, member, kind, date, interaction_id) VALUES (NEW.contact_id, NEW.owner, NEW.kind,
        NEW.date, NEW.id);
    RETURN NULL;
END
$function$""",
    """CREATE OR REPLACE FUNCTION public.club_advance_sequence(seq regclass, at_least bigint)
 RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = seq AND relkind = 'S'
                   AND relnamespace = 'public'::regnamespace) THEN
        RAISE EXCEPTION 'not a sequence of this club';
    END IF;
    IF at_least > coalesce(pg_sequence_last_value(seq), 0) THEN
        PERFORM setval(seq, at_least, true);
    END IF;
END
$function$""",
    """CREATE OR REPLACE FUNCTION public.club_contact_in_use(contact integer, member text)
 RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
    used boolean;
BEGIN
    IF NOT pg_has_role(session_user, member::name, 'MEMBER') THEN
        RAISE EXCEPTION 'club_contact_in_use answers for your own role only';
    END IF;
    PERFORM set_config('crm.club_peek', 'on', true);
    used := EXISTS (SELECT 1 FROM "contact_state" AS x WHERE x."introduced_by_id" = $1 AND x.owner <> $2)
        OR EXISTS (SELECT 1 FROM "contact_state" AS x WHERE x."contact_id" = $1 AND x.owner <> $2)
        OR EXISTS (SELECT 1 FROM "contact_tag" AS x WHERE x."contact_id" = $1 AND x.owner <> $2)
        OR EXISTS (SELECT 1 FROM "draft" AS x WHERE x."contact_id" = $1 AND x.owner <> $2)
        OR EXISTS (SELECT 1 FROM "interaction" AS x WHERE x."contact_id" = $1 AND x.owner <> $2)
        OR EXISTS (SELECT 1 FROM "interaction" AS x WHERE x."intro_to_id" = $1 AND x.owner <> $2)
        OR EXISTS (SELECT 1 FROM "promise" AS x WHERE x."contact_id" = $1 AND x.owner <> $2)
        OR EXISTS (SELECT 1 FROM touch AS t WHERE t.contact_id = $1 AND t.member <> $2);
    PERFORM set_config('crm.club_peek', 'off', true);
    RETURN used;
END
$function$""",
)
OLD_PEEK = ("contact_state", "contact_tag", "draft", "interaction", "promise")  # the previous release's peek policies


def _rules(club: Club) -> list:
    """Everything the club's rules are: functions (with their grants), policies, triggers, club_info."""
    with _admin(club) as conn:
        return [
            conn.execute(
                "SELECT proname, prosrc, proconfig::text, prosecdef, proacl::text FROM pg_proc"
                " WHERE pronamespace = 'public'::regnamespace ORDER BY 1"
            ).fetchall(),
            conn.execute(
                "SELECT tablename, policyname, cmd, roles::text, qual, with_check FROM pg_policies ORDER BY 1, 2"
            ).fetchall(),
            conn.execute(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname, tgrelid"
            ).fetchall(),
            conn.execute("SELECT key, value FROM club_info ORDER BY key").fetchall(),
        ]


def _make_it_old(club: Club) -> None:
    """The club as the previous release made it: its functions, its peek policies, no rules version."""
    with _admin(club) as conn:
        for definition in OLD_FUNCTIONS:
            conn.execute(definition)
        conn.execute("DROP FUNCTION club_others_know(integer, text)")
        for (table,) in conn.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'club_claim_id'"):
            conn.execute(f"DROP TRIGGER club_claim_id ON {table}")
        conn.execute("DROP FUNCTION club_claim_id()")
        for (table,) in conn.execute("SELECT tablename FROM pg_policies WHERE policyname = 'club_peek'").fetchall():
            if table not in OLD_PEEK:
                conn.execute(f'DROP POLICY club_peek ON "{table}"')
        conn.execute("DELETE FROM club_info WHERE key = 'rules'")


@pytest.fixture
def current_rules(club: Club) -> list:
    """The rules of a club made by this crm (taken before `old_club` makes them old)."""
    return _rules(club)


@pytest.fixture
def old_club(cli, club: Club, current_rules) -> Club:
    """A club made by the previous release, used a while: jordan's note, referral and chat (all three touches then),
    sam's Olivia with jordan's hook."""
    _make_it_old(club)
    assert _rules(club) != current_rules
    jordan, sam = club.url("jordan"), club.url("sam")
    _ok(cli("--db", jordan, "contact", "add", "Priya Shah"))
    for kind in ("note", "referral", "chat"):
        _ok(cli("--db", jordan, "log", "priya", "--kind", kind, "--notes", f"jordan's {kind}", "--date", "2026-11-20"))
    _ok(cli("--db", sam, "contact", "add", "Olivia Park"))
    _ok(cli("--db", jordan, "hook", "add", "olivia", "a talk on design systems"))
    assert [kind for _, kind, _ in _touches(club)] == ["note", "referral", "chat"]  # the old rules, really
    return club


def test_the_admins_init_brings_an_old_club_up_to_date_and_fixes_each_defect(cli, old_club, current_rules):
    club = old_club
    jordan, sam = club.url("jordan"), club.url("sam")
    with club.connect("jordan") as conn:
        notes = conn.execute("SELECT id, kind, notes FROM interaction ORDER BY id").fetchall()

    out = _ok(cli("--db", club.admin_url, "club", "init"))
    assert len(out.strip().splitlines()) == 1 and "brought up" in out
    assert _rules(club) == current_rules  # exactly what a club made by this crm has
    assert _touches(club) == [("jordan", "chat", "2026-11-20")]  # the note and the referral are no longer shared
    with club.connect("jordan") as conn:  # nobody's rows touched otherwise
        assert conn.execute("SELECT id, kind, notes FROM interaction ORDER BY id").fetchall() == notes
    # and the defects are gone from the old club
    _ok(cli("--db", jordan, "log", "priya", "--kind", "note", "--notes", "another note"))
    assert len(_touches(club)) == 1
    with club.connect("sam") as conn:
        conn.execute("SELECT club_advance_sequence('touch_id_seq', 2147483647)")
        assert conn.execute("SELECT last_value < 100 FROM touch_id_seq").fetchone() == (True,)
    _ok(cli("--db", sam, "contact", "forget", "olivia", "--yes"))
    assert _hooks(club) == ["a talk on design systems"]
    _ok(cli("--db", jordan, "log", "priya", "--kind", "message"))


def test_bringing_an_old_club_up_to_date_repairs_a_sequence_a_member_used_up(cli, old_club):
    """Under the old rules sam could move touch_id_seq and contact_id_seq to their end, and then nobody could log
    or add anyone; the admin's init moves them back to the largest id present (everyone's rows counted)."""
    club = old_club
    with club.connect("sam") as conn:
        for sequence in ("touch_id_seq", "contact_id_seq"):
            conn.execute("SELECT club_advance_sequence(%s, 2147483647)", (sequence,))
    jordan = club.url("jordan")
    assert cli("--db", jordan, "log", "priya", "--kind", "message").code != 0  # the harm, as the tester saw it
    with club.connect("jordan") as conn:
        touches = conn.execute("SELECT max(id) FROM touch").fetchone()[0]
        contacts = conn.execute("SELECT max(id) FROM club_contact").fetchone()[0]
    out = _ok(cli("--db", club.admin_url, "club", "init"))
    assert "2 id sequences a member had used up (contact_id_seq, touch_id_seq) moved back" in out
    assert len(out.strip().splitlines()) == 1
    _ok(cli("--db", jordan, "log", "priya", "--kind", "message"))
    assert _ok(cli("--db", jordan, "contact", "add", "Ivan Petrov")) == f"Added #{contacts + 1} Ivan Petrov\n"
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT max(id) FROM touch").fetchone()[0] == touches + 1
    assert "nothing to do" in _ok(cli("--db", club.admin_url, "club", "init"))


def test_bringing_a_club_up_to_date_is_idempotent(cli, old_club):
    club = old_club
    assert "brought up" in _ok(cli("--db", club.admin_url, "club", "init"))
    rules, rows = _rules(club), dump_url(club.admin_url)
    out = _ok(cli("--db", club.admin_url, "club", "init"))
    assert "nothing to do" in out and len(out.strip().splitlines()) == 1
    assert _rules(club) == rules and dump_url(club.admin_url) == rows


def test_only_the_clubs_admin_may_bring_it_up_to_date(cli, old_club, pg_cluster):
    club = old_club
    rules, rows = _rules(club), dump_url(club.admin_url)
    for url in (club.url("jordan"), pg_cluster.url(club.database)):  # a member; a superuser that is not its admin
        err = _one_line_refusal(cli("--db", url, "club", "init"))
        assert "already a club's" in err and "pw-" not in err
    err = _one_line_refusal(cli("--db", club.admin_url, "club", "init", "--group", _name("other")))
    assert "member group is crm_member" in err
    assert _rules(club) == rules and dump_url(club.admin_url) == rows
    assert [kind for _, kind, _ in _touches(club)] == ["note", "referral", "chat"]


def test_a_current_club_is_left_alone_by_its_admins_init(cli, club):
    rules, rows = _rules(club), dump_url(club.admin_url)
    out = _ok(cli("--db", club.admin_url, "club", "init"))
    assert "nothing to do" in out
    assert _rules(club) == rules and dump_url(club.admin_url) == rows
    assert ADMIN in club.admin_url
