"""At 80 columns the Contacts table gives way in its text columns, never cutting a date mid-token."""

from __future__ import annotations

from crm.tui.widgets.contacts_table import CELL_PADDING, SCROLLBAR, ContactsTable, fit_widths

WIDE = {"name": 16, "company": 15, "team": 17, "stage": 10, "last_interaction": 11, "next_follow_up": 11}


def total(widths: dict[str, int]) -> int:
    return sum(w + CELL_PADDING for w in widths.values()) + SCROLLBAR


def test_text_columns_narrow_to_fit_and_dates_keep_their_width():
    fitted = fit_widths(WIDE, 80)
    assert total(fitted) <= 80
    assert fitted["last_interaction"] == fitted["next_follow_up"] == 11
    assert fitted["team"] < WIDE["team"]  # the team gives way first
    assert fit_widths(WIDE, 200) == WIDE  # room enough: nothing changes
    assert fit_widths(WIDE, 0) == WIDE  # width not known yet


def test_very_narrow_windows_stop_at_a_floor_for_each_text_column():
    fitted = fit_widths(WIDE, 40)
    assert (fitted["team"], fitted["company"], fitted["name"]) == (6, 8, 12)
    assert fitted["next_follow_up"] == 11


async def test_at_80_columns_every_next_date_is_shown_whole(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one(ContactsTable)
        widths = {str(key.value): column.width for key, column in table.columns.items()}
        assert total(widths) <= 80
        dates = 0
        for index in range(table.row_count):
            label = str(table.get_row_at(index)[-1])  # Next, the last column
            dates += bool(label)
            assert len(label) <= widths["next_follow_up"], (
                f"{label!r} is cut in a column {widths['next_follow_up']} wide"
            )
        assert dates >= 5
        # and a wider window gives the team its room back
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        widths = {str(key.value): column.width for key, column in table.columns.items()}
        assert widths["team"] > 6
