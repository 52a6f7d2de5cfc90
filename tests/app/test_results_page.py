"""Results page: chart, errors in both units, the persistence sentence."""

import numpy as np

from tests.app.helpers import apply_preset, texts, train


def test_results_without_a_run_points_to_training(app):
    at = app()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert any("No trained model yet" in i for i in texts(at.info))


def test_results_after_training_show_metrics_and_verdict(app):
    at = apply_preset(app(), "t1-sunspots")
    at = train(at, epochs=2)
    at.switch_page("pages/results.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["windows"].tolist() == [187, 46]
    run = at.session_state["run"]
    # original-unit RMSE is the scaled one times the scaler's range (fitted on all: 253.8)
    ratio = table["RMSE (original)"][1] / table["RMSE (scaled)"][1]
    assert np.isclose(ratio, np.ptp(run.prepared.series.values))
    assert np.isclose(table["persistence RMSE (original)"][1], 20.199, atol=1e-3)
    sentence = (texts(at.success) + texts(at.warning))[-1]
    assert "persistence on the test part" in sentence
    assert ("does not beat" in sentence) == (table["RMSE (original)"][1] > 20.1993)
    assert not any("· diverged" in c for c in texts(at.caption))
    # a finite loss but non-finite predictions: diverged by divergence.run_diverged (the CLI's
    # exit 3 and the queue's rule), though the training loop never stopped on its loss
    from rnn_core.run import Run

    assert not run.history.diverged
    at.session_state["run"] = Run(run.config, run.prepared, run.history, run.pred_train,
                                  run.pred_test, {**run.metrics, "test_rmse": float("nan")},
                                  run.weights, name=run.name)
    at.run()
    assert not at.exception
    assert any(c.endswith("· diverged") for c in texts(at.caption))


def test_scaled_toggle_changes_chart_units(app):
    at = apply_preset(app(), "t1-sunspots")
    at = train(at, epochs=1)
    at.switch_page("pages/results.py").run()
    assert "sunspot number" in at.get("plotly_chart")[0].proto.spec
    at.toggle(key="results_scaled").set_value(True).run()
    assert "(scaled)" in at.get("plotly_chart")[0].proto.spec


def test_downloads_offered_after_training(app):
    at = apply_preset(app(), "t1-sunspots")
    at = train(at, epochs=1)
    at.switch_page("pages/results.py").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Model (.keras)", "Predictions (.csv)", "Config (.json)",
                      "Plain Keras script (.py)"]


def test_baselines_table_forecast_and_residuals(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at = train(at, epochs=1)
    at.switch_page("pages/results.py").run()
    assert not at.exception
    frame = at.dataframe[1].value
    assert frame["forecast"].tolist()[0].startswith("Model (")
    assert frame["forecast"].tolist()[1:] == ["Persistence (last value)",
                                              "Seasonal naive (12 back)", "Training mean",
                                              "ARIMA(2, 0, 1)",
                                              "SARIMA(0, 1, 1)(0, 1, 1)12 on logs"]
    run = at.session_state["run"]
    persistence = frame["RMSE"].tolist()[1]
    assert np.isclose(persistence, run.metrics["persistence_test_rmse_original"])
    # the forecast: 24 steps by default, the first one is the next value
    future = at.session_state["forecast_cache"][1]
    assert len(future) == 24
    assert next(mm.value for mm in at.metric if mm.label == "Next value after the data") == f"{future[0]:.4g}"
    at.number_input(key="forecast_steps").set_value(6).run()
    assert len(at.session_state["forecast_cache"][1]) == 6
    charts = [c.proto.spec for c in at.get("plotly_chart")]
    assert any("Residuals over time" in spec for spec in charts)
    assert any("Forecast beyond the data" in spec for spec in charts)
