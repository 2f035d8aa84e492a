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
    # Written from issue 9's definition, not from the corpus: other verbs, frames, typos and chat spellings.
    ("Would you be willing to advocate for me with the hiring manager?", "advocate for me"),
    ("Could you champion my application internally?", "champion my application"),
    (
        "Could you put me in touch with the recruiter handling the Data Analyst req?",
        "put me in touch with the recruiter",
    ),
    ("Would you mind looping in your recruiter about my application?", "looping in your recruiter"),
    ("Could you let your HR team know I'm interested in the Ops role?", "let your HR team know"),
    ("pls reffer me for the swe intern role", "reffer me"),
    ("Could you recomment me for the analyst opening?", "recomment me"),
    ("Would you forward my resumè to the recruiting team?", "forward my resumè"),
    ("Any chance you could send my CV over to HR?", "send my CV over"),
    ("I'd really appreciate a referral for the Junior Designer role.", "a referral"),
    ("Would you be open to giving me a referral?", "a referral"),
    ("Could you refer me internally?", "refer me"),
    ("Is there any chance you could nominate me for the leadership program?", "nominate me"),
    ("It'd be amazing if you could get me an interview.", "get me an interview"),
    ("Could you help me get an interview at Stripe?", "help me get an interview"),
    ("Would you consider putting my name forward for the analyst role?", "putting my name forward"),
    ("I'm hoping you could put in a word for me with your manager.", "put in a word"),
    ("Could you tell the hiring manager about me?", "tell the hiring manager"),
    ("Could you mention my application to the recruiter?", "mention my application"),
    ("Would you vouch for me if the hiring manager asks?", "vouch for me"),
    ("Could you keep me in mind if anything opens up on your team?", "keep me in mind"),
    ("If anything comes up on your team, please think of me for it.", "think of me"),
    ("Could I list you as a reference for the role?", "list you as a reference"),
    ("Would it be possible for you to flag my application to the hiring team?", "flag my application"),
    ("Could you get my resume to the right person?", "get my resume"),
    ("Would you be able to share my portfolio with the creative director?", "share my portfolio"),
    ("If you know the hiring manager, could you pass my name on?", "pass my name on"),
    ("A referral would really help me stand out.", "A referral"),
    ("Could you submit a referral for me for the APM role?", "a referral"),
    ("Could you send me the employee referral link?", "send me the employee referral link"),
    ("An internal referral from you would really boost my chances.", "An internal referral from you"),
    ("Happy to send my CV if you'd be willing to flag it to the hiring team.", "flag it"),
    ("It would mean a lot if you could let the recruiter know about me.", "let the recruiter know"),
    ("pls drop my name to the talent team for the intern role", "drop my name"),
    ("Do you think you could refer me?", "refer me"),
    ("Would you be comfortable recommending me to your hiring manager?", "recommending me"),
    ("I was wondering if you'd be willing to endorse me for the role.", "endorse me"),
    ("Could you possibly fast-track my application?", "fast-track my application"),
    ("Could you put my resume on the hiring manager's desk?", "put my resume"),
    ("Could you write me a referral?", "a referral"),
    ("Could you put in a referral for me?", "a referral"),
    ("Would you refer me to the hiring manager for the Growth role?", "refer me"),
    ("Could you introduce me to the hiring manager for the PM role?", "introduce me to the hiring manager"),
    ("plz help me get a refferal for the data role", "help me get a refferal"),
    ("Can you recommend me to the team?", "recommend me"),
    ("I'd be grateful if you could speak to the recruiter on my behalf.", "speak to the recruiter"),
    ("Could you ask your recruiter to take a look at my application?", "ask your recruiter"),
    ("I'd love it if you could hand my CV to your team lead.", "hand my CV"),
    ("would you be down to refer me?", "refer me"),
    ("Hoping you can get me on the recruiter's radar.", "get me on the recruiter's radar"),
    ("Could you pass along my LinkedIn profile to the team hiring for the role?", "pass along my LinkedIn profile"),
    ("I'd love to be referred for the data analyst opening.", "be referred"),
    ("Would it be too much to ask for a referral?", "a referral"),
    ("if u could refer me that would b amazing", "refer me"),
    ("Can u plz fwd my resume to ur recruiter", "fwd my resume"),
    ("Might you be willing to recommend me for the fellowship?", "recommend me"),
    ("Please consider referring me for the Associate role.", "referring me"),
    ("I would be honoured if you could nominate me for the graduate scheme.", "nominate me"),
    ("Would you kindly forward my application to the relevant team?", "forward my application"),
    ("Is there someone on the hiring side you could pass my CV to?", "pass my CV"),
    ("Could you please let me know if there are any openings on your team that might suit me?", "openings"),
    ("Could you share your referral code for the internship?", "share your referral code"),
    ("I'd be so thankful for your recommendation for the analyst role.", "your recommendation"),
    ("Would you be my referral for the PM role?", "referral"),
    ("Could you help me get my foot in the door on your team?", "foot in the door"),
    ("Feel free to pass my details to whoever runs hiring.", "pass my details"),
    ("Could you forward the attached CV to your recruiting partner?", "forward the attached CV"),
    ("I'd be grateful if you'd mention me to the team lead.", "mention me"),
    ("Would you be open to putting me forward for the Strategy role?", "putting me forward"),
    ("Could you give the hiring manager my name?", "give the hiring manager my name"),
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
    # Written from issue 9's definition: third parties, advice, thanks, disclaimers, other senses.
    "Could you refer my classmate Dana for the analyst role?",
    "Would you recommend the rotational program to a new grad?",
    "Could you recommend some resources on SQL?",
    "I'm not asking you to vouch for me; I'd just like your advice.",
    "No need to pass my resume along, I applied directly.",
    "Thank you for vouching for me with the hiring manager last month!",
    "Thanks so much for passing my CV to Priya, she reached out today.",
    "My roommate asked you for a referral last year, I think.",
    "Do referrals from employees get priority at your company?",
    "Could you forward me the event invite?",
    "Would you share the slides from your talk?",
    "How did you get your first interview at Stripe?",
    "I'd love an introduction to someone on the data team to learn about their work.",
    "Could you introduce me to a designer on your team so I can ask about their process?",
    "I'll mention your talk to my classmates.",
    "Please keep me posted on the launch!",
    "I submitted my resume to the recruiter myself last week.",
    "The hiring manager reached out to me directly, so no action needed.",
    "What do hiring managers look for in a PM resume?",
    "Can you tell me more about the recruiter screen?",
    "Would you be open to a 15-minute chat about your path?",
    "I don't expect a referral, just curious about your team.",
    "If you ever need a volunteer for user testing, keep me in mind.",
    "I was referred by a professor in my program.",
    "Could you refer me to a good book on product strategy?",
    "Would you review my resume before I apply?",
    "Could you look over my cover letter?",
    "I'd be happy to send my portfolio if you're curious.",
    "Can you recommend me a course on data visualization?",
    "Is it rude to ask for a referral from someone I just met?",
    "Should I ask my professor to recommend me for the fellowship?",
    "I'll forward the article once it's published.",
    "Thanks for recommending me for the panel, it was fun.",
    "Thanks for introducing me to the recruiter at the career fair!",
    "You don't need to put in a word for me; I just wanted to say thanks.",
    "She said you'd referred her to the design team last spring.",
    "When does your team usually post internship openings?",
    "Would it be weird if I messaged the recruiter directly?",
    "I'm applying on my own, no referral needed.",
    "Would you like me to send my resume so you can see my background?",
    "I can send you my CV if that helps you answer my question.",
    "Could you tell me what the hiring manager values most?",
    "I'll let the recruiter know you said hi.",
    "My manager offered to refer me, so I'm all set there.",
    "Could you share what the referral process looks like at your firm?",
    "Do you know who the recruiter is for the analyst role?",
    "I got the interview on my own, thank you for the tips!",
    "Feel free to share my case study with your team if you think they'd enjoy it.",
    "Could you recommend someone I could talk to about product analytics?",
    "I'd love to hear how you got referred at Stripe.",
    "I'm not looking for you to pass my CV along, just for advice.",
    "My friend Ana was hoping you could refer her for the design role.",
    "Would you mind sharing the recording of your talk?",
    "I'll put in a good word for your club at our next meeting.",
    "What made you decide to refer candidates through the portal rather than email?",
    "I was thrilled to be considered for the scholarship last year.",
    "Did the recruiter forward my application to the hiring manager, do you know?",
    "I have an interview with the hiring manager next week; any tips?",
    "If you're ever hiring interns for the summer, I'd love to hear how the process works.",
    "Please don't feel any pressure to refer me.",
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
def test_spans_are_trimmed_ordered_and_inside_the_text(words):
    """Whatever the words, each flagged sentence has one trimmed, non-empty span inside the text, in order."""
    from crm.outreach.referral import find_referral_asks

    text = " ".join(words) + "?"
    found = find_referral_asks(text)
    for (start, end, quote), following in zip(found, [*found[1:], None], strict=False):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert quote and (quote.rstrip("…") in text[start:end] or quote.endswith("…"))
        assert following is None or end <= following[0]


