"""Series: the values a run learns from, with their dates; built-in loaders.

Built-in series ship inside the package: R's ``sunspots``, ``AirPassengers``, ``lynx``,
``wineind`` and ``taylor`` are CSV files in ``rnn_core/datasets`` (their sources and licences are
in the README there); the sine + noise series is generated. Nothing is downloaded.

>>> s = sine(length=20, frequency=0.02, noise=0.0, seed=0)
>>> s.values[:5].round(3).tolist()
[0.0, 0.02, 0.04, 0.06, 0.08]
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import seasons
from .config import MAX_SERIES_LENGTH, MIN_SERIES_LENGTH, TASKS, TEXTS, RunConfig
from .errors import RnnExplorerError


@dataclass(frozen=True)
class Series:
    """A univariate time series. ``values`` is read-only float64, ``index`` labels each value
    (dates for monthly data, integers otherwise), ``season`` is the seasonal period if known
    (``seasons.season`` decides it: the series' own cycle, else its calendar's)."""

    values: np.ndarray
    index: pd.Index
    name: str
    measured_in: str = ""  # what a value counts ("sunspot number"), for axis titles
    season: int | None = None
    features: np.ndarray | None = None  # (n, F) extra input columns, aligned with values
    feature_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=np.float64)
        if values.ndim != 1:
            raise RnnExplorerError(f"a series must be one column of numbers, got shape {values.shape}.")
        if len(self.index) != len(values):
            raise RnnExplorerError(
                f"the series has {len(values)} values but {len(self.index)} index labels."
            )
        if not len(values) or not np.isfinite(values).all():
            raise RnnExplorerError(
                f"the series {self.name!r} has missing or infinite values; fill or drop them first."
            )
        if len(values) < MIN_SERIES_LENGTH or len(values) > MAX_SERIES_LENGTH:
            raise RnnExplorerError(
                f"the series {self.name!r} has {len(values):,} values; use between "
                f"{MIN_SERIES_LENGTH} and {MAX_SERIES_LENGTH:,}."
            )
        values.setflags(write=False)
        object.__setattr__(self, "values", values)
        if self.features is not None:
            features = np.asarray(self.features, dtype=np.float64)
            if features.ndim != 2 or len(features) != len(values):
                raise RnnExplorerError(
                    f"the feature columns have shape {features.shape}; expected ({len(values)}, F).")
            if len(self.feature_names) != features.shape[1]:
                raise RnnExplorerError("each feature column needs a name.")
            if not np.isfinite(features).all():
                raise RnnExplorerError("the feature columns have missing or infinite values.")
            features.setflags(write=False)
            object.__setattr__(self, "features", features)

    def __len__(self) -> int:
        return len(self.values)


DATASETS = Path(__file__).resolve().parent / "datasets"


def _shipped(name: str) -> np.ndarray:
    """The values of ``datasets/<name>.csv`` (one column headed ``name``), read-only float64.

    >>> _shipped("lynx")[:3].tolist()
    [269.0, 321.0, 585.0]
    """
    # numpy's reader, not pandas': a process's first ``pd.read_csv`` loads its CSV machinery,
    # which takes far longer than reading these few thousand lines.
    values = np.loadtxt(DATASETS / f"{name}.csv", dtype=np.float64, skiprows=1, ndmin=1)
    values.setflags(write=False)
    return values


def _built_in(make: Callable[[], Series]) -> Callable[[], Series]:
    """Build a built-in series once per process. A ``Series`` is immutable (frozen, read-only
    values, a pandas index), so every session may share it; without this, every rerun of every
    page that reads one would read its file and build its dates again.

    Once, even when a room of sessions asks at the same moment (a workshop's first minute):
    ``lru_cache`` alone lets every concurrent first caller build its own copy.
    """
    cached = functools.lru_cache(maxsize=None)(make)
    lock = threading.Lock()

    @functools.wraps(make)
    def once() -> Series:
        with lock:
            return cached()

    return once


@_built_in
def sunspots() -> Series:
    """Monthly mean relative sunspot numbers, January 1749 to December 1983 (2,820 values);
    their season is the ~11-year solar cycle (132 months), not the calendar year."""
    values = _shipped("sunspots")
    index = pd.date_range("1749-01-01", periods=len(values), freq="MS", name="month")
    return Series(values, index, "Monthly sunspots 1749-1983", measured_in="sunspot number",
                  season=seasons.season("monthly", cycle=seasons.SUNSPOT_CYCLE))


@_built_in
def airpassengers() -> Series:
    """Monthly international airline passengers, 1949 to 1960, in thousands (144 values)."""
    values = _shipped("airpassengers")
    index = pd.date_range("1949-01-01", periods=len(values), freq="MS", name="month")
    return Series(values, index, "Air passengers 1949-1960", measured_in="thousand passengers",
                  season=seasons.season("monthly"))


@functools.lru_cache(maxsize=32)
def sine(length: int = 1000, frequency: float = 0.02, noise: float = 2.0, seed: int = 0) -> Series:
    """x_t = sin(frequency·t) + noise·U(0, 1), t = 0 … length-1 (tutorials T2 and T3)."""
    t = np.arange(length)
    rng = np.random.default_rng(seed)
    values = np.sin(frequency * t) + noise * rng.uniform(0.0, 1.0, size=length)
    period = int(round(2 * np.pi / frequency)) if 2 * np.pi / frequency < length / 2 else None
    return Series(values, pd.RangeIndex(length, name="t"), "Sine + noise",
                  season=seasons.season(None, cycle=period))


BUILT_IN = {"sunspots": sunspots, "airpassengers": airpassengers}


def load(config: RunConfig) -> Series:
    """The built-in or generated series a config names (an uploaded one is passed around as a
    ``Series``: it is not in the config)."""
    if config.dataset == "sine":
        return sine(config.sine_length, config.sine_frequency, config.sine_noise, config.sine_seed)
    if config.dataset in TASKS:  # the targets of the task's sequences, one after the other
        from .tasks import target_series

        return target_series(config)
    if config.dataset == "upload":
        raise RnnExplorerError(
            "dataset=upload means a table you uploaded, which lives in your session only (it is "
            "not part of a link or a config file): upload it again on the Data & windows page, "
            "or choose a built-in series.", field="dataset")
    if config.dataset in TEXTS:  # a character-level network's text, not a series
        raise RnnExplorerError(
            f"dataset={config.dataset} is a text, not a series: train it on the Text page "
            "(or: python -m rnn_core text train --corpus NAME), or choose a series here.",
            field="dataset")
    return BUILT_IN[config.dataset]()


# --- more built-in series (also shipped in rnn_core/datasets) --------------------------------


@_built_in
def lynx() -> Series:
    """Annual Canadian lynx trappings (Hudson's Bay Company), 1821 to 1934 (114 values).

    A roughly 10-year population cycle, but no fixed season: ``season`` is None.
    """
    values = _shipped("lynx")
    index = pd.RangeIndex(1821, 1821 + len(values), name="year")
    return Series(values, index, "Lynx trappings 1821-1934", measured_in="lynx skins")


@_built_in
def wineind() -> Series:
    """Monthly Australian wine sales (bottles up to 1 litre), January 1980 to August 1994
    (176 values; R's ``forecast::wineind`` documents no unit)."""
    values = _shipped("wineind")
    index = pd.date_range("1980-01-01", periods=len(values), freq="MS", name="month")
    return Series(values, index, "Australian wine sales 1980-1994",
                  season=seasons.season("monthly"))


@_built_in
def taylor() -> Series:
    """Half-hourly electricity demand in England and Wales, Monday 5 June to Sunday
    27 August 2000 (4,032 values = 12 weeks × 7 days × 48 half-hours). ``season`` is the
    daily cycle of 48 half-hours (there is a weekly one of 336 too)."""
    values = _shipped("taylor")
    index = pd.date_range("2000-06-05 00:00", periods=len(values), freq="30min", name="time")
    return Series(values, index, "Electricity demand (half-hourly) 2000", measured_in="megawatts",
                  season=seasons.season("half-hourly"))


BUILT_IN.update({"lynx": lynx, "wineind": wineind, "taylor": taylor})
