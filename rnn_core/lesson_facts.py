"""The numbers a lesson quotes, computed live: ``{{placeholders}}`` and what fills them.

A lesson's text never holds a number it claims about a network: it writes ``{{run.test_rmse}}``
and the player fills it from the run the step trained (``fill``). Each placeholder names its
source, which the lesson must make available by that step (``check``, called when the lesson
is read):

- ``config.<setting>``: the step's setup (any setting of ``python -m rnn_core fields``);
  ``data.*``: its series and windows (``run.prepare``);
- ``run.*``: the step's finished training (an earlier step has ``train: yes``);
- ``net.*``: a typed window through the network of the step's setup on Inside the network,
  by hand (``rnn_core.unroll``) and by Keras;
- ``memory.*``: how far back the trained network looks (``memory_summary``);
- ``race.*``: the race of the three cells; ``pitfall.*``: a pitfall's two trainings;
- ``text.*``: a text training (bits per character, the unit that follows a feature).

>>> placeholders("h is {{net.h1}}, then {{ net.h2 }}")
('net.h1', 'net.h2')
>>> fill("T = {{config.time_steps}}", Sources(config=RunConfig()))
('T = 12', [])
>>> fill("{{run.test_rmse}}", Sources(config=RunConfig()))
('…', ['run.test_rmse'])
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .config import FIELD_BY_NAME, RunConfig
from .equations import fmt_number, fmt_vector

PATTERN = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")
MISSING = "…"  # shown until the source of a placeholder exists (the step's training runs)


@dataclass
class Sources:
    """What the player has for the step now; None where it has nothing (yet)."""

    config: RunConfig
    prepared: Any = None  # run.Prepared of the step's setup (its series and windows)
    run: Any = None  # the finished run of this step's setup
    unrolled: Any = None  # unroll.Unrolled of the step's typed window
    keras: Any = None  # Keras' prediction for that window (np.ndarray)
    memory: Any = None  # memory_summary.MeanProfile of the run over its test windows
    race: Sequence[Any] = field(default_factory=tuple)  # race.Result of every finished runner
    race_baseline: float | None = None  # the task's baseline MSE on the race's test sequences
    pitfall: tuple[str, Any, Any] | None = None  # (pitfall name, the mistake's run, the fix's)
    text: Any = None  # the finished text.TextRun of this step's setup
    units: Sequence[Any] = field(default_factory=tuple)  # text_features.UnitMatch per feature


def _metric(key: str) -> Callable[[Sources], str]:
    return lambda s: fmt_number(s.run.metrics[key])


def _gain(s: Sources) -> str:
    m = s.run.metrics
    change = 1 - m["test_rmse_original"] / m["persistence_test_rmse_original"]
    return f"{abs(change) * 100:.1f} % {'better' if change > 0 else 'worse'}"


def _verdict(s: Sources) -> str:
    from . import run as run_mod, tasks

    if tasks.is_task(s.run.config):
        return tasks.verdict(s.run.config, s.run.metrics)
    return run_mod.verdict(s.run.metrics, s.run.windows.horizon)


def _h(t: int) -> Callable[[Sources], str]:
    return lambda s: fmt_vector(s.unrolled.layers[0].h[t - 1])


def _weights(name: str) -> Callable[[Sources], str]:
    def get(s: Sources) -> str:
        w = np.atleast_2d(s.unrolled.layers[0].weights[name])
        return fmt_vector(w[0]) if w.shape[0] == 1 else "[" + ", ".join(fmt_vector(r) for r in w) + "]"
    return get


def _gap(s: Sources) -> str:
    return f"{float(np.max(np.abs(np.ravel(s.unrolled.output) - np.ravel(s.keras)))):.2g}"


def _memory(s: Sources) -> str:
    steps = s.memory.effective_memory(0)
    return "not finite" if steps is None else str(steps)


def _share(s: Sources) -> str:
    from .memory import MEMORY_SHARE

    return f"{MEMORY_SHARE:.0%}"


def _unit(s: Sources, feature: str) -> tuple[str, str]:
    match = next(m for m in s.units if m.feature == feature)  # StopIteration: not in the text
    return f"unit {match.unit + 1} of {match.layer}", f"{match.correlation:.2f}"


def _race_table(s: Sources) -> str:
    from .architecture import CELL_CLASS

    return "; ".join(f"{CELL_CLASS[r.cell]} ({r.units} units, seed {r.seed}): test MSE "
                     f"{r.test_mse:.3g}" for r in s.race)


def _race_verdict(s: Sources) -> str:
    from . import race

    return race.verdict(list(s.race), s.race_baseline)


def _pitfall_rmse(which: int) -> Callable[[Sources], str]:
    return lambda s: fmt_number(s.pitfall[which].metrics["test_rmse_original"])


def _pitfall_label(which: int) -> Callable[[Sources], str]:
    from .pitfalls import PITFALLS

    return lambda s: getattr(PITFALLS[s.pitfall[0]], "mistake" if which == 1 else "fix")


# name -> (its source: a Sources attribute, what it is, how it is computed)
FACTS: dict[str, tuple[str, str, Callable[[Sources], str]]] = {
    "data.values": ("prepared", "values in the series", lambda s: f"{len(s.prepared.series):,}"),
    "data.windows_train": ("prepared", "training windows of the setup",
                           lambda s: f"{s.prepared.windows.n_train:,}"),
    "data.windows_test": ("prepared", "test windows of the setup",
                          lambda s: f"{s.prepared.windows.n_test:,}"),
    "run.test_rmse": ("run", "test RMSE, original units", _metric("test_rmse_original")),
    "run.train_rmse": ("run", "training RMSE, original units", _metric("train_rmse_original")),
    "run.persistence_test_rmse": ("run", "persistence's test RMSE, original units",
                                  _metric("persistence_test_rmse_original")),
    "run.gain": ("run", "how much better (or worse) than persistence, in %", _gain),
    "run.verdict": ("run", "the Results page's verdict sentence", _verdict),
    "run.test_mse": ("run", "a task's test MSE", _metric("test_mse")),
    "run.baseline_mse": ("run", "a task's baseline MSE", _metric("baseline_test_mse")),
    "run.windows_train": ("run", "training windows", lambda s: f"{s.run.windows.n_train:,}"),
    "run.windows_test": ("run", "test windows", lambda s: f"{s.run.windows.n_test:,}"),
    "run.epochs": ("run", "epochs trained", lambda s: str(s.run.history.epochs_run)),
    "run.seconds": ("run", "training time, s", lambda s: f"{s.run.history.fit_seconds:.1f}"),
    "text.bits": ("text", "held-out bits per character",
                  lambda s: f"{s.text.bits_per_char:.3g}"),
    "text.unigram": ("text", "bits per character of guessing by frequency",
                     lambda s: f"{s.text.unigram_bits_per_char:.3g}"),
    "text.bigram": ("text", "bits per character of guessing from the previous character",
                    lambda s: f"{s.text.bigram_bits_per_char:.3g}"),
    "text.depth_unit": ("units", "the unit that follows the bracket depth best",
                        lambda s: _unit(s, "bracket_depth")[0]),
    "text.depth_r": ("units", "its correlation with the depth",
                     lambda s: _unit(s, "bracket_depth")[1]),
    "net.W_x": ("unrolled", "first layer's input weights", _weights("W_x")),
    "net.W_h": ("unrolled", "first layer's recurrent weights", _weights("W_h")),
    "net.b": ("unrolled", "first layer's bias", _weights("b")),
    "net.output": ("unrolled", "the prediction computed by hand (numpy)",
                   lambda s: fmt_vector(s.unrolled.output)),
    "net.keras": ("keras", "Keras' own prediction", lambda s: fmt_vector(s.keras)),
    "net.gap": ("keras", "largest |by hand − Keras|", _gap),
    "memory.steps": ("memory", "effective memory: the most recent steps carrying memory.share "
                     "of the sensitivity", _memory),
    "memory.share": ("memory", "the share the effective memory carries", _share),
    "race.table": ("race", "each runner's test MSE", _race_table),
    "race.verdict": ("race", "the race's verdict sentence", _race_verdict),
    "pitfall.mistake": ("pitfall", "the mistake's label", _pitfall_label(1)),
    "pitfall.fix": ("pitfall", "the fix's label", _pitfall_label(2)),
    "pitfall.mistake_rmse": ("pitfall", "the mistake's test RMSE", _pitfall_rmse(1)),
    "pitfall.fix_rmse": ("pitfall", "the fix's test RMSE", _pitfall_rmse(2)),
}
_H = re.compile(r"net\.h(\d+)$")
# which lesson source makes each Sources attribute available (lessons.parse tracks them)
_NEEDS = {"prepared": "config", "run": "run", "text": "run", "units": "run", "unrolled": "net", "keras": "net", "memory": "memory", "race": "race",
          "pitfall": "pitfall", "config": "config"}
_HOW = {"run": "an earlier step with 'train: yes' and the same settings", "net": "a typed window on page: inside",
        "memory": "page: inside after a step that trains", "race": "an earlier step with 'race:'",
        "pitfall": "an earlier step with 'pitfall:'"}


def placeholders(text: str) -> tuple[str, ...]:
    """The placeholders of ``text``, in order, each once."""
    return tuple(dict.fromkeys(PATTERN.findall(text)))


def source_of(name: str) -> str | None:
    if name.startswith("config."):
        return "config" if name[7:] in FIELD_BY_NAME else None
    if _H.match(name):
        return "unrolled"
    return FACTS[name][0] if name in FACTS else None


def check(name: str, config: RunConfig, available: set[str]) -> str | None:
    """Why ``{{name}}`` cannot be filled in a step of ``config`` with ``available`` sources,
    or None."""
    source = source_of(name)
    if source is None:
        return (f"unknown placeholder {{{{{name}}}}}: use config.<setting>, net.h<t> or one of "
                + ", ".join(FACTS) + ".")
    needed = _NEEDS[source]
    if needed not in available:
        return f"{{{{{name}}}}} needs {_HOW[needed]}."
    h = _H.match(name)
    if h and not 1 <= int(h.group(1)) <= config.time_steps:
        return f"{{{{{name}}}}}: the window has time steps 1 to {config.time_steps}."
    return None


def value(name: str, sources: Sources) -> str | None:
    """``{{name}}``'s text from ``sources``, or None while its source is missing."""
    source = source_of(name)
    if source is None:
        return None
    if source == "config":
        f = FIELD_BY_NAME[name[7:]]
        return f.to_text(getattr(sources.config, f.name))
    got = getattr(sources, source)
    if got is None or (isinstance(got, (tuple, list)) and not got):
        return None
    h = _H.match(name)
    try:
        text = _h(int(h.group(1)))(sources) if h else FACTS[name][2](sources)
    except (KeyError, IndexError, ZeroDivisionError, TypeError, StopIteration):
        return None  # the run lacks it (a task has no persistence): shown as missing
    return text if not _is_nan(text) else "not finite"


def _is_nan(text: str) -> bool:
    try:
        return math.isnan(float(text))
    except ValueError:
        return False


def fill(text: str, sources: Sources) -> tuple[str, list[str]]:
    """``text`` with every placeholder replaced by its live value, and the names still
    missing (shown as ``MISSING``)."""
    missing: list[str] = []

    def one(match: re.Match) -> str:
        found = value(match.group(1), sources)
        if found is None:
            missing.append(match.group(1))
            return MISSING
        return found

    return PATTERN.sub(one, text), missing
