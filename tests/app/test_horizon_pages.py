"""A horizon of H values ahead through the pages: the knob, the windows, the results per
step, the unroll proof over H outputs, and the recursive-vs-direct comparison."""

import numpy as np

from rnn_core.windows import count
from tests.app.helpers import chart_title, chart_traces, texts, train, wait_for_jobs


def test_horizon_knob_changes_the_window_counts_and_the_picture(app):
    at = app({"dataset": "airpassengers", "time_steps": "6"})
    at.switch_page("pages/data.py").run()
    assert not at.exception
    box = at.number_input(key="field:horizon")
    assert box.label.endswith("(1–24)") and "H units" in box.help
    box.set_value(4).run()
    assert not at.exception
    n_train, n_test = count(144, 115, 6, 1, "continuous", False, 4)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Training windows"] == f"{n_train:,}" and metrics["Test windows"] == f"{n_test:,}"
    assert any("T = 6 and H = 4" in c for c in texts(at.caption))
    stars = [t for t in chart_traces(at.get("plotly_chart")[-1])
             if t.get("name", "").startswith("targets")]
    assert len(stars) == 6 and all(len(t["x"]) == 4 for t in stars)
    # the setting lives in the link and survives a page switch
    assert at.query_params["horizon"] in ("4", ["4"])
    at.switch_page("pages/train.py").run()
    at.switch_page("pages/data.py").run()
    assert at.number_input(key="field:horizon").value == 4


def test_a_bad_horizon_in_the_link_is_refused_with_a_message(app):
    at = app({"horizon": "0"})
    assert not at.exception
    assert any("horizon" in m and "from 1 to 24" in m for m in texts(at.sidebar.warning)
               + texts(at.warning) + texts(at.error))


def test_results_show_every_step_ahead_and_unroll_proves_all_outputs(app):
    at = app({"dataset": "airpassengers", "time_steps": "6", "horizon": "3", "units": "4"})
    at = train(at, epochs=2)
    run = at.session_state["run"]
    assert run.pred_test.shape == (run.windows.n_test, 3)
    assert run.name.endswith("4u T=6 H=3")  # the horizon shows in the run's name
    at.switch_page("pages/results.py").run()
    assert not at.exception
    step_caption = next(c for c in texts(at.caption) if "by step ahead" in c)
    assert f"1: {run.metrics['test_rmse_original_h1']:.4g}" in step_caption
    assert f"3: {run.metrics['test_rmse_original_h3']:.4g}" in step_caption
    sentence = (texts(at.success) + texts(at.warning))[0]
    assert "over all 3 values ahead" in sentence
    # the chart shows step k at its own dates
    test_trace = next(t for t in chart_traces(at.get("plotly_chart")[0])
                      if t.get("name") == "predicted (test)")
    first = np.asarray(run.original(run.pred_test[:, 0]))[:3]
    np.testing.assert_allclose(test_trace["y"][:3], first, rtol=1e-9)
    dates = list(test_trace["x"])
    at.slider(key="results_step").set_value(3).run()
    assert not at.exception
    test_trace = next(t for t in chart_traces(at.get("plotly_chart")[0])
                      if t.get("name") == "predicted (test)")
    np.testing.assert_allclose(test_trace["y"][:3], run.original(run.pred_test[:3, 2]), rtol=1e-9)
    # step 3 of window 0 is drawn where step 1 of window 2 was: two values later
    assert test_trace["x"][0] == dates[2]
    assert "3 step(s) ahead" in chart_title(at.get("plotly_chart")[0])

    at.switch_page("pages/unroll.py").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Largest absolute difference over 3 outputs" in labels
    diff = float(next(m.value for m in at.metric if m.label.startswith("Largest")))
    assert diff < 1e-4


def test_recursive_vs_direct_comparison_trains_both_and_scores_each_step(app):
    at = app({"dataset": "airpassengers", "time_steps": "6", "units": "4", "epochs": "2"})
    at.switch_page("pages/pitfalls.py").run()
    at.radio(key="pitfall_choice").set_value("horizon").run()
    assert any("H = 12" in c for c in texts(at.caption))
    at.radio(key="pitfall_base").set_value("current").run()  # the link's tiny setup
    at.button(key="pitfall_start").click().run()
    name, pair = at.session_state["pitfall"]
    assert name == "horizon" and [job.config.horizon for job in pair] == [1, 12]
    wait_for_jobs(at, pair)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["step ahead"].tolist() == list(range(1, 13))
    direct = pair[1].run
    np.testing.assert_allclose(table["direct RMSE"],
                               [direct.metrics[f"test_rmse_original_h{k}"] for k in range(1, 13)])
    np.testing.assert_allclose(
        table["persistence RMSE"],
        [direct.metrics[f"persistence_test_rmse_original_h{k}"] for k in range(1, 13)])
    rec, dirt = table["recursive RMSE"].mean(), table["direct RMSE"].mean()
    summary = next(m.value for m in at.markdown if "mean test RMSE" in m.value)
    assert f"recursive {rec:.4g}" in summary and f"direct {dirt:.4g}" in summary
    assert ("**direct** forecast is better" in summary) == (dirt < rec)