def test_chat_spellings_and_typos_keep_the_original_offsets():
    """The detector reads "u" as "you" and "recomend" as "recommend"; the span is still one of the original text."""
    from crm.outreach.referral import find_referral_asks

    text = "hey!! thx 4 the chat. wld u pls recomend me 2 ur hiring mgr?? no worries if not"
    ((start, end, quote),) = find_referral_asks(text)
    assert text[start:end] == "wld u pls recomend me 2 ur hiring mgr"
    assert quote == "recomend me 2 ur hiring mgr"


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


def test_every_word_list_is_used_by_the_detector():
    """No stale vocabulary: each list in referral_words is read by the grammar in referral.py or the canonical form."""
    import inspect

    from crm.outreach import referral, referral_canonical, referral_words

    source = inspect.getsource(referral) + inspect.getsource(referral_canonical)
    for name, value in vars(referral_words).items():
        if isinstance(value, tuple):
            assert f"w.{name}" in source, name


# --------------------------------------------------------------------------- phrasings beyond the spec's examples
# Harder phrasings written from issue 9's definition (not from the corpus), one kind of ask or trap each: other
# verbs and nouns, passives, impersonal and implied-subject wishes, hedges, counterfactuals, intros to learn.
HARDER_ASKS = [
    "Kindly consider my profile for any suitable opening in your team.",
    "I request you to please refer my profile for the Data Analyst position.",
    "Requesting you to share my CV with your HR.",
    "It will be a great help if you can forward my resume to the concerned person.",
    "Hoping for your kind support in referring me.",
    "If there's any way to get my application in front of the hiring team, I'd be grateful.",
    "Any help getting my foot in the door would be appreciated.",
    "Is your team hiring? If so, I'd love to be put forward.",
    "Could you flag my name to your recruiter friend?",
    "I'd love for my application to get a second look from your hiring manager, could you nudge them?",
    "Would you put my name in the hat for the analyst role?",
    "Can you make sure the hiring manager sees my application?",
    "I'd be thrilled if you'd consider recommending me for the internship.",
    "Could you speak with your manager about bringing me on?",
    "Could you put my CV forward for the graduate scheme?",
    "My hope is that you might refer me for the role.",
    "Please recommend my candidacy to the selection panel.",
    "Would you be comfortable writing a short endorsement of my application for the hiring team?",
    "Let me know if I can use you as a referral.",
    "You'd be doing me a huge favour if you passed my CV on to your recruiter.",
    "I'm hoping you'd recommend me to your HR colleagues.",
    "I wanted to see if you could refer me.",
    "If you could kindly refer me, it would be a great help.",
    "Referral for the PM role, if possible?",
    "Any referral you could give would be much appreciated.",
    "Mind putting in a word?",
    "Put me forward for the internship?",
    "Could you point the recruiter to my profile?",
    "Would you be willing to share my name with whoever is hiring?",
    "Might I ask you to pass my résumé to the hiring committee?",
    "Could you see if the hiring manager would be open to an interview with me?",
    "would really apreciate a referal if ur able",
    "Can you refer me or point me to who can?",
    "I'd be forever grateful if my CV landed on the hiring manager's desk through you.",
    "Is there a chance you could put me up for the Analyst opening?",
    "A word from you to Priya would help a lot.",
    "Could you send my portfolio across to the art director?",
    "If you think I'd be a fit, a recommendation to your recruiter would mean so much.",
    "Would you forward my application internally?",
    "Sorry to ask, but could you possibly refer me for the role?",
    "Hi Jo, since we last spoke I finished the SQL course and built a dashboard for our club. I noticed the analyst role on your team is open, and, if you feel it's appropriate, I'd really appreciate it if you could pass my name to the hiring manager. Thanks either way!",
    "Dear Mr. Rao, I hope you are doing well. I have applied for the Graduate Engineer Trainee post in your esteemed organisation. I shall be highly obliged if you could recommend my candidature to the concerned authority. Thanking you, Suresh",
    "hey! so the intern app closes sunday and i'm lowkey freaking out lol. any chance u could put my name in? no stress if not",
    "Hi Marta, I'm so sorry to bother you again, and I completely understand if the timing is wrong. I just wanted to gently ask whether, if you still felt comfortable after our chat, you might be willing to mention me to the person running the search for the policy analyst role. Please feel no pressure at all. Warmly, June",
    "Quick follow-up: did you get a chance to forward my CV to Anja? No rush.",
    "Would you be willing to be a reference for my application to the Fellows program?",
    "Thank you again for Tuesday! One last thing: would it be possible for you to send my portfolio over to the design lead before Friday's deadline?",
    "Hi Leo, the PM intern req is live (#4471). If you could refer me through the portal that'd be amazing, I'll send over my resume tonight.",
    "If it isn't too much trouble, could you let the recruiting team know that I've applied?",
    "Hi Sara, congrats on the launch! I'm applying to the Data Engineer role on your platform team, and your endorsement would mean a lot if you're open to it.",
    "Would a referral from someone on your team be possible for the Junior Analyst opening?",
    "It would be wonderful to have my application reviewed by the hiring manager, if you could make that happen.",
    "Please help to refer my profile to your HR department.",
    "I kindly request your good self to recommend me for the post.",
    "My CV is attached; I will be grateful if it can reach the hiring manager through you.",
    "need a referral for the sde intern role, can u help?",
    "Is referring me something you'd consider?",
    "I'd be so grateful for an introduction to the recruiter handling the Ops role.",
    "If you were open to forwarding my portfolio to the studio's art director, I'd be thrilled.",
    "can u hook me up with ur recruiter? lol",
    "Would you talk me up to your manager?",
    "I'm reaching out to ask whether you might refer me to the Consumer team's open analyst position.",
    "Hoping you could pass my name along to the recruiting team.",
    "Let me know if anything opens up on your team, I'd love to be considered.",
    "Could you put my resume in the pile for the summer internship?",
    "A nudge from you to the hiring committee would make a real difference.",
    "I'd appreciate your help getting an interview for the Data role.",
    "Could I trouble you to forward my CV to the right person on the hiring side?",
    "I would be very glad if you could submit my name for the internship.",
    "would u be down to plug me to ur manager for the summer role",
    "An endorsement from you for the research assistant position would mean the world.",
    "Perhaps you could mention to the hiring manager that I've applied?",
    "I'd love it if my portfolio could get to your creative director somehow.",
    "Kindly assist me with a referral for the open position.",
    "Would you be willing to write a recommendation for me for the analyst role?",
    "Could you ask HR to take another look at my application?",
    "I'm hoping you can put me on the hiring manager's radar.",
    "Could you pass my details on to the recruiter for the graduate scheme?",
    "Any way you could help me get on the shortlist?",
]

