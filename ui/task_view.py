"""The long-lag tasks (recall, adding) on the Data and Results pages: what replaces the series.

A task has no series to draw and no persistence, ARIMA or forecast to compare with: the Data
page shows example sequences and the counts, the Results page the test MSE next to the task's
baseline on the same test sequences, a verdict and predicted vs target. The numbers come from
``rnn_core.tasks``; the figures from ``rnn_core.task_figures``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from rnn_core import export, figures, task_figures, tasks
from rnn_core.config import FIELDS
from rnn_core.divergence import run_diverged
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import keras_view, replay_view, widgets
from .session import session

ABOUT = {
    "recall": "Each sample is a fresh sequence of T values drawn U(0, 1); the target is the "
              "FIRST of them. Nothing after step 1 helps: the network must carry that value "
              "through T − 1 updates of its state. Baseline: predict the training targets' "
              "mean (MSE ≈ 1/12 ≈ 0.083).",
    "adding": "Each step holds a value U(0, 1) and a marker; the marker is 1 at exactly two "
              "steps, one in each half of the sequence, and the target is the sum of the two "
              "marked values (Hochreiter & Schmidhuber's adding problem). Baseline: predict "
              "1.0, the expected sum (MSE ≈ 1/6 ≈ 0.167).",
}
VERDICT_BOX = {"solved": st.success, "learning": st.info, "not learned": st.warning}


def data_page(config: Any, right: Any) -> None:
    """The Data page of a task: example sequences (right column), the window settings (those
    a task does not read greyed out by ``widgets.field``), the counts."""
    try:
        prepared, problem = prepare(config), None
    except RnnExplorerError as err:  # e.g. adding with T = 1: the knob to fix it stays drawn
        prepared, problem = None, str(err)
    with right:
        st.markdown(ABOUT[config.dataset])
        if prepared is not None:
            w = prepared.windows
            st.plotly_chart(task_figures.examples_figure(config.dataset, w.x_train, w.y_train),
                            key="task_examples", width="stretch")
    st.subheader("Windows")
    st.caption("Each sequence is one window of T time steps: the settings below that cut a "
               "series into windows are greyed out.")
    shown = [f.name for f in FIELDS if f.group in ("windows", "scaling")]
    for column, names in zip(st.columns(3), (shown[:3], shown[3:6], shown[6:])):
        with column:
            for name in names:
                widgets.field(name)
    if problem:
        st.error(problem)
        return
    w = prepared.windows
    widgets.window_counts(w, "sequences")
    base = tasks.baseline_mse(config.dataset, w)
    st.caption(f"The baseline ({tasks.BASELINE_NAMES[config.dataset]}) scores MSE {base:.4g} on "
               f"these {w.n_test:,} test sequences (analytic value "
               f"{tasks.ANALYTIC_BASELINE_MSE[config.dataset]:.4g}).")


def results(run: Any) -> None:
    """The Results page of a task run: MSE against the baseline, the verdict, predicted vs
    target (a click opens the sequence on Inside the network), the downloads that apply."""
    w, h, config = run.windows, run.history, run.config
    st.markdown(ABOUT[config.dataset])
    shown = replay_view.results_epoch(run)  # the epoch slider: the network after that epoch
    found = tasks.scores(config, w, shown.pred_train, shown.pred_test)
    a, b, c = st.columns(3)
    a.metric("Test MSE", f"{found['test_mse']:.4g}", help=f"On {w.n_test:,} test sequences.")
    b.metric(f"Baseline MSE ({found['baseline_name']})", f"{found['baseline_test_mse']:.4g}",
             help="The task's baseline, which ignores the inputs, on the same test sequences.")
    c.metric("Train MSE", f"{found['train_mse']:.4g}", help=f"On {w.n_train:,} training sequences.")
    VERDICT_BOX[found["verdict_level"]](tasks.verdict(config, found))
    st.caption(f"{run.name} · {h.epochs_run} epochs in {h.fit_seconds:.1f} s"
               + (" · stopped early" if h.stopped else "")
               + (" · diverged" if run_diverged(h, run.metrics) else "")
               + " · persistence, ARIMA and forecasts beyond the data do not apply to a task: "
                 "its sequences are independent samples.")
    baseline = tasks.baseline_prediction(config.dataset, w.y_train)
    figure = task_figures.prediction_figure(
        w.y_train, shown.pred_train, w.y_test, shown.pred_test, baseline, found["baseline_name"])
    if not shown.last:
        figure.update_layout(title=figure.layout.title.text + replay_view.title(shown))
    event = st.plotly_chart(figure, key="task_prediction_chart", width="stretch",
                            on_select="rerun", selection_mode="points")
    replay_view.loss_curve(run, shown)  # under the chart: the epoch shown, marked
    picked = figures.picked_window(event, w.n_train, w.n_test)
    if picked is not None:
        session.unroll_pick = picked
        st.success(f"Picked {picked[0]} sequence {picked[1]}: see it step by step.")
        st.page_link("pages/unroll.py", label="Open Inside the network",
                     icon=":material/account_tree:")
    _downloads(run)


def _downloads(run: Any) -> None:
    st.subheader("Take it home")
    stem = run.name.split(":")[0].replace(" ", "_") or "run"
    cols = st.columns(3)
    cols[0].download_button("Model (.keras)", lambda: keras_view.model_file(run),
                            file_name=f"{stem}.keras", mime="application/octet-stream",
                            on_click="ignore", key="download_model",
                            help=keras_view.MODEL_FILE_HELP)
    cols[1].download_button("Predictions (.csv)", lambda: export.predictions_csv(run),
                            file_name=f"{stem}_predictions.csv", mime="text/csv",
                            on_click="ignore", key="download_predictions",
                            help="One row per sequence: part, number (position), target "
                                 "(actual) and prediction; the persistence column is empty.")
    cols[2].download_button("Config (.json)", run.config.to_json(),
                            file_name=f"{stem}_config.json", mime="application/json",
                            on_click="ignore", key="download_config",
                            help="Every setting of this run, the task seed included: loading it "
                                 "rebuilds the same sequences.")
    st.caption("No plain-Keras script for a task: the script rebuilds a series and its windows.")
