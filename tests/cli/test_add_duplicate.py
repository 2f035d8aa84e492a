"""`crm contact add` of someone already there: added (namesakes exist), with a one-line warning naming who and the
merge that undoes it (the tester's defect 7). The rules are `contact list --duplicates`'s."""

from __future__ import annotations

import json

import pytest

from crm.contacts.duplicates import duplicate_warning, likely_duplicates
from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def names(cli) -> list[str]:
    return [r["name"] for r in json.loads(cli("contact", "list", "--archived", "--json").out)]


def test_the_same_person_twice_is_added_with_a_warning_naming_them_and_the_merge(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").err == ""
    result = cli("contact", "add", "Maya Chen", "--company", "Spotify")
    assert result.code == 0
    assert result.out == "Added #2 Maya Chen (Spotify)\n"
    assert result.err == (
        "crm: warning: Maya Chen may already be here: #1 Maya Chen (Spotify), same name at Spotify."
        " If so, merge: crm contact merge 1 2\n"
    )
    assert names(cli) == ["Maya Chen", "Maya Chen"]
    # The command it names works, and then the full name resolves again.
    assert cli("contact", "merge", "1", "2").code == 0
    assert json.loads(cli("contact", "show", "Maya Chen", "--json").out)["id"] == 1


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        (("Maya Chen", "--company", "Spotify"), ("maya   CHEN", "--company", "spotify"), "same name at Spotify"),
        (("Maya Chen", "--company", "Spotify"), ("Maya Chen", "--company", "Spotify AB"), "same name at Spotify"),
        (("Maya Chen", "--company", "Spotify"), ("Dr. Maya Chen, PhD", "--company", "Spotify"), "same name at Spotify"),
        (("Lucía Fernández",), ("Lucia Fernandez",), "same name, neither has a company"),
        (("Maya Chen", "--company", "Spotify"), ("Maya Chen",), "same name, only one has a company"),
        (("Maya Chen",), ("Maya Chen", "--company", "Spotify"), "same name, only one has a company"),
        (("Maya Chen", "--company", "Spotify"), ("Maya C.", "--company", "Spotify"), "initial form of the name"),
        (("Jonathan Smith", "--company", "Acme"), ("Jonathon Smith", "--company", "Acme"), "similar names at Acme"),
    ],
)
def test_alike_by_the_duplicates_rules(cli, first, second, why):
    assert cli("contact", "add", *first).code == 0
    result = cli("contact", "add", *second)
    assert result.code == 0
    assert result.err.startswith("crm: warning: ") and result.err.count("\n") == 1, result.err
    assert f"#1 {first[0]}" in result.err and why in result.err
    assert result.err.endswith("crm contact merge 1 2\n")
    assert len(names(cli)) == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Maya Chen", "--company", "Spotify"), ("Ivan Petrov", "--company", "Spotify")),  # a colleague
        (("Maya Chen", "--company", "Spotify"), ("Maya Chen", "--company", "Google")),  # a namesake elsewhere
        (("Maya Chen",), ("Maya Cheng",)),  # similar, but no company in common
        (("Ana Li",), ("Ana Lima",)),
    ],
)
def test_other_people_add_silently(cli, first, second):
    assert cli("contact", "add", *first).code == 0
    result = cli("contact", "add", *second)
    assert (result.code, result.err) == (0, "")
    assert len(names(cli)) == 2


