"""The settings of a run: ``RunConfig``, a frozen dataclass whose typed attributes are the table.

Every way a setting reaches a run goes through it: the widgets (label, range, help), the link
(query parameters named like the fields), the CLI's ``--set KEY=VALUE``, presets and the
exported JSON. Each attribute is declared once below with its type, default, label, help and
range (``fields.setting``); ``FIELDS`` is read from the class, in its order. Adding a knob means
adding one attribute here.

>>> cfg = RunConfig(units=8, cell="lstm")       # keyword arguments a type checker knows
>>> cfg.units * 2, cfg.cell                     # an int and a str, typed like the attributes
(16, 'lstm')
>>> cfg.replace(units="12").units               # validated and typed, as on creation
12
>>> FIELD_BY_NAME["units"].allowed()
'use a whole number from 1 to 256'
>>> parse_assignments(["units=16", "layout=features"])
{'units': 16, 'layout': 'features'}
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping

from .errors import RnnExplorerError, quote
from .fields import MAX_VALUE_CHARS, Field, fields_of, setting

# Named limits, shown in the UI next to the knobs they bound.
MAX_TIME_STEPS = 120
MAX_HORIZON = 24
MAX_UNITS = 256
MAX_LAYERS = 3
MAX_EPOCHS = 500
MAX_BATCH_SIZE = 4096
MAX_SERIES_LENGTH = 50_000
MIN_SERIES_LENGTH = 20
MAX_SEED = 2**31 - 1
MAX_INTERVAL_LEVEL = 0.99
MIN_SEQUENCES = 10  # per part of a long-lag task (recall, adding)
MAX_TRAIN_SEQUENCES = 20_000
MAX_TEST_SEQUENCES = 10_000
MAX_CONFIG_BYTES = 64 * 1024  # a config file; an exported one is under 1 KB
MAX_TEXT_CHARS = 1_000_000  # characters of a text used (rnn_core/text: a corpus or your own)
MIN_TEXT_CHARS = 200
MAX_EMBEDDING_DIM = 256
MAX_BRACKETS_DEPTH = 20

# The choices of each choice setting, in the order the widgets and messages list them.
Dataset = Literal["sunspots", "airpassengers", "lynx", "wineind", "taylor", "sine", "upload",
                  "recall", "adding", "python-stdlib", "brackets", "text"]
# The datasets that are long-lag tasks (rnn_core/tasks.py), and the settings a task fixes
# because the network reads them (one output, T steps of F features) or because they do not
# apply (no intervals: every training sequence is fitted, the verdict is against the baseline).
TASKS: tuple[str, ...] = ("recall", "adding")
TASK_FIXED: dict[str, Any] = {"horizon": 1, "layout": "sequence", "interval_level": 0.0}
# The datasets that are texts (rnn_core/text): a character-level network predicts the next
# character; the series settings (scaling, stride, horizon, ...) do not apply to them.
TEXTS: tuple[str, ...] = ("python-stdlib", "brackets", "text")
TextInput = Literal["onehot", "embedding"]
Layout = Literal["sequence", "features"]
WindowScope = Literal["continuous", "separate"]
ScalerFit = Literal["train", "all", "none"]
Transform = Literal["none", "log", "diff", "seasonal_diff", "log_diff", "log_seasonal_diff"]
Cell = Literal["simplernn", "lstm", "gru"]
Activation = Literal["tanh", "relu", "sigmoid", "linear"]
DenseActivation = Literal["relu", "tanh", "sigmoid", "linear"]
OutputActivation = Literal["linear", "tanh", "sigmoid"]
Optimizer = Literal["adam", "rmsprop", "sgd"]


@dataclass(frozen=True)
class RunConfig:
    """One run's settings, frozen and validated on creation (a bad value raises
    ``RnnExplorerError`` naming the setting). Equal settings give equal, equally hashed
    configs, so a config is a cache key. ``FIELDS`` lists the attributes with their words."""

    # --- data ---
    dataset: Dataset = setting(
        "sunspots", "Series",
        "Built-in: monthly sunspots 1749-1983 (2,820 values), air passengers 1949-1960 (144 "
        "monthly), lynx 1821-1934 (114 yearly), Australian wine sales (176 monthly), "
        "half-hourly electricity demand (4,032), a generated sine + noise; or upload: a table "
        "you uploaded or loaded from a link (kept in your session, not in links). Long-lag "
        "tasks, one fresh sequence of T time steps per sample: recall (the target is the "
        "first of T values drawn U(0, 1)) and adding (a value and a marker per step; the "
        "target is the sum of the two marked values). Texts, for a character-level network "
        "(the Text page): python-stdlib (source files of Python's standard library), brackets "
        "(generated nested brackets with letters) and text (your own, pasted or uploaded).",
        "data")
    sine_length: int = setting(
        1000, "Sine length",
        "Number of points of the generated series x_t = sin(f·t) + noise.",
        "data", min=MIN_SERIES_LENGTH, max=MAX_SERIES_LENGTH)
    sine_frequency: float = setting(
        0.02, "Sine frequency f",
        "Angular step f in sin(f·t), radians per point (0.02 = one period every 314 points).",
        "data", min=1e-4, max=3.14)
    sine_noise: float = setting(
        2.0, "Noise amplitude a",
        "Uniform noise a·U(0, 1) added to every point; its variance a²/12 is the floor of any model.",
        "data", min=0.0, max=100.0)
    sine_seed: int = setting(
        0, "Noise seed",
        "Random seed of the noise, so the same settings give the same series.",
        "data", min=0, max=MAX_SEED)
    split: int | float = setting(
        0.8, "Train split",
        "Fraction of the series used for training (0.8 = first 80 %), or the index of the "
        "first test value (e.g. 800).",
        "data", min=2, max=MAX_SERIES_LENGTH)
    train_sequences: int = setting(
        2000, "Training sequences",
        "Recall and adding tasks: how many random sequences of T steps the network trains on "
        "(each sequence is one window).",
        "data", min=MIN_SEQUENCES, max=MAX_TRAIN_SEQUENCES)
    test_sequences: int = setting(
        1000, "Test sequences",
        "Recall and adding tasks: how many other random sequences the network and the task's "
        "baseline are scored on.",
        "data", min=MIN_SEQUENCES, max=MAX_TEST_SEQUENCES)
    task_seed: int = setting(
        0, "Task seed",
        "Recall and adding tasks: random seed of the sequences (values and markers), so the "
        "same settings give the same sequences.",
        "data", min=0, max=MAX_SEED)
    # --- text (rnn_core/text) ---
    text_chars: int = setting(
        100_000, "Characters used",
        "Texts: how many characters of the text are used (the first ones; for brackets, how "
        "many are generated). The last part, by the train split, is held out.",
        "text", min=MIN_TEXT_CHARS, max=MAX_TEXT_CHARS)
    text_input: TextInput = setting(
        "onehot", "Character input",
        "Texts: how a character enters the network. onehot: a vector of vocabulary size with a "
        "single 1; embedding: a learned vector of the embedding size per character.",
        "text")
    embedding_dim: int = setting(
        32, "Embedding size",
        "Texts with embedding input: the length of each character's learned vector.",
        "text", min=1, max=MAX_EMBEDDING_DIM)
    brackets_depth: int = setting(
        4, "Maximum bracket depth",
        "The brackets text: how deeply ( [ { may nest; the depth of every character is known "
        "exactly, so a unit that counts it can be checked.",
        "text", min=1, max=MAX_BRACKETS_DEPTH)
    text_seed: int = setting(
        0, "Text seed",
        "The brackets text: random seed of the generated characters, so the same settings "
        "give the same text.",
        "text", min=0, max=MAX_SEED)
    # --- windows ---
    time_steps: int = setting(
        12, "Time steps T",
        "How many past values each window holds; the network reads them one step at a time. "
        "For the recall and adding tasks: the length of every sequence (the lag to bridge).",
        "windows", min=1, max=MAX_TIME_STEPS)
    stride: int = setting(
        1, "Stride",
        "Distance between the targets of consecutive windows: 1 = sliding windows; "
        "= time steps gives non-overlapping windows, so each value is a target only once every T "
        "steps (the sunspots tutorial's setup: windows of 12 with stride 12, 187 training "
        "targets instead of 2,244).",
        "windows", min=1, max=MAX_TIME_STEPS)
    horizon: int = setting(
        1, "Horizon H",
        "How many values after each window the network predicts at once, trained directly "
        "(an output layer of H units); 1 = the next value only.",
        "windows", min=1, max=MAX_HORIZON)
    layout: Layout = setting(
        "sequence", "Layout",
        "sequence: (samples, T, 1), the recurrence runs T steps. features: (samples, 1, T) as "
        "in the sine tutorial: the window is one step of T features, so the recurrence runs "
        "once and the hidden state carries nothing forward.",
        "windows")
    window_scope: WindowScope = setting(
        "continuous", "Window scope",
        "continuous: test windows may read the last training values, so every test value is "
        "predicted. separate: windows are cut inside each part, as the tutorials do.",
        "windows")
    pad: bool = setting(
        False, "Pad each part",
        "Append T copies of each part's last value before cutting windows (as the sine "
        "tutorial does), so a "
        "part of n values gives n windows.",
        "windows")
    # --- scaling ---
    transform: Transform = setting(
        "none", "Series transform",
        "Applied to the series before scaling; the network learns and predicts transformed "
        "values, which are inverted exactly to original units before scoring. log (positive "
        "series only) turns growth into a slope; diff (x_t − x_t−1) and seasonal_diff (lag = "
        "the season, 12 for monthly) remove a trend so test values stay in the training range. "
        "A difference is undone from the actual previous value for one step ahead; further "
        "steps and recursive forecasts add the network's own predictions.",
        "scaling")
    scaler_fit: ScalerFit = setting(
        "train", "Min-max scaler fitted on",
        "train: the [0, 1] scaling uses only the training part (honest). all: fitted on the "
        "whole series (as the sunspots tutorial does), which leaks the test part's minimum and "
        "maximum into training. none: raw values.",
        "scaling")
    # --- network ---
    cell: Cell = setting(
        "simplernn", "Cell",
        "Recurrent cell: SimpleRNN (Elman), LSTM (forget/input/output gates and a cell state) "
        "or GRU (update/reset gates).",
        "network")
    layers: int = setting(
        1, "Recurrent layers",
        "How many recurrent layers are stacked; each passes its whole sequence of hidden "
        "states to the next.",
        "network", min=1, max=MAX_LAYERS)
    units: int = setting(
        8, "Hidden units",
        "Size of the hidden state h_t of every recurrent layer.",
        "network", min=1, max=MAX_UNITS)
    activation: Activation = setting(
        "tanh", "Recurrent activation",
        "Activation applied to the new hidden state (the candidate for LSTM/GRU); gates "
        "always use sigmoid.",
        "network")
    dense_units: int = setting(
        0, "Dense hidden units",
        "Units of an optional Dense layer between the recurrent layers and the output "
        "(the sine tutorial's network uses 8); 0 = no such layer.",
        "network", min=0, max=MAX_UNITS)
    dense_activation: DenseActivation = setting(
        "relu", "Dense activation",
        "Activation of the optional Dense hidden layer.",
        "network")
    output_activation: OutputActivation = setting(
        "linear", "Output activation",
        "Activation of the output units (one per horizon step); tanh or sigmoid bound the "
        "prediction, which only suits scaled targets.",
        "network")
    # --- training ---
    optimizer: Optimizer = setting(
        "adam", "Optimizer",
        "Gradient-descent variant used to fit the weights (loss: mean squared error).",
        "training")
    learning_rate: float = setting(
        0.001, "Learning rate",
        "Step size of the optimizer; lower it if the loss jumps around or becomes NaN.",
        "training", min=1e-6, max=1.0)
    epochs: int = setting(
        20, "Epochs",
        "Passes over the training windows.",
        "training", min=1, max=MAX_EPOCHS)
    batch_size: int = setting(
        32, "Batch size",
        "Windows per weight update; 1 updates after every window (the sunspots tutorial's "
        "setting), slow but noisy.",
        "training", min=1, max=MAX_BATCH_SIZE)
    seed: int = setting(
        0, "Random seed",
        "Seeds the weight initialisation and shuffling, so a run can be repeated.",
        "training", min=0, max=MAX_SEED)
    interval_level: float = setting(
        0.0, "Prediction interval level",
        "0 = none. Else the share of test targets the intervals should hold, e.g. 0.95: the "
        "last 20 % of the training windows are held out from fitting, and each interval is the "
        "prediction ± the matching quantile of their errors (split conformal); Results say how "
        "many test targets they actually held.",
        "training", min=0.0, max=MAX_INTERVAL_LEVEL)

    def __post_init__(self) -> None:
        # every value is read as its field reads text, so RunConfig(units="8") holds the int 8
        for f in FIELDS:
            value = getattr(self, f.name)
            parsed = f.parse(value)
            if parsed != value or type(parsed) is not type(value):
                object.__setattr__(self, f.name, parsed)
        if self.dataset in TASKS:  # a task's network has one output and reads T steps
            for name, value in TASK_FIXED.items():
                object.__setattr__(self, name, value)

    def replace(self, **changes: Any) -> RunConfig:
        """A copy with ``changes``, validated like a new config; an unknown name raises."""
        unknown = set(changes) - FIELD_BY_NAME.keys()
        if unknown:
            raise RnnExplorerError(_unknown_message(sorted(unknown)[0]))
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Every setting by name, in table order (the exported JSON's object)."""
        return {f.name: getattr(self, f.name) for f in FIELDS}

    def to_query(self, base: RunConfig | None = None) -> dict[str, str]:
        """The fields that differ from ``base`` (defaults if None), as link parameters."""
        base = base if base is not None else RunConfig()
        return {
            f.name: f.to_text(getattr(self, f.name))
            for f in FIELDS
            if getattr(self, f.name) != getattr(base, f.name)
        }

    def to_json(self) -> str:
        """The exported config file's text: ``to_dict`` as indented JSON."""
        return json.dumps(self.to_dict(), indent=2)


