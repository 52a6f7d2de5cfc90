"""Results: actual vs predicted with the split line, errors in both units, the baseline."""

import pandas as pd
import streamlit as st

from rnn_core import baselines, export, figures, forecast, tasks, transforms
from rnn_core.divergence import run_diverged
from rnn_core.errors import RnnExplorerError
from rnn_core.run import verdict
from rnn_core.windows import step
from ui import honest, interval_view, keras_view, replay_view, sidebar, task_view
from ui.session import session

sidebar.draw()
st.title("Results")
run = session.run
if run is None:
    st.info("No trained model yet in this session. Train one on the Network & training page.")
    st.page_link("pages/train.py", label="Go to Network & training", icon=":material/model_training:")
    st.stop()

if tasks.is_task(run.config):  # recall, adding: MSE against the task's baseline, no series views
    task_view.results(run)
    st.stop()
p, w, m = run.prepared, run.windows, run.metrics
scaled = st.toggle("Show scaled units", key="results_scaled", disabled=p.transform is not None,
                   help="Off: original units of the series. On: the [0, 1] units the network "
                        "was trained in (not for a transformed series: its scaled values are "
                        "differences or logs, drawn on the Data & windows page).")
if run.config.scaler_fit == "none" or p.transform is not None:
    scaled = False  # a transformed run's scaled values are differences, not the series
if p.transform is not None:
    st.caption(f"The network learned {transforms.LABELS[p.transform.name]} values; everything here "
               f"is inverted to original units. {transforms.INVERSE_NOTE}")
unit = "scaled" if scaled else (p.series.measured_in or "value")
conv = (lambda v, part: step(v, k)) if scaled else (lambda v, part: step(run.original(v, part), k))
actual = p.scaled if scaled else p.series.values
k = 0
if w.horizon > 1:
    k = st.slider("Step ahead shown", 1, w.horizon, 1, key="results_step",
                  help=f"The network predicts the next {w.horizon} values of every window; the "
                       "chart and residuals show the k-th of them, drawn at its own date.") - 1
replayed = replay_view.results_epoch(run)  # the epoch slider: the network after that epoch
m = replayed.metrics
headline = st.container()  # the verdict first, above the chart (it is filled under "Errors")
train_pos, test_pos = w.positions("train", k), w.positions("test", k)
fig = figures.prediction_figure(
    p.series.index, actual, train_pos, conv(replayed.pred_train, "train"), test_pos,
    conv(replayed.pred_test, "test"), p.split_at, y_title=f"{p.series.name} ({unit})",
    title=f"Actual and predicted values — {p.series.name}"
          + (f" — {k + 1} step(s) ahead" if w.horizon > 1 else "") + replay_view.title(replayed),
)
found = interval_view.of(run, replayed)  # prediction intervals, when the setup asks for them
interval_view.band(fig, run, found, replayed, k, test_pos, scaled)
chart = st.container()
replay_view.loss_curve(run, replayed)  # under the chart: the epoch shown, marked

st.subheader("Errors")
table = pd.DataFrame(
    [{"part": part,
      "windows": n,
      "RMSE (original)": m[f"{part}_rmse_original"], "MAE (original)": m[f"{part}_mae_original"],
      "RMSE (scaled)": m[f"{part}_rmse"], "MAE (scaled)": m[f"{part}_mae"],
      "persistence RMSE (original)": m[f"persistence_{part}_rmse_original"]}
     for part, n in (("train", w.n_train), ("test", w.n_test))]
)
st.dataframe(table, hide_index=True, key="metrics_table")
if w.horizon > 1:
    st.caption(f"Errors are over all {w.horizon} values ahead of every window. Test RMSE "
               "(original) by step ahead: " + ", ".join(
                   f"{j}: {m[f'test_rmse_original_h{j}']:.4g}" for j in range(1, w.horizon + 1))
               + " — persistence: " + ", ".join(
                   f"{j}: {m[f'persistence_test_rmse_original_h{j}']:.4g}"
                   for j in range(1, w.horizon + 1)) + ".")
interval_view.sentence(found, unit, scaled)
sentence = verdict(m, w.horizon)
beats = m["test_rmse_original"] < m["persistence_test_rmse_original"]
h = run.history
diverged = run_diverged(h, m)  # the CLI's rule (exit 3) and the queue's
with headline:
    (headline.success if beats else headline.warning)(sentence)
    st.caption(f"{run.name} · {h.epochs_run} epochs in {h.fit_seconds:.1f} s"
               + (" · stopped early" if h.stopped else "") + (" · diverged" if diverged else ""))

st.subheader("Baselines on the same test targets")
st.caption("A model that cannot beat these has not learned the series. All use only values "
           "known before each target; ARIMA is fitted on the training part and not refitted.")
