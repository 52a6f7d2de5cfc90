"""A CSV or TSV file's text as a frame: decode the bytes, sniff the delimiter, split the rows,
read each column as numbers or text.

The frame's index holds the line number in the file (name ``"line"``), so every later message
can say "line 14"; ``frame.attrs`` records the ``delimiter``, the ``decimal`` mark, whether a
``header`` row was found, the ``source`` and the ``number_notes`` (``numeric.py``).

>>> frame = text_frame("a;b\\n1,5;x\\n2;\\n", "t.csv")
>>> frame["a"].tolist(), frame["b"].tolist(), frame.index.tolist(), frame.attrs["delimiter"]
([1.5, 2.0], ['x', nan], [2, 3], ';')
"""

from __future__ import annotations

import csv
import io
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..config import MAX_SERIES_LENGTH
from ..errors import RnnExplorerError
from .limits import DELIMITERS, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MISSING_TOKENS
from .numeric import looks_numeric, text_column_numbers

_SAMPLE_CHARS = 64 * 1024
_SAMPLE_LINES = 100


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark dropped); raises on UTF-16, another encoding or a NUL."""
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


def text_frame(text: str, source: str, name: str = "the file") -> pd.DataFrame:
    """The frame of a table's text, the delimiter sniffed; ``name`` is the file in messages."""
    delimiter = sniff(text)
    header, has_header, rows, lines = split_rows(text, delimiter, name)
    return _frame(header, has_header, rows, lines, delimiter, source)


def sniff(text: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the first lines most
    consistently into the most numeric cells; a comma for a one-column file.

    >>> sniff("a;b\\n1,5;2\\n"), sniff("a\\n1\\n")
    (';', ',')
    """
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
        numeric = sum(looks_numeric(cell, delimiter) for r in rows[1:] for cell in r)
        key = (consistency >= 0.9, numeric, consistency, mode)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    return best


def split_rows(text: str, delimiter: str, name: str
               ) -> tuple[list[str], bool, list[list[str]], list[int]]:
    """Column names, whether the file had a header row, the data rows (padded to the
    header's width) and the line each row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row: list[str] = []
    header: list[str] | None = None
    has_header = True
    rows: list[list[str]] = []
    lines: list[int] = []
    start = end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header, has_header = _header(row, delimiter, name)
                if has_header:
                    continue
            rows.append(_fit(row, len(header), start, delimiter, name))
            lines.append(start)
            _check_size(len(rows), len(header), name)
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
    _check_found(header, rows, name)
    return header, has_header, rows, lines  # type: ignore[return-value]


def _header(row: list[str], delimiter: str, name: str) -> tuple[list[str], bool]:
    """The column names from the first row with a value, and whether it is a header row (a
    row of numbers only is data: the columns are then named "column 1", "column 2", ...)."""
    if len(row) > MAX_COLUMNS:
        raise RnnExplorerError(
            f"{name} has {len(row):,} columns; at most {MAX_COLUMNS:,} are "
            "supported. Keep only the columns you need.", field="file")
    if all(looks_numeric(c, delimiter) for c in row):  # no header row
        return [f"column {i + 1}" for i in range(len(row))], False
    return column_names(row), True


def _fit(row: list[str], width: int, start: int, delimiter: str, name: str) -> list[str]:
    """A data row at the header's width: padded with empty cells, or cut where the cells
    past the header are blank; raises on a value past the header."""
    if len(row) > width:
        if any(cell.strip() for cell in row[width:]):
            raise RnnExplorerError(
                f"line {start:,} of {name} has {len(row)} fields but the header has "
                f"{width}: check the delimiter (read as {_delimiter_name(delimiter)}) and "
                "that text containing the delimiter is in double quotes.", field="file")
        return row[:width]
    if len(row) < width:
        return row + [""] * (width - len(row))
    return row


def _check_size(n_rows: int, width: int, name: str) -> None:
    if n_rows > MAX_ROWS or n_rows * width > MAX_CELLS:
        size = (f"more than {MAX_ROWS:,} data rows" if n_rows > MAX_ROWS
                else f"more than {MAX_CELLS:,} cells ({width:,} columns)")
        raise RnnExplorerError(
            f"{name} has {size}: too large to read. A series holds at most {MAX_SERIES_LENGTH:,} values: upload the "
            "last rows only, fewer columns, or aggregate (e.g. hourly to daily).",
            field="file")


def _check_found(header: list[str] | None, rows: list[list[str]], name: str) -> None:
    """Raises unless the file held a header (or a first row) and at least one data row."""
    if header is None:
        raise RnnExplorerError(
            f"{name} holds no values, only delimiters and blank cells: upload a CSV file with a "
            "header row and one row per time step.", field="file")
    if not rows:
        shown = ", ".join(header[:5]) + (", ..." if len(header) > 5 else "")
        raise RnnExplorerError(
            f"{name} has a header row ({shown}) but no data rows: add one row per time step "
            "below the header.", field="file")


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


def column_names(row: Sequence[str]) -> list[str]:
    """A header row's names, each unique: a blank one is "column 3", a repeated one "a (2)".

    >>> column_names(["a", "", "a"])
    ['a', 'column 2', 'a (2)']
    """
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
        numbers, mark, note = text_column_numbers(name, text, missing, delimiter)
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
