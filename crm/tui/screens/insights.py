"""Insights: the funnel by stage, what was logged, the week-by-week trend, and the reply rate of each template."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Sparkline, Static

from crm.dates import short_date, weekday_date
from crm.tui import keys
from crm.tui.screens.base import DataScreen
from crm.tui.widgets.footer import CrmFooter

if TYPE_CHECKING:
    from crm.insights.funnel import Funnel
    from crm.insights.templates_ab import TemplateStats

FUNNEL_BAR = 20  # cells for the stage with the most contacts
INTERVAL_TRACK = 20  # cells for 0-100%: 5% a cell
WEEK_CELLS = 3  # each week of the trend is this many cells of its sparkline
TREND = (("messages", "messages"), ("replies", "replies"), ("chats", "chats"))


def stage_bar(count: int, most: int, *, width: int = FUNNEL_BAR) -> str:
    """A bar in proportion to the largest stage; any contact at all shows as at least one cell."""
    if count <= 0 or most <= 0:
        return ""
    return "█" * max(1, round(width * count / most))


def interval_bar(low: float, high: float, rate: float, *, width: int = INTERVAL_TRACK) -> str:
    """The 95% interval on a 0-100% track ('──━━━●━━━───────────'): two variants are told apart only when their
    thick parts do not overlap, which the eye checks at a glance."""
    first = min(width - 1, math.floor(low * width))
    last = max(first, min(width - 1, math.ceil(high * width) - 1))
    point = min(width - 1, max(first, min(last, math.floor(rate * width))))
    return "".join("●" if i == point else "━" if first <= i <= last else "─" for i in range(width))


def template_lines(templates: list[TemplateStats]) -> list[Content]:
    """Each template's reply rate with its interval; 'better than …' only where the intervals separate."""
    from crm.insights.templates_ab import beats

    wins = beats(templates)
    lines = []
    for stats in templates:
        if not stats.sent:
            continue
        bar = interval_bar(stats.ci_low, stats.ci_high, stats.reply_rate or 0.0)
        line = Content.from_markup("[$text-accent]$bar[/]  $label", bar=bar, label=stats.label())
        if wins.get(stats.template):
            line += Content.from_markup(
                "\n" + " " * (INTERVAL_TRACK + 2) + "[b $text-success]▲ better than $others[/]",
                others=", ".join(wins[stats.template]),
            )
        lines.append(line)
    if len(lines) > 1 and not any(wins.values()):
        lines.append(Content.from_markup("[$text-muted]No template is better yet: every interval overlaps another.[/]"))
    return lines


def _rate(data: Funnel) -> str:
    rate = data.reply_rate
    if rate is None:
        return "-- (no one written to yet)"
    return f"{round(rate * 100)}% ({data.contacts_replied} of {data.contacts_messaged})"


def _days(value: float | None) -> str:
    if value is None:
        return "--"
    return f"{value:g} day" + ("" if value == 1 else "s")


class InsightsScreen(DataScreen):
    """Read in a worker thread when shown after a write: at 10k contacts the funnel scans every interaction."""

    BINDINGS = keys.INSIGHTS_SCREEN

    def compose(self) -> ComposeResult:
        yield Static(id="insights-title", classes="screen-title")
        with VerticalScroll(id="insights-body"):
            yield Static("Reading the log…", id="insights-loading", classes="section-empty")
            with Horizontal(id="insights-top"):
                with Vertical(id="insights-funnel"):
                    yield Label("Contacts by stage", classes="section-title")
                    yield Static(id="funnel-stages")
                with Vertical(id="insights-logged"):
                    yield Label("Logged", id="logged-title", classes="section-title")
                    yield Static(id="logged-counts")
            with Vertical(id="insights-trend"):
                yield Label("Week by week", id="trend-title", classes="section-title")
                for name, label in TREND:
                    with Horizontal(classes="trend-row"):
                        yield Label(label, classes="trend-label")
                        yield Sparkline([], id=f"trend-{name}", classes="trend-chart")
                        yield Label("", id=f"trend-{name}-total", classes="trend-total")
                yield Static("", id="trend-axis", classes="trend-axis")
            with Vertical(id="insights-templates"):
                yield Label("Reply rate by template (95% interval)", classes="section-title")
                yield Static(id="template-lines")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#insights-body").focus()
        self._show_title(None)
        for part in ("#insights-top", "#insights-trend", "#insights-templates"):
            self.query_one(part).display = False

    def load(self) -> None:
        from crm.insights.funnel import funnel

        today = self.context.today
        self.read_in_thread(lambda conn: funnel(conn, today=today), self.show)

    def _show_title(self, data: Funnel | None) -> None:
        today = self.context.today
        summary = weekday_date(today, today=today)
        if data is not None:
            summary = f"{sum(data.by_stage.values())} contacts · " + summary
        self.query_one("#insights-title", Static).update(
            Content.from_markup("[b]Insights[/b]  [$text-muted]$summary[/]", summary=summary)
        )

    def show(self, data: Funnel) -> None:
        self.query_one("#insights-loading").display = False
        for part in ("#insights-top", "#insights-trend", "#insights-templates"):
            self.query_one(part).display = True
        self._show_title(data)
        self._show_funnel(data)
        self._show_trend(data)
        self.query_one("#template-lines", Static).update(
            Content("\n").join(template_lines(data.templates))
            or Content.from_markup("[$text-muted]Nothing sent yet: draft a message with d.[/]")
        )

    def _show_funnel(self, data: Funnel) -> None:
        most = max(data.by_stage.values(), default=0)
        stages = [
            Content.from_markup(
                "$stage$pad[b]$count[/] [$text-accent]$bar[/]",
                stage=stage,
                pad=" " * (12 - len(stage)),
                count=f"{count:>4}",
                bar=stage_bar(count, most),
            )
            for stage, count in data.by_stage.items()
        ]
        if data.archived:
            stages.append(Content.from_markup("[$text-muted]$n archived[/]", n=f"{data.archived}"))
        self.query_one("#funnel-stages", Static).update(Content("\n").join(stages))
        when = f"since {short_date(data.since, today=data.today)}" if data.since else "all time"
        self.query_one("#logged-title", Label).update(f"Logged ({when})")
        counts = (
            ("messages sent", f"{data.messages_sent}"),
            ("reply rate", _rate(data)),
            ("days to reply", "median " + _days(data.median_days_to_reply)),
            ("chats", f"{data.chats}"),
            ("intros", f"{data.intros}"),
            ("referrals offered", f"{data.referrals}"),
        )
        self.query_one("#logged-counts", Static).update(
            Content("\n").join(
                Content.from_markup("[$text-muted]$what[/]$pad[b]$n[/]", what=what, pad=" " * (19 - len(what)), n=n)
                for what, n in counts
            )
        )

    def _show_trend(self, data: Funnel) -> None:
        first = data.trend[0].start
        self.query_one("#trend-title", Label).update(
            f"Week by week ({len(data.trend)} weeks: {short_date(first, today=data.today)} to this week)"
        )
        for name, _ in TREND:
            series = data.series(name)
            chart = self.query_one(f"#trend-{name}", Sparkline)
            chart.styles.width = len(series) * WEEK_CELLS
            chart.data = series  # the widget stretches each week to WEEK_CELLS cells
            self.query_one(f"#trend-{name}-total", Label).update(f"{sum(series)} in all · {series[-1]} this week")
        axis_from = short_date(first, today=data.today)
        width = len(data.trend) * WEEK_CELLS
        self.query_one("#trend-axis", Static).update(axis_from + "this week".rjust(max(1, width - len(axis_from))))
