"""Duplicate suggestions (crm.contacts.duplicates): normalising, the rules, the keeper, and blocking that keeps 10k fast."""

from __future__ import annotations

import random
import time

import pytest

from crm.contacts import duplicates
from crm.contacts.duplicates import Person, is_initial_form, normalize_company, normalize_name, suggest


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Maya Chen", "maya chen"),
        ("  MAYA   chen ", "maya chen"),
        ("Dr. Maya Chen, PhD", "maya chen"),
        ("José Müller-Lüdenscheidt", "jose muller ludenscheidt"),
        ("Maya C.", "maya c"),
        ("O'Brien", "o brien"),
        ("Ma Long", "ma long"),  # a surname, not a degree
        ("Dr.", "dr"),  # nothing but noise: kept rather than emptied
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_name(raw, normal):
    assert normalize_name(raw) == normal


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Spotify", "spotify"),
        ("Spotify AB", "spotify"),
        ("Spotify A.B.", "spotify"),
        ("Google Inc.", "google"),
        ("The Walt Disney Company", "walt disney"),
        ("Société Générale S.A.", "societe generale"),
        (" ", ""),
        (None, ""),
    ],
)
def test_normalize_company(raw, normal):
    assert normalize_company(raw) == normal


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("maya c", "maya chen", True),
        ("maya chen", "maya c", True),
        ("m chen", "maya chen", True),
        ("maya l chen", "maya lin chen", True),
        ("m c", "maya chen", False),  # nothing whole in common
        ("maya chen", "maya chen", False),  # nothing cut: the same name, not an initial form
        ("maya d", "maya chen", False),
        ("maya", "maya chen", False),
        ("maya c", "maya chen li", False),
    ],
)
def test_initial_form(a, b, expected):
    assert is_initial_form(a, b) is expected


def pairs(people):
    return {(s.keep.id, s.other.id): (s.reason, s.score) for s in suggest(people)}


def test_same_url_and_email_in_any_spelling():
    people = [
        Person(1, "Maya Chen", email="maya@example.com"),
        Person(2, "Someone Else", email=" MAYA@Example.com"),
        Person(3, "Ivan Petrov", linkedin_url="https://www.linkedin.com/in/ivan-petrov"),
        Person(4, "Ivan", linkedin_url="linkedin.com/in/Ivan-Petrov/?trk=people"),
        Person(5, "Odd", email="not an email"),
        Person(6, "Odder", email="NOT an email "),  # unparsable: still compared trimmed and folded
        Person(7, "Nobody", email=""),
        Person(8, "Nobody Else", email="  "),
    ]
    assert pairs(people) == {
        (1, 2): ("same email maya@example.com", 100),
        (3, 4): ("same LinkedIn URL https://www.linkedin.com/in/ivan-petrov", 100),
        (5, 6): ("same email not an email", 100),
    }


def test_names_alike_only_at_the_same_company():
    people = [
        Person(1, "Jonathan Smith", company="Google"),
        Person(2, "Jonathon Smith", company="Google LLC"),
        Person(3, "Jonathan Smith", company="Meta"),  # a namesake elsewhere
        Person(4, "Jon Smith", company="Google"),  # too different (score 82)
        Person(5, "Smith Jonathan", company="google"),  # word order does not matter
        Person(8, "Jonathan Q. Smith", company="Google"),  # a middle initial: 93
        Person(6, "Maya Chen", company="Spotify"),
        Person(7, "Maya Chan", company="Spotify"),  # 89: below the bar
    ]
    found = pairs(people)
    assert found == {
        (1, 2): ("similar names at Google", 93),
        (1, 5): ("same name, words in another order at Google", 100),
        (1, 8): ("similar names at Google", 93),
    }


def test_initial_forms_at_the_same_company():
    people = [
        Person(1, "Maya Chen", company="Spotify"),
        Person(2, "Maya C.", company="Spotify"),
        Person(3, "M. Chen", company="Netflix"),
        Person(4, "Maya Chen", company="Netflix"),
    ]
    assert pairs(people) == {
        (1, 2): ("initial form of the name at Spotify", 90),
        (4, 3): ("initial form of the name at Netflix", 90),  # the full name is kept, though younger
    }


def test_same_name_without_a_company_in_common():
    people = [
        Person(1, "Lena Park"),
        Person(2, "Lena Park", company="Figma"),
        Person(3, "Ana Li"),
        Person(4, "Ana Li"),
        Person(5, "Ana Lima"),  # alike, but with no company to say so: not suggested
        Person(6, "Kofi Mensah", company="Klarna"),
        Person(7, "Kofi Mensah", company="Stripe"),
        Person(8, "Kofi Mensah"),  # could be either namesake: neither is suggested
    ]
    assert pairs(people) == {
        (1, 2): ("same name, only one has a company", 95),
        (3, 4): ("same name, neither has a company", 100),
    }


