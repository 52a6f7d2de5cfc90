"""Bring your own data: read a CSV/TSV upload or link, inspect it, turn one column into a Series.

Three steps, each raising ``RnnExplorerError`` with a message that says what is wrong and how
to fix it (never any other exception):

1. ``read_table(bytes, filename)`` (or ``read_table(fetch_url(url))``): UTF-8 text, the delimiter
   sniffed among comma, semicolon and tab, one row per line. The frame's index holds the line
   number in the file, so every later message can say "line 14". Columns that hold only
   numbers (a decimal comma is accepted when the delimiter is not a comma, and so are
   thousands separators where a column's cells decide them; a column that could be read
   both ways gets a note in ``frame.attrs["number_notes"]``; every Unicode decimal digit is
   the digit it is) become float64, the others stay text; missing-value markers (empty, NA,
   n/a, null, NaN, ...) become NaN and nothing else does.
2. ``inspect(frame)``: which columns are numbers, which are dates, how many values are missing
   and where, which number column holds a stray piece of text.
3. ``to_series(frame, target, date, features, missing, date_format)``: the ``Series`` a run
   learns from, sorted by date (``date_format`` is the order of day, month and year; "auto"
   refuses an order the data does not decide), missing values stopped on, interpolated or
   dropped, plus a ``LoadReport``
   of everything that was done to the data (sorted, filled, dropped, gaps found).

>>> frame = read_table(b"month,sales\\n2020-01,5\\n2020-02,\\n2020-03,7\\n" + b"".join(
...     b"%d-%02d,%d\\n" % (2020 + m // 12, m % 12 + 1, m) for m in range(3, 24)))
>>> info = inspect(frame)
>>> info.numeric, info.dates, info.missing
(('sales',), ('month',), {'month': 0, 'sales': 1})
>>> series, features, report = to_series(frame, "sales", date="month", missing="interpolate")
>>> len(series), series.season, series.values[:3].tolist(), report.filled, report.frequency
(24, 12, [5.0, 6.0, 7.0], 1, 'monthly')
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, NamedTuple, Sequence, TypeVar

import numpy as np
import pandas as pd

from .config import MAX_SERIES_LENGTH, MIN_SERIES_LENGTH
from .data import Series
from .errors import RnnExplorerError, quote

# Named limits (the upload cap matches maxUploadSize = 20 in .streamlit/config.toml).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 1_000
MAX_ROWS = 4 * MAX_SERIES_LENGTH  # rows read from a file; a series keeps at most MAX_SERIES_LENGTH
MAX_CELLS = 5_000_000
MAX_ABS_VALUE = 1e30  # larger numbers overflow the network's float32 arithmetic
DELIMITERS = (",", ";", "\t")
MISSING_POLICIES = ("stop", "interpolate", "drop")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
# Cells read as "no value", compared lower-case after stripping spaces (pandas' defaults).
MISSING_TOKENS = frozenset({
    "", "na", "n/a", "nan", "-nan", "null", "none", "<na>", "nat", "#n/a", "#n/a n/a", "#na",
    "-1.#ind", "-1.#qnan", "1.#ind", "1.#qnan",
})
_DATE_NAME_HINTS = ("year", "date", "time", "jahr", "année", "annee", "año", "period")
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_LINES = 100
_DATE_SAMPLE = 500

__all__ = [
    "MAX_UPLOAD_BYTES", "MISSING_POLICIES", "DATE_FORMATS", "TableInfo", "LoadReport",
    "UnexpectedTableError", "read_table", "inspect", "to_series", "check_date_format", "fetch_url",
]


class UnexpectedTableError(RnnExplorerError):
    """A failure the checks did not foresee, still worded for the user (and worth reporting)."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _guard(what: str) -> Callable[[_F], _F]:
    """Let ``RnnExplorerError`` through and turn anything else into one: the UI only ever
    catches ``RnnExplorerError``, and a user file must never crash a page."""

    def wrap(func: _F) -> _F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return func(*args, **kwargs)
            except RnnExplorerError:
                raise
            except RecursionError:
                raise UnexpectedTableError(f"could not {what}: the input is nested too deeply.") from None
            except Exception as err:  # noqa: BLE001 - the contract: one error type
                raise UnexpectedTableError(
                    f"could not {what} ({type(err).__name__}: {err}). Check that it is a plain "
                    "CSV table (one header row, then one row per time step); if it is, please "
                    "report this problem with the file."
                ) from err

        return inner  # type: ignore[return-value]

    return wrap


# --------------------------------------------------------------------------------------------
# reading


def _excel_available() -> bool:
    return importlib.util.find_spec("openpyxl") is not None


