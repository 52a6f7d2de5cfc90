"""The activations in numpy, as Keras defines them: each function, its slope, its largest slope.

``ACTIVATIONS`` is what the step-by-step view (``unroll``), the numpy network (``forward``)
and the text network compute with; ``slope`` is f'(x) for the gradients through time
(``memory``), on the side TensorFlow takes at a kink; ``MAX_SLOPE`` is γ, the sup of |f'| that
bounds how fast a SimpleRNN forgets.

>>> import numpy as np
>>> x = np.array([-1.0, 0.0, 2.0])
>>> ACTIVATIONS["relu"](x), slope("relu", x, ACTIVATIONS["relu"](x))
(array([0., 0., 2.]), array([0., 0., 1.]))
>>> max_slope("tanh"), max_slope("sigmoid")
(1.0, 0.25)
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .errors import RnnExplorerError, quote

Array = np.ndarray

_SELU_ALPHA, _SELU_SCALE = 1.67326324235437728481, 1.05070098735548049342


def sigmoid(x: Array) -> Array:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def softmax(x: Array) -> Array:
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


ACTIVATIONS: dict[str, Callable[[Array], Array]] = {
    "linear": lambda x: x,
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": sigmoid,
    "hard_sigmoid": lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),  # Keras 3: relu6(x + 3) / 6
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "selu": lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0.0))),
    "softplus": lambda x: np.logaddexp(0.0, x),
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "silu": lambda x: x * sigmoid(x),
    "exponential": np.exp,
    "softmax": softmax,
}


def activation_name(fn: Any, where: str) -> str:
    """The name of a Keras activation (``layer.activation``), checked to be one we can compute."""
    name = "linear" if fn is None else fn if isinstance(fn, str) else getattr(fn, "__name__", repr(fn))
    name = {"swish": "silu"}.get(name, name)
    if name not in ACTIVATIONS:
        raise RnnExplorerError(
            f"{where} uses the activation {name!r}, which the step-by-step view cannot compute: "
            f"use one of {', '.join(ACTIVATIONS)}."
        )
    return name


# γ: the largest slope of each activation ``ACTIVATIONS`` computes (sup of |f'|; for
# softmax the spectral norm of its Jacobian is at most ½). The config offers tanh, relu,
# sigmoid and linear; the rest are for models a user builds in a notebook.
MAX_SLOPE: dict[str, float] = {
    "linear": 1.0, "tanh": 1.0, "relu": 1.0, "sigmoid": 0.25,
    "hard_sigmoid": 1.0 / 6.0,  # Keras 3: relu6(x + 3) / 6
    "relu6": 1.0, "leaky_relu": 1.0, "elu": 1.0,
    "selu": _SELU_SCALE * _SELU_ALPHA,  # scale·alpha·eˣ just below 0
    "softplus": 1.0, "softsign": 1.0,
    "silu": 1.0998393719,  # σ(x)(1 + x(1 − σ(x))) at x ≈ 2.3994
    "exponential": math.inf, "softmax": 0.5,
}


def slope(name: str, x: Array, y: Array) -> Array:
    """f'(x) for y = f(x), on the side TensorFlow's gradient takes at a kink."""
    if name == "linear":
        return np.ones_like(x)
    if name == "tanh":
        return 1.0 - y * y
    if name == "sigmoid":
        return y * (1.0 - y)
    if name in ("relu", "leaky_relu"):
        return np.where(x > 0, 1.0, 0.0 if name == "relu" else 0.2)
    if name == "relu6":
        return ((x > 0) & (x < 6)).astype(float)
    if name == "hard_sigmoid":
        return ((x > -3) & (x < 3)) / 6.0
    if name == "elu":
        return np.where(x > 0, 1.0, y + 1.0)
    if name == "selu":
        return np.where(x > 0, _SELU_SCALE, y + _SELU_SCALE * _SELU_ALPHA)
    if name == "softplus":
        return sigmoid(x)
    if name == "softsign":
        return 1.0 / (1.0 + np.abs(x)) ** 2
    if name == "silu":
        s = sigmoid(x)
        return s * (1.0 + x * (1.0 - s))
    if name == "exponential":
        return y
    raise RnnExplorerError(f"no derivative for the activation {quote(name)}.")


def max_slope(activation: str) -> float:
    """γ, the largest slope of an activation: 1 for tanh, relu and linear, ¼ for sigmoid."""
    if activation not in MAX_SLOPE:
        raise RnnExplorerError(f"activation {quote(activation)} is not one of "
                               f"{', '.join(MAX_SLOPE)}.", field="activation")
    return MAX_SLOPE[activation]
