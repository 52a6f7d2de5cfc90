"""The final states coloured by season phase (``state_path.season_phase`` and the figure)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_core import memory_figures, state_path
from rnn_core.errors import RnnExplorerError


def test_monthly_dates_give_the_calendar_month_other_series_the_place_in_the_season():
    months = pd.date_range("1980-07-01", periods=30, freq="MS")
    phase, names = state_path.season_phase(months, np.arange(30), 12)
    assert [names[p] for p in phase[:7]] == ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan"]
    # a season other than 12 (half-hours in a day) counts from the first value
    phase, names = state_path.season_phase(pd.RangeIndex(200), [0, 47, 48, 100], 48)
    assert phase.tolist() == [0, 47, 0, 4] and len(names) == 48


@pytest.mark.parametrize("season", [0, 1, 2.5, True])
def test_a_season_that_is_no_season_is_refused(season):
    with pytest.raises(RnnExplorerError, match="season"):
        state_path.season_phase(pd.RangeIndex(10), [1], season)


def test_the_figure_colours_the_final_states_by_phase_on_a_cyclic_scale():
    finals, targets = np.random.default_rng(0).random((5, 2)), np.arange(5.0)
    path = np.zeros((3, 2))
    plain = memory_figures.state_path_figure(path, 1, finals, targets)
    assert list(plain.data[0].marker.color) == list(targets)
    phases = (np.array([0, 11, 3, 3, 6]), state_path.MONTHS)
    fig = memory_figures.state_path_figure(path, 1, finals, targets, phases=phases)
    marker = fig.data[0].marker
    assert list(marker.color) == [0, 11, 3, 3, 6]
    assert marker.colorscale == fig.data[0].marker.colorscale  # set, and cyclic:
    assert marker.colorscale[0][1] == marker.colorscale[-1][1]  # its end meets its start
    assert (marker.cmin, marker.cmax) == (0, 12)
    assert [row[1] for row in fig.data[0].customdata] == ["Jan", "Dec", "Apr", "Apr", "Jul"]
    assert [float(row[0]) for row in fig.data[0].customdata] == list(targets)
