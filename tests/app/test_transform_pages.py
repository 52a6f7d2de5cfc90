"""The series transform in the app: the data page's second chart and extrapolation sentence,
a clear message for a log of a series with zeros, and a result scored in original units."""

import numpy as np

from tests.app.helpers import chart_traces, texts, train, wait_for_jobs


def test_transform_adds_the_learned_series_and_brings_targets_in_range(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    assert not at.exception
    assert any("24% of the test targets lie above anything seen in training" in w
               for w in texts(at.warning))
    assert len(at.get("plotly_chart")) == 2  # the series, the windows
    at.selectbox(key="field:transform").set_value("log_seasonal_diff").run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 3
    learned = chart_traces(charts[1])[1]["y"]  # the scaled log seasonal differences
    assert len(learned) == 144 - 12
    assert any("0% of the test targets lie above anything seen in training" in i
               for i in texts(at.info))


def test_log_of_a_series_with_zeros_is_a_message(app):
    at = app()  # sunspots: some months have none
    at.selectbox(key="field:transform").set_value("log").run()
    assert not at.exception
    assert any("smallest value is 0" in e for e in texts(at.error))


def test_a_transformed_run_is_scored_in_original_units(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at.selectbox(key="field:transform").set_value("log_seasonal_diff").run()
    at = train(at, epochs=2)
    run = at.session_state["run"]
    assert run.config.transform == "log_seasonal_diff"
    x, w = run.prepared.series.values, run.windows
    inverted = run.original(run.pred_test)
    assert np.allclose(np.sqrt(np.mean((inverted - x[w.test_index]) ** 2)),
                       run.metrics["test_rmse_original"])
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert any("log, then seasonal difference" in c for c in texts(at.caption))
    predicted = chart_traces(at.get("plotly_chart")[0])
    test_trace = next(t for t in predicted if "test" in str(t.get("name", "")).lower()
                      and "pred" in str(t.get("name", "")).lower())
    assert np.allclose(test_trace["y"], inverted)  # drawn in passengers, not differences


def test_transform_pitfall_trains_raw_and_transformed_and_shows_the_range(app):
    at = app({"dataset": "airpassengers", "epochs": "3"})
    at.switch_page("pages/pitfalls.py").run()
    at.radio(key="pitfall_choice").set_value("transform").run()
    assert any("cannot extrapolate" in i for i in texts(at.info))
    assert any("Transform compared with raw values: log_seasonal_diff" in c for c in texts(at.caption))
    at.radio(key="pitfall_base").set_value("current").run()  # the link's 3 epochs
    at.button(key="pitfall_start").click().run()
    name, pair = at.session_state["pitfall"]
    assert [job.config.transform for job in pair] == ["none", "log_seasonal_diff"]
    wait_for_jobs(at, pair)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["test targets above / below the training range"].tolist() == ["24% / 0%", "0% / 0%"]
    assert table["test RMSE"].tolist() == [job.run.metrics["test_rmse_original"] for job in pair]


def test_transform_pitfall_on_a_series_with_zeros_says_why(app):
    at = app()  # sunspots
    at.switch_page("pages/pitfalls.py").run()
    at.radio(key="pitfall_choice").set_value("transform").run()
    at.radio(key="pitfall_base").set_value("current").run()
    at.button(key="pitfall_start").click().run()
    assert not at.exception
    assert any("smallest value is 0" in e for e in texts(at.error))


def test_window_counts_follow_the_shorter_differenced_series(app):
    at = app({"dataset": "airpassengers", "transform": "seasonal_diff"})
    assert not at.exception
    train_windows = next(m.value for m in at.metric if m.label == "Training windows")
    assert train_windows == "91"  # 115 training values, 12 fewer after the difference, T = 12
    assert any("sliding (stride 1): 91" in c for c in texts(at.caption))
