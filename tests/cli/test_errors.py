"""Every user error: exit 2, one human line on stderr, no traceback, nothing written."""

import pytest

from tests.conftest import dump

BAD_INPUT = [
    # (args, words the message must contain)
    (["log", "maya", "--kind", "message", "--date", "2026-02-30"], "not a real date"),
    (["log", "maya", "--kind", "message", "--date", "someday"], "not a date I understand"),
    (["log", "maya", "--kind", "message", "--date", "2026-12-25"], "in the future"),
    (["log", "maya", "--kind", "chat", "--follow-up", "Feb 31"], "not a date"),
    (["log", "maya", "--kind", "chat", "--date", "2026-11-20", "--follow-up", "2026-11-01"], "before the interaction"),
    (["log", "maya", "--kind", "coffee"], "unknown kind"),
    (["log", "maya", "--kind", "chat", "--intro-to", "Someone"], "--intro-to only goes with --kind intro"),
    (["log", "maya", "--kind", "intro", "--intro-to", "  "], "--intro-to needs"),
    (["log", "ivan", "--kind", "intro", "--intro-to", "Ivan Petrov"], "themselves"),
    (["log", "nobody", "--kind", "chat"], "no contact matches 'nobody'"),
    (["log", "an", "--kind", "chat"], "matches 3 contacts: #2 Ivan Petrov; #3 Ana Li; #4 Dan Ng"),
    (["log", "99", "--kind", "chat"], "no contact has id 99"),
    (["log", "who@example.com", "--kind", "chat"], "no contact has the email"),
    (["log", "linkedin.com/in/nobody", "--kind", "chat"], "no contact has the LinkedIn URL"),
    (["log", "linkedin.com/company/spotify", "--kind", "chat"], "not a LinkedIn profile URL"),
    (["log", "", "--kind", "chat"], "no contact given"),
    (["contact", "add", ""], "needs a name"),
    (["contact", "add", "   "], "needs a name"),
    (["contact", "add", "Bo", "--grad-year", "19x9"], "not a graduation year"),
    (["contact", "add", "Bo", "--grad-year", "1850"], "not a graduation year"),
    (["contact", "add", "Bo", "--grad-year", "2090"], "not a graduation year"),
    (["contact", "add", "Bo", "--email", "not-an-email"], "not an email address"),
    (["contact", "add", "Bo", "--email", "maya@example.com"], "already has the email"),
    (["contact", "add", "Bo", "--linkedin", "https://example.com/in/bo"], "not a LinkedIn profile URL"),
    (["contact", "add", "Bo", "--cadence", "whenever"], "not one I understand"),
    (["contact", "add", "Bo", "--tag", "two words"], "not a tag"),
    (["contact", "add", "Bo", "--introduced-by", "nobody"], "no contact matches"),
    (["contact", "edit", "maya", "--name", ""], "needs a name"),
    (["contact", "edit", "maya", "--introduced-by", "maya"], "introduced by themselves"),
    (["contact", "edit", "nobody", "--role", "PM"], "no contact matches"),
    (["contact", "forget", "maya"], "add --yes"),
    (["contact", "archive", "an"], "matches 3 contacts: #2 Ivan Petrov; #3 Ana Li; #4 Dan Ng"),
    (["hook", "add", "maya", "  "], "needs text"),
    (["hook", "add", "maya", "a talk", "--url", "ftp:/x"], "not a web address"),
    (["hook", "add", "maya", "a talk", "--date", "2026-04-31"], "not a real date"),
    (["project", "add", "App", "--result", " "], "measured result"),
    (["project", "add", "Campus app", "--result", "again"], "already exists"),
    (["project", "add", " ", "--result", "x"], "needs a name"),
    # usage errors from the parser are one line too
    (["log", "maya"], "Missing option '--kind'"),
    (["contact", "add"], "Missing argument"),
    (["contact", "frobnicate"], "No such command"),
    (["contact", "list", "--bogus"], "No such option"),
]


