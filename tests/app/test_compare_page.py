"""Compare runs page: every run kept, rename, delete, and a sweep with its heatmap."""

import numpy as np

from tests.app.helpers import chart_title, chart_traces, texts, train, wait_for_jobs


def open_compare(at):
    return at.switch_page("pages/compare.py").run()


def test_no_runs_yet(app):
    at = open_compare(app())
    assert not at.exception
    assert any("No runs yet" in i for i in texts(at.info))


def test_two_runs_side_by_side(app):
    at = app({"dataset": "airpassengers"})  # a link of settings: the defaults, 8 units
    at = train(at, epochs=1)
    at.number_input(key="field:units").set_value(3).run()
    at = train(at, epochs=2)
    at = open_compare(at)
    runs = at.session_state["runs"]
    assert [r.config.units for r in runs] == [8, 3]
    assert [r.history.epochs_run for r in runs] == [1, 2]
    assert len(at.get("plotly_chart")) == 2  # loss overlay and test predictions
    assert not at.exception

def test_sweep_trains_the_grid_and_draws_the_heatmap(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("airpassengers").run()
    at = open_compare(at)
    at.multiselect(key="sweep_units").set_value([2, 4]).run()
    at.multiselect(key="sweep_steps").set_value([6]).run()
    at.number_input(key="sweep_epochs").set_value(1).run()
    at.button(key="sweep_start").click().run()
    entries = at.session_state["sweep"]
    assert [(c.units, c.time_steps, c.epochs) for c, _ in entries] == [(2, 6, 1), (4, 6, 1)]
    wait_for_jobs(at, [job for _, job in entries])
    assert any(s.startswith("Sweep finished: 2 runs") for s in texts(at.success))
    assert any(c.startswith("Best: ") for c in texts(at.caption))
    assert all(job.run.weights is None for _, job in entries)  # scores kept, models dropped


def test_sweep_over_cells_draws_a_column_per_cell_and_units(app):
    at = app({"dataset": "recall", "train_sequences": "60", "test_sequences": "20"})
    at = open_compare(at)
    at.multiselect(key="sweep_cells").set_value(["gru", "simplernn"]).run()
    at.multiselect(key="sweep_units").set_value([2]).run()
    at.multiselect(key="sweep_steps").set_value([3, 6]).run()
    at.number_input(key="sweep_epochs").set_value(1).run()
    at.button(key="sweep_start").click().run()
    entries = at.session_state["sweep"]
    assert [(c.cell, c.time_steps) for c, _ in entries] == [
        ("simplernn", 3), ("gru", 3), ("simplernn", 6), ("gru", 6)]
    wait_for_jobs(at, [job for _, job in entries])
    heatmap = chart_traces(next(c for c in at.get("plotly_chart")
                                if chart_title(c).startswith("Test MSE")))[0]
    assert heatmap["x"] == ["SimpleRNN 2u", "GRU 2u"] and heatmap["y"] == ["3", "6"]
    mse = {(c.cell, c.time_steps): float(np.mean((job.run.pred_test - job.run.windows.y_test) ** 2))
           for c, job in entries}
    assert np.allclose(np.reshape(heatmap["z"], (2, 2)), [[mse["simplernn", 3], mse["gru", 3]],
                                      [mse["simplernn", 6], mse["gru", 6]]])
    assert "This sweep: cells SimpleRNN, GRU × hidden units 2 × time steps 3, 6, 1 epoch per run." \
        in texts(at.caption)
    best = next(c for c in texts(at.caption) if c.startswith("Best: "))
    assert "test MSE" in best and "the task's baseline on the same test sequences" in best
    at.multiselect(key="sweep_cells").set_value(["simplernn", "lstm", "gru"]).run()
    at.multiselect(key="sweep_units").set_value([1, 2, 4]).run()
    at.multiselect(key="sweep_steps").set_value([3, 6, 12]).run()
    at.button(key="sweep_start").click().run()
    assert any("3 × 3 × 3 = 27 runs is more than the 25" in e for e in texts(at.error))


def test_sweep_over_the_limit_is_refused_with_a_message(app):
    at = open_compare(app())
    at.multiselect(key="sweep_units").set_value([1, 2, 4, 8, 16, 32]).run()
    at.multiselect(key="sweep_steps").set_value([3, 6, 12, 24, 36]).run()
    at.button(key="sweep_start").click().run()
    assert any("6 × 5 = 30 runs is more than the 25" in e for e in texts(at.error))
    assert "sweep" not in at.session_state or not at.session_state["sweep"]


def test_sweep_pickers_survive_a_page_switch(app):
    at = open_compare(app())
    at.multiselect(key="sweep_units").set_value([2, 32]).run()
    at.multiselect(key="sweep_steps").set_value([3]).run()
    at.number_input(key="sweep_epochs").set_value(4).run()
    at.switch_page("pages/data.py").run()
    at = open_compare(at)
    assert not at.exception
    assert at.multiselect(key="sweep_units").value == [2, 32]
    assert at.multiselect(key="sweep_steps").value == [3]
    assert at.number_input(key="sweep_epochs").value == 4
