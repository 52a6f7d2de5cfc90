"""A stored run's numbers as bytes and JSON and back, without pickles (``rnn_core.store``).

Arrays go into ``.npz`` (``allow_pickle=False``), everything else into JSON, so a stored row can
only ever become arrays, numbers and strings again: a ``Series`` (its index kept as a range,
dates, numbers or labels), a run's replay snapshots, a training's history, a text run.

>>> arrays = unpack(pack({"weight_0": np.eye(2)}))
>>> arrays["weight_0"].tolist()
[[1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pandas as pd

from .config import from_json
from .data import Series


def pack(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def unpack(blob: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def series_parts(series: Series) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A ``Series`` as JSON metadata and arrays (``series_*`` names in the npz)."""
    meta: dict[str, Any] = {"name": series.name, "measured_in": series.measured_in,
                            "season": series.season, "feature_names": list(series.feature_names),
                            "index_name": series.index.name}
    arrays = {"series_values": np.asarray(series.values)}
    if series.features is not None:
        arrays["series_features"] = np.asarray(series.features)
    index = series.index
    if isinstance(index, pd.RangeIndex):
        meta["index"] = {"kind": "range", "start": index.start, "stop": index.stop,
                         "step": index.step}
    elif isinstance(index, pd.DatetimeIndex):
        meta["index"] = {"kind": "datetime", "tz": str(index.tz) if index.tz else None,
                         "freq": index.freqstr}
        # naive datetime64 in UTC for a zoned index: the npz holds no time zones
        arrays["series_index"] = np.asarray(index.tz_convert(None) if index.tz else index)
    elif index.dtype.kind in "iuf":
        meta["index"] = {"kind": "numbers"}
        arrays["series_index"] = np.asarray(index)
    else:
        meta["index"] = {"kind": "labels", "labels": [str(v) for v in index]}
    return meta, arrays


def series_from(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Series:
    spec, name = meta["index"], meta.get("index_name")
    if spec["kind"] == "range":
        index: pd.Index = pd.RangeIndex(spec["start"], spec["stop"], spec["step"], name=name)
    elif spec["kind"] == "datetime":
        index = pd.DatetimeIndex(arrays["series_index"], name=name)
        if spec.get("tz"):
            index = index.tz_localize("UTC").tz_convert(spec["tz"])
        if spec.get("freq"):
            try:
                index = pd.DatetimeIndex(index, freq=spec["freq"])
            except ValueError:  # a frequency pandas no longer reads: the dates are what count
                pass
    elif spec["kind"] == "numbers":
        index = pd.Index(arrays["series_index"], name=name)
    else:
        index = pd.Index(spec["labels"], name=name)
    # "unit": its name in rows written before it was renamed (kept RUN_TTL_HOURS at most)
    measured_in = meta.get("measured_in", meta.get("unit", ""))
    return Series(arrays["series_values"], index, meta["name"], measured_in=measured_in,
                  season=meta.get("season"), features=arrays.get("series_features"),
                  feature_names=tuple(meta.get("feature_names", ())))


def snapshot_arrays(snapshots: Any) -> dict[str, np.ndarray]:
    """A run's ``replay.Snapshots`` as npz arrays: ``snapshot_epochs`` (every kept epoch, the
    last included) and ``snapshot_{j}_{i}``, weight i after the j-th kept epoch before the last
    (the last epoch's weights are the run's ``weight_{i}``)."""
    if snapshots is None:
        return {}
    out = {"snapshot_epochs": np.asarray(snapshots.epochs, dtype=np.int64),
           "snapshot_limit": np.asarray(snapshots.limit, dtype=np.int64)}
    for j, weights in enumerate(snapshots.weights):
        out.update({f"snapshot_{j}_{i}": np.asarray(w) for i, w in enumerate(weights)})
    return out


def snapshots_from(arrays: dict[str, np.ndarray], n_weights: int, epochs_run: int) -> Any:
    """``_snapshot_arrays`` read back; None for a run stored before replays were kept."""
    from .replay import Snapshots

    if "snapshot_epochs" not in arrays:
        return None
    epochs = tuple(int(e) for e in arrays["snapshot_epochs"])
    weights = tuple([arrays[f"snapshot_{j}_{i}"] for i in range(n_weights)]
                    for j in range(len(epochs) - 1))
    return Snapshots(epochs, weights, epochs_run, int(arrays["snapshot_limit"]))


def split(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k: v for k, v in arrays.items() if k.startswith(prefix)}


def history_json(h: Any) -> str:
    """A ``training.History`` as JSON (series and text runs alike)."""
    return json.dumps({"loss": [float(v) for v in h.loss],
                       "val_loss": [float(v) for v in h.val_loss],
                       "fit_seconds": float(h.fit_seconds), "stopped": bool(h.stopped),
                       "diverged": bool(h.diverged)})


def history_from(history_json: str) -> Any:
    from .training import History

    h = json.loads(history_json)
    return History(loss=h["loss"], val_loss=h["val_loss"], fit_seconds=h["fit_seconds"],
                   stopped=h["stopped"], diverged=h["diverged"])


def text_run_parts(run: Any) -> tuple[str, bytes]:
    """A ``TextRun``'s words and numbers besides its config and history: JSON (the
    vocabulary, the held-out text, the scores) and npz (weights, brackets' depth)."""
    text = json.dumps({
        "chars": list(run.vocab.chars), "test_text": run.test_text, "source": run.source,
        "bits_per_char": run.bits_per_char, "unigram_bits_per_char": run.unigram_bits_per_char,
        "bigram_bits_per_char": run.bigram_bits_per_char, "n_train_chars": run.n_train_chars,
        "n_test_chars": run.n_test_chars, "unknown_in_test": run.unknown_in_test})
    arrays = {f"weight_{i}": np.asarray(w) for i, w in enumerate(run.weights)}
    if run.test_depth is not None:
        arrays["test_depth"] = np.asarray(run.test_depth)
    return text, pack(arrays)


def text_run_from(row: tuple) -> Any:
    """One ``text_runs`` row (id, number, name, config, history, text, arrays) as a
    ``TextRun`` again (numpy only)."""
    from .text import TextRun, Vocab

    _, _, name, config_json, history_json, text_json, blob = row
    t, arrays = json.loads(text_json), unpack(blob)
    weights = [arrays[f"weight_{i}"] for i in range(len(split(arrays, "weight_")))]
    run = TextRun(from_json(config_json), Vocab(tuple(t["chars"])), weights,
                  history_from(history_json), t["bits_per_char"], t["unigram_bits_per_char"],
                  t["bigram_bits_per_char"], t["n_train_chars"], t["n_test_chars"],
                  t["unknown_in_test"], t["test_text"], t["source"], arrays.get("test_depth"),
                  name=name)
    return run
