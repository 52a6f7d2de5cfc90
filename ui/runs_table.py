"""The table of the session's runs on the Compare page: rename in place, tick and delete."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from . import persist
from .session import Session, session

# Column widths in pixels, fixed so a long run name cannot push the table around.
NAME_WIDTH, DELETE_WIDTH = 220, 70


def frame(runs: list) -> pd.DataFrame:
    """One row per run: its name, a delete tick, its settings and its test errors."""
    return pd.DataFrame([{
        "name": r.name, "delete": False, "series": r.config.dataset, "cell": r.config.cell,
        "units": r.config.units, "layers": r.config.layers, "T": r.config.time_steps,
        "H": r.config.horizon, "layout": r.config.layout, "scaler": r.config.scaler_fit,
        "epochs": r.history.epochs_run, "fit s": round(r.history.fit_seconds, 1),
        "test RMSE": r.metrics["test_rmse_original"],
        "persistence": r.metrics["persistence_test_rmse_original"],
    } for r in runs])


def editor(runs: list) -> None:
    """Draw the editable table; names typed in it rename the runs, ticked runs can be deleted."""
    table = frame(runs)
    edited = st.data_editor(
        table, key=Session.runs_editor, hide_index=True,
        disabled=[c for c in table.columns if c not in ("name", "delete")],
        column_config={
            "name": st.column_config.TextColumn(help="Rename a run here.", width=NAME_WIDTH),
            "delete": st.column_config.CheckboxColumn(help="Tick, then press Delete.",
                                                      width=DELETE_WIDTH),
            "H": st.column_config.NumberColumn(help="Horizon: values predicted per window."),
        })
    for run, name in zip(runs, edited["name"]):
        run.name = str(name)
    persist.sync_runs(runs)  # a rename reaches the store now, not on the next run: a reload may come first
    st.button("Delete ticked runs", disabled=not edited["delete"].any(), key="delete_runs",
              on_click=_delete_ticked)


def _delete_ticked() -> None:
    """Drop the ticked runs. A callback, not code after the button: it runs as the click
    arrives, so a rerun that interrupts the script (the table sending its last edit) cannot
    swallow the click."""
    edits = (session.runs_editor or {}).get("edited_rows", {})
    ticked = {int(row) for row, change in edits.items() if change.get("delete")}
    session.runs = [r for i, r in enumerate(session.runs) if i not in ticked]
    persist.sync_runs(session.runs)
    del session.runs_editor  # the new table starts without the old ticks
