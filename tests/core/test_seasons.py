"""The season each series gets (``seasons.season``) and the seasonal naive baseline built on it."""

import numpy as np
import pandas as pd
import pytest

from rnn_core import baselines, data, seasons
from rnn_core.config import RunConfig
from rnn_core.presets import preset
from rnn_core.run import prepare
from rnn_core.tables import read_table, to_series


@pytest.mark.parametrize("frequency, cycle, expected", [
    ("monthly", None, 12), ("quarterly", None, 4), ("weekly", None, 52), ("daily", None, 7),
    ("hourly", None, 24), ("half-hourly", None, 48), ("30-minute", None, 48),
    ("15-minute", None, 96), ("2-hour", None, 12), ("5-hour", None, None),  # 4.8 a day: none
    ("yearly", None, None), ("business-day", None, None), (None, None, None),
    ("monthly", 132, 132), (None, 314, 314),  # a series' own cycle comes first
])
def test_the_season_is_the_series_cycle_else_the_calendars(frequency, cycle, expected):
    assert seasons.season(frequency, cycle) == expected


def test_built_in_series_have_their_own_season():
    assert data.sunspots().season == 132  # the ~11-year solar cycle, not the calendar year
    assert (data.airpassengers().season, data.wineind().season) == (12, 12)
    assert data.taylor().season == 48  # half-hourly: one day
    assert data.lynx().season is None  # yearly, no fixed cycle


def test_sunspots_seasonal_naive_looks_back_eleven_years():
    p = prepare(preset("sunspots"))
    result = baselines.compute(p, which=("seasonal_naive",))["seasonal_naive"]
    assert result.label == "Seasonal naive (132 back)"
    # the first test target is January 1937 (position 2,256); 132 months back is January 1926,
    # whose monthly mean is 71.8 in the shipped data (R's sunspots)
    assert p.series.index[p.windows.test_index[0]] == pd.Timestamp("1937-01-01")
    assert result.test_pred_original[0] == 71.8
    assert result.test_pred_original[1] == 70.0  # February 1926


def test_weekly_table_gets_52_and_the_seasonal_naive_reads_a_year_back():
    dates = pd.date_range("2020-01-06", periods=80, freq="W-MON")
    text = "week,sales\n" + "".join(f"{d:%Y-%m-%d},{i}\n" for i, d in enumerate(dates))
    series, report = to_series(read_table(text.encode(), "sales.csv"), "sales", date="week")
    assert (report.frequency, series.season) == ("weekly", 52)
    p = prepare(RunConfig(dataset="upload", split=70, time_steps=2, scaler_fit="none"), series)
    result = baselines.compute(p, which=("seasonal_naive",))["seasonal_naive"]
    # sales = the week's number: targets 70 … 79, each predicted by the week 52 before it
    assert result.label == "Seasonal naive (52 back)"
    assert result.test_pred_original.tolist() == [float(v) for v in range(18, 28)]


def test_sarima_says_first_why_the_data_cannot_be_logged_then_the_season_cap():
    sunspots = baselines.compute(prepare(preset("sunspots")), which=("sarima",))["sarima"]
    assert sunspots.label == "SARIMA(0, 1, 1)(0, 1, 1)132 on logs"
    assert "needs every value above 0" in sunspots.error  # months of 0 sunspots
    positive = data.Series(np.arange(1.0, 301.0), pd.RangeIndex(300), "ramp", season=52)
    weekly = baselines.compute(prepare(RunConfig(dataset="upload", split=250, time_steps=2),
                                       positive), which=("sarima",))["sarima"]
    assert f"seasons from 2 to {baselines.MAX_SARIMA_SEASON} only" in weekly.error
