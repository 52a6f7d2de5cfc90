"""Named presets: partial configs that set every knob of a known setup at once.

The tutorial presets reproduce ../shared/reference/tutorials.md exactly (window counts,
parameter counts); ``sunspots`` is the honest recommendation.
"""

from __future__ import annotations

from typing import Any

from .config import RunConfig
from .errors import RnnExplorerError, quote

PRESETS: dict[str, dict[str, Any]] = {
    "t1-structure": dict(
        dataset="sunspots", split=0.8, scaler_fit="none", time_steps=3, stride=1,
        layout="sequence", window_scope="continuous", pad=False, cell="simplernn", layers=1,
        units=2, activation="linear", dense_units=0, output_activation="linear",
        optimizer="adam", learning_rate=0.001, epochs=1, batch_size=32, seed=0,
    ),
    "t1-sunspots": dict(
        dataset="sunspots", split=0.8, scaler_fit="all", time_steps=12, stride=12,
        layout="sequence", window_scope="separate", pad=False, cell="simplernn", layers=1,
        units=3, activation="tanh", dense_units=0, output_activation="tanh", optimizer="adam",
        learning_rate=0.001, epochs=20, batch_size=1, seed=0,
    ),
    "t2-sine": dict(
        dataset="sine", sine_length=1000, sine_frequency=0.02, sine_noise=2.0, sine_seed=0,
        split=800, scaler_fit="none", time_steps=4, stride=1, layout="features",
        window_scope="separate", pad=True, cell="simplernn", layers=1, units=32,
        activation="relu", dense_units=8, dense_activation="relu", output_activation="linear",
        optimizer="rmsprop", learning_rate=0.001, epochs=100, batch_size=16, seed=0,
    ),
    "sunspots": dict(
        dataset="sunspots", split=0.8, scaler_fit="train", time_steps=36, stride=1,
        layout="sequence", window_scope="continuous", pad=False, cell="gru", layers=1,
        units=32, activation="tanh", dense_units=0, output_activation="linear",
        optimizer="adam", learning_rate=0.001, epochs=30, batch_size=32, seed=0,
    ),
    "airpassengers": dict(
        dataset="airpassengers", split=0.8, transform="log_seasonal_diff", scaler_fit="train",
        time_steps=12, stride=1, layout="sequence", window_scope="continuous", pad=False,
        cell="gru", layers=1, units=32, activation="tanh", dense_units=0,
        output_activation="linear", optimizer="adam", learning_rate=0.003, epochs=300,
        batch_size=32, seed=0,
    ),
    "t3-sine": dict(
        dataset="sine", sine_length=2000, sine_frequency=0.02, sine_noise=1.0, sine_seed=0,
        split=900, scaler_fit="none", time_steps=4, stride=1, layout="features",
        window_scope="separate", pad=True, cell="simplernn", layers=1, units=32,
        activation="relu", dense_units=8, dense_activation="relu", output_activation="linear",
        optimizer="rmsprop", learning_rate=0.001, epochs=50, batch_size=16, seed=0,
    ),
    # The race presets: chosen by measurement over seeds 0-2 (bench/race_presets.py, the table
    # in BENCHMARKS.md "Race presets"); their descriptions state what was measured.
    "race-adding": dict(
        dataset="adding", time_steps=40, train_sequences=2000, test_sequences=1000, task_seed=0,
        cell="lstm", layers=1, units=32, activation="tanh", dense_units=0,
        output_activation="linear", optimizer="adam", learning_rate=0.003, epochs=25,
        batch_size=32, seed=0,
    ),
    "race-recall": dict(
        dataset="recall", time_steps=30, train_sequences=2000, test_sequences=1000, task_seed=0,
        cell="simplernn", layers=1, units=32, activation="tanh", dense_units=0,
        output_activation="linear", optimizer="adam", learning_rate=0.003, epochs=25,
        batch_size=32, seed=0,
    ),
    # The text presets (rnn_core/text, the Text page): measured by bench/text_preset.py
    # (BENCHMARKS.md, "Text preset"); text-stdlib beats the bigram baseline within 30 s.
    "text-stdlib": dict(
        dataset="python-stdlib", text_chars=200_000, split=0.9, time_steps=64,
        text_input="embedding", embedding_dim=32, cell="lstm", layers=1, units=128,
        activation="tanh", dense_units=0, optimizer="adam", learning_rate=0.01, epochs=2,
        batch_size=32, seed=0,
    ),
    "text-brackets": dict(
        dataset="brackets", text_chars=60_000, brackets_depth=3, text_seed=0, split=0.9,
        time_steps=64, text_input="onehot", cell="lstm", layers=1, units=32,
        activation="tanh", dense_units=0, optimizer="adam", learning_rate=0.02, epochs=10,
        batch_size=64, seed=0,
    ),
}

