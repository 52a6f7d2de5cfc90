"""Prediction intervals on Results: the band on the prediction and forecast charts, and the
sentence that says how often they held."""

import numpy as np
import pytest

from rnn_core import intervals
from tests.app.helpers import chart_title, chart_traces, texts, train


def test_results_draw_the_band_and_say_how_often_it_held(app):
    at = app({"dataset": "airpassengers", "time_steps": "6", "units": "3", "interval_level": "0.9"})
    at = train(at, epochs=2)
    at.switch_page("pages/results.py").run()
    assert not at.exception
    run = at.session_state["run"]
    found = intervals.intervals(run.prepared, run.pred_train, run.pred_test, 0.9)
    said = [t for t in texts(at.success) + texts(at.warning) if "intervals held" in t]
    assert said == [found.sentence(run.prepared.series.measured_in)]
    charts = at.get("plotly_chart")
    prediction = next(c for c in charts if chart_title(c).startswith("Actual and predicted"))
    (band,) = [t for t in chart_traces(prediction) if t.get("name") == "90% interval"]
    test_pred = run.original(run.pred_test, "test")
    assert band["y"] == pytest.approx((test_pred - found.half_width[0]).tolist())
    forecast = next(c for c in charts if "orecast" in chart_title(c))
    names = [t.get("name") for t in chart_traces(forecast)]
    assert "90% interval" in names
    # off: no band, no sentence
    at = train(at, epochs=1, interval_level=0.0)
    at.switch_page("pages/results.py").run()
    prediction = next(c for c in at.get("plotly_chart") if chart_title(c).startswith("Actual and predicted"))
    assert not [t for t in chart_traces(prediction) if "interval" in str(t.get("name"))]
    assert not [t for t in texts(at.success) + texts(at.warning) if "intervals held" in t]
