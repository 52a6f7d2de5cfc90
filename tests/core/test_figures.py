"""Figure builders: what a reader sees is in the figure (split line, labels, downsampling)."""

import numpy as np
import pytest
import pandas as pd
import plotly.graph_objects as go

from rnn_core import figures, inside_figures


def test_picked_window_maps_a_click_to_its_window():
    event = {"selection": {"points": [{"curve_number": 2, "point_index": 5}]}}
    assert figures.picked_window(event, 10, 20) == ("test", 5)
    event = {"selection": {"points": [{"curve_number": 1, "point_index": 3}]}}
    assert figures.picked_window(event, 10, 20) == ("train", 3)
    # the actual series (trace 0) is not a window; nothing picked without a click
    assert figures.picked_window({"selection": {"points": [{"curve_number": 0, "point_index": 1}]}}, 10, 20) is None
    assert figures.picked_window(None, 10, 20) is None
    # on a thinned trace, point k is window k * step
    n = figures.MAX_DRAWN_POINTS * 3
    event = {"selection": {"points": [{"curve_number": 1, "point_index": 7}]}}
    assert figures.picked_window(event, n, 10) == ("train", 21)
    # a baseline overlaid on the test part (trace 3 on) is drawn at the test windows
    event = {"selection": {"points": [{"curve_number": 4, "point_index": 6}]}}
    assert figures.picked_window(event, 10, 20) == ("test", 6)


@pytest.mark.parametrize("n_train", [50, 2220, figures.MAX_DRAWN_POINTS * 2 + 7])
def test_prediction_points_are_clickable_at_any_length(n_train):
    """Plotly selects points only on traces with markers: the prediction traces have them at
    every length (invisible above MARKERS_SHOWN_UP_TO windows), and the series, which has none,
    is never the hovered (clicked) trace."""
    n_test = 40
    total = n_train + n_test + 10
    index = pd.date_range("1749-01", periods=total, freq="MS")
    actual = np.sin(np.arange(total, dtype=float))
    train_pos, test_pos = np.arange(5, 5 + n_train), np.arange(total - n_test, total)
    fig = figures.prediction_figure(index, actual, train_pos, actual[train_pos] + 1, test_pos,
                                    actual[test_pos] + 1, total - n_test, "y")
    figures.overlay_baselines(fig, index, test_pos, [("persistence", "Persistence",
                                                      actual[test_pos - 1])])
    series, train, test, baseline = fig.data
    assert series.hoverinfo == "skip" and fig.layout.hoverdistance == -1
    for trace, n in ((train, n_train), (test, n_test), (baseline, n_test)):
        assert "markers" in trace.mode
        step = figures.thin_step(n)
        # the hover names the window a click on that point picks
        assert [row[0] for row in trace.customdata[:3]] == [0, step, 2 * step]
        assert "window %{customdata[0]}" in trace.hovertemplate
    assert train.marker.opacity == (1 if n_train <= figures.MARKERS_SHOWN_UP_TO else 0)
    assert train.selected.marker.opacity == 1  # the clicked point shows, even if invisible
    assert test.marker.opacity == 1  # 40 test windows: drawn
    # the actual value of each window's target is in its hover
    np.testing.assert_allclose([row[1] for row in train.customdata[:2]],
                               actual[train_pos[[0, figures.thin_step(n_train)]]])


def test_series_figure_has_the_red_split_line_and_thins_long_series():
    n = 20_000
    fig = figures.series_figure(np.arange(n, dtype=float), pd.RangeIndex(n), 16_000, "long")
    lines = [s for s in fig.layout.shapes if s.x0 == s.x1]
    assert len(lines) == 1 and lines[0].x0 == 16_000 and lines[0].line.color == "red"
    assert all(len(t.x) <= figures.MAX_DRAWN_POINTS for t in fig.data)
    assert sum(len(t.x) for t in fig.data) == 8_000


def test_unrolled_figure_labels_the_current_step_only_when_long():
    x, h = np.arange(60.0).reshape(60, 1), np.zeros((60, 4))
    fig = inside_figures.unrolled_figure(x, h, 7, "LSTM")
    texts = [t for trace in fig.data if trace.mode == "text" for t in trace.text]
    assert "x_7 = [6]" in texts and not any(t.startswith("x_8 =") for t in texts)
    short = inside_figures.unrolled_figure(x[:3], h[:3], 3, "SimpleRNN", output=1.5)
    texts = [t for trace in short.data if trace.mode == "text" for t in trace.text]
    assert {"x_1 = [0]", "x_2 = [1]", "x_3 = [2]"} <= set(texts)
    assert "dense head → output 1.5" in texts