@_guard("read the file")
def read_table(data: bytes | bytearray | memoryview | str, filename: str = "",
               max_bytes: int = MAX_UPLOAD_BYTES) -> pd.DataFrame:
    """A table from the bytes of a CSV or TSV file (UTF-8; delimiter comma, semicolon or tab).

    The index is the line number of each row in the file (name ``"line"``); number columns
    are float64, the others text with NaN for missing cells. ``frame.attrs`` records the
    ``delimiter``, the ``decimal`` mark, whether a ``header`` row was found and the ``source``.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise RnnExplorerError(f"expected the bytes of a file, got {type(data).__name__}.")
    data = bytes(data)
    name = f"{quote(filename)}" if filename else "the file"
    if len(data) > max_bytes:
        raise RnnExplorerError(
            f"{name} is {_mb(len(data))}, more than the limit of {_mb(max_bytes)}. Upload a "
            "shorter extract (fewer rows or only the columns you need).", field="file")
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if f".{suffix}" in EXCEL_SUFFIXES or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return _read_excel(data, name)
    text = _decode(data, name)
    if not text.strip():
        raise RnnExplorerError(f"{name} is empty: upload a CSV file with a header row and one "
                               "row per time step.", field="file")
    head = text.lstrip()[:64].lower()
    if head.startswith(("<!doctype html", "<html")):
        raise RnnExplorerError(f"{name} is a web page (HTML), not a table: save or link the "
                               "raw CSV file instead.", field="file")
    delimiter = _sniff(text)
    header, has_header, rows, lines = _parse(text, delimiter, name)
    return _frame(header, has_header, rows, lines, delimiter, filename)


def _mb(n: int) -> str:
    """A size in words: 20 MB, 20.5 MB, 1.2 KB, 1000 bytes."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            # rounded up, so a file just over a 20 MB limit reads 20.1 MB, not 20.0 MB
            return f"{n // size} {unit}" if n % size == 0 else f"{math.ceil(n / size * 10) / 10:.1f} {unit}"
    return f"{n} bytes"


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RnnExplorerError(
            f"{name} is UTF-16 text (Excel's \"Unicode text\"), not UTF-8: save it as "
            "\"CSV UTF-8\" (Excel: File > Save As > CSV UTF-8) and upload that.", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        offset = err.start
        line = data[:offset].count(b"\n") + 1
        raise RnnExplorerError(
            f"{name} is not UTF-8 text: byte 0x{data[offset]:02X} at offset {offset:,} (line "
            f"{line:,}) is not valid UTF-8. The file is probably saved in a legacy encoding "
            "such as Windows-1252 or Latin-1: save it as \"CSV UTF-8\" (Excel: File > Save As "
            "> CSV UTF-8; LibreOffice: character set Unicode (UTF-8)) and upload it again.",
            field="file") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise RnnExplorerError(
            f"{name} holds a NUL byte (offset {nul:,}): it looks like a binary file, not a "
            "text table. Export the data as CSV and upload that.", field="file")
    return text


def _sniff(text: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the first lines most
    consistently into the most numeric cells; a comma for a one-column file."""
    sample = text[:_SAMPLE_CHARS]
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    if len(sample) < len(text) and len(lines) > 1:
        lines = lines[:-1]  # possibly cut in the middle
    lines = lines[:_SAMPLE_LINES]
    best, best_key = ",", None
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(lines, delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = [len(r) for r in rows]
        mode = max(set(widths), key=lambda w: (widths.count(w), w))
        if mode < 2:
            continue
        consistency = widths.count(mode) / len(widths)
        numeric = sum(_looks_numeric(cell, delimiter) for r in rows[1:] for cell in r)
        key = (consistency >= 0.9, numeric, consistency, mode)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    return best


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?(\d+,\d+|\d+)")


def _looks_numeric(cell: str, delimiter: str) -> bool:
    cell = cell.strip()
    return bool(_NUMBER.fullmatch(cell) or (delimiter != "," and _DECIMAL_COMMA.fullmatch(cell)))


def _parse(text: str, delimiter: str, name: str) -> tuple[list[str], bool, list[list[str]], list[int]]:
    """Column names, whether the file had a header row, the data rows (padded to the
    header's width) and the line each row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row: list[str] = []
    start = 0
    header: list[str] | None = None
    has_header = True
    rows: list[list[str]] = []
    lines: list[int] = []
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                if len(row) > MAX_COLUMNS:
                    raise RnnExplorerError(
                        f"{name} has {len(row):,} columns; at most {MAX_COLUMNS:,} are "
                        "supported. Keep only the columns you need.", field="file")
                if all(_looks_numeric(c, delimiter) for c in row):  # no header row
                    header = [f"column {i + 1}" for i in range(len(row))]
                    has_header = False
                else:
                    header = _names(row)
                    continue
            width = len(header)
            if len(row) > width:
                if any(cell.strip() for cell in row[width:]):
                    raise RnnExplorerError(
                        f"line {start:,} of {name} has {len(row)} fields but the header has "
                        f"{width}: check the delimiter (read as {_delimiter_name(delimiter)}) and "
                        "that text containing the delimiter is in double quotes.", field="file")
                row = row[:width]
            elif len(row) < width:
                row = row + [""] * (width - len(row))
            rows.append(row)
            lines.append(start)
            if len(rows) > MAX_ROWS or len(rows) * width > MAX_CELLS:
                size = (f"more than {MAX_ROWS:,} data rows" if len(rows) > MAX_ROWS
                        else f"more than {MAX_CELLS:,} cells ({width:,} columns)")
                raise RnnExplorerError(
                    f"{name} has {size}: too large to read. A series holds at most {MAX_SERIES_LENGTH:,} values: upload the "
                    "last rows only, fewer columns, or aggregate (e.g. hourly to daily).",
                    field="file")
        # csv reads an unclosed quote as one cell running to the end of the file
        if (end > start and any("\n" in c or "\r" in c for c in row)
                and text.count('"') % 2 == 1):
            raise RnnExplorerError(
                f"line {start:,} of {name} opens a double quote (\") that is never closed, so "
                "the rest of the file was read as one cell: close or remove that quote.",
                field="file")
    except csv.Error as err:
        raise RnnExplorerError(
            f"{name} is not a readable CSV table near line {reader.line_num:,} ({err}). Check "
            "for an unclosed double quote.", field="file") from None
    if header is None:
        raise RnnExplorerError(
            f"{name} holds no values, only delimiters and blank cells: upload a CSV file with a "
            "header row and one row per time step.", field="file")
    if not rows:
        shown = ", ".join(header[:5]) + (", ..." if len(header) > 5 else "")
        raise RnnExplorerError(
            f"{name} has a header row ({shown}) but no data rows: add one row per time step "
            "below the header.", field="file")
    return header, has_header, rows, lines


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


def _names(row: Sequence[str]) -> list[str]:
    names: list[str] = []
    for i, cell in enumerate(row):
        base = cell.strip() or f"column {i + 1}"
        candidate, k = base, 2
        while candidate in names:
            candidate, k = f"{base} ({k})", k + 1
        names.append(candidate)
    return names


def _frame(header: list[str], has_header: bool, rows: list[list[str]], lines: list[int], delimiter: str,
           source: str) -> pd.DataFrame:
    columns: dict[str, Any] = {}
    decimal = "."
    number_notes: dict[str, str] = {}
    cells = list(zip(*rows))
    for i, name in enumerate(header):
        text = pd.Series(np.array(cells[i], dtype=object)).str.strip()
        missing = text.str.lower().isin(MISSING_TOKENS).to_numpy()
        numbers, mark, note = _column_numbers(name, text, missing, delimiter)
        if numbers is not None:
            columns[name] = numbers
            decimal = "," if mark == "," else decimal
            if note:
                number_notes[name] = note
        else:
            columns[name] = pd.Series(np.where(missing, None, text.to_numpy()), dtype=object)
    frame = pd.DataFrame({k: np.asarray(v) if isinstance(v, np.ndarray) else v.to_numpy()
                          for k, v in columns.items()})
    frame.index = pd.Index(lines, name="line")
    frame.attrs.update(delimiter=delimiter, decimal=decimal, header=has_header, source=source,
                       number_notes=number_notes)
    return frame


# How a column's numbers may be written: (decimal mark, thousands mark or ""), in the order
# preferred when several readings fit every cell. A comma file cannot hold a decimal comma or
# an unquoted grouping comma, so it only reads the decimal point (as it always did).
_NUMBER_READINGS = ((".", ""), (",", ""), (",", "."), (".", ","))
_MARK_NAMES = {".": "decimal point", ",": "decimal comma"}


def _column_numbers(name: str, text: pd.Series, missing: np.ndarray, delimiter: str
                    ) -> tuple[np.ndarray | None, str, str]:
    """A column's float64 values (None when some cell is text), its decimal mark, and a note
    when another way of writing numbers (e.g. 1.037 = 1037 with . grouping thousands) would
    also read every cell but give other values: the first reading that fits is kept, and the
    note says what was assumed."""
    text = _ascii_digits(text)
    readings = _NUMBER_READINGS if delimiter != "," else _NUMBER_READINGS[:1]
    fits: list[tuple[tuple[str, str], np.ndarray]] = []
    for reading in readings:
        values = _read_numbers(text, missing, reading)
        if values is not None:
            fits.append((reading, values))
    if not fits:
        return None, ".", ""
    (reading, values), note = fits[0], ""
    for other, alt in fits[1:]:
        differ = np.flatnonzero(~np.isclose(values, alt, rtol=0, atol=0, equal_nan=True))
        if len(differ):
            note = _grouping_note(name, str(text.iloc[differ[0]]), reading, values[differ[0]],
                                  other, alt[differ[0]])
            break
    mark = reading[0] if text[~missing].str.contains(reading[0], regex=False).any() else "."
    return values, mark, note


def _read_numbers(text: pd.Series, missing: np.ndarray, reading: tuple[str, str]) -> np.ndarray | None:
    """The values of cells written with ``reading``'s marks, or None if one cell is not."""
    decimal, group = reading
    if not group:
        if decimal == ".":
            numbers, bad = _parse_numbers(text, missing)
            return None if bad.any() else numbers
        ok = text[~missing].str.fullmatch(_DECIMAL_COMMA.pattern)
        if not ok.all():
            return None
        numbers, bad = _parse_numbers(text.str.replace(",", ".", regex=False), missing)
        return None if bad.any() else numbers
    g, d = re.escape(group), re.escape(decimal)
    if not text[~missing].str.fullmatch(rf"[+-]?([1-9]\d{{0,2}}({g}\d{{3}})+|\d+)({d}\d+)?").all():
        return None
    plain = text.str.replace(group, "", regex=False).str.replace(decimal, ".", regex=False)
    numbers, bad = _parse_numbers(plain, missing)
    return None if bad.any() else numbers


def _grouping_note(name: str, cell: str, reading: tuple[str, str], value: float,
                   other: tuple[str, str], alt: float) -> str:
    """"column 'price': 1.037 read as 1.037 (decimal point); if . groups thousands in this
    file, 1.037 is 1037: ..." for a column whose marks could be read two ways."""
    def num(v: float) -> str:
        return np.format_float_positional(v, trim="-")

    def describe(r: tuple[str, str]) -> str:
        return _MARK_NAMES[r[0]] + (f", {r[1]} grouping thousands" if r[1] else "")

    if other[1] and other[1] not in reading[1]:
        alternative = f"{other[1]} groups thousands"
    else:
        alternative = f"{other[0]} is the decimal mark"
    return (f"column {quote(name)}: {quote(cell)} read as {num(value)} ({describe(reading)}); if "
            f"{alternative} in this file, it is {num(alt)}: write the numbers without "
            "thousands separators to make sure.")


def _ascii_digits(text: pd.Series) -> pd.Series:
    """Cells with every Unicode decimal digit (Arabic-Indic ١٢, full-width １２, ...) written as
    the ASCII digit it is, as Python's float() reads them, so that ١٢ is 12 and not text."""
    if "".join(v for v in text.tolist() if isinstance(v, str)).isascii():
        return text
    return text.map(lambda v: _ANY_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), v)
                    if isinstance(v, str) and not v.isascii() else v)


_ANY_DIGIT = re.compile(r"(?![0-9])\d")  # \d is every Unicode decimal digit (str.isdecimal)


def _parse_numbers(text: pd.Series, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float64 values (NaN where missing or not a number) and the mask of cells that hold
    something that is not a number (never counted as missing)."""
    candidates = _ascii_digits(text.where(~missing))
    ok = candidates.str.fullmatch(_NUMBER.pattern + r"|[+-]?(inf|infinity)", case=False)
    ok = ok.fillna(False).astype(bool).to_numpy()
    numbers = pd.to_numeric(candidates.where(ok), errors="coerce")
    numbers = np.asarray(numbers, dtype=np.float64)
    return numbers, ~missing & (~ok | np.isnan(numbers))


def _read_excel(data: bytes, name: str) -> pd.DataFrame:
    if not _excel_available():
        raise RnnExplorerError(
            f"{name} is an Excel (or OpenDocument) workbook, which cannot be read here: save "
            "the sheet as CSV (Excel: File > Save As > CSV UTF-8) and upload that.", field="file")
    frame = pd.read_excel(io.BytesIO(data), sheet_name=0)
    if frame.empty:
        raise RnnExplorerError(f"the first sheet of {name} holds no data rows.", field="file")
    frame = frame.dropna(how="all")
    frame.columns = _names([str(c) if not str(c).startswith("Unnamed:") else "" for c in frame.columns])
    frame.index = pd.Index(frame.index + 2, name="row")  # spreadsheet row numbers
    for col in frame.columns:
        if frame[col].dtype == object:
            values, bad = _numbers(frame[col])
            if not bad.any() and np.isfinite(values).any():
                frame[col] = values
    frame.attrs.update(delimiter=None, decimal=".", header=True, source=name)
    return frame


# --------------------------------------------------------------------------------------------
# inspecting


@dataclass(frozen=True)
class TableInfo:
    """What a table holds, for choosing the target, the date and the feature columns.

    ``numeric``: columns of numbers only; ``text_in_numeric``: columns mostly of numbers with
    some text, mapped to where the first text cell is and what it says (``to_series`` refuses
    them with that message); ``dates``: columns whose values all read as dates;
    ``missing``/``first_missing``: per column, the count of empty cells and where the first
    ones are ("line 5", or "row 5" for a frame that does not come from ``read_table``);
    ``number_notes``: per number column whose marks could be read two ways (1.037 or 1037),
    what was assumed; ``date_formats``: per date column whose order of day, month and year
    the data does not decide, the ``DATE_FORMATS`` that read it (``to_series`` needs one).
    """

    n_rows: int
    columns: tuple[str, ...]
    numeric: tuple[str, ...]
    dates: tuple[str, ...]
    missing: dict[str, int]
    first_missing: dict[str, tuple[str, ...]]
    text_in_numeric: dict[str, tuple[str, str]] = field(default_factory=dict)
    delimiter: str | None = None
    number_notes: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def targets(self) -> tuple[str, ...]:
        """Columns offered as the value to forecast: number columns in table order, those
        that also read as dates (a year column) last."""
        cols = [c for c in self.columns if c in self.numeric or c in self.text_in_numeric]
        return tuple(sorted(cols, key=lambda c: c in self.dates))

    def missing_text(self, column: str) -> str:
        """"3 missing (lines 5, 9, 12)" or "none missing"."""
        n = self.missing.get(column, 0)
        if not n:
            return "none missing"
        return f"{n:,} missing ({_listing(self.first_missing[column], n)})"


def _listing(where: Sequence[str], total: int) -> str:
    if not where:
        return ""
    kind = where[0].split(" ")[0]
    numbers = ", ".join(w.split(" ", 1)[1] for w in where)
    more = f" and {total - len(where):,} more" if total > len(where) else ""
    return f"{kind}{'s' if total > 1 else ''} {numbers}{more}"


def _where(frame: pd.DataFrame, positions: Iterable[int]) -> list[str]:
    index = frame.index
    kind = index.name if index.name in ("line", "row") else None
    out = []
    for p in positions:
        label = index[p]
        if kind and isinstance(label, (int, np.integer)):
            out.append(f"{kind} {label:,}")
        else:
            out.append(f"row {p + 1:,}")
    return out


@_guard("inspect the table")
def inspect(frame: pd.DataFrame) -> TableInfo:
    """Number, date and missing-value facts of a table; raises if no column holds numbers."""
    _check_frame(frame)
    numeric, dates, mixed = [], [], {}
    missing, first_missing, date_formats = {}, {}, {}
    for pos, col in enumerate(frame.columns):
        name = str(col)
        values, bad = _numbers(frame.iloc[:, pos])
        holes = np.flatnonzero(_missing_mask(frame.iloc[:, pos]))
        missing[name] = int(len(holes))
        first_missing[name] = tuple(_where(frame, holes[:5]))
        n_numbers = int(np.count_nonzero(~np.isnan(values)))
        if n_numbers and not bad.any():
            numeric.append(name)
            if _numeric_dates(frame.iloc[:, pos], name) is not None:
                dates.append(name)
        elif n_numbers and n_numbers >= bad.sum():
            first = int(np.flatnonzero(bad)[0])
            mixed[name] = (_where(frame, [first])[0], str(frame.iloc[first, pos]))
        elif bad.any() and _looks_like_dates(frame.iloc[:, pos]):
            dates.append(name)
            formats = _parse_dates(frame.iloc[:, pos])[2]
            if formats:
                date_formats[name] = formats
    if not numeric and not mixed:
        shown = ", ".join(repr(str(c)) for c in frame.columns[:8])
        hint = ("" if frame.attrs.get("delimiter") != "," else
                " If the numbers use a decimal comma, separate the columns with semicolons.")
        raise RnnExplorerError(
            f"no column of the table holds numbers (columns: {shown}{', ...' if frame.shape[1] > 8 else ''}): "
            "a series needs one column of numbers, one row per time step. Check the delimiter "
            f"and that numbers are written like 12.5, without units or currency signs.{hint}",
            field="target")
    return TableInfo(len(frame), tuple(str(c) for c in frame.columns), tuple(numeric),
                     tuple(dates), missing, first_missing, mixed, frame.attrs.get("delimiter"),
                     dict(frame.attrs.get("number_notes") or {}), date_formats)


def _check_frame(frame: Any) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise RnnExplorerError(f"expected a table, got {type(frame).__name__}.")
    if frame.shape[1] == 0 or len(frame) == 0:
        raise RnnExplorerError("the table has no data rows: add one row per time step below "
                               "the header.", field="file")
    names = pd.Index([str(c) for c in frame.columns])
    if not names.is_unique:
        dup = names[names.duplicated()][0]
        raise RnnExplorerError(f"the column name {quote(str(dup))} appears twice: give every column "
                               "its own name.", field="file")


def _missing_mask(column: pd.Series) -> np.ndarray:
    mask = column.isna().to_numpy()
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        text = column.astype(object).where(~mask, "").astype(str).str.strip().str.lower()
        mask = mask | text.isin(MISSING_TOKENS).to_numpy()
    return np.asarray(mask, dtype=bool)


def _numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column as float64 (NaN where missing) and the mask of cells that are not numbers."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or (
            pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype)):
        return column.to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(column), bool)
    missing = _missing_mask(column)
    if pd.api.types.is_datetime64_any_dtype(dtype) or isinstance(dtype, pd.PeriodDtype):
        return np.full(len(column), np.nan), ~missing
    text = column.astype(object).where(~missing, "").astype(str).str.strip()
    return _parse_numbers(text, missing)


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


def _parse_dates(column: pd.Series, date_format: str = "auto"
                 ) -> tuple[pd.DatetimeIndex, str, tuple[str, ...]]:
    """Dates of a column (NaT where missing or unreadable), how they were read ("" or a note)
    and, when the order of day, month and year cannot be told from the data (several
    ``DATE_FORMATS`` read every row, with different dates), those formats (else empty)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return pd.DatetimeIndex(column), "", ()
    missing = _missing_mask(column)
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


# Named orders of day, month and year for dates written as three numbers, separated by any
# of / . - (2020-01-31, 31.01.2020, 01/31/20): "auto" takes the one that reads every row, and
# asks the user when several do with different dates (01/02/2001: 1 February or 2 January?).
DATE_FORMATS = ("auto", "YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "YY-MM-DD", "DD/MM/YY", "MM/DD/YY")
_DATE_ORDERS = {name: tuple(re.split(r"[./-]", name)) for name in DATE_FORMATS[1:]}
_THREE_NUMBERS = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:[ T](.+))?")
_PIVOT_YEAR = 69  # two-digit years: 00-68 are 2000-2068, 69-99 are 1969-1999 (as strptime's %y)


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
    text = _ascii_digits(text.map(lambda v: None if v is None else str(v).strip())).reset_index(drop=True)
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
    parts = _date_parts(column, _missing_mask(column))
    readings = [_dates_in_order(parts, f) for f in formats]
    distinct = pd.DataFrame({f: r for f, r in zip(formats, readings)}).nunique(axis=1).to_numpy()
    p = int(np.argmax(distinct))  # the first row that the formats read most differently
    ways = ", ".join(f"{_fmt_date(r[p])} as {f}" for f, r in zip(formats, readings))
    return RnnExplorerError(
        f"the order of day, month and year in column {quote(name)} cannot be told from the dates: "
        f"{quote(str(parts.text[p]))} is {ways}. Choose the date format ({', '.join(formats)}) "
        "instead of auto (the \"Date format\" choice; --date-format on the command line).",
        field="date_format")


def _looks_like_dates(column: pd.Series) -> bool:
    head = column.iloc[:4 * _DATE_SAMPLE]
    values = head[~_missing_mask(head)].iloc[:_DATE_SAMPLE]
    if len(values) < 2 or not re.search(r"\d", str(values.iloc[0])):
        return False
    for sample in (values.iloc[:20], values):  # a quick look first: most text is no date
        parsed, _, _ = _parse_dates(sample)
        if parsed.isna().any():
            return False
    return True


_NUMERIC_DATE_FORMATS = ((1000, 2999, "%Y"), (100001, 299912, "%Y%m"), (10000101, 29991231, "%Y%m%d"))


def _numeric_dates(column: pd.Series, name: str) -> pd.DatetimeIndex | None:
    """Years (1821) or compact dates (202001, 20200131) in a number column named like a date."""
    if not any(hint in name.lower() for hint in _DATE_NAME_HINTS):
        return None
    values, _ = _numbers(column)
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


# --------------------------------------------------------------------------------------------
# the series


@dataclass(frozen=True)
class LoadReport:
    """Everything ``to_series`` did to the data, and sentences for the user (``notes``)."""

    target: str
    date: str | None
    features: tuple[str, ...]
    rows_read: int
    rows_used: int
    missing_policy: str
    sorted_by_date: bool = False
    filled: int = 0
    dropped: int = 0
    frequency: str | None = None
    missing_periods: int = 0
    gaps: int = 0
    season: int | None = None
    notes: tuple[str, ...] = ()


@_guard("turn the table into a series")
def to_series(frame: pd.DataFrame, target: str, date: str | None = None,
              features: Sequence[str] = (), missing: str = "stop", date_format: str = "auto"
              ) -> tuple[Series, np.ndarray | None, LoadReport]:
    """The ``Series`` of column ``target`` (indexed by ``date`` if given), the (n, F) array of
    the ``features`` columns aligned with it (None without features) and a ``LoadReport``.

    ``missing``: "stop" refuses empty cells (saying how many and where), "interpolate" fills
    them linearly (ends: the nearest value), "drop" removes their rows. ``date_format`` (one
    of ``DATE_FORMATS``) is the order of day, month and year in the dates; "auto" refuses
    dates whose order the data does not decide (01/02/2001). Rows are sorted by date
    (reported); repeated dates, text in a number column, infinite or huge values, a constant
    target and a length outside [MIN_SERIES_LENGTH, MAX_SERIES_LENGTH] raise.
    """
    _check_frame(frame)
    if missing not in MISSING_POLICIES:
        raise RnnExplorerError(f"missing={quote(missing)} is not valid: choose one of "
                               + ", ".join(MISSING_POLICIES) + ".", field="missing")
    date_format = check_date_format(date_format)
    columns = [str(c) for c in frame.columns]
    frame = frame.set_axis(columns, axis=1)
    target, date = str(target), None if date is None else str(date)
    features = tuple(dict.fromkeys(str(f) for f in features))
    _check_columns(columns, target, date, features)
    number_notes = frame.attrs.get("number_notes") or {}
    notes: list[str] = [number_notes[c] for c in (target, *features) if c in number_notes]
    rows_read = len(frame)
    data = _number_columns(frame, target, features)
    keep = np.ones(rows_read, dtype=bool)
    dates: pd.DatetimeIndex | None = None
    if date is not None:
        dates, note = _date_column(frame, date, date_format)
        notes += [note] if note else []
        keep &= ~_missing_dates(frame, dates, date, missing)

    holes = {name: np.isnan(v) for name, v in data.items()}
    any_hole = np.logical_or.reduce(list(holes.values()))
    if missing == "stop" and any_hole.any():
        raise _missing_error(frame, holes)
    dropped = 0
    if missing == "drop":
        keep &= ~any_hole
        dropped = int(rows_read - keep.sum())
        if dropped:
            notes.append(f"dropped {dropped:,} row{'s' if dropped > 1 else ''} with missing values.")
    order = np.flatnonzero(keep)
    index: pd.Index = pd.RangeIndex(len(order), name="t")
    spacing: tuple[str | None, int | None, int, int] = (None, None, 0, 0)
    sorted_by_date = False
    if dates is not None:
        order, index, sorted_by_date, spacing = _by_date(frame, dates, order, date, notes)
    values = {name: v[order] for name, v in data.items()}
    filled = _interpolate(values, notes) if missing == "interpolate" else 0
    _check_values(frame, values, order, target, dropped)

    series = Series(values[target], index, target, unit="", season=spacing[1])
    feature_array = None
    if features:
        feature_array = np.column_stack([values[f] for f in features]).astype(np.float64)
    frequency, season, missing_periods, gaps = spacing
    report = LoadReport(target, date, features, rows_read, len(order), missing, sorted_by_date,
                        filled, dropped, frequency, missing_periods, gaps, season, tuple(notes))
    return series, feature_array, report


def _number_columns(frame: pd.DataFrame, target: str, features: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The target's and the features' values (NaN where missing); raises on text or no number."""
    data: dict[str, np.ndarray] = {}
    for name in (target, *features):
        values, bad = _numbers(frame[name])
        role = "target" if name == target else "features"
        if bad.any():
            raise _text_error(frame, name, int(np.flatnonzero(bad)[0]), int(np.count_nonzero(bad)), role=role)
        if np.isnan(values).all():
            raise RnnExplorerError(
                f"column {quote(name)} holds no numbers: all {len(values):,} cells are empty or "
                "missing. Choose another column.", field=role)
        data[name] = values
    return data


def _missing_dates(frame: pd.DataFrame, dates: pd.DatetimeIndex, date: str, missing: str) -> np.ndarray:
    """The rows without a date, to drop; raises unless ``missing`` is "drop"."""
    no_date = np.asarray(dates.isna())
    if no_date.any() and missing != "drop":
        n = int(no_date.sum())
        where = _where(frame, np.flatnonzero(no_date)[:5])
        raise RnnExplorerError(
            f"the date column {quote(date)} has {n:,} empty cell{'s' if n > 1 else ''} "
            f"({_listing(where, n)}): fill in the dates, remove those rows, or choose "
            "'drop' for missing values.", field="missing")
    return no_date


def _missing_error(frame: pd.DataFrame, holes: dict[str, np.ndarray]) -> RnnExplorerError:
    """"3 missing values: 'sales' has 3 (lines 5, 9, 12). Fill them ..." for missing="stop"."""
    parts = []
    for name, mask in holes.items():
        n = int(mask.sum())
        if n:
            parts.append(f"{quote(name)} has {n:,} ({_listing(_where(frame, np.flatnonzero(mask)[:5]), n)})")
    total = int(sum(m.sum() for m in holes.values()))
    return RnnExplorerError(
        f"{total:,} missing value{'s' if total > 1 else ''}: " + "; ".join(parts) + ". Fill "
        "them in the file, or choose 'interpolate' (fill linearly between neighbours) or "
        "'drop' (remove those rows) for missing values.", field="missing")


def _by_date(frame: pd.DataFrame, dates: pd.DatetimeIndex, order: np.ndarray, date: str, notes: list[str]
             ) -> tuple[np.ndarray, pd.DatetimeIndex, bool, tuple[str | None, int | None, int, int]]:
    """The kept rows sorted by date (said in ``notes``), their dates as the index, whether
    they were sorted, and (frequency, season, missing periods, gaps); raises on a repeated date."""
    kept_dates = dates[order]
    sorted_by_date = not kept_dates.is_monotonic_increasing
    if sorted_by_date:
        order = order[np.argsort(kept_dates.asi8, kind="stable")]
        kept_dates = dates[order]
        notes.append(f"the rows were not in date order: sorted them by {quote(date)}.")
    _check_duplicates(frame, kept_dates, order, date)
    freq = _frequency(kept_dates)
    spacing: tuple[str | None, int | None, int, int] = (None, None, 0, 0)
    if freq is not None:
        frequency, season, missing_periods, gaps, first_gap = freq
        spacing = (frequency, season, missing_periods, gaps)
        if missing_periods:
            notes.append(
                f"the {frequency} dates have {gaps:,} gap{'s' if gaps > 1 else ''} "
                f"({missing_periods:,} missing date{'s' if missing_periods > 1 else ''}, the "
                f"first after {_fmt_date(first_gap)}); the network treats the values as "
                "evenly spaced.")
    elif len(kept_dates) >= 3:
        notes.append("the dates are irregularly spaced: the network treats the values as "
                     "evenly spaced.")
    return order, pd.DatetimeIndex(kept_dates, name=date), sorted_by_date, spacing


def _interpolate(values: dict[str, np.ndarray], notes: list[str]) -> int:
    """Fill the missing values of every column linearly (ends: the nearest value), in place;
    returns how many were filled."""
    filled = 0
    for name, v in values.items():
        n = int(np.isnan(v).sum())
        if not n:
            continue
        if np.isnan(v).all():
            raise RnnExplorerError(f"column {quote(name)} holds no numbers in the rows kept.", field="target")
        pos = np.arange(len(v))
        ok = ~np.isnan(v)
        values[name] = np.interp(pos, pos[ok], v[ok])
        filled += n
        ends = int((pos < pos[ok][0]).sum() + (pos > pos[ok][-1]).sum())
        notes.append(f"filled {n:,} missing value{'s' if n > 1 else ''} of {quote(name)} by "
                     "linear interpolation"
                     + (f" ({ends} at the start or end copied from the nearest value)." if ends else "."))
    return filled


def _check_values(frame: pd.DataFrame, values: dict[str, np.ndarray], order: np.ndarray, target: str,
                  dropped: int) -> None:
    """Values a network can use: finite, not huge, not constant, a usable length."""
    for name, v in values.items():
        bad = np.flatnonzero(~np.isfinite(v) | (np.abs(v) > MAX_ABS_VALUE))
        if len(bad):
            p = int(order[bad[0]])
            raise RnnExplorerError(
                f"column {quote(name)} has a value too large to train on at {_where(frame, [p])[0]} "
                f"({quote(str(frame[name].iloc[p]))}): values must be finite and at most "
                f"{MAX_ABS_VALUE:g} in size. Fix that cell, or rescale the column (e.g. divide by 1e6).",
                field="target" if name == target else "features")
    n = len(order)
    if n < MIN_SERIES_LENGTH:
        why = f" after dropping {dropped:,} rows with missing values" if dropped else ""
        raise RnnExplorerError(
            f"column {quote(target)} gives only {n:,} value{'s' if n != 1 else ''}{why}; a series "
            f"needs at least {MIN_SERIES_LENGTH}, so the network has windows to learn from and "
            "to be tested on. Upload more rows.", field="target")
    if n > MAX_SERIES_LENGTH:
        raise RnnExplorerError(
            f"column {quote(target)} gives {n:,} values; the limit is {MAX_SERIES_LENGTH:,}. Upload "
            f"only the last {MAX_SERIES_LENGTH:,} rows, or aggregate (e.g. hourly to daily "
            "means).", field="target")
    for name, v in values.items():
        if v.max() == v.min():
            role = "the target" if name == target else "the feature"
            raise RnnExplorerError(
                f"{role} column {quote(name)} is constant (every value is {v[0]:g}): a constant "
                "column has nothing to learn from. Choose another column.",
                field="target" if name == target else "features")


def _check_columns(columns: list[str], target: str, date: str | None, features: tuple[str, ...]) -> None:
    shown = ", ".join(repr(c) for c in columns[:12]) + (", ..." if len(columns) > 12 else "")
    for role, name in (("target", target), ("date", date), *(("features", f) for f in features)):
        if name is not None and name not in columns:
            raise RnnExplorerError(f"there is no column {quote(name)} in the table; the columns are "
                                   f"{shown}.", field=role)
    if date is not None and date == target:
        raise RnnExplorerError(f"{quote(target)} cannot be both the value to forecast and the date: "
                               "choose another date column, or none.", field="date")
    for f in features:
        if f == target:
            raise RnnExplorerError(
                f"{quote(f)} is the target: its past values are always an input, so remove it from "
                "the features.", field="features")
        if f == date:
            raise RnnExplorerError(f"{quote(f)} is the date column and cannot also be a feature.",
                                   field="features")


def _text_error(frame: pd.DataFrame, name: str, position: int, count: int, role: str) -> RnnExplorerError:
    value = str(frame[name].iloc[position]).strip()
    where = _where(frame, [position])[0]
    hint = ""
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", value):
        hint = " It looks like a thousands separator: remove the commas."
    elif _DECIMAL_COMMA.fullmatch(value):
        hint = (" It looks like a decimal comma: write 1.5 instead of 1,5, or separate the "
                "columns with semicolons.")
    elif re.search(r"\d", value):
        hint = " Remove units, currency or percent signs: keep the number only."
    more = f" ({count - 1:,} more cell{'s' if count > 2 else ''} like it)" if count > 1 else ""
    return RnnExplorerError(
        f"column {quote(name)} holds text where a number is expected: {where} has {quote(value)}{more}."
        f"{hint} Fix or empty that cell (empty cells count as missing values), or choose "
        "another column.", field=role)


def _date_column(frame: pd.DataFrame, date: str, date_format: str = "auto"
                 ) -> tuple[pd.DatetimeIndex, str]:
    """The dates of column ``date`` and a note on how they were read; raises on a cell that is
    no date (in ``date_format``) and, in "auto", when the order of day and month is open."""
    column = frame[date]
    values, bad = _numbers(column)
    if not bad.any() and not np.isnan(values).all() and not pd.api.types.is_datetime64_any_dtype(column.dtype):
        parsed = _numeric_dates(column, "date")
        if parsed is None:
            raise RnnExplorerError(
                f"column {quote(date)} holds numbers, not dates: use a column of dates such as "
                "2020-01-31 (or years like 1821), or no date column.", field="date")
        return parsed, ""
    dates, note, formats = _parse_dates(column, date_format)
    if formats:
        raise _ambiguous_dates(column, date, formats)
    unread = np.flatnonzero(np.asarray(dates.isna()) & ~_missing_mask(column))
    if len(unread):
        p = int(unread[0])
        cell = quote(str(column.iloc[p]).strip())
        where = f"column {quote(date)} holds something that is not a date at {_where(frame, [p])[0]}: {cell}."
        if date_format != "auto":
            raise RnnExplorerError(
                f"{where} It is not written {date_format} (day, month and year as numbers, "
                "separated by / . or -): choose the format the file uses, or auto.",
                field="date_format")
        raise RnnExplorerError(
            f"{where} Write dates like 2020-01-31 (or 2020-01 for months), the same way in "
            "every row, or choose no date column.", field="date")
    if dates.tz is not None:
        dates = dates.tz_convert("UTC").tz_localize(None)
        note = (note + " " if note else "") + "times with a time zone were converted to UTC."
    return dates, note


def _check_duplicates(frame: pd.DataFrame, dates: pd.DatetimeIndex, order: np.ndarray, date: str) -> None:
    dup = dates.duplicated(keep=False)
    if not dup.any():
        return
    first_date = dates[np.flatnonzero(dup)[0]]
    rows = order[np.flatnonzero(dates == first_date)]
    where = _where(frame, sorted(rows)[:5])
    n_dates = int(dates[dup].nunique())
    more = f" ({n_dates - 1:,} other date{'s' if n_dates > 2 else ''} repeat too)" if n_dates > 1 else ""
    raise RnnExplorerError(
        f"the date {_fmt_date(first_date)} appears {len(rows)} times in column {quote(date)} "
        f"({_listing(where, len(rows))}){more}: a series has one value per date. Keep one row "
        "per date, or aggregate the rows (e.g. their mean) before uploading.", field="date")


def _fmt_date(ts: pd.Timestamp) -> str:
    if ts.hour == ts.minute == ts.second == ts.microsecond == 0:
        return ts.strftime("%Y-%m-%d")
    return ts.strftime("%Y-%m-%d %H:%M:%S") if ts.second else ts.strftime("%Y-%m-%d %H:%M")


_DAY = pd.Timedelta(days=1)


def _frequency(dates: pd.DatetimeIndex) -> tuple[str, int | None, int, int, pd.Timestamp] | None:
    """(label, season, missing dates, gaps, date before the first gap) of sorted unique dates,
    or None when they follow no regular calendar step."""
    if len(dates) < 3:
        return None
    steps = pd.Series(dates[1:] - dates[:-1])
    step = steps.value_counts().idxmax()
    if step <= pd.Timedelta(0):
        return None
    days = step / _DAY
    candidates: list[tuple[Any, str, int | None]]
    if 28 <= days <= 31:
        candidates = [("MS", "monthly", 12), ("ME", "monthly", 12), (pd.DateOffset(months=1), "monthly", 12)]
    elif 89 <= days <= 92:
        candidates = [("QS", "quarterly", 4), ("QE", "quarterly", 4), (pd.DateOffset(months=3), "quarterly", 4)]
    elif 365 <= days <= 366:
        candidates = [("YS", "yearly", None), ("YE", "yearly", None), (pd.DateOffset(years=1), "yearly", None)]
    elif step == _DAY:
        candidates = [(step, "daily", 7)]
        if not (dates.dayofweek >= 5).any():
            candidates.insert(0, ("B", "business-day", None))
    elif step == 7 * _DAY:
        candidates = [(step, "weekly", None)]
    elif step < _DAY:
        per_day = _DAY / step
        season = int(per_day) if per_day == int(per_day) and per_day >= 2 else None
        label = "hourly" if step == pd.Timedelta(hours=1) else f"{_fmt_step(step)}"
        candidates = [(step, label, season)]
    else:
        candidates = [(step, _fmt_step(step), None)]
    span = dates[-1] - dates[0]
    for offset, label, season in candidates:
        if isinstance(offset, pd.Timedelta) and span / offset > 5 * MAX_SERIES_LENGTH:
            continue
        try:
            full = pd.date_range(dates[0], dates[-1], freq=offset)
        except (ValueError, TypeError, OverflowError):
            continue
        if len(full) > 5 * MAX_SERIES_LENGTH:
            continue
        positions = full.get_indexer(dates)
        if (positions < 0).any():
            continue
        jumps = np.flatnonzero(np.diff(positions) > 1)
        first_gap = dates[jumps[0]] if len(jumps) else dates[-1]
        return label, season, int(len(full) - len(dates)), int(len(jumps)), first_gap
    return None


def _fmt_step(step: pd.Timedelta) -> str:
    seconds = int(step.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}-{unit}"
    return f"every {step}"


# --------------------------------------------------------------------------------------------
# links

# Moved to rnn_core/fetch.py (address checks, redirects, deadlines); re-exported here.
from .fetch import fetch_url  # noqa: E402,F401
