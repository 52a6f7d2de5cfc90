"""The Text page's look inside a trained run: sampling, the text coloured by a unit, the finder.

Every number comes from the run's ``TextNetwork`` (numpy, in this process; no TensorFlow): the
states and probabilities over the first ``MAX_READ_CHARS`` held-out characters are computed once
per run (``session.cached``), read from a zero state and carried from character to character.
Features and correlations come from ``rnn_core.text_features``, figures from
``rnn_core.text_figures``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core import text_features, text_figures
from rnn_core.errors import RnnExplorerError
from rnn_core.text import corpus
from rnn_core.text.network import MAX_SAMPLE_CHARS, MAX_TEMPERATURE

from . import state
from .session import Session, session

MAX_READ_CHARS = 5000  # held-out characters read for the colouring and the finder
PROMPTS = {"python-stdlib": "def ", "brackets": "(", "text": ""}
GATE_WORDS = {"h": "hidden state h", "c": "cell state c"}


def network(run: Any) -> Any:
    """The run's network in numpy, built once per run."""
    return session.cached(Session.text_network_cache, id(run), run.network)


def read(run: Any) -> dict[str, Any]:
    """The held-out characters read (up to ``MAX_READ_CHARS``): the text, every layer's states,
    the next-character probabilities and the features, once per run."""
    def compute() -> dict[str, Any]:
        shown = run.test_text[:MAX_READ_CHARS]
        net = network(run)
        states, probs = net.states_and_probs(shown)
        features, from_start = _features(run, shown)
        return {"text": shown, "states": states, "probs": probs,
                "top": text_figures.top_next(probs, net.vocab.chars),
                "features": features, "from_start": from_start}
    return session.cached(Session.text_read_cache, id(run), compute)


def _features(run: Any, shown: str) -> tuple[dict[str, np.ndarray], bool]:
    """The features of the held-out characters read, and whether they were counted from the
    start of the whole text (a held-out part cut inside a docstring would otherwise read its
    closing quotes as opening ones); on brackets the depth is the generator's own."""
    whole = _whole_text(run)
    if whole is not None:
        start = len(whole) - run.n_test_chars
        values = text_features.features_of_part(whole, start, len(shown))
    else:
        values = text_features.features(shown)
    if run.test_depth is not None:  # brackets: the generator's own depth
        values["bracket_depth"] = np.asarray(run.test_depth[:len(shown)], dtype=float)
    return values, whole is not None


def _whole_text(run: Any) -> str | None:
    """The run's whole text (training part, then held-out), if this session still has it."""
    try:
        whole = corpus(run.config, session.user_text).text
    except RnnExplorerError:  # your own text, no longer in this session
        return None
    return whole if whole.endswith(run.test_text) else None


# --- sampling -----------------------------------------------------------------------------------

def sampling(run: Any) -> None:
    """Prompt, characters, temperature, seed → the generated text with its top 5 on hover."""
    st.subheader("Sample")
    state.remember_widget(Session.text_prompt, PROMPTS.get(run.config.dataset, ""))
    a, b, c, d = st.columns([3, 2, 2, 2])
    prompt = a.text_input("Prompt", key=Session.text_prompt,
                          help="The network reads these characters first; then each generated "
                               "character is fed back.")
    state.remember_widget(Session.text_n, 200)
    n = b.number_input(f"Characters (1–{MAX_SAMPLE_CHARS:,})", 1, MAX_SAMPLE_CHARS,
                       key=Session.text_n)
    state.remember_widget(Session.text_temperature, 0.5)
    temperature = c.number_input(f"Temperature (0–{MAX_TEMPERATURE:g})", 0.0, MAX_TEMPERATURE,
                                 step=0.1, format="%g", key=Session.text_temperature,
                                 help="Below 1 the likeliest characters win more often (0: "
                                      "always the likeliest); above 1 rarer ones come up.")
    state.remember_widget(Session.text_sample_seed, 0)
    seed = d.number_input("Seed", 0, 2**31 - 1, key=Session.text_sample_seed,
                          help="The same seed, prompt and temperature give the same text.")
    net = network(run)
    unknown = net.vocab.unknown_count(prompt)
    if unknown:
        st.caption(f"{unknown} character(s) of the prompt are not in the vocabulary: the "
                   f"network reads them as {net.vocab.chars[0]}.")
    try:
        sample = session.cached(Session.text_sample_cache,
                                (id(run), prompt, int(n), float(temperature), int(seed)),
                                lambda: net.sample(prompt, int(n), float(temperature), int(seed)))
    except RnnExplorerError as err:
        st.error(str(err))
        return
    st.plotly_chart(text_figures.sample_figure(prompt, sample.text, sample.top5,
                                               title=f"{len(sample.text):,} characters at "
                                                     f"temperature {temperature:g}, seed {seed}"),
                    key="text_sample_chart", width="stretch")
    st.caption("Each generated character is coloured by the probability the network gave it "
               "(at temperature 1; uncoloured: it was not among the top 5); hover a character "
               "for the five the network expected next.")
    with st.expander("The sampled text as plain text"):
        st.code(prompt + sample.text, language=None)


# --- the text coloured by a unit ----------------------------------------------------------------

def _pick_from_heatmap() -> None:
    """Callback of the heatmap: a clicked cell's unit becomes the unit shown (state rule 5's
    widget, set before it is drawn)."""
    event = st.session_state.get("text_units_heatmap")
    state.trace("units heatmap selection %r", event)
    layer = read(session.text_run)["states"][session.text_layer][session.text_signal]
    unit = text_figures.picked_unit(event, layer.shape[1])
    if unit is not None:
        session.text_unit = unit


