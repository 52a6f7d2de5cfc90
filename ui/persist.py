"""A browser's runs and setup survive a reload: kept in ``rnn_core.store`` under its token.

A reload, a closed tab or a dropped connection gives the browser a new Streamlit session,
whose session state starts empty. The browser keeps one random token in a cookie (never in the
link: a link is shared, and whoever opens it must not see the sender's runs); a new session
reads it from ``st.context.cookies`` and ``restore`` puts that browser's finished runs and its
last setup back.

A brand-new browser has no cookie: the session makes a token, uses it at once, and a small
script on the page stores it in the cookie for the next session. Every session refreshes the
cookie, so it lives ``RUN_TTL_HOURS`` after the last visit (runs expire on the server
``RUN_TTL_HOURS`` after they finished, whatever the cookie says).

Hooks: ``restore()`` at the start of ``state.bootstrap``; ``remember_setup`` from
``state.change``; ``next_run_number`` and ``remember_run`` from ``train_panel.keep``
(``remember_text_run`` from ``text_view``: a text run is kept and restored the same way). Runs
renamed or deleted on the Compare page follow in the store on the next script run (``sync_runs``).
Failures of the store (a full disk, a file without write permission) are logged and the app
goes on without it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from typing import Any

import streamlit as st

from rnn_core import store as store_mod
from rnn_core.config import FIELD_BY_NAME, RunConfig
from rnn_core.data import Series

from .session import session

log = logging.getLogger(__name__)

COOKIE = "rnn_explorer_token"
MARKER = "rnn-explorer-cookie"  # id of the cookie snippet's element
_FAILURES = (sqlite3.Error, OSError)

# The store's row id of each run this process stored or restored (weak: a run dropped from
# its session takes its entry with it; nothing is added to the Run class).
_row_ids: "weakref.WeakKeyDictionary[Any, int]" = weakref.WeakKeyDictionary()
_row_ids_lock = threading.Lock()  # shared by every session's thread


def _store() -> store_mod.RunStore | None:
    return store_mod.from_env()


def token() -> str:
    """This browser's token: the session's, else the cookie's, else a new one."""
    current = session.persist_token
    if not store_mod.valid_token(current):
        current = st.context.cookies.get(COOKIE)
        if not store_mod.valid_token(current):  # no cookie yet, or not one we made
            current = store_mod.new_token()
        session.persist_token = current
    return current


def _cookie_script(value: str) -> str:
    """A script that stores the token in a cookie of the app's own page, and a style that
    folds its (empty) element away. The style matches the element by what it holds
    (``:has``), not by its place: Streamlit reuses the place for the next element once this
    one is no longer drawn. ``SameSite=Lax``: not sent along by other sites' pages."""
    max_age = int(store_mod.RUN_TTL_HOURS * 3600)
    return (
        f'<style>[data-testid="stElementContainer"]:has(#{MARKER}){{display:none}}</style>'
        f'<span id="{MARKER}" hidden></span>'
        "<script>"
        f"document.cookie='{COOKIE}={value}; Max-Age={max_age}; Path=/; SameSite=Lax'"
        "+(location.protocol==='https:'?'; Secure':'');"
        "</script>")


def draw_cookie() -> None:
    """The snippet that keeps this browser's token in its cookie, drawn by ``app.py`` in every
    script run at the same place, before the page. Not only in a session's first run: a first
    run cut short by a rerun never reached the browser (no cookie, so a reload lost the runs),
    and an element drawn once moves every later element by one place, so during the next run
    the page showed two of each knob for a moment."""
    if _store() is not None:
        st.html(_cookie_script(token()), unsafe_allow_javascript=True)


