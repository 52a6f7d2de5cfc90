"""Training replayed: the epoch slider and its Play button, on Results and Inside the network.

The chosen epoch is one per session (``session.replay_epoch``), so both pages show the same
epoch; a new run starts at its last epoch, so nothing changes for whoever ignores the slider.
As with the knobs (ui/state.py, rule 3), the slider does not own the value: it is written into
the slider right before it is drawn, and the slider's callback writes a move back.
The networks of earlier epochs come from ``rnn_core.replay`` (numpy, no TensorFlow).

Play: a fragment re-run every ``PLAY_SECONDS`` asks for the next epoch (``replay_due``) and
reruns the page; the page moves the slider's value before drawing it (the state rule: a
widget's key is only set before the widget is drawn), and stops playing at the last epoch.
"""

from __future__ import annotations

import time

import streamlit as st

from rnn_core import figures, replay

from .session import Session, session

PLAY_SECONDS = 1.0
LOSS_HEIGHT = 260  # the Results loss curve: small, under the chart it explains


def _before_slider(run, epochs: tuple[int, ...]) -> None:
    """Set the slider and Play before they are drawn: the last epoch for a run not shown
    before, the next kept epoch when Play's timer asked for it; Play stops at the last epoch.
    Both widgets are written every run, not only when they differ: each page draws its own
    slider, which would otherwise start at its default after a page switch."""
    if session.replay_run is not run:
        _forget_older(run)
    if session.replay_run is not run or session.replay_epoch not in epochs:
        session.replay_run, session.replay_epoch, session.replay_playing = run, epochs[-1], False
    if session.replay_due:
        session.replay_due = False
        if session.replay_playing:
            session.replay_epoch = replay.next_epoch(epochs, session.replay_epoch)
    if session.replay_playing and session.replay_epoch == epochs[-1]:
        session.replay_playing = False
    session.replay_slider = session.replay_epoch
    session.replay_play = session.replay_playing


def _forget_older(run) -> None:
    """Only the latest run is replayed: the session's other runs let go of their snapshots
    (up to ``replay.MAX_SNAPSHOT_BYTES`` each, for up to 10 runs of each of a server's users;
    the store keeps them). Their networks of earlier epochs stay: pages cache by their ids."""
    for other in session.runs:
        if other is not run:
            other.snapshots = None


def _on_slider() -> None:
    session.replay_epoch = session.replay_slider


def _on_play() -> None:
    """Play from the first kept epoch when the slider stands at the last one."""
    session.replay_playing, session.replay_due = bool(session.replay_play), False
    run = session.replay_run
    if session.replay_playing and run is not None:
        epochs = replay.epochs_of(run)
        if epochs and session.replay_epoch == epochs[-1]:
            session.replay_epoch = epochs[0]


@st.fragment(run_every=PLAY_SECONDS)
def _ticker() -> None:
    """While playing: every PLAY_SECONDS, ask for the next epoch and rerun the page (its
    first call is part of the page's own run and does nothing)."""
    if time.monotonic() - session.replay_drawn < PLAY_SECONDS / 2:
        return
    session.replay_due = True
    st.rerun()


def epoch_slider(run) -> int:
    """The slider over ``run``'s kept epochs and Play; the epoch chosen. Only the last epoch
    (no slider) for a run that kept no earlier ones; a caption says why."""
    epochs = replay.epochs_of(run)
    if len(epochs) < 2:
        st.caption(_why_no_replay(run))
        return replay.last_epoch(run)
    _before_slider(run, epochs)
    play, slider = st.columns([1.3, 8.7], vertical_alignment="bottom")
    play.toggle("Play", key=Session.replay_play, on_change=_on_play,
                help=f"Step through the epochs, one every {PLAY_SECONDS:g} s, and stop at the "
                     "last; from the last, it starts again at the first.")
    slider.select_slider(
        "Epoch shown", options=list(epochs), key=Session.replay_slider, on_change=_on_slider,
        help="Replays the training: the network with its weights after this epoch (kept during "
             "the training, run here in numpy). The last epoch is the trained network.")
    if run.snapshots is not None and not run.snapshots.complete:
        st.caption(run.snapshots.sentence(replay.epoch_bytes(run)))
    if session.replay_playing:
        session.replay_drawn = time.monotonic()
        _ticker()
    return int(session.replay_epoch)


def _why_no_replay(run) -> str:
    if run.snapshots is None:
        return ("This run was kept before the weights of each epoch were: only its trained "
                "network (the last epoch) can be shown. Train again to replay the training.")
    if run.history.epochs_run < 1:
        return "No epoch finished: there is no training to replay."
    if run.history.epochs_run == 1:
        return "One epoch trained: there is no earlier network to replay."
    return run.snapshots.sentence(replay.epoch_bytes(run))


def _replayed(run, epoch: int) -> replay.Replayed:
    return session.cached(Session.replay_cache, (run, epoch), lambda: replay.replay(run, epoch))


def results_epoch(run) -> replay.Replayed:
    """Results' epoch slider, and what the run predicts after the chosen epoch (its own
    predictions and errors at the last); ``loss_curve`` draws where it is on the loss."""
    epoch = epoch_slider(run)
    shown = _replayed(run, epoch)
    last = replay.last_epoch(run)
    if not shown.last:
        st.info(f"Epoch {epoch} of {last}: the chart, the errors and the residuals below are the "
                f"network's after epoch {epoch} (train loss {shown.loss:.5g}, test loss "
                f"{shown.val_loss:.5g}). The baselines table, the forecast and the downloads "
                f"are the trained network's (epoch {last}).")
    return shown


def loss_curve(run, shown: replay.Replayed) -> None:
    """The run's loss per epoch, the epoch shown marked by a vertical line."""
    h = run.history
    fig = figures.loss_figure(h.loss, h.val_loss, max(run.config.epochs, h.epochs_run),
                              title=f"Loss per epoch of {run.name}" if run.name else None)
    if shown.epoch >= 1:  # none when the first epoch already diverged
        figures.mark_epoch(fig, shown.epoch, f"epoch {shown.epoch} shown")
    fig.update_layout(height=LOSS_HEIGHT)
    st.plotly_chart(fig, key="replay_loss", width="stretch")


def title(shown: replay.Replayed) -> str:
    """What a chart's title adds for an earlier epoch."""
    return "" if shown.last else f" — after epoch {shown.epoch}"


def trained_network(run):
    """Inside's replay for the trained run: (its network after the chosen epoch, a label
    saying which epoch). The unroll, the heatmaps, the weights, the memory views and the what-if
    all read this network."""
    epoch = epoch_slider(run)
    last = replay.last_epoch(run)
    if epoch == last:
        return run.network, ""
    return replay.network_at(run, epoch), f" · weights after epoch {epoch} of {last}"


def earlier_epoch(model) -> bool:
    """Whether ``model`` is the last run's network at an epoch before its last (the proofs
    against TensorFlow were made for the trained weights only)."""
    return replay.is_earlier_epoch(session.run, model)


KERAS_PROOF_CAPTION = ("The numpy-vs-Keras proof is shown for the trained network (the last "
                       "epoch): Keras' predictions were made where it was trained, and the server "
                       "runs no TensorFlow. Pick the last epoch to see it; the numbers above are "
                       "the numpy network's with the weights of the epoch shown.")