HARDER_NOT_ASKS = [
    "I'd love to learn how you recommend candidates internally at your firm.",
    "I know you can't refer me since we've never worked together, so I'm just hoping for advice.",
    "Last month you kindly passed my CV to your recruiter, thank you!",
    "Thanks again for putting my name forward last spring.",
    "I'm not asking for a referral, only how you'd approach the case interview.",
    "The recruiter asked me to send my resume to the hiring manager directly.",
    "Would you tell me how you'd pitch yourself to a hiring manager?",
    "My professor will write me a recommendation for grad school.",
    "Could you share your interview experience at Figma?",
    "Is it appropriate to send my CV directly to the hiring manager?",
    "I'll ask my manager whether I can refer you later.",
    "Would you mind if I mentioned your name in my cover letter?",
    "Could you forward this to anyone who might be interested in our hackathon?",
    "Please pass along my thanks to the hiring team for the smooth process.",
    "I applied and the hiring manager already has my resume, so nothing needed from you.",
    "Do you think I should get a referral or apply cold?",
    "I was hoping to ask how you prepared for the interview.",
    "We'd love to have you speak at our club meeting.",
    "Would you consider me a good fit for product roles, honestly?",
    "Your recommendation letter for my grad application was so kind.",
    "I'd love your honest take on whether my resume is ready to send to recruiters.",
    "Could you connect me with someone who has done the APM program?",
    "Would you be willing to introduce me to someone on the recruiting team to learn about their work?",
    "Should I mention your name when I apply?",
    "I'll keep you in mind for our speaker series.",
    "Could you keep me in the loop on the launch?",
    "Please recommend me some books on negotiation.",
    "My cousin would love a referral, but that's her business, not yours.",
    "I'm curious: did anyone refer you when you joined?",
    "Congrats on being recommended for the leadership award!",
    "Could you tell me whether the hiring manager prefers a cover letter?",
    "I emailed the recruiter myself, so no need to pass anything on.",
    "It would mean a lot to hear your story about switching into product.",
    "Would you be open to reviewing my portfolio before I submit it?",
    "If you have a minute, could you share which recruiters attend the career fair?",
    "Could you recommend a mentor in the data space?",
    "I'd rather not ask you to refer me; your advice is plenty.",
    "Feel free to forward my newsletter to anyone who'd enjoy it.",
    "Hope the hiring push is going well on your side!",
    "Would it help if I sent you my resume so you know my background?",
    "Could you tell me whether it's better to ask the recruiter or the hiring manager about the timeline?",
    "Would you recommend reaching out to the hiring manager directly, or is that a faux pas?",
    "If you were me, would you ask the recruiter for feedback?",
    "I asked the recruiter about my application and she said to reach out to you.",
    "Could you tell me how you'd recommend I follow up with the recruiter?",
    "I'd love your advice on how to get my resume in front of hiring managers at big banks.",
    "Could you share how you got your resume in front of the hiring manager at Stripe?",
    "Would you be willing to look at my resume and tell me if it's ready for the recruiter?",
    "My advisor offered to recommend me for the fellowship, so I'm set there; I'd just love your perspective.",
    "Could you let me know if the hiring manager is open to coffee chats with students?",
    "Please don't put in a word; I'd rather go through the normal process.",
    "I'm happy to submit my application through the portal like everyone else.",
    "Feel free to pass my name along to your club's organizers if they need volunteers.",
    "Would you recommend I send my CV to the hiring manager or the recruiter?",
    "Would you be open to me sending my portfolio to you for feedback?",
    "Could I send you my resume for feedback before I apply?",
    "Is it okay if I mention that we spoke when I apply?",
    "It would be great if you could share any tips for the hiring manager round.",
    "If you're comfortable, I'd love to mention our chat in my cover letter.",
    "Would you be willing to do a mock interview with me?",
    "Can you get me the recruiter's email so I can reach out myself?",
    "Could you put me in touch with someone on the hiring team to learn about their work?",
    "Hi Omar, thanks so much for referring me last month, I just heard I got the offer! I'd love to take you to coffee to say thanks properly. Also, could you tell me how you'd suggest I prepare for my first week?",
    "Hi Dana, I know your team is hiring, but I'm not ready to apply yet, so please don't pass my resume on. I'd just love to hear how you think about roadmap planning.",
    "Dear Dr. Li, my classmate mentioned that you recommended her for the Research Fellow role last year. I'm not applying this year, but I'd be grateful to hear what the role involves day to day.",
    "hey! my roommate said u might refer her for the design intern role, she's super excited. anyway i wanted to ask u abt ur favorite design books lol",
    "Thank you for offering to put in a word with the hiring manager, but I'd like to see how my application does on its own first.",
    "I'd love to learn how you decide whether to refer someone you've only met once.",
    "Could you explain how the recruiter decides who gets an interview?",
    "Would you be up for reviewing my portfolio before I send it to recruiters?",
    "Would a referral from someone on the team even matter for an internship, in your experience?",
    "My CV is attached in case it helps you see where I'm coming from, but I'm really only after your advice.",
    "I hope my application reaches the hiring manager soon, the portal is so slow.",
    "Can you help me understand what the hiring committee looks for?",
    "I'd love an introduction to someone on your research team who works on forecasting, just to learn.",
    "Would you talk me through how you prepared for your first PM interview?",
    "I submitted my name for the hackathon team, so we might see each other there!",
    "The recruiter said she would put my application forward to the hiring manager this week.",
    "Please pass my thanks to your manager for the office tour.",
    "Would you mind if I shared your post with my classmates?",
    "Could you recommend any newsletters for product managers?",
    "I'd be grateful for any advice on how to approach recruiters at career fairs.",
    "Thanks again for putting me in touch with the recruiter, we spoke yesterday!",
    "I was honored to be nominated for the student award by my department.",
    "If anything opens up for volunteering, let me know!",
    "Your endorsement on LinkedIn for my SQL skills made my day.",
    "Should I ask the hiring manager for feedback after the interview?",
    "Would you share how your team decides which candidates get interviews?",
    "I'll send my resume to the recruiter myself, but thank you for the offer.",
    "No referral needed, I already have an interview lined up.",
    "Could you forward me the link to the webinar recording?",
    "Is it better to apply online or wait for a referral?",
    "I'm not comfortable asking you to vouch for me when we've only just met.",
    "Would you introduce me to your colleague who wrote the fraud detection post? I'd love to learn about it.",
    "My professor kindly agreed to recommend me for the scholarship.",
    "I was wondering how you got your first interview at Google.",
    "Could you give me feedback on my resume before I submit it to the portal?",
    "Do you know whether the hiring manager reads cover letters?",
    "Getting a referral seems to matter a lot in banking, from what I hear.",
    "Thank you for keeping me in mind last year, the timing just didn't work.",
]


