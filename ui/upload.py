"""Bring your own table: upload or link, pick the columns, check it, use it.

Nothing replaces the current data until "Use this table" succeeds, so a bad file leaves the
earlier series, settings and model as they were.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from rnn_core import fetch, netguard, tables
from rnn_core.errors import RnnExplorerError

from . import state
from .session import Session, session

NO_DATE = "(no date column: use row numbers)"


def _read(data: bytes, name: str):
    """The parsed table and what inspecting it found, cached per content so reruns do not
    parse it again."""
    def parse():
        frame = tables.read_table(data, name)
        return frame, tables.inspect(frame)

    return session.cached(Session.table_cache, hashlib.sha256(data).hexdigest(), parse)


def _fetch() -> None:
    """Load the link's table (the server fetches it: private addresses are refused unless the
    owner allows them, and each session gets ``MAX_LINK_FETCHES_PER_MINUTE`` loads a minute)."""
    url = st.session_state.get("table_url", "").strip()
    try:
        # counted before fetching: failed fetches load the other host just as much
        session.link_fetches = fetch.check_fetch_rate(session.link_fetches)
        data = fetch.fetch_url(url, allow_private=netguard.allow_private_from_env())
        session.table_source = (data, url.rsplit("/", 1)[-1] or url)
        session.table_error = None
    except RnnExplorerError as err:
        session.table_error = str(err)


def _clear_error() -> None:
    """A new source or file makes the last one's message stale."""
    session.table_error = None


def _use() -> None:
    """Turn the table into the session's series, reading the choices as they are now (not as
    they were when the button was drawn: a quick click may beat the rerun)."""
    frame = session.table_cache[1][0]  # (hash, (frame, inspection))
    date = st.session_state.get("table_date")
    features = list(st.session_state.get("table_features") or [])
    try:
        series, report = tables.to_series(
            frame, st.session_state.table_target, None if date in (None, NO_DATE) else date,
            features, st.session_state.get("table_missing", "stop"),
            st.session_state.get("table_date_format", "auto"))
    except RnnExplorerError as err:
        session.table_error = f"Table not used, your data is unchanged: {err}"
        return
    session.table_error = None
    session.user_series = series
    session.table_notes = list(report.notes)
    state.change(state.get_config().replace(dataset="upload"))


def panel() -> None:
    st.markdown("**Your own table** (CSV or TSV, UTF-8, at most "
                f"{tables.MAX_UPLOAD_BYTES // 2**20} MB)")
    how = st.radio("Source", ["upload a file", "load from a link"], key="table_how",
                   horizontal=True, on_change=_clear_error, help="A file from your computer, or an http(s) link to a raw CSV file.")
    if how == "upload a file":
        upload = st.file_uploader("Table file", type=["csv", "tsv", "txt", "xlsx"], key="table_file",
                                  on_change=_clear_error, help="One row per time step; a header row names the columns.")
        source = (upload.getvalue(), upload.name) if upload is not None else None
    else:
        st.text_input("Link to a CSV file", key="table_url", placeholder="https://…/data.csv",
                      help="http or https only; the server fetches the file once, with a size cap "
                           f"and a timeout, at most {fetch.MAX_LINK_FETCHES_PER_MINUTE} links a "
                           "minute. Links to the server's own network (localhost, private "
                           "addresses) are refused unless its owner allows them.")
        st.button("Load", key="table_fetch", on_click=_fetch)
        source = session.table_source
    if session.table_error:
        st.error(session.table_error)
    if source is None:
        return
    try:
        frame, info = _read(*source)
    except RnnExplorerError as err:
        st.error(f"{err} Your data is unchanged.")
        return
    st.dataframe(frame.head(8), key="table_preview")
    st.caption(f"{info.n_rows:,} rows · number columns: {', '.join(info.numeric) or 'none'}")
    for column, count in info.missing.items():
        if count:
            st.caption(f"{column}: {info.missing_text(column)}")
    for note in info.number_notes.values():  # 1.037: decimal or thousands? say what was assumed
        st.caption(note)
    a, b = st.columns(2)
    target = a.selectbox("Value to forecast (target)", info.targets, key="table_target",
                         help="The column the network learns to predict.")
    dates = [NO_DATE, *info.dates]
    date = b.selectbox("Date / time column", dates, key="table_date",
                       help="Parsed and sorted; duplicated dates are refused, gaps reported.")
    date_format = b.selectbox("Date format", tables.DATE_FORMATS, key="table_date_format",
                              disabled=date == NO_DATE,
                              help="The order of day, month and year (any of / . - between them); "
                                   "auto asks when dates such as 01/02/2001 could be read two ways.")
    if date in info.date_formats and date_format == "auto":
        st.warning(f"The order of day, month and year in {date!r} cannot be told from the dates: "
                   f"choose the date format ({', '.join(info.date_formats[date])}).")
    features = st.multiselect("Extra input columns (features)", [c for c in info.numeric if c != target],
                              key="table_features",
                              help="Read by the network next to the target at every time step: "
                                   "windows become (samples, T, 1 + features).")
    missing = st.radio("Missing values", tables.MISSING_POLICIES, key="table_missing", horizontal=True,
                       help="stop: refuse and say where; interpolate: fill linearly; drop: remove the rows. "
                            "Nothing is filled silently.")
    st.button("Use this table", type="primary", key="table_use", on_click=_use)
