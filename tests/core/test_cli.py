"""``python -m rnn_core``: the headless contract (JSON line, exit codes, one-line errors)."""

from __future__ import annotations

import http.server
import io
import json
import math
import threading
import time

import pytest

from rnn_core import cli, cli_inputs, cli_training, report
from rnn_core.config import FIELDS, RunConfig
from rnn_core.presets import PRESETS
from tests.core.conftest import cli_main

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
    assert result["season"] == 132 and result["arima_order"] == [2, 0, 1]
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
def test_invalid_input_exits_2_with_one_error_line(monkeypatch, args):
    _no_training(monkeypatch)
    code, out, err = cli_main("train", *args, "--json")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err


def test_argparse_usage_errors_exit_2_without_traceback(cli):
    proc = cli("train", "--no-such-option")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "error: unrecognized arguments: --no-such-option" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 3


def test_diverged_training_exits_3_and_still_prints_the_json():
    code, out, err = cli_main(
        "train", "--json", "--set", "dataset=sine", "--set", "sine_length=200",
        "--set", "sine_noise=100", "--set", "scaler_fit=none", "--set", "optimizer=sgd",
        "--set", "learning_rate=1", "--set", "activation=relu", "--set", "dense_units=8",
        "--set", "time_steps=4", "--set", "epochs=2")
    assert code == 3, err
    result = _last_json(out)
    assert result["diverged"] is True
    assert result["preset"] is None
    assert result["epochs_run"] == 0
    assert result["config"]["learning_rate"] == 1.0
    assert "NaN" in err and "learning rate" in err
    assert "Traceback" not in err



