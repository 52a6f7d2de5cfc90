"""The backtest on the Compare page: K folds queued, then the bars, the table and the spread."""

import numpy as np
import pytest

from rnn_core import backtest
from tests.app.helpers import chart_title, chart_traces, texts, wait_for_jobs

TINY = {"dataset": "airpassengers", "time_steps": "6", "units": "3", "epochs": "1"}


def test_a_backtest_scores_each_origin_for_the_model_and_the_baselines(app):
    at = app(TINY)
    at.switch_page("pages/compare.py").run()
    at.number_input(key="backtest_folds").set_value(2).run()
    at.button(key="backtest_start").click().run()
    assert not at.exception
    entries = at.session_state["backtest"]
    assert [(f.origin, f.end) for f, _job in entries] == [(f.origin, f.end) for f in backtest.folds(144, 2)]
    assert [job.config.split for _f, job in entries] == [f.origin for f in backtest.folds(144, 2)]
    wait_for_jobs(at, [job for _f, job in entries])
    assert not at.exception
    table = next(d.value for d in at.dataframe if "origin" in d.value.columns)
    runs = [job.run for _f, job in entries]
    assert table["fold"].tolist() == [1, 2]
    assert np.allclose(table["model"], [r.metrics["test_rmse_original"] for r in runs])
    bars = chart_traces(next(c for c in at.get("plotly_chart")
                             if chart_title(c) == "Test RMSE at each forecast origin"))
    assert bars[0]["name"] == "model" and bars[0]["y"] == pytest.approx(table["model"].tolist())
    spread = next(d.value for d in at.dataframe if "worst fold" in d.value.columns)
    assert spread.iloc[0]["mean RMSE"] == pytest.approx(table["model"].mean())
    assert any(m.value.startswith("Over 2 origins the model's test RMSE is") for m in at.markdown)


def test_a_backtest_that_cannot_be_cut_says_which_fold(app):
    at = app({**TINY, "time_steps": "40"})
    at.switch_page("pages/compare.py").run()
    at.number_input(key="backtest_folds").set_value(6).run()
    at.button(key="backtest_start").click().run()
    assert any(e.startswith("fold 1 (trained on the first") for e in texts(at.error))
    assert "backtest" not in at.session_state
