"""The cell diagram (``rnn_core.cell_figures``) shows exactly the unroll's numbers, and the
unrolled diagram (``inside_figures.unrolled_figure``) is compact with nothing written on its arrows."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from rnn_core import cell_figures, inside_figures
from rnn_core.errors import RnnExplorerError
from rnn_core.unroll import split_weights, unroll_layer

BLOCKS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def _trace(kind: str, units: int, features: int = 2, steps: int = 5, seed: int = 0,
           activation: str = "tanh"):
    rng = np.random.default_rng(seed)
    n = BLOCKS[kind] * units
    bias = rng.normal(size=(2, n) if kind == "GRU" else n)
    arrays = [rng.normal(size=(features, n)), rng.normal(size=(units, n)), bias]
    x = rng.normal(size=(steps, features))
    return unroll_layer(kind, split_weights(kind, arrays), x, activation=activation)


def _expected(trace, t: int) -> dict[str, np.ndarray]:
    """What step t's boxes must hold, read straight from the unroll's arrays."""
    i = t - 1
    prev = (lambda a: a[i - 1]) if i else (lambda a: np.zeros(trace.units))
    out = {"x": trace.x[i], "h_prev": prev(trace.h), "h": trace.h[i]}
    if trace.kind == "SimpleRNN":
        out["pre_activation"] = trace.pre_activations["h"][i]
    else:
        out |= {g: trace.gates[g][i] for g in trace.gates}
    if trace.kind == "LSTM":
        out |= {"c": trace.c[i], "c_prev": prev(trace.c)}
    return out


def _boxes(fig: go.Figure) -> dict[str, go.Heatmap]:
    return {tr.name: tr for tr in fig.data if isinstance(tr, go.Heatmap)}


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("units, t", [(1, 1), (3, 2), (16, 5)])
def test_every_box_holds_exactly_the_unrolls_values(kind, units, t):
    trace = _trace(kind, units, seed=units + t)
    fig = cell_figures.cell_figure(trace, t)
    boxes, expected = _boxes(fig), _expected(trace, t)
    assert set(boxes) == set(expected)
    for name, values in expected.items():
        np.testing.assert_array_equal(np.asarray(boxes[name].z[0], dtype=float), values)
        # the hover reads the cell's own value and names its unit
        assert "%{z:.6g}" in boxes[name].hovertemplate
        assert list(boxes[name].customdata[0]) == list(range(1, len(values) + 1))


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_gates_on_zero_to_one_and_states_on_a_scale_centred_on_zero(kind):
    trace = _trace(kind, 6, seed=3)
    fig = cell_figures.cell_figure(trace, 4)
    gates = {g for g in trace.gates if g != "candidate"}
    for name, box in _boxes(fig).items():
        assert box.coloraxis == ("coloraxis" if name in gates else "coloraxis2"), name
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0.0, 1.0)
    signed = fig.layout.coloraxis2
    top = max(np.max(np.abs(v)) for k, v in _expected(trace, 4).items() if k not in gates)
    assert signed.cmid == 0 and signed.cmin == -signed.cmax == pytest.approx(-top)


def test_few_units_are_written_in_their_cells_many_only_on_hover():
    few = _boxes(cell_figures.cell_figure(_trace("LSTM", 2), 3))
    assert list(few["forget"].text[0]) == [f"{v:.2f}" for v in few["forget"].z[0]]
    many = _boxes(cell_figures.cell_figure(_trace("LSTM", 12), 3))
    assert many["forget"].text is None


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_boxes_do_not_overlap_and_stay_inside_the_picture(kind):
    parts = cell_figures.cell_parts(_trace(kind, 4), 2)
    w, h = cell_figures.BOX_W / 2, cell_figures.BOX_H / 2
    for p in parts:
        assert w <= p.at[0] <= cell_figures.WIDTH - w and h <= p.at[1] <= cell_figures.HEIGHT - h
    for a in parts:
        for b in parts:
            if a is not b:
                apart = abs(a.at[0] - b.at[0]) >= 2 * w or abs(a.at[1] - b.at[1]) >= 2 * h + 0.4
                assert apart, (a.key, b.key)  # 0.4: room for the label above a box


def test_the_first_step_reads_zero_states():
    parts = {p.key: p for p in cell_figures.cell_parts(_trace("LSTM", 3), 1)}
    assert not parts["h_prev"].values.any() and not parts["c_prev"].values.any()
    assert parts["h_prev"].label.startswith("h_0") and parts["x"].label.startswith("x_1")


@pytest.mark.parametrize("t", [0, 6, 2.0, True])
def test_a_step_out_of_range_is_refused(t):
    with pytest.raises(RnnExplorerError, match="out of range"):
        cell_figures.cell_figure(_trace("GRU", 2), t)


# --- the unrolled diagram ----------------------------------------------------------------------

def _arrow_band(fig: go.Figure) -> tuple[float, float]:
    """The y extent of the input arrows (the first trace: arrows up, then arrows right)."""
    ys = [y for y in fig.data[0].y if y is not None and y != 0]
    return min(ys), max(ys)


@pytest.mark.parametrize("steps, t, output", [(60, 7, None), (36, 36, 0.5), (3, 2, None),
                                              (3, 3, np.array([0.1, 0.2]))])
def test_unrolled_diagram_is_compact_and_writes_nothing_on_its_arrows(steps, t, output):
    x, h = np.linspace(0, 1, steps)[:, None], np.full((steps, 4), 0.25)
    fig = inside_figures.unrolled_figure(x, h, t, "LSTM", output)
    assert fig.layout.height <= 240  # was 300, most of it empty
    low, high = _arrow_band(fig)
    y0, y1 = fig.layout.yaxis.range
    for trace in fig.data:
        if trace.mode == "text":
            for y in trace.y:
                assert not low <= y <= high, trace.text  # no label on an arrow
                assert y0 < y < y1
    # the step numbers are the axis' ticks, under the picture, whole steps 1..T
    ticks = list(fig.layout.xaxis.tickvals)
    assert ticks[0] == 1 and all(1 <= k <= steps for k in ticks)
    assert list(fig.layout.xaxis.ticktext) == [str(k) for k in ticks]
    assert len(ticks) <= 12


def test_unrolled_diagram_keeps_its_height_at_every_step():
    x, h = np.zeros((20, 1)), np.zeros((20, 2))
    heights = {inside_figures.unrolled_figure(x, h, t, "GRU", 1.0 if t == 20 else None).layout.height
               for t in (1, 10, 20)}
    assert len(heights) == 1  # Play does not make the page jump


def test_weight_heatmaps_of_few_rows_or_columns_have_whole_number_ticks():
    weights = {"W_x": np.ones((1, 32)), "W_h": np.ones((32, 32)), "b": np.ones(2)}
    fig = inside_figures.weights_figure(weights, "w")
    layout = fig.layout
    # W_x: one row → a tick at row 1 only; 32 columns → plotly's own ticks
    assert (layout.yaxis.tickmode, layout.yaxis.tick0, layout.yaxis.dtick) == ("linear", 1, 1)
    assert layout.xaxis.tickmode is None
    assert layout.xaxis3.dtick == 1 and layout.yaxis3.dtick == 1  # the bias, 1 × 2


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_arrows_are_traces_not_layout_annotations(kind):
    """An annotation per arrow made every step change cost ~0.2 s (plotly validates each
    against the whole layout); the arrows are a couple of traces with turned arrowheads."""
    fig = cell_figures.cell_figure(_trace(kind, 64, steps=3), 2)
    assert not fig.layout.annotations and not fig.layout.shapes
    heads = [tr for tr in fig.data if isinstance(tr, go.Scatter) and tr.marker.symbol == "arrow"]
    assert heads and all(tr.marker.angleref == "previous" for tr in heads)
