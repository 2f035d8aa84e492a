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

import sqlite3
import unicodedata
from dataclasses import dataclass

from crm.errors import CrmError

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
# hits, ranked by ts_rank (negated, so that lower is better here too), the snippet by ts_headline.
_SEARCH_SQL_PG = (
    f"""
WITH query AS (SELECT to_tsquery('crm_search', :query) AS q),
hits AS (
    SELECT s.entry, -ts_rank(s.words, query.q) AS score,
           ts_headline('crm_search', s.body, query.q, :options) AS snippet
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
_HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2},'
    " ShortWord=0, HighlightAll=false"
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
    """The words unicode61 sees in `words`: runs of letters, digits and private-use characters."""
    tokens, current = [], []
    for ch in words:
        if unicodedata.category(ch).startswith(_WORD_CATEGORIES):
            current.append(ch)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def pg_tsquery(text: str) -> str:
    """The PostgreSQL tsquery text for what the user typed, meaning what fts_query means on SQLite: pieces ANDed,
    each a phrase of its words (`<->`), the last word a prefix (`:*`) unless the phrase was closed; '' when it
    holds no word. Each word is a quoted lexeme of letters and digits only, so no input is a syntax error."""
    parts = []
    for words, prefix in _pieces(text):
        lexemes = [f"'{token}'" for token in _tokens(words)]
        if prefix:
            lexemes[-1] += ":*"
        parts.append(" <-> ".join(lexemes) if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


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
    query = pg_tsquery(text) if postgres else fts_query(text)
    if not query:
        where = f" in {shown!r}" if shown else ""
        raise CrmError(f"nothing to search for{where}: type a word from a note, takeaway, next step, advice or hook")
    if limit < 1:
        raise CrmError(f"limit must be at least 1 (got {limit})")
    if postgres:
        rows = conn.execute(
            _SEARCH_SQL_PG,
            {"query": query, "options": _HEADLINE_OPTIONS, "bound": RANKED_AT_MOST - 1, "limit": limit},
        ).fetchall()
        return _hits(rows)
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
