"""Results: actual vs predicted with the split line, errors in both units, the baseline."""

import pandas as pd
import streamlit as st

from rnn_core import export, figures
from rnn_core.run import verdict
from ui import sidebar

sidebar.draw()
st.title("Results")
run = st.session_state.get("run")
if run is None:
    st.info("No trained model yet in this session. Train one on the Network & training page.")
    st.page_link("pages/train.py", label="Go to Network & training", icon=":material/model_training:")
    st.stop()

p, w, m = run.prepared, run.windows, run.metrics
scaled = st.toggle("Show scaled units", key="results_scaled",
                   help="Off: original units of the series. On: the [0, 1] units the network "
                        "was trained in.")
if run.config.scaler_fit == "none":
    scaled = False
unit = "scaled" if scaled else (p.series.unit or "value")
conv = (lambda v: v) if scaled else run.original
actual = p.scaled if scaled else p.series.values
fig = figures.prediction_figure(
    p.series.index, actual, w.train_index, conv(run.pred_train), w.test_index, conv(run.pred_test),
    p.split_at, y_title=f"{p.series.name} ({unit})",
    title=f"Actual and predicted values — {p.series.name}",
    baseline=("persistence (test)", conv(w.test_last)) if st.session_state.get("show_baseline") else None,
)
event = st.plotly_chart(fig, key="prediction_chart", width="stretch", on_select="rerun",
                        selection_mode="points")
picked = figures.picked_window(event, len(w.train_index), len(w.test_index))
if picked is not None:
    st.session_state.unroll_pick = picked
    st.success(f"Picked {picked[0]} window {picked[1]}: see it step by step.")
    st.page_link("pages/unroll.py", label="Open Inside the network", icon=":material/account_tree:")
st.checkbox("Overlay the persistence baseline on the test part", key="show_baseline",
            help="Persistence predicts each target as the last value of its window.")

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
sentence = verdict(m)
(st.success if m["test_rmse_original"] < m["persistence_test_rmse_original"] else st.warning)(sentence)
h = run.history
st.caption(f"{run.name} · {h.epochs_run} epochs in {h.fit_seconds:.1f} s"
           + (" · stopped early" if h.stopped else "") + (" · diverged" if h.diverged else ""))

st.subheader("Take it home")
cols = st.columns(4)
stem = run.name.split(":")[0].replace(" ", "_") or "run"
cols[0].download_button("Model (.keras)", lambda: export.model_bytes(run.model),
                        file_name=f"{stem}.keras", mime="application/octet-stream",
                        on_click="ignore", key="download_model",
                        help="Architecture, weights and optimizer state; load with keras.models.load_model.")
cols[1].download_button("Predictions (.csv)", lambda: export.predictions_csv(run),
                        file_name=f"{stem}_predictions.csv", mime="text/csv", on_click="ignore",
                        key="download_predictions",
                        help="One row per window: part (train/test), target position and date, "
                             "actual, predicted and persistence in original and scaled units.")
cols[2].download_button("Config (.json)", run.config.to_json(), file_name=f"{stem}_config.json",
                        mime="application/json", on_click="ignore", key="download_config",
                        help="Every setting of this run; load it again from the sidebar.")
cols[3].download_button("Plain Keras script (.py)", export.script(run.config),
                        file_name=f"{stem}_reproduce.py", mime="text/x-python", on_click="ignore",
                        key="download_script",
                        help="A standalone script (numpy, pandas, Keras; no RNN Explorer) that "
                             "reproduces this run: same windows, same metrics within seed noise.")
