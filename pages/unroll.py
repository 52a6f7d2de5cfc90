"""Inside the network: one window through the recurrence, one time step at a time."""

import numpy as np
import streamlit as st

from rnn_core import inside_figures, tasks, typed_window
from rnn_core.errors import RnnExplorerError
from rnn_core.windows import parse_window
from ui import (inside, memory_view, path_view, replay_view, sidebar, state, text_unroll,
                text_view, whatif_view)
from ui.session import Session, session

sidebar.draw()
st.title("Inside the network")
config = state.get_config()
if text_view.is_text_setup():  # a character-level model: a window of characters, step by step
    text_unroll.draw()
    st.stop()

source = inside.choose_model()
if source is None:
    st.stop()
model, prepared, label = source
steps, features = inside.model_input_shape(model)
st.caption(f"{label} · reads windows of {steps} time step{'s' if steps > 1 else ''} × "
           f"{features} feature{'s' if features > 1 else ''}")
if steps == 1:
    st.info(f"This network reads each window as ONE time step of {features} features (the "
            "'window as features' layout). The recurrence therefore runs a single "
            "step from h_0 = 0: h_{t-1}·W_h is always zero and the recurrent layer acts like a "
            "dense layer. Choose 'time steps as sequence' on the Data & windows page to see the "
            "state carried from step to step.")

# --- the window -----------------------------------------------------------------------------
options = (["test window", "training window"] if prepared is not None else []) + ["type a window"]
pick = inside.pending_pick()
if pick and pick[0] in ("train", "test") and prepared is not None:
    session.unroll_source = "training window" if pick[0] == "train" else "test window"
    session.unroll_index = int(pick[1])
# a fresh, untrained network opens on a window you can type over (a linear demo network on
# 1, 2, 3, …; any other on the first real window, in its units: typed_window says why)
state.remember_widget(Session.unroll_source,
                      options[-1] if label.startswith("Untrained") else options[0], options)
kind = st.radio("Input window", options, key=Session.unroll_source, horizontal=True,
                help="A window of the current run's data, or numbers you type yourself.")
if kind == "type a window":
    model_config = prepared.config if prepared is not None else config
    first = typed_window.first_window(prepared.windows if prepared is not None else None, steps,
                                      features, typed_window.is_linear_simple_rnn(model_config))
    state.remember_widget("unroll_text", typed_window.window_text(first))
    text = st.text_input("Window values (the numbers the network reads, in its scaled units)",
                         key="unroll_text",
                         help=f"{steps * features} numbers separated by commas; with several "
                              "features, one row per time step separated by ';'. It starts as "
                              "the first test window of the data, scaled as the network reads "
                              "it (the training data spans about 0 to 1: much larger numbers "
                              "push every gate to 0 or 1); a linear SimpleRNN starts on 1, 2, 3, "
                              "…, small enough to follow each step by hand.")
    try:
        window = parse_window(text, steps, features)
    except RnnExplorerError as err:
        st.error(str(err))
        st.stop()
    where = "typed window"
    stored = None
else:
    part = "train" if kind == "training window" else "test"
    xs = prepared.windows.x_train if part == "train" else prepared.windows.x_test
    positions = prepared.windows.train_index if part == "train" else prepared.windows.test_index
    state.remember_widget(Session.unroll_index, 0)
    session.unroll_index = min(session.unroll_index, len(xs) - 1)
    i = st.number_input(f"Window number (0–{len(xs) - 1:,})", 0, len(xs) - 1,
                        key=Session.unroll_index,
                        help="Which window of that part; its target is the value right after it.")
    window = xs[i]
    stored = inside.stored_prediction(model, part, i)
    targets = np.ravel((prepared.windows.y_train if part == "train" else prepared.windows.y_test)[i])
    actual = ", ".join(f"{v:.4g}" for v in targets)
    where = (f"{part} window {i} (target: {inside.label(prepared.series.index[positions[i]])}"
             + (f" and the {len(targets) - 1} after it" if len(targets) > 1 else "")
             + f", actual {actual} in the network's units)")
    if tasks.is_task(prepared.config):  # a task's window is a sequence, its target no position
        where = f"{part} sequence {i} of the {prepared.config.dataset} task (target {actual})"

try:
    result = inside.unrolled(model, window)
except RnnExplorerError as err:
    st.error(str(err))
    st.stop()

layer_no = 0
if len(result.layers) > 1:
    state.remember_widget("unroll_layer", 0, range(len(result.layers)))
    layer_no = st.selectbox("Recurrent layer", range(len(result.layers)),
                            format_func=lambda k: f"{k + 1}: {result.layers[k].name}",
                            key="unroll_layer", help="Each layer reads the hidden states of the one before.")
trace = result.layers[layer_no]

# --- stepping through time ------------------------------------------------------------------
st.toggle("Play", key=Session.unroll_play, help="Step forward automatically, once a second.")
# the path of the state follows the step: drawn inside the stepper's fragment
inside.step_view(result, layer_no, where,
                 after=lambda t: path_view.draw(model, prepared, result, layer_no, t))
inside.weights_view(trace)

# --- heatmaps and proof ---------------------------------------------------------------------
st.subheader("Hidden state over time")
tabs = st.tabs(["h"] + (["c"] if trace.c is not None else []) +
               [g for g in trace.gates if trace.kind != "SimpleRNN"])
with tabs[0]:
    st.plotly_chart(inside_figures.state_heatmap(trace.h, f"h_t of {trace.name}: units × time"),
                    key="heat_h", width="stretch")
k = 1
if trace.c is not None:
    with tabs[k]:
        st.plotly_chart(inside_figures.state_heatmap(trace.c, "cell state c_t"), key="heat_c", width="stretch")
    k += 1
for g in trace.gates:
    if trace.kind == "SimpleRNN":
        break
    with tabs[k]:
        gate = g != "candidate"  # a sigmoid's 0..1; the candidate is the activation's, signed
        st.plotly_chart(inside_figures.state_heatmap(trace.gates[g], f"{g} gate" + (" (0 closed, 1 open)"
                                                                             if gate else ""),
                                              fraction=gate), key=f"heat_{g}", width="stretch")
    k += 1

memory_view.draw(model, prepared, window)
whatif_view.draw(model, window)

st.subheader("Proof: by hand (numpy) vs Keras")
if replay_view.earlier_epoch(model):  # the proof is for the trained weights
    st.caption(replay_view.KERAS_PROOF_CAPTION)
else:
    inside.keras_proof(model, window, stored, result.output)

if prepared is not None:
    # drawn from its key alone, remembered across page switches: it shows what is drawn below
    state.remember_widget("show_final_states", False)
if prepared is not None and st.toggle(
        "Show the final hidden state of every window, under the series", key="show_final_states",
        help="Runs the network over every training and test window (numpy) and draws h_T of "
             "each as a column, aligned with the series."):
    with st.container():
        states = inside.final_states(model, prepared)[layer_no]
        w = prepared.windows
        positions = np.concatenate([w.train_index, w.test_index])
        st.plotly_chart(inside_figures.final_state_figure(
            prepared.series.values, prepared.series.index, positions, states, prepared.split_at,
            f"h_T of {trace.name} for each window, placed at its target"),
            key="final_states", width="stretch")
