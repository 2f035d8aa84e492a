"""Which SQL a read connection speaks: the few read queries that cannot share their text choose by it.

`store.reader` and `raw_connection(session)` are sqlite3 connections (no attribute: "sqlite") or, on PostgreSQL,
crm.store.postgres.Reader (`dialect = "postgresql"`). Nothing here imports a driver.
"""

from __future__ import annotations

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

# SQLite's lower() folds ASCII letters only, and it compares text by code point: this is that order on PostgreSQL
# (whose lower() folds every letter, and whose default collation follows the server's locale).
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def dialect(conn) -> str:
    return getattr(conn, "dialect", SQLITE)


def is_postgres(conn) -> bool:
    return getattr(conn, "dialect", SQLITE) == POSTGRESQL


def pg_ascii_lower(expression: str) -> str:
    """SQLite's `lower(x)` as a PostgreSQL sort key: ASCII folded, compared by code point."""
    return f"translate({expression}, '{_UPPER}', '{_UPPER.lower()}') COLLATE \"C\""


_ASCII_LOWER = str.maketrans(_UPPER, _UPPER.lower())


def ascii_lowered(text: str) -> str:
    """SQLite's `lower(text)` in Python (ASCII letters folded, nothing else): the same sort key in Python's sorts."""
    return text.translate(_ASCII_LOWER)


# -- Case ignored for every letter, the same on both engines -------------------------------------------------------
#
# SQLite's lower() and LIKE fold ASCII letters only, and PostgreSQL's follow the server's locale (in the C locale,
# ASCII only too): neither can be asked whether "ÉMILE" is "Émile". So Python decides (`fold`), and SQL narrows the
# rows down with patterns Python writes out (`fold_like`: each letter as the set of characters that fold to it), which
# both engines read the same way, without lower(), ILIKE or a collation. Python checks each row the SQL lets through.

# The characters whose case folding is not one character, or is an ASCII letter from a non-ASCII one: 'ß' -> 'ss',
# 'ﬁ' -> 'fi', 'İ' -> 'i' and a combining dot, Greek letters with iota subscript, the Kelvin sign -> 'k', the long
# s -> 's'. A pattern cannot stand one character for them: text holding one is let through (`fold_apart`) and left to
# Python. A test recomputes this from Python's Unicode tables.
FOLDS_APART = (
    "\u00df\u0130\u0149\u017f\u01f0\u0390\u03b0\u0587\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e\u1f50\u1f52\u1f54\u1f56"
    "\u1f80\u1f81\u1f82\u1f83\u1f84\u1f85\u1f86\u1f87\u1f88\u1f89\u1f8a\u1f8b\u1f8c\u1f8d\u1f8e\u1f8f\u1f90\u1f91"
    "\u1f92\u1f93\u1f94\u1f95\u1f96\u1f97\u1f98\u1f99\u1f9a\u1f9b\u1f9c\u1f9d\u1f9e\u1f9f\u1fa0\u1fa1\u1fa2\u1fa3"
    "\u1fa4\u1fa5\u1fa6\u1fa7\u1fa8\u1fa9\u1faa\u1fab\u1fac\u1fad\u1fae\u1faf\u1fb2\u1fb3\u1fb4\u1fb6\u1fb7\u1fbc"
    "\u1fc2\u1fc3\u1fc4\u1fc6\u1fc7\u1fcc\u1fd2\u1fd3\u1fd6\u1fd7\u1fe2\u1fe3\u1fe4\u1fe6\u1fe7\u1ff2\u1ff3\u1ff4"
    "\u1ff6\u1ff7\u1ffc\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06\ufb13\ufb14\ufb15\ufb16\ufb17"
)

# The characters that fold to one character which is not their lower, upper or title case, nor the other way round
# ('ς' and 'ϐ' fold to 'σ' and 'β', the micro sign to 'μ', the Ohm sign to 'ω'): with them, `_folding_into` finds
# every character folding to a given one. A test recomputes this too.
_ODD_FOLDS = (
    "\u00b5\u017f\u0345\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f4\u03f5\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85"
    "\u1c86\u1c87\u1c88\u1e9b\u1fbe\u2126\u212a\u212b"
)


