"""The coffee-chat brief (crm.insights.prep): open promises, the project, and questions that never ask for a referral."""

from __future__ import annotations

from contextlib import closing

import pytest

from crm.errors import CrmError
from crm.insights.prep import as_question, candidate_questions, prep_brief, suggest_questions
from crm.outreach.checks import check_referral_ask
from tests.conftest import TODAY
from tests.unit.test_insights_funnel import Net


@pytest.fixture
def net(engine, db_path):
    """A hand-built history (see test_insights_funnel.Net)."""
    found = Net(db_path)
    with closing(found.conn):
        yield found


REFERRAL_ASK = "Could you refer me for the APM role on your team?"


@pytest.fixture
def maya(net):
    """Maya, introduced by Priya, two hooks (one with a question), two chats; my two projects."""
    priya = net.contact("Priya Raman", stage="advocate", company="Spotify")
    maya = net.contact("Maya Chen", stage="chatted", company="Spotify", team="Personalization",
                       role="Senior PM", introduced_by=priya, source="Intro from Priya")  # fmt: skip
    net.hook(maya, "post on reducing playlist-loading latency", date="2026-09-15",
             question="how does the team decide between UX fixes and infrastructure?")  # fmt: skip
    net.hook(maya, "panel on personalization vs. serendipity", date="2026-08-01")
    net.log(maya, "message", "2026-10-01")
    net.log(maya, "reply", "2026-10-02")
    net.log(maya, "chat", "2026-10-06", notes="First call", takeaways="Tie infra to retention",
            next_step="Send her my skip-rate analysis")  # fmt: skip
    net.log(maya, "message", "2026-10-20")  # sent the analysis: the first chat's promise is kept
    net.log(maya, "chat", "2026-11-20", notes="Second call", takeaways="Triage before fixes",
            next_step="Tell Maya when I apply")  # fmt: skip
    net.conn.execute("INSERT INTO project (name, description, result, created_at) VALUES"
                     " ('Campus music app API', 'a music app', 'cut load time from 3.2s to 1.4s', '2026-01-01'),"
                     " ('Onboarding A/B test', 'personalization of onboarding', 'signups +40%', '2026-01-01')")  # fmt: skip
    return {"maya": maya, "priya": priya}


def test_the_brief(net, maya):
    brief = prep_brief(net.conn, maya["maya"], today=TODAY)
    data = brief.as_json()
    assert set(data) == {"contact", "path", "hooks", "chats", "open_promises", "project", "questions", "history"}
    assert data["contact"]["name"] == "Maya Chen" and data["contact"]["source"] == "Intro from Priya"
    assert data["contact"]["introduced_by"] == {"id": maya["priya"], "name": "Priya Raman"}
    assert data["path"] == [{"id": maya["priya"], "name": "Priya Raman"}, {"id": maya["maya"], "name": "Maya Chen"}]
    assert [h["text"] for h in data["hooks"]] == [
        "post on reducing playlist-loading latency", "panel on personalization vs. serendipity",
    ]  # fmt: skip
    assert [(c["date"], c["next_step"]) for c in data["chats"]] == [
        ("2026-10-06", "Send her my skip-rate analysis"), ("2026-11-20", "Tell Maya when I apply"),
    ]  # fmt: skip
    assert data["open_promises"] == [
        {"date": "2026-11-20", "next_step": "Tell Maya when I apply", "due": None, "id": None}
    ]
    assert data["project"]["name"] == "Onboarding A/B test"  # shares "personalization" with her team and a hook
    assert data["questions"] == [
        "How does the team decide between UX fixes and infrastructure?",
        "What was the hardest trade-off behind your panel on personalization vs. serendipity?",
        "What's one product decision on Personalization you wish someone had questioned earlier?",
    ]
    assert data["history"] == {"chats": 2, "intros": 0, "messages": 2, "replies": 1, "referrals": 0}


