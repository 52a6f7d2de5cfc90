"""Reading a column as dates: ISO and other text dates, three numbers in a named order of day,
month and year (``DATE_FORMATS``), years and compact dates in a number column named like a date.

"auto" takes the order that reads every row, and asks the user when several orders do with
different dates (01/02/2001: 1 February or 2 January?).

>>> check_date_format("dd.mm.yyyy")
'DD/MM/YYYY'
>>> dates, note, open_formats = parse_dates(pd.Series(["31.01.2020", "29.02.2020"]))
>>> dates.strftime("%Y-%m-%d").tolist(), note, open_formats
(['2020-01-31', '2020-02-29'], 'dates read as DD/MM/YYYY, the only order of day, month and year that fits every row.', ())
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..errors import RnnExplorerError, quote
from .numeric import ascii_digits, column_numbers, missing_mask
from .places import where

# Named orders of day, month and year for dates written as three numbers, separated by any
# of / . - (2020-01-31, 31.01.2020, 01/31/20).
DATE_FORMATS = ("auto", "YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "YY-MM-DD", "DD/MM/YY", "MM/DD/YY")
_DATE_ORDERS = {name: tuple(re.split(r"[./-]", name)) for name in DATE_FORMATS[1:]}
_THREE_NUMBERS = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:[ T](.+))?")
_PIVOT_YEAR = 69  # two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999 (as strptime's %y)
_DATE_NAME_HINTS = ("year", "date", "time", "jahr", "année", "annee", "año", "period")
_NUMERIC_DATE_FORMATS = ((1000, 2999, "%Y"), (100001, 299912, "%Y%m"), (10000101, 29991231, "%Y%m%d"))
_DATE_SAMPLE = 500


def check_date_format(value: str | None) -> str:
    """The name in ``DATE_FORMATS`` that ``value`` means: case and the separator between the
    numbers (/ . -) do not matter, so "dd.mm.yyyy" is "DD/MM/YYYY"; None or "" is "auto"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "auto"
    if isinstance(value, str):
        key = re.sub(r"[./-]", "/", value.strip().upper())
        for name in DATE_FORMATS:
            if re.sub(r"[./-]", "/", name.upper()) == key:
                return name
    raise RnnExplorerError(
        f"the date format {quote(value)} is not known: choose one of {', '.join(DATE_FORMATS)} "
        "(any of / . - may separate the numbers).", field="date_format")


def date_column(frame: pd.DataFrame, date: str, date_format: str = "auto"
                ) -> tuple[pd.DatetimeIndex, str]:
    """The dates of column ``date`` and a note on how they were read; raises on a cell that is
    no date (in ``date_format``) and, in "auto", when the order of day and month is open."""
    column = frame[date]
    values, bad = column_numbers(column)
    if not bad.any() and not np.isnan(values).all() and not pd.api.types.is_datetime64_any_dtype(column.dtype):
        parsed = numeric_dates(column, "date")
        if parsed is None:
            raise RnnExplorerError(
                f"column {quote(date)} holds numbers, not dates: use a column of dates such as "
                "2020-01-31 (or years like 1821), or no date column.", field="date")
        return parsed, ""
    dates, note, formats = parse_dates(column, date_format)
    if formats:
        raise _ambiguous_dates(column, date, formats)
    unread = np.flatnonzero(np.asarray(dates.isna()) & ~missing_mask(column))
    if len(unread):
        raise _not_a_date(frame, date, int(unread[0]), date_format)
    if dates.tz is not None:
        dates = dates.tz_convert("UTC").tz_localize(None)
        note = (note + " " if note else "") + "times with a time zone were converted to UTC."
    return dates, note


def _not_a_date(frame: pd.DataFrame, date: str, p: int, date_format: str) -> RnnExplorerError:
    """"column 'date' holds something that is not a date at line 5: ..." and how to fix it."""
    cell = quote(str(frame[date].iloc[p]).strip())
    place = f"column {quote(date)} holds something that is not a date at {where(frame, [p])[0]}: {cell}."
    if date_format != "auto":
        return RnnExplorerError(
            f"{place} It is not written {date_format} (day, month and year as numbers, "
            "separated by / . or -): choose the format the file uses, or auto.",
            field="date_format")
    return RnnExplorerError(
        f"{place} Write dates like 2020-01-31 (or 2020-01 for months), the same way in "
        "every row, or choose no date column.", field="date")


