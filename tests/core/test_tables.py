"""Bring your own data: reading, inspecting and converting uploaded tables.

Every bad input gets an ``RnnExplorerError`` whose message says what is wrong and how to fix
it. Links (``fetch_url``) are tested in test_fetch.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_core import tables
from rnn_core.config import MAX_SERIES_LENGTH, MIN_SERIES_LENGTH
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError
from rnn_core.tables import excel, inspect, read_table, to_series
from rnn_core.tables import text as text_module

MONTHS = pd.date_range("2000-01-01", periods=30, freq="MS")


def monthly_csv(values=None, dates=MONTHS, sep=",", header=("date", "value")) -> str:
    values = range(len(dates)) if values is None else values
    rows = [sep.join(header)] + [f"{d:%Y-%m-%d}{sep}{v}" for d, v in zip(dates, values)]
    return "\n".join(rows) + "\n"


def load(text: str | bytes, target: str = "value", **kwargs):
    data = text.encode() if isinstance(text, str) else text
    return to_series(read_table(data, "test.csv"), target, **kwargs)


def error_of(func, *args, **kwargs) -> str:
    with pytest.raises(RnnExplorerError) as info:
        func(*args, **kwargs)
    assert not isinstance(info.value, tables.UnexpectedTableError), str(info.value)
    return str(info.value)


# --------------------------------------------------------------------------- good tables


def test_monthly_csv_becomes_a_dated_series_with_season_12():
    series, report = load(monthly_csv(), date="date")
    assert isinstance(series, Series) and series.features is None and series.feature_names == ()
    assert series.values.tolist() == list(map(float, range(30)))
    assert isinstance(series.index, pd.DatetimeIndex) and series.index[0] == MONTHS[0]
    assert (series.name, series.season, report.frequency) == ("value", 12, "monthly")
    assert report.notes == () and report.rows_used == 30 and not report.sorted_by_date


def test_without_date_column_the_index_counts_values():
    series, report = load(monthly_csv())
    assert series.index.equals(pd.RangeIndex(30, name="t")) and series.season is None
    assert report.frequency is None


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiter_is_sniffed(sep):
    text = monthly_csv(sep=sep, header=("date", "value with, comma" if sep != "," else "value"))
    frame = read_table(text.encode())
    assert frame.attrs["delimiter"] == sep and frame.shape == (30, 2)
    assert frame.iloc[:, 1].dtype == np.float64


def test_semicolon_file_with_decimal_comma_and_day_first_dates():
    days = pd.date_range("2021-03-01", periods=25, freq="D")
    text = "Datum;Wert\n" + "".join(f"{d:%d.%m.%Y};{i},5\n" for i, d in enumerate(days))
    frame = read_table(text.encode("utf-8"))
    assert frame.attrs["decimal"] == ","
    series, report = to_series(frame, "Wert", date="Datum")
    assert series.values[:2].tolist() == [0.5, 1.5]
    assert series.index[0] == days[0] and series.index[-1] == days[-1]
    assert (report.frequency, series.season) == ("daily", 7)


def test_utf8_bom_and_windows_line_endings_are_fine():
    text = "\ufeff" + monthly_csv().replace("\n", "\r\n")
    frame = read_table(text.encode("utf-8"))
    assert list(frame.columns) == ["date", "value"] and len(frame) == 30


def test_index_is_the_line_number_in_the_file_skipping_blank_lines():
    text = "a,b\n\n1,2\n3,4\n\n5,6\n"
    frame = read_table(text.encode())
    assert frame.index.tolist() == [3, 4, 6] and frame.index.name == "line"


def test_file_without_header_gets_numbered_columns():
    frame = read_table("".join(f"{i},{i % 7}\n" for i in range(25)).encode())
    assert list(frame.columns) == ["column 1", "column 2"] and len(frame) == 25
    assert frame.attrs["header"] is False


def test_inspect_reports_numbers_dates_and_missing_values():
    text = monthly_csv(["", 1, 2, "NA", 4] + list(range(5, 30))).replace(
        "date,value", "date,value")
    text = text.replace("\n", ",x\n").replace("date,value,x", "date,value,label")
    info = inspect(read_table(text.encode()))
    assert info.n_rows == 30 and info.columns == ("date", "value", "label")
    assert info.numeric == ("value",) and info.dates == ("date",)
    assert info.missing == {"date": 0, "value": 2, "label": 0}
    assert info.first_missing["value"] == ("line 2", "line 5")
    assert info.missing_text("value") == "2 missing (lines 2, 5)"
    assert info.targets == ("value",) and info.delimiter == ","


def test_inspect_names_the_first_text_cell_of_a_number_column():
    values = list(range(30))
    values[7] = "12 kg"
    info = inspect(read_table(monthly_csv(values).encode()))
    assert info.numeric == () and info.text_in_numeric == {"value": ("line 9", "12 kg")}
    assert info.targets == ("value",)


def test_a_year_column_is_a_date_candidate_and_gives_yearly_dates():
    text = "year,count\n" + "".join(f"{1821 + i},{(i * 37) % 11}\n" for i in range(40))
    info = inspect(read_table(text.encode()))
    assert info.dates == ("year",) and info.targets == ("count", "year")
    series, report = load(text, "count", date="year")
    assert series.index[0] == pd.Timestamp("1821-01-01") and report.frequency == "yearly"
    assert series.season is None


@pytest.mark.parametrize("freq, label, season", [
    ("D", "daily", 7), ("h", "hourly", 24), ("30min", "30-minute", 48), ("QS", "quarterly", 4),
    ("W-MON", "weekly", 52), ("ME", "monthly", 12), ("YS", "yearly", None), ("B", "business-day", None),
])
def test_frequency_and_season_are_inferred(freq, label, season):
    dates = pd.date_range("2001-01-01", periods=40, freq=freq)
    text = "when,x\n" + "".join(f"{d:%Y-%m-%d %H:%M},{i % 9}\n" for i, d in enumerate(dates))
    series, report = load(text, "x", date="when")
    assert (report.frequency, series.season, report.missing_periods) == (label, season, 0)


def test_gaps_are_counted_and_reported_not_refused():
    dates = MONTHS.delete([5, 6, 7, 20])
    series, report = load(monthly_csv(dates=dates), date="date")
    assert len(series) == 26
    assert (report.gaps, report.missing_periods) == (2, 4)
    assert "2 gaps (4 missing dates, the first after 2000-05-01)" in " ".join(report.notes)


def test_unsorted_dates_are_sorted_and_reported():
    order = np.random.default_rng(0).permutation(30)
    series, report = load(monthly_csv(np.arange(30)[order], MONTHS[order]), date="date")
    assert series.values.tolist() == list(map(float, range(30)))
    assert series.index.is_monotonic_increasing and report.sorted_by_date
    assert any("not in date order" in n for n in report.notes)


def test_interpolate_fills_linearly_and_copies_the_ends():
    values = [""] + [1, 2, "", 4] + list(range(5, 29)) + [""]
    series, report = load(monthly_csv(values), date="date", missing="interpolate")
    assert series.values[:5].tolist() == [1.0, 1.0, 2.0, 3.0, 4.0]
    assert series.values[-1] == 28.0 and report.filled == 3 and len(series) == 30
    assert "filled 3 missing values of 'value' by linear interpolation" in report.notes[0]


def test_drop_removes_rows_and_reports_them():
    values = list(range(30))
    values[3] = values[10] = ""
    series, report = load(monthly_csv(values), date="date", missing="drop")
    assert len(series) == 28 and report.dropped == 2 and 3.0 not in series.values
    assert report.notes[0] == "dropped 2 rows with missing values."


def test_features_are_aligned_with_the_sorted_series():
    n = 25
    order = np.arange(n)[::-1]
    text = "d,y,f1,f2\n" + "".join(
        f"{MONTHS[i]:%Y-%m-%d},{i},{10 * i},{'' if i == 4 else -i}\n" for i in order)
    series, report = load(text, "y", date="d", features=["f1", "f2"], missing="interpolate")
    feats = series.features  # attached to the series, named in their order
    assert series.feature_names == ("f1", "f2") == report.features
    assert feats.shape == (n, 2) and feats.dtype == np.float64
    assert feats[:, 0].tolist() == (10 * series.values).tolist()
    assert feats[4, 1] == -4.0  # interpolated between -3 and -5, in date order
    assert report.features == ("f1", "f2") and report.filled == 1


def test_a_missing_feature_value_stops_too():
    text = "y,f\n" + "".join(f"{i},{'' if i == 7 else i}\n" for i in range(25))
    msg = error_of(load, text, "y", features=["f"])
    assert "'f' has 1 (line 9)" in msg


def test_bad_feature_choices_are_refused():
    text = "y,f,c\n" + "".join(f"{i},{i * i},1\n" for i in range(25))
    assert "is the target" in error_of(load, text, "y", features=["y"])
    assert "no column 'g'" in error_of(load, text, "y", features=["g"])
    assert "feature column 'c' is constant" in error_of(load, text, "y", features=["c"])


def test_excel_is_read_when_a_reader_is_installed(monkeypatch):
    sheet = pd.DataFrame({"month": MONTHS[:25], "sales": np.arange(25.0), "note": ["x"] * 25})
    monkeypatch.setattr(excel, "excel_available", lambda: True)
    monkeypatch.setattr(pd, "read_excel", lambda *a, **k: sheet.copy())
    frame = read_table(b"PK\x03\x04...", "book.xlsx")
    assert frame.index[0] == 2 and frame.index.name == "row"
    info = inspect(frame)
    assert info.numeric == ("sales",) and info.dates == ("month",)
    series, report = to_series(frame, "sales", date="month")
    assert len(series) == 25 and report.frequency == "monthly"


# --------------------------------------------------------------------------- bad inputs


def test_empty_file():
    assert "is empty" in error_of(read_table, b"", "data.csv")
    assert "is empty" in error_of(read_table, b" \n\r\n\n")
    assert "only delimiters and blank cells" in error_of(read_table, b",,\n , \n,\n")


def test_header_only():
    msg = error_of(read_table, b"date,value\n", "data.csv")
    assert "header row (date, value) but no data rows" in msg


def test_no_numeric_column():
    frame = read_table(b"name,colour\nann,red\nbob,blue\n")
    msg = error_of(inspect, frame)
    assert "no column of the table holds numbers" in msg and "'name', 'colour'" in msg
    assert "column 'name' holds text where a number is expected: line 2 has 'ann'" in error_of(
        to_series, frame, "name")


def test_numeric_column_with_text_names_column_line_and_value():
    values = list(range(30))
    values[12] = "n/a?"
    values[20] = "oops"
    msg = error_of(load, monthly_csv(values), date="date")
    assert "column 'value'" in msg and "line 14 has 'n/a?'" in msg and "1 more cell" in msg


@pytest.mark.parametrize("cell, hint", [("1,5", "decimal comma"), ("1,234", "thousands separator"),
                                        ("12%", "percent")])
def test_text_in_numbers_gets_a_hint(cell, hint):
    values = list(range(30))
    values[3] = f'"{cell}"'
    assert hint in error_of(load, monthly_csv(values))


def test_all_nan_column():
    text = "a,b\n" + "".join(f"{i},{'' if i % 2 else 'NaN'}\n" for i in range(30))
    msg = error_of(load, text, "b")
    assert "column 'b' holds no numbers: all 30 cells are empty or missing" in msg


def test_constant_series():
    msg = error_of(load, monthly_csv([4.5] * 30))
    assert "'value' is constant (every value is 4.5)" in msg and "Choose another column" in msg


def test_too_few_points():
    msg = error_of(load, monthly_csv(range(5), MONTHS[:5]))
    assert f"only 5 values; a series needs at least {MIN_SERIES_LENGTH}" in msg


def test_too_few_points_after_dropping():
    values = [i if i % 2 else "" for i in range(30)]
    assert "after dropping 15 rows" in error_of(load, monthly_csv(values), missing="drop")


def test_too_many_points():
    n = MAX_SERIES_LENGTH + 1
    text = "x\n" + "\n".join(str(i % 97) for i in range(n)) + "\n"
    msg = error_of(load, text, "x")
    assert f"{n:,} values; the limit is {MAX_SERIES_LENGTH:,}" in msg


def test_duplicated_dates_name_the_first_duplicates():
    dates = MONTHS.insert(10, MONTHS[4]).insert(20, MONTHS[8])
    msg = error_of(load, monthly_csv(dates=dates), date="date")
    assert "2000-05-01 appears 2 times" in msg and "(lines 6, 12)" in msg
    assert "1 other date repeat" in msg and "one row per date" in msg


def test_missing_values_stop_by_default_with_count_and_where():
    values = list(range(30))
    for i in (2, 5, 6, 7, 8, 9, 11):
        values[i] = ""
    msg = error_of(load, monthly_csv(values), date="date")
    assert "7 missing values: 'value' has 7 (lines 4, 7, 8, 9, 10 and 2 more)" in msg
    assert "'interpolate'" in msg and "'drop'" in msg


def test_unparseable_and_missing_dates():
    text = monthly_csv().replace("2000-03-01", "soon")
    assert "not a date at line 4: 'soon'" in error_of(load, text, date="date")
    text = monthly_csv().replace("2000-03-01", "")
    assert "date column 'date' has 1 empty cell (line 4)" in error_of(load, text, date="date")
    series, report = load(text, date="date", missing="drop")
    assert report.dropped == 1 and len(series) == 29


def test_numbers_are_not_dates():
    text = "x,y\n" + "".join(f"{i * 0.5},{i}\n" for i in range(25))
    assert "holds numbers, not dates" in error_of(load, text, "y", date="x")


def test_non_utf8_bytes_name_the_offset_and_the_fix():
    data = "date,température\n2020-01-01,1\n".encode("latin-1")
    msg = error_of(read_table, data, "meteo.csv")
    assert "'meteo.csv' is not UTF-8 text: byte 0xE9 at offset 9 (line 1)" in msg
    assert "CSV UTF-8" in msg


def test_utf16_and_binary_files():
    assert "UTF-16" in error_of(read_table, "a,b\n1,2\n".encode("utf-16"))
    assert "binary file" in error_of(read_table, b"a,b\n1,\x002\n")


def test_file_over_the_cap():
    data = b"x\n" + b"1\n" * 600
    msg = error_of(read_table, data, "big.csv", max_bytes=1000)
    assert "'big.csv' is 1.2 KB, more than the limit of 1000 bytes" in msg and "shorter extract" in msg
    assert tables.MAX_UPLOAD_BYTES == 20 * 1024 * 1024  # .streamlit/config.toml maxUploadSize
    msg = error_of(read_table, b"x" * (tables.MAX_UPLOAD_BYTES + 1))
    assert "is 20.1 MB, more than the limit of 20 MB" in msg


def test_excel_without_a_reader_says_save_as_csv(monkeypatch):
    monkeypatch.setattr(excel, "excel_available", lambda: False)
    for name, data in (("book.xlsx", b"PK\x03\x04rest"), ("data", b"PK\x03\x04rest"),
                       ("old.xls", b"\xd0\xcf\x11\xe0rest")):
        assert "save the sheet as CSV" in error_of(read_table, data, name)


def test_ragged_rows_and_unclosed_quotes():
    msg = error_of(read_table, b"a,b\n1,2\n3,4,5\n")
    assert "line 3" in msg and "3 fields but the header has 2" in msg
    assert "never closed" in error_of(read_table, b'a,b\n1,"2\n3,4\n5,6\n')


def test_html_upload_is_refused():
    assert "web page" in error_of(read_table, b"\n<!DOCTYPE html><html><body>hi</body></html>")


def test_infinite_and_huge_values():
    values = list(range(30))
    values[9] = "1e400"
    assert "too large to train on at line 11" in error_of(load, monthly_csv(values))
    values[9] = "-3e31"
    assert "too large" in error_of(load, monthly_csv(values))


def test_wrong_arguments():
    frame = read_table(monthly_csv().encode())
    assert "no column 'sales'" in error_of(to_series, frame, "sales")
    assert "choose one of stop, interpolate, drop" in error_of(to_series, frame, "value", missing="fill")
    assert "both the value to forecast and the date" in error_of(to_series, frame, "value", date="value")
    assert "expected a table" in error_of(inspect, "not a frame")
    assert "expected the bytes" in error_of(read_table, 12)


def test_unexpected_failures_are_still_rnn_explorer_errors(monkeypatch):
    def boom(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(text_module, "sniff", boom)
    with pytest.raises(tables.UnexpectedTableError) as info:
        read_table(b"a\n1\n")
    assert isinstance(info.value, RnnExplorerError) and "please report" in str(info.value)


def test_an_uploaded_series_runs_through_prepare():
    from rnn_core.config import RunConfig
    from rnn_core.run import prepare

    text = monthly_csv([f"{np.sin(i / 2):.4f}" for i in range(30)])
    series, _ = load(text, date="date")
    prepared = prepare(RunConfig(time_steps=4), series)
    assert prepared.series is series and prepared.windows.n_train == 20


# --------------------------------------------------------------------------- issue 13: digits, marks


def test_unicode_digits_are_the_digits_they_are_not_missing_values():
    values = list(range(30))
    values[5] = "١٢"  # Arabic-Indic 12
    values[9] = "１７.５"  # full-width 17.5
    frame = read_table(monthly_csv(values).encode())
    assert frame["value"].dtype == np.float64 and frame["value"].iloc[[5, 9]].tolist() == [12.0, 17.5]
    series, report = to_series(frame, "value", date="date")  # "stop": nothing is missing
    assert series.values[5] == 12.0 and report.filled == 0 and report.notes == ()
    assert inspect(frame).missing == {"date": 0, "value": 0}


def test_a_cell_that_is_no_number_is_called_text_never_missing():
    values = list(range(30))
    values[5] = "²"  # a digit, but not a decimal digit: text
    msg = error_of(load, monthly_csv(values), date="date", missing="interpolate")
    assert "holds text where a number is expected: line 7 has '²'" in msg
    assert "missing" not in msg.split(".")[0]
    info = inspect(read_table(monthly_csv(values).encode()))
    assert info.missing["value"] == 0 and info.text_in_numeric == {"value": ("line 7", "²")}


def semicolon_csv(cells) -> bytes:
    return ("date;price\n" + "".join(f"{d:%Y-%m-%d};{c}\n" for d, c in zip(MONTHS, cells))).encode()


def test_thousands_or_decimal_is_stated_when_every_cell_could_be_either():
    for cell, mark, word in (("1.037", ".", "decimal point"), ("1,037", ",", "decimal comma")):
        frame = read_table(semicolon_csv([cell] + [f"2{mark}5{i:02d}" for i in range(29)]))
        assert frame["price"].iloc[0] == 1.037 and frame["price"].iloc[1] == 2.5
        note = (f"column 'price': '{cell}' read as 1.037 ({word}); if {mark} groups thousands "
                "in this file, it is 1037: write the numbers without thousands separators to "
                "make sure.")
        assert inspect(frame).number_notes == {"price": note}
        _, report = to_series(frame, "price", date="date")
        assert report.notes == (note,)


@pytest.mark.parametrize("cells, values", [
    (["1,037", "12,5"], [1.037, 12.5]),       # 12,5 cannot group thousands: decimal comma
    (["1.037", "3.14"], [1.037, 3.14]),       # 3.14 cannot group thousands: decimal point
    (["1.037", "1,5"], [1037.0, 1.5]),        # a decimal comma: the dot groups thousands
    (["1,037", "1.5"], [1037.0, 1.5]),        # a decimal point: the comma groups thousands
    (["1.234.567", "12"], [1234567.0, 12.0]),  # two dots: only thousands
    (["1.234,5", "7"], [1234.5, 7.0]),
    (["0,037", "1,000"], [0.037, 1.0]),       # 0,037 groups nothing: decimal comma
])
def test_a_column_whose_cells_fit_one_reading_is_read_that_way_without_a_note(cells, values):
    frame = read_table(semicolon_csv(cells * 15))
    assert frame["price"].iloc[:2].tolist() == values
    assert inspect(frame).number_notes == {}


def test_a_comma_file_keeps_reading_dots_as_decimals():
    frame = read_table(monthly_csv(["1.037"] + [str(i) for i in range(29)]).encode())
    assert frame["value"].iloc[0] == 1.037 and frame.attrs["number_notes"] == {}


def test_a_column_mixing_both_marks_without_a_deciding_cell_says_what_was_assumed():
    frame = read_table(semicolon_csv(["1,037", "1.037"] * 15))
    assert frame["price"].iloc[:2].tolist() == [1.037, 1037.0]  # a semicolon file: decimal comma
    assert inspect(frame).number_notes["price"].startswith(
        "column 'price': '1,037' read as 1.037 (decimal comma, . grouping thousands); if , groups "
        "thousands in this file, it is 1037")
