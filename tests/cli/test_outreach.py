"""`crm draft`, `crm check`, `crm template list`: drafts pass their own checks; bad input writes nothing."""

import json

import pytest

from tests.conftest import dump

BUILT_INS = ["first-message", "nudge", "thank-you", "keep-in-touch", "intro-thanks"]


@pytest.fixture
def demo(cli):
    assert cli("demo").code == 0
    return json.loads(cli("contact", "list", "--json").out)


def test_every_built_in_passes_its_checks_for_every_demo_contact_that_has_what_it_needs(cli, demo):
    rendered = {name: 0 for name in BUILT_INS}
    for contact in demo:
        for name in BUILT_INS:
            result = cli("draft", str(contact["id"]), "--template", name, "--json")
            if result.code == 2:  # lacks what the template needs: the reason names it and how to add it
                assert "crm " in result.err and len(result.err.splitlines()) == 1, result.err
                continue
            draft = json.loads(result.out)
            assert result.code == 0, (contact["name"], name, draft["check"]["problems"])
            assert draft["check"]["ok"] is True
            assert draft["text"].startswith(f"Hi {contact['name'].split()[0]},")
            rendered[name] += 1
    assert rendered["first-message"] == len(demo)
    assert all(count >= 2 for count in rendered.values()), rendered


def test_first_message_follows_the_article(cli, demo):
    draft = json.loads(cli("draft", "maya", "--template", "first-message", "--json").out)
    text = draft["text"]
    assert set(draft) == {"contact_id", "template", "text", "check"}
    assert set(draft["check"]) >= {"ok", "words", "max_words", "problems"}
    assert draft["template"] == "first-message"
    assert "post on reducing playlist-loading latency" in text  # their hook
    assert "3.2s to 1.4s" in text  # my result, with its number
    assert text.count("?") == 1  # one question
    assert "No ask for a referral" in text
    assert draft["check"]["words"] <= 100


def test_project_and_question_options(cli, demo):
    text = json.loads(
        cli("draft", "maya", "--project", "dorm", "--question", "What surprised you most?", "--json").out
    )["text"]
    assert "increased signups by 40%" in text and "What surprised you most?" in text


def test_a_failing_draft_exits_1_and_send_writes_nothing(cli, demo, db_path):
    before = dump(db_path)
    result = cli("draft", "maya", "--question", "Could you refer me for the APM role?", "--send")
    assert result.code == 1
    assert "referral_ask" in result.out and "Not sent" in result.out
    assert dump(db_path) == before


def test_send_logs_the_message_and_schedules_the_nudge(cli, demo, db_path):
    assert cli("draft", "arjun", "--send").code == 0
    shown = json.loads(cli("contact", "show", "arjun", "--json").out)
    assert shown["interactions"][0]["kind"] == "message"
    assert "No ask for a referral" in shown["interactions"][0]["notes"]
    assert shown["next_follow_up"] == "2026-12-04"  # 7 business days after Wed Nov 25
    assert shown["next_follow_up_reason"] == "nudge: no reply to your message of Nov 25"
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        row = conn.execute("SELECT template, words, sent_on, interaction_id, checks FROM draft").fetchone()
    assert row[0] == "first-message" and row[2] == "2026-11-25" and row[3] is not None
    assert json.loads(row[4])["ok"] is True and row[1] == json.loads(row[4])["words"]


def test_template_list(cli, tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "nudge.j2").write_text("{#\ndescription: my nudge\nkind: nudge\nmax_words: 50\n#}\nHi")
    monkeypatch.setenv("CRM_TEMPLATES", str(folder))
    rows = {r["name"]: r for r in json.loads(cli("template", "list", "--json").out)}
    assert set(BUILT_INS) <= set(rows)
    assert rows["nudge"] == {
        "name": "nudge",
        "kind": "nudge",
        "max_words": 50,
        "source": "user",
        "description": "my nudge",
    }
    assert "first-message" in cli("template", "list").out


