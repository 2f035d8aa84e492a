"""Small defects an outside tester found: a kept promise promised again in the thank-you, near-copies among prep's
questions, a role shown twice after a merge, built-in templates that demanded a hook they need not use."""

from __future__ import annotations

import itertools
import json

import pytest

from crm.display import position
from crm.insights.prep import near_copy, suggest_questions
from crm.outreach.phrasing import _PARTICIPLES, _STEP_VERBS, kept, participle
from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

ME = ("me", "--name", "Alex Rivera", "--school", "MIT", "--year", "junior", "--major", "Course 6-3", "--target", "x")
PROMISED = "As promised, I'll send you my A/B one-pager by Friday."
SENT = "As promised, I've sent you my A/B one-pager."


def ok(cli, *args: str) -> str:
    result = cli(*args)
    assert result.code == 0, result.err
    return result.out


def refused(cli, *args: str) -> str:
    """The one-line reason of a command that must exit 2 with no traceback."""
    result = cli(*args)
    assert result.code == 2, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crm: ") and "Traceback" not in result.err, result.err
    return lines[0]


@pytest.fixture
def maya_after_a_chat(cli):
    """Maya, after yesterday's chat whose next step is a dated promise (#1), as the tester logged it."""
    ok(cli, *ME)
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify")
    ok(cli, "log", "maya", "--kind", "chat", "--date", "yesterday", "--notes", "call",
       "--takeaways", "latency budgets per surface", "--next-step", "send her my A/B one-pager by Friday")  # fmt: skip
    return cli


# --------------------------------------------------------------------------- defect 9: a kept promise is not open
def test_the_thank_you_promises_an_open_next_step(maya_after_a_chat):
    assert PROMISED in ok(maya_after_a_chat, "draft", "maya")


def test_once_the_promise_is_kept_the_thank_you_says_it_was_done_and_never_promises_it_again(maya_after_a_chat):
    cli = maya_after_a_chat
    ok(cli, "done", "maya", "--promise", "1")
    text = json.loads(ok(cli, "draft", "maya", "--json"))["text"]
    assert SENT in text
    assert "I'll send" not in text and "by Friday" not in text
    assert ok(cli, "draft", "maya").count("As promised") == 1


def test_another_promise_kept_leaves_the_open_next_step_promised(cli):
    """Only the chat's own next step counts: keeping an "also promised" one (#2) changes nothing in the line."""
    ok(cli, *ME)
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify")
    ok(cli, "log", "maya", "--kind", "chat", "--date", "yesterday", "--notes", "call", "--takeaways", "ship weekly",
       "--next-step", "send her my A/B one-pager by Friday", "--promise", "read her post @fri")  # fmt: skip
    ok(cli, "done", "maya", "--promise", "2")
    assert PROMISED in ok(cli, "draft", "maya")


def test_a_kept_promise_of_an_older_chat_does_not_silence_the_newest_chats_next_step(maya_after_a_chat):
    cli = maya_after_a_chat
    ok(cli, "done", "maya", "--promise", "1")
    ok(cli, "log", "maya", "--kind", "chat", "--notes", "second call", "--takeaways", "ship weekly",
       "--next-step", "send her the skip-rate analysis by Friday")  # fmt: skip
    assert "As promised, I'll send you the skip-rate analysis by Friday." in ok(cli, "draft", "maya")


def test_a_kept_promise_crm_cannot_say_as_done_is_left_out(cli):
    ok(cli, *ME)
    ok(cli, "contact", "add", "Jo Park")
    ok(cli, "log", "jo", "--kind", "chat", "--date", "yesterday", "--notes", "call", "--takeaways", "ship weekly",
       "--next-step", "the deck for Jo by Friday")  # fmt: skip
    assert "As promised, the deck for you by Friday." in ok(cli, "draft", "jo")
    ok(cli, "done", "jo", "--promise", "1")
    text = ok(cli, "draft", "jo")
    assert "As promised" not in text and "deck" not in text
    assert "What you said that stuck with me: ship weekly.\n\nOne follow-up:" in text  # no empty paragraph left


