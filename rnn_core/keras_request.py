"""The questions only Keras answers about a network the web server holds as numbers.

The server never imports TensorFlow (docs/architecture.md): it runs networks in numpy
(``forward.Network``). Three numbers still need Keras itself: the weights Keras draws for an
untrained network (so the server's numpy network is exactly Keras' untrained model), Keras'
own prediction for some windows (the proof that numpy computes what Keras does), and
TensorFlow's autodiff of the outputs with respect to the inputs (the proof of the gradients
through time); and one file, the trained model saved as ``.keras`` for the download. A
``KerasRequest`` names one of them; ``answer`` computes it where TensorFlow
is: a worker process (``worker.keras_message``), a Ray actor (``ray_jobs``), or a thread of
the in-process queue. The queue carries a request as a ``jobs.KerasJob``.

>>> from rnn_core.config import RunConfig
>>> KerasRequest.initial_weights(RunConfig(), 36, 1).kind
'weights'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal, Sequence

import numpy as np

from .config import RunConfig

Kind = Literal["weights", "predict", "gradients", "file"]
# what each request is, as the sentence a user reads when it fails ("… failed: reason")
DESCRIPTION: dict[str, str] = {"weights": "Drawing the untrained network's weights",
                               "predict": "Keras' own prediction",
                               "gradients": "The autodiff check",
                               "file": "Saving the model as a .keras file"}


@dataclass(frozen=True, eq=False)
class KerasRequest:
    """One question for Keras about the network ``model.build(config, steps, features)``
    makes: its initial ``weights`` (drawn from ``config.seed``); with ``weights`` given, its
    prediction (``predict``) or TensorFlow's ∂ŷ/∂x (``gradients``) for the windows ``x``, or
    the model as a ``.keras`` file (``file``: no windows)."""

    kind: Kind
    config: RunConfig
    steps: int
    features: int
    weights: Sequence[np.ndarray] | None = None
    x: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.kind not in DESCRIPTION:
            raise ValueError(f"kind: one of {', '.join(DESCRIPTION)} expected, got {self.kind!r}")
        if self.kind != "weights" and self.weights is None:
            raise ValueError(f"a {self.kind!r} request needs the network's weights")
        if self.kind in ("predict", "gradients") and self.x is None:
            raise ValueError(f"a {self.kind!r} request needs the windows x")

    @classmethod
    def initial_weights(cls, config: RunConfig, steps: int, features: int) -> "KerasRequest":
        """The weights Keras draws for the network of ``config`` before any training."""
        return cls("weights", config, int(steps), int(features))

    @classmethod
    def prediction(cls, network: Any, x: np.ndarray) -> "KerasRequest":
        """Keras' own outputs of ``network`` (a ``forward.Network``) for windows ``x``."""
        return cls("predict", network.config, network.steps, network.features,
                   network.get_weights(), np.asarray(x))

    @classmethod
    def gradients(cls, network: Any, x: np.ndarray) -> "KerasRequest":
        """TensorFlow's ∂ŷ/∂x of ``network`` (a ``forward.Network``) for windows ``x``."""
        return cls("gradients", network.config, network.steps, network.features,
                   network.get_weights(), np.asarray(x))

    @classmethod
    def model_file(cls, config: RunConfig, steps: int, features: int,
                   weights: Sequence[np.ndarray]) -> "KerasRequest":
        """The network of ``config`` with ``weights`` (a trained run's), saved as a ``.keras``
        file's bytes (``export.model_bytes``)."""
        return cls("file", config, int(steps), int(features), list(weights))

    @property
    def description(self) -> str:
        return DESCRIPTION[self.kind]

    def digest(self) -> str:
        """A fingerprint of the question: equal for the same kind, config, shape, weights and
        windows, whoever asks (a class of thirty opening lesson 1 asks one question thirty
        times). The answer is a function of these alone (the weights Keras draws depend on
        the config's seed only)."""
        h = hashlib.sha256(f"{self.kind}|{self.steps}|{self.features}|".encode())
        h.update(json.dumps(self.config.to_dict(), sort_keys=True, default=str).encode())
        for array in [*(self.weights or ()), *(() if self.x is None else (self.x,))]:
            a = np.ascontiguousarray(array)
            h.update(f"|{a.dtype.str}{a.shape}|".encode())
            h.update(a.tobytes())
        return h.hexdigest()


def answer(request: KerasRequest) -> Any:
    """Build the request's Keras model and answer it (imports TensorFlow: call it in a worker).

    ``weights``: the list of arrays ``get_weights()`` gives; ``predict``: the model's outputs
    for ``x`` as float64 in the model's own shape ((n, H) for a series, (n, T, characters) for a
    text); ``gradients``: ``training.input_gradients`` (n, outputs, T, features); ``file``: the
    ``.keras`` file's bytes."""
    from .model import build
    from .training import input_gradients

    model = build(request.config, request.steps, request.features)
    if request.kind == "weights":
        return [np.asarray(w) for w in model.get_weights()]
    model.set_weights([np.asarray(w, dtype=np.float32) for w in request.weights])
    if request.kind == "file":
        from .export import model_bytes

        return model_bytes(model)
    if request.kind == "predict":
        # one eager call: a throwaway model, so tracing a compiled function would cost more
        x = np.asarray(request.x, dtype=np.float32)
        return np.asarray(model(x, training=False), dtype=np.float64)
    return input_gradients(model, request.x)
