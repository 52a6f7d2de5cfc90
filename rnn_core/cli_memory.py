"""``python -m rnn_core memory``: how far back a network looks, for one window of the series.

The command (``cli.cmd_memory``) prepares the config's data like ``train``, picks one window
(``--window test:0``), takes the network — untrained as the config builds it from its seed,
or trained first for ``--epochs N`` through the same training as ``train`` — and prints
``memory.gradients`` of it: the sensitivity |∂ŷ_k/∂x_t| per step with the effective memory,
and for each recurrent layer ‖∂h_T/∂x_t‖, ‖∂h_T/∂h_t‖, ‖∂c_T/∂c_t‖ (LSTM), σ_max, γ and the
bound (γ·σ_max)^(T−t). This module reads the options and shapes the result; nothing here
imports numpy until a result is built.

>>> parse_window("test:0"), parse_window(" train : -1 ")
(('test', 0), ('train', -1))
>>> parse_epochs(None), parse_epochs("5")
(0, 5)
"""

from __future__ import annotations

import math
from typing import Any

from .cli_options import CliError
from .config import MAX_EPOCHS
from .errors import quote

WINDOW_PARTS = ("train", "test")


def parse_window(text: str | None) -> tuple[str, int]:
    """``--window PART:INDEX`` as (part, index); PART is train or test, INDEX a whole number
    (negative counts from the end, -1 the last window). None gives ("test", 0)."""
    if text is None:
        return "test", 0
    part, sep, index = str(text).partition(":")
    part, index = part.strip().lower(), index.strip()
    digits = index[1:] if index.startswith("-") else index
    if sep and part in WINDOW_PARTS and digits.isdecimal() and digits.isascii():
        return part, int(index)
    raise CliError(f"--window {quote(text)} is not valid: use PART:INDEX with PART train or test "
                   "and INDEX a whole number (0 the first window, -1 the last), e.g. "
                   "--window test:0.")


def parse_epochs(text: str | None) -> int:
    """``--epochs N``: 0 (not given) for the untrained network, else 1 to ``MAX_EPOCHS``."""
    if text is None:
        return 0
    value = str(text).strip()
    if value.isdecimal() and value.isascii() and 0 <= int(value) <= MAX_EPOCHS:
        return int(value)
    raise CliError(f"--epochs {quote(text)} is not valid: use a whole number from 0 (the "
                   f"untrained network, the default) to {MAX_EPOCHS}.")


def pick_window(windows: Any, part: str, index: int) -> Any:
    """Window ``index`` of the ``part`` windows (T, features), or a ``CliError`` saying how
    many there are."""
    x = windows.x_train if part == "train" else windows.x_test
    n = len(x)
    if n == 0:
        raise CliError(f"--window {part}:{index}: there are no {part} windows with these "
                       "settings; choose the other part.")
    if not -n <= index < n:
        raise CliError(f"--window {part}:{index}: there are {n:,} {part} windows, so INDEX "
                       f"goes from 0 to {n - 1} (or -{n} to -1 from the end).")
    return x[index]


def _numbers(values: Any) -> Any:
    """Nested lists of floats, with None for NaN and infinite values (strict JSON)."""
    from .report import json_safe

    if hasattr(values, "tolist"):
        values = values.tolist()
    if isinstance(values, list):
        return [_numbers(v) for v in values]
    return json_safe(float(values))


