"""The backtest on the Compare page: K forecast origins, one training each, then the error per
fold and its spread for the model and every baseline."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnn_core import backtest, backtest_figures, baselines, jobs, tasks
from rnn_core.errors import RnnExplorerError

from . import jobs_view, state
from .session import Session, session


def start(k: int) -> None:
    """Queue one training per fold (every fold checked first: nothing queued if one fails)."""
    if jobs_view.refused_while_running(_jobs(), "The backtest"):
        return
    try:
        setups = backtest.fold_setups(state.get_config(), state.series(), int(k))
    except RnnExplorerError as err:
        session.backtest_error = str(err)
        return
    session.backtest_error = None
    runner = jobs.runner()
    session.backtest = [(s.fold, runner.submit(s.config, s.series)) for s in setups]


def _jobs() -> list[jobs.TrainingJob]:
    return [job for _fold, job in session.backtest or []]


def section() -> None:
    st.subheader("Backtest: several forecast origins")
    st.caption("One split can flatter or punish a model by chance. The current setup is "
               "retrained at several origins on an expanding window (scikit-learn's "
               "TimeSeriesSplit): each fold trains on the values before its origin and is tested "
               "on the block after it, with every baseline on the same targets.")
    if tasks.is_task(state.get_config()):
        st.info("A task's sequences are independent samples: there is no origin to move.")
        return
    a, b = st.columns([1, 3])
    state.remember_widget("backtest_folds", backtest.DEFAULT_FOLDS)
    a.number_input(f"Folds ({backtest.MIN_FOLDS}–{backtest.MAX_FOLDS})", backtest.MIN_FOLDS,
                   backtest.MAX_FOLDS, key="backtest_folds",
                   help="How many forecast origins; each fold trains the setup once, with its "
                        "epochs.")
    b.button("Run the backtest", key="backtest_start",  # the folds as sent with the click
             on_click=lambda: start(session.backtest_folds), disabled=jobs_view.running(_jobs()),
             help="Queues one training per fold; they train in the background, two at a time "
                  "per server.")
    if session.backtest_error:
        st.error(session.backtest_error)
    entries = session.backtest
    if not entries:
        return
    pack = _jobs()
    jobs_view.follow(pack, jobs_view.JobsView(
        progress_text=lambda js: (f"Backtest: {sum(j.finished for j in js)} of {len(js)} folds "
                                  f"finished · {jobs_view.epochs_text(js)}"),
        draw=lambda: _draw(entries), collect=lambda: None, stop_key="backtest_stop",
        stop_help="End every fold's training after its current epoch and score them as "
                  "trained so far."))


def _draw(entries) -> None:
    if not all(job.finished for _fold, job in entries):
        return
    failed = [(fold, job) for fold, job in entries if job.run is None]
    for fold, job in failed:
        st.error(f"Fold {fold.number}: {job.error or 'stopped before it started'}")
    done = [(fold, job.run) for fold, job in entries if job.run is not None]
    if not done:
        return
    key = tuple(id(run) for _fold, run in done)
    with st.spinner("Fitting the baselines of every fold (ARIMA takes a moment)…"):
        results = session.cached(Session.backtest_results, key,
                                 lambda: [backtest.fold_result(f, r) for f, r in done])
    unit = done[0][1].prepared.series.measured_in or "value"
    labels = {n: baselines.LABELS[n] for n in baselines.BASELINES
              if any(r.baselines.get(n) is not None for r in results)}
    st.plotly_chart(backtest_figures.folds_figure(results, labels, unit), key="backtest_chart",
                    width="stretch")
    rows = [{"fold": r.fold.number, "origin": r.origin_label, "test windows": r.test_windows,
             "model": r.model, **{labels[n]: r.baselines.get(n) for n in labels}} for r in results]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="backtest_table")
    spreads = backtest.spreads(results)
    names = {"model": "model", **labels}
    st.dataframe(pd.DataFrame([{"forecast": names[s.name], "mean RMSE": s.mean, "spread (std)": s.std,
                                "best fold": s.best, "worst fold": s.worst} for s in spreads]),
                 hide_index=True, key="backtest_spread")
    model = spreads[0]
    beaten = [names[s.name] for s in spreads[1:] if s.mean < model.mean]
    st.markdown(f"Over {len(results)} origins the model's test RMSE is {model.mean:.4g} on "
                f"average ({model.best:.4g} at best, {model.worst:.4g} at worst, {unit}); "
                + (f"{', '.join(beaten)} did better on average." if beaten
                   else "no baseline did better on average."))