a, b, c, d = st.columns(4)
season = a.number_input("Season length", 1, 366, value=p.series.season or 12, key="season",
                        help="Seasonal naive predicts the value one season back: the series' own "
                             "cycle (sunspots: 132 months, the ~11-year solar cycle), else its "
                             "calendar's (12 monthly, 4 quarterly, 52 weekly, 7 daily, 24 hourly, "
                             "48 half-hourly). " + (f"This series: {p.series.season}. "
                             if p.series.season else "This series has no known season; 12 is "
                             "only a starting guess. ") + "MASE scales errors by that naive "
                             "forecast on the training part.")
order = tuple(box.number_input(f"ARIMA {name} (0–{hi})", 0, hi, value=default, key=f"arima_{name}",
                               help=tip)
              for box, name, hi, default, tip in (
                  (b, "p", baselines.MAX_ARIMA_P, 2, "Autoregressive order: past values used."),
                  (c, "d", baselines.MAX_ARIMA_D, 0, "Differencing order."),
                  (d, "q", baselines.MAX_ARIMA_Q, 1, "Moving-average order: past errors used.")))
with st.spinner("Fitting the baselines (ARIMA takes a moment)…"):
    comparison = honest.compare(run, int(season), order)
results = comparison.baselines
st.dataframe(honest.style_best(honest.table(comparison)), hide_index=True, key="baselines_table")
for note in comparison.notes:
    st.caption(note)
shown = st.multiselect("Overlay on the chart", [n for n, r in results.items() if r.ok],
                       format_func=lambda n: results[n].label, key="overlay_baselines",
                       help="Draw baselines' test predictions over the model's.")
if shown:
    to_units = (lambda v: p.scaler.transform(v)) if scaled else (lambda v: v)
    figures.overlay_baselines(fig, p.series.index, test_pos,
                              [(n, results[n].label, to_units(step(results[n].test_pred_original, k)))
                               for n in shown])
event = chart.plotly_chart(fig, key="prediction_chart", width="stretch", on_select="rerun",
                           selection_mode="points")
picked = figures.picked_window(event, len(w.train_index), len(w.test_index))
if picked is not None:
    session.unroll_pick = picked
    chart.success(f"Picked {picked[0]} window {picked[1]}: see it step by step.")
    chart.page_link("pages/unroll.py", label="Open Inside the network", icon=":material/account_tree:")

st.subheader("Residuals")
st.plotly_chart(figures.residuals_figure(
    p.series.index, train_pos, conv(w.y_train, "train") - conv(replayed.pred_train, "train"),
    test_pos, conv(w.y_test, "test") - conv(replayed.pred_test, "test"), f"actual − predicted ({unit})"),
    key="residuals", width="stretch")

st.subheader("Forecast beyond the data")
steps = st.number_input(f"Steps ahead (1–{forecast.MAX_FORECAST_STEPS})", 1,
                        forecast.MAX_FORECAST_STEPS, value=24, key="forecast_steps",
                        help="Each prediction is fed back as the newest value of the next window "
                             "(recursive forecast; a model of horizon H gives H values per "
                             "window); errors compound with the steps.")
try:
    future = honest.recursive(run, int(steps))
except RnnExplorerError as err:
    st.error(str(err))
else:
    st.metric("Next value after the data", f"{future[0]:.4g}",
              help="The prediction from the last window of the series (how Keras' RNN guide ends).")
    future_at = forecast.future_index(p.series.index, int(steps))
    forecast_fig = figures.forecast_figure(p.series.index, p.series.values, future_at, future,
                                           p.series.measured_in or "value", horizon=w.horizon)
    interval_view.forecast_band(forecast_fig, run, future_at, future)
    st.plotly_chart(forecast_fig, key="forecast_chart", width="stretch")

st.subheader("Take it home")
cols = st.columns(4)
stem = run.name.split(":")[0].replace(" ", "_") or "run"
cols[0].download_button("Model (.keras)", lambda: keras_view.model_file(run),
                        file_name=f"{stem}.keras", mime="application/octet-stream",
                        on_click="ignore", key="download_model",
                        help=keras_view.MODEL_FILE_HELP)
cols[1].download_button("Predictions (.csv)", lambda: export.predictions_csv(run),
                        file_name=f"{stem}_predictions.csv", mime="text/csv", on_click="ignore",
                        key="download_predictions",
                        help="One row per window (and step ahead): part (train/test), target position and date, "
                             "actual, predicted and persistence in original and scaled units, and "
                             "the position of the first test value. A plain CSV: "
                             "pandas.read_csv reads it as is.")
cols[2].download_button("Config (.json)", run.config.to_json(), file_name=f"{stem}_config.json",
                        mime="application/json", on_click="ignore", key="download_config",
                        help="Every setting of this run; load it again from the sidebar.")
try:
    script = export.script(run.config, epochs_run=h.epochs_run)  # a stopped run: what it ran
except RnnExplorerError as err:
    script, script_help = "", str(err)
else:
    script_help = ("A standalone script (numpy, pandas, Keras; no RNN Explorer) that reproduces "
                   "this run: same windows, same metrics within seed noise.")
cols[3].download_button("Plain Keras script (.py)", script, file_name=f"{stem}_reproduce.py",
                        mime="text/x-python", on_click="ignore", key="download_script",
                        disabled=not script, help=script_help)
