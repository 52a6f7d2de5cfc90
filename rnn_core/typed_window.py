"""The window Inside the network offers to type first, and a window written as that text.

A network reads its data in scaled units (about 0 to 1 after the min-max scaler), so typing
1, 2, …, T into a tanh or sigmoid network pushes every gate and state to its limit and shows
nothing but saturation. The window offered first is therefore a real one, in the network's
units: the first test window (else the first training window), as the text box shows it. Only a
LINEAR SimpleRNN — nothing saturates, and whole numbers let a reader redo every step by hand
(the ``t1-structure`` preset's demo) — is offered 1, 2, …, T. Without data (the settings give no
windows), a ramp from 0 to 1 stays inside the scaled range.

>>> import numpy as np
>>> window_text(np.array([[0.25], [0.5], [1.0]]))
'0.25, 0.5, 1'
>>> window_text(np.array([[1.0, 2.0], [3.0, 4.0]]))
'1, 2; 3, 4'
>>> first_window(None, 3, 1, linear=True).ravel().tolist()
[1.0, 2.0, 3.0]
>>> first_window(None, 3, 1, linear=False).ravel().tolist()
[0.0, 0.5, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

DIGITS = 4  # significant digits of each value in the text box


def window_text(window: np.ndarray) -> str:
    """A (T, features) window as the text box reads it: values separated by commas, the time
    steps by ';' when there are several features (``windows.parse_window`` reads it back)."""
    x = np.atleast_2d(np.asarray(window, dtype=float))
    numbers = [[f"{v + 0.0:.{DIGITS}g}" for v in row] for row in x]
    if x.shape[1] == 1:
        return ", ".join(row[0] for row in numbers)
    return "; ".join(", ".join(row) for row in numbers)


def first_window(windows: Any, steps: int, features: int, linear: bool) -> np.ndarray:
    """The (steps, features) window offered first (see the module docstring): ``windows`` is
    the run's ``windows.Windows`` (or None without data); ``linear`` says the network is a
    linear SimpleRNN."""
    if linear:
        return np.arange(1, steps * features + 1, dtype=float).reshape(steps, features)
    for part in ("x_test", "x_train"):
        xs = getattr(windows, part, None)
        if xs is not None and len(xs) and tuple(np.shape(xs)[1:]) == (steps, features):
            return np.asarray(xs[0], dtype=float)
    ramp = np.linspace(0.0, 1.0, steps * features) if steps * features > 1 else np.full(1, 0.5)
    return ramp.reshape(steps, features)


def is_linear_simple_rnn(config: Any) -> bool:
    """Whether ``config`` (a ``RunConfig``) builds a SimpleRNN with a linear activation."""
    return getattr(config, "cell", None) == "simplernn" and getattr(config, "activation",
                                                                    None) == "linear"
