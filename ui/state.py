"""Per-user state, kept in plain ``st.session_state`` keys so it survives page switches.

Keys: ``config`` (the current RunConfig), ``preset`` (name or None), ``job`` (the latest
TrainingJob), ``run`` (the latest finished Run), ``messages`` (notes to show once).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import streamlit as st

from rnn_core import config as cfg_mod
from rnn_core.config import FIELD_BY_NAME, RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.presets import PRESETS, preset

WIDGET_PREFIX = "field:"


def widget_key(name: str) -> str:
    return WIDGET_PREFIX + name


def widget_value(name: str, value: Any) -> Any:
    """The config value in the type its widget holds (number inputs of floats want floats)."""
    return float(value) if FIELD_BY_NAME[name].kind in ("float", "split") else value


def bootstrap() -> None:
    """First run of a session: the config from the link (validated), else the defaults."""
    if "config" in st.session_state:
        return
    params = {k: st.query_params[k] for k in st.query_params}
    base, notes = RunConfig(), []
    name = params.get("preset")
    if name:
        try:
            base = preset(name)
            st.session_state.preset = name
        except RnnExplorerError as err:
            notes.append(f"Link setting ignored: {err}")
    config, problems = cfg_mod.from_query(params, base)
    st.session_state.config = config
    st.session_state.setdefault("preset", None)
    st.session_state.messages = notes + problems


def link_params() -> dict[str, str]:
    """The current setup as link parameters: the preset, then what differs from it."""
    config = get_config()
    name = st.session_state.get("preset")
    if name:
        return {"preset": name, **config.to_query(preset(name))}
    return config.to_query()


def sync_link() -> str:
    """Keep the browser's address in step with the setup; returns the shareable link."""
    params = link_params()
    current = {k: st.query_params[k] for k in st.query_params}
    if current != params:
        st.query_params.from_dict(params)
    base = st.context.url or "http://localhost:8501/"
    return base + ("?" + urlencode(params) if params else "")


def get_config() -> RunConfig:
    bootstrap()
    return st.session_state.config


def set_config(config: RunConfig, *, sync_widgets: bool | tuple[str, ...] = False) -> None:
    """Store a new config; with ``sync_widgets`` also push its values into the widgets (all of
    them, or the named ones; only allowed from callbacks or before the widgets are drawn)."""
    st.session_state.config = config
    names = FIELD_BY_NAME if sync_widgets is True else (sync_widgets or ())
    for name in names:  # forgotten widget state: the widget takes its value from the config
        st.session_state.pop(widget_key(name), None)


def apply_preset(name: str) -> None:
    set_config(preset(name), sync_widgets=True)
    st.session_state.preset = name


def field_errors() -> dict[str, str]:
    return st.session_state.setdefault("field_errors", {})


def on_widget_change(name: str) -> None:
    """Callback of every field widget: validate through RunConfig, keep the old value if bad."""
    value: Any = st.session_state[widget_key(name)]
    errors = field_errors()
    try:
        config = get_config().replace(**{name: FIELD_BY_NAME[name].parse(value)})
    except RnnExplorerError as err:
        errors[name] = str(err)
        st.session_state.pop(widget_key(name), None)  # back to the config's value
        return
    errors.pop(name, None)
    st.session_state.preset = None  # a knob moved: the setup is no longer exactly a preset
    set_config(config)


def series():
    """The series the current config trains on: the uploaded one for dataset "upload", else
    None (rnn_core loads built-in series itself)."""
    if get_config().dataset == "upload":
        return st.session_state.get("user_series")
    return None


def preset_names() -> list[str]:
    return list(PRESETS)
