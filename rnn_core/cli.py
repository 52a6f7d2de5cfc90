"""Headless entry point: ``python -m rnn_core SUBCOMMAND ...``.

The command line is a stable contract, for scripts and CI::

    python -m rnn_core train [--preset NAME] [--set KEY=VALUE ...] [--arima-order P,D,Q]
                             [--season N] [TABLE] [--json] [--verbose]
    python -m rnn_core forecast [--preset NAME] [--set KEY=VALUE ...] --steps N [TABLE]
                                [--json] [--verbose]
    python -m rnn_core presets [--json]
    python -m rnn_core fields [--json]
    python -m rnn_core export-script [--preset NAME] [--set KEY=VALUE ...]
    python -m rnn_core memory [--preset NAME] [--set KEY=VALUE ...] [--window PART:INDEX]
                              [--epochs N] [TABLE] [--json] [--verbose]
    python -m rnn_core race [--preset NAME] [--set KEY=VALUE ...] [--match units|params]
                            [--over-seeds] [TABLE] [--json] [--verbose]
    python -m rnn_core backtest [--preset NAME] [--set KEY=VALUE ...] [--folds K] [TABLE]
                                [--json] [--verbose]
    python -m rnn_core text train|sample [--corpus NAME] [--preset NAME] [--set KEY=VALUE ...]
                                  [--text-file PATH] [--json] [--verbose] (sample: [--prompt
                                  TEXT] [--chars N] [--temperature T] [--seed S])

``train`` starts from the defaults (``RunConfig()``) or from ``--preset NAME``, applies every
``--set KEY=VALUE`` (KEY is any config field, see ``fields``), trains once and prints a short
summary, then the model and the baselines of ``baselines.py`` on the same test targets (model
first). With ``--json`` the LAST line of stdout is instead one JSON object, the result of
``report.train_result`` (``rnn_core/report.py`` lists its keys).
``--arima-order`` is the ARIMA baseline's (p, d, q), default 2,0,1; ``--season`` the seasonal
naive's season, default the series' own. An ARIMA that cannot be fitted does not fail the
command: its RMSE is null and one ``note:`` line on stderr says why.
``--verbose`` prints one progress line per epoch on stderr; stdout never carries progress.

TABLE is your own data instead of a built-in series, read and checked exactly like the app's
upload (``tables.read_table``, ``tables.to_series``)::

    (--csv PATH | --url URL [--public-links-only]) --target COL [--date COL] [--features A,B]
                             [--missing stop|interpolate|drop] [--date-format FORMAT]

``--csv`` reads a CSV/TSV file (a regular file: a FIFO or device is refused), ``--url`` an
http(s) link (``fetch.fetch_url``, waiting at most ``cli_inputs.URL_TIMEOUT`` seconds for each
network step; addresses of this machine and private networks are allowed unless
``--public-links-only``), both at most ``tables.MAX_UPLOAD_BYTES`` (``cli_inputs`` reads them).
The run uses ``dataset=upload`` (another ``--set dataset=`` is refused); ``--target`` names
the column to forecast, ``--date`` the column the rows are sorted by, ``--features`` extra
input columns (``train`` only: a forecast would need their future values) and ``--missing``
what to do with empty cells (default stop: refuse them); ``--date-format`` is the order of
day, month and year (``tables.DATE_FORMATS``; auto refuses dates it cannot decide, such as
01/02/2001). The JSON's ``source`` then describes the table (null for a built-in series).

``forecast`` trains like ``train`` (no baselines), then forecasts the ``--steps N`` values after
the end of the series recursively (``forecast.recursive``: each prediction is fed back as the
newest input). It prints them with their labels (``forecast.future_index``: the next dates, or
the next integer positions). With ``--json`` the last line of stdout is one JSON object, the
result of ``report.forecast_result``. N is a whole number from 1 to
``forecast.MAX_FORECAST_STEPS`` (500), checked before anything is trained.

``memory`` prints how far back the network looks for one window (``--window PART:INDEX``,
default test:0; PART train or test, INDEX from 0, or negative from the end): the sensitivity
|∂ŷ_k/∂x_t| per step with the effective memory (the most recent steps carrying 90 % of it),
and for each recurrent layer ‖∂h_T/∂x_t‖, ‖∂h_T/∂h_t‖, ‖∂c_T/∂c_t‖ (LSTM), σ_max of the
recurrent kernel, the activation's largest slope γ and the bound (γ·σ_max)^(T−t)
(``memory.gradients``; ``cli_memory.memory_result`` lists the JSON keys). The network is the
untrained one the config builds from its seed, or with ``--epochs N`` (1 to 500) the one
trained N epochs first, exactly as ``train`` trains (the time limit and exit 3 included).

Exit status:

- 0: trained (also when stopped early with Ctrl-C: ``stopped`` is true);
- 2: invalid input (unknown preset or setting, value out of range, a series too short for the
  windows, bad ``--steps``, ``--season`` or ``--arima-order``, a table that cannot be read or
  used, a link that fails, a training estimated to take longer than ``cost.MAX_TRAINING_SECONDS``
  (15 min; the environment variable ``RNN_EXPLORER_MAX_TRAINING_SECONDS`` changes it) ...): ONE
  line ``error: ...`` on stderr, no traceback, nothing trained;
- 3: training diverged (``divergence``): the loss became NaN or infinite, or grew past 1e6 × the
  untrained network's (the last good weights were kept), or
  the trained model predicts NaN or infinite values (for ``forecast``: also when the fed-back
  forecast becomes NaN or infinite). The summary / JSON is still printed (``diverged`` is true;
  ``forecast`` and ``next_value`` are null) and stderr says why.

``race`` trains SimpleRNN, LSTM and GRU on the same windows (``cli_race`` describes it);
``backtest`` retrains the setup at K forecast origins (``cli_backtest`` describes it).
``text`` trains a character-level network on a text and prints bits per character against
the unigram and bigram baselines, or samples from it (``cli_text`` describes it).

Only ``train``, ``forecast``, ``memory``, ``race``, ``backtest`` and ``text`` import TensorFlow; ``presets`` and ``fields``
answer at once.

>>> build_parser().parse_args(["train", "--preset", "t2-sine", "--set", "epochs=1"]).assignments
['epochs=1']
"""

