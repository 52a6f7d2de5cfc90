"""Network & training: choose the cell and its size, see the parameter count, train live."""

import pandas as pd
import streamlit as st

from rnn_core.errors import RnnExplorerError
from rnn_core.model import param_table
from rnn_core.run import prepare
from ui import sidebar, state, train_panel, widgets

sidebar.draw()
st.title("Network & training")

net, fit = st.columns(2)
with net:
    st.subheader("Network")
    widgets.group("network", skip=("dense_activation",))
    if state.get_config().dense_units:
        widgets.field("dense_activation")
with fit:
    st.subheader("Training")
    widgets.group("training")
    st.caption("Loss: mean squared error on the scaled targets.")

config = state.get_config()
try:
    windows = prepare(config, state.series()).windows
except RnnExplorerError as err:
    st.error(f"{err} Fix it on the Data & windows page.")
    st.stop()

rows = param_table(config, windows.steps, windows.n_features)
table = pd.DataFrame([{"layer": r.name, "type": r.kind, "output shape": r.output_shape,
                       "parameters": r.params} for r in rows])
st.subheader("Layers")
st.dataframe(table, hide_index=True, key="param_table")
st.markdown(f"**Total parameters: {sum(r.params for r in rows):,}** · input "
            f"(samples, {windows.steps}, {windows.n_features}) · "
            f"{windows.n_train:,} training windows, {windows.n_test:,} test windows")

train_panel.panel()
