"""Derive each referral rule's anchors -- strings a clause must contain for the rule's regex to match -- and write them.

    .venv/bin/python tests/data/referral/anchors.py   # rewrites crm/outreach/referral_anchors.py

Compiling the rules' 60 large regexes took ~70 ms at import. The detector now compiles a rule only when a clause
contains its anchors, and skips it otherwise; this is safe because the anchors are *necessary*: they are read off
the regex's own parse tree (`re._parser`), never written by hand. For a sequence, each run of literal parts is a
set of exact strings, one of which must occur; a branch needs one of its alternatives' needs; an optional part,
a negative lookaround or a character class needs nothing. So a clause without the anchors cannot match, and the
guard never changes a verdict (tests/unit/test_referral_ask.py checks this on the corpus and on generated text).

Run this after editing a rule or a word list; `test_the_anchors_are_derived_from_the_current_rules` fails until then.
"""

from __future__ import annotations

import re._constants as c
import re._parser as p
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
OUT = REPO / "crm" / "outreach" / "referral_anchors.py"
LIMIT = 400  # the most strings one anchor set may have
MAX_STRINGS = 120  # a set with more strings than this is too costly to look for: left out

Need = frozenset[str]  # one of these strings must occur


def _finite(items, limit: int = LIMIT) -> set[str] | None:
    """The exact strings a sequence can match, if few and known; zero-width items match ""."""
    out = {""}
    for op, av in items:
        part = _finite_item(op, av, limit)
        if part is None:
            return None
        out = {a + b for a in out for b in part}
        if len(out) > limit:
            return None
    return out


def _finite_item(op, av, limit: int) -> set[str] | None:
    if op is c.LITERAL:
        return {chr(av)}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {""}
    if op is c.IN:
        chars = set()
        for iop, iav in av:
            if iop is c.LITERAL:
                chars.add(chr(iav))
            elif iop is c.RANGE and iav[1] - iav[0] < 30:
                chars.update(chr(x) for x in range(iav[0], iav[1] + 1))
            else:
                return None
        return chars
    if op is c.SUBPATTERN:
        return _finite(av[3], limit)
    if op is c.ATOMIC_GROUP:
        return _finite(av, limit)
    if op is c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            part = _finite(branch, limit)
            if part is None:
                return None
            out |= part
            if len(out) > limit:
                return None
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, body = av
        if high > 2:
            return None
        part = _finite(body, limit)
        if part is None:
            return None
        out = {""} if low == 0 else set()
        one = part
        if low <= 1 <= high:
            out |= one
        if high == 2:
            out |= {a + b for a in part for b in part}
        return out if len(out) <= limit else None
    return None


def _needs(items) -> list[Need]:
    """Sets of strings, one string of each set occurring in every match of `items`."""
    needs: list[Need] = []
    run: set[str] = {""}

    def flush():
        nonlocal run
        if "" not in run and run:
            needs.append(frozenset(run))
        run = {""}

    for op, av in items:
        part = _finite_item(op, av, LIMIT)
        if part is not None and len(run) * len(part) <= LIMIT:
            run = {a + b for a in run for b in part}
            continue
        flush()
        needs.extend(_needs_item(op, av))
    flush()
    return needs


def _best(needs: list[Need]) -> Need | None:
    """The most selective need: the longest shortest string, then the fewest strings."""
    return max(needs, key=lambda n: (min(map(len, n)), -len(n)), default=None)


def _needs_item(op, av) -> list[Need]:
    if op is c.SUBPATTERN:
        return _needs(av[3])
    if op is c.ATOMIC_GROUP:
        return _needs(av)
    if op is c.ASSERT:  # a lookaround's needs could overlap what follows it: unordered, so left out
        return []
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _needs(av[2]) if av[0] >= 1 else []
    if op is c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            best = _best(_needs(branch))
            if best is None:
                return []
            union |= best
        return [frozenset(union)]
    return []


def anchors(pattern: str) -> tuple[str, ...]:
    """Sets of strings (each joined by |) *in the order a match has them*: every match holds a string of the first set, then (after
    it, not overlapping) a string of the second, and so on. A text without such a chain cannot match `pattern`."""
    needs = [n for n in _needs(p.parse(pattern)) if "" not in n and len(n) <= MAX_STRINGS]
    return tuple("|".join(sorted(n)) for n in needs)


def key(pattern: str) -> str:
    return f"{zlib.crc32(pattern.encode()):08x}"


def render() -> str:
    sys.path.insert(0, str(REPO))
    from crm.outreach import referral

    lines = [
        '"""Each referral rule\'s anchors: GENERATED by tests/data/referral/anchors.py from the rules\' regexes. Do not edit.',
        "",
        "Rule (crc32 of its regex) -> sets of strings (each joined by |), in the order a match holds them: a clause must",
        "contain a string of each set, in that order, for the rule to be able to match, so the rule is compiled and run",
        "only then. A rule missing here is always run.",
        '"""',
        "",
        "ANCHORS = {",
    ]
    for _kind, pattern in referral._P:  # laid out as `ruff format` would
        groups = anchors(pattern)
        one = f'    "{key(pattern)}": ("{groups[0]}",),' if len(groups) == 1 else ""
        if one and len(one) <= 120:
            lines.append(one)
            continue
        lines.append(f'    "{key(pattern)}": (')
        for group in groups:
            assert "|" not in "".join(group.split("|")) and "\\" not in group and '"' not in group
            if len(f'        "{group}",') <= 120:
                lines.append(f'        "{group}",')
            else:
                pieces = [group[i : i + 100] for i in range(0, len(group), 100)]
                lines += ["        (", *(f'            "{piece}"' for piece in pieces), "        ),"]
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
