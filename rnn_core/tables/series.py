"""A table's column as the ``Series`` a run learns from: ``to_series`` and its steps.

Check the choices, read the number columns, read the dates, stop on, drop or (later)
interpolate the missing values, sort by date (one row per date, gaps found), check what a
network can use, then build the series with its feature columns attached and a ``LoadReport``
of everything that was done to the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..config import MAX_SERIES_LENGTH, MIN_SERIES_LENGTH
from ..data import Series
from ..errors import RnnExplorerError, quote
from .date_order import Spacing, sort_by_date
from .dates import check_date_format, date_column
from .guard import guard
from .inspection import check_frame
from .limits import MAX_ABS_VALUE, MISSING_POLICIES
from .numeric import DECIMAL_COMMA, column_numbers
from .places import listing, where


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


@guard("turn the table into a series")
def to_series(frame: pd.DataFrame, target: str, date: str | None = None,
              features: Sequence[str] = (), missing: str = "stop", date_format: str = "auto"
              ) -> tuple[Series, LoadReport]:
    """The ``Series`` of column ``target`` (indexed by ``date`` if given), with the
    ``features`` columns attached (``series.features``: (n, F), aligned with the values; None
    without features), and a ``LoadReport``.

    ``missing``: "stop" refuses empty cells (saying how many and where), "interpolate" fills
    them linearly (ends: the nearest value), "drop" removes their rows. ``date_format`` (one
    of ``DATE_FORMATS``) is the order of day, month and year in the dates; "auto" refuses
    dates whose order the data does not decide (01/02/2001). Rows are sorted by date
    (reported); repeated dates, text in a number column, infinite or huge values, a constant
    target and a length outside [MIN_SERIES_LENGTH, MAX_SERIES_LENGTH] raise.
    """
    check_frame(frame)
    _check_policy(missing)
    date_format = check_date_format(date_format)
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    target, date = str(target), None if date is None else str(date)
    features = tuple(dict.fromkeys(str(f) for f in features))
    _check_columns(list(frame.columns), target, date, features)
    number_notes = frame.attrs.get("number_notes") or {}
    notes: list[str] = [number_notes[c] for c in (target, *features) if c in number_notes]
    data = _number_columns(frame, target, features)
    keep = np.ones(len(frame), dtype=bool)
    dates: pd.DatetimeIndex | None = None
    if date is not None:
        dates, note = date_column(frame, date, date_format)
        notes += [note] if note else []
        keep &= ~_missing_dates(frame, dates, date, missing)
    keep, dropped = _missing_values(frame, data, keep, missing, notes)
    order = np.flatnonzero(keep)
    index: pd.Index = pd.RangeIndex(len(order), name="t")
    spacing, sorted_by_date = Spacing(), False
    if dates is not None:
        order, index, sorted_by_date, spacing = sort_by_date(frame, dates, order, date, notes)
    values = {name: v[order] for name, v in data.items()}
    filled = _interpolate(values, notes) if missing == "interpolate" else 0
    _check_values(frame, values, order, target, dropped)
    series = _series(values, index, target, features, spacing.season)
    report = LoadReport(target, date, features, len(frame), len(order), missing, sorted_by_date,
                        filled, dropped, spacing.frequency, spacing.missing_periods, spacing.gaps,
                        spacing.season, tuple(notes))
    return series, report


def _check_policy(missing: str) -> None:
    if missing not in MISSING_POLICIES:
        raise RnnExplorerError(f"missing={quote(missing)} is not valid: choose one of "
                               + ", ".join(MISSING_POLICIES) + ".", field="missing")


def _check_columns(columns: list[str], target: str, date: str | None, features: tuple[str, ...]) -> None:
    """Every chosen column exists, and none has two roles."""
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


def _number_columns(frame: pd.DataFrame, target: str, features: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The target's and the features' values (NaN where missing); raises on text or no number."""
    data: dict[str, np.ndarray] = {}
    for name in (target, *features):
        values, bad = column_numbers(frame[name])
        role = "target" if name == target else "features"
        if bad.any():
            raise _text_error(frame, name, int(np.flatnonzero(bad)[0]), int(np.count_nonzero(bad)), role=role)
        if np.isnan(values).all():
            raise RnnExplorerError(
                f"column {quote(name)} holds no numbers: all {len(values):,} cells are empty or "
                "missing. Choose another column.", field=role)
        data[name] = values
    return data