def test_open_promises_are_next_steps_of_chats_after_my_last_message(net):
    who = net.contact("Ana", stage="chatted")
    net.log(who, "chat", "2026-11-01", next_step="Send the deck")  # no message ever since: open
    net.log(who, "chat", "2026-11-05", next_step="Intro to Bo")
    assert [p.next_step for p in prep_brief(net.conn, who, today=TODAY).open_promises] == ["Send the deck",
                                                                                          "Intro to Bo"]  # fmt: skip
    net.log(who, "message", "2026-11-05")  # logged after the Nov 5 chat, the same day: keeps both
    assert prep_brief(net.conn, who, today=TODAY).open_promises == []
    net.log(who, "chat", "2026-11-05", next_step="Share notes")  # logged after that message: open again
    net.log(who, "chat", "2026-11-06")  # no next step: nothing to keep
    assert [p.next_step for p in prep_brief(net.conn, who, today=TODAY).open_promises] == ["Share notes"]


def test_no_project_no_hooks_no_team(net):
    who = net.contact("Bare")
    brief = prep_brief(net.conn, who, today=TODAY)
    assert brief.project is None and brief.hooks == [] and brief.chats == [] and not brief.introduced
    assert [q.source for q in brief.questions] == ["general", "general", "general"]


def test_an_unknown_contact(net):
    with pytest.raises(CrmError, match="no contact has id 42"):
        prep_brief(net.conn, 42, today=TODAY)


def test_questions_put_hooks_first_then_the_team():
    hooks = [
        {"text": "talk A", "question": "what did A teach you?"},
        {"text": "post B", "question": None},
        {"text": "paper C", "question": "why C"},
    ]
    texts = [q.text for q in candidate_questions(hooks, "Discovery", "Spotify")]
    assert texts[:4] == [
        "What did A teach you?",
        "Why C?",
        "What's one product decision on Discovery you wish someone had questioned earlier?",
        "What was the hardest trade-off behind your post B?",
    ]
    company_only = candidate_questions([], None, "Figma")
    assert company_only[0].text == "What's one product decision at Figma you wish someone had questioned earlier?"
    assert company_only[0].source == "company: Figma"


def test_a_referral_ask_is_never_suggested():
    assert check_referral_ask(REFERRAL_ASK), "the check must see this one as an ask for the test to mean anything"
    hooks = [{"text": "APM post", "question": REFERRAL_ASK}, {"text": "talk", "question": "what would you measure?"}]
    chosen = suggest_questions(hooks, "Home", "Spotify")
    assert len(chosen) == 3
    assert REFERRAL_ASK not in [q.text for q in chosen]
    assert all(not check_referral_ask(q.text) for q in chosen)


def test_questions_already_asked_are_skipped_and_duplicates_dropped():
    hooks = [
        {"text": "a", "question": "How do you pick metrics?"},
        {"text": "b", "question": "how do you pick metrics"},
    ]
    chosen = [
        q.text
        for q in suggest_questions(
            hooks, None, None, asked=["What surprised you most about how decisions get made where you work?"]
        )
    ]
    assert chosen == [
        "How do you pick metrics?",
        "What's one product decision you wish someone had questioned earlier?",
        "Which metric do you watch most closely, and why that one?",
    ]


def test_a_sent_drafts_question_is_not_suggested_again(net):
    who = net.contact("Ana", team="Home")
    net.hook(who, "launch post", question="How did you pick the shortcuts?")
    net.send(who, "first-message", "2026-11-01", question="how did you pick the shortcuts?")
    texts = [q.text for q in prep_brief(net.conn, who, today=TODAY).questions]
    assert "How did you pick the shortcuts?" not in texts and len(texts) == 3


def test_as_question():
    assert as_question("  how does it work ") == "How does it work?"
    assert as_question("why.") == "Why?"
    assert as_question("What now?") == "What now?"
    assert as_question(" ") == ""