FIELDS: tuple[Field, ...] = fields_of(RunConfig)
FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
GROUPS: tuple[str, ...] = ("data", "text", "windows", "scaling", "network", "training")


def _unknown_message(name: Any) -> str:
    return f"unknown setting {quote(name)}: use one of " + ", ".join(FIELD_BY_NAME) + "."


def parse_assignments(items: Iterable[str]) -> dict[str, Any]:
    """``["units=8", ...]`` (CLI ``--set``) to typed values; raises on the first bad one."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise RnnExplorerError(f"--set {quote(item)} is not KEY=VALUE (e.g. --set units=8).")
        if key not in FIELD_BY_NAME:
            raise RnnExplorerError(_unknown_message(key), field=key)
        out[key] = FIELD_BY_NAME[key].parse(value)
    return out


def from_mapping(values: Mapping[str, Any], base: "RunConfig | None" = None) -> "RunConfig":
    """A config from typed or string values on top of ``base``; strict: raises on any bad value."""
    base = base if base is not None else RunConfig()
    parsed = {}
    for key, value in values.items():
        if key not in FIELD_BY_NAME:
            raise RnnExplorerError(_unknown_message(key), field=key)
        parsed[key] = FIELD_BY_NAME[key].parse(value)
    return base.replace(**parsed)


def from_query(
    params: Mapping[str, str], base: "RunConfig | None" = None
) -> tuple["RunConfig", list[str]]:
    """A config from link parameters, lenient: bad values are skipped and reported.

    Returns the config and one message per value that was ignored, so the app can keep the
    defaults for those and say why. ``preset`` is handled by the caller, unknown keys ignored.
    """
    cfg = base if base is not None else RunConfig()
    problems: list[str] = []
    for key, value in params.items():
        if key not in FIELD_BY_NAME:
            continue
        try:
            cfg = cfg.replace(**{key: FIELD_BY_NAME[key].parse(value)})
        except RnnExplorerError as err:
            problems.append(f"Link setting ignored: {err}")
    return cfg, problems


class _LongNumber:
    """A JSON whole number longer than ``MAX_VALUE_CHARS``, kept as its text: converting it
    would fail inside ``json.loads`` past 4,300 digits (Python's limit) without naming the
    setting, and no setting is that long. ``Field.parse`` refuses it with the setting's name."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        digits = len(self.text.lstrip("-"))
        return f"{self.text[:20]}… ({digits:,} digits)"


def _json_int(text: str) -> "int | _LongNumber":
    return int(text) if len(text) <= MAX_VALUE_CHARS else _LongNumber(text)


def from_json(text: "str | bytes") -> "RunConfig":
    """A config from exported JSON (a flat object of field values); strict like ``from_mapping``.

    Takes the file's text or bytes (UTF-8, a byte-order mark is skipped). Anything else raises
    ``RnnExplorerError`` with one line: a file over ``MAX_CONFIG_BYTES``, text that is not JSON
    or not one object, values nested too deeply, an unknown setting or a bad value (a number of
    400 or 5,000 digits is named with its setting and quoted short).
    """
    size = len(text) if isinstance(text, (bytes, bytearray)) or len(text) > MAX_CONFIG_BYTES \
        else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_CONFIG_BYTES:
        raise RnnExplorerError(
            f"the config file is {size:,} bytes, more than the limit of {MAX_CONFIG_BYTES:,} "
            "bytes: a config holds only the settings (an exported one is under 1 KB); load the "
            "file exported from the Results page.")
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise RnnExplorerError(
                f"the config file is not UTF-8 text (byte {err.start + 1:,}): save it as UTF-8 "
                "or export the config again.") from None
    text = text.removeprefix("\ufeff")  # saved with a byte-order mark (Windows editors)
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as err:
        raise RnnExplorerError(
            f"the config file is not valid JSON ({err.msg} at line {err.lineno:,}, column "
            f"{err.colno:,}).") from None
    except RecursionError:
        raise RnnExplorerError(
            "the config file nests lists or objects too deeply to read: a config is one flat "
            'object of settings such as {"units": 8, "cell": "lstm"}.') from None
    if not isinstance(data, dict):
        raise RnnExplorerError(
            'the config file must hold one JSON object of settings, such as {"units": 8}.')
    return from_mapping(data)
