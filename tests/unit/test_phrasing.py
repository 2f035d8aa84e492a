"""My notes read back to the person: the target as a role, takeaways and next steps in the second person."""

import pytest

from crm.outreach.phrasing import as_you, promise, role_phrase


@pytest.mark.parametrize(
    ("target", "reads"),
    [
        ("Product Manager at Spotify", "a Product Manager role at Spotify"),
        ("PM at Spotify", "a PM role at Spotify"),
        ("APM at Google", "an APM role at Google"),
        ("Associate Product Manager", "an Associate Product Manager role"),
        ("UX designer @ Duolingo", "a UX designer role at Duolingo"),
        ("PM internship at Figma", "a PM internship at Figma"),
        ("product roles at startups", "product roles at startups"),
        ("a PM role at Spotify", "a PM role at Spotify"),
        ("product management", "product management"),
        ("fintech", "fintech"),
        ("  Product   Manager at Spotify ", "a Product Manager role at Spotify"),
        ("", ""),
        (None, ""),
    ],
)
def test_the_target_reads_as_a_role(target, reads):
    assert role_phrase(target) == reads


@pytest.mark.parametrize(
    ("step", "name", "reads"),
    [
        ("Send him my notes on the podcast cold-start paper.", "Jonah", "I'll send you my notes on the podcast cold-start paper"),
        ("Send her my skip-rate analysis once the class presentation is done.", "Maya",
         "I'll send you my skip-rate analysis once the class presentation is done"),
        ("Apply to the APM program when it opens; tell Maya when I do.", "Maya",
         "I'll apply to the APM program when it opens; tell you when I do"),
        ("Read her post on discovery", "Maya", "I'll read your post on discovery"),
        ("Ask Priya who works on podcast recommendations.", "Jonah", "I'll ask Priya who works on podcast recommendations"),
        ("Coffee chat once he confirms a slot.", "Jonah", "coffee chat once you confirm a slot"),
        ("I will share the deck.", "Jonah", "I will share the deck"),
        ("", "Jonah", ""),
    ],
)  # fmt: skip
def test_a_next_step_becomes_a_promise_to_them(step, name, reads):
    assert promise(step, name) == reads


@pytest.mark.parametrize(
    ("note", "name", "reads"),
    [
        ("Maya says ship small experiments weekly.", "Maya", "You say ship small experiments weekly."),
        ("Maya's point: frame projects as metric, decision, result.", "Maya",
         "Your point: frame projects as metric, decision, result."),
        ("She watches retention more than engagement.", "Maya", "You watch retention more than engagement."),
        ("He has a rule: one metric per squad.", "Jonah", "You have a rule: one metric per squad."),
        ("APM interviews weigh shipped projects over GPA.", "Grace", "APM interviews weigh shipped projects over GPA."),
        ("Priya says discovery PMs live in reviews.", "Jonah", "Priya says discovery PMs live in reviews."),
    ],
)  # fmt: skip
def test_a_note_about_them_is_said_to_them(note, name, reads):
    assert as_you(note, name) == reads


def test_the_built_in_templates_read_my_notes_back_in_the_second_person():
    from crm.outreach.render import load_template, render

    context = {
        "contact": {"first_name": "Jonah"},
        "me": {"name": "Alex Rivera"},
        "question": "what would you read next?",
    }
    import datetime as dt

    chat = {
        "date": dt.date(2026, 11, 20),
        "takeaways": "He says start from what the show says about itself.",
        "next_step": "Send him my notes on the cold-start paper.",
    }
    text = render(load_template("thank-you"), {**context, "last_chat": chat})
    assert "you say start from what the show says about itself" in text.lower()
    assert "As promised, I'll send you my notes on the cold-start paper." in text
    assert " him " not in text and "He says" not in text


@pytest.mark.parametrize(
    ("hook", "reads"),
    [
        ("her post on playlist latency", "post on playlist latency"),
        ("His talk at MIT", "talk at MIT"),
        ("the podcast interview on discovery", "podcast interview on discovery"),
        ("post on reducing playlist-loading latency", "post on reducing playlist-loading latency"),
        ("therapy-bot launch", "therapy-bot launch"),  # "the" only as a word
        ("", ""),
    ],
)
def test_a_hook_reads_after_your(hook, reads):
    from crm.outreach.phrasing import their_work

    assert their_work(hook) == reads


def test_a_first_message_never_says_your_her():
    from crm.outreach.render import load_template, render

    context = {
        "contact": {"first_name": "Maya"},
        "me": {"name": "Alex Rivera", "year": "junior", "school": "MIT", "major": "Course 6", "target": "PM"},
        "hook": {"text": "her post on playlist latency"},
        "project": {"name": "Campus app", "result": "cut load time in half"},
        "question": "how do you decide?",
    }
    text = render(load_template("first-message"), context)
    assert "Your post on playlist latency is close to my work" in text
    assert "Your her" not in text
