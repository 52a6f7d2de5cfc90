"""When a training has diverged: one rule and one message for the training loop, the CLI
(``report.train_result``'s ``diverged``, exit status 3), the app's job queue and the Results
page.

A training has diverged when an epoch's loss is NaN or infinite, or when it grows past
``DIVERGENCE_FACTOR`` × the untrained network's loss (its loss on the first training windows
before any update). The reference is the untrained network, not the first epoch's mean loss,
because with a learning rate far too high the explosion happens inside epoch 1: on sunspots,
unscaled, SimpleRNN(8, relu), Adam at learning rate 1, epoch 1 averages 1.3e14 against an
untrained loss of ~4e3, and later epochs settle at 3.8e3 with a network that predicts a
constant. A finite run whose predictions are NaN or infinite has diverged too.

>>> diverged_at([0.5, 0.2, 0.1], initial_loss=0.4) is None
True
>>> diverged_at([0.5, 2e6, 0.1], initial_loss=1.0), diverged_at([0.5, float("nan")], 1.0)
(2, 2)
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

# An epoch loss this many times the untrained network's loss means the weights blew up.
DIVERGENCE_FACTOR = 1e6


def loss_diverged(loss: float, initial_loss: float) -> bool:
    """``loss`` is NaN/inf, or more than ``DIVERGENCE_FACTOR`` × ``initial_loss``.

    An unusable reference (NaN, inf, zero: the untrained network already overflowed or is
    perfect) leaves only the NaN/inf test.
    """
    if not math.isfinite(loss):
        return True
    usable = math.isfinite(initial_loss) and initial_loss > 0
    return usable and loss > DIVERGENCE_FACTOR * initial_loss


def diverged_at(losses: Sequence[float], initial_loss: float) -> int | None:
    """The first epoch (1-based) whose loss has diverged, or None."""
    for epoch, loss in enumerate(losses, start=1):
        if loss_diverged(float(loss), initial_loss):
            return epoch
    return None


def run_diverged(history: Any, metrics: Mapping[str, float]) -> bool:
    """A finished run has diverged: the loop stopped on the rule above, or the trained
    network's predictions are not finite (its train or test RMSE is NaN/inf)."""
    if history.diverged:
        return True
    return not all(math.isfinite(metrics.get(key, 0.0)) for key in ("train_rmse", "test_rmse"))


def message(config: Any, history: Any, cli: bool = False) -> str:
    """Why the run diverged and what to change, one paragraph; ``cli`` names the settings
    as ``--set KEY=VALUE`` instead of by their values."""
    epoch = history.epochs_run + 1
    loss = getattr(history, "diverged_loss", float("nan"))
    if not history.diverged:
        what = "the trained model's predictions became NaN or infinite"
    elif math.isfinite(loss):
        what = (f"the loss grew to {loss:.3g} in epoch {epoch}, more than "
                f"{DIVERGENCE_FACTOR:.0e} times the untrained network's "
                f"({history.initial_loss:.3g}), so training stopped")
    else:
        what = f"the loss became NaN or infinite in epoch {epoch}, so training stopped"
    if history.diverged:
        what += (" and the initial weights were kept" if history.epochs_run == 0 else
                 f" and the weights of epoch {history.epochs_run} were kept")
    lower = max(config.learning_rate / 10, 1e-6)

    def setting(key: str, value: Any) -> str:
        return f"--set {key}={value}" if cli else f"{value}"

    hints = [f"try a lower learning rate (now {config.learning_rate:g}, e.g. "
             f"{setting('learning_rate', f'{lower:g}')})"]
    if config.scaler_fit == "none":
        hints.append("scale the series (" + (setting("scaler_fit", "train") if cli else
                                             "min-max scaler fitted on train") + ")")
    if config.activation in ("relu", "linear"):
        hints.append("use a bounded activation (" + setting("activation", "tanh") + ")")
    advice = hints[0] if len(hints) == 1 else ", ".join(hints[:-1]) + " or " + hints[-1]
    return f"Training diverged: {what}. {advice[0].upper()}{advice[1:]}."
