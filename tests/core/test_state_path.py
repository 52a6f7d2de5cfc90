"""The path of the state (rnn_core.state_path): the plane is scikit-learn's PCA of the training
windows' hidden states, the path is the unroll's h_1..h_T projected on it."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from rnn_core import memory_figures, state_path, unroll
from rnn_core.architecture import architecture
from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.forward import Network


def network(cell: str = "lstm", units: int = 3, steps: int = 5, layers: int = 1,
            seed: int = 0) -> Network:
    config = RunConfig(cell=cell, units=units, time_steps=steps, layers=layers)
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 0.7, shape) for spec in architecture(config, steps, 1)
              for shape in spec.shapes]
    return Network(config, arrays, steps=steps, features=1)


def windows(n: int = 30, steps: int = 5, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, (n, steps, 1))


@pytest.mark.parametrize("cell", ["simplernn", "lstm", "gru"])
def test_projection_is_sklearns_pca_transform(cell):
    net, xs = network(cell), windows()
    plane = state_path.plane_of(net, xs)
    states = np.concatenate([unroll.unroll(net, x).layers[0].h for x in xs])  # every h_t
    reference = PCA(n_components=2).fit(states)
    np.testing.assert_allclose(state_path.project(plane, states), reference.transform(states),
                               rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(plane.explained, reference.explained_variance_ratio_, rtol=1e-9)
    assert (plane.windows_used, plane.windows_total, plane.capped) == (30, 30, False)


def test_the_path_is_the_unrolls_hidden_states_projected():
    net, xs = network(layers=2, units=4), windows()
    for layer in (0, 1):
        plane = state_path.plane_of(net, xs, layer)
        trace = unroll.unroll(net, xs[7]).layers[layer]
        path = state_path.project(plane, trace.h)
        assert path.shape == (5, 2)
        np.testing.assert_allclose(path, plane.pca.transform(trace.h), rtol=1e-12)
        fig = memory_figures.state_path_figure(path, 3, path[-1:], np.array([0.5]),
                                               ["w"], plane.explained)
        (drawn,) = [tr for tr in fig.data if tr.name.startswith("this window")]
        np.testing.assert_allclose(np.column_stack([drawn.x, drawn.y]), path)
        assert list(drawn.customdata) == [1, 2, 3, 4, 5]  # t on hover and as colour
        assert list(drawn.marker.color) == [1, 2, 3, 4, 5]
        (ring,) = [tr for tr in fig.data if tr.name == "step t = 3"]
        np.testing.assert_allclose([ring.x[0], ring.y[0]], path[2])
        assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1


def test_explained_variance_is_a_decreasing_share():
    for seed in range(5):
        plane = state_path.plane_of(network("gru", units=5, seed=seed), windows(seed=seed))
        first, second = plane.explained
        assert 0 <= second <= first <= 1 and plane.total_explained <= 1 + 1e-12
        sentence = state_path.variance_sentence(plane)
        assert f"explain {100 * (first + second):.1f} %" in sentence
        assert "all 30 training windows" in sentence


def test_the_training_windows_are_capped_evenly():
    net, xs = network(), windows(n=50)
    states, used = state_path.training_states(net, xs, 0, max_windows=6)
    assert list(used) == [0, 10, 20, 29, 39, 49] and states.shape == (6 * 5, 3)
    plane = state_path.plane_of(net, xs, max_windows=6)
    assert (plane.windows_used, plane.windows_total, plane.capped) == (6, 50, True)
    assert "6 of the 50 training windows (evenly spaced" in state_path.variance_sentence(plane)


def test_one_unit_has_no_plane():
    assert state_path.no_plane(1).startswith("This layer has a single unit")
    assert state_path.no_plane(2) is None
    with pytest.raises(RnnExplorerError, match="single unit"):
        state_path.plane_of(network(units=1), windows())


@pytest.mark.parametrize("states, words", [
    (np.zeros((4, 3)), "all equal"),
    (np.ones((1, 3)), "at least 2 states, got 1"),
    (np.ones(3), r"shape \(N, units\), got shape \(3,\)"),
    ([[1.0, np.nan], [0.0, 1.0]], "NaN"),
    ([["a", "b"]], "array of numbers"),
])
def test_fit_plane_refuses_bad_states(states, words):
    with pytest.raises(RnnExplorerError, match=words):
        state_path.fit_plane(states)


def test_other_arguments_are_validated():
    net, xs = network(), windows()
    plane = state_path.plane_of(net, xs)
    with pytest.raises(RnnExplorerError, match="4 units, but the plane was fitted on states of 3"):
        state_path.project(plane, np.zeros((2, 4)))
    with pytest.raises(RnnExplorerError, match="from 0 to 0, got 1"):
        state_path.plane_of(net, xs, 1)
    with pytest.raises(RnnExplorerError, match="max_windows must be a whole number ≥ 1, got 0"):
        state_path.training_states(net, xs, 0, max_windows=0)
    with pytest.raises(RnnExplorerError, match=r"got shape \(0, 5, 1\)"):
        state_path.plane_of(net, xs[:0])
