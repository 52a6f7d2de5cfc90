"""The window Inside the network offers to type first (``rnn_core.typed_window``)."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import typed_window
from rnn_core.presets import preset
from rnn_core.windows import parse_window


def test_a_saturating_network_starts_on_the_first_test_window_in_its_units(t1_prepared):
    w = t1_prepared.windows
    steps, features = w.x_test.shape[1:]
    first = typed_window.first_window(w, steps, features, linear=False)
    np.testing.assert_array_equal(first, w.x_test[0])
    assert 0.0 <= first.min() and first.max() <= 1.0  # scaled: not 1..T
    # the text box shows it to 4 digits, and reads it back as the same window
    back = parse_window(typed_window.window_text(first), steps, features)
    np.testing.assert_allclose(back, first, rtol=1e-3, atol=1e-4)


def test_without_test_windows_the_first_training_window_then_a_ramp(t1_prepared):
    w = t1_prepared.windows

    class NoTest:
        x_test = w.x_test[:0]
        x_train = w.x_train

    steps, features = w.x_train.shape[1:]
    np.testing.assert_array_equal(typed_window.first_window(NoTest, steps, features, False),
                                  w.x_train[0])
    # windows of another shape (the network reads them otherwise): not offered
    ramp = typed_window.first_window(w, steps + 1, features, False)
    assert ramp.shape == (steps + 1, features) and ramp.min() == 0.0 and ramp.max() == 1.0


def test_the_linear_demo_network_keeps_one_two_three():
    config = preset("t1-structure")
    assert typed_window.is_linear_simple_rnn(config)
    assert not typed_window.is_linear_simple_rnn(preset("sunspots"))
    window = typed_window.first_window(None, 3, 1, typed_window.is_linear_simple_rnn(config))
    assert typed_window.window_text(window) == "1, 2, 3"


@pytest.mark.parametrize("steps, features", [(1, 1), (4, 3)])
def test_text_of_several_features_reads_back_row_by_row(steps, features):
    x = np.random.default_rng(1).random((steps, features))
    text = typed_window.window_text(x)
    assert text.count(";") == (steps - 1 if features > 1 else 0)
    np.testing.assert_allclose(parse_window(text, steps, features), x, rtol=1e-3, atol=1e-4)
