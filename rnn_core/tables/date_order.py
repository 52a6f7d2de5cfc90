"""The rows of a series in date order: sorted, one row per date, the calendar step found and
its gaps counted (``Spacing``).

>>> dates = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-04-01", "2020-05-01"])
>>> frequency(dates)[:4]
('monthly', 12, 1, 1)
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .. import seasons
from ..config import MAX_SERIES_LENGTH
from ..errors import RnnExplorerError, quote
from .dates import format_date
from .places import listing, where

_DAY = pd.Timedelta(days=1)


class Spacing(NamedTuple):
    """How the dates of a series are spaced: the calendar step's name ("monthly", "6-hour")
    and season (12 for monthly), the dates missing from that calendar and the gaps they form.
    All None/0 without dates, or when the dates follow no regular step."""

    frequency: str | None = None
    season: int | None = None
    missing_periods: int = 0
    gaps: int = 0


def sort_by_date(frame: pd.DataFrame, dates: pd.DatetimeIndex, order: np.ndarray, date: str,
                 notes: list[str]) -> tuple[np.ndarray, pd.DatetimeIndex, bool, Spacing]:
    """The kept rows sorted by date (said in ``notes``), their dates as the index, whether
    they were sorted, and their ``Spacing``; raises on a repeated date."""
    kept_dates = dates[order]
    sorted_by_date = not kept_dates.is_monotonic_increasing
    if sorted_by_date:
        order = order[np.argsort(kept_dates.asi8, kind="stable")]
        kept_dates = dates[order]
        notes.append(f"the rows were not in date order: sorted them by {quote(date)}.")
    _check_duplicates(frame, kept_dates, order, date)
    found = frequency(kept_dates)
    spacing = Spacing()
    if found is not None:
        label, season, missing_periods, gaps, first_gap = found
        spacing = Spacing(label, season, missing_periods, gaps)
        if missing_periods:
            notes.append(
                f"the {label} dates have {gaps:,} gap{'s' if gaps > 1 else ''} "
                f"({missing_periods:,} missing date{'s' if missing_periods > 1 else ''}, the "
                f"first after {format_date(first_gap)}); the network treats the values as "
                "evenly spaced.")
    elif len(kept_dates) >= 3:
        notes.append("the dates are irregularly spaced: the network treats the values as "
                     "evenly spaced.")
    return order, pd.DatetimeIndex(kept_dates, name=date), sorted_by_date, spacing


def _check_duplicates(frame: pd.DataFrame, dates: pd.DatetimeIndex, order: np.ndarray, date: str) -> None:
    dup = dates.duplicated(keep=False)
    if not dup.any():
        return
    first_date = dates[np.flatnonzero(dup)[0]]
    rows = order[np.flatnonzero(dates == first_date)]
    places = where(frame, sorted(rows)[:5])
    n_dates = int(dates[dup].nunique())
    more = f" ({n_dates - 1:,} other date{'s' if n_dates > 2 else ''} repeat too)" if n_dates > 1 else ""
    raise RnnExplorerError(
        f"the date {format_date(first_date)} appears {len(rows)} times in column {quote(date)} "
        f"({listing(places, len(rows))}){more}: a series has one value per date. Keep one row "
        "per date, or aggregate the rows (e.g. their mean) before uploading.", field="date")


def frequency(dates: pd.DatetimeIndex) -> tuple[str, int | None, int, int, pd.Timestamp] | None:
    """(label, season, missing dates, gaps, date before the first gap) of sorted unique dates,
    or None when they follow no regular calendar step."""
    if len(dates) < 3:
        return None
    steps = pd.Series(dates[1:] - dates[:-1])
    step = steps.value_counts().idxmax()
    if step <= pd.Timedelta(0):
        return None
    span = dates[-1] - dates[0]
    for offset, label, season in _calendars(step, dates):
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


def _calendars(step: pd.Timedelta, dates: pd.DatetimeIndex) -> list[tuple[Any, str, int | None]]:
    """The calendars (pandas offset, label, season) that the most common ``step`` between
    the dates may come from, tried in this order."""
    days = step / _DAY
    if 28 <= days <= 31:
        found = [("MS", "monthly"), ("ME", "monthly"), (pd.DateOffset(months=1), "monthly")]
    elif 89 <= days <= 92:
        found = [("QS", "quarterly"), ("QE", "quarterly"), (pd.DateOffset(months=3), "quarterly")]
    elif 365 <= days <= 366:
        found = [("YS", "yearly"), ("YE", "yearly"), (pd.DateOffset(years=1), "yearly")]
    elif step == _DAY:
        found = [(step, "daily")]
        if not (dates.dayofweek >= 5).any():
            found.insert(0, ("B", "business-day"))
    elif step == 7 * _DAY:
        found = [(step, "weekly")]
    elif step == pd.Timedelta(hours=1):
        found = [(step, "hourly")]
    else:
        found = [(step, _step_text(step))]
    return [(offset, label, seasons.season(label)) for offset, label in found]


def _step_text(step: pd.Timedelta) -> str:
    seconds = int(step.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}-{unit}"
    return f"every {step}"