@pytest.mark.parametrize("text", HARDER_ASKS)
def test_harder_asks_are_flagged(text):
    assert check_referral_ask(text), text


@pytest.mark.parametrize("text", HARDER_NOT_ASKS)
def test_harder_non_asks_are_not_flagged(text):
    assert check_referral_ask(text) == [], text


# Every request frame with every ask, and every disclaimer or thanks with every ask: the grammar is general.
FRAMES = [
    "Could you {P}?", "Would you {P}?", "Can you {P}?", "Would you be willing to {P}?", "Would you be open to {G}?",
    "Would you mind {G}?", "Any chance you could {P}?", "Is there any way you could {P}?",
    "I was wondering if you could {P}.", "I was hoping you might {P}.", "I'd be grateful if you could {P}.",
    "It would mean a lot if you could {P}.", "If you're comfortable, could you {P}?", "Please {P}.", "Kindly {P}.",
    "pls {P}", "would u be able to {P}", "Might you be able to {P}?", "I'd really appreciate it if you'd {P}.",
    "Do you think you could {P}?", "How would you feel about {G}?", "Would you consider {G}?",
    "If it's not too much trouble, could you {P}?", "I hope it's okay to ask: could you {P}?",
    "I know it's a big ask, but could you {P}?", "Is it possible for you to {P}?",
    "Would it be possible for you to {P}?", "I humbly request you to {P}.", "May I request you to {P}?",
    "When you get a chance, could you {P}?", "If you think I'm a fit, would you {P}?", "I'd love it if you could {P}.",
    "Could I ask you to {P}?", "Would you feel comfortable {G}?", "Mind {G}?", "Are you able to {P}?",
    "Are you open to {G}?", "I'm hoping you'll {P}.", "Hoping you can {P}!",
    "Hi Sam, I applied last week. Would you be so kind as to {P}? Thanks!", "i was wondering if u could maybe {P} lol",
    "If possible, please {P}.", "Could you possibly {P} before Friday?", "I'd be so thankful if you would {P}.",
    "Would it be too much to ask you to {P}?",
]  # fmt: skip
NOT_FRAMES = [
    "I'm not asking you to {P}.", "You don't need to {P}.", "Please don't feel obligated to {P}.",
    "No need to {P}, I applied directly.", "Thanks so much for offering to {P}!", "Thank you for {G} last month.",
    "I'd never ask you to {P}.", "I won't ask you to {P}.", "Is it normal to ask someone to {P}?",
    "Do you think it's okay to ask a stranger to {P}?", "I don't expect you to {P}.", "I'm not here to ask you to {P}.",
    "Without asking you to {P}, I'd love your view on the team.", "Thanks again for {G}, I got the offer!",
    "I'm definitely not asking you to {P}; I'd just love your advice.", "My manager already agreed to {P}, so I'm all set.",
    "She told me you'd {P} if I asked, but I'd rather apply on my own.", "Please don't {P}; I want to apply on my own.",
    "I know you can't {P}, and that's completely fine.",
]  # fmt: skip
PREDICATES = [
    ("refer me for the analyst role", "referring me for the analyst role"),
    ("recommend me to the hiring manager", "recommending me to the hiring manager"),
    ("endorse my application", "endorsing my application"),
    ("nominate me for the program", "nominating me for the program"),
    ("vouch for me with the team lead", "vouching for me with the team lead"),
    ("put in a good word for me", "putting in a good word for me"),
    ("put in a word with the recruiter", "putting in a word with the recruiter"),
    ("pass my resume to the hiring manager", "passing my resume to the hiring manager"),
    ("forward my CV to HR", "forwarding my CV to HR"),
    ("send my portfolio to the design lead", "sending my portfolio to the design lead"),
    ("share my profile with the talent team", "sharing my profile with the talent team"),
    ("submit my application internally", "submitting my application internally"),
    ("flag my application to the recruiter", "flagging my application to the recruiter"),
    ("mention me to the hiring manager", "mentioning me to the hiring manager"),
    ("mention my name to your recruiter", "mentioning my name to your recruiter"),
    ("let the recruiter know about me", "letting the recruiter know about me"),
    ("tell the hiring manager about me", "telling the hiring manager about me"),
    ("give the recruiter a heads-up about my application", "giving the recruiter a heads-up about my application"),
    ("get me an interview with the team", "getting me an interview with the team"),
    ("help me land an interview", "helping me land an interview"),
    ("keep me in mind for openings on your team", "keeping me in mind for openings on your team"),
    ("consider me for the role", "considering me for the role"),
    ("put my name forward for the role", "putting my name forward for the role"),
    ("put me forward for the internship", "putting me forward for the internship"),
    ("connect me with the recruiter for the role", "connecting me with the recruiter for the role"),
    ("introduce me to the hiring manager", "introducing me to the hiring manager"),
    ("speak to the recruiter on my behalf", "speaking to the recruiter on my behalf"),
    ("reach out to the hiring manager on my behalf", "reaching out to the hiring manager on my behalf"),
    ("get my resume in front of the hiring manager", "getting my resume in front of the hiring manager"),
    ("pass my resume along", "passing my resume along"),
    ("send me your referral link", "sending me your referral link"),
    ("share your internal referral link", "sharing your internal referral link"),
    ("submit me through the referral portal", "submitting me through the referral portal"),
    ("advocate for me with the hiring team", "advocating for me with the hiring team"),
    ("loop in your recruiter on my application", "looping in your recruiter on my application"),
    ("drop my name to the talent team", "dropping my name to the talent team"),
    ("point the recruiter to my application", "pointing the recruiter to my application"),
    ("make sure the hiring manager sees my application", "making sure the hiring manager sees my application"),
    ("ask your recruiter to look at my application", "asking your recruiter to look at my application"),
    ("be a reference for me", "being a reference for me"),
    ("write me a referral", "writing me a referral"),
    ("give me a referral for the role", "giving me a referral for the role"),
    ("fast-track my application", "fast-tracking my application"),
    ("speak up for me with the committee", "speaking up for me with the committee"),
    ("hand my CV to your manager", "handing my CV to your manager"),
    (
        "bring my application to the hiring manager's attention",
        "bringing my application to the hiring manager's attention",
    ),
]