# The preset a first visit starts with and the sidebar marks: it beats persistence on the test part
# with every seed of 0-2 (BENCHMARKS.md, "The recommended sunspots preset vs the baselines").
RECOMMENDED = "sunspots"
RECOMMENDED_MARK = " ★ recommended"


def label(name: str) -> str:
    """A preset's name as the picker lists it, the recommended one marked.

    >>> label("sunspots"), label("t1-sunspots")
    ('sunspots ★ recommended', 't1-sunspots')
    """
    return name + RECOMMENDED_MARK if name == RECOMMENDED else name


DESCRIPTIONS: dict[str, str] = {
    "t1-structure": "The sunspots tutorial's structure demo: SimpleRNN(2, linear) → Dense(1, "
                    "linear) over 3 steps, randomly initialised; open Inside the network and "
                    "feed it 1, 2, 3 to compute its output by hand.",
    "t1-sunspots": "The sunspots tutorial exactly: SimpleRNN(3) on monthly sunspots, "
                   "non-overlapping windows of 12 (187 train / 46 test), scaler fitted on the "
                   "whole series, batch 1, 20 epochs; it does not beat persistence.",
    "t2-sine": "The sine tutorial exactly: 1,000 points of sine + noise, windows of 4 laid out "
               "as ONE step of 4 features, SimpleRNN(32, relu) → Dense(8) → Dense(1), 1,457 "
               "parameters.",
    "sunspots": "Recommended: GRU(32) on sliding windows of 36 months, scaler fitted on the "
                "training part only; beats the persistence baseline on the test part.",
    "airpassengers": "Recommended for a trending seasonal series: GRU(32) on the log seasonal "
                     "differences of air passengers (lag 12), inverted exactly to passengers. "
                     "Measured over seeds 0-2: test RMSE 15.6-16.3 vs 46.1 for seasonal naive, "
                     "48.7 for ARIMA(2,0,1) and 15.9 for SARIMA; on raw values the same network "
                     "scores 39-46.",
    "t3-sine": "Keras' RNN guide: the sine tutorial's recipe on 2,000 points of sine + "
               "U(0, 1) noise, split at 900, 50 epochs; Results ends with the next value after "
               "the data, as the guide does.",
    "race-adding": "Why gates exist: the adding problem over 40 steps. Race it on the Compare "
                   "page: measured over seeds 0-2, LSTM and GRU solve it (test MSE ≤ 0.003 vs "
                   "0.16 for always guessing 1.0) while SimpleRNN does not (0.05-0.16).",
    "race-recall": "The textbook story fails: recall the first of 30 values. Race it on the "
                   "Compare page: measured over seeds 0-2, SimpleRNN solves it every time "
                   "(test MSE ≤ 0.0011 vs 0.087), LSTM never starts in 25 epochs, GRU only "
                   "with seed 2.",
    "text-stdlib": "A character-level LSTM(128) on 200,000 characters of Python's standard "
                   "library (embedding 32, windows of 64). Measured over seeds 0-2: it beats the "
                   "bigram baseline (3.58 bits per character) after its first epoch and ends at "
                   "2.75-2.90 bits on the held-out 10 % after 2 epochs, in 15-27 s; then sample "
                   "from it and look for units that track strings or indentation.",
    "text-brackets": "A character-level LSTM(32) on generated brackets nested up to 3 deep "
                     "(one-hot input, 10 epochs): the depth of every character is known, so the "
                     "finder can be checked — measured over seeds 0-2, one unit follows it with "
                     "|r| = 0.80-0.90.",
}


def preset(name: str) -> RunConfig:
    """The full config of a named preset (fields it does not set keep their defaults)."""
    if name not in PRESETS:
        raise RnnExplorerError(
            f"unknown preset {quote(name)}: use one of " + ", ".join(PRESETS) + ".", field="preset"
        )
    return RunConfig().replace(**PRESETS[name])