from __future__ import annotations

import os

# TensorFlow reads this when it is first imported: keep its C++ start-up logs off stderr.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
from typing import Any, Sequence, TextIO  # noqa: E402

from . import cli_memory, cli_race, cli_sweep, cli_text, cli_training, report  # noqa: E402
from .cli_inputs import config_and_series, make_config  # noqa: E402
from .cli_options import (  # noqa: E402
    DEFAULT_ARIMA_ORDER_TEXT, CliError, add_config_options, add_data_options, add_run_options,
    check_data_options, parse_arima_order, parse_forecast_steps, parse_season,
)
from .config import FIELDS, TASKS  # noqa: E402
from .cost import check_prepared as check_cost  # noqa: E402
from .errors import QUOTE_LIMIT, RnnExplorerError, quote  # noqa: E402
from .presets import DESCRIPTIONS, PRESETS  # noqa: E402
from .report import one_line  # noqa: E402

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DIVERGED = 3

PROG = "python -m rnn_core"


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error prints ONE ``error:`` line (pointing to ``--help``), then
    exits 2: the usage block of ``train`` alone spans several lines."""

    def error(self, message: str):  # type: ignore[override]
        # argparse quotes a bad value whole ('invalid choice: ...'): cut long ones to QUOTE_LIMIT
        message = re.sub(r"'([^']{%d,})'" % (QUOTE_LIMIT + 1), lambda m: quote(m.group(1)), message)
        extra = message.partition("unrecognized arguments: ")[2]  # listed unquoted
        if len(extra) > QUOTE_LIMIT:
            message = message.replace(extra, quote(extra))
        self.exit(EXIT_USAGE, f"error: {one_line(message)} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; each one's handler is ``args.handler(args, out, err)``."""
    parser = _Parser(
        prog=PROG,
        description="RNN Explorer without the browser: train a configuration and print its metrics.",
        epilog="Exit status: 0 trained, 2 invalid input (or a training longer than the time "
               "limit), 3 training diverged (loss became NaN or exploded).\n"
               "Examples: python -m rnn_core train --preset t1-sunspots --set epochs=5 --json\n"
               "          python -m rnn_core forecast --preset sunspots --steps 24 --json\n"
               "          python -m rnn_core train --csv sales.csv --target sales --date month "
               "--json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for add in (_add_train, _add_forecast, _add_listings, _add_export, _add_memory, _add_race,
                _add_backtest, _add_sweep):
        add(sub)
    cli_text.add_parser(sub)  # text train | sample
    return parser


