"""``python -m rnn_core``: the headless contract (JSON line, exit codes, one-line errors)."""

from __future__ import annotations

import io
import json

import pytest

from rnn_core import cli
from rnn_core.config import FIELDS
from rnn_core.presets import PRESETS

REQUIRED_KEYS = {
    "preset", "n_train_windows", "n_test_windows", "params", "epochs_run", "fit_seconds",
    "train_rmse", "test_rmse", "train_rmse_original", "test_rmse_original", "test_mae_original",
    "persistence_test_rmse_original", "stopped", "diverged", "config",
}


def _last_json(stdout: str) -> dict:
    lines = stdout.strip().splitlines()
    assert lines, "no stdout"
    return json.loads(lines[-1])


def test_train_t1_one_epoch_json(cli):
    proc = cli("train", "--preset", "t1-sunspots", "--set", "epochs=1", "--json", "--verbose")
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
