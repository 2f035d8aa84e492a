"""`crm draft`, `crm check`, `crm template list`: drafts pass their own checks; bad input writes nothing."""

import json

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

BUILT_INS = ["first-message", "nudge", "reply", "thank-you", "referral-thanks", "intro-thanks", "keep-in-touch"]


@pytest.fixture
def demo(cli):
    assert cli("demo").code == 0
    return json.loads(cli("contact", "list", "--json").out)


def test_every_built_in_passes_its_checks_and_advice_for_every_demo_contact_it_applies_to(cli, demo):
    """A built-in applies to a contact when the contact has what it needs (a chat to thank for, a message to
    nudge, a referral...); otherwise drafting exits 2 naming what is missing and how to add it."""
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
            assert draft["check"]["advice"] == [], (contact["name"], name, draft["check"]["advice"])
            assert draft["text"].startswith(f"Hi {contact['name'].split()[0]},")
            assert "{{" not in draft["text"] and "[" not in draft["text"]
            rendered[name] += 1
    assert rendered["first-message"] == len(demo)
    assert rendered["referral-thanks"] >= 1  # Maya, who offered one yesterday
    assert all(count >= 2 for name, count in rendered.items() if name != "referral-thanks"), rendered


# Each demo situation (crm/demo.py's header) and the template `crm draft CONTACT` picks for it.
DUE = [
    ("Hannah Park", "nudge", "nudge: no reply to your message of"),
    ("Tom Becker", "nudge", "nudge: no reply to your message of"),
    ("Lena Fischer", "reply", "respond to Lena's reply of"),
    ("Jonah Weiss", "thank-you", "thank Jonah for the chat on"),
    ("Marcus Lee", "intro-thanks", "thank Marcus for the intro to Olivia Grant"),
    ("Maya Chen", "referral-thanks", "thank Maya for the referral"),
    ("Daniel Okafor", "keep-in-touch", "keep in touch"),
    ("Grace Kim", "keep-in-touch", "keep in touch"),
    ("Olivia Grant", "first-message", "first message to Olivia Grant (introduced by Marcus Lee"),
    ("Arjun Mehta", "first-message", None),  # researched, never contacted: nothing due, a first message fits
]


@pytest.mark.parametrize(("name", "template", "reason"), DUE, ids=[d[0] for d in DUE])
def test_draft_picks_the_template_that_fits_what_is_due(cli, demo, name, template, reason):
    due = {item["name"]: item for item in json.loads(cli("due", "--days", "400", "--json").out)}
    assert due[name]["reason"].startswith(reason) if reason else name not in due, due.get(name)
    result = cli("draft", name, "--json")
    assert result.code == 0, result.out
    draft = json.loads(result.out)
    assert draft["template"] == template
    assert draft["check"]["ok"] and draft["check"]["advice"] == []


def test_the_reply_proposes_two_concrete_slots(cli, demo):
    text = json.loads(cli("draft", "lena", "--json").out)["text"]
    assert "Thank you for your reply of Nov 22" in text
    assert "Would 15 minutes on Fri Nov 27 at 10:00 or Mon Nov 30 at 14:00 work for you?" in text  # today: Wed Nov 25
    assert text.count("?") == 1


def test_thank_yous_cite_what_they_gave(cli, demo):
    referral = json.loads(cli("draft", "maya", "--json").out)
    assert "Thank you for the referral on Nov 24" in referral["text"]
    assert "?" not in referral["text"]  # an offered referral is thanked with no further ask
    assert "triage before fixes" in referral["text"]  # what she taught, carried into the interviews
    chat = json.loads(cli("draft", "jonah", "--json").out)["text"]
    assert "Thank you for the chat on Nov 24" in chat and "Start from what the show says about itself" in chat
    update = json.loads(cli("draft", "daniel", "--json").out)["text"]
    assert "Reporting back on your advice" in update and "back door into PM" in update  # reports back on it
    intro = json.loads(cli("draft", "marcus", "--json").out)["text"]
    assert "Thank you for introducing me to Olivia Grant" in intro


def test_first_messages_are_tailored_to_each_contact(cli, demo):
    def first(name):
        draft = json.loads(cli("draft", name, "--template", "first-message", "--json").out)
        assert draft["check"]["ok"] and draft["check"]["advice"] == []
        body = draft["text"].split("\n\n")[1]
        return draft["text"], body.split(". ")[0]

    arjun, arjun_opener = first("arjun")
    rachel, rachel_opener = first("rachel")
    assert "audio embeddings for mood-based playlists" in arjun and "A/B testing personalized artwork" in rachel
    assert "how do you check that a mood embedding matches how a song feels?" in arjun  # each hook's own question
    assert "how do you keep two artwork tests from skewing each other?" in rachel
    assert "fellow MIT Course 6 alum-to-be" in arjun_opener  # Course 6 both
    assert "fellow MIT Course 6-3 alum-to-be" in rachel_opener  # 6-3 both
    assert "fellow MIT alum-to-be" in first("hannah")[1]  # the school only (she is Course 18)
    assert first("olivia")[1] == "Marcus Lee suggested I write to you"  # not MIT: the intro is what we share
    assert "fellow" not in first("ethan")[1]  # nothing shared, nothing claimed
    assert len({first(name)[0] for name in ("arjun", "rachel", "hannah", "olivia", "maya")}) == 5