def fold(text: str) -> str:
    """`text` as names and companies are compared, case ignored for every letter: NFC (as names are stored), then
    Unicode case folding ("ÜNAL" and "ünal", "Strauß" and "STRAUSS" are the same)."""
    import unicodedata

    return unicodedata.normalize("NFC", text).casefold()


# -- Accents ignored too, for finding people by name --------------------------------------------------------------
#
# A student on a US keyboard types "lucia" for "Lucía Fernández" and "soren" for "Søren Kjær": lookups by name
# (CONTACT arguments, `contact list --search`, completion, intro links, the app's filter and palette) compare
# `fold_accents` of both sides. Exact names (`fold`) still come first: "Lucia" and "Lucía" are two people.

# Letters that fold to others without a Unicode decomposition, as PostgreSQL's unaccent folds them (after casefold):
# the one table, which crm.search's notes index follows too. A test checks that none of them decomposes.
UNACCENT = {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
_UNACCENT = str.maketrans(UNACCENT)


def fold_accents(text: str) -> str:
    """`text` as names are looked up: case and accents ignored ("Lucía" -> "lucia", "SØREN" -> "soren", "Strauß" ->
    "strauss", "Nguyễn" -> "nguyen"). Character by character (`fold_accent`), each folded once and remembered: at
    100k contacts a lookup folds thousands of names. ASCII text is only lower-cased (the fast path: most names)."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLDED)


def fold_accent(char: str) -> str:
    """One character's folding: case folded ('ᾳ' -> "αι"), NFKD without its nonspacing marks (category Mn), case
    folded again ('ℌ' -> "H" -> "h"), then the letters NFKD keeps whole (UNACCENT). Every step works character by
    character (marks are dropped, so NFKD's reordering of them does not matter): a text folds as its characters do,
    which a test checks."""
    import unicodedata

    category = unicodedata.category
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", char.casefold()) if category(ch) != "Mn")
    return bare.casefold().translate(_UNACCENT)


class _Folded(dict):
    """str.translate's table for `fold_accents`: each character's folding, computed the first time it is met."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_accent(chr(code))
        return folded


_FOLDED = _Folded({code: chr(code).lower() for code in range(128)})


def accent_match(conn, column: str, folded: str, *, whole: bool = False) -> tuple[str, list[str]]:
    """(condition, parameters) true for every row whose `fold_accents`ed `column` contains `folded` (a
    `fold_accents`ed needle; `whole`: is it), and for more: check each row with `fold_accents`.

    An ASCII row folds to its ASCII lower case, so a LIKE pattern judges it exactly; a row with any other character
    (a few in most networks) is let through to Python. A needle still not ASCII once folded (Greek, Cyrillic, CJK)
    cannot be in an ASCII row at all."""
    if not folded.isascii():
        return non_ascii(conn, column), []
    condition, pattern = fold_like(conn, column, folded, whole=whole)
    return f"({condition} OR {non_ascii(conn, column)})", [pattern]


def ascii_lower(conn, expression: str) -> str:
    """SQL folding the ASCII letters of `expression` and nothing else, on either engine (PostgreSQL's lower() would
    follow the server's locale)."""
    if is_postgres(conn):
        return f"translate({expression}, '{_UPPER}', '{_UPPER.lower()}')"
    return f"lower({expression})"


def _folding_into(ch: str) -> str:
    """Every single character whose folding is `ch` (a character of a folded text): 'é' -> 'Éé'."""
    candidates = {ch, ch.upper(), ch.title(), ch.lower(), *_ODD_FOLDS}
    return "".join(sorted(c for c in candidates if len(c) == 1 and c.casefold() == ch))


def fold_like(conn, column: str, folded: str, *, start: bool = False, whole: bool = False) -> tuple[str, str]:
    """(condition, parameter) on `column` holding exactly for the rows whose folded text contains `folded` (a `fold`ed
    needle; `start`: begins with it; `whole`: is it), among the rows without a character of `fold_apart`.

    An ASCII needle is a LIKE pattern (SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's does not, so
    its text is folded first, ASCII only); any other a GLOB pattern (SQLite) or a regular expression (PostgreSQL)
    with each letter as a set: 'émile' -> '*[Éé][Mm][Ii][Ll][Ee]*'."""
    if folded.isascii():
        body = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = body if whole else body + "%" if start else f"%{body}%"
        if is_postgres(conn):
            return f"{ascii_lower(conn, column)} LIKE ? ESCAPE '\\'", pattern
        return f"{column} LIKE ? ESCAPE '\\'", pattern
    sets = [_folding_into(ch) or ch for ch in folded]
    if is_postgres(conn):
        body = "".join(
            f"[{chars}]" if len(chars) > 1 or not chars.isascii() else chars if chars.isalnum() else "\\" + chars
            for chars in sets
        )
        return f"{column} ~ ?", ("^" if start or whole else "") + body + ("$" if whole else "")
    body = "".join(f"[{chars}]" if len(chars) > 1 or chars in "*?[" else chars for chars in sets)
    return f"{column} GLOB ?", ("" if start or whole else "*") + body + ("" if whole else "*")


def non_ascii(conn, column: str) -> str:
    """SQL: `column` holds a character outside ASCII (cheap: a length in bytes against one in characters)."""
    if is_postgres(conn):
        return f"octet_length({column}) <> char_length({column})"
    return f"length(CAST({column} AS BLOB)) <> length({column})"


def fold_apart(conn, column: str, folded: str) -> tuple[str, str] | None:
    """(condition, parameter): `column` holds a character of FOLDS_APART whose folding shares a character with
    `folded`, the rows `fold_like` cannot judge; None when there is no such character.

    The text is first asked whether it is ASCII at all (cheaper than the pattern): most names are."""
    wanted = set(folded)
    chars = "".join(ch for ch in FOLDS_APART if not wanted.isdisjoint(ch.casefold()))
    if not chars:
        return None
    if is_postgres(conn):
        return f"({non_ascii(conn, column)} AND {column} ~ ?)", f"[{chars}]"
    return f"({non_ascii(conn, column)} AND {column} GLOB ?)", f"*[{chars}]*"


def fold_in(conn, column: str, folded: set[str] | list[str]) -> tuple[str, list[str]]:
    """(condition, parameters) true for every row whose `fold`ed `column` is one of `folded`, and perhaps for a few
    more (check each row with `fold`): one lookup of the ASCII-folded text, plus rows holding a character of
    FOLDS_APART that folds into one of them, plus, when one of them is not ASCII, rows whose text is not ASCII."""
    values = sorted(folded)
    conditions = [f"{ascii_lower(conn, column)} IN ({', '.join('?' * len(values))})"]
    params = list(values)
    if not all(value.isascii() for value in values):
        conditions.append(non_ascii(conn, column))
    else:
        apart = fold_apart(conn, column, "".join(values))
        if apart is not None:
            conditions.append(apart[0])
            params.append(apart[1])
    return "(" + " OR ".join(conditions) + ")", params


def pg_json_object(pairs: dict[str, str], *, json_text: tuple[str, ...] = ()) -> str:
    """A PostgreSQL expression for SQLite's `json_object(...)` text, byte for byte: compact, keys in order.

    `pairs` maps each key to a SQL expression, which to_json() encodes as SQLite does (strings escaped, numbers and
    booleans bare, NULL as null); the keys in `json_text` hold JSON text already (SQLite's `json(...)`)."""
    parts = []
    for key, expression in pairs.items():
        value = expression if key in json_text else f"coalesce(to_json({expression})::text, 'null')"
        parts.append(f"'\"{key}\":' || {value}")
    return "'{' || " + " || ',' || ".join(parts) + " || '}'"


def pg_json_array(expression: str, *, order_by: str, source: str) -> str:
    """SQLite's `json_group_array(x)` text (compact, '[]' when empty) over `source` (FROM ... WHERE ...)."""
    return (
        f"coalesce((SELECT '[' || string_agg(to_json({expression})::text, ',' ORDER BY {order_by}) || ']'"
        f" FROM {source}), '[]')"
    )
