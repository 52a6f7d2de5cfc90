"""What a table holds, for choosing the target, the date and the feature columns: ``inspect``
and its ``TableInfo``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import RnnExplorerError, quote
from .dates import looks_like_dates, numeric_dates, parse_dates
from .guard import guard
from .numeric import column_numbers, missing_mask
from .places import listing, where


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
        return f"{n:,} missing ({listing(self.first_missing[column], n)})"


@guard("inspect the table")
def inspect(frame: pd.DataFrame) -> TableInfo:
    """Number, date and missing-value facts of a table; raises if no column holds numbers.

    >>> info = inspect(pd.DataFrame({"year": [2001, 2002], "sales": [1.5, None]}))
    >>> info.numeric, info.dates, info.targets, info.missing_text("sales")
    (('year', 'sales'), ('year',), ('sales', 'year'), '1 missing (row 2)')
    """
    check_frame(frame)
    numeric, dates, mixed = [], [], {}
    missing, first_missing, date_formats = {}, {}, {}
    for pos, col in enumerate(frame.columns):
        name = str(col)
        values, bad = column_numbers(frame.iloc[:, pos])
        holes = np.flatnonzero(missing_mask(frame.iloc[:, pos]))
        missing[name] = int(len(holes))
        first_missing[name] = tuple(where(frame, holes[:5]))
        n_numbers = int(np.count_nonzero(~np.isnan(values)))
        if n_numbers and not bad.any():
            numeric.append(name)
            if numeric_dates(frame.iloc[:, pos], name) is not None:
                dates.append(name)
        elif n_numbers and n_numbers >= bad.sum():
            first = int(np.flatnonzero(bad)[0])
            mixed[name] = (where(frame, [first])[0], str(frame.iloc[first, pos]))
        elif bad.any() and looks_like_dates(frame.iloc[:, pos]):
            dates.append(name)
            formats = parse_dates(frame.iloc[:, pos])[2]
            if formats:
                date_formats[name] = formats
    if not numeric and not mixed:
        raise _no_numbers(frame)
    return TableInfo(len(frame), tuple(str(c) for c in frame.columns), tuple(numeric),
                     tuple(dates), missing, first_missing, mixed, frame.attrs.get("delimiter"),
                     dict(frame.attrs.get("number_notes") or {}), date_formats)


def _no_numbers(frame: pd.DataFrame) -> RnnExplorerError:
    shown = ", ".join(repr(str(c)) for c in frame.columns[:8])
    hint = ("" if frame.attrs.get("delimiter") != "," else
            " If the numbers use a decimal comma, separate the columns with semicolons.")
    return RnnExplorerError(
        f"no column of the table holds numbers (columns: {shown}{', ...' if frame.shape[1] > 8 else ''}): "
        "a series needs one column of numbers, one row per time step. Check the delimiter "
        f"and that numbers are written like 12.5, without units or currency signs.{hint}",
        field="target")


def check_frame(frame: Any) -> None:
    """Raises unless ``frame`` is a DataFrame with rows, columns and unique column names."""
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
