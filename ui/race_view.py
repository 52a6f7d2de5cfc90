"""The race of the three cells on the Compare page: who runs (and their parameter counts), start,
the live loss curves overlaid, then the table, the verdict and where each network looks."""

from __future__ import annotations

from typing import Sequence

import pandas as pd
import streamlit as st

from rnn_core import jobs, memory_figures, memory_summary, race, tasks
from rnn_core.architecture import CELL_CLASS
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import jobs_view, state, train_panel
from .session import Session, session

MATCH_LABELS = {"units": "the same hidden units", "params": "about the same number of parameters"}
# Windows whose sensitivity is averaged per runner (memory_summary.spaced picks them evenly):
# three networks' profiles, drawn once the race ends, in about a second.
PROFILE_WINDOWS = 20
LOSS_TITLE = "The race: loss per epoch"


def entrants(match: str, over_seeds: bool):
    """The runners of the current setup, and the windows' shape they read."""
    config = state.get_config()
    w = prepare(config, state.series()).windows
    seeds = race.RACE_SEEDS if over_seeds else None
    return race.entrants(config, w.steps, w.n_features, match, seeds), w.steps, w.n_features


def lineup(match: str, over_seeds: bool) -> None:
    """Who would run, with their parameter counts (before anything trains)."""
    try:
        configs, steps, features = entrants(match, over_seeds)
    except RnnExplorerError as err:
        st.error(str(err))
        return
    first = [c for c in configs if c.seed == configs[0].seed]
    counts = {c.cell: race.parameters(c, steps, features) for c in first}
    st.caption("Runners: " + ", ".join(f"{CELL_CLASS[c.cell]} {c.units} units "
                                       f"({counts[c.cell]:,} parameters)" for c in first)
               + (f"; each with seeds {race.RACE_SEEDS[0]}–{race.RACE_SEEDS[-1]}" if over_seeds
                  else f"; seed {configs[0].seed}") + ".")
    if match == "params":
        top, low = max(counts.values()), min(counts.values())
        if top - low > race.PARAMS_TOLERANCE * low:
            st.caption(f"Whole units cannot bring these counts within "
                       f"{race.PARAMS_TOLERANCE:.0%} of each other at this size; these are the "
                       "nearest.")


def _jobs() -> list[jobs.TrainingJob]:
    return list(session.race[1]) if session.race else []


def running() -> bool:
    return jobs_view.running(_jobs())


def start(match: str, over_seeds: bool) -> None:
    """Queue every runner (checked first: nothing is queued if one cannot train)."""
    if jobs_view.refused_while_running(_jobs(), "The race"):
        return
    try:
        runners = race.prepared_entrants(state.get_config(), state.series(), match,
                                         race.RACE_SEEDS if over_seeds else None)
    except RnnExplorerError as err:
        session.race_error = str(err)
        return
    session.race_error = None
    runner = jobs.runner()
    session.race = (match, [runner.submit(p.config, state.series()) for p in runners])


def _label(job: jobs.TrainingJob, seeds: bool) -> str:
    c = job.config
    return f"{CELL_CLASS[c.cell]} {c.units}u" + (f" seed {c.seed}" if seeds else "")


def _over_seeds(pack: Sequence[jobs.TrainingJob]) -> bool:
    return len({job.config.seed for job in pack}) > 1


def collect() -> None:
    """Once every runner has finished, their runs join the Compare table (once)."""
    current = session.race
    if current:
        pack = current[1]
        jobs_view.collect(pack, lambda: [train_panel.keep(job, "race · " + _label(job, _over_seeds(pack)))
                                         for job in pack if job.run is not None])


def view() -> None:
    current = session.race
    if not current:
        return
    match, pack = current
    jobs_view.follow(pack, jobs_view.JobsView(
        progress_text=lambda js: f"Racing {len(js)} trainings: {jobs_view.epochs_text(js)}",
        draw=lambda: _draw(match, pack), collect=collect, stop_key="race_stop",
        stop_help="End every runner after its current epoch and compare them as trained so far."))


def _curves(pack: Sequence[jobs.TrainingJob]) -> list[tuple[str, list[float], list[float]]]:
    """Each runner's loss per epoch so far (its run's history once finished)."""
    seeds = _over_seeds(pack)
    out = []
    for job in pack:
        if job.run is not None:
            h = job.run.history
            out.append((_label(job, seeds), list(h.loss), list(h.val_loss)))
        else:
            events = list(job.events)
            out.append((_label(job, seeds), [e.loss for e in events], [e.val_loss for e in events]))
    return out


def _draw(match: str, pack: list[jobs.TrainingJob]) -> None:
    from rnn_core import figures

    curves = _curves(pack)
    if any(loss for _, loss, _ in curves):
        st.plotly_chart(figures.loss_overlay(curves, LOSS_TITLE), key="race_loss", width="stretch")
    else:  # axes around nothing (-1 to 6 epochs) while the runners wait for trainers
        st.caption("The loss curves appear as the runners finish their first epoch.")
    if not all(job.finished for job in pack):
        return
    for job in pack:
        if job.run is None:
            st.error(f"{_label(job, True)}: {job.error or 'stopped before it started'}")
    done = [job.run for job in pack if job.run is not None]
    if not done:
        return
    results = [race.result(r) for r in done]
    config = done[0].config
    baseline = (tasks.baseline_mse(config.dataset, done[0].windows)
                if tasks.is_task(config) else None)
    _table(results, match, baseline)
    _profiles(done)


