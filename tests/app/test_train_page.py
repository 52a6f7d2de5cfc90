"""Network & training page: parameter table, training to the end, stop, divergence."""

import time

from tests.app.helpers import apply_preset, texts, train, wait_for_training


def test_parameter_count_of_t2_preset(app):
    at = apply_preset(app(), "t2-sine")
    at.switch_page("pages/train.py").run()
    assert not at.exception
    params = at.dataframe[0].value["parameters"].tolist()
    assert params == [1184, 264, 9]
    assert any("Total parameters: 1,457" in m.value for m in at.markdown)


def test_parameter_count_follows_cell_choice(app):
    at = app()
    at.switch_page("pages/train.py").run()
    at.selectbox(key="field:cell").set_value("lstm").run()
    at.number_input(key="field:units").set_value(4).run()
    # LSTM: 4 · (1 + 4 + 1) · 4 = 96, Dense: 4 + 1 = 5
    assert at.dataframe[0].value["parameters"].tolist() == [96, 5]


def test_train_two_epochs_of_t1_preset(app):
    at = apply_preset(app(), "t1-sunspots")
    at = train(at, epochs=2)
    assert not at.exception
    assert any(s.startswith("Training finished: 2 epochs") for s in texts(at.success))
    run = at.session_state["run"]
    assert run.history.epochs_run == 2 and len(run.pred_test) == 46


def test_stop_keeps_the_model_trained_so_far(app):
    at = app()
    at.switch_page("pages/train.py").run()
    at.number_input(key="field:epochs").set_value(400).run()
    at.button(key="train_button").click().run()
    job = at.session_state["job"]
    while not job.events:
        time.sleep(0.05)
    at.run()
    at.button(key="stop_button").click().run()
    at = wait_for_training(at)
    assert job.status == "stopped"
    assert any("Stopped after" in i and "the model as trained so far is kept" in i
               for i in texts(at.info))
    assert 1 <= at.session_state["run"].history.epochs_run < 400


def test_diverging_training_stops_and_says_so(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at.selectbox(key="field:scaler_fit").set_value("none").run()
    at.switch_page("pages/train.py").run()
    at.selectbox(key="field:activation").set_value("linear").run()
    at.selectbox(key="field:optimizer").set_value("sgd").run()
    at.number_input(key="field:learning_rate").set_value(1.0).run()
    at = train(at, epochs=3)
    errors = texts(at.error)
    assert any("NaN" in e and "lower learning rate" in e for e in errors), errors
    assert not at.exception


def test_invalid_windows_block_training_with_message(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at.number_input(key="field:time_steps").set_value(120).run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert any("Fix it on the Data & windows page" in e for e in texts(at.error))



def test_page_reruns_do_not_reset_keras_under_a_training(app):
    """Streamlit clears the Keras session after every script run; the live view reruns the
    page twice a second, which restarted every training's graph tracing forever. The app
    turns that clean-up off: Keras' global state must survive a rerun."""
    from rnn_core.model import keras_module

    keras = keras_module()
    at = app()
    first = keras.backend.get_uid("rerun_probe")
    at.run()
    assert keras.backend.get_uid("rerun_probe") == first + 1
