"""Names found on a US keyboard: "lucia" is Lucía Fernández, "soren" Søren Kjær (case and accents ignored,
crm.store.dialect.fold_accents), in every lookup by name, on both engines. An exact name still wins."""

from __future__ import annotations

import json

import pytest

from crm.contacts.reads import find_by_name, find_exact_name, names_like
from crm.store.store import Store
from tests.conftest import dump, query_db

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

# The tester's people (defect 6), and what a US keyboard types for each.
PEOPLE = {
    "Lucía Fernández": ("lucia", "LUCIA", "fernandez", "lucia fernandez", "Lucía"),
    "Søren Kjær": ("soren", "SOREN KJAER", "kjaer", "søren"),
    "Zoë Müller": ("zoe", "muller", "ZOE M"),
    "Nguyễn Văn An": ("nguyen", "nguyen van an", "van an"),
    "Tomás Villanueva": ("tomas", "TOMAS V", "villanueva"),
    "Łukasz Żak": ("lukasz", "zak"),
    "Æsa Strauß": ("aesa", "strauss", "AESA STRAUSS"),
}


def _add(cli, name: str, *extra: str) -> int:
    result = cli("contact", "add", name, *extra)
    assert result.code == 0, result.err
    return int(result.out.split("#", 1)[1].split()[0])


def _shown(cli, query: str) -> dict:
    result = cli("contact", "show", query, "--json")
    assert result.code == 0, (query, result.err)
    return json.loads(result.out)


def test_a_plain_ascii_name_finds_the_accented_contact(cli):
    ids = {name: _add(cli, name, "--company", "Spotify") for name in PEOPLE}
    for name, queries in PEOPLE.items():
        for query in queries:
            assert _shown(cli, query)["id"] == ids[name], query
            assert cli("log", query, "--kind", "note", "--notes", "x").code == 0, query
        search = cli("contact", "list", "--search", queries[0], "--json")
        assert [row["name"] for row in json.loads(search.out)] == [name]


def test_an_exact_name_wins_accents_included(cli):
    accented = _add(cli, "Lucía Fernández")
    plain = _add(cli, "Lucia Fernandez")
    assert _shown(cli, "lucia fernandez")["id"] == plain
    assert _shown(cli, "LUCÍA FERNÁNDEZ")["id"] == accented
    result = cli("contact", "show", "lucia")  # a part of both names: both listed, nothing chosen
    assert result.code == 2 and result.out == ""
    assert f"#{accented} Lucía Fernández; #{plain} Lucia Fernandez; use an id or more of the name" in result.err


def test_a_full_name_equal_accents_aside_wins_over_longer_names(cli):
    lucia = _add(cli, "Lucía Fernández")
    _add(cli, "Lucia Fernandez Ruiz")
    assert _shown(cli, "lucia fernandez")["id"] == lucia
    assert _shown(cli, "lucia fernandez r")["name"] == "Lucia Fernandez Ruiz"


def test_an_intro_typed_without_accents_links_the_contact(cli, db_path):
    lucia = _add(cli, "Lucía Fernández", "--company", "Spotify")
    tomas = _add(cli, "Tomás Villanueva", "--company", "Spotify")
    result = cli("log", str(tomas), "--kind", "intro", "--intro-to", "Lucia Fernandez")
    assert result.code == 0, result.err
    assert f"Lucía Fernández (#{lucia}) is introduced by Tomás Villanueva" in result.out
    assert query_db(db_path, "SELECT count(*) FROM contact") == [(2,)]  # no second Lucía
    assert query_db(db_path, "SELECT introduced_by_id FROM contact WHERE id = ?", (lucia,)) == [(tomas,)]
    # A suggested person typed without accents is linked too, not added again.
    soren = _add(cli, "Søren Kjær")
    result = cli(
        "log", str(tomas), "--kind", "chat", "--notes", "coffee", "--suggested", "Soren Kjaer", "--add-suggested"
    )
    assert result.code == 0, result.err
    assert f"Linked #{soren} Søren Kjær: introduced by Tomás Villanueva" in result.out
    assert query_db(db_path, "SELECT count(*) FROM contact") == [(3,)]


def test_the_intro_says_which_name_it_linked(cli):
    from crm.contacts.interactions import record_interaction
    from crm.contacts.writes import resolve_contact

    _add(cli, "Lucía Fernández")
    _add(cli, "Tomás Villanueva")
    store = Store.from_option(None)
    try:
        with store.write() as session:
            logged = record_interaction(session=session, contact=resolve_contact(session, "tomas"), kind="intro",
                                        date=store_today(), today=store_today(), intro_to="Lucia  Fernandez")  # fmt: skip
            assert logged.intro_to.name == "Lucía Fernández" and logged.intro_typed == "Lucia Fernandez"
            logged = record_interaction(session=session, contact=resolve_contact(session, "tomas"), kind="intro",
                                        date=store_today(), today=store_today(), intro_to="LUCÍA FERNÁNDEZ")  # fmt: skip
            assert logged.intro_typed is None  # the same name, case aside: nothing to say
    finally:
        store.close()


def store_today():
    from tests.conftest import TODAY

    return TODAY