def test_an_undated_next_step_is_still_promised(cli):
    """No date, no stored promise: nothing can be marked kept, so the thank-you promises it as it always did."""
    ok(cli, *ME)
    ok(cli, "contact", "add", "Maya Chen")
    ok(cli, "log", "maya", "--kind", "chat", "--date", "yesterday", "--notes", "call", "--takeaways", "ship weekly",
       "--next-step", "Send her my notes")  # fmt: skip
    assert "As promised, I'll send you my notes." in ok(cli, "draft", "maya")


@pytest.mark.parametrize(
    ("step", "said"),
    [
        ("send her my A/B one-pager", "I've sent you my A/B one-pager"),
        ("Send him my notes on the cold-start paper.", "I've sent you my notes on the cold-start paper"),
        ("share the deck with Maya", "I've shared the deck with you"),
        ("apply to the APM program", "I've applied to the APM program"),
        ("I'll ask Jonah about it", "I've asked Jonah about it"),
        ("I will email her the deck", "I've emailed you the deck"),
        ("look into her paper", "I've looked into your paper"),
        ("write up my notes", "I've written up my notes"),
        ("the deck for Maya", ""),  # no verb crm knows: nothing, rather than a guessed sentence
        ("", ""),
        (None, ""),
    ],
)
def test_a_kept_step_said_as_done(step, said):
    assert kept(step, "Maya") == said


def test_every_step_verb_has_a_participle():
    for verb in _STEP_VERBS:
        done = participle(verb)
        assert done.isalpha() and done != verb or verb in ("read", "set", "put", "let", "run"), verb
    assert set(_PARTICIPLES) <= _STEP_VERBS
    assert [participle(v) for v in ("share", "try", "study", "play", "check", "ship")] == [
        "shared", "tried", "studied", "played", "checked", "shipped"
    ]  # fmt: skip


# --------------------------------------------------------------------------- defect 13: three distinct questions
@pytest.mark.parametrize(
    ("team", "expected"),
    [
        (None, [
            "What's one product decision at Spotify you wish someone had questioned earlier?",
            "Which metric do you watch most closely, and why that one?",
            "What surprised you most about how decisions get made where you work?",
        ]),
        ("Personalization", [
            "What's one product decision on Personalization you wish someone had questioned earlier?",
            "How does the Personalization team decide what to build next?",
            "Which metric do you watch most closely, and why that one?",
        ]),
    ],
)  # fmt: skip
def test_prep_suggests_three_distinct_questions(cli, team, expected):
    ok(cli, "contact", "add", "Harriet Okafor", "--company", "Spotify", *(("--team", team) if team else ()))
    brief = json.loads(ok(cli, "prep", "harriet", "--json"))
    assert brief["questions"] == expected
    text = ok(cli, "prep", "harriet")
    assert [
        line.split(". ", 1)[1] for line in text.splitlines() if line.startswith(("  1.", "  2.", "  3."))
    ] == expected


def test_a_hooks_question_and_the_team_question_that_asks_the_same_are_one(cli):
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Discovery")
    ok(cli, "hook", "add", "maya", "post on latency", "--question", "how does your team decide what to build next?")
    questions = json.loads(ok(cli, "prep", "maya", "--json"))["questions"]
    assert len(questions) == 3
    assert [q for q in questions if "decide what to build next" in q] == [
        "How does your team decide what to build next?"
    ]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("What's one product decision at Spotify you wish someone had questioned earlier?",
         "What's one product decision you wish someone had questioned earlier?", True),
        ("How does the Discovery team decide what to build next?",
         "How does your team decide what to build next?", True),
        ("Which metric do you watch most closely, and why that one?",
         "What surprised you most about how decisions get made where you work?", False),
        ("What was the hardest trade-off behind your post on latency?",
         "What was the hardest trade-off behind your talk on search?", False),
        ("Why Spotify?", "Why Spotify over Apple?", False),  # too short to call one a copy of the other
    ],
)  # fmt: skip
def test_near_copies(one, other, same):
    names = frozenset(["spotify", "discovery"])
    assert near_copy(one, other, names=names) is same
    assert near_copy(other, one, names=names) is same


