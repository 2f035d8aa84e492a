"""fill_placeholders: what the draft screen does to an edited text when something missing is filled in."""

from __future__ import annotations

from crm.outreach.drafts import apply_refill, fill_placeholders

BEFORE = "Hi Aisha,\n\nI'm [your name]. Your [their post or talk] is close to my work.\n\n[your name]"
AFTER = "Hi Aisha,\n\nI'm Alex Rivera. Your [their post or talk] is close to my work.\n\nAlex Rivera"


def refilled(edited: str, before: str = BEFORE, after: str = AFTER, filled=frozenset({"[your name]"})) -> str:
    return apply_refill(edited, fill_placeholders(edited, before, after, filled))


def test_every_occurrence_is_filled_and_the_edits_stay():
    edited = BEFORE.replace("Hi Aisha,", "Dear Aisha,") + "\nP.S. Congrats on the launch."
    assert refilled(edited) == AFTER.replace("Hi Aisha,", "Dear Aisha,") + "\nP.S. Congrats on the launch."


def test_a_placeholder_still_missing_stays_and_one_typed_over_stays_typed_over():
    edited = BEFORE.replace("I'm [your name].", "I'm Alex.")
    out = refilled(edited)
    assert "I'm Alex." in out and out.endswith("\n\nAlex Rivera") and "[their post or talk]" in out


def test_a_value_with_changed_words_around_it_is_still_told_apart():
    before, after = "I saw [their post or talk]. Thanks", "I loved your talk on music-tech. Thanks"
    edited = "Hey! I saw [their post or talk]. Thanks"
    out = refilled(edited, before, after, {"[their post or talk]"})
    assert out == "Hey! I saw your talk on music-tech. Thanks"


def test_a_placeholder_that_cannot_be_placed_is_left_and_reported():
    before, after = "Hi [a][b], bye", "Hi Ann Lee, bye"  # two stand-ins in one change: which is which?
    as_rendered = fill_placeholders("Hi [a][b], bye!", before, after, {"[a]", "[b]"})
    assert apply_refill("Hi [a][b], bye!", as_rendered) == "Hi Ann Lee, bye!" and not as_rendered.unplaced
    pulled_apart = fill_placeholders("Hi [a] and [b], bye", before, after, {"[a]", "[b]"})
    assert pulled_apart.edits == () and pulled_apart.unplaced == {"[a]", "[b]"}


def test_nothing_filled_changes_nothing():
    edited = BEFORE + " extra"
    assert fill_placeholders(edited, BEFORE, BEFORE, frozenset()).edits == ()
    assert refilled(edited, filled=frozenset()) == edited
