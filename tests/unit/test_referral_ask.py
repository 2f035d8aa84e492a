"""The referral-ask detector: every ask is flagged once, no disclaimer, topic or third party is."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.outreach.checks import check_message, check_referral_ask

ASKS = [
    # (text, a fragment of the ask that the problem's span must overlap)
    ("Could you refer me for the APM role?", "refer me"),
    ("refer me", "refer me"),
    ("Would you be willing to pass my resume along to your team?", "pass my resume along"),
    ("If it's not too much trouble, could you forward my application to the hiring manager?", "forward my application"),
    ("Please put in a good word for me with the Personalization team.", "good word"),
    ("Would you recommend me for the summer internship?", "recommend me for"),
    ("Is there any way you could get me an interview with the Home team?", "get me an interview"),
    ("Could you flag openings for me on the Growth Analytics team?", "flag openings"),
    ("Would you submit my name for the APM program?", "submit my name"),
    ("I’d be so grateful if you could vouch for me.", "vouch for me"),
    ("I'd love a referral if you think I'm a fit.", "a referral"),
    ("Would you mind referring me for the data science internship?", "referring me"),
    ("Can you help me get a referral to the APM program?", "help me get a referral"),
    ("It would mean a lot if you could refer me.", "refer me"),
    ("Any chance you could pass along my CV to the recruiter?", "pass along my CV"),
    ("Please keep me in mind for openings on your team.", "keep me in mind"),
    ("Could you connect me with the recruiter for the role?", "connect me with the recruiter"),
    (
        "I loved your talk on cold-start recommendations, and I was hoping you could refer me for the APM role.",
        "refer me",
    ),
    ("I’m a junior at MIT — would you be open to referring me?", "referring me"),
    ("Thanks so much for the chat last week! Could you send my resume to the hiring team?", "send my resume"),
    ("I know you're busy, but would you put in a good word with the hiring manager?", "good word"),
    ("Any chance of a referral for the Spotify APM program?", "a referral"),
    ("Kindly forward my CV to whoever handles PM hiring.", "forward my CV"),
    ("I WAS HOPING YOU COULD REFER ME.", "REFER ME"),
    ("Could I get a referral from you for the data role?", "a referral"),
    ("I'd really appreciate it if you’d pass my résumé on to the recruiting team.", "pass my résumé"),
    ("I'd love to be referred for the APM role if you think it makes sense.", "be referred"),
    ("Would you consider me for the open PM position on your team?", "consider me for"),
    ("Let me know if you see any openings on the Personalization team.", "openings"),
    ("Can you introduce me to the recruiter on your team?", "introduce me to the recruiter"),
    ("Feel free to share my profile with your recruiting partner.", "share my profile"),
    ("I’m writing to ask for a referral to the Associate PM program.", "a referral"),
    ("Your post on latency was great; would you be able to refer me to the hiring manager?", "refer me"),
    ("Could you possibly put my name forward for the summer APM cohort?", "put my name forward"),
    ("My ask is simple: a referral for the APM role would be amazing.", "a referral"),
    ("Would it be possible for you to recommend me to the hiring manager?", "recommend me to"),
    ("I would be incredibly thankful for a referral.", "a referral"),
    ("Help me get my foot in the door at Spotify?", "foot in the door"),
    ("i was wondering if u could refer me lol", "refer me"),
    ("Would love a referral!", "a referral"),
    ("Not sure if it's too much to ask, could you refer me?", "refer me"),
    ("Getting me an interview would be amazing.", "Getting me an interview"),
    ("Mind referring me?", "referring me"),
    ("Happy to send over my resume if you'd be open to passing it along.", "passing it along"),
    ("Would you be comfortable passing my name to the hiring manager?", "passing my name"),
    (
        "I saw your post on playlist latency. If you're comfortable, would you refer me for the APM role? Either way, thanks.",
        "refer me",
    ),
]

NOT_ASKS = [
    "No ask for a referral -- just curious how you think about it.",
    "No ask for a referral—just curious how you think about it.",
    "I'm not asking for a referral.",
    "I’m not looking for a referral, just your perspective on the roadmap.",
    "I'm not asking you to refer me; I'd just love your take on A/B test design.",
    "This isn't a request for a referral.",
    "I won't ask you to pass my resume along.",
    "I loved your post on referrals and how they shape team culture.",
    "Our referral program at the campus startup doubled signups.",
    "A friend referred me to your talk on playlist latency.",
    "How does Spotify's referral process affect hiring quality?",
    "I read about referral bonuses in your blog post.",
    "My friend referred her cousin to the Spotify internship.",
    "Could you refer me to a good resource on experimentation platforms?",
    "Can you recommend a book on product sense?",
    "Would you recommend the APM program to someone who likes research?",
    "Could you take a look at my resume and tell me what's missing for PM roles?",
    "Would you say it's worth asking for a referral before applying?",
    "Do you think I should ask for a referral now or after the internship?",
    "I'll send my resume over if that's useful context.",
    "Should I submit my application now or wait for the fall cycle?",
    "I submitted my application last week.",
    "I'd love an intro to someone on your team who works on podcast search.",
    "Could you connect me with someone on the team to chat about their work on discovery?",
    "Are you looking for new roles, or happy on the Home team?",
    "I'm curious whether a referral matters more than a strong project.",
    "Could you share how you got your referral to Spotify?",
    "I'd be happy to share my resume with you if it helps frame my question.",
    "Thank you for referring me to the Media Lab showcase last spring.",
    "I was never asked to refer anyone at my internship.",
    "How do you decide which openings to post publicly?",
    "I don't want to impose, and I'm definitely not fishing for a referral.",
    "Would you send me the link to your talk on cold-start accuracy?",
    "I’d love your take on one thing: how does the team decide between short-term UX fixes vs. infra investments?",
    "I’m aiming for PM roles at Spotify and would love your take on one thing.",
    "Getting a referral is not my goal here; understanding the team is.",
    "I hope a referral isn't necessary for the APM program.",
    "I'd love to get your take on how referrals work at Spotify.",
    "Can you help me understand how PMs work with engineers?",
    "I was referred by Sam, who suggested I reach out.",
    "Could you refer me to your colleague who wrote the latency post?",
    "You don't have to refer me, but I'd value your view on metrics.",
    "Please don't feel obligated to refer me.",
    "Would you recommend me a podcast on growth?",
    "Do you know if the team is hiring?",
    "Would you be willing to chat for 15 minutes about your work on the Home team?",
]

ARTICLE_LAST = "No ask for a referral—just curious how you think about it."


def _overlaps(problem, text, fragment):
    at = text.find(fragment)
    assert at >= 0, f"test bug: {fragment!r} not in {text!r}"
    return problem.start < at + len(fragment) and at < problem.end


def test_lists_are_big_and_balanced():
    assert len(ASKS) >= 30 and len(NOT_ASKS) >= 30
    assert len({t for t, _ in ASKS}) == len(ASKS) and len(set(NOT_ASKS)) == len(NOT_ASKS)


@pytest.mark.parametrize(("text", "fragment"), ASKS)
def test_every_ask_is_flagged_once_over_the_ask(text, fragment):
    problems = check_referral_ask(text)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.check == "referral_ask"
    assert 0 <= problem.start < problem.end <= len(text)
    assert _overlaps(problem, text, fragment)
    assert text[problem.start : problem.end] == text[problem.start : problem.end].strip()
    assert (
        problem.message.startswith("asks for a referral (")
        and "ask a question about their work instead" in problem.message
    )


@pytest.mark.parametrize("text", NOT_ASKS)
def test_no_disclaimer_topic_or_third_party_is_flagged(text):
    assert check_referral_ask(text) == []


def test_the_articles_closing_disclaimer_is_not_an_ask():
    assert check_referral_ask(ARTICLE_LAST) == []
    assert all(p.check != "referral_ask" for p in check_message("How do you pick metrics? " + ARTICLE_LAST).problems)


def test_span_is_the_offending_clause_and_message_quotes_the_ask():
    text = "I loved your post on latency. Could you refer me for the APM role? Thanks!"
    (problem,) = check_referral_ask(text)
    assert text[problem.start : problem.end] == "Could you refer me for the APM role"
    assert (
        problem.message == 'asks for a referral ("refer me for the APM role"): ask a question about their work instead'
    )


def test_a_disclaimer_clause_does_not_hide_a_later_ask():
    text = "I'm not asking for a referral, but could you pass my resume along?"
    (problem,) = check_referral_ask(text)
    assert "pass my resume along" in text[problem.start : problem.end]
    assert "not asking" not in text[problem.start : problem.end]


def test_two_asks_in_two_sentences_are_two_problems():
    text = "Could you refer me? Also, would you forward my CV to the recruiter?"
    assert len(check_referral_ask(text)) == 2


def test_curly_and_straight_apostrophes_agree():
    for text in ("I'm not asking you to refer me.", "I’d love a referral."):
        assert bool(check_referral_ask(text)) == bool(check_referral_ask(text.replace("’", "'")))


_VOCAB = [
    "could",
    "you",
    "would",
    "you",
    "please",
    "I'd",
    "love",
    "I",
    "was",
    "hoping",
    "any",
    "chance",
    "refer",
    "recommend",
    "vouch",
    "for",
    "put",
    "in",
    "a",
    "good",
    "word",
    "pass",
    "along",
    "forward",
    "send",
    "share",
    "submit",
    "flag",
    "keep",
    "me",
    "in",
    "mind",
    "consider",
    "me",
    "get",
    "me",
    "an",
    "interview",
    "connect",
    "me",
    "with",
    "the",
    "recruiter",
    "introduce",
    "me",
    "to",
    "a",
    "referral",
    "my",
    "resume",
    "my",
    "CV",
    "my",
    "application",
    "my",
    "name",
    "for",
    "the",
    "role",
    "openings",
    "at",
    "Spotify",
    "no",
    "ask",
    "not",
    "asking",
    "your",
    "post",
    "on",
    "referrals",
    "and",
    "but",
    "it",
    "this",
    "the",
    "APM",
    "role",
    "me",
    "for",
    "to",
    "a",
]


@given(st.lists(st.sampled_from(_VOCAB), min_size=1, max_size=25))
@settings(max_examples=300, deadline=None)
def test_the_trigger_prefilter_never_changes_a_verdict(words):
    """The cheap keyword prefilter must only skip clauses that no predicate could match."""
    import re

    from crm.outreach import referral

    text = " ".join(words) + "?"
    fast = referral.find_referral_asks(text)
    original = referral._TRIGGER
    try:
        referral._TRIGGER = re.compile("")  # matches every clause: the detector without its prefilter
        slow = referral.find_referral_asks(text)
    finally:
        referral._TRIGGER = original
    assert fast == slow


def test_the_prefilter_keeps_every_corpus_verdict(monkeypatch):
    import re

    from crm.outreach import referral

    phrases = [text for text, _ in ASKS] + [item if isinstance(item, str) else item[0] for item in NOT_ASKS]
    fast = [referral.find_referral_asks(p) for p in phrases]
    monkeypatch.setattr(referral, "_TRIGGER", re.compile(""))
    assert [referral.find_referral_asks(p) for p in phrases] == fast


# --------------------------------------------------------------------------- the detector and its words
def test_the_detector_gives_the_span_of_the_asking_clauses_and_quotes_the_ask():
    from crm.outreach.referral import find_referral_asks

    text = "I loved your post. “Please, could you refer me for the APM role?” Thanks!"
    ((start, end, quote),) = find_referral_asks(text)
    assert text[start:end] == "Please, could you refer me for the APM role"  # quotes and the "?" left out
    assert quote == "refer me for the APM role"
    long = "Could you refer me for " + "the really very long-titled " * 5 + "role?"
    assert find_referral_asks(long)[0][2].endswith("…") and len(find_referral_asks(long)[0][2]) == 60


def test_one_problem_per_sentence_however_many_clauses_ask():
    from crm.outreach.referral import find_referral_asks

    text = "Could you refer me; or pass my resume along? Thanks."
    ((start, end, _),) = find_referral_asks(text)
    assert text[start:end] == "Could you refer me; or pass my resume along"


def test_the_vocabulary_is_plain_data():
    """Word lists only: lower-case, trimmed, single-spaced strings in tuples, no repeats, no regex syntax."""
    import re
    import types

    from crm.outreach import referral_words

    public = {name: value for name, value in vars(referral_words).items() if not name.startswith("__")}
    assert public and all(isinstance(value, tuple) for value in public.values()), [
        name for name, value in public.items() if not isinstance(value, tuple)
    ]
    assert not any(isinstance(v, types.FunctionType | type | types.ModuleType) for v in public.values())
    for name, words in public.items():
        assert len(set(words)) == len(words), name
        for word in words:
            assert word == " ".join(word.split()) == word.lower() and word, (name, word)
            assert re.fullmatch(r"[a-zé' -]+", word), (name, word)


def test_every_trigger_stem_is_used_by_some_ask_pattern():
    """The prefilter stays in step with the predicates: a stem no pattern uses is a stale word."""
    from crm.outreach import referral, referral_words

    patterns = " ".join(p.pattern for _, p in referral._PREDICATES)
    for stem in referral_words.TRIGGER_STEMS:
        assert stem in patterns, stem
