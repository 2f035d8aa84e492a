"""The first paint parses only app.tcss (issue 12): the other screens' rules, screens.tcss, join the stylesheet once
the first frame is on screen, or as soon as another screen is shown if that comes sooner."""

from crm.tui.app import LATER_CSS

SIZE = (100, 30)


def _has_later_css(app) -> bool:
    return app.stylesheet.has_source(str(LATER_CSS), "")


async def test_the_other_screens_rules_come_after_the_first_frame(make_app, demo_db):
    app = make_app(demo_db)
    at_first_frame: list[bool] = []
    shown = app._first_frame_shown

    def first_frame() -> None:
        at_first_frame.append(_has_later_css(app))
        shown()

    app._first_frame_shown = first_frame
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert at_first_frame == [False]  # This week was painted from app.tcss alone
        assert _has_later_css(app)


async def test_a_screen_shown_before_the_first_frame_still_gets_its_rules(make_app, demo_db):
    app = make_app(demo_db)
    app._first_frame_shown = lambda: None  # as if the first frame were still being written out
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not _has_later_css(app)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _has_later_css(app)
        # `#contacts-table { height: 1fr }` is a rule of screens.tcss (a DataTable's own height is auto)
        assert str(app.screen.query_one("#contacts-table").styles.height) == "1fr"
