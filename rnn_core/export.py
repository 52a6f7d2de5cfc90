"""What a user takes home: the model, the predictions, the config, a plain-Keras script.

The script reproduces a run with numpy, scikit-learn and Keras only (no rnn_core import), so
a learner can paste it in a notebook and get the same windows and, within seed noise, the
same metrics. Its model block is written from ``architecture``, like ``model.build``.

>>> from rnn_core.presets import preset
>>> text = script(preset("t1-sunspots"))
>>> "import rnn_core" in text, "time_steps = 12" in text
(False, True)
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import numpy as np
import pandas as pd

from .architecture import OPTIMIZER_CLASS, UNROLL_MAX_STEPS, architecture
from .config import TASKS, TEXTS, RunConfig
from .errors import RnnExplorerError
from .model import input_shape
from .windows import step


def model_bytes(model: Any) -> bytes:
    """The model as a ``.keras`` file (architecture, weights, optimizer state)."""
    with tempfile.TemporaryDirectory() as tmp:  # Keras saves to a path; nothing stays on disk
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        with open(path, "rb") as f:
            return f.read()


def predictions_frame(run: Any) -> pd.DataFrame:
    """One row per window and step ahead: part, window, step (1 … horizon), its target's
    position and label, actual and predicted values in original and scaled units, the
    persistence forecast, and the position of the first test value (the same on every row, so
    the file is a plain table that any CSV reader takes as is)."""
    p, w = run.prepared, run.windows
    frames = []
    for part, y_all, pred_all in (("train", w.y_train, run.pred_train),
                                  ("test", w.y_test, run.pred_test)):
        # original units through the run's transform, if any (Prepared.original)
        actual, predicted = p.targets_original(part), p.original(pred_all, part)
        last = p.persistence_original(part)
        for k in range(w.horizon):
            pos, y, pred = w.positions(part, k), step(y_all, k), step(pred_all, k)
            frames.append(pd.DataFrame({
                "part": part, "window": np.arange(len(pos)), "step": k + 1, "position": pos,
                "label": np.asarray(p.series.index)[pos].astype(str),
                "actual": step(actual, k), "predicted": step(predicted, k),
                "persistence": step(last, k),
                "actual_scaled": y, "predicted_scaled": pred,
                "first_test_position": p.split_at,
            }))
    out = pd.concat(frames, ignore_index=True).sort_values(["part", "window", "step"],
                                                           key=_part_order, kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["split_at"] = p.split_at
    return out


def _part_order(column: pd.Series) -> pd.Series:
    return column.map({"train": 0, "test": 1}) if column.name == "part" else column


def predictions_csv(run: Any) -> str:
    """The predictions table as a plain CSV: a header line, then one line per row, nothing
    else (``pandas.read_csv`` reads it as is; where the split is sits in a column)."""
    return predictions_frame(run).to_csv(index=False)


def _data_code(config: RunConfig) -> str:
    if config.dataset == "sine":
        return (
            f"t = np.arange({config.sine_length})\n"
            f"rng = np.random.default_rng({config.sine_seed})\n"
            f"values = np.sin({config.sine_frequency!r} * t) + {config.sine_noise!r} * "
            f"rng.uniform(0.0, 1.0, size={config.sine_length})"
        )
    if config.dataset in TASKS:
        raise RnnExplorerError(
            f"the plain-Keras script rebuilds a series and its windows; the {config.dataset} "
            "task's sequences are not a series: download the model and the config instead "
            "(the config rebuilds the same sequences from its task seed).", field="dataset")
    if config.dataset == "upload":
        raise RnnExplorerError(
            "the plain-Keras script rebuilds built-in series only; for your own table, export the "
            "predictions and the config instead.", field="dataset")
    loader = f"load_{config.dataset}"  # sunspots, airpassengers, lynx, wineind, taylor
    return (f"from pmdarima.datasets import {loader}  # pip install pmdarima (ships the data)\n\n"
            f"values = np.asarray({loader}(), dtype=float)")


def _split_code(config: RunConfig) -> str:
    if isinstance(config.split, float) and config.split < 1:
        return f"split_at = int(len(values) * {config.split!r})  # first test value"
    return f"split_at = {int(config.split)}  # first test value"


def _scaler_code(config: RunConfig) -> str:
    if config.scaler_fit == "none":
        return "scaler = None  # no scaling: the network reads the values as they are\nscaled = values"
    part = "values[:split_at]" if config.scaler_fit == "train" else "values"
    note = "the training part only" if config.scaler_fit == "train" else \
        "the whole series (leaks the test range into training)"
    return (f"scaler = MinMaxScaler().fit({part}.reshape(-1, 1))  # fitted on {note}\n"
            "scaled = scaler.transform(values.reshape(-1, 1)).ravel()")


def _layers_code(config: RunConfig) -> str:
    """The ``keras.Sequential`` list; the script computes ``steps`` and ``horizon`` itself."""
    lines = ["    keras.Input(shape=(steps, features)),"]
    for spec in architecture(config, *input_shape(config)):
        units = "horizon" if spec.name == "output" else spec.units
        if spec.recurrent:
            lines.append(f"    keras.layers.{spec.kind}({units}, activation={spec.activation!r}, "
                         f"return_sequences={spec.return_sequences}, "
                         f"unroll=steps <= {UNROLL_MAX_STEPS}),")
        else:
            lines.append(f"    keras.layers.Dense({units}, activation={spec.activation!r}),")
    return "\n".join(lines)


_TEMPLATE = '''"""RNN Explorer run, reproduced with plain numpy, scikit-learn and Keras.