@pytest.mark.parametrize("t, side", [(1, "middle right"), (30, "middle center"),
                                     (60, "middle left")])
def test_unrolled_figure_keeps_the_current_steps_labels_inside_the_picture(t, side):
    x, h = np.arange(60.0).reshape(60, 1), np.zeros((60, 4))
    fig = inside_figures.unrolled_figure(x, h, t, "GRU")
    labels = next(trace for trace in fig.data
                  if trace.mode == "text" and any(s.startswith("h_") for s in trace.text))
    assert list(labels.x) == [t, t]  # x_t below, h_t above
    assert list(labels.textposition) == [side, side]


def test_sweep_heatmap_outlines_the_best_cell():
    matrix = np.array([[3.0, 2.0], [1.0, np.nan]])
    fig = figures.sweep_heatmap([4, 8], [6, 12], matrix)
    best = fig.layout.shapes[0]
    assert (best.x0, best.y0) == (-0.5, 0.5)  # column 0, row 1: the 1.0


@pytest.mark.parametrize("epochs, dtick", [(5, 1), (12, 1), (200, None)])
def test_loss_charts_tick_whole_epochs(epochs, dtick):
    loss = np.linspace(1, 0.1, epochs)
    for fig in (figures.loss_figure(loss, loss, epochs),
                figures.loss_overlay([("run 1", loss, loss)])):
        assert fig.layout.xaxis.tickformat == "d"
        assert fig.layout.xaxis.dtick == dtick


def test_state_heatmaps_gates_on_zero_to_one_signed_values_around_zero_whole_ticks():
    gate = inside_figures.state_heatmap(np.full((5, 2), 0.3), "forget gate", fraction=True)
    [g] = gate.data
    assert (g.zmin, g.zmax, g.colorscale[0][1]) == (0.0, 1.0, go.Heatmap(
        colorscale=inside_figures.GATE_SCALE).colorscale[0][1])
    h = inside_figures.state_heatmap(np.linspace(-1, 1, 10).reshape(5, 2), "h")
    [s] = h.data
    assert s.zmid == 0 and s.zmin is None
    for fig in (gate, h):  # 2 units, 5 steps: a tick at each whole number
        assert (fig.layout.yaxis.dtick, fig.layout.xaxis.dtick) == (1, 1)
    many = inside_figures.state_heatmap(np.zeros((60, 64)), "h")
    assert many.layout.yaxis.dtick is None and many.layout.xaxis.dtick is None


def test_weights_figure_one_heatmap_per_matrix_on_one_scale_centred_on_zero():
    w = {"W_x": np.array([[0.5, -2.0]]), "W_h": np.array([[1.0, 0.0], [0.0, -1.0]]),
         "b": np.array([0.25, 0.0])}
    fig = inside_figures.weights_figure(w, "Weights of simple_rnn")
    assert [t.name for t in fig.data] == ["W_x", "W_h", "b"]
    for t, m in zip(fig.data, w.values()):
        np.testing.assert_array_equal(np.asarray(t.z), np.atleast_2d(m))
        assert t.coloraxis == "coloraxis"
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (-2.0, 2.0)
    assert [a.text for a in fig.layout.annotations] == ["W_x (1, 2)", "W_h (2, 2)", "b (2,)"]
    assert "W_h[%{y}, %{x}] = %{z:.4f}" in fig.data[1].hovertemplate



def test_the_epoch_shown_is_labelled_inside_the_chart_at_either_end():
    # on the last epoch a centred label ran past the right edge of the Results loss chart
    fig = figures.loss_figure([0.3, 0.2, 0.1, 0.05], [0.4, 0.3, 0.2, 0.1], epochs=4)
    last = figures.mark_epoch(fig, 4, "epoch 4 shown")
    assert last.layout.annotations[-1].xanchor == "right"
    first = figures.mark_epoch(figures.loss_figure([0.3, 0.2], [0.4, 0.3], epochs=20), 1)
    assert first.layout.annotations[-1].xanchor == "left"
    assert first.layout.annotations[-1].text == "epoch 1"
    assert [s.x0 for s in last.layout.shapes] == [4]
