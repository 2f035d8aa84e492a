"""Referral asks the outside tester found passing (defect 2): my resume handed over to be passed on, and a disclaimer
taken back in the same sentence; and the false alarm on a word repeated ("word word word word word").

SPEC "Message checks": asking them to pass on or forward my resume/application, however phrased, is an ask; a real
disclaimer ("No ask for a referral") is not.
"""

import pytest

from crm.outreach import referral_model
from crm.outreach.checks import check_message, check_referral_ask
from crm.outreach.referral import rule_asks
from crm.outreach.referral_canonical import canonical

# The tester's first message: it passes every check by itself.
FIRST = (
    "Hi Maya, I'm Alex, an MIT junior in Course 6-3. Your post on reducing playlist-loading latency is close to my "
    "work on a campus music app (cut load time from 3.2s to 1.4s). How does the team decide between short-term UX "
    "fixes and infra investments?"
)

TESTER_ASKS = [
    "My resume is attached; feel free to send it wherever you think it fits.",
    "My resume is attached, feel free to share it with anyone on your team.",
    "Resume attached in case it's useful to anyone on the hiring side.",
    "Attaching my resume for your recruiter.",
    "Not asking for a referral yet, but I'd love one later.",
    "I'm not asking for a referral, unless you'd be comfortable giving one.",
    "I don't want to ask for a referral, but if you offered one I'd say yes.",
]

MORE_ASKS = [
    "Here's my resume; share it with whoever you think should see it.",
    "Enclosed is my resume for your hiring manager.",
    "I'm attaching my resume for the talent team, if that's easier than the portal.",
    "Resume attached in case the hiring manager for the data team wants a look.",
    "My resume's attached, feel free to share it with anyone in your org who might be hiring.",
    "I'm not asking for a referral right now, but I'd gladly take one if you think I'm a fit.",
    "No referral ask here, unless you'd feel comfortable making one.",
    "I won't ask for a referral, though if you offered one I wouldn't say no.",
    "Not looking for a recommendation yet, but I'd welcome one down the line.",
    "I'm not asking you to refer me, unless you think I'd be a good fit for the APM role.",
    "I'm not fishing for a referral, but if you're willing to give one, I'd be grateful.",
    "Not asking for a referral, but I'd never turn one down.",
]

NOT_ASKS = [
    # real disclaimers, and a turn to something other than a referral
    "No ask for a referral.",
    "I'm not asking for a referral.",
    "Not asking for a referral yet.",
    "Not asking for a referral, just your perspective on the team.",
    "I'm not asking for a referral, but I'd love your take on how the team prioritizes.",
    "No ask for a referral; I'd just love one piece of advice on breaking into analytics.",
    "I'm not asking for a referral, but one day I'd love to work on a team like yours.",
    "I'm not asking for a referral, but I'd love one quick tip on the case interview.",
    "I'm not asking for a referral, but I'd love it if you told me how you got started.",
    "I'm not asking for a referral, unless you have time for a quick chat.",
    "I'm not asking for a referral, but if you offer advice I'd take it.",
    "No referral needed, but I'd say yes to coffee.",
    "Not asking for an intro, but if you ever want to grab coffee I'd say yes in a heartbeat.",
    "I'm not asking for a referral, but if you're willing to chat for 15 minutes I'd be grateful.",
    "I don't want to ask for a referral, but if you offered advice on my portfolio I'd take it gladly.",
    # my resume, attached for the reader, or offered to them
    "I attached my resume for context only, no need to pass it on.",
    "Happy to share my resume if useful.",
    "Happy to share my resume with you if useful.",
    "Resume attached in case it's useful.",
    "Resume attached in case it's useful context for our chat.",
    "Attaching my resume so you have context before our call.",
    "Attaching my resume for your reference.",
    "My resume is attached for the recruiter call on Friday, in case you want to see it.",
    "I've attached my resume; no need to share it with anyone, it's just background for our chat.",
    "Please don't share my resume with anyone; it's just for you.",
    # "it" is not my resume
    "I've attached the deck I mentioned; feel free to share it with your team.",
]


@pytest.mark.parametrize("ask", TESTER_ASKS)
def test_the_testers_asks_fail_the_check_after_a_good_first_message(ask):
    assert check_message(FIRST).ok  # the message alone passes: the ask is what fails
    result = check_message(FIRST + " " + ask)
    problems = [p for p in result.problems if p.check == "referral_ask"]
    assert len(problems) == 1, result.problems
    (problem,) = problems
    assert problem.start >= len(FIRST)  # the span is the appended sentence, not the first message
    assert (FIRST + " " + ask)[problem.start : problem.end] in ask


@pytest.mark.parametrize("ask", TESTER_ASKS + MORE_ASKS)
def test_the_rules_themselves_flag_them(ask):
    """Not left to the trained model, which a retrain may move: a rule catches each."""
    assert rule_asks(ask), ask
    assert len(check_referral_ask(ask)) == 1


@pytest.mark.parametrize("text", NOT_ASKS)
def test_real_disclaimers_and_resumes_for_the_reader_are_not_asks(text):
    assert check_referral_ask(text) == []


def test_the_testers_asks_fail_crm_check(cli):
    for ask in TESTER_ASKS:
        result = cli("check", "-", stdin=FIRST + " " + ask)
        assert result.code == 1, (ask, result.out)
        assert "referral_ask" in result.out
    assert cli("check", "-", stdin=FIRST).code == 0


@pytest.mark.parametrize("n", [2, 5, 6, 12, 50, 400])
def test_a_repeated_word_is_not_an_ask(n):
    assert check_referral_ask(" ".join(["word"] * n)) == []
    assert check_referral_ask("Hi Maya, " + " ".join(["word"] * n) + ".") == []


def test_the_model_counts_a_feature_once_as_it_was_trained():
    """train.py fits on which features a sentence has (a 0/1 matrix): scoring must count each once too."""
    features = referral_model.features("word word word word word")
    assert len(features) == len(set(features))
    five, fifty = (canonical(" ".join(["word"] * n))[0] for n in (5, 50))
    assert referral_model.logit(five) == referral_model.logit(fifty)


def test_a_good_word_is_still_an_ask():
    assert len(check_referral_ask("Could you put in a good word for me with the hiring manager?")) == 1
    assert len(check_referral_ask("A good word from you would mean a lot.")) == 1