Settings: {summary}
Run it as a script or paste it into a notebook cell.
"""
import numpy as np
import keras
from sklearn.metrics import mean_absolute_error, root_mean_squared_error
from sklearn.preprocessing import MinMaxScaler

keras.utils.set_random_seed({seed})

# --- data -----------------------------------------------------------------------------------
{data}
{split}

# --- scaling to [0, 1] ----------------------------------------------------------------------
{scaler}

# --- windows: the time_steps values before each target ----------------------------------------
time_steps = {time_steps}
stride = {stride}  # distance between consecutive targets (1 = sliding windows)
horizon = {horizon}  # values predicted after each window, one output each
pad = {pad}  # append time_steps copies of each part's last value first (as the sine tutorial does)
layout = {layout!r}  # "sequence": (samples, T, 1); "features": (samples, 1, T)


def cut(part, first):
    """Windows of one part: first targets from position `first` on, every `stride` values;
    each target is the `horizon` values from there, all inside the part."""
    if pad:
        part = np.concatenate([part, np.repeat(part[-1:], time_steps)])
    targets = np.arange(max(first, time_steps), len(part) - horizon + 1, stride)
    x = np.stack([part[p - time_steps:p] for p in targets])
    y = np.stack([part[p:p + horizon] for p in targets])  # (samples, horizon)
    return x, y, part[targets - 1]


x_train, y_train, last_train = cut(scaled[:split_at], time_steps)
{test_cut}
shape = (time_steps, 1) if layout == "sequence" else (1, time_steps)
x_train = x_train.reshape(-1, *shape)
x_test = x_test.reshape(-1, *shape)
print(f"windows: {{len(y_train)}} train, {{len(y_test)}} test, input shape {{x_train.shape[1:]}}")

# --- model ----------------------------------------------------------------------------------
steps, features = shape
model = keras.Sequential([
{layers}
])
model.compile(optimizer=keras.optimizers.{optimizer}(learning_rate={learning_rate!r}), loss="mse")
model.summary()
{ended}model.fit(x_train, y_train, epochs={epochs}, batch_size={batch_size}, verbose=2,
          validation_data=(x_test, y_test))

# --- metrics --------------------------------------------------------------------------------
def rmse(a, b):
    """RMSE over every value: all windows, all steps ahead."""
    return root_mean_squared_error(np.ravel(a), np.ravel(b))


def original(v):
    """Values back in the series' units."""
    v = np.asarray(v)
    return v if scaler is None else scaler.inverse_transform(v.reshape(-1, 1)).reshape(v.shape)


pred_train = model.predict(x_train, verbose=0)  # (samples, horizon), like y
pred_test = model.predict(x_test, verbose=0)
print(f"train RMSE: {{rmse(y_train, pred_train):.4f}} scaled, "
      f"{{rmse(original(y_train), original(pred_train)):.4f}} original units")
print(f"test RMSE: {{rmse(y_test, pred_test):.4f}} scaled, "
      f"{{rmse(original(y_test), original(pred_test)):.4f}} original units")
print(f"test MAE: {{mean_absolute_error(np.ravel(original(y_test)), np.ravel(original(pred_test))):.4f}} "
      "original units")
# persistence: every value ahead equals the window's last value
persistence = np.repeat(last_test[:, None], horizon, axis=1)  # (samples, horizon), like y
print(f"persistence test RMSE: {{rmse(original(y_test), original(persistence)):.4f}} original units")
'''


def script(config: RunConfig, epochs_run: int | None = None) -> str:
    """A standalone Python script that reproduces ``config``'s run with plain Keras.

    ``epochs_run``: how many epochs the run actually trained, when it ended before
    ``config.epochs`` (stopped, or diverged); the script then trains that many, and says so,
    so that it reproduces the model the user has rather than the one they asked for.
    """
    if config.dataset in TEXTS:
        raise RnnExplorerError(
            f"the plain-Keras script covers series and tasks; dataset={config.dataset} is a text: "
            "train it with python -m rnn_core text train (same settings) instead.",
            field="dataset")
    if config.transform != "none":
        raise RnnExplorerError(
            f"the plain-Keras script does not include transform={config.transform} and its exact "
            "inverse: export the predictions (in original units) and the config instead, or "
            "set transform=none to get a script.", field="transform")
    if config.interval_level:
        raise RnnExplorerError(
            f"the plain-Keras script does not hold out the calibration windows of "
            f"interval_level={config.interval_level:g}: set interval_level=0 to get a script.",
            field="interval_level")
    if config.window_scope == "separate":
        test_cut = "x_test, y_test, last_test = cut(scaled[split_at:], time_steps)  # test part alone"
    else:
        test_cut = ("# the first test windows may read the last training values (known at forecast time)\n"
                    "start = max(0, split_at - time_steps)\n"
                    "x_test, y_test, last_test = cut(scaled[start:], split_at - start)")
    settings = config.to_query()
    epochs, ended = config.epochs, ""
    if epochs_run is not None and epochs_run < config.epochs:
        epochs = max(0, int(epochs_run))
        settings["epochs"] = str(epochs)
        ended = (f"# the run was stopped at epoch {epochs} of {config.epochs}: "
                 f"the script trains the {epochs} epochs it ran\n")
    summary = ", ".join(f"{k}={v}" for k, v in settings.items()) or "the defaults"
    return _TEMPLATE.format(
        summary=summary, seed=config.seed, data=_data_code(config), split=_split_code(config),
        scaler=_scaler_code(config), time_steps=config.time_steps, stride=config.stride,
        pad=config.pad, layout=config.layout, test_cut=test_cut, layers=_layers_code(config),
        horizon=config.horizon,
        optimizer=OPTIMIZER_CLASS[config.optimizer], learning_rate=config.learning_rate,
        epochs=epochs, batch_size=config.batch_size, ended=ended,
    )
