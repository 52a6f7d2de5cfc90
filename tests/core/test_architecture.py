"""The architecture spec is the network Keras builds: names, kinds, shapes, counts, flags."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rnn_core import model as model_mod
from rnn_core.architecture import CELL_CLASS, UNROLL_MAX_STEPS, architecture
from rnn_core.config import FIELD_BY_NAME, RunConfig


def assert_spec_is_the_keras_model(config: RunConfig, steps: int, features: int) -> None:
    specs = architecture(config, steps, features)
    built = model_mod.build(config, steps, features)
    assert [layer.name for layer in built.layers] == [spec.name for spec in specs]
    for spec, layer in zip(specs, built.layers):
        assert type(layer).__name__ == spec.kind
        assert [w.shape for w in layer.get_weights()] == list(spec.shapes), spec.name
        assert layer.count_params() == spec.params
        assert str(tuple(layer.output.shape)) == spec.output_shape
        assert layer.units == spec.units
        assert layer.activation.__name__ == spec.activation
        if spec.recurrent:
            assert (layer.return_sequences, layer.unroll) == (spec.return_sequences, spec.unroll)
    # the parameter table the Train page shows is Keras' own table, from the config alone
    assert model_mod.param_table(config, steps, features) == model_mod.layer_table(built)
    assert sum(spec.params for spec in specs) == built.count_params()


COMBOS = list(itertools.product(tuple(CELL_CLASS), (1, 2, 3), (0, 5), (1, 3),
                                ("sequence", "features")))


@pytest.mark.parametrize("cell, layers, dense, horizon, layout", COMBOS)
def test_spec_equals_the_built_keras_model(cell, layers, dense, horizon, layout):
    config = RunConfig(cell=cell, layers=layers, units=3, dense_units=dense, horizon=horizon,
                       layout=layout, time_steps=6)
    assert_spec_is_the_keras_model(config, *model_mod.input_shape(config))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cell=st.sampled_from(tuple(CELL_CLASS)), layers=st.integers(1, 3),
       units=st.integers(1, 9), dense=st.integers(0, 6), horizon=st.integers(1, 4),
       steps=st.integers(1, 2 * UNROLL_MAX_STEPS), features=st.integers(1, 3),
       activation=st.sampled_from(FIELD_BY_NAME["activation"].choices),
       dense_activation=st.sampled_from(FIELD_BY_NAME["dense_activation"].choices),
       output_activation=st.sampled_from(FIELD_BY_NAME["output_activation"].choices))
def test_spec_equals_keras_for_random_networks(cell, layers, units, dense, horizon, steps,
                                               features, activation, dense_activation,
                                               output_activation):
    config = RunConfig(cell=cell, layers=layers, units=units, dense_units=dense,
                       horizon=horizon, activation=activation, dense_activation=dense_activation,
                       output_activation=output_activation)
    assert_spec_is_the_keras_model(config, steps, features)


def test_gru_shapes_counts_and_flags_by_hand():
    config = RunConfig(cell="gru", layers=2, units=4, dense_units=5, horizon=3)
    specs = architecture(config, time_steps=20, features=2)
    assert [s.name for s in specs] == ["gru_1", "gru_2", "dense_hidden", "output"]
    # reset_after=True: a kernel (inputs, 3u), a recurrent kernel (u, 3u), two bias rows
    assert specs[0].shapes == ((2, 12), (4, 12), (2, 12))
    assert specs[1].shapes == ((4, 12), (4, 12), (2, 12))
    assert [s.params for s in specs] == [24 + 48 + 24, 48 + 48 + 24, 4 * 5 + 5, 5 * 3 + 3]
    assert [s.output_shape for s in specs] == ["(None, 20, 4)", "(None, 4)", "(None, 5)",
                                               "(None, 3)"]
    assert [s.return_sequences for s in specs] == [True, False, False, False]
    assert not any(s.unroll for s in specs)  # 20 steps > UNROLL_MAX_STEPS: a loop
    assert all(s.unroll for s in architecture(config, UNROLL_MAX_STEPS, 2) if s.recurrent)


def test_lstm_has_four_blocks_and_simplernn_one():
    lstm = architecture(RunConfig(cell="lstm", units=3), 12, 1)[0]
    assert (lstm.kind, lstm.shapes, lstm.params) == ("LSTM", ((1, 12), (3, 12), (12,)), 60)
    rnn = architecture(RunConfig(cell="simplernn", units=3), 12, 1)[0]
    assert (rnn.kind, rnn.shapes, rnn.params) == ("SimpleRNN", ((1, 3), (3, 3), (3,)), 15)