def restore() -> None:
    """Once per session: this browser's stored runs into ``runs`` (oldest first) and ``run``
    (the latest), its uploaded table into ``user_series``, and its last setup as the config
    unless the link carries settings (the link wins). (The cookie: ``draw_cookie``.)

    Called at the start of ``state.bootstrap``, i.e. in the first run of a session, before any
    widget is drawn. Later calls (every run goes through ``bootstrap``) pass renames and
    deletions made on the Compare page on to the store.
    """
    if session.persist_restored:
        _follow_edits()
        return
    session.persist_restored = True
    store = _store()
    if store is None:
        return
    browser = token()
    try:
        stored = store.runs(browser)
        setup = store.setup(browser)
        texts = store.text_runs(browser)
    except _FAILURES as err:
        log.warning("runs not restored: %s", err)
        return
    _restore_text_runs(texts)
    if stored:
        session.runs[:0] = [s.run for s in stored]
        if session.run is None:
            session.run = stored[-1].run
        rows = session.persist_rows
        for s in stored:
            with _row_ids_lock:
                _row_ids[s.run] = s.id
            rows[s.id] = s.run.name
        session.run_number = max(session.run_number, *(s.number for s in stored))
    if setup is not None:
        _restore_setup(setup)


def _restore_text_runs(stored: list[store_mod.StoredRun]) -> None:
    """The browser's text runs into ``text_runs`` (oldest first) and ``text_run`` (the
    latest); their numbers continue the session's run numbers."""
    if not stored:
        return
    session.text_runs[:0] = [s.run for s in stored]
    if session.text_run is None:
        session.text_run = stored[-1].run
    session.run_number = max(session.run_number, *(s.number for s in stored))


def _link_has_settings() -> bool:
    return any(k == "preset" or k in FIELD_BY_NAME for k in st.query_params)


def _restore_setup(setup: store_mod.Setup) -> None:
    from . import state  # state calls restore(): imported here, not at load time

    if setup.series is not None and session.user_series is None:
        session.user_series = setup.series
        session.persist_series = setup.series  # already stored: not written again
    if session.config is not None or _link_has_settings():
        return
    if setup.config.dataset == "upload" and session.user_series is None:
        return  # the table is gone: bootstrap's defaults (and its note) apply
    state.change(setup.config, setup.preset)


def remember_setup(config: RunConfig, preset: str | None, series: Series | None) -> None:
    """Keep the current setup (and uploaded table, if any) for this browser's next session.

    The table is written only when it is a different one than last time: a moved knob then
    costs one small row update.
    """
    store = _store()
    if store is None:
        return
    same = series is not None and session.persist_series is series
    try:
        store.save_setup(token(), config, preset, series, keep_series=same)
    except _FAILURES as err:
        log.warning("setup not stored: %s", err)
        return
    session.persist_series = series


def next_run_number() -> int:
    """The number of the session's next run: 1, 2, 3 … continuing after restored runs."""
    session.run_number += 1
    return session.run_number


def remember_run(run: Any, number: int) -> None:
    """Keep a finished run (with its weights) for this browser's next sessions."""
    store = _store()
    if store is None or run.weights is None:
        return
    try:
        row = store.add_run(token(), run, number)
    except _FAILURES as err:
        log.warning("run %r not stored: %s", run.name, err)
        return
    if row is not None:
        with _row_ids_lock:
            _row_ids[run] = row
        session.persist_rows[row] = run.name


def remember_text_run(run: Any, number: int) -> None:
    """Keep a finished text run (with its weights) for this browser's next sessions."""
    store = _store()
    if store is None or run.weights is None:
        return
    try:
        store.add_text_run(token(), run, number)
    except _FAILURES as err:
        log.warning("text run %r not stored: %s", run.name, err)


def _follow_edits() -> None:
    """``sync_runs`` when the session's runs differ from what was stored (a dict of at most
    ``MAX_STORED_RUNS_PER_BROWSER`` entries compared: cheap enough for every call)."""
    rows = session.persist_rows
    if rows:
        runs = session.runs
        with _row_ids_lock:
            present = {_row_ids[r]: r.name for r in runs if r in _row_ids}
        if present != rows:
            sync_runs(runs)


def sync_runs(runs: list) -> None:
    """After runs were renamed or deleted in this session: the same in the store (only the
    rows this session knows; another tab's newer runs are left alone)."""
    store = _store()
    rows = session.persist_rows
    if store is None or not rows:
        return
    with _row_ids_lock:
        present = {_row_ids[r]: r.name for r in runs if r in _row_ids}
    gone = [row for row in rows if row not in present]
    try:
        if gone:
            store.delete_runs(token(), gone)
        for row, name in present.items():
            if rows.get(row) != name:
                store.rename_run(token(), row, name)
    except _FAILURES as err:
        log.warning("runs not updated in the store: %s", err)
        return
    session.persist_rows = present
