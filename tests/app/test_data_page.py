"""Data & windows page: series, split, window counts, layout note, bad input messages."""

import pytest

from rnn_core.presets import RECOMMENDED, preset
from tests.app.helpers import apply_preset, texts


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_default_page_shows_sunspots_split_and_window_counts(app):
    at = app()
    assert not at.exception
    assert at.title[0].value == "Data & windows"
    # a first visit starts with the recommended preset, marked in the picker: sliding windows
    # of 36 over 2,820 sunspots, split at 2,256, continuous scope
    assert at.session_state["config"] == preset(RECOMMENDED) and RECOMMENDED == "sunspots"
    picker = at.sidebar.selectbox(key="preset_choice")
    assert picker.value == "sunspots" and "sunspots ★ recommended" in picker.options
    assert metric(at, "Training windows") == "2,220"
    assert metric(at, "Test windows") == "564"
    assert any("first 2,256" in c.value for c in at.caption)


def test_t1_preset_gives_tutorial_window_counts(app):
    at = apply_preset(app(), "t1-sunspots")
    assert metric(at, "Training windows") == "187"
    assert metric(at, "Test windows") == "46"
    assert any("leak" in w.value for w in at.warning)


def test_t2_preset_layout_note_and_counts(app):
    at = apply_preset(app(), "t2-sine")
    assert metric(at, "Training windows") == "800"
    assert metric(at, "Test windows") == "200"
    assert metric(at, "Input shape") == "(samples, 1, 4)"
    assert any("single step" in i.value for i in at.info)


def test_changing_time_steps_updates_counts_and_marks_custom(app):
    at = apply_preset(app(), "t1-sunspots")
    at.number_input(key="field:time_steps").set_value(24).run()
    # stride stays 12: train targets at 24, 36, … 2244 -> 186 windows
    assert metric(at, "Training windows") == "186"
    assert at.sidebar.selectbox(key="preset_choice").value == "custom"


def test_windows_too_long_for_series_shows_error_not_traceback(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at.number_input(key="field:time_steps").set_value(120).run()
    assert not at.exception
    assert any("too short for windows of 120 time steps" in e for e in texts(at.error))


def test_bad_split_keeps_previous_value_and_explains(app):
    at = app()
    at.number_input(key="field:split").set_value(1.5).run()
    assert not at.exception
    assert any("split=1.5" in e and "fraction between 0 and 1" in e for e in texts(at.error))
    assert at.session_state["config"].split == 0.8
    assert metric(at, "Training windows") == "2,220"


def test_split_as_index(app):
    at = app()
    at.number_input(key="field:split").set_value(2000.0).run()
    assert any("first 2,000" in c.value for c in at.caption)


def test_sine_knobs_generate_series(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("sine").run()
    at.number_input(key="field:sine_length").set_value(500).run()
    assert any(c.value.startswith("500 values") for c in at.caption)


def test_link_settings_restored_and_bad_link_value_reported(app):
    at = app({"preset": "t1-sunspots", "units": "5", "epochs": "-1"})
    assert not at.exception
    cfg = at.session_state["config"]
    assert (cfg.units, cfg.time_steps, cfg.epochs) == (5, 12, 20)
    notes = texts(at.sidebar.warning)
    assert any("epochs='-1' is out of range" in n for n in notes)


def test_settings_survive_page_switch(app):
    at = app()
    at.number_input(key="field:time_steps").set_value(30).run()
    at.switch_page("pages/train.py").run()
    at.switch_page("pages/data.py").run()
    assert at.number_input(key="field:time_steps").value == 30



def test_share_link_restores_the_same_setup(app):
    at = apply_preset(app(), "t1-sunspots")
    assert at.sidebar.code[0].value.endswith("?preset=t1-sunspots")
    at.number_input(key="field:time_steps").set_value(6).run()
    link = at.sidebar.code[0].value
    query = dict(part.split("=") for part in link.split("?", 1)[1].split("&"))
    # the link keeps the preset it started from and lists what differs from it
    assert query == {"preset": "t1-sunspots", "time_steps": "6"}
    assert any("Based on the preset t1-sunspots; changed: time_steps" in c
               for c in texts(at.sidebar.caption))
    assert at.sidebar.selectbox(key="preset_choice").value == "custom"
    reopened = app(query)
    assert not reopened.exception
    assert reopened.session_state["config"] == at.session_state["config"]


def test_windows_picture_and_both_window_counts(app):
    at = apply_preset(app(), "t1-sunspots")
    assert any("non-overlapping (stride 12): 187 windows; sliding (stride 1): 2,244" in c.value
               for c in at.caption)
    spec = next(c.proto.spec for c in at.get("plotly_chart") if "first training windows" in c.proto.spec)
    assert spec.count('"star"') == 6  # six targets marked
    at.number_input(key="field:time_steps").set_value(24).run()
    assert any("non-overlapping (stride 24): 93 windows; sliding (stride 1): 2,232" in c.value
               for c in at.caption)


@pytest.mark.parametrize("key, value, words", [
    ("time_steps", "0", "time_steps='0' is out of range: use a whole number from 1 to 120"),
    ("units", "10000", "units='10000' is out of range: use a whole number from 1 to 256"),
    ("learning_rate", "0", "learning_rate='0' is out of range"),
    ("learning_rate", "nan", "learning_rate='nan' is not valid: use a number"),
    ("horizon", "99", "horizon='99' is out of range: use a whole number from 1 to 24"),
    ("split", "1.5", "split=1.5 is not valid"),
])
def test_absurd_link_values_are_reported_and_the_default_kept(app, key, value, words):
    at = app({"preset": "t1-sunspots", key: value})
    assert not at.exception
    assert any(words in n for n in texts(at.sidebar.warning)), texts(at.sidebar.warning)
    cfg = at.session_state["config"]
    assert cfg.units == 3 and cfg.stride == 12  # the rest of the link still applies
    assert getattr(cfg, key) == getattr(preset("t1-sunspots"), key)


def test_parts_too_short_for_the_windows_are_explained_with_what_to_change(app):
    at = app({"dataset": "airpassengers"})
    at.number_input(key="field:time_steps").set_value(24).run()
    at.number_input(key="field:horizon").set_value(8).run()
    assert not at.exception
    # 144 values, test part 29: 24 steps + 8 ahead leave no test window with separate scope
    at.selectbox(key="field:window_scope").set_value("separate").run()
    errors = texts(at.error)
    assert any("the test part (29 values) is too short for windows of 24 time steps and a "
               "horizon of 8" in e and "shorter horizon" in e for e in errors), errors
    # the series and its split are still shown; fixing the knob brings the windows back
    assert any("144 values" in c for c in texts(at.caption))
    at.number_input(key="field:horizon").set_value(1).run()
    assert not texts(at.error)
    assert [m.value for m in at.metric][1] == "5"


def test_a_link_naming_an_upload_this_browser_lacks_says_so_and_falls_back(app):
    at = app({"dataset": "upload", "units": "5"})
    assert not at.exception
    assert at.session_state["config"].dataset == "sunspots"
    assert at.session_state["config"].units == 5  # the rest of the link is kept
    assert any("uploaded in another browser" in w for w in texts(at.sidebar.warning))
    assert at.selectbox(key="field:dataset").value == "sunspots"
    assert metric(at, "Training windows") == "2,244"