def test_no_two_suggested_questions_are_near_copies_whatever_the_team_and_company():
    for team, company in itertools.product((None, "Discovery", "Search"), (None, "Spotify", "Acme Audio, Inc.")):
        questions = [q.text for q in suggest_questions([], team, company)]
        assert len(questions) == 3, (team, company)
        for a, b in itertools.combinations(questions, 2):
            assert not near_copy(a, b), (team, company, a, b)
        assert sum("product decision" in q for q in questions) <= 1, questions  # the tester's near-copies
        assert sum("decide what to build next" in q for q in questions) <= 1, questions


def test_a_question_already_asked_in_other_words_is_not_suggested_again():
    asked = ["What's one product decision you wish someone had questioned earlier?"]
    questions = [q.text for q in suggest_questions([], None, "Spotify", asked=asked)]
    assert not any("product decision" in q for q in questions) and len(questions) == 3


# --------------------------------------------------------------------------- a role shown twice after a merge
def test_after_a_merge_prep_names_the_team_once(cli):
    ok(cli, "contact", "add", "Tomás Villanueva", "--company", "Spotify", "--role", "Product Manager, Discovery")
    ok(cli, "contact", "add", "Tomas Villanueva", "--company", "Spotify", "--team", "Discovery")
    ok(cli, "contact", "merge", "1", "2")
    shown = json.loads(ok(cli, "contact", "show", "1", "--json"))
    assert (shown["role"], shown["team"]) == ("Product Manager, Discovery", "Discovery")  # both kept, shown once
    assert ok(cli, "prep", "1").splitlines()[0] == "Prep: Tomás Villanueva -- Product Manager, Discovery, Spotify"


@pytest.mark.parametrize(
    ("role", "team", "company", "shown"),
    [
        ("Product Manager, Discovery", "Discovery", "Spotify", ["Product Manager, Discovery", "Spotify"]),
        ("Senior Product Manager", "Personalization", "Spotify", ["Senior Product Manager", "Personalization",
                                                                  "Spotify"]),
        ("PM at Spotify", None, "Spotify", ["PM at Spotify"]),
        ("Data Scientist, Search & Discovery", "discovery", "Spotify", ["Data Scientist, Search & Discovery",
                                                                        "Spotify"]),
        ("Discovery Lead", "Disco", "Spotify", ["Discovery Lead", "Disco", "Spotify"]),  # whole words only
        (None, None, "Spotify", ["Spotify"]),
        ("  ", " Home ", None, ["Home"]),
        (None, None, None, []),
    ],
)  # fmt: skip
def test_position_leaves_out_what_an_earlier_part_already_says(role, team, company, shown):
    assert position(role, team, company) == shown


# --------------------------------------------------------------------------- what each built-in template demands
KIND_SETUP = {
    "first-message": [("hook", "add", "maya", "post on reducing playlist-loading latency")],
    "nudge": [("log", "maya", "--kind", "message", "--date", "2026-11-10")],
    "reply": [("log", "maya", "--kind", "message", "--date", "2026-11-10"),
              ("log", "maya", "--kind", "reply", "--date", "2026-11-20")],
    "thank-you": [("log", "maya", "--kind", "chat", "--date", "yesterday", "--notes", "call",
                   "--takeaways", "ship small and often")],
    "referral-thanks": [("log", "maya", "--kind", "referral", "--date", "yesterday")],
    "intro-thanks": [("log", "maya", "--kind", "intro", "--date", "yesterday", "--intro-to", "Lee Park")],
    "keep-in-touch": [("log", "maya", "--kind", "chat", "--date", "2026-10-01", "--notes", "call",
                       "--takeaways", "ship small and often")],
}  # fmt: skip


@pytest.mark.parametrize("team", [None, "Personalization"])
@pytest.mark.parametrize("template", sorted(KIND_SETUP))
def test_each_built_in_template_needs_only_what_its_kind_is_about(cli, template, team):
    """A referral thank-you needs the referral, a reply their reply...: no research hook unless it cites one."""
    ok(cli, *ME)
    ok(cli, "project", "add", "Campus music app", "--result", "cut load time from 3.2s to 1.4s")
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify", *(("--team", team) if team else ()))
    for args in KIND_SETUP[template]:
        ok(cli, *args)
    result = cli("draft", "maya", "--template", template)
    assert result.code == 0, (result.out, result.err)  # drafted, and every check passes
    assert "[" not in result.out and "hook" not in result.err


