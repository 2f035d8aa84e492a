"""Display width: CLI tables pad and cut by terminal columns, so CJK names (two columns a character) line up."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.cli.output import table
from crm.display import char_width, cut_to_width, pad_to_width, text_width


def columns(text: str) -> int:
    """An independent count of terminal columns (the tests' own, so a broken `text_width` cannot hide a
    misaligned table): wide and fullwidth characters 2, marks and format characters 0."""
    return sum(
        0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


@pytest.mark.parametrize(
    ("char", "width"),
    [
        ("a", 1),
        ("é", 1),  # precomposed Latin: one column
        ("陈", 2),  # CJK ideograph (East Asian Wide)
        ("한", 2),  # Hangul syllable
        ("Ａ", 2),  # fullwidth Latin
        ("ｱ", 1),  # halfwidth katakana
        ("😀", 2),  # emoji (Wide)
        ("\u0301", 0),  # combining acute accent
        ("\u20dd", 0),  # combining enclosing circle (Me)
        ("\u200d", 0),  # zero-width joiner (Cf)
        ("\u200b", 0),  # zero-width space (Cf)
        ("\ufe0f", 0),  # variation selector
        ("\u1161", 0),  # Hangul vowel that joins the syllable before it
    ],
)
def test_char_width(char, width):
    assert char_width(char) == width


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("", 0),
        ("Maya Chen", 9),
        ("陈静", 4),
        ("Zoe\u0308 Mu\u0308ller", 10),  # decomposed accents take no column
        ("Zoë Müller", 10),
        ("ｱｲｳ Fullwidth ＡＢ", 18),
        ("Nguyễn Văn An", 13),
    ],
)
def test_text_width(text, width):
    assert text_width(text) == width


def test_pad_to_width_counts_columns():
    assert pad_to_width("陈静", 6) == "陈静  "
    assert pad_to_width("Maya", 6) == "Maya  "
    assert pad_to_width("陈静", 4) == "陈静"
    assert text_width(pad_to_width("Zoe\u0308", 5)) == 5


@pytest.mark.parametrize(
    ("text", "width", "cut"),
    [
        ("Maya Chen", 9, "Maya Chen"),  # fits: unchanged
        ("Maya Chen", 5, "Maya…"),
        ("陈静好人", 8, "陈静好人"),
        ("陈静好人", 5, "陈静…"),  # 2 + 2 + 1
        ("陈静好人", 4, "陈…"),  # 静 would straddle the edge: left out, one column short
        ("Zoe\u0308 Mu\u0308ller", 4, "Zoe\u0308…"),  # the mark stays with its e
        ("Maya", 1, "…"),
        ("Maya", 0, ""),
        ("陈静", 1, "…"),
    ],
)
def test_cut_to_width(text, width, cut):
    assert cut_to_width(text, width) == cut
    assert text_width(cut_to_width(text, width)) <= width


def column_starts(line: str, cells: list[str]) -> list[int]:
    """The display column where each of `cells` starts in `line` (searched left to right)."""
    starts, at = [], 0
    for cell in cells:
        at = line.index(cell, at)
        starts.append(columns(line[:at]))
        at += len(cell)
    return starts


def test_table_aligns_cjk_accented_and_fullwidth_names():
    rows = [
        [2, "Maya Chen", "Spotify", "Personalization"],
        [1, "陈静", "Spotify", "Podcast Search"],
        [3, "Zoe\u0308 Mu\u0308ller", "ｱｲｳ ＡＢ", "Growth"],
        [4, "김민준", "Naver", "Search"],
    ]
    lines = table(["id", "name", "company", "team"], rows, max_width=200).splitlines()
    starts = [column_starts(line, [str(c) for c in row]) for line, row in zip(lines[1:], rows, strict=True)]
    assert len({tuple(s) for s in starts}) == 1, lines
    assert column_starts(lines[0], ["id", "name", "company", "team"]) == starts[0]


def test_a_trimmed_cjk_column_still_fits_and_aligns():
    rows = [["陈静" * 20, "Spotify"], ["Maya Chen " * 8, "Spotify"]]
    lines = table(["name", "company"], rows, max_width=40).splitlines()
    assert all(columns(line) <= 40 for line in lines), lines
    assert len({columns(line[: line.index("Spotify")]) for line in lines[1:]}) == 1, lines
    assert lines[1].split("  ")[0].endswith("…")


_cells = st.text(
    alphabet=st.sampled_from(list("abcXYZ é") + ["陈", "静", "한", "Ａ", "ｱ", "\u0301", "\u200d", "😀"]),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() and not s[0].isspace() and char_width(s[0]) > 0)


@given(st.lists(st.tuples(_cells, _cells), min_size=1, max_size=6))
def test_every_column_starts_at_the_same_display_column(rows):
    rows = [[a, f"|{b}"] for a, b in rows]  # "|" marks where the second column starts
    lines = table(["", ""], rows, max_width=500).splitlines()
    assert len({columns(line[: line.index("|")]) for line in lines}) == 1, lines
