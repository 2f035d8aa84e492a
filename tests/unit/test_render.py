"""Templates: user over built-in by name, front matter, strict and sandboxed rendering."""

import pytest

from crm.errors import CrmError
from crm.outreach.render import KINDS, list_templates, load_template, render, tidy

BUILT_INS = {"first-message", "nudge", "reply", "thank-you", "referral-thanks", "intro-thanks", "keep-in-touch"}


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    folder = tmp_path / "my-templates"
    folder.mkdir()
    monkeypatch.setenv("CRM_TEMPLATES", str(folder))
    return folder


def test_built_ins_have_front_matter():
    templates = {t.name: t for t in list_templates()}
    assert set(templates) >= BUILT_INS
    assert set(KINDS) == BUILT_INS  # one built-in for every kind of follow-up
    for name in BUILT_INS:
        template = templates[name]
        assert template.source == "built-in"
        assert template.kind == name
        assert template.description
        assert 20 <= template.max_words <= 100
        assert "{#" not in template.body
        if "{{ question }}" in template.body:
            assert template.question and template.question.endswith("?")
            assert template.questions == 1
    assert templates["referral-thanks"].questions == 0  # after a referral they offered: no further ask
    assert templates["reply"].questions == 1 and templates["reply"].question is None  # its question: which slot


def test_questions_front_matter(user_dir):
    (user_dir / "thanks.j2").write_text("{#\nkind: referral-thanks\nquestions: 0\n#}\nThank you!")
    assert load_template("thanks").questions == 0
    (user_dir / "plain.j2").write_text("Hi")
    assert load_template("plain").questions == 1


def test_a_user_template_overrides_by_name(user_dir):
    (user_dir / "nudge.j2").write_text("{#\nkind: nudge\nmax_words: 40\n#}\nHi {{ contact.first_name }}!")
    (user_dir / "coffee.j2").write_text("Coffee, {{ contact.first_name }}?")
    templates = {t.name: t for t in list_templates()}
    assert templates["nudge"].source == "user" and templates["nudge"].max_words == 40
    assert templates["coffee"].source == "user" and templates["coffee"].max_words == 100
    assert templates["first-message"].source == "built-in"
    assert load_template("nudge").path == user_dir / "nudge.j2"


def test_the_config_dir_holds_user_templates_by_default(tmp_path):
    folder = tmp_path / "xdg-config" / "crm" / "templates"
    folder.mkdir(parents=True)
    (folder / "mine.j2").write_text("Hello")
    assert load_template("mine").source == "user"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{#\nkind: pep-talk\n#}\nHi", "kind 'pep-talk' is not one of"),
        ("{#\nmax_words: lots\n#}\nHi", "max_words must be a whole number"),
        ("{#\nmax_words: 0\n#}\nHi", "max_words must be a whole number"),
        ("{#\nquestions: 2\n#}\nHi", "questions must be 1 .one question for them. or 0 .none., not '2'"),
    ],
)
def test_bad_front_matter(user_dir, text, message):
    (user_dir / "bad.j2").write_text(text)
    with pytest.raises(CrmError, match=message):
        load_template("bad")


def test_syntax_errors_name_the_file_and_line(user_dir):
    (user_dir / "broken.j2").write_text("{#\nkind: nudge\n#}\nHi {{ contact.first_name }},\n\n{% if x %}unclosed\n")
    template = load_template("broken")
    with pytest.raises(CrmError) as info:
        render(template, {"contact": {"first_name": "Maya"}})
    assert f"{user_dir / 'broken.j2'}:" in str(info.value)
    assert "syntax error" in str(info.value)
    line = int(str(info.value).split(".j2:")[1].split(":")[0])
    assert line >= 6  # counts the front matter's lines too, so it points into the file as written


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ contact.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_the_sandbox_refuses_python_internals(user_dir, body):
    (user_dir / "evil.j2").write_text(body)
    with pytest.raises(CrmError, match="refused|undefined|has no"):
        render(load_template("evil"), {"contact": {"first_name": "Maya"}})


def test_missing_fields_fail_loudly_never_blank(user_dir):
    from crm.outreach.render import missing

    (user_dir / "t.j2").write_text("I saw your {{ hook.text }}.")
    with pytest.raises(CrmError, match="Maya Chen has no research hook: add one with `crm hook add"):
        render(
            load_template("t"), {"hook": missing("Maya Chen has no research hook: add one with `crm hook add 1 ...`")}
        )
    with pytest.raises(CrmError, match="'hook' is undefined"):
        render(load_template("t"), {})


def test_optional_parts_can_test_for_presence(user_dir):
    from crm.outreach.render import missing

    (user_dir / "t.j2").write_text("Hi{% if contact.team is defined %} from {{ contact.team }}{% endif %}.")
    assert render(load_template("t"), {"contact": {"team": missing("no team")}}) == "Hi."
    assert render(load_template("t"), {"contact": {"team": "Home"}}) == "Hi from Home."


def test_unknown_template_lists_the_choices():
    with pytest.raises(CrmError) as info:
        load_template("pep-talk")
    assert "first-message" in str(info.value) and "nudge" in str(info.value)
    with pytest.raises(CrmError, match="not a template name"):
        load_template("../etc/passwd")


def test_tidy_collapses_blank_runs_and_trailing_spaces():
    assert tidy("  Hi  \n\n\n\nthere \n") == "Hi\n\nthere"


# -- one-line failures, and edits picked up by the compiled-template cache (issue 11, point 6) -------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("Hi\n\n{{ 1 / 0 }}", "ZeroDivisionError"),
        ("Hi\n\n{{ 'a' + 1 }}", "TypeError"),
        ("Hi\n\n{{ [1][5] }}", "has no element 5"),
        ("Hi\n\n{{ range(1, 2, 0)|list }}", "ValueError"),
        ("Hi\n\n{{ 'x' * 200000 }}", "stopped"),
    ],
)
def test_runtime_failures_are_one_line_naming_template_and_line(user_dir, body, words):
    (user_dir / "t.j2").write_text(body)
    with pytest.raises(CrmError) as info:
        render(load_template("t"), {})
    message = str(info.value)
    assert message.startswith("template t") and words in message and "\n" not in message, message
    if "has no" not in words:  # a missing field says what to add, not where
        assert f"{user_dir / 't.j2'}:3" in message, message


def test_edited_templates_and_their_includes_render_anew(user_dir):
    (user_dir / "part.j2").write_text("one")
    (user_dir / "t.j2").write_text("A {% include 'part' %}")
    assert render(load_template("t"), {}) == "A one"
    (user_dir / "t.j2").write_text("B {% include 'part' %}")
    assert render(load_template("t"), {}) == "B one"
    import os

    (user_dir / "part.j2").write_text("two")
    stat = (user_dir / "part.j2").stat()
    os.utime(user_dir / "part.j2", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert render(load_template("t"), {}) == "B two"


def test_an_include_prefers_the_user_template_like_everything_else(user_dir):
    (user_dir / "nudge.j2").write_text("{#\nkind: nudge\n#}\nmy nudge")
    (user_dir / "t.j2").write_text("{% include 'nudge' %} / {% include 'built-in/nudge' ignore missing %}")
    context = {"contact": {"first_name": "Maya"}, "sent": {"date": "x"}, "hook": {"text": "post"}, "question": "q?",
               "me": {"name": "Sam"}}  # fmt: skip
    text = render(load_template("t"), context)
    assert text.startswith("my nudge / Hi Maya")