def test_the_referral_thanks_cites_what_there_is(cli):
    ok(cli, *ME)
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify")
    ok(cli, "log", "maya", "--kind", "referral", "--date", "yesterday")
    bare = ok(cli, "draft", "maya", "--template", "referral-thanks")
    assert "Thank you for the referral on Nov 24." in bare and "interviews" not in bare
    ok(cli, "contact", "edit", "maya", "--team", "Personalization")
    assert "I'll bring what I know of your work on Personalization to the interviews." in ok(
        cli, "draft", "maya", "--template", "referral-thanks"
    )
    ok(cli, "hook", "add", "maya", "her post on latency")
    assert "I'll bring what I learned from your post on latency to the interviews." in ok(
        cli, "draft", "maya", "--template", "referral-thanks"
    )
    ok(cli, "log", "maya", "--kind", "chat", "--notes", "call")  # a chat with no takeaways: the hook still serves
    assert "your post on latency" in ok(cli, "draft", "maya", "--template", "referral-thanks")
    ok(cli, "log", "maya", "--kind", "chat", "--notes", "call", "--takeaways", "Maya says ship weekly")
    assert "what I'll bring to the interviews: you say ship weekly." in ok(
        cli, "draft", "maya", "--template", "referral-thanks"
    ).replace("You say", "you say")


def test_a_reply_and_a_nudge_cite_the_hook_else_the_team(cli):
    ok(cli, *ME)
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Personalization")
    ok(cli, "log", "maya", "--kind", "message", "--date", "2026-11-10")
    assert "my note of Nov 10 about your work on Personalization back" in ok(
        cli, "draft", "maya", "--template", "nudge"
    )
    ok(cli, "log", "maya", "--kind", "reply", "--date", "2026-11-20")
    reply = ok(cli, "draft", "maya", "--template", "reply")
    assert "for being open to a chat about your work on Personalization." in reply
    ok(cli, "hook", "add", "maya", "her post on latency")
    assert "for being open to a chat about your post on latency." in ok(cli, "draft", "maya", "--template", "reply")
    assert "my note of Nov 10 about your post on latency back" in ok(cli, "draft", "maya", "--template", "nudge")


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("referral-thanks", "no referral from Maya Chen is logged: log one with `crm log 1 --kind referral`"),
        ("reply", "no reply from Maya Chen is logged yet: log one with `crm log 1 --kind reply`"),
        ("intro-thanks", "Maya Chen has not introduced you to anyone"),
        ("thank-you", "no chat with Maya Chen is logged yet"),
    ],
)
def test_what_a_kind_is_about_is_still_required(cli, template, reason):
    ok(cli, *ME)
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify")
    assert reason in refused(cli, "draft", "maya", "--template", template)


@pytest.mark.sqlite_only  # compares dumps of the SQLite file
def test_a_refused_draft_writes_nothing(cli, db_path):
    ok(cli, *ME)
    ok(cli, "contact", "add", "Maya Chen", "--company", "Spotify")
    before = dump(db_path)
    refused(cli, "draft", "maya", "--template", "referral-thanks", "--send")
    assert dump(db_path) == before


def test_counts_say_one_project_and_one_contact(cli, tmp_path):
    ok(cli, "project", "add", "Campus music app", "--result", "cut load time from 3.2s to 1.4s")
    out = ok(cli, "export", "json", str(tmp_path / "out.json"))
    assert "0 drafts, 1 project to" in out, out
    ok(cli, "contact", "add", "Maya Chen")
    assert "1 contact, 0 interactions" in ok(cli, "export", "json", str(tmp_path / "again.json"))


def test_contact_show_names_the_team_once_when_the_role_says_it(cli):
    ok(cli, "contact", "add", "Maya Chen", "--role", "Product Manager, Discovery", "--team", "Discovery",
       "--company", "Spotify")  # fmt: skip
    assert ok(cli, "contact", "show", "maya").splitlines()[0] == "#1 Maya Chen -- Product Manager, Discovery, Spotify"
