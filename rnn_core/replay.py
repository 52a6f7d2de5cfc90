"""Training replayed: the weights after each epoch, kept within a memory limit, and the
network they make at any kept epoch — in numpy, so the web server replays without TensorFlow.

``training.fit`` hands the weights of every finished epoch to a ``Recorder``, which keeps the
epochs ``kept_epochs`` plans: all of them when their weights fit in ``MAX_SNAPSHOT_BYTES``, else
evenly spaced ones, always the first and the last. The last epoch's weights are the run's own
(``Run.weights``), so they cost nothing extra; the limit counts the others. A run carries the
result as ``Run.snapshots`` (None for a run stored before replays were kept).

    >>> kept_epochs(epochs=5, epoch_bytes=100, limit=1_000)   # all fit
    (1, 2, 3, 4, 5)
    >>> kept_epochs(epochs=100, epoch_bytes=100, limit=400)   # 4 besides the last
    (1, 26, 50, 75, 100)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:
    from .forward import Network
    from .run import Run

# The weights of a run's epochs before its last, together (float32, as Keras keeps them). A web
# server keeps up to 10 runs for each of ~30 users: at most ~300 MB of snapshots at this limit,
# and the sunspots preset (GRU 32, 30 epochs) needs 0.38 MB of it.
MAX_SNAPSHOT_BYTES = 2**20


def kept_epochs(epochs: int, epoch_bytes: int, limit: int = MAX_SNAPSHOT_BYTES) -> tuple[int, ...]:
    """The epochs (1-based) whose weights are kept for a training of ``epochs`` epochs whose
    weights take ``epoch_bytes``: every epoch if the ones before the last fit in ``limit``,
    else as many as fit, evenly spaced, always the first and the last; only the last when not
    even one more fits."""
    if epochs < 1:
        return ()
    fit = limit // max(1, epoch_bytes)  # epochs besides the last that fit
    n = min(epochs, fit + 1)
    if n >= epochs:
        return tuple(range(1, epochs + 1))
    if n < 2:
        return (epochs,)
    # spacing (epochs-1)/(n-1) >= 1, so the rounded points are distinct
    return tuple(int(v) for v in np.rint(np.linspace(1, epochs, n)))


@dataclass(frozen=True)
class Snapshots:
    """The kept epochs of a run and their weights.

    ``epochs`` ascend and end with the run's last epoch, whose weights are the run's own;
    ``weights[i]`` are those after ``epochs[i]`` for every kept epoch before the last."""

    epochs: tuple[int, ...]
    weights: tuple[list[np.ndarray], ...]
    epochs_run: int
    limit: int = MAX_SNAPSHOT_BYTES

    @property
    def nbytes(self) -> int:
        """What the kept epochs before the last take (the last is the run's weights)."""
        return sum(int(a.nbytes) for ws in self.weights for a in ws)

    @property
    def complete(self) -> bool:
        return len(self.epochs) == self.epochs_run

    def sentence(self, epoch_bytes: int) -> str:
        """Which epochs can be replayed, and why not all of them when not."""
        n, total = len(self.epochs), self.epochs_run
        if self.complete:
            return f"The weights after each of the {total} epochs are kept."
        limit = f"{self.limit / 2**20:.3g} MB"
        if n <= 1:
            return (f"Only the last epoch can be shown: this network's weights "
                    f"({epoch_bytes / 2**20:.3g} MB an epoch) leave no room for others within "
                    f"the replay limit of {limit}.")
        listed = ", ".join(str(e) for e in self.epochs)
        return (f"{n} of the {total} epochs are kept, evenly spaced, to stay within the replay "
                f"limit of {limit} ({epoch_bytes / 2**10:.3g} KB an epoch): epochs {listed}.")


@dataclass
class Recorder:
    """Takes the weights after each epoch (``training.fit``'s ``on_weights``) and keeps the
    epochs ``kept_epochs`` plans for ``epochs`` planned ones (a stopped run keeps those it
    reached)."""

    epochs: int
    limit: int = MAX_SNAPSHOT_BYTES
    plan: tuple[int, ...] | None = None
    kept: dict[int, list[np.ndarray]] = field(default_factory=dict)

    def take(self, epoch: int, weights: list[np.ndarray]) -> None:
        """Keep ``weights`` (copies the caller does not modify) if ``epoch`` is planned."""
        if self.plan is None:
            self.plan = kept_epochs(self.epochs, sum(int(w.nbytes) for w in weights), self.limit)
        if epoch in self.plan:
            self.kept[epoch] = weights

    def finish(self, epochs_run: int) -> Snapshots:
        """The snapshots of a training that ran ``epochs_run`` epochs; its last epoch's weights
        are the run's own, so they are not kept twice."""
        before = [e for e in sorted(self.kept) if e < epochs_run]
        epochs = tuple(before) + ((epochs_run,) if epochs_run >= 1 else ())
        return Snapshots(epochs, tuple(self.kept[e] for e in before), epochs_run, self.limit)


# --- replaying a run ------------------------------------------------------------------------


def epochs_of(run: "Run") -> tuple[int, ...]:
    """The epochs of ``run`` that can be shown: its kept ones, or only its last (a run stored
    before replays were kept)."""
    if run.snapshots is not None and run.snapshots.epochs:
        return run.snapshots.epochs
    return (run.history.epochs_run,) if run.history.epochs_run else ()


def last_epoch(run: "Run") -> int:
    return run.history.epochs_run


def weights_at(run: "Run", epoch: int) -> list[np.ndarray]:
    """The weights of ``run`` after ``epoch`` (one of ``epochs_of(run)``)."""
    if epoch == last_epoch(run):
        if run.weights is None:
            raise RuntimeError("this run kept its scores only, not its weights")
        return run.weights
    snaps = run.snapshots
    if snaps is None or epoch not in snaps.epochs[:-1]:
        raise ValueError(f"epoch {epoch} of this run is not kept; kept: {list(epochs_of(run))}")
    return snaps.weights[snaps.epochs.index(epoch)]


def network_at(run: "Run", epoch: int) -> "Network":
    """The numpy network (``forward.Network``) with the weights after ``epoch``: the run's own
    ``network`` at the last epoch. Kept on the run while it lives, because pages cache
    results by ``id(network)`` and a freed network's id could come back for another epoch."""
    if epoch == last_epoch(run):
        return run.network
    networks = run.replay_networks
    if epoch not in networks:
        from .forward import Network

        w = run.windows
        networks[epoch] = Network(run.config, weights_at(run, epoch), w.steps, w.n_features)
    return networks[epoch]


def is_earlier_epoch(run: "Run | None", model: Any) -> bool:
    """Whether ``model`` is ``run``'s network at an epoch before its last."""
    return run is not None and any(model is net for net in run.replay_networks.values())


def numpy_predictions(run: "Run", epoch: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) predictions of the network after ``epoch``, by the numpy forward pass."""
    net, w = network_at(run, epoch), run.windows
    return _predict(net, w.x_train), _predict(net, w.x_test)


def _predict(net: "Network", x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return np.empty((0,) if net.config.horizon == 1 else (0, net.config.horizon))
    return net.predict(x)


@dataclass(frozen=True)
class Replayed:
    """What the run predicts after one epoch, and its errors (``run.evaluate``'s keys)."""

    epoch: int
    last: bool
    pred_train: np.ndarray
    pred_test: np.ndarray
    metrics: dict[str, float]
    loss: float
    val_loss: float


def replay(run: "Run", epoch: int) -> Replayed:
    """The run after ``epoch``: at the last epoch exactly the run's own predictions and
    metrics (made by Keras where it trained), before it the numpy network's."""
    from .run import evaluate

    h = run.history
    losses = (h.loss[epoch - 1], h.val_loss[epoch - 1]) if 1 <= epoch <= len(h.loss) else \
        (float("nan"), float("nan"))
    if epoch == last_epoch(run):
        return Replayed(epoch, True, run.pred_train, run.pred_test, run.metrics, *losses)
    pred_train, pred_test = numpy_predictions(run, epoch)
    return Replayed(epoch, False, pred_train, pred_test,
                    evaluate(run.prepared, pred_train, pred_test), *losses)


def next_epoch(epochs: Sequence[int], epoch: int) -> int:
    """The kept epoch after ``epoch`` (Play's next frame); the last stays the last.

    >>> next_epoch((1, 5, 10), 5), next_epoch((1, 5, 10), 10), next_epoch((1, 5, 10), 3)
    (10, 10, 5)
    """
    later = [e for e in epochs if e > epoch]
    return later[0] if later else epochs[-1]


def epoch_bytes(run: "Run") -> int:
    """What one epoch's weights of ``run`` take (float32, as kept)."""
    return sum(int(np.asarray(w).nbytes) for w in run.weights or [])
