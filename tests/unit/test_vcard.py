"""vCard reading and writing (crm.formats.vcard) and the shared matcher (crm.contacts.matching), without the CLI."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import vobject

from crm.contacts.matching import Candidate, ContactMatcher
from crm.errors import CrmError
from crm.formats.vcard import (
    ContactCard,
    card_uid,
    decode,
    name_parts,
    read_card_text,
    read_path,
    split_cards,
    to_vcard,
)

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "vcard"


def _one(text: str, file: str = "x.vcf"):
    read = read_card_text(text, file)
    assert read.problems == [], read.problems
    assert len(read.people) == 1
    return read.people[0]


# ---------------------------------------------------------------- the shared samples


def test_the_four_shared_samples_are_there():
    names = sorted(p.name for p in SAMPLES.glob("*.vcf"))
    assert names == [
        "ezvcard_gmail-single2.vcf",
        "ezvcard_outlook-2007.vcf",
        "ezvcard_rfc6350-example.vcf",
        "vobject_radicale-1587.vcf",
    ]
    assert b"\r\n" in (SAMPLES / "ezvcard_gmail-single2.vcf").read_bytes()  # copied byte for byte: CRLF kept


def test_gmail_30_several_emails_and_phones_groups_and_escaped_urls():
    person = read_path(SAMPLES / "ezvcard_gmail-single2.vcf")[0].people[0]
    assert person.name == "VCard Test"
    assert person.emails[0] == "email@example.com"
    assert len(person.emails) == 5 and "customcategory@example.com" in person.emails  # itemN. group kept
    assert len(person.phones) == 11
    assert person.company == "TheCompany" and person.role == "TheJobTitle"
    assert "http://www.example1.com" in person.websites  # Gmail's `http\://` unescaped
    assert person.note.startswith("note line 1\nnote line 2")


def test_outlook_21_quoted_printable_and_base64_photo_and_key():
    person = read_path(SAMPLES / "ezvcard_outlook-2007.vcf")[0].people[0]
    assert person.name == "Mr. Michael Angstadt Jr."
    assert person.email == "mike.angstadt@gmail.com"
    assert (person.company, person.team, person.role) == ("TheCompany", "TheDepartment", "TheJobTitle")
    assert "I assume it encodes this text inside a NOTE vCard type." in person.note  # QP soft breaks joined
    assert "=0D=0A" not in person.note and "\r" not in person.note
    assert len(person.phones) == 4


def test_rfc6350_40_folded_lines_and_tel_uris():
    person = read_path(SAMPLES / "ezvcard_rfc6350-example.vcf")[0].people[0]
    assert person.name == "Simon Perreault"
    assert person.email == "simon.perreault@viagenie.ca"
    assert person.company == "Viagenie"
    assert person.location == "Quebec, QC"  # from an ADR folded over two lines
    assert person.phones[0] == "+1-418-656-9254;ext=102"  # PREF=1 first, `tel:` dropped


def test_radicale_all_five_name_parts():
    person = read_path(SAMPLES / "vobject_radicale-1587.vcf")[0].people[0]
    assert person.name == "Given Family"


# ---------------------------------------------------------------- reading, edge by edge

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\nEND:VCARD\r\n"


def test_a_multi_card_file_with_a_broken_card_reports_it_by_line_and_keeps_the_rest():
    text = (
        CARD.format(name="Ann One", email="ann@example.com")
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Card\r\nthis line has no colon\r\nEND:VCARD\r\n"
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:noname@example.com\r\nEND:VCARD\r\n"
        + CARD.format(name="Cy Three", email="cy@example.com")
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n"
    )
    read = read_card_text(text, "many.vcf")
    assert [p.name for p in read.people] == ["Ann One", "Cy Three"]
    assert [(p.line, p.reason.split(" (")[0]) for p in read.problems] == [
        (9, "cannot read the card"),  # the line without a colon, not the card's first line
        (11, "the card has no name"),
        (20, "the card has no END:VCARD"),
    ]
    assert str(read.problems[0]).startswith("many.vcf:9: ")
    assert read.cards == 5


def test_a_card_cut_short_by_the_next_begin_is_reported_and_the_next_one_read():
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Open\nBEGIN:VCARD\nVERSION:3.0\nFN:Closed\nEND:VCARD\n"
    read = read_card_text(text, "x.vcf")
    assert [p.name for p in read.people] == ["Closed"]
    assert [(p.line, "END:VCARD" in p.reason) for p in read.problems] == [(1, True)]


def test_folded_lines_unicode_and_escapes():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Zoë Ångström-Łukasiewicz\\, PhD\nN:Ångström;Zoë;;;\n"
        "NOTE:first line\\nsecond\\, with a comma and a very long tail that goes on a\n nd on\n"
        "ORG:Spotify;Personalization\\; Discovery\nTITLE:Senior PM\nEND:VCARD\n"
    )
    person = _one(text)
    assert person.name == "Zoë Ångström-Łukasiewicz, PhD"
    assert person.note == "first line\nsecond, with a comma and a very long tail that goes on and on"
    assert (person.company, person.team) == ("Spotify", "Personalization; Discovery")


def test_vcard_40_pref_orders_emails_and_a_linkedin_url_is_recognised():
    text = (
        "BEGIN:VCARD\nVERSION:4.0\nFN:Maya Chen\nEMAIL;TYPE=home:maya@home.example\n"
        "EMAIL;PREF=1;TYPE=work:Maya.Chen@Spotify.example\nEMAIL:not an email\n"
        "URL:https://maya.example/blog\nURL;TYPE=work:https://www.linkedin.com/in/Maya-Chen/\n"
        "TEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\nTEL:+1 555 0101\nEND:VCARD\n"
    )
    person = _one(text)
    assert person.emails == ["maya.chen@spotify.example", "maya@home.example"]
    assert person.linkedin_url == "https://www.linkedin.com/in/maya-chen"
    assert person.websites == ["https://maya.example/blog"]
    assert person.phones == ["+1-555-0100", "+1 555 0101"]


def test_x_socialprofile_gives_the_linkedin_url():
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ivan\nX-SOCIALPROFILE;TYPE=linkedin:http://linkedin.com/in/ivan\nEND:VCARD\n"
    assert _one(text).linkedin_url == "https://www.linkedin.com/in/ivan"


def test_photos_are_dropped_unread_even_when_malformed():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Pic Person\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:!!!not base64 at all!!!\n  more garbage ===\n"
        "LOGO;VALUE=uri:http://example.com/logo.png\nEMAIL:pic@example.com\nEND:VCARD\n"
    )
    person = _one(text)
    assert person.email == "pic@example.com"


def test_a_name_from_n_when_there_is_no_fn():
    assert _one("BEGIN:VCARD\nVERSION:3.0\nN:Lee;Marcus;;Dr.;\nEND:VCARD\n").name == "Dr. Marcus Lee"


def test_split_cards_keeps_a_21_agent_inside_its_parent():
    text = "BEGIN:VCARD\nVERSION:2.1\nFN:Boss\nAGENT:\nBEGIN:VCARD\nVERSION:2.1\nFN:Assistant\nEND:VCARD\nEND:VCARD\n"
    blocks, problems = split_cards(text)
    assert problems == [] and len(blocks) == 1


def test_decoding_utf16_windows_1252_and_binary():
    card = CARD.format(name="José Núñez", email="jose@example.com")
    assert decode(card.encode("utf-16"), "x") == card
    assert decode(b"\xef\xbb\xbf" + card.encode(), "x") == card
    assert "José" in decode(card.encode("cp1252"), "x")
    with pytest.raises(CrmError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00", "x.vcf")


def test_read_path_errors(tmp_path):
    with pytest.raises(CrmError, match="does not exist"):
        read_path(tmp_path / "missing.vcf")
    with pytest.raises(CrmError, match="no .vcf files"):
        read_path(tmp_path)
    (tmp_path / "notes.vcf").write_text("just some text\n")
    with pytest.raises(CrmError, match="could be read"):
        read_path(tmp_path)
    with pytest.raises(CrmError, match="no vCard in it"):
        read_path(tmp_path / "notes.vcf")


# ---------------------------------------------------------------- writing


def test_name_parts_family_and_given():
    def family_given(name: str) -> tuple[str, str]:
        parts = name_parts(name)
        return parts.family, parts.given

    assert family_given("Maya Chen") == ("Chen", "Maya")
    assert family_given("Ludwig van Beethoven") == ("Beethoven", "Ludwig van")
    assert family_given("Cher") == ("", "Cher")


def test_to_vcard_is_30_with_every_field_and_reads_back():
    card = ContactCard(
        id=7, created_at="2026-11-01 10:00:00.000000", updated_at="2026-11-20 09:30:00.000000",
        fields={
            "name": "Zoë Ångström", "email": "zoe@example.com", "linkedin_url": "https://www.linkedin.com/in/zoe",
            "company": "Spotify", "team": "Personalization", "role": "PM, Growth", "school": "MIT",
            "grad_year": 2019, "program": "Course 6", "location": "Stockholm", "source": "talk",
            "cadence": "monthly", "notes": "Likes numbers; hates fluff.", "stage": "chatted", "archived": False,
            "next_follow_up": "2026-11-26", "next_follow_up_reason": "thank Zoë for the chat",
        },
        tags=["mit", "ml"], hooks=[("post on latency", "https://example.com/p", "2026-10-02", "how?")],
        introduced_by="Maya Chen", last_next_step=("2026-11-20", "send the deck"),
    )  # fmt: skip
    raw = to_vcard(card, "uid-7")
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded by octets, unicode or not
    parsed = vobject.readOne(raw.decode("utf-8"))
    assert parsed.version.value == "3.0" and parsed.uid.value == "uid-7"
    assert parsed.fn.value == "Zoë Ångström"
    assert (parsed.n.value.family, parsed.n.value.given) == ("Ångström", "Zoë")
    assert parsed.email.value == "zoe@example.com"
    assert parsed.org.value == ["Spotify", "Personalization"]
    assert parsed.title.value == "PM, Growth"
    assert parsed.url.value == "https://www.linkedin.com/in/zoe"
    assert parsed.categories.value == ["mit", "ml"]
    assert parsed.rev.value == "2026-11-20T09:30:00Z"
    note = parsed.note.value
    for text in (
        "Likes numbers; hates fluff.", "Next follow-up: 2026-11-26, thank Zoë for the chat",
        "Next step (noted 2026-11-20): send the deck", "- post on latency (2026-10-02) https://example.com/p",
        "Question: how?", "School: MIT Course 6 2019", "Introduced by: Maya Chen", "Stage: chatted",
    ):  # fmt: skip
        assert text in note


def test_card_uids_are_stable_per_contact_and_differ_across_databases_and_reused_ids():
    space = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert card_uid(space, 1, "2026-11-01 10:00:00") == card_uid(space, 1, "2026-11-01 10:00:00")
    assert card_uid(space, 1, "2026-11-01 10:00:00") != card_uid(space, 2, "2026-11-01 10:00:00")
    assert card_uid(space, 1, "2026-11-01 10:00:00") != card_uid(space, 1, "2026-11-02 10:00:00")
    assert card_uid(space, 1, "x") != card_uid(uuid.uuid4(), 1, "x")


# ---------------------------------------------------------------- matching


def test_matcher_order_url_then_email_then_name_and_company():
    maya = Candidate(1, "Maya Chen", "maya@example.com", "https://www.linkedin.com/in/maya", "Spotify")
    other = Candidate(2, "Maya Chen", None, None, "Netflix")
    matcher = ContactMatcher([maya, other])
    assert matcher.match(name="Someone", linkedin_url="linkedin.com/in/MAYA/") is maya
    assert matcher.match(name="Someone", email=" MAYA@example.com ") is maya
    assert matcher.match(name=" maya   chen ", company="netflix") is other
    assert matcher.match(name="Maya Chen", company="Spotify", linkedin_url="https://linkedin.com/in/maya-2") is None
    assert matcher.match(name="Maya Chen", company=None) is None
    matcher.add(Candidate(3, "Maya Chen", None, None, "Netflix"))
    assert isinstance(matcher.match(name="Maya Chen", company="Netflix"), list)
    assert matcher.email_taken("maya@example.com") and not matcher.email_taken("maya@example.com", by_other_than=1)
