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
from rnn_core.config import from_json
from rnn_core.presets import preset
from rnn_core.run import prepare, train

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_script(text: str, tmp_path) -> str:
    path = tmp_path / "reproduce.py"
    path.write_text(text)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def number(pattern: str, text: str) -> float:
    return float(re.search(pattern, text).group(1))


@pytest.mark.parametrize("name, overrides", [
    ("t1-sunspots", {"epochs": 2}),
    ("t2-sine", {"epochs": 2}),
    ("sunspots", {"epochs": 1, "time_steps": 12, "units": 4}),
])
def test_exported_script_reproduces_windows_and_metrics(tmp_path, name, overrides):
    config = preset(name).replace(**overrides)
    out = run_script(export.script(config), tmp_path)
    assert "rnn_core" not in export.script(config)
    ours = train(config)
    w = ours.windows
    assert f"windows: {w.n_train} train, {w.n_test} test" in out
    assert number(r"persistence test RMSE: ([\d.]+)", out) == pytest.approx(
        ours.metrics["persistence_test_rmse_original"], abs=1e-3)
    # same seed, same layers, same data: the same metric within seed noise
    assert number(r"test RMSE: [\d.]+ scaled, ([\d.]+) original", out) == pytest.approx(
        ours.metrics["test_rmse_original"], rel=0.05)


def test_cli_prints_the_script():
    out = subprocess.run([sys.executable, "-m", "rnn_core", "export-script", "--preset", "t2-sine",
                          "--set", "epochs=3"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "layout = 'features'" in out.stdout and "epochs=3" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "rnn_core", "export-script", "--set", "units=0"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert bad.returncode == 2 and "units" in bad.stderr and "Traceback" not in bad.stderr


def test_predictions_csv_and_model_file_and_config_json(tmp_path):
    config = preset("t1-sunspots").replace(epochs=1)
    run = train(config)
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
