"""Headless entry point: ``python -m rnn_core SUBCOMMAND ...``.

The command line is a stable contract, for scripts and CI::

    python -m rnn_core train [--preset NAME] [--set KEY=VALUE ...] [--json] [--verbose]
    python -m rnn_core presets [--json]
    python -m rnn_core fields [--json]
    python -m rnn_core export-script [--preset NAME] [--set KEY=VALUE ...]

``train`` starts from the defaults (``RunConfig()``) or from ``--preset NAME``, applies every
``--set KEY=VALUE`` (KEY is any config field, see ``fields``), trains once and prints a short
summary. With ``--json`` the LAST line of stdout is one JSON object: ``preset``, window counts,
``params``, ``epochs_run``, ``fit_seconds``, every metric of ``Run.metrics`` (scaled and
original units, persistence baseline), ``stopped``, ``diverged``, ``verdict`` and the full
``config``. Non-finite numbers are written as ``null`` so the line is strict JSON.
``--verbose`` prints one progress line per epoch on stderr; stdout never carries progress.

Exit status:

- 0: trained (also when stopped early with Ctrl-C: ``stopped`` is true);
- 2: invalid input (unknown preset or setting, value out of range, a series too short for the
  windows ...): ONE line ``error: ...`` on stderr, no traceback, nothing trained;
- 3: training diverged: the loss became NaN or infinite (the last finite weights were kept), or
  the trained model predicts NaN or infinite values. The summary / JSON is still printed
  (``diverged`` is true) and stderr says to lower the learning rate.

Only the ``train`` subcommand imports TensorFlow; ``presets`` and ``fields`` answer at once.

>>> build_parser().parse_args(["train", "--preset", "t2-sine", "--set", "epochs=1"]).assignments
['epochs=1']
"""

from __future__ import annotations

import os

# TensorFlow reads this when it is first imported: keep its C++ start-up logs off stderr.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from typing import Any, Sequence, TextIO  # noqa: E402

from .config import FIELDS, RunConfig, parse_assignments  # noqa: E402
from .errors import RnnExplorerError  # noqa: E402
from .presets import DESCRIPTIONS, PRESETS, preset as preset_config  # noqa: E402

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DIVERGED = 3

PROG = "python -m rnn_core"


class CliError(Exception):
    """An input problem found by the CLI itself; reported like ``RnnExplorerError``."""


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors print the usage line and ONE ``error:`` line, then exit 2."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {_one_line(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="RNN Explorer without the browser: train a configuration and print its metrics.",
        epilog="Exit status: 0 trained, 2 invalid input, 3 training diverged (loss became NaN).\n"
               "Example: python -m rnn_core train --preset t1-sunspots --set epochs=5 --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    train = sub.add_parser(
        "train", help="train one configuration and print its metrics",
        description="Train one configuration: the defaults, or a preset, changed by --set.",
        epilog="Exit status: 0 trained, 2 invalid input, 3 training diverged (loss became NaN); "
               "with --json the last stdout line is the JSON result even on exit 3.",
    )
    train.add_argument("--preset", metavar="NAME",
                       help="start from a named preset (see the 'presets' command); "
                            "default: the app's defaults")
    train.add_argument("--set", dest="assignments", action="append", default=[],
                       metavar="KEY=VALUE",
                       help="change one setting, e.g. --set units=16 (repeatable; KEY is any "
                            "field listed by the 'fields' command)")
    train.add_argument("--json", action="store_true",
                       help="print the result as one JSON object on the last line of stdout")
    train.add_argument("--verbose", "-v", action="store_true",
                       help="print per-epoch progress on stderr")
    train.set_defaults(handler=cmd_train)

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

    export = sub.add_parser("export-script", help="print a plain-Keras script of a configuration",
                            description="Print a standalone Python script (numpy, pandas, Keras; "
                                        "no rnn_core) that reproduces the configuration's run.")
    export.add_argument("--preset", metavar="NAME", help="start from a named preset")
    export.add_argument("--set", dest="assignments", action="append", default=[],
                        metavar="KEY=VALUE", help="change one setting (repeatable)")
    export.set_defaults(handler=cmd_export_script)
    return parser