@pytest.fixture
def populated(cli, db_path):
    for args in (
        ["contact", "add", "Maya Chen", "--email", "maya@example.com"],
        ["contact", "add", "Ivan Petrov"],
        ["contact", "add", "Ana Li"],
        ["contact", "add", "Dan Ng"],
        ["project", "add", "Campus app", "--result", "cut load time from 3.2s to 1.4s"],
    ):
        assert cli(*args).code == 0
    return dump(db_path)


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[" ".join(a)[:60] for a, _ in BAD_INPUT])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(cli, populated, db_path, args, message):
    result = cli(*args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    assert result.out == ""
    assert dump(db_path) == populated


def test_failure_midway_rolls_back_the_intro_contact(cli, populated, db_path):
    # The intro target would be created before the (future) date is rejected... in one transaction.
    result = cli("log", "maya", "--kind", "intro", "--intro-to", "New Person", "--follow-up", "2026-01-01")
    assert result.code == 2
    assert dump(db_path) == populated


def test_missing_database_folder(cli, tmp_path):
    result = cli("--db", str(tmp_path / "nope" / "crm.db"), "contact", "list")
    assert result.code == 2 and "does not exist" in result.err
    assert not (tmp_path / "nope").exists()


def test_database_file_that_is_not_sqlite(cli, tmp_path):
    path = tmp_path / "essay.txt"
    path.write_text("hello")
    result = cli("--db", str(path), "contact", "add", "Bo")
    assert result.code == 2 and "not a SQLite database" in result.err
    assert path.read_text() == "hello"


def test_env_crm_db_is_used_and_db_flag_wins(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_DB", str(tmp_path / "env.db"))
    cli("contact", "add", "From Env")
    cli("--db", str(tmp_path / "flag.db"), "contact", "add", "From Flag")
    assert "From Env" in dump(tmp_path / "env.db") and "From Flag" not in dump(tmp_path / "env.db")
    assert "From Flag" in dump(tmp_path / "flag.db")


def test_default_database_lives_in_the_user_data_dir(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("CRM_DB")
    assert cli("contact", "add", "Default Person").code == 0
    path = tmp_path / "xdg-data" / "crm" / "crm.db"
    assert "Default Person" in dump(path)


def test_bad_crm_today(cli, populated, db_path, monkeypatch):
    monkeypatch.setenv("CRM_TODAY", "2026-02-30")
    result = cli("log", "maya", "--kind", "chat")
    assert result.code == 2 and "CRM_TODAY" in result.err
    assert dump(db_path) == populated


# -- busy is not bad input ----------------------------------------------------------------------------------------


@pytest.fixture
def write_lock_held(db_path, monkeypatch):
    """Another process (here: a connection) holds the write lock; crm waits 0.2 s instead of 5 s for it."""
    import sqlite3

    import crm.store.db

    monkeypatch.setattr(crm.store.db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def _assert_busy(result):
    assert result.code == 75, (result.code, result.err)  # EX_TEMPFAIL: try again
    assert "busy" in result.err and "try again" in result.err
    assert "bad input" not in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err


def test_a_busy_database_exits_75_not_2(cli, populated, db_path, write_lock_held):
    _assert_busy(cli("contact", "add", "Bo"))
    _assert_busy(cli("log", "maya", "--kind", "note"))


def test_a_busy_database_during_an_upgrade_exits_75_and_changes_nothing(cli, populated, db_path, monkeypatch):
    import sqlite3

    from crm.store.db import migrate, schema_revision

    migrate(db_path, "0004", downgrade=True)
    monkeypatch.setattr("crm.store.db.BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr("crm.store.db.UPGRADE_WAIT_MS", 200)  # an upgrade waits longer for its turn; not here
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        _assert_busy(cli("due"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert schema_revision(db_path) == "0004"
    assert not list(db_path.parent.glob("crm.db.bak-*"))  # backed up only once the lock is ours
