"""Warm paths: the chain of introductions that led to a contact ("Ivan Roy -> Jia Song -> Lee Park").

Followed through `contact.introduced_by_id`, one indexed lookup per step. Bad data (A introduced by B, B by A; or a
contact introduced by themself) cannot hang it: a contact already on the path ends the walk, and so does `limit`.
"""

from __future__ import annotations

from dataclasses import dataclass

ARROW = " -> "
MAX_STEPS = 1000  # far longer than any real chain of introductions


@dataclass(frozen=True)
class PathStep:
    id: int
    name: str

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name}


def warm_path(conn, contact_id: int, *, limit: int = MAX_STEPS) -> list[PathStep]:
    """Who introduced whom, first introducer first, ending with the contact themself.

    A contact nobody introduced has a path of one (themself); an unknown id has an empty path.
    """
    chain: list[PathStep] = []
    seen: set[int] = set()
    current: int | None = contact_id
    while current is not None and current not in seen and len(chain) < limit:
        row = conn.execute("SELECT id, name, introduced_by_id FROM contact WHERE id = ?", (current,)).fetchone()
        if row is None:
            break
        seen.add(current)
        chain.append(PathStep(row[0], row[1]))
        current = row[2]
    chain.reverse()
    return chain


def path_text(path: list[PathStep] | list[dict]) -> str:
    """ "Ivan Roy -> Jia Song -> Lee Park" from a path (dataclasses or their JSON)."""
    return ARROW.join(step.name if isinstance(step, PathStep) else step["name"] for step in path)
