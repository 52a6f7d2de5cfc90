"""Inside the network page: step through the recurrence, numbers checked by hand."""

import numpy as np

from tests.app.helpers import apply_preset, texts, train, wait_for_training


def open_unroll(at):
    return at.switch_page("pages/unroll.py").run()


def hand_t1(model, xs):
    """Tutorial T1's hand computation: h_t = x_t·W_x + h_{t-1}·W_h + b_h; o = h_3·W_y + b_y."""
    w_x, w_h, b_h, w_y, b_y = model.get_weights()
    h = np.zeros(2)
    hs = []
    for x in xs:
        h = x * w_x[0] + h @ w_h + b_h
        hs.append(h)
    return np.array(hs), float(h @ w_y[:, 0] + b_y[0])


def test_t1_structure_demo_shows_h1_h2_h3_and_o3(app):
    at = open_unroll(apply_preset(app(), "t1-structure"))
    assert not at.exception
    assert at.radio(key="unroll_source").value == "type a window"
    assert at.text_input(key="unroll_text").value == "1, 2, 3"
    model, _ = at.session_state["unroll_untrained"][1]  # (key, (model, prepared))
    hs, o3 = hand_t1(model, [1.0, 2.0, 3.0])
    for t in (1, 2, 3):
        code = at.code[0].value
        assert code.startswith(f"x_{t} = [{t}]")
        shown = [float(v) for v in code.rsplit("[", 1)[1].rstrip("]").split(",")]
        np.testing.assert_allclose(shown, hs[t - 1], rtol=1e-3, atol=1e-6)
        if t < 3:
            at.button(key="unroll_next").click().run()
    assert at.button(key="unroll_next").disabled
    assert "y = h_3·W + b" in at.code[1].value
    by_hand = next(m.value for m in at.metric if m.label == "By hand (numpy)")
    keras = next(m.value for m in at.metric if m.label == "Keras predict")
    assert np.isclose(float(by_hand), o3, rtol=1e-5)
    assert np.isclose(float(keras), o3, rtol=1e-5)


def test_typed_window_with_wrong_length_is_explained(app):
    at = open_unroll(apply_preset(app(), "t1-structure"))
    at.text_input(key="unroll_text").input("1, 2").run()
    assert not at.exception
    assert any("has 2 numbers but the network reads 3 time step(s)" in e for e in texts(at.error))
    at.text_input(key="unroll_text").input("1, two, 3").run()
    assert any("is not a list of numbers" in e for e in texts(at.error))


def test_window_as_features_layout_is_explained(app):
    at = open_unroll(apply_preset(app(), "t2-sine"))
    assert any("ONE time step of 4 features" in i for i in texts(at.info))
    assert at.code[0].value.startswith("x_1 = [")


