"""A/B by template: the reply rate of each template, with a 95% Wilson interval honest about small samples.

Who gets the credit for a reply: the latest message I sent that contact before it (by date, then by the order
they were logged, so my answer logged later the same day does not take the credit for their reply; see
crm.insights.replies). A message "replied" when at least one reply is credited to it, so a template's rate is a
proportion of its messages: replied <= sent. A message's template is that of the sent draft logged as it
(`draft.interaction_id`); a message logged by hand, with no draft, counts as "(no template)".

A variant is better than another only when their intervals separate (`better`): with 17 messages sent, 41% is
anything from 21% to 64%.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

from crm.insights.replies import ReplyCounts, reply_counts

NO_TEMPLATE = "(no template)"
Z95 = 1.959963984540054  # the standard normal quantile for a two-sided 95% interval


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for `successes` out of `n` (95% by default); (0, 1) when n is 0: nothing known."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


class TemplateStats(NamedTuple):
    """One template's messages sent and answered (a NamedTuple, like crm.insights.funnel's rows: cheaper to define at
    start-up than a dataclass)."""

    template: str
    sent: int
    replied: int

    @property
    def reply_rate(self) -> float | None:
        return self.replied / self.sent if self.sent else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.replied, self.sent)

    @property
    def ci_low(self) -> float:
        return self.interval[0]

    @property
    def ci_high(self) -> float:
        return self.interval[1]

    def as_json(self) -> dict:
        rate, (low, high) = self.reply_rate, self.interval
        return {
            "template": self.template,
            "sent": self.sent,
            "replied": self.replied,
            "reply_rate": None if rate is None else round(rate, 4),
            "ci_low": round(low, 4),
            "ci_high": round(high, 4),
        }

    def label(self) -> str:
        """'first-message-v2 replies 41% (n=17, 21-64%)': the interval rounded outwards, never shown narrower."""
        if not self.sent:
            return f"{self.template}: nothing sent"
        low, high = self.interval
        return (
            f"{self.template} replies {percent(self.reply_rate)} (n={self.sent},"
            f" {math.floor(low * 100 + 1e-9)}-{math.ceil(high * 100 - 1e-9)}%)"
        )


def better(a: TemplateStats, b: TemplateStats) -> TemplateStats | None:
    """The better of two variants, only when their 95% intervals separate; None when they overlap (or one is empty)."""
    if not a.sent or not b.sent:
        return None
    if a.ci_low > b.ci_high:
        return a
    if b.ci_low > a.ci_high:
        return b
    return None


def beats(stats: list[TemplateStats]) -> dict[str, list[str]]:
    """For each template, the templates it is better than (intervals separate), in the order given."""
    return {a.template: [b.template for b in stats if b is not a and better(a, b) is a] for a in stats}


def template_rows(found: ReplyCounts) -> list[TemplateStats]:
    """Each template used, then "(no template)" for the messages sent without a draft; most sent first."""
    drafted = [TemplateStats(name, sent, answered) for name, (sent, answered) in found.by_template.items()]
    by_hand = TemplateStats(
        NO_TEMPLATE, found.sent - sum(t.sent for t in drafted), found.answered - sum(t.replied for t in drafted)
    )
    return sorted(drafted + ([by_hand] if by_hand.sent else []), key=lambda t: (-t.sent, t.template))


def template_stats(conn, *, since: dt.date | None = None) -> list[TemplateStats]:
    """Reply rate per template for messages sent on or after `since` (None: all time), most sent first."""
    return template_rows(reply_counts(conn, since=since))