# --------------------------------------------------------------------------- helpers


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _finite_or_none(value: Any) -> Any:
    """JSON-safe scalars: numpy numbers become Python ones, NaN/inf become None."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def make_config(preset_name: str | None, assignments: Sequence[str]) -> RunConfig:
    """The config ``train`` runs: a preset (or the defaults) with the assignments applied."""
    base = preset_config(preset_name) if preset_name is not None else RunConfig()
    changes = parse_assignments(assignments)
    return base.replace(**changes) if changes else base


def diverged(run: Any) -> bool:
    """Training blew up: the NaN guard fired, or the model's predictions are not finite.

    The guard in ``training.fit`` only looks at the epoch's mean training loss; a run whose loss
    stays finite but whose weights end up predicting inf or NaN is just as broken.
    """
    if run.history.diverged:
        return True
    return not all(math.isfinite(run.metrics.get(key, 0.0))
                   for key in ("train_rmse", "test_rmse"))


def result_dict(run: Any, preset_name: str | None) -> dict[str, Any]:
    """The JSON contract of ``train --json`` for a finished ``Run``."""
    from .model import layer_table

    w, history = run.windows, run.history
    out: dict[str, Any] = {
        "preset": preset_name,
        "n_train_windows": int(w.n_train),
        "n_test_windows": int(w.n_test),
        "steps": int(w.steps),
        "n_features": int(w.n_features),
        "params": int(sum(row.params for row in layer_table(run.model))),
        "epochs_run": int(history.epochs_run),
        "fit_seconds": round(float(history.fit_seconds), 3),
        "stopped": bool(history.stopped),
        "diverged": diverged(run),
    }
    out.update({key: _finite_or_none(value) for key, value in run.metrics.items()})
    out["final_loss"] = _finite_or_none(history.loss[-1]) if history.loss else None
    out["final_val_loss"] = _finite_or_none(history.val_loss[-1]) if history.val_loss else None
    from .run import verdict

    out["verdict"] = verdict(run.metrics)
    out["config"] = {key: _finite_or_none(value) for key, value in run.config.to_dict().items()}
    return out


def _summary(result: dict[str, Any], out: TextIO) -> None:
    cfg = result["config"]
    name = result["preset"] or "defaults"
    print(f"Run: {name} — {cfg['cell']} x{cfg['layers']} ({cfg['units']} units) on "
          f"{cfg['dataset']}, T={cfg['time_steps']}, stride {cfg['stride']}, layout {cfg['layout']}",
          file=out)
    print(f"Windows: {result['n_train_windows']:,} train / {result['n_test_windows']:,} test "
          f"(input {result['steps']} step(s) x {result['n_features']} feature(s))", file=out)
    print(f"Parameters: {result['params']:,}", file=out)
    flags = " (stopped early)" if result["stopped"] else ""
    flags += " (diverged: loss or predictions became NaN/inf)" if result["diverged"] else ""
    print(f"Epochs: {result['epochs_run']} of {cfg['epochs']} in {result['fit_seconds']:.1f} s"
          f"{flags}", file=out)

    def cell(key: str) -> str:
        value = result.get(key)
        return "n/a" if value is None else f"{value:.4g}"

    rows = [
        ("RMSE (scaled)", "train_rmse", "test_rmse"),
        ("RMSE", "train_rmse_original", "test_rmse_original"),
        ("MAE", "train_mae_original", "test_mae_original"),
        ("Persistence RMSE", "persistence_train_rmse_original", "persistence_test_rmse_original"),
        ("Persistence MAE", "persistence_train_mae_original", "persistence_test_mae_original"),
    ]
    width = max(len(label) for label, _, _ in rows)
    print(f"{'':<{width}}  {'train':>10}  {'test':>10}", file=out)
    for label, train_key, test_key in rows:
        print(f"{label:<{width}}  {cell(train_key):>10}  {cell(test_key):>10}", file=out)
    print(result["verdict"], file=out)


# --------------------------------------------------------------------------- commands


def cmd_train(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = make_config(args.preset, args.assignments)
    from . import run as run_mod  # numpy/pandas: only once the settings are known to be valid
    # Everything before the network (data, split, scaling, windows) is checked first, without
    # importing TensorFlow, so invalid input fails fast.
    prepared = run_mod.prepare(config)

    on_epoch = None
    if args.verbose:
        def on_epoch(event: Any) -> None:
            print(f"epoch {event.epoch}/{event.epochs}  loss {event.loss:.6g}  "
                  f"val_loss {event.val_loss:.6g}  {event.elapsed:.1f} s", file=err, flush=True)

    _import_keras_quietly()
    stop = threading.Event()
    previous = _install_sigint(stop, err)
    try:
        run = run_mod.train(config, series=prepared.series, on_epoch=on_epoch, stop=stop)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)

    result = result_dict(run, args.preset)
    if args.json:
        print(json.dumps(result, allow_nan=False), file=out, flush=True)
    else:
        _summary(result, out)
        out.flush()
    if result["diverged"]:
        what = ("the loss became NaN or infinite, so the last finite weights were kept"
                if run.history.diverged else "the model's predictions became NaN or infinite")
        hint = " or scale the series (--set scaler_fit=train)" if config.scaler_fit == "none" else ""
        print(f"warning: training diverged ({run.history.epochs_run} finite epoch(s) of "
              f"{config.epochs}): {what}. Lower the learning rate (now {config.learning_rate:g}, "
              f"e.g. --set learning_rate={max(config.learning_rate / 10, 1e-6):g}){hint}.",
              file=err, flush=True)
        return EXIT_DIVERGED
    return EXIT_OK


def cmd_export_script(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .export import script

    out.write(script(make_config(args.preset, args.assignments)))
    return EXIT_OK


def _import_keras_quietly() -> None:
    """Import TensorFlow/Keras with file descriptor 2 pointed at /dev/null.

    TF 2.21 writes its oneDNN notice through absl before logging is initialised, which
    ``TF_CPP_MIN_LOG_LEVEL`` does not silence; stderr must carry only our own lines. Python
    errors raised by the import still surface: they are raised after stderr is restored.
    """
    from .model import keras_module

    if keras_module.cache_info().currsize:  # already imported in this process
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        keras_module()
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                keras_module()
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _install_sigint(stop: threading.Event, err: TextIO):
    """First Ctrl-C stops training after the current step and still reports; second one aborts."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("stopping after the current step (Ctrl-C again to abort)...", file=err, flush=True)

    try:
        return signal.signal(signal.SIGINT, handler)
    except (ValueError, OSError):
        return None


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
        print(f"error: {_one_line(error)}", file=err, flush=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted.", file=err, flush=True)
        return 130
