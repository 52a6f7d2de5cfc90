"""``python -m rnn_core``: the headless contract (JSON line, exit codes, one-line errors)."""

from __future__ import annotations

import io
import json
import math

import pytest

from rnn_core import cli
from rnn_core.config import FIELDS
from rnn_core.presets import PRESETS

REQUIRED_KEYS = {
    "preset", "n_train_windows", "n_test_windows", "params", "epochs_run", "fit_seconds",
    "train_rmse", "test_rmse", "train_rmse_original", "test_rmse_original", "test_mae_original",
    "persistence_test_rmse_original", "stopped", "diverged", "config",
}


BASELINE_KEYS = (
    "persistence_test_rmse_original", "seasonal_naive_test_rmse_original",
    "mean_test_rmse_original", "arima_test_rmse_original", "test_mase", "test_mape_original",
)


def _last_json(stdout: str) -> dict:
    lines = stdout.strip().splitlines()
    assert lines, "no stdout"
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def t1_train_proc():
    """``train --preset t1-sunspots --set epochs=1 --json --verbose``, run once for the module."""
    from tests.core.conftest import run_cli

    return run_cli("train", "--preset", "t1-sunspots", "--set", "epochs=1", "--json", "--verbose")


def test_train_t1_one_epoch_json(t1_train_proc):
    proc = t1_train_proc
    assert proc.returncode == 0, proc.stderr
    result = _last_json(proc.stdout)
    assert REQUIRED_KEYS <= result.keys()
    assert result["preset"] == "t1-sunspots"
    assert (result["n_train_windows"], result["n_test_windows"]) == (187, 46)
    assert result["params"] == 19
    assert result["epochs_run"] == 1
    assert result["stopped"] is False and result["diverged"] is False
    assert result["persistence_test_rmse_original"] == pytest.approx(20.20, abs=5e-3)
    assert result["persistence_test_rmse"] == pytest.approx(0.0796, abs=5e-4)
    for key in ("train_rmse", "test_rmse", "test_rmse_original", "test_mae_original"):
        assert isinstance(result[key], float) and result[key] > 0, key
    assert 0 < result["fit_seconds"] < 120
    # the config is the preset with the --set applied
    assert result["config"]["epochs"] == 1
    assert result["config"]["units"] == 3 and result["config"]["stride"] == 12
    assert set(result["config"]) == {f.name for f in FIELDS}
    # --verbose progress goes to stderr only, and nothing else does (TF logs are silenced)
    assert proc.stderr.strip().splitlines() == [
        line for line in proc.stderr.strip().splitlines() if line.startswith("epoch ")]
    assert any(line.startswith("epoch 1/1") for line in proc.stderr.splitlines())
    assert "epoch 1/1" not in proc.stdout


def test_train_json_has_every_baseline_and_the_model_mase_and_mape(t1_train_proc, t1_prepared):
    assert t1_train_proc.returncode == 0, t1_train_proc.stderr
    result = _last_json(t1_train_proc.stdout)
    for key in BASELINE_KEYS:
        assert isinstance(result[key], float) and math.isfinite(result[key]), key
        assert result[key] > 0, key
    # the same 46 test targets as the model: baselines.py gives exactly Run.metrics' persistence
    assert result["persistence_test_rmse_original"] == pytest.approx(20.1993, abs=1e-4)
    from rnn_core import baselines, metrics

    p = t1_prepared
    alone = baselines.baseline_metrics_for_json(p, None, baselines.compute(p, which=("persistence",)))
    assert alone["persistence_test_rmse_original"] == result["persistence_test_rmse_original"]
    assert 5 < result["arima_test_rmse_original"] < 100  # ARIMA(2, 0, 1) ≈ 19.3
    assert result["season"] == 12 and result["arima_order"] == [2, 0, 1]
    # MASE: the model's test MAE over the in-sample naive MAE of the training part
    scale = metrics.naive_scale(p.series.values[:p.split_at])
    assert result["test_mase"] == pytest.approx(result["test_mae_original"] / scale, rel=1e-9)


