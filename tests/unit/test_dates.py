import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.dates import parse_date, today
from crm.errors import CrmError

WED = dt.date(2026, 11, 25)
DATE_BITS = ["2026", "9999", "0", "00", "12", "31", "99999999999999999999", "-", "+", "/", ".", ":", "Nov", "Feb",
             "today", "tomorrow", "d", "w", "3d", "+3d", "-2w", "T", "Z", "am", "pm", "of", "st", "th", "\x00", "²",
             "٣", "1e9", "UTC", "+9999w", "-9999d", "1900", "2999"]  # fmt: skip


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


# -- the calendar crm works in (issue 11, point 7): no date arithmetic can run off its end ------------------------


@pytest.mark.parametrize(
    "text", ["9999-12-31", "3000-01-01", "1899-12-31", "0001-01-01", "Dec 31 9999", "31 Dec 3000", "+9999w"]
)
def test_dates_outside_the_calendar_are_refused(text):
    base = dt.date(2999, 6, 1) if text.startswith("+") else WED
    with pytest.raises(CrmError, match="out of range: crm keeps dates from 1900-01-01 to 2999-12-31"):
        parse_date(text, today=base)


def test_the_ends_of_the_calendar_are_dates():
    assert parse_date("1900-01-01", today=WED) == dt.date(1900, 1, 1)
    assert parse_date("2999-12-31", today=WED) == dt.date(2999, 12, 31)


def test_relative_dates_from_the_end_of_pythons_calendar_are_refused_not_overflowing():
    with pytest.raises(CrmError, match="out of range"):
        parse_date("tomorrow", today=dt.date.max)
    with pytest.raises(CrmError, match="out of range"):
        parse_date("+3d", today=dt.date.max)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_crm_today_must_be_in_the_calendar(monkeypatch, value):
    monkeypatch.setenv("CRM_TODAY", value)
    with pytest.raises(CrmError, match="CRM_TODAY='.*' is out of range"):
        today()


def test_a_page_of_text_is_not_read_as_a_date():
    with pytest.raises(CrmError, match="too long to be a date"):
        parse_date("Nov 20 " * 1000, today=WED)


@settings(max_examples=500, deadline=500)
@given(
    st.one_of(
        st.text(max_size=120),
        st.lists(st.sampled_from(DATE_BITS), max_size=12).map(" ".join),
        st.lists(st.sampled_from(DATE_BITS), max_size=12).map("".join),
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)),
)
def test_random_text_is_a_date_in_range_or_a_crm_error(text, base):
    try:
        day = parse_date(text, today=base)
    except CrmError as error:
        assert "\n" not in str(error)
    else:
        assert dt.date(1900, 1, 1) <= day <= dt.date(2999, 12, 31)


def test_a_weekend_day_is_named_with_the_monday_after():
    from crm.dates import next_weekday, weekend_note

    today = dt.date(2026, 11, 25)  # a Wednesday
    assert weekend_note(dt.date(2026, 11, 28), today=today) == "a Saturday: Mon Nov 30 is the next weekday"
    assert weekend_note(dt.date(2026, 11, 29), today=today) == "a Sunday: Mon Nov 30 is the next weekday"
    assert weekend_note(dt.date(2026, 11, 27), today=today) is None
    assert [next_weekday(dt.date(2026, 11, d)) for d in (27, 28, 29, 30)] == [
        dt.date(2026, 11, 27), dt.date(2026, 11, 30), dt.date(2026, 11, 30), dt.date(2026, 11, 30)
    ]  # fmt: skip
