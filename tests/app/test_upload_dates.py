"""Dates whose order of day and month the data does not decide (issue 13, item 5): the upload
says so, refuses to guess, and the "Date format" choice resolves it; number columns that
could be thousands or decimals say what was assumed (item 6)."""

import pandas as pd

from tests.app.helpers import texts
from tests.app.test_upload import open_upload, use

MONTHS = pd.date_range("2001-02-01", periods=48, freq="MS")
DAY_FIRST = ("month,sales\n" + "".join(f"{d:%d/%m/%Y},{(i * 7) % 11 + i / 4}\n"
                                       for i, d in enumerate(MONTHS))).encode()


def test_ambiguous_dates_are_explained_and_the_date_format_resolves_them(app):
    at = use(open_upload(app), DAY_FIRST, date="month")
    assert not at.exception
    assert "user_series" not in at.session_state or at.session_state["user_series"] is None
    warnings = texts(at.warning)
    assert ("The order of day, month and year in 'month' cannot be told from the dates: choose "
            "the date format (DD/MM/YYYY, MM/DD/YYYY).") in warnings, warnings
    errors = texts(at.error)
    assert any("'01/02/2001' is 2001-02-01 as DD/MM/YYYY, 2001-01-02 as MM/DD/YYYY" in e
               for e in errors), errors

    at.selectbox(key="table_date_format").set_value("DD/MM/YYYY").run()
    assert not texts(at.warning)
    at = at.button(key="table_use").click().run()
    assert not at.exception and not texts(at.error)
    series = at.session_state["user_series"]
    assert series.index.equals(pd.DatetimeIndex(MONTHS, name="month")) and series.season == 12
    assert series.values[:3].tolist() == [0.0, 7.25, 3.5]  # the file's order, not re-sorted


def test_date_format_is_off_without_a_date_column_and_thousands_are_explained(app):
    text = "t;price\n" + "".join(f"{i};{1 + i % 7},{i % 10}{(i * 3) % 10}7\n" for i in range(30))
    at = use(open_upload(app), text.encode(), target="price")
    assert not at.exception and not texts(at.error)
    assert at.selectbox(key="table_date_format").disabled
    assert any(c.startswith("column 'price': '1,007' read as 1.007 (decimal comma); if , groups "
                            "thousands in this file, it is 1007") for c in texts(at.caption)), texts(at.caption)
    assert at.session_state["user_series"].values[0] == 1.007