def _add_train(sub: Any) -> None:
    train = sub.add_parser(
        "train", help="train one configuration and print its metrics",
        description="Train one configuration: the defaults, or a preset, changed by --set.",
        epilog="Exit status: 0 trained, 2 invalid input (or a training longer than the time "
               "limit), 3 training diverged (loss became NaN or exploded); "
               "with --json the last stdout line is the JSON result even on exit 3.",
    )
    add_config_options(train, "change one setting, e.g. --set units=16 (repeatable; KEY is "
                               "any field listed by the 'fields' command)")
    train.add_argument("--arima-order", metavar="P,D,Q", default=None,
                       help="order of the ARIMA baseline: three whole numbers, p 0-5, d 0-2, "
                            f"q 0-5 (default {DEFAULT_ARIMA_ORDER_TEXT})")
    train.add_argument("--season", metavar="N", default=None,
                       help="season of the seasonal naive baseline, a whole number of 1 or more "
                            "(default: the series' own, e.g. 12 for monthly data)")
    add_data_options(train)
    add_run_options(train)
    train.set_defaults(handler=cmd_train)


def _add_forecast(sub: Any) -> None:
    fc = sub.add_parser(
        "forecast", help="train one configuration, then forecast the values after the series",
        description="Train one configuration (like 'train'), then forecast the N values after "
                    "the end of the series recursively: each prediction is fed back as the "
                    "newest input, so errors compound with every step.",
        epilog="Exit status: 0 forecast, 2 invalid input (e.g. --steps outside 1-500), "
               "3 training or the forecast diverged (NaN); with --json the last stdout line is "
               "the JSON result even on exit 3.",
    )
    add_config_options(fc, "change one setting, e.g. --set epochs=5 (repeatable)")
    # 500: forecast.MAX_FORECAST_STEPS, written out because forecast imports numpy
    fc.add_argument("--steps", required=True, metavar="N",
                    help="how many values to forecast after the end of the series: a whole "
                         "number from 1 to 500")
    add_data_options(fc, features=False)
    add_run_options(fc)
    fc.set_defaults(handler=cmd_forecast)


def _add_listings(sub: Any) -> None:
    """``presets`` and ``fields``: they list, train nothing, and import no TensorFlow."""
    presets = sub.add_parser("presets", help="list the named presets",
                             description="List the named presets with what they set up.")
    presets.add_argument("--json", action="store_true",
                         help="print {name: {description, settings}} as JSON")
    presets.set_defaults(handler=cmd_presets)

    fields = sub.add_parser("fields", help="list the settings --set accepts",
                            description="List every config field: name, type, default, "
                                        "allowed values and help.")
    fields.add_argument("--json", action="store_true", help="print the table as a JSON list")
    fields.set_defaults(handler=cmd_fields)


def _add_export(sub: Any) -> None:
    export = sub.add_parser("export-script", help="print a plain-Keras script of a configuration",
                            description="Print a standalone Python script (numpy, pandas, Keras; "
                                        "no rnn_core) that reproduces the configuration's run.")
    add_config_options(export, "change one setting (repeatable)",
                        preset_help="start from a named preset")
    export.set_defaults(handler=cmd_export_script)


def _add_memory(sub: Any) -> None:
    memory = sub.add_parser(
        "memory", help="how far back the network looks: gradients through time for one window",
        description="Gradients through time for one window: the sensitivity of the prediction "
                    "to each input step (and the effective memory), and for each recurrent "
                    "layer how the last hidden state depends on each step's input and state, "
                    "with the bound (gamma*sigma_max)^(T-t). Untrained unless --epochs N.",
        epilog="Exit status: 0 done, 2 invalid input, 3 the training (--epochs) diverged; "
               "with --json the last stdout line is the JSON result even on exit 3.",
    )
    add_config_options(memory, "change one setting, e.g. --set cell=lstm (repeatable)")
    memory.add_argument("--window", metavar="PART:INDEX", default=None,
                        help="the window: train or test, and its index from 0 (negative from "
                             "the end); default test:0")
    memory.add_argument("--epochs", metavar="N", default=None,
                        help="train N epochs first (1-500), as 'train' does; default: the "
                             "untrained network the config builds from its seed")
    add_data_options(memory)
    add_run_options(memory)
    memory.set_defaults(handler=cmd_memory)