def parse_dates(column: pd.Series, date_format: str = "auto"
                ) -> tuple[pd.DatetimeIndex, str, tuple[str, ...]]:
    """Dates of a column (NaT where missing or unreadable), how they were read ("" or a note)
    and, when the order of day, month and year cannot be told from the data (several
    ``DATE_FORMATS`` read every row, with different dates), those formats (else empty)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return pd.DatetimeIndex(column), "", ()
    missing = missing_mask(column)
    parts = _date_parts(column, missing)
    if date_format != "auto":
        return _dates_in_order(parts, date_format), _century_note(date_format), ()
    known = np.flatnonzero(~missing)
    if not len(known) or not parts.matched[known[0]]:
        # not day, month and year as three numbers (2020-01, Jan 2020, ...): pandas reads it
        parsed = _to_datetime(pd.Series(parts.text, dtype=object))
        return pd.DatetimeIndex(parsed if parsed is not None else [pd.NaT] * len(column)), "", ()
    readings = [(fmt, _dates_in_order(parts, fmt)) for fmt in _DATE_ORDERS]
    unread = [int(np.count_nonzero(~missing & np.asarray(d.isna()))) for _, d in readings]
    full = [reading for reading, n in zip(readings, unread) if n == 0]
    if not full:  # no format reads every row: the one that reads most, to name a bad row
        return readings[int(np.argmin(unread))][1], "", ()
    fmt, dates = full[0]
    if any(not d.equals(dates) for _, d in full[1:]):
        return dates, "", tuple(f for f, _ in full)
    note = "" if fmt == "YYYY-MM-DD" else (
        f"dates read as {fmt}, the only order of day, month and year that fits every row.")
    century = _century_note(fmt)
    return dates, f"{note[:-1]}; {century}" if note and century else note or century, ()


def _century_note(fmt: str) -> str:
    """Two-digit years need a century: say which one was taken."""
    if "YYYY" in fmt:
        return ""
    return (f"two-digit years were read as {2000 + _PIVOT_YEAR - 100} to {2000 + _PIVOT_YEAR - 1}"
            " (write four digits for other years).")


class _DateParts(NamedTuple):
    """The cells of a date column split by ``_THREE_NUMBERS`` into plain numpy arrays (a
    column is read in up to six orders: pandas' per-call overhead would dominate)."""

    text: pd.Series  # the stripped cells, ASCII digits, None where missing
    matched: np.ndarray  # bool: the cell is three numbers (and maybe a time of day)
    numbers: np.ndarray  # (n, 3) int64, 0 where not matched
    widths: np.ndarray  # (n, 3) digits of each number
    times: np.ndarray  # object: the time of day after the date, "" if none


def _date_parts(column: pd.Series, missing: np.ndarray) -> _DateParts:
    text = column.astype(object).where(~missing, None)
    text = ascii_digits(text.map(lambda v: None if v is None else str(v).strip())).reset_index(drop=True)
    # a plain loop: pandas' str.extract costs several times more per cell
    found = [_THREE_NUMBERS.fullmatch(c) if isinstance(c, str) else None for c in text.tolist()]
    matched = np.array([m is not None for m in found], dtype=bool)
    groups = np.array([(m[1], m[3], m[4]) if m else ("0", "0", "0") for m in found], dtype=str)
    groups = groups.reshape(len(found), 3)  # digits only: numpy parses them
    numbers, widths = groups.astype(np.int64), np.char.str_len(groups).astype(np.int64)
    times = np.array([(m[5] or "") if m else "" for m in found] or [], dtype=object)
    return _DateParts(text, matched, numbers, widths, times)


def _dates_in_order(parts: _DateParts, fmt: str) -> pd.DatetimeIndex:
    """The dates of ``parts`` read in the order ``fmt``; NaT where a cell does not fit it (a
    month of 13, 31 April, a 4-digit YY, not three numbers)."""
    order = _DATE_ORDERS[fmt]
    pos = {code[0]: i for i, code in enumerate(order)}
    year, month, day = (parts.numbers[:, pos[c]] for c in "YMD")
    year_digits = len(order[pos["Y"]])
    ok = (parts.matched & (parts.widths[:, pos["Y"]] == year_digits)
          & (parts.widths[:, pos["M"]] <= 2) & (parts.widths[:, pos["D"]] <= 2)
          & (month >= 1) & (month <= 12) & (day >= 1))
    if year_digits == 2:
        year = year + np.where(year < _PIVOT_YEAR, 2000, 1900)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first = months.astype("datetime64[D]")
    ok &= day <= ((months + 1).astype("datetime64[D]") - first).astype(np.int64)
    dates = np.where(ok, first + (day - 1).astype("timedelta64[D]"), np.datetime64("NaT"))
    if not (ok & (parts.times != "")).any():
        return pd.DatetimeIndex(dates.astype("datetime64[us]"))
    # a time of day (and maybe a zone): pandas reads "YYYY-MM-DD <time>"
    iso = pd.Series(np.datetime_as_string(dates.astype("datetime64[D]")), dtype=object) + " " + parts.times
    parsed = _to_datetime(iso.str.strip().where(ok, None))
    return pd.DatetimeIndex(parsed if parsed is not None else [pd.NaT] * len(iso))


def _to_datetime(text: pd.Series) -> pd.Series | None:
    for utc in (False, True):
        try:
            return pd.Series(pd.to_datetime(text, errors="coerce", utc=utc))
        except (ValueError, TypeError, OverflowError):
            continue
    return None


def _ambiguous_dates(column: pd.Series, name: str, formats: Sequence[str]) -> RnnExplorerError:
    """"the order of day, month and year in column 'month' cannot be told ..." with the date
    that the formats read most differently, and how to choose."""
    parts = _date_parts(column, missing_mask(column))
    readings = [_dates_in_order(parts, f) for f in formats]
    distinct = pd.DataFrame({f: r for f, r in zip(formats, readings)}).nunique(axis=1).to_numpy()
    p = int(np.argmax(distinct))  # the first row that the formats read most differently
    ways = ", ".join(f"{format_date(r[p])} as {f}" for f, r in zip(formats, readings))
    return RnnExplorerError(
        f"the order of day, month and year in column {quote(name)} cannot be told from the dates: "
        f"{quote(str(parts.text[p]))} is {ways}. Choose the date format ({', '.join(formats)}) "
        "instead of auto (the \"Date format\" choice; --date-format on the command line).",
        field="date_format")


def looks_like_dates(column: pd.Series) -> bool:
    """Whether every value of a text column (its first ``_DATE_SAMPLE``) reads as a date."""
    head = column.iloc[:4 * _DATE_SAMPLE]
    values = head[~missing_mask(head)].iloc[:_DATE_SAMPLE]
    if len(values) < 2 or not re.search(r"\d", str(values.iloc[0])):
        return False
    for sample in (values.iloc[:20], values):  # a quick look first: most text is no date
        parsed, _, _ = parse_dates(sample)
        if parsed.isna().any():
            return False
    return True


def numeric_dates(column: pd.Series, name: str) -> pd.DatetimeIndex | None:
    """Years (1821) or compact dates (202001, 20200131) in a number column named like a date."""
    if not any(hint in name.lower() for hint in _DATE_NAME_HINTS):
        return None
    values, _ = column_numbers(column)
    known = values[~np.isnan(values)]
    if not len(known) or not np.all(known == np.round(known)):
        return None
    for lo, hi, fmt in _NUMERIC_DATE_FORMATS:
        if known.min() >= lo and known.max() <= hi:
            text = pd.Series([None if np.isnan(v) else str(int(v)) for v in values], dtype=object)
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
            if parsed.notna().sum() == len(known):
                return pd.DatetimeIndex(parsed)
    return None


def format_date(ts: pd.Timestamp) -> str:
    """A date as a message writes it: 2020-01-31, with the time of day when there is one.

    >>> format_date(pd.Timestamp("2020-01-31")), format_date(pd.Timestamp("2020-01-31 06:30"))
    ('2020-01-31', '2020-01-31 06:30')
    """
    if ts.hour == ts.minute == ts.second == ts.microsecond == 0:
        return ts.strftime("%Y-%m-%d")
    return ts.strftime("%Y-%m-%d %H:%M:%S") if ts.second else ts.strftime("%Y-%m-%d %H:%M")
