import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.dates import parse_date, today
from crm.errors import CrmError

WED = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", WED),
        ("TODAY", WED),
        ("tomorrow", dt.date(2026, 11, 26)),
        ("yesterday", dt.date(2026, 11, 24)),
        ("+3d", dt.date(2026, 11, 28)),
        ("+2w", dt.date(2026, 12, 9)),
        ("-1w", dt.date(2026, 11, 18)),
        ("2026-11-20", dt.date(2026, 11, 20)),
        ("2026-2-3", dt.date(2026, 2, 3)),
        ("Nov 20", dt.date(2026, 11, 20)),
        ("20 Nov 2025", dt.date(2025, 11, 20)),
        ("November 20, 2026", dt.date(2026, 11, 20)),
        ("2028-02-29", dt.date(2028, 2, 29)),
    ],
)
def test_parse_date_accepts(text, expected):
    assert parse_date(text, today=WED) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "2026-02-30", "2026-13-01", "2027-02-29", "Feb 30", "next-ish", "+3x", "soon", "32/11/2026"],
)
def test_parse_date_rejects_with_reason(text):
    with pytest.raises(CrmError) as info:
        parse_date(text, today=WED)
    assert "YYYY-MM-DD" in str(info.value)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iso_round_trip(day):
    assert parse_date(day.isoformat(), today=WED) == day


@given(st.integers(min_value=0, max_value=999), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)))
def test_relative_days_and_weeks(count, base):
    assert parse_date(f"+{count}d", today=base) == base + dt.timedelta(days=count)
    assert parse_date(f"+{count}w", today=base) == base + dt.timedelta(weeks=count)


def test_today_honours_crm_today(monkeypatch):
    monkeypatch.setenv("CRM_TODAY", "2027-01-01")
    assert today() == dt.date(2027, 1, 1)
    monkeypatch.setenv("CRM_TODAY", "not-a-date")
    with pytest.raises(CrmError, match="CRM_TODAY"):
        today()
    monkeypatch.delenv("CRM_TODAY")
    assert today() == dt.date.today()
