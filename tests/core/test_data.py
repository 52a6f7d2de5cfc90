"""Built-in series: read from the CSV files shipped in rnn_core/datasets, identical to pmdarima's
loaders (pmdarima is imported here only to check them)."""

import sys

import numpy as np
import pytest

from rnn_core import data


@pytest.mark.parametrize("name, length, first", [
    ("sunspots", 2820, [58.0, 62.6, 70.0]), ("airpassengers", 144, [112.0, 118.0, 132.0]),
    ("lynx", 114, [269.0, 321.0, 585.0]), ("wineind", 176, [15136.0, 16733.0, 20016.0]),
    ("taylor", 4032, [22262.0, 21756.0, 22247.0]),
])
def test_built_in_series_match_pmdarima(name, length, first):
    from pmdarima import datasets

    series = data.BUILT_IN[name]()
    assert len(series) == length
    assert series.values[:3].tolist() == first
    np.testing.assert_array_equal(series.values, getattr(datasets, f"load_{name}")())
    assert not series.values.flags.writeable


@pytest.mark.parametrize("name", sorted(data.BUILT_IN))
def test_each_shipped_file_equals_pmdarimas_loader_exactly(name, tmp_path):
    from pmdarima import datasets

    from rnn_core.datasets import extract

    path = data.DATASETS / f"{name}.csv"
    lines = path.read_text(encoding="ascii").splitlines()
    assert lines[0] == name
    values = np.array([float(line) for line in lines[1:]])
    expected = getattr(datasets, f"load_{name}")()
    assert values.dtype == expected.dtype == np.float64
    np.testing.assert_array_equal(values, expected)
    # the extraction script lists it and writes the very same bytes again
    assert name in extract.NAMES
    assert extract.write(name, expected, folder=tmp_path).read_bytes() == path.read_bytes()


def test_reading_a_built_in_series_needs_no_pmdarima(monkeypatch):
    monkeypatch.setitem(sys.modules, "pmdarima", None)  # any import of it now fails
    values = data._shipped("airpassengers")
    assert values.tolist()[-3:] == [461.0, 390.0, 432.0]
    assert not values.flags.writeable


def test_sunspots_dates_and_season():
    s = data.sunspots()
    assert str(s.index[0].date()) == "1749-01-01" and str(s.index[-1].date()) == "1983-12-01"
    assert s.season == 132  # the ~11-year solar cycle in months (rnn_core.seasons)


def test_a_built_in_series_is_built_once_for_concurrent_first_callers():
    import threading
    import time

    from rnn_core.data import _built_in

    builds = []

    @_built_in
    def slow():
        builds.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive while the first builds
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(slow())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
    assert len({id(r) for r in results}) == 1