def test_human_summary_shows_windows_params_metrics_and_verdict():
    code, out, err = cli_main("train", "--set", "dataset=sine", "--set", "sine_length=100",
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
    assert cli_inputs.make_config(None, []) == RunConfig()
    cfg = cli_inputs.make_config("t2-sine", ["epochs=3", "units=4"])
    assert (cfg.epochs, cfg.units, cfg.layout, cfg.dense_units) == (3, 4, "features", 8)


def test_presets_command_lists_every_preset_with_its_description():
    code, out, _ = cli_main("presets")
    assert code == 0
    for name in PRESETS:
        assert any(line.startswith(name + " ") for line in out.splitlines()), name
    code, out, _ = cli_main("presets", "--json")
    data = json.loads(out)
    assert set(data) == set(PRESETS)
    assert data["t1-sunspots"]["settings"]["stride"] == 12


def test_fields_command_is_generated_from_the_table():
    code, out, _ = cli_main("fields")
    assert code == 0
    names = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert names == [f.name for f in FIELDS]
    assert "use a whole number from 1 to 256" in out
    code, out, _ = cli_main("fields", "--json")
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

    monkeypatch.setattr(cli_training, "fit", fail)


@pytest.mark.parametrize("args", [
    ("--arima-order", "9,0,0"), ("--arima-order", "1,0"), ("--arima-order", "a,b,c"),
    ("--arima-order=-1,0,0",), ("--arima-order", "1.5,0,0"),
    ("--season", "0"), ("--season", "x"), ("--season=-12",), ("--season", "2.5"),
])
def test_bad_baseline_options_exit_2_before_training(monkeypatch, args):
    _no_training(monkeypatch)
    code, out, err = cli_main("train", "--preset", "t1-sunspots", *args, "--json")
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
    code, out, err = cli_main(*args, "--json")
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
    code, out, err = cli_main(*args)
    assert code == 0 and err.startswith("note: ARIMA")
    assert "Seasonal naive (10 back)" in out
    arima_row = next(line for line in out.splitlines() if line.startswith("ARIMA(1, 0, 0)"))
    assert arima_row.split()[-4:] == ["n/a"] * 4


# --------------------------------------------------------------------------- forecast


def test_forecast_t2_sine_json():
    code, out, err = cli_main("forecast", "--preset", "t2-sine", "--set", "epochs=1", "--steps", "5",
                           "--json")
    assert code == 0, err
    assert err == ""
    result = _last_json(out)
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
    code, out, err = cli_main("forecast", "--preset", "t2-sine", "--steps", steps, "--json")
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
    code, out, err = cli_main("forecast", "--set", "dataset=airpassengers", "--set", "time_steps=4",
                           "--set", "units=2", "--set", "epochs=1", "--steps", "3")
    assert code == 0 and err == ""
    assert out.strip().splitlines()[-3:][0].startswith("1961-01-01  ")
    assert [line.split()[0] for line in out.strip().splitlines()[-3:]] == [
        "1961-01-01", "1961-02-01", "1961-03-01"]
    code, out, err = cli_main("forecast", "--json", "--steps", "3", "--set", "dataset=sine",
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
    assert report.index_labels(days) == ["2000-01-30", "2000-01-31"]
    halves = pd.date_range("2000-08-27 23:00", periods=2, freq="30min")
    assert report.index_labels(halves) == ["2000-08-27 23:00", "2000-08-27 23:30"]
    assert report.index_labels(pd.RangeIndex(3, 5)) == ["3", "4"]


# --------------------------------------------------------------------------- your own table

TABLE_ROWS = 120
TABLE_T = 5  # time steps of the table runs


def _table_bytes() -> bytes:
    """120 days: a sine (y) and two noisy copies (a, b); one empty cell of 'a' (row 10)."""
    import numpy as np
    import pandas as pd

    t = np.arange(TABLE_ROWS)
    rng = np.random.default_rng(0)
    y = np.sin(0.2 * t)
    a, b = y + 0.1 * rng.normal(size=TABLE_ROWS), y + 0.1 * rng.normal(size=TABLE_ROWS)
    days = pd.date_range("2000-01-01", periods=TABLE_ROWS, freq="D")
    lines = ["day,y,a,b"] + [
        f"{d:%Y-%m-%d},{y[i]:.6f},{'' if i == 10 else f'{a[i]:.6f}'},{b[i]:.6f}"
        for i, d in enumerate(days)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory):
    """Small CSV files, good and bad, in one folder."""
    import numpy as np

    folder = tmp_path_factory.mktemp("tables")

    def rows(header: str, body: list[str]) -> bytes:
        return ("\n".join([header, *body]) + "\n").encode()

    sine = [f"{np.sin(0.3 * i):.5f}" for i in range(60)]
    files = {
        "good.csv": _table_bytes(),
        "empty.csv": b"",
        "header.csv": b"day,y\n",
        "words.csv": rows("a,b", ["x,y", "z,w", "u,v"]),
        "text.csv": rows("i,y", [f"{i},{'abc' if i == 5 else sine[i]}" for i in range(40)]),
        "allnan.csv": rows("i,y,z", [f"{i},NA,{sine[i]}" for i in range(40)]),
        "const.csv": rows("i,y", [f"{i},5" for i in range(40)]),
        "short.csv": rows("i,y", [f"{i},{sine[i]}" for i in range(25)]),
        "uni.csv": rows("i,y", [f"{i},{sine[i]}" for i in range(60)]),
        "dup.csv": rows("day,y", [f"2000-01-{1 + min(i, 29):02d},{sine[i]}" for i in range(40)]),
        "utf16.csv": b"\xff\xfe\x00bad",
        "latin1.csv": "i,temp\xe9rature\n1,2\n".encode("latin-1"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "a_folder").mkdir()
    from rnn_core import tables

    with open(folder / "big.csv", "wb") as handle:  # sparse: nothing written
        handle.truncate(tables.MAX_UPLOAD_BYTES + 1)
    return folder


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/slow.csv":
            time.sleep(1.5)
        if self.path == "/page.csv":
            status, ctype, body = 200, "text/html", b"<p>not a table</p>"
        elif self.path in ("/good.csv", "/slow.csv"):
            status, ctype, body = 200, "text/csv", _table_bytes()
        else:
            status, ctype, body = 404, "text/plain", b"nothing here"
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (the timeout test)
            pass

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


@pytest.fixture(scope="module")
def http_base():
    """``http://127.0.0.1:PORT`` serving /good.csv, /page.csv (HTML), /slow.csv (1.5 s late)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _expected_counts(n: int) -> tuple[int, int]:
    from rnn_core import windows

    return windows.count(n, windows.split_index(n, 0.8), TABLE_T, 1, "continuous")


@pytest.fixture(scope="module")
def csv_train(table_dir):
    """``train --csv good.csv --target y --date day --features a,b --missing drop``, run once
    in this process: (exit status, stdout, stderr)."""
    return cli_main("train", "--csv", str(table_dir / "good.csv"), "--target", "y",
                 "--date", "day", "--features", "a, b", "--missing", "drop",
                 "--set", "epochs=1", "--set", f"time_steps={TABLE_T}", "--json")


def test_train_csv_with_date_and_features_json(csv_train, table_dir):
    code, out, err = csv_train
    assert code == 0, err
    assert "Traceback" not in err
    result = _last_json(out)
    assert REQUIRED_KEYS <= result.keys()
    source = result["source"]
    assert source == {
        "csv": str(table_dir / "good.csv"), "target": "y", "date": "day", "features": ["a", "b"],
        "missing": "drop", "rows_read": 120, "rows_used": 119,
        "notes": ["dropped 1 row with missing values.",
                  "the daily dates have 1 gap (1 missing date, the first after 2000-01-10); the "
                  "network treats the values as evenly spaced."],
    }
    assert result["config"]["dataset"] == "upload"
    assert result["config"]["time_steps"] == TABLE_T and result["config"]["epochs"] == 1
    assert result["n_features"] == 3 and result["steps"] == TABLE_T  # y + a + b
    assert (result["n_train_windows"], result["n_test_windows"]) == _expected_counts(119) == (90, 24)
    assert result["params"] == 105  # SimpleRNN(8) on 3 inputs: (3+8+1)·8 = 96, Dense(1): 9
    assert result["epochs_run"] == 1 and result["diverged"] is False
    assert result["season"] == 7  # daily dates: a weekly season for the seasonal naive
    for key in ("test_rmse_original", "persistence_test_rmse_original", "mean_test_rmse_original"):
        assert isinstance(result[key], float) and result[key] > 0, key


def test_train_url_reads_like_the_file(http_base, csv_train):
    url = f"{http_base}/good.csv"
    code, out, err = cli_main("train", "--url", url, "--target", "y", "--date", "day",
                           "--features", "a,b", "--missing", "drop", "--set", "epochs=1",
                           "--set", f"time_steps={TABLE_T}", "--json")
    assert code == 0, err
    result = _last_json(out)
    from_file = _last_json(csv_train[1])
    assert result["source"] == {**{k: v for k, v in from_file["source"].items() if k != "csv"},
                                "url": url}
    for key in ("n_train_windows", "n_test_windows", "n_features", "params"):
        assert result[key] == from_file[key], key
    assert (result["n_train_windows"], result["n_test_windows"]) == _expected_counts(119)
    assert result["config"]["dataset"] == "upload"


def test_forecast_csv_univariate(table_dir):
    args = ("forecast", "--csv", str(table_dir / "good.csv"), "--target", "y", "--date", "day",
            "--steps", "3", "--set", "epochs=1", "--set", f"time_steps={TABLE_T}", "--set",
            "units=2")
    code, out, err = cli_main(*args, "--json")
    assert code == 0, err
    result = _last_json(out)
    assert result["steps"] == 3 and len(result["forecast"]) == 3
    assert all(isinstance(v, float) and math.isfinite(v) for v in result["forecast"])
    assert result["next_value"] == result["forecast"][0]
    assert result["index"] == ["2000-04-30", "2000-05-01", "2000-05-02"]  # after 2000-04-29
    assert result["source"]["features"] == [] and result["source"]["rows_used"] == 120
    assert result["n_features"] == 1 and result["config"]["dataset"] == "upload"
    # the human summary names the table, then lists the 3 dates
    code, out, err = cli_main(*args)
    assert code == 0 and err == ""
    assert f"Data: {table_dir / 'good.csv'}: target 'y', date 'day'; 120 of 120 rows used" in out
    assert [line.split()[0] for line in out.strip().splitlines()[-3:]] == [
        "2000-04-30", "2000-05-01", "2000-05-02"]


def _one_error(code: int, out: str, err: str) -> str:
    assert code == 2, (code, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) > 10, err
    return lines[0]


@pytest.mark.parametrize("file, extra, expected", [
    ("no_such.csv", (), "does not exist"),
    ("a_folder", (), "is a directory, not a file"),
    ("empty.csv", (), "'empty.csv' is empty"),
    ("header.csv", (), "has a header row (day, y) but no data rows"),
    ("words.csv", (), "no column of the table holds numbers"),
    ("text.csv", (), "column 'y' holds text where a number is expected: line 7 has 'abc'"),
    ("allnan.csv", (), "column 'y' holds no numbers: all 40 cells are empty"),
    ("const.csv", (), "the target column 'y' is constant"),
    ("short.csv", ("--set", "time_steps=30"), "too short for windows of 30 time steps"),
    ("uni.csv", ("--set", "window_scope=separate", "--set", "split=0.9", "--set", "time_steps=10"),
     "the test part (6 values) is too short for windows of 10 time steps"),
    ("dup.csv", ("--date", "day"), "the date 2000-01-30 appears 11 times in column 'day'"),
    ("utf16.csv", (), "is UTF-16 text (Excel's \"Unicode text\"), not UTF-8"),
    ("latin1.csv", (), "is not UTF-8 text: byte 0xE9"),
    ("big.csv", (), "is 20.1 MB, more than the limit of 20 MB"),
    ("good.csv", ("--target", "nope"), "there is no column 'nope' in the table"),
    ("good.csv", ("--features", ","), "names no column"),
    ("good.csv", ("--features", "a"), "1 missing value: 'a' has 1 (line 12)"),
    ("good.csv", ("--set", "dataset=sunspots"), "--set dataset=sunspots contradicts --csv"),
    ("good.csv", ("--set", "time_steps=0"), "time_steps='0' is out of range"),
    ("good.csv", ("--set", "units=10000"), "units='10000' is out of range"),
    ("good.csv", ("--set", "epochs=-1"), "epochs='-1' is out of range"),
    ("good.csv", ("--set", "learning_rate=0"), "learning_rate='0' is out of range"),
    ("good.csv", ("--set", "learning_rate=nan"), "learning_rate='nan' is not valid"),
])
def test_bad_table_exits_2_with_one_line(monkeypatch, table_dir, file, extra, expected):
    _no_training(monkeypatch)
    extra = extra if "--target" in extra else ("--target", "y", *extra)
    line = _one_error(*cli_main("train", "--csv", str(table_dir / file), *extra, "--json"))
    assert expected in line


@pytest.mark.parametrize("path, expected", [
    ("/page.csv", "returned a web page, not a table"),
    ("/missing.csv", "answered HTTP 404"),
    ("/slow.csv", "did not answer within 0.3 s"),
])
def test_bad_url_exits_2_with_one_line(monkeypatch, http_base, path, expected):
    _no_training(monkeypatch)
    monkeypatch.setattr(cli_inputs, "URL_TIMEOUT", 0.3)
    started = time.monotonic()
    line = _one_error(*cli_main("train", "--url", http_base + path, "--target", "y", "--json"))
    assert expected in line and http_base + path in line
    assert time.monotonic() - started < 1.4  # did not wait for the slow answer


@pytest.mark.parametrize("argv, expected", [
    (("train", "--url", "ftp://example.org/data.csv", "--target", "y"),
     "uses the ftp:// scheme: only http:// and https:// links"),
    (("train", "--csv", "{dir}/good.csv"), "--target COL is required with --csv"),
    (("train", "--url", "http://127.0.0.1:9/x.csv"), "--target COL is required with --url"),
    (("train", "--target", "y"), "--target needs a table: add --csv PATH or --url URL"),
    (("train", "--date", "day"), "--date needs a table"),
    (("train", "--set", "dataset=upload"), "dataset=upload needs a table"),
    (("train", "--csv", "", "--target", "y"), "--csv needs the path of a file"),
    (("forecast", "--csv", "{dir}/good.csv", "--target", "y", "--features", "a", "--steps", "3"),
     "forecast cannot use --features"),
])
def test_bad_table_options_exit_2_with_one_line(monkeypatch, table_dir, argv, expected):
    _no_training(monkeypatch)
    argv = [a.replace("{dir}", str(table_dir)) for a in argv]
    line = _one_error(*cli_main(*argv, "--json"))
    assert expected in line


def test_csv_and_url_together_is_one_usage_line(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "--csv", "a.csv", "--url", "http://x/a.csv", "--target", "y"],
                 io.StringIO(), io.StringIO())
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "error: argument --url: not allowed with argument --csv "
        "(see: python -m rnn_core train --help)"]


# --------------------------------------------------------------------------- --date-format


def _monthly_day_first(tmp_path):
    """48 months written 01/02/2001 (1 February): auto cannot tell day from month."""
    import pandas as pd

    months = pd.date_range("2001-02-01", periods=48, freq="MS")
    path = tmp_path / "monthly.csv"
    path.write_text("month,y\n" + "".join(f"{d:%d/%m/%Y},{(i * 7) % 11 + i / 4}\n"
                                          for i, d in enumerate(months)))
    return path


def test_forecast_with_date_format_labels_the_next_months(tmp_path):
    path = _monthly_day_first(tmp_path)
    args = ("forecast", "--csv", str(path), "--target", "y", "--date", "month", "--steps", "3",
            "--set", "epochs=1", "--set", "time_steps=4", "--set", "units=2")
    line = _one_error(*cli_main(*args, "--json"))  # auto: refused, naming the choice
    assert "'01/02/2001' is 2001-02-01 as DD/MM/YYYY, 2001-01-02 as MM/DD/YYYY" in line
    assert "--date-format" in line
    code, out, err = cli_main(*args, "--date-format", "dd/mm/yyyy", "--json")
    assert code == 0, err
    result = _last_json(out)
    assert result["index"] == ["2005-02-01", "2005-03-01", "2005-04-01"]  # after 2005-01-01
    assert result["source"]["rows_used"] == 48 and result["source"]["notes"] == []


@pytest.mark.parametrize("extra, expected", [
    (("--date-format", "DD-MM"), "the date format 'DD-MM' is not known: choose one of auto, "
                                 "YYYY-MM-DD, DD/MM/YYYY"),
    (("--date-format", "DD/MM/YYYY"), "--date-format needs --date COL"),
])
def test_bad_date_format_exits_2_with_one_line(monkeypatch, tmp_path, extra, expected):
    _no_training(monkeypatch)
    path = _monthly_day_first(tmp_path)
    if "needs --date" not in expected:
        extra = ("--date", "month", *extra)
    line = _one_error(*cli_main("train", "--csv", str(path), "--target", "y", *extra, "--json"))
    assert expected in line


def test_date_format_without_a_table_exits_2(monkeypatch):
    _no_training(monkeypatch)
    line = _one_error(*cli_main("train", "--date-format", "DD/MM/YYYY"))
    assert "--date-format needs a table: add --csv PATH or --url URL" in line
