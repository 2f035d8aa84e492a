"""A user's template with a mistake (tester's defects 1 and 10): one bad file never stops the others, and every
mistake is one line that names the file or the line, what is wrong and the closest right spelling."""

from __future__ import annotations

import json

import pytest

from tests.conftest import dump

BAD_KIND = "{# kind: first-mesage #}\nHi {{ contact.first_name }}, {{ question }}\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    path = tmp_path / "my-templates"
    path.mkdir()
    monkeypatch.setenv("CRM_TEMPLATES", str(path))
    return path


@pytest.fixture
def maya(cli):
    assert cli("me", "--name", "Alex Rivera", "--school", "MIT", "--year", "junior", "--major", "Course 6-3",
               "--target", "PM intern at Spotify").code == 0  # fmt: skip
    assert cli("project", "add", "Campus music app", "--result", "cut load time from 3.2s to 1.4s").code == 0
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Personalization").code == 0
    assert cli("hook", "add", "maya", "post on reducing playlist-loading latency").code == 0


def test_template_list_lists_the_good_ones_and_names_the_bad_one(cli, folder):
    (folder / "mine.j2").write_text(BAD_KIND)
    (folder / "coffee.j2").write_text("{# kind: first-message #}\nCoffee, {{ contact.first_name }}?")
    result = cli("template", "list")
    assert result.code == 0, result.err  # the list is right: the bad file is left out, and said so
    names = [line.split()[0] for line in result.out.splitlines()[1:]]
    assert "coffee" in names and "first-message" in names and "nudge" in names and "mine" not in names
    warning = result.err.strip()
    assert len(warning.splitlines()) == 1
    assert warning.startswith("crm: warning: template mine is left out: ")
    assert f"{folder / 'mine.j2'}: kind 'first-mesage' is not one of first-message" in warning
    assert "(did you mean first-message?)" in warning and warning.endswith("fix or remove it")
    rows = json.loads(cli("template", "list", "--json").out)
    assert {row["name"] for row in rows} >= {"coffee", "first-message"} and "mine" not in {r["name"] for r in rows}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{#\nmax_words: lots\n#}\nHi", "max_words must be a whole number above 0, not 'lots'"),
        ("{#\nquestions: 2\n#}\nHi", "questions must be 1"),
        ("x" * 200_000, "is too large to be a message"),
        (b"\xff\xfe not utf-8", "cannot be read"),
    ],
    ids=["max_words", "questions", "too-large", "not-utf-8"],
)
def test_every_kind_of_bad_file_is_left_out_with_its_reason(cli, folder, text, reason):
    path = folder / "bad.j2"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = cli("template", "list")
    assert result.code == 0 and "first-message" in result.out and "\nbad " not in result.out
    assert "template bad is left out" in result.err and reason in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_drafting_with_a_good_template_is_unaffected_by_a_bad_one(cli, folder, maya):
    (folder / "mine.j2").write_text(BAD_KIND)
    result = cli("draft", "maya")
    assert result.code == 0 and result.out.startswith("Hi Maya,") and result.err == ""
    picked = cli("draft", "maya", "--template", "mine")  # the bad one itself: exit 2, its reason, one line
    assert picked.code == 2 and len(picked.err.strip().splitlines()) == 1
    assert "kind 'first-mesage' is not one of" in picked.err and "did you mean first-message?" in picked.err


def test_an_unknown_template_name_lists_the_choices_in_a_sentence(cli, folder, maya, db_path):
    (folder / "mine.j2").write_text(BAD_KIND)  # used to turn the list of choices into "choose one of see ..."
    before = dump(db_path)
    result = cli("draft", "maya", "--template", "nosuch")
    assert result.code == 2
    assert result.err.startswith("crm: no template named 'nosuch': choose one of first-message, ")
    assert "see `crm template list`" not in result.err and "mine" not in result.err
    close = cli("draft", "maya", "--template", "nudg", "--send")
    assert close.code == 2 and "no template named 'nudg' (did you mean nudge?): choose one of" in close.err
    assert dump(db_path) == before


def test_a_misspelled_field_names_the_line_the_field_and_the_right_spelling(cli, folder, maya, db_path):
    (folder / "short-hello.j2").write_text("{# kind: first-message #}\nHi {{ contact.frist_name }},\n")
    before = dump(db_path)
    result = cli("draft", "maya", "--template", "short-hello", "--send")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    err = result.err.strip()
    assert err.startswith(
        "crm: template short-hello, line 2: contact has no field 'frist_name' (did you mean first_name? fields: "
    ), err
    assert "first_name, " in err and "company" in err and "dict object" not in err
    assert dump(db_path) == before


def test_a_misspelled_name_and_a_field_of_the_profile(cli, folder, maya):
    (folder / "a.j2").write_text("Hi {{ contakt.first_name }}")
    (folder / "b.j2").write_text("Hi.\n\nI'm {{ me.nmae }}.")
    (folder / "c.j2").write_text("Hi {{ contact.zzz }}")  # nothing close: the fields alone
    a = cli("draft", "maya", "--template", "a").err.strip()
    assert a.startswith("crm: template a, line 1: 'contakt' is undefined (did you mean contact? a template can use: ")
    assert "hook" in a and "me" in a
    b = cli("draft", "maya", "--template", "b").err.strip()
    assert b.startswith("crm: template b, line 3: me has no field 'nmae' (did you mean name? fields: "), b
    c = cli("draft", "maya", "--template", "c").err.strip()
    assert c.startswith("crm: template c, line 1: contact has no field 'zzz' (fields: company, "), c


def test_a_misspelled_field_in_an_included_template_names_that_file(cli, folder, maya):
    (folder / "part.j2").write_text("Hello\n{{ contact.frist_name }}")
    (folder / "whole.j2").write_text("{% include 'part' %}")
    err = cli("draft", "maya", "--template", "whole").err.strip()
    assert err.startswith("crm: template whole, part.j2 line 2: contact has no field 'frist_name' (did you mean"), err


def test_missing_data_still_says_how_to_add_it(cli, folder):
    """A field that exists but is empty for this contact keeps its how-to (not a spelling hint)."""
    assert cli("contact", "add", "Maya Chen").code == 0
    (folder / "t.j2").write_text("Hi {{ contact.team }}")
    err = cli("draft", "maya", "--template", "t").err.strip()
    assert err == "crm: template t: Maya Chen has no team: add it with `crm contact edit 1 --team ...`", err
