"""Bring your own data: read a CSV/TSV upload or link, inspect it, turn one column into a Series.

Three steps, each raising ``RnnExplorerError`` with a message that says what is wrong and how
to fix it (never any other exception):

1. ``read_table(bytes, filename)`` (or ``read_table(fetch.fetch_url(url))``): UTF-8 text, the
   delimiter sniffed among comma, semicolon and tab, one row per line. The frame's index holds
   the line number in the file, so every later message can say "line 14". Columns that hold
   only numbers (a decimal comma is accepted when the delimiter is not a comma, and so are
   thousands separators where a column's cells decide them; a column that could be read
   both ways gets a note in ``frame.attrs["number_notes"]``; every Unicode decimal digit is
   the digit it is) become float64, the others stay text; missing-value markers (empty, NA,
   n/a, null, NaN, ...) become NaN and nothing else does.
2. ``inspect(frame)``: which columns are numbers, which are dates, how many values are missing
   and where, which number column holds a stray piece of text.
3. ``to_series(frame, target, date, features, missing, date_format)``: the ``Series`` a run
   learns from, its feature columns attached, sorted by date (``date_format`` is the order of
   day, month and year; "auto" refuses an order the data does not decide), missing values
   stopped on, interpolated or dropped, plus a ``LoadReport`` of everything that was done to
   the data (sorted, filled, dropped, gaps found).

The modules, one job each: ``limits`` (sizes and fixed choices), ``text`` (decode, sniff the
delimiter, split the rows), ``excel``, ``numeric`` (decimal marks, thousands, Unicode digits),
``dates`` (date columns and their formats), ``inspection``, ``date_order`` (sorting, repeated
dates, the calendar step and its gaps) and ``series`` (``to_series``); ``reading`` holds
``read_table``.

>>> from rnn_core.tables import inspect, read_table, to_series
>>> frame = read_table(b"month,sales\\n2020-01,5\\n2020-02,\\n2020-03,7\\n" + b"".join(
...     b"%d-%02d,%d\\n" % (2020 + m // 12, m % 12 + 1, m) for m in range(3, 24)))
>>> info = inspect(frame)
>>> info.numeric, info.dates, info.missing
(('sales',), ('month',), {'month': 0, 'sales': 1})
>>> series, report = to_series(frame, "sales", date="month", missing="interpolate")
>>> len(series), series.season, series.values[:3].tolist(), report.filled, report.frequency
(24, 12, [5.0, 6.0, 7.0], 1, 'monthly')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .limits import (EXCEL_SUFFIXES, MAX_ABS_VALUE, MAX_CELLS, MAX_COLUMNS, MAX_ROWS,
                     MAX_UPLOAD_BYTES, MISSING_POLICIES, size_text)

if TYPE_CHECKING:  # what the lazy names below are, for type checkers and editors
    from .dates import DATE_FORMATS, check_date_format
    from .guard import UnexpectedTableError
    from .inspection import TableInfo, inspect
    from .reading import read_table
    from .series import LoadReport, to_series

# The readers need pandas, which takes seconds to import; the limits above do not, and the
# CLI's parser and the link fetcher read them. So the rest loads on first use (PEP 562).
_LAZY = {
    "DATE_FORMATS": "dates", "check_date_format": "dates", "UnexpectedTableError": "guard",
    "TableInfo": "inspection", "inspect": "inspection", "read_table": "reading",
    "LoadReport": "series", "to_series": "series",
}

__all__ = [
    "EXCEL_SUFFIXES", "MAX_ABS_VALUE", "MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "MAX_UPLOAD_BYTES",
    "MISSING_POLICIES", "size_text", *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
