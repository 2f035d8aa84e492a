import datetime as dt

import pytest

from crm.errors import CrmError
from crm.followups.cadence import DEFAULT_CADENCE, parse_cadence

JAN31 = dt.date(2026, 1, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly", dt.date(2026, 2, 7)),
        ("Weekly", dt.date(2026, 2, 7)),
        ("every week", dt.date(2026, 2, 7)),
        ("every 2 weeks", dt.date(2026, 2, 14)),
        ("biweekly", dt.date(2026, 2, 14)),
        ("fortnightly", dt.date(2026, 2, 14)),
        ("monthly", dt.date(2026, 2, 28)),
        ("every month", dt.date(2026, 2, 28)),
        ("every 6 weeks", dt.date(2026, 3, 14)),
        ("quarterly", dt.date(2026, 4, 30)),
        ("every 10 days", dt.date(2026, 2, 10)),
        ("every 3 months", dt.date(2026, 4, 30)),
        ("  every   4   weeks ", dt.date(2026, 2, 28)),
        (None, dt.date(2026, 2, 28)),  # the default: every 4 weeks
        ("FREQ=WEEKLY;INTERVAL=3", dt.date(2026, 2, 21)),
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", dt.date(2026, 2, 1)),
        ("FREQ=MONTHLY;BYDAY=1MO", dt.date(2026, 2, 2)),
    ],
)
def test_cadences(text, expected):
    assert parse_cadence(text).next_after(JAN31) == expected


@pytest.mark.parametrize(
    "text",
    [
        "sometimes",
        "every",
        "every 0 days",
        "every -2 weeks",
        "every 2 fortnights",
        "FREQ=SOMETIMES",
        "FREQ=WEEKLY;INTERVAL=x",
    ],
)
def test_bad_cadences_name_what_is_accepted(text):
    with pytest.raises(CrmError) as info:
        parse_cadence(text)
    assert "every 2 weeks" in str(info.value) and "quarterly" in str(info.value)


def test_default_is_every_four_weeks():
    assert DEFAULT_CADENCE == "every 4 weeks"


@pytest.mark.parametrize("text", ["FREQ=WEEKLY;COUNT=1", "FREQ=DAILY;UNTIL=20270101T000000Z"])
def test_an_rrule_that_ends_is_refused(text):
    with pytest.raises(CrmError, match="ends"):
        parse_cadence(text)
