"""The one flow: config → series → scaling → windows → model → training → predictions, metrics.

``prepare`` does everything before the network (no TensorFlow), so pages can show the data,
the split and the window counts instantly. ``train`` builds, fits and evaluates.

    from rnn_core.presets import preset
    from rnn_core.run import train
    run = train(preset("t1-sunspots").replace(epochs=2))
    run.metrics["test_rmse"], run.metrics["persistence_test_rmse_original"]
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import data, metrics, scaling, tasks, training, transforms, windows as windows_mod
from .config import RunConfig
from .data import Series
from .errors import RnnExplorerError
from .training import EpochEvent, History
from .windows import Windows


@dataclass(frozen=True)
class Prepared:
    """Everything a config fixes before any network exists.

    With a transform (``config.transform``), ``scaled`` is the scaled transformed series,
    ``transform.lag`` values shorter than ``series``; the windows' positions (``*_index``,
    ``split_at``) stay those of the original series. ``original`` turns predictions of either
    part back into original units (``transforms.INVERSE_NOTE`` says how).
    """

    config: RunConfig
    series: Series
    split_at: int
    scaler: Any
    scaled: np.ndarray
    windows: Windows
    transform: transforms.Transform | None = None  # None: the series as it is

    def original(self, values: np.ndarray, part: str = "test") -> np.ndarray:
        """Scaled predictions (or targets) of ``part``'s windows, (windows,) or (windows, H),
        in original units. Without a transform: the scaler's inverse alone."""
        w = self.windows
        return self.original_at(values, w.train_index if part == "train" else w.test_index)

    def original_at(self, values: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Scaled values predicted from positions ``first`` of the series on, in original units."""
        out = self.scaler.inverse_transform(values)
        if self.transform is None:
            return out
        return self.transform.inverse_transform(out, first, self.series.values)

    def targets_original(self, part: str = "test") -> np.ndarray:
        """``part``'s targets in original units, shaped like its ``y``."""
        w = self.windows
        y = w.y_train if part == "train" else w.y_test
        if self.transform is None:
            return self.scaler.inverse_transform(y)
        first = w.train_index if part == "train" else w.test_index
        pos = first if y.ndim == 1 else first[:, None] + np.arange(y.shape[1])[None, :]
        return np.asarray(self.series.values, dtype=np.float64)[pos]

    def persistence_original(self, part: str = "test") -> np.ndarray:
        """"Every value ahead equals the last known one", in original units, shaped like ``y``."""
        w = self.windows
        if self.transform is None:
            return self.scaler.inverse_transform(w.persistence(part))
        first = w.train_index if part == "train" else w.test_index
        last = np.asarray(self.series.values, dtype=np.float64)[first - 1]
        y = w.y_train if part == "train" else w.y_test
        return last if y.ndim == 1 else np.repeat(last[:, None], y.shape[1], axis=1)

    def future_original(self, values: np.ndarray) -> np.ndarray:
        """Scaled values forecast after the end of the series, in original units."""
        out = self.scaler.inverse_transform(np.asarray(values, dtype=np.float64))
        return out if self.transform is None else self.transform.inverse_future(out, self.series.values)


def prepare(config: RunConfig, series: Series | None = None) -> Prepared:
    """Load (unless ``series`` is given), transform, scale and cut windows; raises
    ``RnnExplorerError``. A long-lag task (``tasks.is_task``) has its sequences as windows
    instead (``_prepare_task``)."""
    if tasks.is_task(config):
        return _prepare_task(config)
    series = series if series is not None else data.load(config)
    split_at = windows_mod.split_index(len(series), config.split)
    transform, lag = None, 0
    target = np.asarray(series.values, dtype=np.float64)
    if config.transform != "none":
        transform = transforms.Transform.of(config.transform, series.season).fit(series.values)
        lag = transform.lag
        _check_transform_split(config, split_at, lag)
        target = transform.transform(series.values)
    scaler = scaling.fit_scaler(target, split_at - lag, config.scaler_fit)
    scaled = scaler.transform(target)
    inputs = None
    if series.features is not None:
        # the target is the first input; each extra column gets its own scaler, fitted alike
        columns = [scaled]
        for name, column in zip(series.feature_names, series.features[lag:].T):
            try:
                columns.append(scaling.fit_scaler(column, split_at - lag, config.scaler_fit)
                               .transform(column))
            except RnnExplorerError as err:
                raise RnnExplorerError(f"feature column {name!r}: {err}", field="features") from None
        inputs = np.column_stack(columns)
    w = windows_mod.make(scaled, split_at - lag, config.time_steps, config.stride, config.layout,
                         config.window_scope, config.pad, features=inputs, horizon=config.horizon)
    if lag:  # transformed value j is position j + lag of the series
        w = dataclasses.replace(w, train_index=w.train_index + lag, test_index=w.test_index + lag,
                                split_at=split_at, n_values=len(series))
    return Prepared(config, series, split_at, scaler, scaled, w, transform)


def _check_transform_split(config: RunConfig, split_at: int, lag: int) -> None:
    """A difference needs training values before its first one, and no padding (a padded
    window's repeated target has no place in the series to undo the difference from)."""
    if config.pad:
        raise RnnExplorerError(
            f"transform={config.transform} cannot be combined with padding: a padded window "
            "repeats its part's last value, which has no actual value before it to undo a "
            "transform from. Turn padding off or choose transform=none.", field="pad")
    if split_at - lag < 2:
        raise RnnExplorerError(
            f"transform={config.transform} differences at lag {lag}, which leaves no training "
            f"values before the split at {split_at}: move the split later.", field="split")


def _prepare_task(config: RunConfig) -> Prepared:
    """A task's sequences are its windows; its series is their targets (training first, so
    the split is at the number of training sequences); nothing is scaled (values in [0, 1])."""
    w = tasks.windows(config)
    series = tasks.target_series(config)
    return Prepared(config, series, w.split_at, scaling.fit_scaler(series.values, w.split_at, "none"),
                    series.values, w)


class Run:
    """A trained model with everything needed to show and compare it.

    The network is kept as its weights; ``model`` builds the Keras model from them on first
    use, ``network`` runs them in numpy. A run trained in a worker process thus reaches the app
    without TensorFlow, and the app imports TensorFlow only on a page that needs the Keras
    model itself.
    """

    def __init__(self, config: RunConfig, prepared: Prepared, history: History,
                 pred_train: np.ndarray, pred_test: np.ndarray, metrics: dict[str, float],
                 weights: list[np.ndarray] | None, model: Any = None, name: str = "",
                 autodiff_test: np.ndarray | None = None, snapshots: Any = None):
        self.config = config
        self.prepared = prepared
        self.history = history
        self.pred_train = pred_train  # scaled units
        self.pred_test = pred_test
        self.metrics = metrics
        self.weights = weights
        self.name = name
        # TensorFlow's ∂ŷ/∂x of the first test windows (training.AUTODIFF_WINDOWS), made where
        # the model was trained: (n, outputs, T, features), or None (a run stored before)
        self.autodiff_test = autodiff_test
        # the weights after earlier epochs (replay.Snapshots), or None (a run stored before)
        self.snapshots = snapshots
        # epoch -> forward.Network of those weights, built by replay.network_at on first use
        self.replay_networks: dict[int, Any] = {}
        self._model = model
        self._network = None

    @property
    def model(self) -> Any:
        """The Keras model (built from ``weights`` the first time it is asked for)."""
        if self._model is None:
            if self.weights is None:
                raise RuntimeError("this run kept its scores only, not its weights")
            from . import model as model_mod

            w = self.windows
            self._model = model_mod.build(self.config, w.steps, w.n_features)
            self._model.set_weights(self.weights)
        return self._model

    @property
    def network(self) -> Any:
        """The same network's forward pass in numpy (``forward.Network``): predictions without
        TensorFlow, for forecasts and roll-outs in the web server."""
        if self.weights is None:
            raise RuntimeError("this run kept its scores only, not its weights")
        if self._network is None:
            from .forward import Network

            w = self.windows
            self._network = Network(self.config, self.weights, w.steps, w.n_features)
        return self._network

    def drop_model(self) -> None:
        """Forget the network (weights and Keras model), keep config, history and scores."""
        self._model, self._network, self.weights = None, None, None
        self.snapshots, self.replay_networks = None, {}

    @property
    def windows(self) -> Windows:
        return self.prepared.windows

    def original(self, values: np.ndarray, part: str = "test") -> np.ndarray:
        """Scaled predictions of ``part``'s windows in original units (``Prepared.original``)."""
        return self.prepared.original(values, part)


def evaluate(prepared: Prepared, pred_train: np.ndarray, pred_test: np.ndarray) -> dict[str, float]:
    """RMSE and MAE on both parts in scaled and original units, and the persistence baseline.

    With a horizon H > 1 each error is over all H values ahead of every window, and
    ``test_rmse_original_h{k}`` / ``persistence_test_rmse_original_h{k}`` give step k alone.
    """
    w = prepared.windows
    out: dict[str, float] = {}
    for part, y, p in (("train", w.y_train, pred_train), ("test", w.y_test, pred_test)):
        y_orig, p_orig = prepared.targets_original(part), prepared.original(p, part)
        last_orig = prepared.persistence_original(part)
        out[f"{part}_rmse"] = metrics.rmse(y, p)
        out[f"{part}_mae"] = metrics.mae(y, p)
        out[f"{part}_rmse_original"] = metrics.rmse(y_orig, p_orig)
        out[f"{part}_mae_original"] = metrics.mae(y_orig, p_orig)
        out[f"persistence_{part}_rmse"] = metrics.rmse(y, w.persistence(part))
        out[f"persistence_{part}_rmse_original"] = metrics.rmse(y_orig, last_orig)
        out[f"persistence_{part}_mae_original"] = metrics.mae(y_orig, last_orig)
    if w.horizon > 1:
        y, last = prepared.targets_original("test"), prepared.persistence_original("test")
        p = prepared.original(pred_test, "test")
        for k in range(w.horizon):
            out[f"test_rmse_original_h{k + 1}"] = metrics.rmse(y[:, k], p[:, k])
            out[f"persistence_test_rmse_original_h{k + 1}"] = metrics.rmse(y[:, k], last[:, k])
    return out


def verdict(m: dict[str, float], horizon: int = 1) -> str:
    """One plain sentence: does the model beat "the next value equals the last one"?"""
    model, base = m["test_rmse_original"], m["persistence_test_rmse_original"]
    if not np.isfinite(model):
        return "The model produced no finite predictions, so it cannot be compared."
    change = (base - model) / base * 100 if base > 0 else 0.0
    ahead = "" if horizon == 1 else f" over all {horizon} values ahead"
    if model < base:
        return (f"The model beats persistence on the test part{ahead}: RMSE {model:.4g} vs "
                f"{base:.4g} for \"next value = last value\" ({change:.1f} % lower).")
    return (f"The model does not beat persistence on the test part{ahead}: RMSE {model:.4g} vs "
            f"{base:.4g} for simply repeating the window's last value ({-change:.1f} % higher). "
            "It has not learned more than \"tomorrow equals today\".")


def held_out(w: Windows, m: int) -> Windows:
    """``w`` without its last ``m`` training windows (the intervals' calibration windows)."""
    if not m:
        return w
    return dataclasses.replace(w, x_train=w.x_train[:-m], y_train=w.y_train[:-m],
                               train_index=w.train_index[:-m], train_last=w.train_last[:-m])


def train(config: RunConfig, series: Series | None = None,
          on_epoch: Callable[[EpochEvent], None] | None = None,
          stop: threading.Event | None = None,
          on_model: Callable[[Any], None] | None = None) -> Run:
    """Prepare, build, fit and evaluate one run. ``on_model`` receives the model before
    fitting, so a caller can keep it even if training is interrupted."""
    from . import intervals, model as model_mod, replay

    prepared = prepare(config, series)
    w = prepared.windows
    # with prediction intervals on, the last training windows calibrate them: not fitted on
    fit_on = held_out(w, intervals.calibration_size(w.n_train, config.interval_level))
    model = model_mod.build(config, w.steps, w.n_features,
                            training.steps_per_execution(fit_on.n_train, config.batch_size))
    if on_model is not None:
        on_model(model)
    recorder = replay.Recorder(config.epochs, replay.MAX_SNAPSHOT_BYTES)  # weights by epoch
    history = training.fit(model, fit_on, config, on_epoch=on_epoch, stop=stop,
                           on_weights=recorder.take)
    pred_train = training.predict(model, w.x_train)
    pred_test = training.predict(model, w.x_test)
    autodiff = training.input_gradients(model, w.x_test[:training.AUTODIFF_WINDOWS])
    return Run(config, prepared, history, pred_train, pred_test,
               evaluate(prepared, pred_train, pred_test), weights=model.get_weights(), model=model,
               autodiff_test=autodiff, snapshots=recorder.finish(history.epochs_run))