def units(run: Any) -> None:
    """The held-out text coloured by one unit, picked from a list or by clicking the heatmap."""
    st.subheader("Units per character")
    found = read(run)
    layers = list(found["states"])
    a, b, c, d = st.columns(4)
    state.remember_widget(Session.text_layer, layers[-1], layers)
    layer = a.selectbox("Layer", layers, key=Session.text_layer,
                        help="The recurrent layer whose units are shown.")
    signals = list(found["states"][layer])
    state.remember_widget(Session.text_signal, "h", signals)
    signal = b.selectbox("Signal", signals, key=Session.text_signal,
                         format_func=lambda s: GATE_WORDS.get(s, f"{s} gate" if s != "candidate"
                                                              else "candidate"),
                         help="h after each character; for an LSTM also the cell state c and "
                              "its gates (0 closed, 1 open), for a GRU its gates.")
    acts = found["states"][layer][signal]
    n_units = acts.shape[1]
    state.remember_widget(Session.text_unit, 0, range(n_units))
    unit = c.selectbox(f"Unit (1–{n_units})", range(n_units), key=Session.text_unit,
                       format_func=lambda u: f"unit {u + 1}",
                       help="Or click a row of the heatmap below.")
    text = found["text"]
    last_start = max(len(text) - text_figures.MAX_SHOWN_CHARS, 0)
    state.remember_widget(Session.text_start, 0)
    session.text_start = min(session.text_start, last_start)
    start = d.number_input(f"From held-out character (0–{last_start:,})", 0, last_start,
                           step=text_figures.MAX_SHOWN_CHARS // 2, key=Session.text_start,
                           help=f"{text_figures.MAX_SHOWN_CHARS:,} characters are drawn at a time.")
    end = min(start + text_figures.MAX_SHOWN_CHARS, len(text))
    gate = signal not in ("h", "c", "candidate")
    name = f"{layer} {signal} unit {unit + 1}"
    figure = session.cached(  # ~0.3 s to build: not again when another widget moves
        Session.text_coloured_cache, (id(run), layer, signal, unit, start),
        lambda: text_figures.coloured_text(
            text[start:end], acts[start:end, unit], f"Held-out text coloured by {name}",
            value_name=f"{signal} unit {unit + 1}", fraction=gate, top=found["top"][start:end],
            first=start))
    st.plotly_chart(figure, key="text_coloured", width="stretch")
    st.caption(f"The first {len(text):,} held-out characters are read in one go from a zero "
               "state; each character's colour is the unit's value after reading it, the hover "
               "adds what the network expected next.")
    heat_end = min(start + text_figures.MAX_HEATMAP_CHARS, end)
    st.plotly_chart(text_figures.units_heatmap(acts[start:heat_end], text[start:heat_end],
                                               f"{layer} {signal}: every unit", fraction=gate,
                                               unit=unit, first=start),
                    key="text_units_heatmap", width="stretch", on_select=_pick_from_heatmap,
                    selection_mode="points")


# --- the finder ---------------------------------------------------------------------------------

def _ask_finder() -> None:
    session.text_finder = id(session.text_run)


def finder(run: Any) -> None:
    """The best unit per feature, with its correlation; a plot to check one claim."""
    st.subheader("Interpretable-unit finder")
    st.caption("Every unit's activation (h, and c and the gates where the cell has them) over "
               "the held-out characters read above, correlated with features of the text: the "
               "best unit per feature by |Pearson r|.")
    st.button("Find units", key="text_find_units", on_click=_ask_finder,
              help="Correlate every unit with every feature of the held-out text read above.")
    if session.text_finder != id(run):
        return
    found = read(run)
    flat = {f"{layer} {signal}": acts for layer, arrays in found["states"].items()
            for signal, acts in arrays.items()}
    values = found["features"]
    matches = text_features.find_units(flat, values)
    skipped = text_features.constant_features(values)
    exact = run.test_depth is not None
    st.dataframe(pd.DataFrame([{
        "feature": text_features.LABELS[m.feature] + (" (exact)" if exact and m.feature ==
                                                      "bracket_depth" else ""),
        "layer and signal": m.layer, "unit": m.unit + 1, "correlation r": round(m.correlation, 3)}
        for m in matches]), hide_index=True, key="text_finder_table")
    if not found["from_start"]:
        st.caption("Strings, comments and depth are counted from the held-out part's first "
                   "character (the whole text is no longer in this session): one cut inside a "
                   "string reads it inside out.")
    if skipped:
        st.caption("Not in this text (one value throughout, so no unit can follow it): "
                   + ", ".join(text_features.LABELS[s] for s in skipped) + ".")
    if not matches:
        return
    names = [m.feature for m in matches]
    state.remember_widget(Session.text_finder_feature,
                          "bracket_depth" if "bracket_depth" in names else names[0], names)
    pick = st.selectbox("Check one", names, key=Session.text_finder_feature,
                        format_func=text_features.LABELS.get)
    m = matches[names.index(pick)]
    n = min(len(found["text"]), text_figures.MAX_HEATMAP_CHARS * 2)
    st.plotly_chart(text_figures.feature_figure(
        values[pick][:n], flat[m.layer][:n, m.unit], text_features.LABELS[m.feature],
        f"{m.layer} unit {m.unit + 1} (r = {m.correlation:.2f})"),
                    key="text_finder_figure", width="stretch")
    if exact and pick == "bracket_depth":
        st.caption("On brackets the depth is the generator's own, known exactly: this is the "
                   f"truth the unit is compared with (r = {m.correlation:.3f} over "
                   f"{len(found['text']):,} characters).")