def _table(results: list[race.Result], match: str, baseline: float | None) -> None:
    unit = "" if baseline is not None else " (series units)"
    table = pd.DataFrame([{"cell": CELL_CLASS[r.cell], "hidden units": r.units,
                           "parameters": r.params, "seed": r.seed,
                           f"test RMSE{unit}": r.test_rmse, "test MSE": r.test_mse,
                           "epochs": r.epochs_run, "seconds": round(r.fit_seconds, 1),
                           "diverged": r.diverged} for r in results])
    st.dataframe(table, hide_index=True, key="race_table")
    spreads = race.spreads(results)
    if any(s.runs > 1 for s in spreads):  # over seeds: the spread, one row per cell
        st.dataframe(pd.DataFrame([{"cell": CELL_CLASS[s.cell], "seeds": s.runs,
                                    "best test MSE": s.best, "mean": s.mean, "worst": s.worst}
                                   for s in spreads]), hide_index=True, key="race_spread")
    st.markdown(f"Matched on {MATCH_LABELS[match]}. " + race.verdict(results, baseline))
    if baseline is not None:
        st.caption(f"The task's baseline on the same test sequences: test MSE {baseline:.4g}.")


def _profiles(runs: list) -> None:
    """Where each network looks: its mean sensitivity |∂ŷ/∂x_t| over test windows, per step
    (the first seed of each cell)."""
    first = {}
    for r in runs:
        first.setdefault(r.config.cell, r)
    chosen = list(first.values())
    key = tuple(id(r) for r in chosen)

    def compute():
        return [(CELL_CLASS[r.config.cell],
                 memory_summary.mean_profile(r.network, r.windows.x_test, PROFILE_WINDOWS))
                for r in chosen]

    with st.spinner("Measuring how far back each network looks…"):
        profiles = session.cached(Session.race_profiles, key, compute)
    st.plotly_chart(memory_figures.profiles_figure(
        [(name, p.profiles[0], p.effective_memory()) for name, p in profiles]),
        key="race_profiles", width="stretch")
    st.caption(f"Mean |∂ŷ/∂x_t| over {len(profiles[0][1].used)} test windows per network "
               f"(the derivative of the prediction with respect to each input step, computed "
               f"through the trained weights as on Inside the network); the effective memory "
               f"is the most recent steps carrying {memory_summary.MEMORY_SHARE:.0%} of it.")


LINK_PARAM, LINK_SEEDS = "race", "race_seeds"  # ?race=params&race_seeds=1 starts a race


def share_link(match: str, over_seeds: bool) -> str:
    """The current setup's link, opening this page and starting this race."""
    link = state.sync_link()
    extra = f"{LINK_PARAM}={match}" + (f"&{LINK_SEEDS}=1" if over_seeds else "")
    return link + ("&" if "?" in link else "?") + extra


def _from_link() -> None:
    """A link with ``race=units|params`` starts that race once, on its first visit here."""
    match = session.opened_with.get(LINK_PARAM)
    if match is None or session.link_race_done:
        return
    session.link_race_done = True
    over_seeds = session.opened_with.get(LINK_SEEDS) == "1"
    if match not in race.MATCHES:
        st.warning(f"Link setting ignored: race={match[:20]!r} is not valid (use units or "
                   "params); no race was started.")
        return
    session.race_match, session.race_seeds = match, over_seeds  # before the widgets are drawn
    if session.race is None:
        start(match, over_seeds)


def section() -> None:
    """The race's part of the Compare page: its settings, the runners, Start, the race."""
    st.subheader("Race the three cells")
    st.caption("SimpleRNN, LSTM and GRU trained on exactly the same windows, seed and training "
               "settings — the current setup's — one training each, side by side.")
    _from_link()
    # one under the other: a column beside the radio cut its label to "Over seeds 0…" at 1024
    # pixels
    state.remember_widget(Session.race_match, "units", race.MATCHES)
    match = st.radio("Fair means", race.MATCHES, format_func=MATCH_LABELS.get, horizontal=True,
                     key=Session.race_match,
                     help="Same units: an LSTM then holds about 4× and a GRU 3× the parameters "
                          "of a SimpleRNN. Same parameters: units chosen per cell so the counts "
                          f"are nearest the setup's cell (within {race.PARAMS_TOLERANCE:.0%} "
                          "where whole units allow).")
    state.remember_widget(Session.race_seeds, False)
    over = st.checkbox(f"Over seeds {race.RACE_SEEDS[0]}–{race.RACE_SEEDS[-1]}",
                       key=Session.race_seeds,
                       help="Train each cell three times with different seeds and show the "
                            "spread: one seed can make a cell look better than it is.")
    lineup(match, over)
    st.button("Start the race", key="race_start",  # the choices as sent with the click
              on_click=lambda: start(session.race_match, session.race_seeds),
              disabled=running(), type="primary",
              help="Queues one training per runner; they train in the background, two at a "
                   "time per server, with their loss curves drawn as they go.")
    with st.popover("Share this race"):
        st.caption("Opens this page with the current setup and starts this race.")
        st.code(share_link(match, over), language=None)
    if session.race_error:
        st.error(session.race_error)
    view()
