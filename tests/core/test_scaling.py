"""Min-max scaling: fitted where the user says, invertible, honest about constant series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rnn_core import scaling
from rnn_core.config import RunConfig
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

# train part peaks at 10, the test part reaches 30 and dips to -5
SERIES = np.array([2.0, 4.0, 10.0, 6.0, 3.0, 8.0, 30.0, -5.0, 12.0, 7.0])
SPLIT = 6


def test_train_fit_takes_min_and_max_from_the_training_part_only():
    s = scaling.fit_scaler(SERIES, SPLIT, "train")
    assert (s.data_min_, s.data_range_) == (2.0, 8.0)
    scaled = s.transform(SERIES)
    train, test = scaled[:SPLIT], scaled[SPLIT:]
    assert train.min() == 0.0 and train.max() == 1.0
    # the test part is not squeezed into [0, 1]: it may (honestly) fall outside
    assert test.max() == pytest.approx((30 - 2) / 8) and test.max() > 1
    assert test.min() == pytest.approx((-5 - 2) / 8) and test.min() < 0


def test_all_fit_uses_the_whole_series_and_leaks_the_test_range():
    s = scaling.fit_scaler(SERIES, SPLIT, "all")
    assert (s.data_min_, s.data_range_) == (-5.0, 35.0)
    scaled = s.transform(SERIES)
    assert scaled.min() == 0.0 and scaled.max() == 1.0
    assert scaled[:SPLIT].max() < 1  # the training part never reaches the top of the scale


def test_none_is_the_identity():
    s = scaling.fit_scaler(SERIES, SPLIT, "none")
    np.testing.assert_array_equal(s.transform(SERIES), SERIES)
    np.testing.assert_array_equal(s.inverse_transform(SERIES), SERIES)


def test_unknown_fit_choice_and_unfitted_scaler_are_programming_errors():
    with pytest.raises(ValueError, match="fit_on"):
        scaling.fit_scaler(SERIES, SPLIT, "test")
    with pytest.raises(RuntimeError, match="fit"):
        scaling.MinMaxScaler().transform([1.0])
    with pytest.raises(RnnExplorerError, match="no values"):
        scaling.MinMaxScaler().fit([])


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@given(arrays(np.float64, st.integers(2, 50), elements=finite),
       arrays(np.float64, st.integers(1, 50), elements=finite))
def test_inverse_transform_round_trips(fit_values, values):
    if fit_values.max() - fit_values.min() < 1e-3:
        fit_values = np.append(fit_values, fit_values.max() + 1.0)
    s = scaling.MinMaxScaler().fit(fit_values)
    scaled = s.transform(values)
    back = s.inverse_transform(scaled)
    np.testing.assert_allclose(back, values, rtol=1e-9, atol=1e-6)
    # the fitted extremes land exactly on 0 and 1
    ends = s.transform([fit_values.min(), fit_values.max()])
    np.testing.assert_allclose(ends, [0.0, 1.0], atol=1e-12)


def test_constant_training_part_is_a_user_error():
    with pytest.raises(RnnExplorerError, match="all equal .*constant"):
        scaling.fit_scaler(np.array([3.0] * 5 + [1.0, 2.0]), 5, "train")
    # fitting on all values is the way out the message suggests, and it works here
    assert scaling.fit_scaler(np.array([3.0] * 5 + [1.0, 2.0]), 5, "all").data_range_ == 2.0


def test_prepare_scales_with_the_training_part_only_by_default():
    values = np.concatenate([np.linspace(0, 10, 30), np.linspace(10, 40, 10)])
    series = Series(values, pd.RangeIndex(len(values)), "ramp")
    prepared = prepare(RunConfig(split=30, time_steps=3), series)
    np.testing.assert_allclose(prepared.scaled, values / 10)
    assert prepared.windows.y_test.max() == pytest.approx(4.0)
    with pytest.raises(RnnExplorerError, match="constant"):
        flat = np.concatenate([np.full(30, 5.0), np.arange(10.0)])
        prepare(RunConfig(split=30, time_steps=3), Series(flat, pd.RangeIndex(40), "flat"))


def test_the_arithmetic_is_scikit_learns_min_max_scaler():
    from sklearn.preprocessing import MinMaxScaler as Sklearn

    s = scaling.fit_scaler(SERIES, SPLIT, "train")
    reference = Sklearn().fit(SERIES[:SPLIT, None])
    np.testing.assert_array_equal(s.transform(SERIES), reference.transform(SERIES[:, None])[:, 0])
    back = reference.inverse_transform(reference.transform(SERIES[:, None]))[:, 0]
    np.testing.assert_array_equal(s.inverse_transform(s.transform(SERIES)), back)
    # and it agrees with (x - min) / range to the last bit of float32, what Keras trains on
    by_hand = (SERIES - 2.0) / 8.0
    np.testing.assert_allclose(s.transform(SERIES), by_hand, rtol=0, atol=4e-16)
    assert (s.transform(SERIES).astype(np.float32) == by_hand.astype(np.float32)).all()


def test_shapes_are_kept_and_diverged_predictions_pass_through():
    s = scaling.MinMaxScaler().fit([0.0, 10.0])
    grid = np.array([[0.0, 5.0, 10.0], [20.0, -10.0, 2.5]])  # a horizon's (windows, H) targets
    assert s.transform(grid).tolist() == [[0.0, 0.5, 1.0], [2.0, -1.0, 0.25]]
    assert s.inverse_transform(s.transform(grid)).tolist() == grid.tolist()
    assert s.transform(np.float64(5.0)).shape == ()
    assert s.transform(np.empty(0)).shape == (0,)  # no test windows: nothing to scale
    # a diverged model's inf / NaN outputs are scaled back as they are, not refused
    out = s.inverse_transform([np.inf, np.nan, -np.inf, 0.5])
    assert out[0] == np.inf and np.isnan(out[1]) and out[2] == -np.inf and out[3] == 5.0
