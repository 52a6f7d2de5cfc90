"""A text network's input layer in numpy: character indices as one-hot vectors or embedding rows.

``rnn_core.unroll`` and ``forward.Network`` read a text window (T character indices) through
these; ``layer`` is a Keras ``Embedding`` / one-hot ``CategoryEncoding`` or a
``forward.Layer`` of kind "Embedding" / "OneHot".

>>> import numpy as np
>>> class OneHot:
...     units = 3
>>> encode_input("OneHot", OneHot(), [2, 0]).tolist()
[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
>>> check_ids([2.0, 0.0], steps=2, vocab=3).tolist()
[2, 0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import RnnExplorerError

Array = np.ndarray


def encode_input(kind: str, layer: Any, ids: Any) -> Array:
    """A text model's input layer (``Embedding`` or ``OneHot``) on character indices of any
    shape: one axis more, each index's row of the embedding table or its one-hot vector."""
    ids = np.asarray(ids).astype(np.int64)
    if kind == "Embedding":
        return np.asarray(layer.get_weights()[0], dtype=np.float64)[ids]
    width = int(getattr(layer, "num_tokens", 0) or layer.units)
    return (ids[..., None] == np.arange(width)).astype(np.float64)  # not eye(V)[ids]: V² floats


def vocab_size(kind: str, layer: Any) -> int:
    """How many characters the input layer knows (V): the valid indices are 0 … V - 1."""
    if kind == "Embedding":
        return int(layer.get_weights()[0].shape[0])
    return int(getattr(layer, "num_tokens", 0) or layer.units)


def check_ids(window: Any, steps: int | None, vocab: int) -> Array:
    """A text window: T whole numbers from 0 to vocab - 1 (character indices)."""
    try:
        ids = np.asarray(window, dtype=np.float64)
    except (TypeError, ValueError):
        ids = np.array([np.nan])
    expected = "T" if steps is None else steps
    if ids.ndim != 1 or not ids.size or (steps is not None and ids.size != steps):
        raise RnnExplorerError(
            f"a text window is {expected} character indices, one per step; got an array of "
            f"shape {tuple(ids.shape)}.", field="window")
    if not np.all(np.isfinite(ids)) or np.any(ids != np.round(ids)) or ids.min() < 0 \
            or ids.max() >= vocab:
        raise RnnExplorerError(
            f"a text window holds character indices: whole numbers from 0 to {vocab - 1}.",
            field="window")
    return ids.astype(np.int64)