def _add_race(sub: Any) -> None:
    race = sub.add_parser(
        "race", help="SimpleRNN, LSTM and GRU trained on the same windows, seed and settings",
        description="A fair race: the three cells trained on exactly the same data and "
                    "training settings, with their parameter counts and test errors.",
        epilog="Exit status: 0 done, 2 invalid input, 3 a run diverged; with --json the last "
               "stdout line is the JSON result even on exit 3.")
    add_config_options(race, "change one setting, e.g. --set dataset=recall (repeatable)")
    race.add_argument("--match", metavar="units|params", default=None,
                      help="units: every cell gets the config's hidden units (default); params: "
                           "units chosen per cell for about the same number of parameters")
    race.add_argument("--over-seeds", action="store_true",
                      help="train each cell with seeds 0, 1 and 2, to see the spread")
    add_data_options(race, features=True)
    add_run_options(race)
    race.set_defaults(handler=cmd_race)


def _add_backtest(sub: Any) -> None:
    backtest = sub.add_parser(
        "backtest", help="retrain at several forecast origins: the error per fold and its spread",
        description="K expanding-window folds: each trains on the values before its origin and "
                    "is tested on the block after it; the model and every baseline per fold.",
        epilog="Exit status: 0 done, 2 invalid input, 3 a fold diverged; with --json the last "
               "stdout line is the JSON result even on exit 3.")
    add_config_options(backtest, "change one setting, e.g. --set epochs=20 (repeatable)")
    backtest.add_argument("--folds", metavar="K", default=None,
                          help="how many forecast origins, 2-10 (default 4)")
    backtest.add_argument("--arima-order", metavar="P,D,Q", default=None,
                          help=f"order of the ARIMA baseline (default {DEFAULT_ARIMA_ORDER_TEXT})")
    backtest.add_argument("--season", metavar="N", default=None,
                          help="season of the seasonal naive baseline (default: the series' own)")
    add_data_options(backtest)
    add_run_options(backtest)
    backtest.set_defaults(handler=cmd_backtest)


def _add_sweep(sub: Any) -> None:
    sweep = sub.add_parser(
        "sweep", help="a grid of runs (units x time steps [x cell]) trained side by side",
        description="The Compare page's sweep: every run queued at once on the app's backend "
                    "(worker processes here, or a Ray cluster with RNN_EXPLORER_RAY_ADDRESS).",
        epilog="Exit status: 0 done, 1 a run failed, 2 invalid input, 3 a run diverged; with "
               "--json one JSON line per run, in grid order.")
    add_config_options(sweep, "change one setting, e.g. --set epochs=20 (repeatable)")
    sweep.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2",
                       help="values of units, time_steps or cell to sweep (repeatable)")
    add_data_options(sweep, features=True)
    add_run_options(sweep)
    sweep.set_defaults(handler=cli_sweep.cmd_sweep)


# --------------------------------------------------------------------------- commands


def warn_diverged(run: Any, err: TextIO) -> None:
    from .divergence import message

    print(f"warning: {one_line(message(run.config, run.history, cli=True))}", file=err, flush=True)


def _prepare_and_fit(args: argparse.Namespace, features: tuple[str, ...], err: TextIO,
                     forecasting: bool = False) -> tuple[Any, dict[str, Any] | None]:
    """The trained ``Run`` of the command's settings and the JSON ``source`` block.

    Everything before the network (data, split, scaling, windows, the time estimate) is
    checked first, without importing TensorFlow, so invalid input fails fast (exit 2).
    """
    config, series, source = config_and_series(args, features)
    from . import run as run_mod  # numpy/pandas: only once the settings are known to be valid

    prepared = run_mod.prepare(config, series)
    if forecasting:
        from .forecast import _check

        _check(None, prepared)  # a single series only (no model yet: shapes only)
    check_cost(prepared, cli=True)  # a training that cannot finish is refused (exit 2)
    return cli_training.fit(config, prepared, args.verbose, err), source


def print_result(out: TextIO, result: dict[str, Any], text: str, as_json: bool) -> None:
    """The JSON result as one line (non-finite numbers are already null), or the text."""
    print(json.dumps(result, allow_nan=False) if as_json else text, file=out, flush=True)