def test_two_different_linkedin_profiles_are_two_people(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify", "--linkedin", "linkedin.com/in/maya-a").code == 0
    result = cli("contact", "add", "Maya Chen", "--company", "Spotify", "--linkedin", "linkedin.com/in/maya-b")
    assert (result.code, result.err) == (0, "")


def test_an_archived_match_says_archived(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    assert cli("contact", "archive", "1").code == 0
    result = cli("contact", "add", "Maya Chen", "--company", "Spotify")
    assert result.code == 0
    assert "#1 Maya Chen (Spotify, archived), same name at Spotify" in result.err


def test_several_matches_name_the_one_to_keep_first_and_count_the_rest(cli):
    for _ in range(5):
        assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    assert cli("contact", "archive", "1").code == 0
    result = cli("contact", "add", "Maya Chen", "--company", "Spotify")
    assert result.code == 0 and result.err.count("\n") == 1
    # Not archived comes first (as `contact list --duplicates` keeps it), then the oldest.
    assert result.err.startswith("crm: warning: Maya Chen may already be here: #2 Maya Chen (Spotify)")
    assert "and 2 more (crm contact list --duplicates)" in result.err
    assert result.err.endswith("crm contact merge 2 6\n")
    keeps = {s["keep"]["id"] for s in json.loads(cli("contact", "list", "--duplicates", "--json").out)}
    assert keeps == {2}


@pytest.mark.parametrize(
    ("option", "value", "taken"),
    [
        ("--email", "MAYA@example.com", "already has the email maya@example.com"),
        ("--linkedin", "https://www.linkedin.com/in/Maya-Chen/?trk=x", "already has the LinkedIn URL"),
    ],
)
def test_the_same_email_or_linkedin_url_is_refused_and_nothing_written(cli, db_path, option, value, taken):
    assert cli("contact", "add", "Maya Chen", "--email", "maya@example.com",
               "--linkedin", "linkedin.com/in/maya-chen").code == 0  # fmt: skip
    before = dump(db_path)
    result = cli("contact", "add", "M. Chen", option, value)
    assert result.code == 2
    assert result.err.startswith("crm: Maya Chen (#1) ") and taken in result.err and result.err.count("\n") == 1
    assert "warning" not in result.err and result.out == ""
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("Maya Chen", "--company", "Spotify", "--email", "not-an-email"), "email"),
        (("Maya Chen", "--company", "Spotify", "--grad-year", "next year maybe"), "year"),
        (("   ", "--company", "Spotify"), "name"),
    ],
)
def test_bad_input_is_refused_with_no_warning_and_nothing_written(cli, db_path, args, reason):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    before = dump(db_path)
    result = cli("contact", "add", *args)
    assert result.code == 2, result
    assert result.err.startswith("crm: ") and "warning" not in result.err and result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert dump(db_path) == before


def test_a_hostile_name_is_shown_inert_in_the_warning(cli):
    assert cli("contact", "add", "Maya\x1b[2J Chen", "--company", "Spotify").code == 0
    result = cli("contact", "add", "Maya\x1b[2J Chen", "--company", "Spotify")
    assert result.code == 0
    assert "\x1b" not in result.err and "\\u001b[2J" in result.err


def test_likely_duplicates_before_saving_and_the_apps_wording(cli):
    """What the app's add form asks before it writes: nobody saved yet, so no merge command."""
    from crm.store.store import Store

    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    store = Store.from_option(None).open()  # CRM_DB: the SQLite file or the PostgreSQL URL
    try:
        alike = likely_duplicates(store.reader, name="maya chen", company="Spotify")
        assert [(p["id"], why) for p, why in alike] == [(1, "same name at Spotify")]
        assert duplicate_warning("maya chen", alike) == (
            "maya chen may already be here: #1 Maya Chen (Spotify), same name at Spotify."
        )
        assert likely_duplicates(store.reader, name="Ivan Petrov", company="Spotify") == []
        assert likely_duplicates(store.reader, name="Maya Chen", company="Spotify", not_id=1) == []
        by_mail = likely_duplicates(store.reader, name="Someone Else", email="x@y.z")
        assert by_mail == []
    finally:
        store.close()


def test_a_failed_lookup_does_not_undo_or_fail_the_add(cli, monkeypatch):
    import crm.contacts.duplicates

    def broken(*args, **kwargs):
        raise RuntimeError("the reader went away")

    monkeypatch.setattr(crm.contacts.duplicates, "likely_duplicates", broken)
    result = cli("contact", "add", "Maya Chen", "--company", "Spotify")
    assert result.code == 0 and result.out == "Added #1 Maya Chen (Spotify)\n"
    assert result.err == "crm: warning: added, but could not look for duplicates (RuntimeError)\n"
    assert names(cli) == ["Maya Chen"]