@pytest.mark.parametrize("args", [
    ("--set", "units=10000"),
    ("--preset", "no-such-preset"),
    ("--set", "time_steps=0"),
    ("--set", "learning_rate=nan"),
    ("--set", "epochs=-1"),
    ("--set", "no_such_field=1"),
    ("--set", "units"),
    # valid values, but the series is too short for the windows (raised by windows.make)
    ("--set", "dataset=airpassengers", "--set", "time_steps=120"),
])
def test_invalid_input_exits_2_with_one_error_line(cli, args):
    proc = cli("train", *args, "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in proc.stderr


def test_argparse_usage_errors_exit_2_without_traceback(cli):
    proc = cli("train", "--no-such-option")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "error: unrecognized arguments: --no-such-option" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 3


def test_diverged_training_exits_3_and_still_prints_the_json(cli):
    proc = cli("train", "--json", "--set", "dataset=sine", "--set", "sine_length=200",
               "--set", "sine_noise=100", "--set", "scaler_fit=none", "--set", "optimizer=sgd",
               "--set", "learning_rate=1", "--set", "activation=relu", "--set", "dense_units=8",
               "--set", "time_steps=4", "--set", "epochs=2")
    assert proc.returncode == 3, proc.stderr
    result = _last_json(proc.stdout)
    assert result["diverged"] is True
    assert result["preset"] is None
    assert result["epochs_run"] == 0
    assert result["config"]["learning_rate"] == 1.0
    assert "NaN" in proc.stderr and "learning rate" in proc.stderr
    assert "Traceback" not in proc.stderr


def _main(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_human_summary_shows_windows_params_metrics_and_verdict():
    code, out, err = _main("train", "--set", "dataset=sine", "--set", "sine_length=100",
                           "--set", "time_steps=4", "--set", "units=2", "--set", "epochs=1")
    assert code == 0 and err == ""
    assert "Windows: 76 train / 20 test" in out
    assert "Parameters: 11" in out  # SimpleRNN(2): (1+2+1)·2 = 8, Dense(1): 3
    assert "Persistence RMSE" in out
    assert "persistence on the test part" in out.strip().splitlines()[-1]
    assert not out.lstrip().startswith("{")
    # the baselines table: model first, then every baseline; the sine of 100 values has no
    # season, so the seasonal naive has no numbers and a note says why
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("Forecaster"))
    labels = [line.split("  ")[0] for line in lines[head + 1:head + 6]]
    assert labels == ["Model", "Persistence (last value)", "Seasonal naive (one season back)",
                      "Training mean", "ARIMA(2, 0, 1)"]
    assert lines[head + 3].split()[-4:] == ["n/a"] * 4
    assert any(line.startswith("Note: Seasonal naive") and "season" in line for line in lines)


def test_make_config_defaults_preset_and_assignments():
    assert cli.make_config(None, []) == cli.RunConfig()
    cfg = cli.make_config("t2-sine", ["epochs=3", "units=4"])
    assert (cfg.epochs, cfg.units, cfg.layout, cfg.dense_units) == (3, 4, "features", 8)


def test_presets_command_lists_every_preset_with_its_description():
    code, out, _ = _main("presets")
    assert code == 0
    for name in PRESETS:
        assert any(line.startswith(name + " ") for line in out.splitlines()), name
    code, out, _ = _main("presets", "--json")
    data = json.loads(out)
    assert set(data) == set(PRESETS)
    assert data["t1-sunspots"]["settings"]["stride"] == 12


def test_fields_command_is_generated_from_the_table():
    code, out, _ = _main("fields")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert names == [f.name for f in FIELDS]
    assert "use a whole number from 1 to 256" in out
    code, out, _ = _main("fields", "--json")
    rows = json.loads(out)
    assert [r["name"] for r in rows] == [f.name for f in FIELDS]
    units = next(r for r in rows if r["name"] == "units")
    assert (units["type"], units["default"]) == ("int", 8)
    assert units["help"] == next(f.help for f in FIELDS if f.name == "units")


def test_no_command_is_a_usage_error():
    with pytest.raises(SystemExit) as info:
        cli.main([], io.StringIO(), io.StringIO())
    assert info.value.code == 2


# --------------------------------------------------------------------------- baselines options


def _no_training(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("trained although the input is invalid")

    monkeypatch.setattr(cli, "_fit", fail)


@pytest.mark.parametrize("args", [
    ("--arima-order", "9,0,0"), ("--arima-order", "1,0"), ("--arima-order", "a,b,c"),
    ("--arima-order=-1,0,0",), ("--arima-order", "1.5,0,0"),
    ("--season", "0"), ("--season", "x"), ("--season=-12",), ("--season", "2.5"),
])
def test_bad_baseline_options_exit_2_before_training(monkeypatch, args):
    _no_training(monkeypatch)
    code, out, err = _main("train", "--preset", "t1-sunspots", *args, "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --"), err


def test_parse_baseline_options():
    assert cli.parse_arima_order(None) == (2, 0, 1)
    assert cli.parse_arima_order(" 1, 1,0 ") == (1, 1, 0)
    assert cli.parse_season(None) is None and cli.parse_season("48") == 48


def test_arima_failing_gives_null_and_a_note_not_a_failure(monkeypatch):
    from rnn_core import baselines

    def boom(*args, **kwargs):
        raise ValueError("singular matrix")

    monkeypatch.setattr(baselines, "arima_one_step", boom)
    args = ("train", "--set", "dataset=sine", "--set", "sine_length=120", "--set", "time_steps=4",
            "--set", "units=2", "--set", "epochs=1", "--season", "10", "--arima-order", "1,0,0")
    code, out, err = _main(*args, "--json")
    assert code == 0, err
    result = _last_json(out)
    assert result["arima_test_rmse_original"] is None
    assert result["season"] == 10 and result["arima_order"] == [1, 0, 0]
    for key in ("persistence_test_rmse_original", "seasonal_naive_test_rmse_original",
                "mean_test_rmse_original", "test_mase", "test_mape_original"):
        assert isinstance(result[key], float) and math.isfinite(result[key]), key
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("note: ARIMA(1, 0, 0) could not be fitted")
    assert "singular matrix" in lines[0] and "null" in lines[0]
    code, out, err = _main(*args)
    assert code == 0 and err.startswith("note: ARIMA")
    assert "Seasonal naive (10 back)" in out
    arima_row = next(line for line in out.splitlines() if line.startswith("ARIMA(1, 0, 0)"))
    assert arima_row.split()[-4:] == ["n/a"] * 4


# --------------------------------------------------------------------------- forecast


def test_forecast_t2_sine_json(cli):
    proc = cli("forecast", "--preset", "t2-sine", "--set", "epochs=1", "--steps", "5", "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    result = _last_json(proc.stdout)
    assert result["preset"] == "t2-sine" and result["steps"] == 5
    assert len(result["forecast"]) == 5
    assert all(isinstance(v, float) and math.isfinite(v) for v in result["forecast"])
    assert result["index"] == ["1000", "1001", "1002", "1003", "1004"]
    assert result["next_value"] == result["forecast"][0]
    assert isinstance(result["test_rmse_original"], float) and result["test_rmse_original"] > 0
    assert result["input_steps"] == 1 and result["n_features"] == 4  # T2: one step of 4
    assert result["diverged"] is False and result["config"]["epochs"] == 1


@pytest.mark.parametrize("steps", ["0", "501", "-1", "x", "2.5", "nan"])
def test_forecast_bad_steps_exit_2_before_training(monkeypatch, steps):
    _no_training(monkeypatch)
    code, out, err = _main("forecast", "--preset", "t2-sine", "--steps", steps, "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: forecast steps="), err
    assert "1 to 500" in lines[0]


def test_forecast_bad_steps_in_a_fresh_process_has_no_traceback(cli):
    proc = cli("forecast", "--preset", "t2-sine", "--steps", "501", "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        "error: forecast steps=501 is not valid: use a whole number from 1 to 500."]


def test_forecast_human_output_lists_dates_and_diverged_exits_3():
    code, out, err = _main("forecast", "--set", "dataset=airpassengers", "--set", "time_steps=4",
                           "--set", "units=2", "--set", "epochs=1", "--steps", "3")
    assert code == 0 and err == ""
    assert out.strip().splitlines()[-3:][0].startswith("1961-01-01  ")
    assert [line.split()[0] for line in out.strip().splitlines()[-3:]] == [
        "1961-01-01", "1961-02-01", "1961-03-01"]
    code, out, err = _main("forecast", "--json", "--steps", "3", "--set", "dataset=sine",
                           "--set", "sine_length=200", "--set", "sine_noise=100",
                           "--set", "scaler_fit=none", "--set", "optimizer=sgd",
                           "--set", "learning_rate=1", "--set", "activation=relu",
                           "--set", "dense_units=8", "--set", "time_steps=4", "--set", "epochs=2")
    assert code == 3
    result = _last_json(out)
    assert result["diverged"] is True
    assert result["forecast"] is None and result["next_value"] is None
    assert result["index"] == ["200", "201", "202"]
    assert "learning rate" in err and "Traceback" not in err


def test_index_labels_keep_the_time_of_day_only_when_there_is_one():
    import pandas as pd

    days = pd.date_range("2000-01-30", periods=2, freq="D")
    assert cli.index_labels(days) == ["2000-01-30", "2000-01-31"]
    halves = pd.date_range("2000-08-27 23:00", periods=2, freq="30min")
    assert cli.index_labels(halves) == ["2000-08-27 23:00", "2000-08-27 23:30"]
    assert cli.index_labels(pd.RangeIndex(3, 5)) == ["3", "4"]