def test_every_request_frame_with_every_ask_is_flagged():
    from crm.outreach.referral import find_referral_asks

    missed = [f.format(P=p, G=g) for f in FRAMES for p, g in PREDICATES if not find_referral_asks(f.format(P=p, G=g))]
    assert missed == []


def test_no_disclaimer_or_thanks_with_any_ask_is_flagged():
    from crm.outreach.referral import find_referral_asks

    flagged = [f.format(P=p, G=g) for f in NOT_FRAMES for p, g in PREDICATES if find_referral_asks(f.format(P=p, G=g))]
    assert flagged == []


# --------------------------------------------------------------------------- cold start: rules compiled only when anchored
def _generated_texts() -> list[str]:
    """Some thousands of texts that reach many rules: every frame with every ask, every disclaimer with every ask, and
    random strings of the detector's own vocabulary (its key words next to each other, in any order)."""
    import random

    from crm.outreach import referral_words

    texts = [f.format(P=p, G=g) for f in FRAMES + NOT_FRAMES for p, g in PREDICATES]
    vocab = sorted({word for value in vars(referral_words).values() if isinstance(value, tuple) for word in value})
    vocab = [word for word in vocab if " " not in word or random.Random(word).random() < 0.5] + _VOCAB
    rnd = random.Random(20261126)
    for _ in range(1500):
        words = rnd.choices(vocab, k=rnd.randint(3, 18))
        texts.append(" ".join(words) + rnd.choice([".", "?", "!", ""]))
    return texts


