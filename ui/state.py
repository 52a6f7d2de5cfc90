"""Per-user state, and the one rule that keeps the screen, the link and the next run in step.

THE STATE RULE
1. ``session.config`` (``st.session_state.config``, a frozen, validated ``RunConfig``) is the
   single truth about the setup. Every knob, the Layers table, the link in the address bar,
   the share box and the next Train read it; nothing else holds a setting.
2. Every change of setup goes through ``change()``: a preset, a loaded config file, a table put
   to use, a knob (``on_widget_change``). A link is read once, when a session starts
   (``bootstrap``). ``change`` runs in callbacks, i.e. before any widget of the run is drawn.
3. A knob never owns its value. ``widgets.field`` calls ``mirror(name)`` right before drawing
   the widget, which writes the config's value into the widget's key when they differ (allowed:
   the widget is not drawn yet in this run, and Streamlit then pushes the value to the browser),
   and draws the widget with its key alone. So after any sequence — a preset picked twice, a page
   switch (which drops widget state), a config loaded, a reload — the knob shows the config.
   Popping a widget's key instead (the old way) left the browser showing its old number, sent it
   back as a "change" on the next click, and raised KeyError in that callback.
4. A click may reach the server before the browser has shown what the server last changed,
   and the browser sends the value of every widget with each click: a knob's old value comes
   back looking like the user's own change (found on a loaded machine: a knob set, Train
   clicked at once; the preset picker still showed the preset, so it "picked" it again and the
   run trained the preset's 100 epochs, not the knob's 1). So whenever the server replaces a
   widget's value (``push``: the knobs in ``mirror``, the preset picker in the sidebar) it
   remembers the value it replaced, until the next script run; a callback bringing back
   exactly that value is an echo and is ignored (``is_echo``), and the widget shows the
   config again. (A user who sets a knob back to its old value within that moment sees it
   bounce once; a second try counts.) Every run starts by forgetting them (``start_run``):
   a click that arrives after a whole run has been drawn carries no echo of it.
5. Widgets that are not settings (a slider on one page, a picker of runs) keep their value
   across page switches with ``remember_widget``.

The preset: ``preset`` holds the preset the setup was last set from (a pick in the sidebar or
the link's ``preset=``), or None after a loaded config or "custom". It is the base of the link
(``?preset=sunspots&units=8``: the preset, then what differs from it) and stays when a knob
moves; the sidebar names it only while the setup is exactly that preset (``current_preset``),
so picking it again always resets every knob.

Every other key of the session (``session.run``, ``session.job``, the link's notes in
``session.messages`` …) is declared, with what it holds, in ui/session.py.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Sequence
from urllib.parse import urlencode, urlsplit

import streamlit as st

from rnn_core import config as cfg_mod
from rnn_core.config import FIELD_BY_NAME, RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.presets import PRESETS, RECOMMENDED, preset

from . import persist
from .session import session

log = logging.getLogger(__name__)
# RNN_EXPLORER_TRACE_STATE=1 logs each knob callback and echo decision to the server's stderr
# (how a lost edit on a loaded machine is traced; off by default).
TRACE = os.environ.get("RNN_EXPLORER_TRACE_STATE") == "1"



def trace(message: str, *args: Any) -> None:
    """Log a state decision when RNN_EXPLORER_TRACE_STATE=1 (the browser tests' servers)."""
    if TRACE:
        log.warning(message, *args)


WIDGET_PREFIX = "field:"
KEPT_PREFIX = "kept:"
FALLBACK_DATASET = RunConfig().dataset  # what a link naming an upload this browser lacks shows


def widget_key(name: str) -> str:
    return WIDGET_PREFIX + name


def widget_value(name: str, value: Any) -> Any:
    """The config value in the type its widget holds (number inputs of floats want floats)."""
    return float(value) if FIELD_BY_NAME[name].kind in ("float", "split") else value


def bootstrap() -> None:
    """First run of a session: the config from the link (validated), else the defaults; then
    the link's teacher parameters (``hide=``, ``lock=``, ``lesson=``, ``step=``), once."""
    persist.restore()  # once per session: this browser's runs and last setup (issue 12, ui/persist.py)
    if session.config is None:
        _config_from_link()
    if not session.link_extras_read:
        session.link_extras_read = True
        _teacher_link({k: st.query_params[k] for k in st.query_params})


def _teacher_link(params: dict[str, str]) -> None:
    """``hide=`` and ``lock=`` (field names, checked like every link value: a bad one is
    reported and left out), then ``lesson=`` and ``step=`` (the lesson's step applied)."""
    for key in TEACHER_PARAMS:
        if key in params:
            names, problems = field_names(params[key], key)
            setattr(session, "hidden" if key == "hide" else "locked", names)
            session.messages.extend(problems)
    if params.get("lesson"):
        from . import lesson_view  # (it builds on this module)

        lesson_view.open_from_link(params["lesson"], params.get("step", "1"))


def _config_from_link() -> None:
    params = {k: st.query_params[k] for k in st.query_params}
    session.opened_with = params  # pages read their own link parameters here (e.g. race=)
    base, notes = RunConfig(), []
    name = first_preset(params)
    session.preset = None
    if name:
        try:
            base = preset(name)
            session.preset = name
        except RnnExplorerError as err:
            notes.append(f"Link setting ignored: {err}")
    config, problems = cfg_mod.from_query(params, base)
    if config.dataset == "upload" and session.user_series is None:
        config = config.replace(dataset=FALLBACK_DATASET)
        notes.append("This link uses a table uploaded in another browser; tables are not part "
                     f"of links. Showing the built-in {FALLBACK_DATASET} series instead: upload "
                     "the table on the Data & windows page (Series: upload) to use it.")
    session.config = config
    session.messages = notes + problems


TEACHER_PARAMS = ("hide", "lock")  # link parameters naming fields: hide them, or show them disabled


def field_names(text: str, key: str) -> tuple[frozenset[str], list[str]]:
    """The setting names of a ``hide=``/``lock=`` value (comma-separated), and one message per
    name that is not a setting (left out).

    >>> field_names("units, learning_rate,bogus", "hide")[0] == {"units", "learning_rate"}
    True
    """
    names, problems = set(), []
    for name in (n.strip() for n in text.split(",")):
        if not name:
            continue
        if name in FIELD_BY_NAME:
            names.add(name)
        else:
            problems.append(f"Link setting ignored: {key}={name[:40]!r} is not a setting: use "
                            "names such as " + ", ".join(list(FIELD_BY_NAME)[:4]) + " (all: "
                            "python -m rnn_core fields).")
    return frozenset(names), problems


def teacher_params() -> dict[str, str]:
    """The link's ``hide``/``lock`` values this session keeps (they survive page switches and
    stay in the address bar, so a reload keeps them too)."""
    out = {}
    for key, names in (("hide", session.hidden), ("lock", session.locked)):
        if names:
            out[key] = ",".join(n for n in FIELD_BY_NAME if n in names)
    return out


def lesson_params() -> dict[str, str]:
    """``lesson=`` and ``step=`` of the lesson open in the player (none after Leave): in the
    address bar, so a reload comes back to the same step, and in a link shared from it."""
    lesson = session.lesson
    if lesson is None or not session.lesson_open or not lesson.steps:
        return {}
    return {"lesson": lesson.id, "step": str(min(session.lesson_step, len(lesson.steps) - 1) + 1)}


def first_preset(params: dict[str, str]) -> str | None:
    """The preset a session opened with these link parameters starts from: the link's
    ``preset=``; else the recommended one when the link names no setting at all (a first visit,
    or a link that only opens a page, a lesson or a race); else None (a link of settings lists
    what differs from the defaults, ``RunConfig()``).

    >>> first_preset({}), first_preset({"lesson": "1"}), first_preset({"units": "8"})
    ('sunspots', 'sunspots', None)
    """
    if params.get("preset"):
        return params["preset"]
    return None if FIELD_BY_NAME.keys() & params.keys() else RECOMMENDED


def link_params() -> dict[str, str]:
    """The current setup as link parameters: the preset, then what differs from it."""
    config = get_config()
    name = session.preset
    if name:
        return {"preset": name, **config.to_query(preset(name))}
    return config.to_query()


def sync_link() -> str:
    """Keep the browser's address in step with the setup; returns the shareable link."""
    params = {**link_params(), **teacher_params(), **lesson_params()}
    current = {k: st.query_params[k] for k in st.query_params}
    if current != params:
        st.query_params.from_dict(params)
    return _address(params)


def _address(params: dict[str, str]) -> str:
    base = st.context.url or "http://localhost:8501/"
    if not urlsplit(base).path:  # the app's root comes without its "/" (as the address bar shows it)
        base += "/"
    return base + ("?" + urlencode(params) if params else "")


def teacher_link(hide: Sequence[str], lock: Sequence[str], lesson: str | None = None,
                 step: int = 1) -> str:
    """The current setup's link for a class: ``hide=`` and ``lock=`` these fields, and open
    ``lesson`` at ``step`` (the share box's teacher section builds it from ticks)."""
    params = link_params()
    for key, names in (("hide", hide), ("lock", lock)):
        if names:
            params[key] = ",".join(n for n in FIELD_BY_NAME if n in names)
    if lesson:
        params.update(lesson=lesson, step=str(step))
    return _address(params)


def get_config() -> RunConfig:
    bootstrap()
    return session.config


def current_preset() -> str | None:
    """The preset the setup is exactly, if any (what the sidebar's picker shows)."""
    name = session.preset
    return name if name and get_config() == preset(name) else None


def change(config: RunConfig, preset_name: str | None = None) -> None:
    """The one way to change the setup: store ``config`` and the preset it is based on.

    Call it from a callback or before the widgets are drawn; each knob picks the new value up
    when it is drawn (``mirror``), wherever the user goes next.
    """
    session.config = config
    session.preset = preset_name
    field_errors().clear()
    persist.remember_setup(config, preset_name, session.user_series)  # for a reload


def apply_preset(name: str) -> None:
    change(preset(name), name)


def field_errors() -> dict[str, str]:
    return session.field_errors


def mirror(name: str) -> None:
    """Before drawing the knob of ``name``: make its widget state the config's value."""
    push(widget_key(name), widget_value(name, getattr(get_config(), name)))


def push(key: str, value: Any) -> None:
    """Before drawing the widget keyed ``key``: make its state ``value`` (Streamlit then sends
    it to the browser), remembering the value it replaces for ``is_echo`` (state rule 4)."""
    if key not in st.session_state:  # a widget the browser does not show yet: nothing to echo
        st.session_state[key] = value
    elif st.session_state[key] != value:
        trace("push %s: %r -> %r", key, st.session_state[key], value)
        session.replaced[key] = st.session_state[key]
        st.session_state[key] = value


def is_echo(key: str) -> bool:
    """In a callback: whether the widget keyed ``key`` brings back the value the server
    replaced in the last script run, i.e. the browser had not shown the new one yet."""
    replaced = session.replaced
    return key in replaced and st.session_state.get(key) == replaced[key]


def start_run() -> None:
    """At the start of every script run, after the callbacks: forget the replaced values."""
    trace("run starts")
    session.replaced = {}


def on_widget_change(name: str) -> None:
    """Callback of every field widget: validate through RunConfig, keep the old value if bad
    (the knob then shows the config's value again when it is drawn)."""
    key = widget_key(name)
    trace("callback %s=%r config=%r echo=%s replaced=%r", name, st.session_state.get(key),
          getattr(get_config(), name), key in st.session_state and is_echo(key),
          dict(session.replaced))
    if key not in st.session_state or is_echo(key):  # dropped in this very run, or an echo
        return
    config = get_config()
    field_errors().pop(name, None)
    try:
        new = config.replace(**{name: FIELD_BY_NAME[name].parse(st.session_state[key])})
    except RnnExplorerError as err:
        field_errors()[name] = str(err)
        return
    if new != config:  # a knob moved: the link keeps its preset and lists what differs
        change(new, session.preset)


def remember_widget(key: str, default: Any, options: Sequence[Any] | None = None,
                    force: bool = False) -> None:
    """Call right before drawing a widget that is not a setting, drawn with ``key=key`` and no
    value or index: it shows its last value again after a page switch (Streamlit forgets the
    state of widgets a run does not draw). A remembered value no longer among ``options``
    falls back to ``default``; ``force`` sets ``default`` whatever was remembered."""
    kept = KEPT_PREFIX + key
    if force:
        value = default
    elif key in st.session_state:
        value = st.session_state[key]
    else:
        value = st.session_state.get(kept, default)
    if options is not None and value not in options:
        value = default
    if key not in st.session_state or st.session_state[key] != value:
        st.session_state[key] = value
    st.session_state[kept] = value


def set_widget(key: str, value: Any) -> None:
    """Before drawing a widget that is not a setting (e.g. a lesson showing a window): give it
    ``value``, also as the value ``remember_widget`` keeps for it."""
    st.session_state[key] = value
    st.session_state[KEPT_PREFIX + key] = value


def forget_widget(key: str) -> None:
    """Drop what ``remember_widget`` kept for ``key`` (call before the widget is drawn): it
    shows its default next time."""
    st.session_state.pop(key, None)
    st.session_state.pop(KEPT_PREFIX + key, None)


def series():
    """The series the current config trains on: the uploaded one for dataset "upload", else
    None (rnn_core loads built-in series itself)."""
    if get_config().dataset == "upload":
        return session.user_series
    return None


def preset_names() -> list[str]:
    return list(PRESETS)