def test_two_linkedin_profiles_are_two_people_however_alike_the_names():
    url = "https://www.linkedin.com/in/"
    people = [
        Person(1, "Maya Chen", company="Spotify", linkedin_url=url + "maya-chen"),
        Person(2, "Maya Chen", company="Spotify", linkedin_url=url + "maya-chen-2"),  # a namesake (as the matcher says)
        Person(3, "Maya Chen", company="Spotify"),  # no profile: could be #1, so joins #1's group...
        Person(4, "Maya C.", company="Spotify", linkedin_url=url + "maya-chen-2"),  # ...and #2 keeps its own
        Person(5, "Lena Park", linkedin_url=url + "lena"),
        Person(6, "Lena Park", company="Figma", linkedin_url=url + "lena-park"),
    ]
    assert pairs(people) == {
        (1, 3): ("same name at Spotify", 100),
        (2, 4): ("same LinkedIn URL https://www.linkedin.com/in/maya-chen-2", 100),
    }


def test_a_shared_email_links_whatever_the_profiles():
    url = "https://www.linkedin.com/in/"
    people = [
        Person(1, "Maya Chen", email="maya@example.com", linkedin_url=url + "maya-chen"),
        Person(2, "Maya Chen", email="maya@example.com", linkedin_url=url + "mayachen"),  # a renamed profile
    ]
    assert pairs(people) == {(1, 2): ("same email maya@example.com", 100)}


def test_one_keeper_for_a_group_and_reasons_through_others():
    people = [
        Person(1, "Maya C.", company="Spotify"),
        Person(2, "Maya Chen", company="Spotify", history=3),
        Person(3, "Maya Chen", company="Spotify", email="m@x.com"),
        Person(4, "Other", email="m@x.com"),
    ]
    found = suggest(people)
    assert {s.keep.id for s in found} == {2}
    by_other = {s.other.id: (s.reason, s.score) for s in found}
    assert by_other == {
        1: ("initial form of the name at Spotify", 90),
        3: ("same name at Spotify", 100),
        4: ("same email m@x.com (as #3 Maya Chen)", 100),
    }
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert found[0].command == f"crm contact merge 2 {found[0].other.id}"
    assert found[0].as_json() == {
        "keep": {"id": 2, "name": "Maya Chen"},
        "other": {"id": found[0].other.id, "name": found[0].other.name},
        "reason": found[0].reason,
        "score": found[0].score,
    }


@pytest.mark.parametrize(
    ("a", "b", "kept"),
    [
        (Person(1, "Maya Chen", archived=True, history=9), Person(2, "Maya Chen"), 2),  # not archived first
        (Person(1, "Maya C", history=9), Person(2, "Maya Chen"), 2),  # then the full name (KEEP's name stays)
        (Person(1, "Maya Chen"), Person(2, "Maya Chen", history=1), 2),  # then the history
        (Person(1, "Maya Chen"), Person(2, "Maya Chen", filled=2), 2),  # then the fields filled
        (Person(1, "Maya Chen"), Person(2, "Maya Chen"), 1),  # then the oldest
    ],
)
def test_which_to_keep(a, b, kept):
    for person in (a, b):
        object.__setattr__(person, "company", "Spotify")
    (only,) = suggest([a, b])
    assert only.keep.id == kept


def test_nobody_alike():
    assert suggest([]) == []
    assert suggest([Person(1, "Maya Chen", company="Spotify"), Person(2, "Ivan Petrov", company="Spotify")]) == []
    assert suggest([Person(1, "", company="Spotify"), Person(2, "  ", company="Spotify")]) == []


def _network(n: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    firsts = [f"{a}{b}" for a in "bcdfghjklmnprstvz" for b in ("ara", "eno", "ilo", "uma")]
    lasts = [f"{a}{b}{c}" for a in "bdgkmprst" for b in ("al", "en", "or") for c in ("ski", "ton", "berg", "sen")]
    companies = [f"Company {i}" for i in range(40)] + [None]
    return [
        Person(i, f"{rng.choice(firsts)} {rng.choice(lasts)}", company=rng.choice(companies)) for i in range(1, n + 1)
    ]


def test_names_are_compared_only_within_their_block(monkeypatch):
    """Same company, same first letter, each distinct name once: a small fraction of all pairs."""
    from rapidfuzz import process

    compared = 0
    real = process.extract

    def counting(query, choices, **kwargs):
        nonlocal compared
        compared += len(choices)
        return real(query, choices, **kwargs)

    monkeypatch.setattr(process, "extract", counting)
    people = _network(5000)
    suggest(people)
    all_pairs = len(people) * (len(people) - 1) // 2
    assert 0 < compared < all_pairs / 200


def test_ten_thousand_contacts_in_well_under_a_second_of_work():
    people = _network(10_000)
    start = time.perf_counter()
    found = suggest(people)
    elapsed = time.perf_counter() - start
    assert found  # random names collide: there is work to do
    assert elapsed < 3.0, f"{elapsed:.2f}s: blocking must have broken (all pairs would take minutes)"


def test_find_duplicates_reads_the_database(engine, session, add_contact):
    from crm.contacts.writes import archive_contact
    from crm.store.db import raw_connection

    keep = add_contact(session, "Maya Chen", company="Spotify")
    other = add_contact(session, "Maya C.", company="Spotify")
    old = add_contact(session, "Maya Chen", company="Spotify")
    archive_contact(session=session, contact=old)
    conn = raw_connection(session)
    found = duplicates.find_duplicates(conn)
    assert [(s.keep.id, s.other.id) for s in found] == [(keep.id, other.id)]
    found = duplicates.find_duplicates(conn, include_archived=True)
    assert sorted((s.keep.id, s.other.id) for s in found) == [(keep.id, other.id), (keep.id, old.id)]