def _corpus_texts() -> list[str]:
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data" / "referral"
    texts = []
    for name in ("dev.jsonl", "extra.jsonl"):  # never the held-out split
        with (data / name).open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


def test_the_anchor_guard_never_changes_a_verdict(monkeypatch):
    """Skipping the rules whose anchors a clause lacks gives the same asks, spans and quotes as running every rule."""
    from crm.outreach import referral

    texts = _corpus_texts() + _generated_texts()
    assert len(texts) > 5000
    guarded = [referral.rule_asks(text) for text in texts]
    monkeypatch.setattr(referral, "_GUARDED", False)
    unguarded = [referral.rule_asks(text) for text in texts]
    assert sum(map(bool, guarded)) > 2000  # the texts do reach the rules
    assert [i for i, (a, b) in enumerate(zip(guarded, unguarded, strict=True)) if a != b] == []


def test_no_rule_matches_a_clause_that_lacks_its_anchors():
    """Rule by rule: wherever a rule's regex matches, the clause holds its anchors, in order."""
    from crm.outreach import referral
    from crm.outreach.referral_canonical import canonical
    from crm.outreach.text import clauses

    unanchored = []
    for text in _corpus_texts() + _generated_texts():
        norm, _ = canonical(text)
        for c in clauses(norm):
            clause = norm[c.start : c.end]
            present = frozenset(s for s in referral._ANCHOR_STRINGS if s in clause)
            for n, (_, pattern, anchors) in enumerate(referral._PREDICATES):
                if not referral._anchored(clause, present, anchors) and pattern.search(clause):
                    unanchored.append((n, clause))
    assert unanchored == []


