"""Dates whose order of day, month and year the data does not decide (issue 13, item 5).

"auto" reads a date column only when exactly one order reads every row (or all orders that do
agree); otherwise it refuses and names the candidates, and ``date_format`` decides. Values are
never reordered by a guessed reading.
"""

from __future__ import annotations

import pandas as pd
import pytest

from rnn_core import tables
from rnn_core.errors import RnnExplorerError
from rnn_core.tables import DATE_FORMATS, check_date_format, inspect, read_table, to_series


def table(dates: pd.DatetimeIndex, fmt: str) -> bytes:
    return ("date,value\n" + "".join(f"{d:{fmt}},{i}\n" for i, d in enumerate(dates))).encode()


def error_of(func, *args, **kwargs) -> RnnExplorerError:
    with pytest.raises(RnnExplorerError) as info:
        func(*args, **kwargs)
    assert not isinstance(info.value, tables.UnexpectedTableError), str(info.value)
    return info.value


YY_MM_DD = table(pd.date_range("2021-01-20", periods=30, freq="D"), "%y-%m-%d")
MONTHLY = pd.date_range("2001-02-01", periods=50, freq="MS")
QUARTERLY = pd.date_range("2003-10-01", periods=30, freq="QS")


def test_yy_mm_dd_is_refused_in_auto_naming_both_readings():
    err = error_of(to_series, read_table(YY_MM_DD), "value", date="date")
    assert err.field == "date_format"
    assert str(err) == (
        "the order of day, month and year in column 'date' cannot be told from the dates: "
        "'21-01-20' is 2021-01-20 as YY-MM-DD, 2020-01-21 as DD/MM/YY. Choose the date format "
        "(YY-MM-DD, DD/MM/YY) instead of auto (the \"Date format\" choice; --date-format on the "
        "command line).")


def test_yy_mm_dd_chosen_keeps_the_file_order_and_is_daily():
    series, report = to_series(read_table(YY_MM_DD), "value", date="date", date_format="YY-MM-DD")
    assert series.values.tolist() == [float(i) for i in range(30)]  # not re-sorted
    assert series.index[0] == pd.Timestamp("2021-01-20") and series.index[-1] == pd.Timestamp("2021-02-18")
    assert not report.sorted_by_date and (report.frequency, series.season) == ("daily", 7)
    assert report.notes == ("two-digit years were read as 1969 to 2068 (write four digits for "
                            "other years).",)


@pytest.mark.parametrize("fmt, choice, first", [
    ("%d/%m/%Y", "DD/MM/YYYY", "01/02/2001"),
    ("%d.%m.%Y", "dd.mm.yyyy", "01.02.2001"),
    ("%d/%m/%y", "DD/MM/YY", "01/02/01"),
])
def test_monthly_day_first_dates_are_refused_in_auto_and_monthly_when_chosen(fmt, choice, first):
    data = table(MONTHLY, fmt)
    err = error_of(to_series, read_table(data), "value", date="date")
    assert "cannot be told from the dates" in str(err) and "DD/MM/" in str(err)
    assert "Date format" in str(err) and "--date-format" in str(err)
    series, report = to_series(read_table(data), "value", date="date", date_format=choice)
    assert series.index.equals(pd.DatetimeIndex(MONTHLY, name="date"))
    assert (report.frequency, series.season, report.missing_periods) == ("monthly", 12, 0)
    assert series.values.tolist() == [float(i) for i in range(50)]


def test_quarterly_day_first_dates_read_as_chosen():
    data = table(QUARTERLY, "%d.%m.%Y")
    err = error_of(to_series, read_table(data), "value", date="date")
    assert "'01.10.2003' is 2003-10-01 as DD/MM/YYYY, 2003-01-10 as MM/DD/YYYY" in str(err)
    series, report = to_series(read_table(data), "value", date="date", date_format="DD/MM/YYYY")
    assert series.index[:3].strftime("%Y-%m-%d").tolist() == ["2003-10-01", "2004-01-01", "2004-04-01"]
    assert (report.frequency, series.season) == ("quarterly", 4)


def test_the_data_decides_when_one_order_reads_every_row():
    days = pd.date_range("2021-03-01", periods=25, freq="D")  # days 13..25 pin day first
    series, report = to_series(read_table(table(days, "%d/%m/%Y")), "value", date="date")
    assert series.index.equals(pd.DatetimeIndex(days, name="date"))
    assert report.notes == ("dates read as DD/MM/YYYY, the only order of day, month and year "
                            "that fits every row.",)
    series, report = to_series(read_table(table(days, "%m-%d-%Y")), "value", date="date")
    assert series.index.equals(pd.DatetimeIndex(days, name="date")) and report.frequency == "daily"


