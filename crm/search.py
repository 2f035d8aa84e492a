"""Full-text search over interaction notes, takeaways, next steps, advice, suggested names and hook text (FTS5).

The index is the FTS5 table `search_index` made by migration 0004 and kept in sync by triggers on
`interaction` and `hook` (as migration 0008 made them again), so it is current in every transaction. Each
entry is one text field; its rowid encodes where the text came from: `source id * 8 + field`, field 0 notes,
1 takeaways, 2 next step, 3 advice, 4 suggested names (all interaction), 7 hook text.

Plain sqlite3 (a `crm.store.db.connect` connection, or `raw_connection(session)`): this runs on the
CLI's hot path and on every keystroke of a live filter, so it imports no ORM.

What people type: plain words are ANDed and each is a prefix ("play late" finds "playlist
latency"); text in double quotes is a phrase ('"playlist loading"'), and an unclosed quote is a
phrase still being typed, its last word a prefix. Nothing else is syntax: AND, OR, NOT, *, ^, :,
parentheses and the like are searched for as text (or ignored when they hold no letters or digits).
"""

from __future__ import annotations

import bisect
import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from crm.errors import CrmError
from crm.store.dialect import UNACCENT

# The snippet marks each match as «match». A UI can split on these to colour or highlight it.
MARK_START = "«"
MARK_END = "»"
ELLIPSIS = "…"
SNIPPET_TOKENS = 16  # words of context in a snippet (FTS5 allows up to 64)

INDEX_TABLE = "search_index"
# What each rowid field (rowid & 7) holds, as SearchHit.source names it (5 and 6 are free); HOOK_FIELD is a hook's.
SOURCES = ("note", "takeaways", "next step", "advice", "suggested", "", "", "hook")
HOOK_FIELD = 7

# Characters that make an FTS5 token under unicode61 (letters, numbers, private use); a word made only
# of other characters (punctuation, symbols) can never match anything, so it is dropped.
_WORD_CATEGORIES = ("L", "N", "Co")
# A word as a regular expression (a snippet splits up to 50 texts of 20,000 characters on each keystroke of the app's
# live filter): one of them (\w without "_" is exactly L and N; Co is the three private-use areas), then more of them
# or of the combining accents unicode61 folds away (sqlite3Fts5UnicodeIsdiacritic: "e\u0301" is a word, "\u0301" none).
_WORD = re.compile(
    r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd])"
    r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
    r"|[\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328\u032d\u032e\u0330\u0331])*"
)
_SENTENCE_END = re.compile(r"[.:][ \t\n\r]+")  # what FTS5's snippet() takes to end a sentence
# Letters that fold to others without a Unicode decomposition, as PostgreSQL's unaccent folds them (after casefold):
# the table name lookups use too (crm.store.dialect.UNACCENT).
_UNACCENT = str.maketrans(UNACCENT)

# A search that matches very many entries (a stop word, a one-letter prefix typed into a live filter)
# would spend most of its time computing bm25 for all of them: bm25 ranks only the newest
# RANKED_AT_MOST matching entries (newest by rowid, i.e. most recently written). Below that, all.
RANKED_AT_MOST = 10_000

# Both engines' hits (entry, score, snippet) become rows the same way: which field, whose, when.
_HIT_ROWS = f"""
SELECT hits.entry & 7, contact.id, contact.name, contact.company, contact.archived,
       coalesce(interaction.date, hook.date), hits.snippet, hits.score
FROM hits
LEFT JOIN interaction ON (hits.entry & 7) < {HOOK_FIELD} AND interaction.id = hits.entry >> 3
LEFT JOIN hook ON (hits.entry & 7) = {HOOK_FIELD} AND hook.id = hits.entry >> 3
JOIN contact ON contact.id = coalesce(interaction.contact_id, hook.contact_id)
ORDER BY hits.score, hits.entry
"""

_SEARCH_SQL = (
    f"""
WITH hits AS (
    SELECT rowid AS entry, bm25({INDEX_TABLE}) AS score,
           snippet({INDEX_TABLE}, 0, :start, :end, :ellipsis, {SNIPPET_TOKENS}) AS snippet
    FROM {INDEX_TABLE}
    WHERE {INDEX_TABLE} MATCH :query
      AND rowid >= coalesce((SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH :query
                             ORDER BY rowid DESC LIMIT 1 OFFSET :bound), 0)
    ORDER BY score, entry
    LIMIT :limit
)
"""
    + _HIT_ROWS
)