def test_every_rule_has_anchors_derived_from_its_current_regex():
    """crm/outreach/referral_anchors.py is what tests/data/referral/anchors.py derives from today's rules."""
    import importlib.util
    from pathlib import Path

    from crm.outreach import referral

    path = Path(__file__).resolve().parents[1] / "data" / "referral" / "anchors.py"
    spec = importlib.util.spec_from_file_location("referral_anchor_tool", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.OUT.read_text(encoding="utf-8") == tool.render(), "run tests/data/referral/anchors.py"
    assert all(anchors for _, _, anchors in referral._PREDICATES)


def test_importing_the_detector_compiles_none_of_its_rules():
    """The rules' regexes are compiled on first need, not at import (cold start: see tests/bench/referral.py)."""
    import subprocess
    import sys

    code = (
        "import re\n"
        "from crm.outreach import referral\n"
        "lazy = [v for v in vars(referral).values() if isinstance(v, referral._Lazy)]\n"
        "lazy += [pattern for _, pattern, _ in referral._PREDICATES]\n"
        "print(len(lazy), sum(p._compiled is not None for p in lazy))\n"
        "referral.find_referral_asks('Could you pass my resume to the recruiter?')\n"
        "print(sum(p._compiled is not None for _, p, _ in referral._PREDICATES))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    total, compiled_at_import, rules_compiled_by_a_check = map(int, out)
    assert total > 80 and compiled_at_import == 0
    assert 0 < rules_compiled_by_a_check < 10  # of 60


def test_the_sentence_model_catches_asks_the_rules_miss_and_spans_the_sentence():
    """The trained half: requests in words no rule was written for (nor any training sentence) are still flagged,
    each as its whole sentence, trimmed."""
    from crm.outreach.referral import find_referral_asks, model_asks, rule_asks

    for ask, sentence in (
        (
            "Hi Sam! I finished my MBA. Would you be willing to back my candidacy for the ops role? Thanks.",
            "Would you be willing to back my candidacy for the ops role",
        ),
        (
            "Hi Sam! I finished my MBA. Could you put my name before the partners for the associate opening? Thanks.",
            "Could you put my name before the partners for the associate opening",
        ),
    ):
        assert not rule_asks(ask)
        ((start, end, quote),) = find_referral_asks(ask)
        assert ask[start:end] == sentence and list(model_asks(ask).values()) == [(start, end)]
        assert quote.rstrip("…") in sentence