def _text_error(frame: pd.DataFrame, name: str, position: int, count: int, role: str) -> RnnExplorerError:
    """"column 'sales' holds text where a number is expected: line 5 has '12%'" with a hint."""
    value = str(frame[name].iloc[position]).strip()
    place = where(frame, [position])[0]
    hint = ""
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", value):
        hint = " It looks like a thousands separator: remove the commas."
    elif DECIMAL_COMMA.fullmatch(value):
        hint = (" It looks like a decimal comma: write 1.5 instead of 1,5, or separate the "
                "columns with semicolons.")
    elif re.search(r"\d", value):
        hint = " Remove units, currency or percent signs: keep the number only."
    more = f" ({count - 1:,} more cell{'s' if count > 2 else ''} like it)" if count > 1 else ""
    return RnnExplorerError(
        f"column {quote(name)} holds text where a number is expected: {place} has {quote(value)}{more}."
        f"{hint} Fix or empty that cell (empty cells count as missing values), or choose "
        "another column.", field=role)


def _missing_dates(frame: pd.DataFrame, dates: pd.DatetimeIndex, date: str, missing: str) -> np.ndarray:
    """The rows without a date, to drop; raises unless ``missing`` is "drop"."""
    no_date = np.asarray(dates.isna())
    if no_date.any() and missing != "drop":
        n = int(no_date.sum())
        places = where(frame, np.flatnonzero(no_date)[:5])
        raise RnnExplorerError(
            f"the date column {quote(date)} has {n:,} empty cell{'s' if n > 1 else ''} "
            f"({listing(places, n)}): fill in the dates, remove those rows, or choose "
            "'drop' for missing values.", field="missing")
    return no_date


def _missing_values(frame: pd.DataFrame, data: dict[str, np.ndarray], keep: np.ndarray, missing: str,
                    notes: list[str]) -> tuple[np.ndarray, int]:
    """The rows kept and how many were dropped: "stop" raises on a missing value, "drop"
    removes its row (said in ``notes``), "interpolate" keeps it to be filled later."""
    holes = {name: np.isnan(v) for name, v in data.items()}
    any_hole = np.logical_or.reduce(list(holes.values()))
    if missing == "stop" and any_hole.any():
        raise _missing_error(frame, holes)
    dropped = 0
    if missing == "drop":
        keep = keep & ~any_hole
        dropped = int(len(frame) - keep.sum())
        if dropped:
            notes.append(f"dropped {dropped:,} row{'s' if dropped > 1 else ''} with missing values.")
    return keep, dropped


def _missing_error(frame: pd.DataFrame, holes: dict[str, np.ndarray]) -> RnnExplorerError:
    """"3 missing values: 'sales' has 3 (lines 5, 9, 12). Fill them ..." for missing="stop"."""
    parts = []
    for name, mask in holes.items():
        n = int(mask.sum())
        if n:
            parts.append(f"{quote(name)} has {n:,} ({listing(where(frame, np.flatnonzero(mask)[:5]), n)})")
    total = int(sum(m.sum() for m in holes.values()))
    return RnnExplorerError(
        f"{total:,} missing value{'s' if total > 1 else ''}: " + "; ".join(parts) + ". Fill "
        "them in the file, or choose 'interpolate' (fill linearly between neighbours) or "
        "'drop' (remove those rows) for missing values.", field="missing")


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
    """Values a network can use: finite, not huge, a usable length, not constant."""
    for name, v in values.items():
        bad = np.flatnonzero(~np.isfinite(v) | (np.abs(v) > MAX_ABS_VALUE))
        if len(bad):
            p = int(order[bad[0]])
            raise RnnExplorerError(
                f"column {quote(name)} has a value too large to train on at {where(frame, [p])[0]} "
                f"({quote(str(frame[name].iloc[p]))}): values must be finite and at most "
                f"{MAX_ABS_VALUE:g} in size. Fix that cell, or rescale the column (e.g. divide by 1e6).",
                field="target" if name == target else "features")
    _check_length(len(order), target, dropped)
    for name, v in values.items():
        if v.max() == v.min():
            role = "the target" if name == target else "the feature"
            raise RnnExplorerError(
                f"{role} column {quote(name)} is constant (every value is {v[0]:g}): a constant "
                "column has nothing to learn from. Choose another column.",
                field="target" if name == target else "features")


def _check_length(n: int, target: str, dropped: int) -> None:
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


def _series(values: dict[str, np.ndarray], index: pd.Index, target: str, features: tuple[str, ...],
            season: int | None) -> Series:
    """The target's values as a ``Series``, the feature columns attached in their order."""
    if not features:
        return Series(values[target], index, target, measured_in="", season=season)
    feature_array = np.column_stack([values[f] for f in features]).astype(np.float64)
    return Series(values[target], index, target, measured_in="", season=season, features=feature_array,
                  feature_names=features)