def test_trained_lstm_shows_gates_and_matches_keras(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at.switch_page("pages/train.py").run()
    at.selectbox(key="field:cell").set_value("lstm").run()
    at = train(at, epochs=1)
    at = open_unroll(at)
    assert at.radio(key="unroll_model_choice").value == "trained (last run)"
    at.number_input(key="unroll_index").set_value(3).run()
    code = at.code[0].value
    for symbol in ("f_1 = sigmoid", "i_1 = sigmoid", "ĉ_1 = tanh", "o_1 = sigmoid", "c_1 = ", "h_1 = "):
        assert symbol in code
    diff = next(m.value for m in at.metric if m.label == "Absolute difference")
    assert float(diff) < 1e-5
    assert [t.label for t in at.tabs] == ["h", "c", "forget", "input", "candidate", "output"]

    # a preset picked after the training: Inside opens on the network that preset builds, with
    # its own window (it kept the trained 12-step LSTM, which refuses the window 1, 2, 3)
    at = open_unroll(apply_preset(at, "t1-structure"))
    assert not at.exception and not at.error
    assert at.radio(key="unroll_model_choice").value == "untrained (random weights)"
    assert at.radio(key="unroll_source").value == "type a window"
    assert at.text_input(key="unroll_text").value == "1, 2, 3"
    assert any("reads windows of 3 time steps" in c for c in texts(at.caption))
    # "trained" stays one click away, and is kept while the setup stays the same
    at.radio(key="unroll_model_choice").set_value("trained (last run)").run()
    at.switch_page("pages/results.py").run()
    at = open_unroll(at)
    assert at.radio(key="unroll_model_choice").value == "trained (last run)"


def final_state_drawn(at) -> bool:
    return any("for each window, placed at its target" in c.proto.spec for c in at.get("plotly_chart"))


def test_final_state_toggle_and_window_survive_a_page_switch(app):
    """Streamlit forgets a widget's state when a page does not draw it: the toggle, the window
    and the network come back as they were, and the chart is drawn exactly when the toggle is on."""
    at = app({"dataset": "airpassengers", "epochs": "1"})
    at.switch_page("pages/train.py").run()
    at.button(key="train_button").click().run()
    at = open_unroll(wait_for_training(at, seconds=400))  # a worker's first start is slow under load
    at.radio(key="unroll_source").set_value("training window").run()
    at.number_input(key="unroll_index").set_value(7).run()
    at.toggle(key="show_final_states").set_value(True).run()
    assert final_state_drawn(at)
    at.radio(key="unroll_model_choice").set_value("untrained (random weights)").run()
    at.switch_page("pages/results.py").run()
    at = open_unroll(at)
    assert not at.exception
    assert at.radio(key="unroll_model_choice").value == "untrained (random weights)"
    assert at.radio(key="unroll_source").value == "training window"
    assert at.number_input(key="unroll_index").value == 7
    assert at.toggle(key="show_final_states").value is True
    assert final_state_drawn(at)
    at.toggle(key="show_final_states").set_value(False).run()
    assert not final_state_drawn(at)


def test_busy_workers_are_said_and_the_answer_shows_once_it_is_there(app, monkeypatch):
    """The untrained network's weights come from a worker: while the queue is busy past the
    wait limit the page says so (no traceback), and shows the network once they are there."""
    from rnn_core import jobs
    from rnn_core.keras_request import answer
    from ui import keras_view

    held: list[jobs.KerasJob] = []

    def queued_forever(request):  # a job no worker takes: the queue is full of trainings
        held.append(jobs.KerasJob(request.config, request=request))
        return held[-1]

    monkeypatch.setattr(keras_view, "WAIT_SECONDS", 0.2)
    monkeypatch.setattr(keras_view, "submit", queued_forever)
    at = open_unroll(apply_preset(app(), "t1-structure"))
    assert not at.exception and len(held) == 1
    assert texts(at.info) == ["The workers are busy with trainings: the request for the untrained "
                              "network's weights waits in the queue. Open this page again in a "
                              "moment to see the answer."]
    assert not at.main.code  # nothing drawn from a network that is not there yet
    at.run()
    assert len(held) == 1  # the same request waits: not queued again
    job = held[0]
    job.result, job.status = answer(job.request), jobs.DONE  # a worker answered
    at.run()
    assert not at.exception and at.main.code[0].value.startswith("x_1 = [1]")
    # Keras' own prediction of the typed window is a second request, waiting in its turn
    assert len(held) == 2 and held[1].request.kind == "predict"
    assert any("the request for Keras' prediction of this window waits" in i
               for i in texts(at.info))


def test_a_failed_request_is_said_and_asked_again_on_the_next_run(app, monkeypatch):
    from rnn_core import jobs
    from ui import keras_view

    asked: list[jobs.KerasJob] = []

    def fails(request):
        job = jobs.KerasJob(request.config, request=request, status=jobs.FAILED,
                            error="Drawing the untrained network's weights failed: the worker "
                                  "process did not answer")
        asked.append(job)
        return job

    monkeypatch.setattr(keras_view, "submit", fails)
    at = open_unroll(apply_preset(app(), "t1-structure"))
    assert not at.exception
    assert texts(at.error) == ["Drawing the untrained network's weights failed: the worker "
                               "process did not answer"]
    at.run()
    assert len(asked) == 2  # a worker that died is replaced: the next run asks again
