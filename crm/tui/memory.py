"""When the app tidies the heap: big, long-lived reads are frozen so the collector stops walking them."""

from __future__ import annotations

import gc


def settle() -> None:
    """Free what is garbage now, then freeze the rest: it lives on, and collections need not walk it again.

    Worth it after start-up and after reading a big network (100k contacts are millions of objects, and a
    collection walking them stalls typing). Nothing frozen is lost: what has no cycles is still freed by
    reference counting when it is replaced; `thaw` on leaving the app hands the rest back to the collector.
    """
    gc.collect()
    gc.freeze()


def thaw() -> None:
    gc.unfreeze()
