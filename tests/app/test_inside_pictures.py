"""Inside the network drawn as pictures: the cell diagram holds the unroll's numbers at every
step, the typed window starts as a real window in the network's units, the final states can be
coloured by season, and a run predicting H values ahead picks which output the memory shows."""

from __future__ import annotations

import numpy as np

from rnn_core import memory, typed_window, unroll
from rnn_core.windows import parse_window
from tests.app.helpers import chart_title, chart_traces

LSTM_ON_AIRPASSENGERS = {"dataset": "airpassengers", "cell": "lstm", "units": "4"}


def open_inside(app, **extra: str):
    at = app({**LSTM_ON_AIRPASSENGERS, **extra})
    at.switch_page("pages/unroll.py").run()
    assert not at.exception, at.exception
    model, prepared = at.session_state["unroll_untrained"][1]
    return at, model, prepared


def chart(at, title_part: str) -> dict:
    (found,) = [c for c in at.get("plotly_chart") if title_part in chart_title(c)]
    return {tr.get("name"): tr for tr in chart_traces(found)}


def test_cell_diagram_follows_the_steps_with_the_unrolls_numbers(app):
    at, model, prepared = open_inside(app)
    # the typed window offered first is the first test window, in the network's units
    w = prepared.windows
    text = at.text_input(key="unroll_text").value
    assert text == typed_window.window_text(w.x_test[0])
    window = parse_window(text, *w.x_test.shape[1:])
    assert window.max() <= 1.0  # not 1..T, which would saturate every gate
    layer = unroll.unroll(model, window).layers[0]
    for t in (1, 2, 3):
        boxes = chart(at, f"LSTM cell at step t = {t}")
        for gate in ("forget", "input", "candidate", "output"):
            np.testing.assert_array_equal(boxes[gate]["z"][0], layer.gates[gate][t - 1])
        np.testing.assert_array_equal(boxes["c"]["z"][0], layer.c[t - 1])
        np.testing.assert_array_equal(boxes["h"]["z"][0], layer.h[t - 1])
        # the equations with the numbers are kept, under the diagram
        assert at.code[0].value.startswith(f"x_{t} = [")
        at.button(key="unroll_next").click().run()
        assert not at.exception


def test_final_states_coloured_by_season_phase(app):
    at, model, prepared = open_inside(app)
    finals = chart(at, "in the plane of")["h_T of every window"]
    w = prepared.windows
    targets = np.concatenate([w.y_train, w.y_test]).ravel()
    np.testing.assert_allclose(finals["marker"]["color"], targets)
    at.radio(key="state_path_colour").set_value("season phase").run()
    assert not at.exception
    finals = chart(at, "in the plane of")["h_T of every window"]
    positions = np.concatenate([w.train_index, w.test_index])
    months = prepared.series.index[positions].month - 1  # monthly data: the target's month
    assert list(finals["marker"]["color"]) == list(months)
    assert finals["customdata"][0][1] == ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                          "Sep", "Oct", "Nov", "Dec")[months[0]]
    assert any("by the place of their target in the season" in c.value for c in at.caption)


def test_a_run_of_three_values_ahead_picks_the_output_the_memory_shows(app):
    at, model, prepared = open_inside(app, horizon="3")
    pick = at.selectbox(key="memory_output")
    assert pick.options == ["ŷ_1: value 1 ahead", "ŷ_2: value 2 ahead", "ŷ_3: value 3 ahead"]
    window = parse_window(at.text_input(key="unroll_text").value,
                          *prepared.windows.x_test.shape[1:])
    g = memory.gradients(model, window)
    pick.set_value(2).run()
    assert not at.exception
    bars = chart(at, "How much each input step moves")["this window"]
    np.testing.assert_allclose(bars["y"], np.linalg.norm(g.d_output[2], axis=1), rtol=1e-9)
    assert any("output 3 of 3" in m.value for m in at.markdown)


def test_the_page_explains_itself_without_naming_tutorials(app):
    import re

    at, _, _ = open_inside(app)
    words = []
    # the page's own words: the sidebar's glossary explains what "the tutorials" are, on purpose
    for kind in ("radio", "text_input", "selectbox", "toggle", "number_input", "slider",
                 "button", "markdown", "caption", "info", "subheader", "expander"):
        for element in at.main.get(kind):
            proto = element.proto
            words += [getattr(proto, f, "") for f in ("label", "help", "body")
                      if isinstance(getattr(proto, f, None), str)]
    text = "\n".join(words)
    assert "Window values" in text and "first test window" in text  # labels and helps read
    assert not re.search(r"tutorial|\bT[1-3]\b", text, re.IGNORECASE), text
