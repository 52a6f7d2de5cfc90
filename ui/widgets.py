"""Widgets drawn from the field table: label, range, choices and help come from ``Field``;
and the row of window counts the Data page and a task's page both show."""

from __future__ import annotations

import streamlit as st

from rnn_core.config import FIELD_BY_NAME, FIELDS
from rnn_core.architecture import CELL_CLASS, OPTIMIZER_CLASS
from rnn_core import text as text_mode
from rnn_core.tasks import not_applicable

from . import state
from .session import session

CHOICE_LABELS = {"sequence": "time steps as sequence (samples, T, 1)",
                 "features": "window as features (samples, 1, T)",
                 "airpassengers": "air passengers", "sine": "sine + noise",
                 "recall": "recall task (long lag)", "adding": "adding task (long lag)",
                 "train": "training part (honest)", "all": "whole series (leaks test range)",
                 "none": "no scaling", "continuous": "continuous", "separate": "separate (as the tutorials do)",
                 **CELL_CLASS, **OPTIMIZER_CLASS}


LOCKED = "Locked by the link you opened (lock=): this lesson keeps it as it is."


def field(name: str, container=None, label: str | None = None) -> None:
    """Draw the widget for one config field; it shows the config's value (``state.mirror``).

    The config's value goes in twice, on purpose: into the widget's state right before it is
    drawn (``state.mirror``), which makes Streamlit push a changed value to a widget the
    browser already shows; and as the widget's default, which is what the browser draws a
    newly created widget with (without it, a knob first shows its minimum until the pushed
    value lands). Keyed widgets keep their identity whatever the default (see the state rule
    in ``ui/state.py``).
    """
    f = FIELD_BY_NAME[name]
    if name in session.hidden:  # a teacher's link hides it (hide=, ui/state.py)
        return
    box = container if container is not None else st
    state.mirror(name)
    value = st.session_state[state.widget_key(name)]
    # a setting the current config does not read is shown, greyed out, with the reason; one a
    # teacher's link locks (lock=) is shown greyed out, saying so
    config = state.get_config()  # a text's reasons over a task's (rnn_core/text)
    reason = {**not_applicable(config), **text_mode.not_applicable(config)}.get(name)
    if reason is None and name in session.locked:
        reason = LOCKED
    common = dict(key=state.widget_key(name), on_change=state.on_widget_change, args=(name,),
                  help=f.help, disabled=reason is not None)
    text = label or f.label
    if f.kind == "choice":
        box.selectbox(text, f.choices, index=f.choices.index(value),
                      format_func=lambda v: CHOICE_LABELS.get(v, v), **common)
    elif f.kind == "bool":
        box.checkbox(text, value=value, **common)
    elif f.kind == "int":
        box.number_input(f"{text} ({int(f.min)}–{int(f.max):,})", value=value, min_value=int(f.min),
                         max_value=int(f.max), step=1, **common)
    elif f.kind == "split":
        box.number_input(text, value=value, min_value=0.01, step=0.05, format="%g", **common)
    else:
        box.number_input(f"{text} ({f.min:g}–{f.max:g})", value=value, min_value=float(f.min),
                         max_value=float(f.max), step=_step(f.default), format="%g", **common)
    if reason is not None:
        box.caption(reason)
    error = state.field_errors().get(name)
    if error:
        box.error(error)


def _step(default: float) -> float:
    return 10 ** round(__import__("math").log10(abs(default))) / 10 if default else 0.1


def group(group_name: str, container=None, skip: tuple[str, ...] = ()) -> None:
    """Every field of a group, in table order."""
    for f in FIELDS:
        if f.group == group_name and f.name not in skip:
            field(f.name, container)


def window_counts(windows, what: str) -> None:
    """How many training and test ``what`` (windows, sequences) there are, and the input shape
    Keras reads them in. The shape gets the widest column: in a third of the page, on a
    projector's 1024 pixels, "(samples, 36, 1)" was cut to "(samples, 3…"."""
    a, b, c = st.columns([2, 2, 5])
    a.metric(f"Training {what}", f"{windows.n_train:,}")
    b.metric(f"Test {what}", f"{windows.n_test:,}")
    c.metric("Input shape", f"(samples, {windows.steps}, {windows.n_features})")