def test_iso_dates_need_no_choice_and_get_no_note():
    series, report = to_series(read_table(table(MONTHLY, "%Y-%m-%d")), "value", date="date")
    assert series.index.equals(pd.DatetimeIndex(MONTHLY, name="date")) and report.notes == ()
    # the separator may be any of / . -, and a time of day may follow
    hours = pd.date_range("2020-03-01 00:00", periods=30, freq="h")
    series, report = to_series(read_table(table(hours, "%Y/%m/%d %H:%M")), "value", date="date")
    assert series.index.equals(pd.DatetimeIndex(hours, name="date")) and series.season == 24


def test_a_chosen_format_that_does_not_fit_names_the_cell_and_the_format():
    err = error_of(to_series, read_table(table(QUARTERLY, "%d.%m.%Y")), "value", date="date",
                   date_format="YYYY-MM-DD")
    assert err.field == "date_format" and str(err) == (
        "column 'date' holds something that is not a date at line 2: '01.10.2003'. It is not "
        "written YYYY-MM-DD (day, month and year as numbers, separated by / . or -): choose the "
        "format the file uses, or auto.")
    days = pd.date_range("2021-03-01", periods=25, freq="D")
    err = error_of(to_series, read_table(table(days, "%d/%m/%Y")), "value", date="date",
                   date_format="MM/DD/YYYY")
    assert "not a date at line 14: '13/03/2021'. It is not written MM/DD/YYYY" in str(err)


def test_impossible_dates_are_not_dates():
    text = table(MONTHLY, "%d/%m/%Y").replace(b"01/05/2001", b"31/04/2001")
    err = error_of(to_series, read_table(text), "value", date="date")
    assert "not a date at line 5: '31/04/2001'" in str(err)


@pytest.mark.parametrize("value, name", [
    (None, "auto"), ("", "auto"), ("auto", "auto"), ("dd.mm.yyyy", "DD/MM/YYYY"),
    ("YYYY/MM/DD", "YYYY-MM-DD"), (" yy-mm-dd ", "YY-MM-DD"), ("mm.dd.yy", "MM/DD/YY"),
])
def test_date_format_names_ignore_case_and_separator(value, name):
    assert check_date_format(value) == name


@pytest.mark.parametrize("value", ["DD/MM", "x" * 500, 3, "YYYY-DD-MM"])
def test_unknown_date_formats_are_refused_in_one_short_line(value):
    err = error_of(check_date_format, value)
    assert err.field == "date_format" and len(str(err)) < 300
    assert ", ".join(DATE_FORMATS) in str(err)
    err = error_of(to_series, read_table(YY_MM_DD), "value", date="date", date_format=value)
    assert err.field == "date_format"


def test_inspect_names_the_formats_of_an_undecided_date_column():
    info = inspect(read_table(table(MONTHLY, "%d/%m/%Y")))
    assert info.dates == ("date",) and info.date_formats == {"date": ("DD/MM/YYYY", "MM/DD/YYYY")}
    info = inspect(read_table(table(MONTHLY, "%Y-%m-%d")))
    assert info.date_formats == {}


def test_unicode_digits_in_dates_are_the_digits_they_are():
    days = pd.date_range("2021-03-01", periods=25, freq="D")
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    data = table(days, "%Y-%m-%d").decode().translate(arabic).encode()
    series, _ = to_series(read_table(data), "value", date="date")
    assert series.index.equals(pd.DatetimeIndex(days, name="date"))
    assert series.values.tolist() == [float(i) for i in range(25)]


def test_two_digit_years_that_only_fit_one_order_are_read_with_their_century_said():
    years = pd.date_range("1995-12-20", periods=30, freq="D")  # 95-12-20: 95 is no day or month
    series, report = to_series(read_table(table(years, "%y-%m-%d")), "value", date="date")
    assert series.index[0] == pd.Timestamp("1995-12-20") and series.index[-1] == pd.Timestamp("1996-01-18")
    assert report.notes == ("dates read as YY-MM-DD, the only order of day, month and year that "
                            "fits every row; two-digit years were read as 1969 to 2068 (write "
                            "four digits for other years).",)