def test_the_shared_opener_advice_goes_once_the_first_sentence_says_so(cli, demo):
    rest = " Your team blog on audio embeddings caught my eye. How do you test a mood embedding?"
    plain = json.loads(cli("check", "-", "--contact", "arjun", "--json", stdin="I'm a junior studying CS." + rest).out)
    assert [a["kind"] for a in plain["advice"]] == ["shared_connection"]
    fellow = "I'm a junior and a fellow MIT Course 6 alum-to-be." + rest
    assert json.loads(cli("check", "-", "--contact", "arjun", "--json", stdin=fellow).out)["advice"] == []


ASK = "Thank you again for your time and your playlist-latency post. Could you refer me for the APM program?"


@pytest.mark.parametrize(
    ("contact", "code", "says"),
    [
        ("maya", 0, "you've talked twice: asking is reasonable now; the article's students waited to be offered"),
        ("priya", 0, "they've already introduced you to someone: asking is reasonable now"),
        ("grace", 1, "one chat is too soon"),
        ("arjun", 1, "you haven't had a chat yet"),
        (None, 1, "ask a question about their work instead"),
    ],
)
def test_check_weighs_a_referral_ask_by_the_relationship(cli, demo, contact, code, says):
    args = ["check", "-", "--json"] + (["--contact", contact] if contact else [])
    result = cli(*args, stdin=ASK)
    data = json.loads(result.out)
    asks = [p for p in data["problems"] if p["check"] == "referral_ask"]
    advice = [a for a in data["advice"] if a["kind"] == "referral_ask"]
    if code == 0:
        assert asks == [] and len(advice) == 1 and says in advice[0]["message"]
        assert result.code == 0 or [p["check"] for p in data["problems"]] == ["personal"]
    else:
        assert result.code == 1 and len(asks) == 1 and says in asks[0]["message"] and advice == []


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_hook_question_drives_the_first_message_and_the_nudge_repeats_what_was_sent(cli, db_path, monkeypatch):
    cli("me", "--name", "Sam Lee", "--school", "MIT", "--year", "junior", "--major", "Course 6-3", "--target", "PM")
    cli("project", "add", "Ranking app", "--result", "cut load time by 50%")
    cli("contact", "add", "Jia Song", "--company", "Netflix", "--school", "MIT", "--program", "Course 6")
    added = cli("hook", "add", "jia", "talk on ranking for new titles", "--date", "2026-11-01",
                "--question", "  how do you rank a title nobody has watched yet  ")  # fmt: skip
    assert added.code == 0, added.err
    shown = json.loads(cli("contact", "show", "jia", "--json").out)
    assert shown["hooks"][0]["question"] == "how do you rank a title nobody has watched yet?"
    assert "      asks: how do you rank a title nobody has watched yet?" in cli("contact", "show", "jia").out

    first = json.loads(cli("draft", "jia", "--json").out)
    assert first["template"] == "first-message" and first["check"]["advice"] == []
    assert "one thing: how do you rank a title nobody has watched yet?" in first["text"]
    assert first["text"].startswith("Hi Jia,\n\nI'm Sam Lee, a junior and a fellow MIT Course 6 alum-to-be.")

    # Sent with a question of my own: that one is stored with the draft, and the nudge repeats it.
    sent = cli("draft", "jia", "--question", "What would you cut first?", "--send")
    assert sent.code == 0 and "Marked sent: logged a message to Jia Song" in sent.out
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT question, sent_on FROM draft").fetchall() == [
            ("What would you cut first?", "2026-11-25")
        ]
    monkeypatch.setenv("CRM_TODAY", "2026-12-04")  # 7 business days later: the nudge is due
    nudge = json.loads(cli("draft", "jia", "--json").out)
    assert nudge["template"] == "nudge"
    assert "my note of Nov 25 about your talk on ranking for new titles" in nudge["text"]
    assert "I'd still value your view: What would you cut first?" in nudge["text"]
    assert "nobody has watched" not in nudge["text"]


def test_hook_add_refuses_a_bad_url_and_writes_nothing(cli, db_path):
    cli("contact", "add", "Jia Song")
    before = dump(db_path)
    result = cli("hook", "add", "jia", "talk", "--url", "example.com", "--question", "why?")
    assert result.code == 2 and "not a web address" in result.err
    assert dump(db_path) == before


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
    args = ["draft", "maya", "--template", "first-message", "--project", "dorm", "--question", "What surprised you?"]
    text = json.loads(cli(*args, "--json").out)["text"]
    assert "increased signups by 40%" in text and "What surprised you?" in text  # --question wins over the hook's


def test_a_failing_draft_exits_1_and_send_writes_nothing(cli, demo, db_path):
    before = dump(db_path)
    result = cli("draft", "arjun", "--question", "Could you refer me for the APM role?", "--send")
    assert result.code == 1
    assert "referral_ask" in result.out and "you haven't had a chat yet" in result.out and "Not sent" in result.out
    assert dump(db_path) == before


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
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