def cmd_train(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    arima_order = parse_arima_order(args.arima_order)
    season = parse_season(args.season)
    features = check_data_options(args, "train")
    run, source = _prepare_and_fit(args, features, err)

    comparison = None  # a long-lag task is judged against its own baseline (train_result)
    if run.config.dataset not in TASKS:
        comparison = report.compare_baselines(run, season, arima_order)
    if comparison is not None and comparison.arima_error:  # a failed ARIMA fails nothing
        print(f"note: {one_line(comparison.arima_error)} arima_test_rmse_original is null.",
              file=err, flush=True)
    result = report.train_result(run, args.preset, comparison and comparison.metrics, source)
    print_result(out, result, report.summary(result, comparison), args.json)
    if result["diverged"]:
        warn_diverged(run, err)
        return EXIT_DIVERGED
    return EXIT_OK


def cmd_forecast(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    steps = parse_forecast_steps(args.steps)  # before anything is loaded or trained
    features = check_data_options(args, "forecast")
    run, source = _prepare_and_fit(args, features, err, forecasting=True)
    from . import forecast

    base = report.train_result(run, args.preset, source=source)
    labels = report.index_labels(forecast.future_index(run.prepared.series.index, steps))
    values: list[float] | None = None
    problem = None
    if not base["diverged"]:
        try:
            values = [float(v) for v in forecast.recursive(run.model, run.prepared, steps)]
        except RnnExplorerError as error:  # the fed-back forecast became NaN or infinite
            problem = str(error)
    text = report.summary(base)
    if values is not None:
        text += "\n" + report.forecast_text(labels, values, run.config.horizon)
    print_result(out, report.forecast_result(base, args.preset, values, labels), text, args.json)
    if base["diverged"]:
        warn_diverged(run, err)
        print("warning: no forecast: a diverged model's forecast means nothing; train again "
              "with a lower learning rate.", file=err, flush=True)
        return EXIT_DIVERGED
    if problem is not None:
        print(f"warning: no forecast: {one_line(problem)}", file=err, flush=True)
        return EXIT_DIVERGED
    return EXIT_OK


def cmd_memory(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    part, index = cli_memory.parse_window(args.window)  # before anything is loaded or trained
    epochs = cli_memory.parse_epochs(args.epochs)
    features = check_data_options(args, "train")
    config, series, source = config_and_series(args, features)
    config = config.replace(epochs=epochs) if epochs else config
    from . import memory, run as run_mod

    prepared = run_mod.prepare(config, series)
    window = cli_memory.pick_window(prepared.windows, part, index)
    diverged = False
    if epochs:
        check_cost(prepared, cli=True)
        run = cli_training.fit(config, prepared, args.verbose, err)
        from .divergence import run_diverged

        diverged, network, epochs = (run_diverged(run.history, run.metrics), run.network,
                                     run.history.epochs_run)
    else:
        from .model import build

        cli_training.import_keras_quietly()
        network = build(config, prepared.windows.steps, prepared.windows.n_features)
    result = cli_memory.memory_result(memory.gradients(network, window), args.preset, part,
                                      index, epochs, diverged, config, source)
    print_result(out, result, cli_memory.memory_text(result), args.json)
    if diverged:
        warn_diverged(run, err)
        return EXIT_DIVERGED
    return EXIT_OK


def cmd_race(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return cli_race.cmd_race(args, out, err)


def cmd_backtest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import cli_backtest

    return cli_backtest.cmd_backtest(args, out, err)


def cmd_export_script(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .export import script

    out.write(script(make_config(args.preset, args.assignments)))
    return EXIT_OK


def cmd_presets(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.json:
        print(json.dumps({name: {"description": DESCRIPTIONS.get(name, ""), "settings": values}
                          for name, values in PRESETS.items()}), file=out)
        return EXIT_OK
    width = max(len(name) for name in PRESETS)
    for name in PRESETS:
        print(f"{name:<{width}}  {DESCRIPTIONS.get(name, '')}", file=out)
    return EXIT_OK


def _field_rows() -> list[dict[str, Any]]:
    return [
        {"name": f.name, "type": f.kind, "default": f.default, "allowed": f.allowed(),
         "group": f.group, "help": f.help}
        for f in FIELDS
    ]


def cmd_fields(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rows = _field_rows()
    if args.json:
        print(json.dumps(rows), file=out)
        return EXIT_OK
    name_w = max(len(r["name"]) for r in rows)
    type_w = max(len(r["type"]) for r in rows)
    default_w = max(len(FIELDS[i].to_text(r["default"])) for i, r in enumerate(rows))
    for f, r in zip(FIELDS, rows):
        print(f"{r['name']:<{name_w}}  {r['type']:<{type_w}}  "
              f"{f.to_text(r['default']):<{default_w}}  {r['allowed']}", file=out)
        print(f"{'':<{name_w}}  {r['help']}", file=out)
    return EXIT_OK


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the CLI; returns the exit status (argparse usage errors raise ``SystemExit(2)``)."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args, out, err)
    except (RnnExplorerError, CliError) as error:
        print(f"error: {one_line(error)}", file=err, flush=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted.", file=err, flush=True)
        return 130
