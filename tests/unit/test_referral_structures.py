"""The referral rules by structure, on sentences written for this file (none is a corpus text): each structure the
rules learned from the writers a-h of tests/data/referral/dev.jsonl (issue 9), with other words, and the sentences
that share its shape but are no ask -- a target outside hiring, an offer not taken up, a question about asking.

The sentences also train the sentence model (tests/data/referral/extra.jsonl, `note` naming this file).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crm.outreach.referral import find_referral_asks, rule_asks

EXTRA = Path(__file__).resolve().parents[1] / "data" / "referral" / "extra.jsonl"

# (structure, sentence): the rules alone flag each.
RULE_ASKS = [
    ("a frame: ask you the favour of", "I ask you the favour of forwarding my CV to the recruiter for the data role."),
    ("a frame: beg you", "I beg you to mention my name to the hiring manager of the fintech team."),
    ("a frame: request your help to", "Could I request your kind help to pass my application to the talent team?"),
    (
        "a frame: whenever you have a moment",
        "Whenever you have a minute to flag my resume to the recruiter, I'd be thankful.",
    ),
    ("a frame: a title for you", "I hope Sir can put in a good word for me with the hiring committee."),
    (
        "a frame: is there an internal way",
        "Is there an internal route to get my portfolio in front of the hiring team?",
    ),
    ("kind words without an article", "Could you say kind words about me to the hiring lead?"),
    ("some good words", "Would you put some good words in for me with the recruiter?"),
    (
        "put forward as a candidate",
        "Would you be willing to introduce me to your manager as a candidate for the opening?",
    ),
    ("present me to", "I would be honoured if you could present me to the recruiter for the trainee program."),
    ("set me up with the hiring side", "Could you set me up with the recruiter handling the analyst role?"),
    (
        "make sure my application is seen",
        "Could you make sure my application for the design role gets seen by the hiring manager?",
    ),
    ("loop me into the process", "Would you loop me into the conversation with the hiring lead for the ops role?"),
    ("submit it, my resume named before", "My resume is attached. Could you please submit it before the deadline?"),
    ("forward it to the hiring side", "If it's not too much, could you forward it to the hiring manager for me?"),
    (
        "my document, for a role, could reach",
        "It would be amazing if my application for the junior PM role could reach the recruiter.",
    ),
    ("my document be passed on (subjunctive)", "I kindly request that my resume be passed to the hiring committee."),
    (
        "my document will be forwarded by you",
        "I'd be so grateful if my portfolio will be forwarded by you to the art director.",
    ),
    (
        "so that my document reaches the hiring side",
        "Please help so that my CV reaches the person who is hiring for the role.",
    ),
    ("kept in mind", "I would be thankful to be kept in mind if an analyst position opens up."),
    ("keep me in your mind", "If a vacancy appears in your team, kindly keep me in your mind."),
    ("move my application along", "Could you move my application forward for the internship?"),
    ("drop my name in the pipeline", "Would you mind dropping my name into the hiring pipeline for the SRE opening?"),
    ("through the referral portal", "Could you put my profile through your employee referral portal?"),
    ("wouldn't mind is a polite frame", "If you wouldn't mind submitting me for the associate role, I'd be grateful."),
    ("a mention of my name, hiring named", "If you know the recruiter for that team, a word of my name would be huge."),
    ("a nod from you", "A nod from you to the hiring manager would really help my application."),
    ("your referral would", "Your referral for the analytics opening would mean the world to me."),
    ("the recommendation for a role", "Could you write me the recommendation for the fellowship program?"),
    ("a subject line", "Referral request: Junior Data Analyst, Payments"),
    ("let know the recruiter", "Could you let know the recruiter that I submitted my application yesterday?"),
    ("a name, the hiring manager", "Could you tell Priya, the hiring manager, that I'm keen on the analyst role?"),
    (
        "a quick note to the hiring side",
        "Would you be willing to drop a short note to the recruiter saying I'd be a good fit?",
    ),
    ("about me and tell the recruiter", "Would you think of me and tell the recruiter when the role opens?"),
    ("checking in on the referral", "Just following up on the referral we discussed, since the posting closes Friday."),
    ("an offer taken up", "You mentioned you could pass my resume to the hiring team. Is that offer still open?"),
    ("an offer taken up", "You offered to refer me for the data role last month; I'd love to take you up on it now."),
    ("to be recommended would", "To be recommended by you would give my application a real boost."),
]

# Sentences with one of those shapes that ask nothing in the hiring process: none is flagged at all.
NOT_ASKS = [
    "I ask you the favour of a short call about how you chose your first role.",
    "Whenever you have a minute, could you tell me which SQL course you found useful?",
    "Is there an internal newsletter I could read to learn more about the team?",
    "Could you say a few words at our student club's welcome event?",
    "Would you introduce me to your colleague who wrote the paper, just to learn about her research?",
    "Could you set me up with a login for the beta so I can give feedback?",
    "Could you make sure my name is spelled right on the panel flyer?",
    "Would you loop me into the planning for the alumni dinner?",
    "Could you flag my name to the organisers of the book club?",
    "Would you be okay with me recommending you to our club's coordinator as a speaker?",
    "Could you forward the event link to me when you get a chance?",
    "My portfolio is attached. Could you tell me what you would cut?",
    "I'd be grateful if you could look over my resume and tell me what is missing.",
    "You mentioned you might be able to refer me, and thank you, but I'd rather finish my degree first.",
    "You offered to pass my CV along, which was so kind; for now I'm just focused on learning.",
    "You said you'd refer me to a good book on pricing; which one was it?",
    "Thanks for following up on the referral you made last week, it went through!",
    "Should I ask the recruiter for a referral, or wait until after the interview?",
    "Do I ask for a referral before or after applying online?",
    "I keep telling myself to ask someone to refer me, but I'm waiting until I know people better.",
    "To be recommended for the teaching award was a huge honour for our whole lab.",
    "My dream would be to run a product team one day.",
    "This isn't one of those 'can you refer me' notes, I promise.",
    "I'm not sending one of those 'please pass my CV on' messages; just curious about your path.",
    "Could you refer me to a good primer on experiment design?",
    "Could you recommend me some podcasts on product strategy?",
    "Happy to send my resume if it helps you see where I'm coming from, no need to share it.",
    "I appreciate you passing my resume along in the spring, even though nothing came of it.",
    "Hoping you can point me to a few good reads on pricing.",
    "Could you submit your talk proposal through the conference portal by Friday?",
]


@pytest.mark.parametrize(("structure", "text"), RULE_ASKS, ids=[s for s, _ in RULE_ASKS])
def test_the_rules_flag_each_structure_in_other_words(structure, text):
    assert rule_asks(text), (structure, text)
    assert find_referral_asks(text), (structure, text)


@pytest.mark.parametrize("text", NOT_ASKS)
def test_the_same_shapes_without_an_ask_are_not_flagged(text):
    assert find_referral_asks(text) == [], text


def test_these_sentences_train_the_model_too():
    """They are in extra.jsonl (the sentence model's training extras), labelled as here."""
    extra = {}
    with EXTRA.open(encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            extra[item["text"]] = item["label"]
    assert {text: extra.get(text) for _, text in RULE_ASKS} == {text: 1 for _, text in RULE_ASKS}
    assert {text: extra.get(text) for text in NOT_ASKS} == {text: 0 for text in NOT_ASKS}
