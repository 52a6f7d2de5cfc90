"""Cutting a series into windows: counts, targets, layouts, the tutorial shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rnn_core import windows
from rnn_core.errors import RnnExplorerError


@st.composite
def window_choices(draw):
    n = draw(st.integers(4, 120))
    split_at = draw(st.integers(1, n - 1))
    time_steps = draw(st.integers(1, 15))
    stride = draw(st.integers(1, 6))
    scope = draw(st.sampled_from(["continuous", "separate"]))
    pad = draw(st.booleans())
    return n, split_at, time_steps, stride, scope, pad


def _make_or_none(values, split_at, time_steps, stride, scope, pad, layout="sequence"):
    try:
        return windows.make(values, split_at, time_steps, stride, layout, scope, pad)
    except RnnExplorerError:
        return None


@given(window_choices())
def test_count_matches_make_and_make_fails_exactly_when_a_part_is_empty(choice):
    n, split_at, time_steps, stride, scope, pad = choice
    values = np.arange(n, dtype=float) * 1.5 + 7.0
    n_train, n_test = windows.count(n, split_at, time_steps, stride, scope, pad)
    w = _make_or_none(values, split_at, time_steps, stride, scope, pad)
    if n_train == 0 or n_test == 0:
        assert w is None
    else:
        assert w is not None
        assert (w.n_train, w.n_test) == (n_train, n_test)
        assert w.x_train.shape == (n_train, time_steps, 1)
        assert w.x_test.shape == (n_test, time_steps, 1)


@given(window_choices())
def test_every_target_is_the_value_right_after_its_window(choice):
    n, split_at, time_steps, stride, scope, pad = choice
    # distinct values, so a value identifies its position in the series
    values = np.arange(n, dtype=float) * 1.5 + 7.0
    w = _make_or_none(values, split_at, time_steps, stride, scope, pad)
    assume(w is not None)
    for x, y, index, last, part in ((w.x_train, w.y_train, w.train_index, w.train_last, "train"),
                                    (w.x_test, w.y_test, w.test_index, w.test_last, "test")):
        # the target is the series value at the target's index
        np.testing.assert_array_equal(y, values[index])
        # the window's last input is the persistence forecast
        np.testing.assert_array_equal(x[:, -1, 0], last)
        lo, hi = (0, split_at) if part == "train" else (split_at, n)
        assert np.all((index >= lo) & (index < hi)), part
        # where each window starts in the series (values increase, so a value gives its place)
        starts = np.searchsorted(values, x[:, 0, 0])
        # stride between consecutive windows, padded or not
        assert np.all(np.diff(starts) == stride)
        for k, start in enumerate(starts):
            # positions read: start … start+T-1, then the target; beyond the part's end
            # (padding) every position repeats the part's last value
            positions = np.minimum(np.arange(start, start + time_steps + 1), hi - 1)
            np.testing.assert_array_equal(x[k, :, 0], values[positions[:-1]])
            assert y[k] == values[positions[-1]]
            assert index[k] == positions[-1]
            if not pad:
                assert index[k] == start + time_steps  # the value right after the window
    if scope == "separate":
        # test windows never read a training value
        assert w.x_test.min() >= values[split_at]
    if not pad:
        assert w.x_train.max() < values[split_at]  # training windows read no test value


@given(window_choices())
def test_features_layout_is_the_same_window_as_one_step(choice):
    n, split_at, time_steps, stride, scope, pad = choice
    values = np.sin(np.arange(n) * 0.7)
    seq = _make_or_none(values, split_at, time_steps, stride, scope, pad, "sequence")
    assume(seq is not None)
    feat = windows.make(values, split_at, time_steps, stride, "features", scope, pad)
    assert feat.x_train.shape == (seq.n_train, 1, time_steps)
    assert feat.x_test.shape == (seq.n_test, 1, time_steps)
    assert (seq.steps, seq.n_features) == (time_steps, 1)
    assert (feat.steps, feat.n_features) == (1, time_steps)
    np.testing.assert_array_equal(feat.x_train[:, 0, :], seq.x_train[:, :, 0])
    np.testing.assert_array_equal(feat.x_test[:, 0, :], seq.x_test[:, :, 0])
    np.testing.assert_array_equal(feat.y_test, seq.y_test)


def test_continuous_scope_predicts_every_test_value_and_separate_loses_the_first_T():
    values = np.arange(50.0)
    cont = windows.make(values, 40, 5, scope="continuous")
    sep = windows.make(values, 40, 5, scope="separate")
    np.testing.assert_array_equal(cont.test_index, np.arange(40, 50))
    np.testing.assert_array_equal(cont.x_test[0, :, 0], [35, 36, 37, 38, 39])
    np.testing.assert_array_equal(sep.test_index, np.arange(45, 50))
    np.testing.assert_array_equal(cont.train_index, np.arange(5, 40))


def test_pad_gives_one_window_per_value_of_each_part():
    values = np.arange(30.0)
    w = windows.make(values, 20, 4, pad=True, scope="separate")
    assert (w.n_train, w.n_test) == (20, 10)
    # the last 4 training targets are the padding: copies of the last training value
    np.testing.assert_array_equal(w.y_train[-5:], [19, 19, 19, 19, 19])
    np.testing.assert_array_equal(w.x_train[-1, :, 0], [19, 19, 19, 19])
    np.testing.assert_array_equal(w.train_index[-4:], [19, 19, 19, 19])


def test_docstring_example():
    w = windows.make(np.arange(10.0), split_at=8, time_steps=3, stride=1)
    assert w.x_train.shape == (5, 3, 1)
    assert w.y_train.tolist() == [3.0, 4.0, 5.0, 6.0, 7.0]
    assert w.test_index.tolist() == [8, 9]


def test_t1_non_overlapping_windows_187_and_46_with_targets_every_12(t1_prepared):
    w, split_at = t1_prepared.windows, t1_prepared.split_at
    assert split_at == 2256 and len(t1_prepared.series) == 2820
    assert (w.n_train, w.n_test) == (187, 46)
    assert windows.count(2820, 2256, 12, 12, "separate", False) == (187, 46)
    assert w.x_train.shape == (187, 12, 1) and w.x_test.shape == (46, 12, 1)
    np.testing.assert_array_equal(w.train_index, np.arange(12, 2256, 12))
    assert w.train_index[:3].tolist() == [12, 24, 36]
    np.testing.assert_array_equal(w.test_index, 2256 + np.arange(12, 564, 12))
    scaled = t1_prepared.scaled
    np.testing.assert_array_equal(w.x_train[1, :, 0], scaled[12:24])
    np.testing.assert_array_equal(w.y_train, scaled[w.train_index])


def test_t2_padded_sliding_windows_800_and_200_as_one_step_of_4(t2_prepared):
    w, values = t2_prepared.windows, t2_prepared.series.values
    assert t2_prepared.split_at == 800
    assert (w.n_train, w.n_test) == (800, 200)
    assert w.x_train.shape == (800, 1, 4) and w.x_test.shape == (200, 1, 4)
    assert w.steps == 1 and w.n_features == 4
    # scaler "none": raw values; window i reads values i..i+3 and predicts value i+4
    np.testing.assert_array_equal(w.x_train[0, 0], values[0:4])
    np.testing.assert_array_equal(w.y_train[:796], values[4:800])
    np.testing.assert_array_equal(w.y_train[796:], [values[799]] * 4)
    np.testing.assert_array_equal(w.x_test[0, 0], values[800:804])
    np.testing.assert_array_equal(w.y_test[:196], values[804:1000])


def test_too_short_parts_raise_a_user_error_naming_time_steps():
    values = np.arange(40.0)
    with pytest.raises(RnnExplorerError, match="training part .* too short") as info:
        windows.make(values, 5, 10)
    assert info.value.field == "time_steps"
    with pytest.raises(RnnExplorerError, match="test part .* continuous window scope"):
        windows.make(values, 35, 10, scope="separate")
    # the same split works once the test windows may read training values
    assert windows.make(values, 35, 10, scope="continuous").n_test == 5


@pytest.mark.parametrize("n, split, expected", [(2820, 0.8, 2256), (1000, 800, 800), (10, 0.5, 5)])
def test_split_index(n, split, expected):
    assert windows.split_index(n, split) == expected


@pytest.mark.parametrize("n, split", [(100, 100), (100, 500), (10, 0.01)])
def test_split_index_outside_the_series_is_a_user_error(n, split):
    with pytest.raises(RnnExplorerError) as info:
        windows.split_index(n, split)
    assert info.value.field == "split"
