"""Common mistakes, each as a pair of configs that differ in one choice, and what it teaches.

>>> from rnn_core.presets import preset
>>> mistake, fix = pair(preset("sunspots"), "scaler")
>>> mistake.scaler_fit, fix.scaler_fit
('all', 'train')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .config import TASKS, RunConfig
from .errors import RnnExplorerError, quote


@dataclass(frozen=True)
class Pitfall:
    title: str
    mistake: str  # label of the first run
    fix: str  # label of the second run
    change: Callable[[RunConfig], tuple[dict[str, Any], dict[str, Any]]]
    lesson: str


PITFALLS: dict[str, Pitfall] = {
    "scaler": Pitfall(
        "Scaler fitted on the whole series vs on the training part",
        "fitted on all values", "fitted on the training part",
        lambda c: ({"scaler_fit": "all"}, {"scaler_fit": "train"}),
        "Fitting the min-max scaler on the whole series lets the training see the test part's "
        "minimum and maximum: information from the future. The numbers may look a little better "
        "or worse, but only the train-fitted scaler is what you could do in real forecasting, "
        "where the future is unknown. Test values may then fall outside [0, 1]: that is honest.",
    ),
    "layout": Pitfall(
        "(samples, 1, T) vs (samples, T, 1)",
        "window as features (samples, 1, T)", "time steps as sequence (samples, T, 1)",
        lambda c: ({"layout": "features"}, {"layout": "sequence"}),
        "With (samples, 1, T) the network sees ONE time step of T features: the recurrence runs "
        "once from a zero state, so the recurrent layer is just a dense layer and the order of "
        "the values carries no special meaning. With (samples, T, 1) it reads the values one "
        "after another and its hidden state carries the past forward — what an RNN is for.",
    ),
    "windows": Pitfall(
        "Non-overlapping vs sliding windows",
        "non-overlapping (stride = T)", "sliding (stride 1)",
        lambda c: ({"stride": c.time_steps}, {"stride": 1}),
        "Non-overlapping windows use each value as a target only once every T steps: T times "
        "fewer training examples, and a test part scored on a handful of targets. Sliding "
        "windows give every value its turn as a target, so the network learns from all of the "
        "data and its test error is measured on every test value.",
    ),
    "horizon": Pitfall(
        "Several steps ahead: one-step model fed back vs H outputs trained directly",
        "recursive (one-step model fed back)", "direct (H outputs at once)",
        lambda c: ({"horizon": 1}, {"horizon": compare_horizon(c)}),
        "A one-step model forecasts further by feeding each prediction back in as if it were "
        "data: step k rests on k - 1 guesses, so its errors compound, and it was never trained "
        "for that. A direct model has one output per step ahead and learns each from real "
        "targets, at the price of more outputs to fit. Both are scored on the same test "
        "windows, step by step, next to persistence; which wins depends on the series.",
    ),
    "transform": Pitfall(
        "A trending series: raw values vs a log or difference transform",
        "raw values (transform none)", "transformed values (inverted to original units)",
        lambda c: ({"transform": "none"}, {"transform": compare_transform(c)}),
        "A min-max scaler fitted on the training part maps a series that keeps growing above 1 "
        "in the test part: the network is asked for values it never saw. A tanh-bounded "
        "recurrence cannot extrapolate, so it flattens out below the trend, and more epochs "
        "or units do not fix it. Logs turn growth into a slope and differences turn a slope "
        "into a level, so the test part looks like the training part; the predictions are "
        "inverted exactly to original units, and both runs are scored on the same targets. "
        "The table says how many test targets lay outside the training range in each case.",
    ),
}

# The transform compared with raw values when the setup itself uses none.
DEFAULT_COMPARE_TRANSFORM = "log_seasonal_diff"

# Steps ahead of the horizon comparison when the setup itself predicts one value.
DEFAULT_COMPARE_HORIZON = 12


def compare_horizon(config: RunConfig) -> int:
    """The H of the horizon comparison: the setup's own if above 1, else 12."""
    return config.horizon if config.horizon > 1 else DEFAULT_COMPARE_HORIZON


def compare_transform(config: RunConfig) -> str:
    """The transform compared with raw values: the setup's own if any, else log seasonal
    differences (a series without a season or with non-positive values says which to pick)."""
    return config.transform if config.transform != "none" else DEFAULT_COMPARE_TRANSFORM


def pair(config: RunConfig, name: str) -> tuple[RunConfig, RunConfig]:
    """(mistake, fix): ``config`` with the one choice of pitfall ``name`` set both ways."""
    if name not in PITFALLS:
        raise RnnExplorerError(f"unknown pitfall {quote(name)}: use one of {', '.join(PITFALLS)}.")
    a, b = PITFALLS[name].change(config)
    if config.time_steps == 1 and name == "windows":
        raise RnnExplorerError("with 1 time step, non-overlapping and sliding windows are the "
                               "same: set more time steps first.", field="time_steps")
    return config.replace(**a), config.replace(**b)


def check(name: str, prepared: Any) -> None:
    """Refuse a pitfall the prepared data cannot show, before anything is trained."""
    if prepared.config.dataset in TASKS:  # scaling, layout, stride, horizon: none is read
        raise RnnExplorerError(
            f"the pitfalls are about cutting and scaling a series; the {prepared.config.dataset} "
            "task's sequences are neither cut nor scaled, so both runs would be the same: "
            "choose a series on the Data & windows page.", field="dataset")
    if name == "horizon" and prepared.series.features is not None:
        raise RnnExplorerError("the horizon comparison feeds predictions back as inputs, so it "
                               "needs a single series: choose no extra feature columns.",
                               field="features")
