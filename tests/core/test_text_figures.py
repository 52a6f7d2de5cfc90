"""The text mode's figures: where each character is drawn, its colour value and hover."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import text_figures as tfig


def _heat(fig):
    return next(t for t in fig.data if t.type == "heatmap")


def test_every_character_sits_on_its_own_cell_with_its_value():
    text = "ab\ncd<e"
    values = np.array([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7])
    fig = tfig.coloured_text(text, values, "t", value_name="h unit 3", width=4)
    heat, chars = _heat(fig), fig.data[1]
    z = np.array(heat.z, dtype=float)
    rows, cols = tfig.layout(text, 4)
    np.testing.assert_allclose(z[rows, cols], values)
    assert np.isnan(z).sum() == z.size - len(text)  # nothing else is coloured
    assert list(chars.text) == ["a", "b", "↵", "c", "d", "&lt;", "e"]
    assert heat.zmid == 0 and heat.zmax == 0.7 and heat.zmin == -0.7  # symmetric around 0
    hover = np.array(heat.customdata, dtype=object)
    assert "h unit 3 = -0.4000" in hover[1, 0]  # c: row 1, column 0


def test_gates_use_the_fixed_zero_one_scale():
    fig = tfig.coloured_text("abc", np.array([0.2, 0.5, 0.9]), "gate", fraction=True)
    heat = _heat(fig)
    assert (heat.zmin, heat.zmax) == (0.0, 1.0)


def test_long_lines_wrap_and_newlines_end_rows():
    rows, cols = tfig.layout("x" * 10 + "\n" + "y", width=4)
    assert rows.tolist() == [0] * 4 + [1] * 4 + [2] * 3 + [3]
    assert cols[10] == 2  # the newline after the wrapped line's 2 characters


def test_hover_names_the_top_five_and_what_came():
    probs = np.array([[0.05, 0.5, 0.3, 0.1, 0.04, 0.01], [0.2, 0.2, 0.2, 0.2, 0.1, 0.1]])
    chars = ["?", "a", "b", " ", "\n", "c"]
    top = tfig.top_next(probs, chars)
    assert [c for c, _ in top[0]] == ["a", "b", " ", "?", "\n"]
    assert top[0][0][1] == 0.5
    fig = tfig.coloured_text("ab", np.array([0.0, 1.0]), "t", top=top)
    first = np.array(_heat(fig).customdata, dtype=object)[0, 0]
    assert "next (top 5): a 50%, b 30%, ␣ 10%, ? 5%, ↵ 4%" in first
    assert "came: b" in first


def test_units_heatmap_is_units_by_characters_and_a_click_picks_the_unit():
    states = np.arange(12, dtype=float).reshape(4, 3)  # 4 characters, 3 units
    fig = tfig.units_heatmap(states, "ab c", "h", unit=1)
    heat = fig.data[0]
    np.testing.assert_array_equal(np.array(heat.z), states.T)
    assert list(fig.layout.xaxis.ticktext) == ["a", "b", "␣", "c"]
    outline = fig.layout.shapes[0]
    assert (outline.y0, outline.y1) == (1.5, 2.5)  # unit 2 on screen (y counts from 1)
    picks = fig.data[1]  # the invisible markers a click selects (a heatmap cannot be)
    assert len(picks.x) == 12 and picks.marker.opacity == 0
    k = list(zip(picks.x, picks.y)).index((2, 3))
    assert float(picks.customdata[k][1]) == states[2, 2]  # character 3, unit 3
    event = {"selection": {"points": [{"x": 2, "y": 3, "curve_number": 1}]}}
    assert tfig.picked_unit(event, 3) == 2
    assert tfig.picked_unit({"selection": {"points": []}}, 3) is None
    assert tfig.picked_unit({"selection": {"points": [{"x": 0, "y": 9}]}}, 3) is None


def test_bits_bars_carry_the_three_numbers():
    fig = tfig.bits_figure(2.1, 4.8, 3.2)
    bar = fig.data[0]
    assert list(bar.x) == [2.1, 3.2, 4.8]
    assert bar.y[0] == "network" and "bigram" in bar.y[1] and "unigram" in bar.y[2]


def test_sample_colours_generated_characters_by_their_probability():
    top = [[("x", 0.6), ("y", 0.4)], [("z", 0.9), ("x", 0.1)], [("y", 0.7), ("x", 0.3)]]
    fig = tfig.sample_figure("ab", "xxy", top)
    heat = _heat(fig)
    rows, cols = tfig.layout("abxxy")
    z = np.array(heat.z, dtype=float)[rows, cols]
    assert np.isnan(z[:2]).all()  # the prompt is not coloured
    np.testing.assert_allclose(z[2:], [0.6, 0.1, 0.7])
    hover = np.array(heat.customdata, dtype=object)[rows, cols]
    assert "x 60%" in hover[1] and "came: x" in hover[1]  # the prompt's end: the first choice
    assert "next" not in hover[-1]  # nothing drawn after the last one


def test_feature_figure_has_both_lines_on_two_axes():
    fig = tfig.feature_figure(np.array([0, 1, 2.0]), np.array([0.1, 0.2, 0.3]), "depth", "unit 4",
                              first=10)
    assert list(fig.data[0].x) == [10, 11, 12]
    assert fig.data[1].yaxis == "y2"


def test_a_wide_layer_gets_fewer_markers_to_click():
    fig = tfig.units_heatmap(np.zeros((160, 128)), "x" * 160, "h")
    assert len(fig.data[1].x) <= tfig.MAX_PICK_MARKERS
    assert set(fig.data[1].y) == set(range(1, 129))  # every unit can still be picked


def test_loss_per_epoch_is_drawn_in_bits():
    fig = tfig.loss_bits_figure([np.log(2) * 3, np.log(2) * 2], [np.log(2) * 2.5, np.log(2)], 4)
    assert list(fig.data[0].y) == pytest.approx([3.0, 2.0])
    assert list(fig.data[1].y) == pytest.approx([2.5, 1.0])
    assert [t.name for t in fig.data] == ["training characters", "held-out characters"]
    assert fig.layout.yaxis.title.text == "bits per character"
