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
from .presets import preset


@dataclass(frozen=True)
class Pitfall:
    title: str
    mistake: str  # label of the first run
    fix: str  # label of the second run
    change: Callable[[RunConfig], tuple[dict[str, Any], dict[str, Any]]]
    lesson: str
    # The setup the comparison trains unless the user picks their own: a preset and changes,
    # chosen by measurement over seeds 0-2 (bench/pitfall_effects.py, BENCHMARKS.md "Pitfall
    # effects"), its words, and what it showed there (the page says it before training).
    demo: tuple[str, dict[str, Any]]
    demo_words: str
    measured: str


PITFALLS: dict[str, Pitfall] = {
    "scaler": Pitfall(
        "Scaler fitted on the whole series vs on the training part",
        "fitted on all values", "fitted on the training part",
        lambda c: ({"scaler_fit": "all"}, {"scaler_fit": "train"}),
        "Fitting the min-max scaler on the whole series lets the training see the test part's "
        "minimum and maximum: information from the future. The numbers may look a little better "
        "or worse, but only the train-fitted scaler is what you could do in real forecasting, "
        "where the future is unknown. Test values may then fall outside [0, 1]: that is honest.",
        ("airpassengers", {"transform": "none", "cell": "simplernn", "units": 3,
                           "output_activation": "tanh"}),
        "the sunspots tutorial's network, SimpleRNN(3) with a tanh output, on raw air "
        "passengers (a trending series: its test part rises above anything in training)",
        "Measured over seeds 0–2: test RMSE 52.8 / 51.3 / 59.7 thousand passengers with the "
        "scaler fitted on all values, 68.6 / 58.7 / 71.9 fitted on the training part — the leak "
        "looks 18 % better with every seed. With the honest scaler the tanh output cannot go "
        "above the training maximum, and the test part's peaks lie above it; fitting on all "
        "values made room for them, which only knowledge of the future could do. On the "
        "recommended sunspots setup the leak changes almost nothing (18.86 / 18.21 / 18.71 vs "
        "18.85 / 18.21 / 18.73): its test part stays close to the training range.",
    ),
    "layout": Pitfall(
        "(samples, 1, T) vs (samples, T, 1)",
        "window as features (samples, 1, T)", "time steps as sequence (samples, T, 1)",
        lambda c: ({"layout": "features"}, {"layout": "sequence"}),
        "With (samples, 1, T) the network sees ONE time step of T features: the recurrence runs "
        "once from a zero state, so the recurrent layer is just a dense layer and the order of "
        "the values carries no special meaning. With (samples, T, 1) it reads the values one "
        "after another and its hidden state carries the past forward — what an RNN is for.",
        ("sunspots", {}),
        "the recommended sunspots setup (GRU(32), windows of 36 months)",
        "On these series this costs little in the error — measured over seeds 0–2, test RMSE "
        "19.25 / 18.85 / 18.54 as one step of 36 features vs 18.85 / 18.21 / 18.73 as 36 steps "
        "(+1.5 % on average; on air passengers' preset 16.08 / 16.17 / 16.15 vs 15.61 / 15.90 / "
        "16.27): fed the whole window at once, the GRU is a one-layer network over the last 36 "
        "values, which forecasts one month ahead about as well. What is lost is the recurrence "
        "itself: Inside the network shows a single step, and no state is carried forward.",
    ),
    "windows": Pitfall(
        "Non-overlapping vs sliding windows",
        "non-overlapping (stride = T)", "sliding (stride 1)",
        lambda c: ({"stride": c.time_steps}, {"stride": 1}),
        "Non-overlapping windows use each value as a target only once every T steps: T times "
        "fewer training examples, and a test part scored on a handful of targets. Sliding "
        "windows give every value its turn as a target, so the network learns from all of the "
        "data and its test error is measured on every test value.",
        ("sunspots", {}),
        "the recommended sunspots setup (GRU(32), windows of 36 months)",
        "Measured over seeds 0–2: non-overlapping windows (stride 36) give 62 training windows "
        "and test RMSE 29.35 / 34.84 / 36.98 on 16 test windows; sliding windows give 2,220 and "
        "18.85 / 18.21 / 18.73 on all 564 test values — 45 % lower, and below persistence "
        "(20.09).",
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
        ("sunspots", {}),
        "the recommended sunspots setup (GRU(32), windows of 36 months), 12 months ahead",
        "Measured over seeds 0–2, mean test RMSE over the 12 steps ahead: recursive 29.48 / "
        "25.06 / 26.66, direct 24.87 / 24.45 / 25.97, persistence 31.37 — direct wins with "
        "every seed, by 2–16 %.",
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
        ("airpassengers", {}),
        "the air passengers preset (GRU(32), windows of 12 months; log seasonal differences "
        "vs raw values)",
        "Measured over seeds 0–2: test RMSE 45.83 / 38.61 / 39.24 thousand passengers on raw "
        "values, 15.61 / 15.90 / 16.27 on log seasonal differences — 61 % lower with every "
        "seed; persistence scores 52.49.",
    ),
}

# The transform compared with raw values when the setup itself uses none.
DEFAULT_COMPARE_TRANSFORM = "log_seasonal_diff"

# Steps ahead of the horizon comparison when the setup itself predicts one value.
DEFAULT_COMPARE_HORIZON = 12


def demo_config(name: str) -> RunConfig:
    """The setup pitfall ``name`` shows itself on (its ``demo``: a preset and changes).

    >>> demo_config("scaler") == preset("airpassengers").replace(
    ...     transform="none", cell="simplernn", units=3, output_activation="tanh")
    True
    """
    base, changes = PITFALLS[name].demo
    return preset(base).replace(**changes)


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
