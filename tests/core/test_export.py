"""Exports: the standalone script runs and agrees with rnn_core; CSV, JSON and .keras files."""

import io
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from rnn_core import export
from rnn_core.config import RunConfig, from_json
from rnn_core.presets import preset
from rnn_core.run import prepare, train

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# The configs whose exported scripts are run; one or two epochs: agreement within seed noise holds
# from the first epoch on, and each epoch is paid twice (the script and rnn_core)
SCRIPTS = {
    "t1-sunspots": preset("t1-sunspots").replace(epochs=1),  # scaler fitted on the whole series
    "t2-sine": preset("t2-sine").replace(epochs=1),  # no scaling, windows as features
    # scaler fitted on the train part
    "sunspots": preset("sunspots").replace(epochs=1, time_steps=12, units=4),
    # three outputs, one per step ahead
    "horizon-3": RunConfig(dataset="airpassengers", time_steps=6, horizon=3, units=4, epochs=2),
}
_SEPARATOR = "=== next script ==="
# Runs each script as `python script.py` would (its own __main__ namespace), one after the
# other in one interpreter, so Keras is imported once for all of them.
_DRIVER = f"""
import runpy, sys
for path in sys.argv[1:]:
    runpy.run_path(path, run_name="__main__")
    print({_SEPARATOR!r}, flush=True)
"""


def run_scripts(paths: list, cwd) -> list[str]:
    """What each script prints, run in one fresh interpreter (one Keras import for all)."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", _DRIVER, *map(str, paths)], capture_output=True,
                         text=True, timeout=600, cwd=cwd, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    outputs = out.stdout.split(_SEPARATOR)
    assert len(outputs) == len(paths) + 1
    return outputs[:-1]


def run_script(text: str, tmp_path) -> str:
    """What one script prints."""
    path = tmp_path / "reproduce.py"
    path.write_text(text)
    return run_scripts([path], tmp_path)[0]


@pytest.fixture(scope="module")
def script_outputs(tmp_path_factory) -> dict[str, str]:
    """What each script of ``SCRIPTS`` prints, run in a fresh interpreter."""
    tmp = tmp_path_factory.mktemp("scripts")
    paths = []
    for name in SCRIPTS:
        paths.append(tmp / f"reproduce_{name}.py")
        paths[-1].write_text(export.script(SCRIPTS[name]))
    return dict(zip(SCRIPTS, run_scripts(paths, tmp)))


@pytest.fixture(scope="module")
def t1_run():
    return train(SCRIPTS["t1-sunspots"])


def number(pattern: str, text: str) -> float:
    return float(re.search(pattern, text).group(1))


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_exported_script_reproduces_windows_and_metrics(script_outputs, t1_run, name):
    config = SCRIPTS[name]
    out = script_outputs[name]
    assert "rnn_core" not in export.script(config)
    ours = t1_run if name == "t1-sunspots" else train(config)
    w = ours.windows
    assert f"windows: {w.n_train} train, {w.n_test} test" in out
    assert number(r"persistence test RMSE: ([\d.]+)", out) == pytest.approx(
        ours.metrics["persistence_test_rmse_original"], abs=1e-3)
    # same seed, same layers, same data: the same metric within seed noise
    assert number(r"test RMSE: [\d.]+ scaled, ([\d.]+) original", out) == pytest.approx(
        ours.metrics["test_rmse_original"], rel=0.05)
    assert number(r"test MAE: ([\d.]+) original", out) == pytest.approx(
        ours.metrics["test_mae_original"], rel=0.05)


def test_script_scales_and_scores_with_scikit_learn():
    text = export.script(preset("sunspots"))
    assert "from sklearn.preprocessing import MinMaxScaler" in text
    assert ("scaler = MinMaxScaler().fit(values[:split_at].reshape(-1, 1))  "
            "# fitted on the training part only") in text
    assert "from sklearn.metrics import mean_absolute_error, root_mean_squared_error" in text
    assert "scaler = MinMaxScaler().fit(values.reshape(-1, 1))" in export.script(preset("t1-sunspots"))
    unscaled = export.script(preset("t2-sine"))
    assert "scaler = None" in unscaled and "MinMaxScaler().fit" not in unscaled


def test_script_model_block_is_the_architecture():
    config = preset("sunspots").replace(cell="lstm", layers=2, units=5, dense_units=3,
                                        dense_activation="tanh", horizon=2)
    text = export.script(config)
    block = text[text.index("model = keras.Sequential(["):text.index("])\nmodel.compile")]
    assert block.splitlines()[1:] == [
        "    keras.Input(shape=(steps, features)),",
        "    keras.layers.LSTM(5, activation='tanh', return_sequences=True, unroll=steps <= 16),",
        "    keras.layers.LSTM(5, activation='tanh', return_sequences=False, unroll=steps <= 16),",
        "    keras.layers.Dense(3, activation='tanh'),",
        "    keras.layers.Dense(horizon, activation='linear'),",
    ]
    assert "keras.optimizers.Adam(learning_rate=0.001)" in text
    assert "keras.optimizers.SGD(" in export.script(config.replace(optimizer="sgd"))


def test_cli_prints_the_script():
    out = subprocess.run([sys.executable, "-m", "rnn_core", "export-script", "--preset", "t2-sine",
                          "--set", "epochs=3"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "layout = 'features'" in out.stdout and "epochs=3" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "rnn_core", "export-script", "--set", "units=0"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and "units" in bad.stderr and "Traceback" not in bad.stderr


def test_predictions_csv_and_model_file_and_config_json(tmp_path, t1_run):
    config, run = SCRIPTS["t1-sunspots"], t1_run
    text = export.predictions_csv(run)
    frame = pd.read_csv(io.StringIO(text))  # a plain CSV: no comment line, no options needed
    assert list(frame.columns) == ["part", "window", "step", "position", "label", "actual",
                                   "predicted", "persistence", "actual_scaled",
                                   "predicted_scaled", "first_test_position"]
    assert frame["first_test_position"].unique().tolist() == [2256]
    assert (frame["part"] == "train").sum() == 187 and (frame["part"] == "test").sum() == 46
    assert frame.loc[frame["part"] == "test", "position"].min() >= 2256
    test = frame[frame["part"] == "test"]
    rmse = float(np.sqrt(np.mean((test["actual"] - test["predicted"]) ** 2)))
    assert rmse == pytest.approx(run.metrics["test_rmse_original"], rel=1e-6)
    assert from_json(config.to_json()) == config
    data = export.model_bytes(run.model)
    path = tmp_path / "m.keras"
    path.write_bytes(data)
    import keras
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(run.windows.x_test[:5], verbose=0)[:, 0],
                               run.pred_test[:5], rtol=1e-5)
    assert prepare(config).windows.n_test == 46


def test_script_of_a_stopped_run_trains_the_epochs_it_ran():
    config = preset("sunspots").replace(epochs=200)
    text = export.script(config, epochs_run=17)
    assert "epochs=200" not in text
    assert "epochs=17" in text.split("\n")[2]  # the settings line of the docstring
    fit = next(line for line in text.splitlines() if "model.fit(" in line)
    assert "epochs=17," in fit
    assert "# the run was stopped at epoch 17 of 200" in text
    # a run that trained all its epochs: the script says nothing about stopping
    full = export.script(config, epochs_run=200)
    assert full == export.script(config) and "stopped" not in full and "epochs=200," in full