GOOD = "Hi Maya, I read your post on playlist latency. I cut load time from 3.2s to 1.4s in a campus app. How do you choose between UX fixes and infra work?"


def test_check_from_file_and_stdin(cli, tmp_path):
    path = tmp_path / "msg.txt"
    path.write_text(GOOD)
    result = cli("check", str(path), "--json")
    assert result.code == 0, result.out
    data = json.loads(result.out)
    assert data["ok"] is True and data["max_words"] == 100 and data["problems"] == []
    assert cli("check", "-", stdin=GOOD).code == 0
    assert cli("check", stdin=GOOD).code == 0
    short = cli("check", str(path), "--max-words", "10", "--json")
    assert short.code == 1
    problem = json.loads(short.out)["problems"][0]
    assert problem["check"] == "length" and set(problem) == {"check", "message", "start", "end"}


def test_check_human_output_highlights_the_problem(cli):
    result = cli("check", "-", stdin="Hi Maya, could you pass my resume along to the hiring manager? Thanks!")
    assert result.code == 1
    assert result.out.startswith("FAIL: ")
    assert "referral_ask" in result.out and "»" in result.out and "«" in result.out


def test_check_with_contact_adds_the_personal_check(cli, demo):
    text = "Hi Maya, I'm an MIT junior. I shipped a campus app used by 3,000 students. How do you prioritize?"
    plain = json.loads(cli("check", "-", "--json", stdin=text).out)
    assert plain["ok"] is True
    personal = cli("check", "-", "--contact", "maya", "--json", stdin=text)
    assert personal.code == 1
    assert [p["check"] for p in json.loads(personal.out)["problems"]] == ["personal"]
    cited = text.replace("I'm an MIT junior.", "I'm an MIT junior and read your post on playlist-loading latency.")
    assert cli("check", "-", "--contact", "maya", stdin=cited).code == 0


BAD = [
    (["draft", "maya", "--template", "pep-talk"], "no template named 'pep-talk'"),
    (["draft", "maya", "--project", "moonshot"], "not one of your projects"),
    (["draft", "arjun", "--template", "thank-you"], "no chat with Arjun Mehta is logged yet"),
    (["draft", "nobody"], "no contact matches"),
    (["check", "-"], "the message is empty"),
    (["check", "/no/such/file.txt"], "does not exist"),
    (["check", "-", "--max-words", "0"], "at least 1"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_exits_2_and_writes_nothing(cli, demo, db_path, args, message):
    before = dump(db_path)
    result = cli(*args, stdin="   \n")
    assert result.code == 2 and message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert dump(db_path) == before


def test_a_contact_with_no_hook(cli, db_path):
    cli("me", "--name", "Sam", "--school", "MIT", "--year", "junior", "--major", "Course 6", "--target", "PM")
    cli("project", "add", "App", "--result", "cut load time by 50%")
    cli("contact", "add", "Maya Chen")
    before = dump(db_path)
    result = cli("draft", "maya", "--send")
    assert result.code == 2
    assert "Maya Chen has no research hook: add one with `crm hook add 1" in result.err
    assert dump(db_path) == before


def test_broken_user_templates(cli, demo, db_path, tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    monkeypatch.setenv("CRM_TEMPLATES", str(folder))
    (folder / "broken.j2").write_text("Hi {{ contact.first_name }\n")
    (folder / "evil.j2").write_text("{{ contact.__class__.__mro__ }}")
    (folder / "needs.j2").write_text("Hi {{ contact.role }}, {{ nonsense.field }}")
    before = dump(db_path)
    broken = cli("draft", "maya", "--template", "broken", "--send")
    assert broken.code == 2 and f"{folder / 'broken.j2'}:1:" in broken.err
    evil = cli("draft", "maya", "--template", "evil", "--send")
    assert evil.code == 2 and "template evil" in evil.err
    needs = cli("draft", "arjun", "--template", "needs")
    assert needs.code == 2 and "'nonsense' is undefined" in needs.err
    assert dump(db_path) == before
