"""What a name lookup should find, written out apart from crm's SQL: the oracle the lookup tests compare against."""

from __future__ import annotations

from crm.store.dialect import fold, fold_accents


def expected_find(names: dict[int, str], text: str) -> list[int]:
    """find_by_name's rule (crm.contacts.reads), written out: an exact name; accents typed, those very letters; a
    full name equal accents aside; a name containing it accents aside."""
    spaced = " ".join(text.split())
    case, loose = fold(spaced), fold_accents(spaced)
    ids = sorted(names)
    exact = [cid for cid in ids if fold(names[cid]) == case]
    if exact:
        return exact
    if loose != case:
        same = [cid for cid in ids if case in fold(names[cid])]
        if same or not loose:
            return same
    whole = [cid for cid in ids if fold_accents(names[cid]) == loose]
    return whole or [cid for cid in ids if loose in fold_accents(names[cid])]
