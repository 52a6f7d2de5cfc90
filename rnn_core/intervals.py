"""Prediction intervals by split conformal prediction, and how often they actually held.

With ``config.interval_level`` = L > 0, the last ``calibration_size`` training windows are held
out from fitting (``run.train``). The network's absolute errors on them, in original units, give
for each step ahead k the half-width q_k: the ⌈(m + 1)·L⌉-th smallest of the m errors
(``conformal_quantile``). If the errors of new windows behave like the calibration windows'
(exchangeable), "prediction ± q_k" holds the target with probability at least L; a trending
series breaks that, which is why the coverage on the test part is measured and stated next to L.

For the recursive forecast beyond the data, the same rule is applied to k-step roll-outs from
the calibration windows (``recursive_quantiles``), using only targets inside the training part.

>>> conformal_quantile(np.array([0.1, 0.4, 0.2, 0.3]), 0.6)   # ⌈5 · 0.6⌉ = 3rd smallest
0.3
>>> conformal_quantile(np.array([0.1, 0.2]), 0.95)             # too few errors: unbounded
inf
>>> calibration_size(1000, 0.95), calibration_size(1000, 0.0)
(200, 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

CALIBRATION_SHARE = 0.2  # of the training windows, the last ones, held out when intervals are on
MIN_CALIBRATION = 10  # fewer calibration windows than this: the quantiles mean little
MAX_RECURSIVE_STEPS = 500  # forecast.MAX_FORECAST_STEPS


def calibration_size(n_train: int, level: float) -> int:
    """How many of the last training windows calibrate the intervals (0 when they are off),
    leaving at least one window to train on."""
    if not level:
        return 0
    return int(min(max(MIN_CALIBRATION, round(CALIBRATION_SHARE * n_train)), max(n_train - 1, 0)))


def conformal_quantile(errors: np.ndarray, level: float) -> float:
    """The ⌈(m + 1)·level⌉-th smallest of m absolute errors (inf when that exceeds m)."""
    errors = np.sort(np.asarray(errors, dtype=np.float64).ravel())
    k = math.ceil((len(errors) + 1) * level)
    return float(errors[k - 1]) if 1 <= k <= len(errors) else math.inf


@dataclass(frozen=True)
class Intervals:
    """The half-widths per step ahead and how often they held on the test part."""

    level: float
    calibration: int  # windows held out from fitting
    half_width: np.ndarray  # (H,) original units
    coverage: float  # share of all test targets (every step) inside their interval
    coverage_by_step: np.ndarray  # (H,)
    n_test: int

    def bounds(self, predictions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds around predictions (original units, (n,) or (n, H))."""
        p = np.asarray(predictions, dtype=np.float64)
        w = self.half_width if p.ndim == 2 else self.half_width[0]
        return p - w, p + w

    def sentence(self, unit: str) -> str:
        """"95 % intervals held 93.1 % of the 564 test targets" and how they were made."""
        widths = ", ".join(f"{w:.4g}" for w in self.half_width[:6]) + ("…" if len(self.half_width) > 6 else "")
        verdict = ("as promised" if self.coverage >= self.level
                   else "fewer than promised: the test part's errors are larger than the "
                        "calibration windows' (a trend or a change the training did not show)")
        return (f"{self.level:.0%} intervals held {self.coverage:.1%} of the {self.n_test:,} test "
                f"targets — {verdict}. Half-width ± {widths} {unit} (per step ahead), from the "
                f"errors on the last {self.calibration:,} training windows, held out from fitting.")


def intervals(prepared: Any, pred_train: np.ndarray, pred_test: np.ndarray,
              level: float) -> Intervals | None:
    """The intervals of a run's predictions (scaled, as ``Run.pred_*``); None when off or when
    no window was held out."""
    w = prepared.windows
    m = calibration_size(w.n_train, level)
    if not m:
        return None
    h = w.horizon
    errors = np.abs(prepared.targets_original("train") - prepared.original(pred_train, "train"))
    errors = np.asarray(errors, dtype=np.float64).reshape(w.n_train, h)[-m:]
    half = np.array([conformal_quantile(errors[:, k], level) for k in range(h)])
    test = np.abs(prepared.targets_original("test") - prepared.original(pred_test, "test"))
    held = np.asarray(test, dtype=np.float64).reshape(w.n_test, h) <= half[None, :]
    by_step = held.mean(axis=0) if len(held) else np.full(h, np.nan)
    return Intervals(level, m, half, float(held.mean()) if held.size else math.nan, by_step,
                     w.n_test)


def recursive_quantiles(network: Any, prepared: Any, level: float, steps: int) -> np.ndarray:
    """Half-widths for a recursive forecast ``steps`` values ahead: the conformal quantile of
    the k-step roll-out errors from the calibration windows, counting only targets that lie
    inside the training part (inf where too few do). Univariate series, horizon 1."""
    from .forecast import rollout

    w = prepared.windows
    m = calibration_size(w.n_train, level)
    steps = int(min(steps, MAX_RECURSIVE_STEPS))
    if not m:
        return np.full(steps, np.inf)
    first = w.train_index[-m:]
    scaled = rollout(network, w.x_train[-m:], steps, w.layout)
    predicted = prepared.original_at(scaled, first)
    values = np.asarray(prepared.series.values, dtype=np.float64)
    positions = first[:, None] + np.arange(steps)[None, :]
    inside = positions < prepared.split_at
    actual = np.where(inside, values[np.minimum(positions, len(values) - 1)], np.nan)
    errors = np.abs(actual - predicted)
    return np.array([conformal_quantile(errors[inside[:, k], k], level) for k in range(steps)])
