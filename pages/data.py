"""Data & windows: pick a series and a split, see how it is cut into windows and scaled."""

import streamlit as st

from rnn_core import figures, tasks, transform_figures, transforms
from rnn_core.data import load
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare
from rnn_core.windows import count, split_index
from ui import sidebar, state, task_view, upload, widgets
from ui.session import session

sidebar.draw()
st.title("Data & windows")
config = state.get_config()

left, right = st.columns([1, 3])
with left:
    widgets.field("dataset")
    if config.dataset == "sine":
        for name in ("sine_length", "sine_frequency", "sine_noise", "sine_seed"):
            widgets.field(name)
    for name in tasks.TASK_FIELDS if tasks.is_task(config) else ():
        widgets.field(name)
    widgets.field("split")

if config.dataset == "upload":
    with st.container(border=True):
        upload.panel()
    config = state.get_config()
    for note in session.table_notes:
        st.caption(note)
if tasks.is_task(config):  # example sequences and counts instead of a series and its windows
    task_view.data_page(config, right)
    st.stop()
try:
    series = state.series() or load(config)
except RnnExplorerError as err:
    st.info("No table in use yet: upload one above, or choose a built-in series."
            if config.dataset == "upload" else str(err))
    st.stop()

try:
    prepared = prepare(config, series)
    problem = None
except RnnExplorerError as err:
    prepared, problem = None, str(err)

with right:
    try:  # the series and its split stay in view when only the windows are wrong
        split_at = split_index(len(series), config.split)
    except RnnExplorerError:
        split_at = None
    if split_at is not None:
        st.plotly_chart(figures.series_figure(series.values, series.index, split_at, series.name,
                                              series.measured_in or "value"),
                        key="series_chart", width="stretch")
        st.caption(f"{len(series):,} values · training part: the first {split_at:,} · "
                   f"test part: the last {len(series) - split_at:,}.")

st.subheader("Windows")
cols = st.columns(3)
with cols[0]:
    widgets.field("time_steps")
    widgets.field("stride")
    widgets.field("horizon")
with cols[1]:
    widgets.field("layout")
    widgets.field("window_scope")
    widgets.field("pad")
with cols[2]:
    widgets.field("transform")
    widgets.field("scaler_fit")

config = state.get_config()
if config.layout == "features":
    st.info(f"Window as features: each window is ONE time step of {config.time_steps} features, "
            "so the recurrence runs for a single step and the hidden state never carries "
            "anything forward: the recurrent layer acts like a dense layer.")
if config.scaler_fit == "all":
    st.warning("The scaler is fitted on the whole series: the training sees the test part's "
               "minimum and maximum, a leak of information from the future (what the sunspots tutorial does).")

if problem:
    st.error(problem)
else:
    w = prepared.windows
    if prepared.transform is not None:
        st.plotly_chart(transform_figures.transform_figure(prepared, series.measured_in or "value"),
                        key="transform_chart", width="stretch")
        st.caption(transforms.INVERSE_NOTE)
    outside = transform_figures.extrapolation(prepared)
    (st.info if outside.above + outside.below == 0 else st.warning)(outside.sentence())
    widgets.window_counts(w, "windows")
    if series.feature_names:
        st.caption("Inputs at each time step: the target and " + ", ".join(series.feature_names) + ".")
    lag = prepared.transform.lag if prepared.transform is not None else 0  # a difference is shorter
    n = len(series) - lag
    other = {stride: count(n, prepared.split_at - lag, config.time_steps, stride,
                           config.window_scope, config.pad, config.horizon)[0]
             for stride in (1, config.time_steps)}
    ahead = f" and H = {config.horizon}" if config.horizon > 1 else ""
    st.caption(f"Training windows with T = {config.time_steps}{ahead}: non-overlapping (stride "
               f"{config.time_steps}): {other[config.time_steps]:,} windows; sliding (stride 1): "
               f"{other[1]:,}.")
    if config.horizon > 1:
        st.caption(f"Each window's target is the next {config.horizon} values: the network has "
                   f"{config.horizon} outputs and learns every step ahead from real values.")
    st.plotly_chart(figures.windows_figure(series.values, series.index, w.train_index,
                                           config.time_steps, prepared.split_at,
                                           title="The first training windows (bands) and their "
                                                 "targets (stars)", horizon=config.horizon),
                    key="windows_chart", width="stretch")