# PostgreSQL (migration 0004's `search_index` table: `entry` is the rowid above, `words` its tsvector): the same
# hits, ranked by ts_rank (negated, so that lower is better here too). The snippet is made here, not by ts_headline:
# the tsvector holds the words of the text with its punctuation made spaces (as unicode61 splits it), but ts_headline
# parses the text as it is, so "3.2s" is a float and a word there, "6-3" two integers, "maya@example.com" one email,
# and none of them is the lexemes the query matched: they went unmarked. So the hit carries its whole text, and
# `snippet` marks it as FTS5's snippet() would.
#
# The query's words are PostgreSQL's too: each piece typed (see _pieces) becomes the phrase phraseto_tsquery
# makes of it, its punctuation made spaces as the index's is, and its last word a prefix (:*) where it is one. So a
# word is cut where the index cuts it ("हिंदी" is one word there, where unicode61 makes "ह" and "द" of it), and
# folded as the index folds it. A piece PostgreSQL finds no word in ("½") is left out; with none left, nothing matches.
_SEARCH_SQL_PG = (
    f"""
WITH piece AS (
    SELECT regexp_replace(p.words, '[[:punct:]]+', ' ', 'g') AS words, p.prefix
    FROM unnest(CAST(:pieces AS text[]), CAST(:prefixes AS boolean[])) AS p(words, prefix)
),
query AS (
    SELECT string_agg('(' || phraseto_tsquery('crm_search', piece.words)::text
                      || CASE WHEN piece.prefix THEN ':*' ELSE '' END || ')', ' & ')::tsquery AS q
    FROM piece
    WHERE to_tsvector('crm_search', piece.words) <> ''::tsvector
),
hits AS (
    SELECT s.entry, -ts_rank(s.words, query.q) AS score, s.body AS snippet
    FROM {INDEX_TABLE} AS s, query
    WHERE s.words @@ query.q
      AND s.entry >= coalesce((SELECT s2.entry FROM {INDEX_TABLE} AS s2, query WHERE s2.words @@ query.q
                               ORDER BY s2.entry DESC LIMIT 1 OFFSET :bound), 0)
    ORDER BY score, s.entry
    LIMIT :limit
)
"""
    + _HIT_ROWS
)


@dataclass(frozen=True)
class SearchHit:
    """One matching text field. `rank` is FTS5's bm25: lower is better (hits come best first)."""

    contact_id: int
    name: str
    company: str | None
    source: str  # "note", "takeaways", "next step", "advice", "suggested" or "hook"
    date: str | None  # ISO date of the interaction or hook (a hook's date is optional)
    snippet: str  # the matching text, shortened around the match, matches marked MARK_START...MARK_END
    rank: float
    archived: bool

    def as_json(self) -> dict:
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "company": self.company,
            "source": self.source,
            "date": self.date,
            "snippet": self.snippet,
            "rank": self.rank,
            "archived": self.archived,
        }


def _has_word(text: str) -> bool:
    return any(unicodedata.category(ch).startswith(_WORD_CATEGORIES) for ch in text)