def test_an_exact_intro_name_wins_and_several_accent_matches_are_refused(cli, db_path):
    accented = _add(cli, "Lucía Fernández")
    plain = _add(cli, "Lucia Fernandez")
    _add(cli, "Tomás Villanueva")
    result = cli("log", "tomas", "--kind", "intro", "--intro-to", "lucia fernandez")
    assert result.code == 0 and f"Lucia Fernandez (#{plain}) is introduced" in result.out
    _add(cli, "Zoë Müller", "--company", "Spotify")
    _add(cli, "Zoe Müller", "--company", "Klarna")
    before = dump(db_path)
    result = cli("log", "tomas", "--kind", "intro", "--intro-to", "Zoe Muller")
    assert result.code == 2 and result.out == "" and "Traceback" not in result.err
    assert "'Zoe Muller' names 2 contacts: #4 Zoë Müller (Spotify); #5 Zoe Müller (Klarna); use an id" in result.err
    assert dump(db_path) == before
    assert accented != plain


def test_completion_offers_accented_names_for_plain_letters(cli, db_url):
    for name in ("Søren Kjær", "Sofia Lopez", "Zoë Soren", "Maya Chen", "Émile Zola"):
        _add(cli, name)
    store = Store.from_option(db_url)
    try:
        reader = store.reader
        assert names_like(reader, "so") == ["Sofia Lopez", "Søren Kjær", "Zoë Soren"]  # prefix matches first
        assert names_like(reader, "soren") == ["Søren Kjær", "Zoë Soren"]
        assert names_like(reader, "soren", limit=1) == ["Søren Kjær"]
        assert names_like(reader, "emile") == ["Émile Zola"]
        assert names_like(reader, "SØ") == ["Søren Kjær"]  # an accent typed: those very letters first
        assert names_like(reader, "ZOË S") == ["Zoë Soren"]
        assert find_exact_name(reader, "soren kjaer") == []  # exact: accents count
        assert find_exact_name(reader, "soren kjaer", accents=False) == [1]
        assert [name for _, name, _ in find_by_name(reader, "SOREN")] == ["Søren Kjær", "Zoë Soren"]
    finally:
        store.close()


def test_archived_names_are_not_completed_but_still_found(cli, db_url):
    _add(cli, "Søren Kjær")
    assert cli("contact", "archive", "soren").code == 0
    store = Store.from_option(db_url)
    try:
        assert names_like(store.reader, "soren") == []
    finally:
        store.close()
    assert _shown(cli, "soren")["archived"] is True


def test_accents_typed_find_those_letters_first(cli):
    ozturk = _add(cli, "Ünal Öztürk")
    _add(cli, "Oz Ozkan")
    assert _shown(cli, "Ö")["id"] == ozturk  # not Oz Ozkan: the 'Ö' was typed
    assert _shown(cli, "öz")["id"] == ozturk
    assert len(json.loads(cli("contact", "list", "--search", "oz", "--json").out)) == 2  # a search finds both
    result = cli("contact", "show", "oz")
    assert result.code == 2 and "matches 2 contacts" in result.err
    assert _shown(cli, "oz o")["name"] == "Oz Ozkan"
    lucia = _add(cli, "Lucía Fernández")
    assert _shown(cli, "Lucía Fernandez")["id"] == lucia  # half the accents typed: accents aside, then
    result = cli("log", "\u0301", "--kind", "note")
    assert result.code == 2 and "no contact matches" in result.err  # an accent alone names nobody


def test_a_name_with_no_ascii_letters_at_all_is_still_found(cli):
    chen = _add(cli, "陈静", "--company", "Spotify")
    ivan = _add(cli, "Иван Петров")
    assert _shown(cli, "陈")["id"] == chen
    assert _shown(cli, "иван")["id"] == ivan
    assert _shown(cli, "ИВАН П")["id"] == ivan
    result = cli("contact", "show", "chen")
    assert result.code == 2 and "no contact matches 'chen'" in result.err


def test_an_intro_linked_accents_aside_says_so(cli):
    tomas = _add(cli, "Tomás Villanueva", "--company", "Spotify")
    lucia = _add(cli, "Lucía Fernández", "--company", "Spotify")
    result = cli("log", str(tomas), "--kind", "intro", "--intro-to", "Lucia Fernandez")
    assert result.code == 0, result.err
    assert f"Lucía Fernández (#{lucia}) is introduced by Tomás Villanueva" in result.out
    assert "(linked for 'Lucia Fernandez': the same name, accents aside)" in result.out


def test_contact_show_says_when_they_connected(cli, tmp_path):
    csv = tmp_path / "Connections.csv"
    csv.write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\r\n"
        'Jia,Song,jia@example.com,Spotify,PM,"1/8/18, 6:14 PM"\r\n',
        encoding="utf-8",
    )
    assert cli("import", "linkedin", str(csv)).code == 0
    assert json.loads(cli("contact", "show", "jia", "--json").out)["source_date"] == "2018-01-08"
    shown = cli("contact", "show", "jia").out
    assert "(connected Jan 8, 2018)" in shown or "(connected Jan 8 2018)" in shown, shown