def memory_result(g: Any, preset_name: str | None, part: str, index: int,
                  epochs_run: int, diverged: bool, config: Any,
                  source: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON object of ``memory --json`` for ``g = memory.gradients(...)``.

    Keys: ``preset``, ``source``, ``window`` (part, index, values T × features), ``steps``,
    ``n_features``, ``trained``, ``epochs_run``, ``diverged``, ``prediction`` (H values,
    scaled units), ``share`` (0.9), ``outputs`` (one per output k = 1..H: ``sensitivity``
    |∂ŷ_k/∂x_t| per step, ``d_output`` ∂ŷ_k/∂x_{t,f} signed, ``effective_memory``),
    ``layers`` (one per recurrent layer: name, kind, units, activation, ``gamma``,
    ``sigma_max``, ``d_state_norm``, ``d_state_state_norm``, ``d_cell_cell_norm`` (null but for
    LSTM), ``bound``) and ``config``. Arrays run over t = 1..T, oldest first.
    """
    from .memory import MEMORY_SHARE, effective_memory
    from .report import json_safe

    outputs = []
    for k in range(g.d_output.shape[0]):
        profile = g.sensitivity(k)
        finite = all(math.isfinite(v) for v in profile.tolist())
        memory = effective_memory(profile, MEMORY_SHARE) if finite else None
        outputs.append({"k": k + 1, "sensitivity": _numbers(profile),
                        "d_output": _numbers(g.d_output[k]), "effective_memory": memory})
    layers = [{
        "name": layer.name, "kind": layer.kind, "units": layer.units,
        "activation": layer.activation, "gamma": json_safe(layer.gamma),
        "sigma_max": json_safe(layer.sigma_max), "d_state_norm": _numbers(layer.d_state_norm),
        "d_state_state_norm": _numbers(layer.d_state_state_norm),
        "d_cell_cell_norm": (None if layer.d_cell_cell_norm is None
                             else _numbers(layer.d_cell_cell_norm)),
        "bound": _numbers(layer.bound),
    } for layer in g.layers]
    steps, features = g.window.shape
    return {
        "preset": preset_name, "source": source,
        "window": {"part": part, "index": index, "values": _numbers(g.window)},
        "steps": int(steps), "n_features": int(features), "trained": epochs_run > 0,
        "epochs_run": int(epochs_run), "diverged": bool(diverged),
        "prediction": _numbers(g.output), "share": MEMORY_SHARE, "outputs": outputs,
        "layers": layers,
        "config": {key: json_safe(value) for key, value in config.to_dict().items()},
    }


def _cell(value: Any) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def memory_text(result: dict[str, Any]) -> str:
    """The text ``memory`` prints without ``--json``: the sentence, then a table per layer."""
    w, steps = result["window"], result["steps"]
    state = (f"trained {result['epochs_run']} epoch(s)" if result["trained"] else "untrained")
    lines = [f"window {w['part']}:{w['index']} ({steps} steps, {result['n_features']} "
             f"feature(s)), {state} network; prediction (scaled) "
             + ", ".join(_cell(v) for v in result["prediction"])]
    for out in result["outputs"]:
        k, memory = out["k"], out["effective_memory"]
        lines.append(f"output {k}: " + ("no finite sensitivity" if memory is None else
                     f"the last {memory} of {steps} steps carry {result['share']:.0%} of "
                     "the sensitivity |dy/dx_t|"))
    for layer in result["layers"]:
        lines.append("")
        lines.append(f"{layer['name']} ({layer['kind']}, {layer['units']} units, "
                     f"{layer['activation']}): sigma_max {_cell(layer['sigma_max'])}, "
                     f"gamma {_cell(layer['gamma'])}")
        lstm = layer["d_cell_cell_norm"] is not None
        header = ["t", "|dy/dx_t|", "|dh_T/dx_t|", "|dh_T/dh_t|"]
        header += ["|dc_T/dc_t|"] if lstm else []
        lines.append("  ".join(f"{h:>11}" for h in header + ["bound"]))
        for t in range(steps):
            row = [str(t + 1), _cell(result["outputs"][0]["sensitivity"][t]),
                   _cell(layer["d_state_norm"][t]), _cell(layer["d_state_state_norm"][t])]
            row += [_cell(layer["d_cell_cell_norm"][t])] if lstm else []
            lines.append("  ".join(f"{c:>11}" for c in row + [_cell(layer["bound"][t])]))
    return "\n".join(lines)
