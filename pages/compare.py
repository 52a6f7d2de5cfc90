"""Compare runs: every training of this session side by side, the race of the three cells, a
backtest over several forecast origins, and a small sweep."""

import streamlit as st

from rnn_core import figures, tasks
from rnn_core.architecture import CELL_CLASS
from rnn_core.config import FIELD_BY_NAME
from rnn_core.sweep import MAX_SWEEP_RUNS
from rnn_core.windows import step
from ui import backtest_view, race_view, runs_table, sidebar, state, sweep_view, train_panel
from ui.session import session

sidebar.draw()
st.title("Compare runs")
runs = session.runs

if not runs:
    st.info("No runs yet in this session. Every training from the Train button, the Pitfalls "
            f"page or a race is kept here (the last {train_panel.MAX_RUNS_KEPT}), with its settings, errors and "
            "loss curve; a sweep's runs are summed up in its own chart below.")
else:
    runs_table.editor(runs)
    st.plotly_chart(figures.loss_overlay([(r.name, r.history.loss, r.history.val_loss) for r in runs]),
                    key="loss_overlay", width="stretch")
    first = runs[0].prepared
    same_series = [r for r in runs if tasks.same_data(r.config, runs[0].config)]
    st.plotly_chart(figures.prediction_overlay(
        first.series.index, first.series.values, first.split_at,
        [(r.name, r.windows.test_index, r.original(step(r.pred_test, 0))) for r in same_series],
        first.series.measured_in or "value"), key="prediction_overlay", width="stretch")
    if len(same_series) < len(runs):
        st.caption("Runs on another series (or other task sequences) than the first run are "
                   "left out of this chart.")
    if any(r.windows.horizon > 1 for r in same_series):
        st.caption("Runs with a horizon H > 1 are drawn by their first step ahead.")

race_view.section()
backtest_view.section()

st.subheader("Sweep")
st.caption(f"Train the current setup for every pair of hidden units × time steps — and of cells, "
           f"to see where each one stops learning — (at most {MAX_SWEEP_RUNS} runs) and compare "
           "their test error.")
# two rows of two: four pickers in a row cut a chosen cell to "G…" on a projector's 1024 pixels
a, b = st.columns(2)
c, d = st.columns(2)
# the pickers keep their choice across page switches, like the sweep they started (its heatmap)
state.remember_widget("sweep_cells", [state.get_config().cell])
a.multiselect("Cells", list(CELL_CLASS), format_func=CELL_CLASS.get, key="sweep_cells",
              help="The cells to train. Several give a column per cell and units, to see at "
                   "which time steps each cell stops learning.")
state.remember_widget("sweep_units", list(sweep_view.DEFAULT_UNITS))
b.multiselect("Hidden units", sweep_view.UNIT_CHOICES, key="sweep_units",
              help=FIELD_BY_NAME["units"].help)
state.remember_widget("sweep_steps", list(sweep_view.DEFAULT_TIME_STEPS))
c.multiselect("Time steps", sweep_view.TIME_STEPS_CHOICES, key="sweep_steps",
              help=FIELD_BY_NAME["time_steps"].help)
state.remember_widget("sweep_epochs", min(state.get_config().epochs, sweep_view.DEFAULT_EPOCHS_CAP))
d.number_input(f"Epochs per run (1–{sweep_view.MAX_EPOCHS_PER_RUN})", 1,
               sweep_view.MAX_EPOCHS_PER_RUN, key="sweep_epochs",
               help="Kept small: every run of the grid trains this long.")
st.button("Run sweep", key="sweep_start", on_click=sweep_view.start_chosen,
          disabled=sweep_view.running(),
          help="Queues every run; they train in the background, two at a time per server.")
if session.sweep_error:
    st.error(session.sweep_error)
sweep_view.view()