def _clean(text: str) -> str:
    """Control characters, line breaks and lone surrogates (from undecodable argv bytes) become spaces."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in text)


def _phrase(words: str, *, prefix: bool) -> str:
    return '"' + words.replace('"', '""') + '"' + ("*" if prefix else "")


def fts_query(text: str) -> str:
    """The FTS5 query for what the user typed (see the module docstring); '' when it holds no word.

    Every piece becomes a quoted FTS5 string, so no input can be an FTS5 syntax error.
    """
    return " ".join(_phrase(words, prefix=prefix) for words, prefix in _pieces(text))


def _tokens(words: str) -> list[str]:
    """The words unicode61 sees in `words`: runs of letters, digits and private-use characters (and accents)."""
    return _WORD.findall(words)


def _fold(word: str) -> str:
    """A word as the index compares it: case and accents dropped ("José" and "JOSE" are "jose")."""
    if word.isascii():
        return word.lower()
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", word) if unicodedata.category(ch) != "Mn")
    return bare.casefold().translate(_UNACCENT)


def snippet(body: str, text: str) -> str:
    """`body` shortened and marked as SQLite's FTS5 snippet() does it for the query `text` (see search_notes): the
    PostgreSQL search's snippet, so that both engines show the same words, marked the same way.

    FTS5's algorithm (ext/fts5/fts5_aux.c): the text's words are unicode61's; each place a query phrase matches is an
    instance, and the SNIPPET_TOKENS-word window chosen is the one scoring best, 1000 for each phrase it holds and 1
    for each repeat, centred on the instances it holds or, for 100 more (120 at the very start), starting at the
    sentence before; overlapping instances are marked as one, each from its first word's start to its last's end.
    """
    spans = [match.span() for match in _WORD.finditer(body)]
    words = [_fold(body[start:end]) for start, end in spans]
    phrases = [([_fold(token) for token in _tokens(piece)], prefix) for piece, prefix in _pieces(text)]
    instances = sorted(
        (position, index)
        for index, (tokens, prefix) in enumerate(phrases)
        for position in _found(words, tokens, prefix)
    )
    sizes = [len(tokens) for tokens, _ in phrases]
    positions = [position for position, _ in instances]
    size, window = len(words), SNIPPET_TOKENS

    def score(start: int) -> tuple[int, int, int]:
        """The window from word `start`: its score, where its first instance starts and where its last one ends."""
        seen, total, first, last = set(), 0, -1, 0
        within = instances[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, start + window)]
        for position, index in within:
            total += 1 if index in seen else 1000
            seen.add(index)
            first = position if first < 0 else first
            last = position + sizes[index]
        return total, first, last

    # In a text longer than the window, the words starting a sentence: the first, and each after '.' or ':' and spaces.
    sentences = []
    if size > window:
        after_stop = {match.end() for match in _SENTENCE_END.finditer(body)}
        sentences = [position for position, (start, _) in enumerate(spans) if position == 0 or start in after_stop]
    best, best_start = 0, 0
    for position, _ in instances:
        total, first, last = score(position)
        if total > best:
            centred = first - int((window - (last - first)) / 2)  # C's division, which rounds towards zero
            best, best_start = total, max(0, min(centred, size - window))
        sentence = sentences[bisect.bisect_right(sentences, position) - 1] if sentences else position
        if sentence < position:
            total = score(sentence)[0] + (120 if sentence == 0 else 100)
            if total > best:
                best, best_start = total, sentence
    return _marked(body, spans, _coalesced(instances, sizes), best_start, best_start + window - 1)


def _found(words: list[str], tokens: list[str], prefix: bool) -> list[int]:
    """Where the phrase `tokens` (its last word a prefix if `prefix`) starts in `words`."""
    *leading, final = tokens
    ends = [i for i, word in enumerate(words) if (word.startswith(final) if prefix else word == final)]
    size = len(leading)
    return [end - size for end in ends if end >= size and words[end - size : end] == leading]


def _coalesced(instances: list[tuple[int, int]], sizes: list[int]) -> list[tuple[int, int]]:
    """The instances as (first word, last word) runs, overlapping ones made one (adjacent ones stay two)."""
    runs: list[tuple[int, int]] = []
    for position, index in instances:
        end = position + sizes[index] - 1
        if runs and position <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((position, end))
    return runs


def _marked(body: str, spans: list[tuple[int, int]], runs: list[tuple[int, int]], first: int, last: int) -> str:
    """Words `first` to `last` of `body` with the text between them, each run marked, ELLIPSIS where text is cut."""
    runs = [run for run in runs if run[0] >= first]
    out, offset, run = [ELLIPSIS] if first > 0 else [], 0, 0
    for position in range(first, min(last, len(spans) - 1) + 1):
        start, end = spans[position]
        if first and position == first:
            offset = start
        if run < len(runs) and position == runs[run][0]:
            out += [body[offset:start], MARK_START]
            offset = start
        if run < len(runs) and position == runs[run][1]:
            out += [body[offset:end], MARK_END]
            offset = end
            run += 1
        if position == last:
            out.append(body[offset:end])
            offset = end
            if run < len(runs) and runs[run][0] <= position < runs[run][1]:
                out.append(MARK_END)
    out.append(body[offset:] if last >= len(spans) - 1 else ELLIPSIS)
    return "".join(out)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """What the user typed as (words, last word is a prefix) pieces: quoted phrases and single words."""
    text = _clean(text or "")
    parts: list[tuple[str, bool]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            closed = end != -1
            words = text[i + 1 : end if closed else n]
            if _has_word(words):
                parts.append((" ".join(words.split()), not closed))
            i = end + 1 if closed else n
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            if _has_word(text[i:j]):
                parts.append((text[i:j], True))
            i = j
    return parts


def search_notes(conn: sqlite3.Connection, text: str, *, limit: int = 50) -> list[SearchHit]:
    """Notes, takeaways, next steps, advice, suggested names and hooks matching `text`, best (bm25) first.

    One hit per matching text field, so a chat whose notes and takeaways both match gives two.
    Equal scores come in the order written. Past RANKED_AT_MOST matches, only the newest that many
    are ranked. Archived contacts' hits are included, with `archived` set. Raises CrmError when
    `text` holds nothing to search for (no letters or digits), or `limit` is below 1.
    """
    shown = " ".join(_clean(text or "").split())
    postgres = getattr(conn, "dialect", "sqlite") == "postgresql"
    query = fts_query(text)
    if not query:
        where = f" in {shown!r}" if shown else ""
        raise CrmError(f"nothing to search for{where}: type a word from a note, takeaway, next step, advice or hook")
    if limit < 1:
        raise CrmError(f"limit must be at least 1 (got {limit})")
    if postgres:
        pieces = _pieces(text)
        rows = conn.execute(
            _SEARCH_SQL_PG,
            {
                # composed: under a libc locale [[:punct:]] takes a combining accent for punctuation ("e\u0301": "e ")
                "pieces": [unicodedata.normalize("NFC", words) for words, _ in pieces],
                "prefixes": [prefix for _, prefix in pieces],
                "bound": RANKED_AT_MOST - 1,
                "limit": limit,
            },
        ).fetchall()
        return _hits([(*row[:6], snippet(row[6], text), row[7]) for row in rows])
    try:
        rows = conn.execute(
            _SEARCH_SQL,
            {
                "start": MARK_START,
                "end": MARK_END,
                "ellipsis": ELLIPSIS,
                "query": query,
                "bound": RANKED_AT_MOST - 1,
                "limit": limit,
            },
        ).fetchall()
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if message.startswith("fts5:") or "syntax error" in message:  # not expected: every piece is quoted
            raise CrmError(f"cannot search for {shown!r}: {message}") from None
        if f"no such table: {INDEX_TABLE}" in message:
            raise CrmError("this database has no search index yet: run `crm db upgrade`") from None
        raise
    return _hits(rows)


def _hits(rows) -> list[SearchHit]:
    return [
        SearchHit(
            contact_id=contact_id,
            name=name,
            company=company,
            source=SOURCES[field],
            date=date,
            snippet=" ".join(snippet.split()),
            rank=rank,
            archived=bool(archived),
        )
        for field, contact_id, name, company, archived, date, snippet, rank in rows
    ]


def is_index_table(name: str) -> bool:
    """The FTS5 table and its shadow tables (search_index_data, _idx, _content, _docsize, _config).

    They are made by raw SQL in migration 0004, not by the models, so Alembic's autogenerate must
    skip them (migrations/env.py).
    """
    return name == INDEX_TABLE or name.startswith(INDEX_TABLE + "_")


def purge_deleted_entries(conn: sqlite3.Connection) -> None:
    """Rewrite the index without the entries of deleted rows, in the caller's transaction.

    Deleting an entry only adds a tombstone: its words stay in the index's older segments until they are merged.
    After a forget they must go now, so the whole index is merged into one segment (FTS5 'optimize'; the freed
    pages are zeroed by secure_delete). About 0.15 s at 100k interactions, 1.4 s at 1M.
    PostgreSQL's index (a table, migration 0004) drops a deleted row's entry with it: nothing to do there.
    """
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        return
    conn.execute(f"INSERT INTO {INDEX_TABLE} ({INDEX_TABLE}) VALUES ('optimize')")
