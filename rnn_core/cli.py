"""Headless entry point: ``python -m rnn_core SUBCOMMAND ...``.

The command line is a stable contract, for scripts and CI::

    python -m rnn_core train [--preset NAME] [--set KEY=VALUE ...] [--arima-order P,D,Q]
                             [--season N] [TABLE] [--json] [--verbose]
    python -m rnn_core forecast [--preset NAME] [--set KEY=VALUE ...] --steps N [TABLE]
                                [--json] [--verbose]
    python -m rnn_core presets [--json]
    python -m rnn_core fields [--json]
    python -m rnn_core export-script [--preset NAME] [--set KEY=VALUE ...]

``train`` starts from the defaults (``RunConfig()``) or from ``--preset NAME``, applies every
``--set KEY=VALUE`` (KEY is any config field, see ``fields``), trains once and prints a short
summary, then the model and the baselines of ``baselines.py`` on the same test targets (model
first). With ``--json`` the LAST line of stdout is one JSON object: ``preset``, window counts,
``params``, ``epochs_run``, ``fit_seconds``, every metric of ``Run.metrics`` (scaled and
original units, persistence baseline), every baseline's ``<name>_test_rmse_original``
(``persistence``, ``seasonal_naive``, ``mean``, ``arima``; null when it cannot be computed),
the model's ``test_mase`` and ``test_mape_original`` (null where undefined), the ``season`` and
``arima_order`` the baselines used, ``stopped``, ``diverged``, ``verdict`` and the full
``config``. Non-finite numbers are written as ``null`` so the line is strict JSON.
``--arima-order`` is the ARIMA baseline's (p, d, q), default 2,0,1; ``--season`` the seasonal
naive's season, default the series' own. An ARIMA that cannot be fitted does not fail the
command: its RMSE is null and one ``note:`` line on stderr says why.
``--verbose`` prints one progress line per epoch on stderr; stdout never carries progress.

TABLE is your own data instead of a built-in series, read and checked exactly like the app's
upload (``tables.read_table``, ``tables.to_series``)::

    (--csv PATH | --url URL [--public-links-only]) --target COL [--date COL] [--features A,B]
                             [--missing stop|interpolate|drop] [--date-format FORMAT]

``--csv`` reads a CSV/TSV file (a regular file: a FIFO or device is refused), ``--url`` an
http(s) link (``fetch.fetch_url``, waiting at most ``URL_TIMEOUT`` seconds for each network
step; addresses of this machine and private networks are allowed unless
``--public-links-only``), both at most ``tables.MAX_UPLOAD_BYTES``.
The run uses ``dataset=upload`` (another ``--set dataset=`` is refused); ``--target`` names
the column to forecast, ``--date`` the column the rows are sorted by, ``--features`` extra
input columns (``train`` only: a forecast would need their future values) and ``--missing``
what to do with empty cells (default stop: refuse them); ``--date-format`` is the order of
day, month and year (``tables.DATE_FORMATS``; auto refuses dates it cannot decide, such as
01/02/2001). The JSON then has a ``source``
object: ``csv`` or ``url``, ``target``, ``date``, ``features``, ``missing``, ``rows_read``,
``rows_used`` and ``notes`` (what was done to the data: sorted, filled, dropped, gaps); it is
null for a built-in series.

``forecast`` trains like ``train`` (no baselines), then forecasts the ``--steps N`` values after
the end of the series recursively (``forecast.recursive``: each prediction is fed back as the
newest input). It prints them with their labels (``forecast.future_index``: the next dates, or
the next integer positions). With ``--json`` the last line of stdout is one JSON object:
``preset``, ``source``, ``steps`` (N), ``next_value`` (= ``forecast[0]``), ``forecast`` (N floats),
``index`` (N labels as strings), ``test_rmse_original``, then the other keys of ``train --json``
except the baselines, the window length being ``input_steps``. N is a whole number from 1 to
``forecast.MAX_FORECAST_STEPS`` (500), checked before anything is trained.

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

Only ``train`` and ``forecast`` import TensorFlow; ``presets`` and ``fields`` answer at once.

>>> build_parser().parse_args(["train", "--preset", "t2-sine", "--set", "epochs=1"]).assignments
['epochs=1']
>>> parse_arima_order("1, 0,2"), parse_season("12"), parse_season(None)
((1, 0, 2), 12, None)
>>> parse_features(" temp, rain,temp")
('temp', 'rain')
"""

from __future__ import annotations

import os

# TensorFlow reads this when it is first imported: keep its C++ start-up logs off stderr.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import urllib.parse  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Sequence, TextIO  # noqa: E402

from .config import FIELDS, RunConfig, parse_assignments  # noqa: E402
from .cost import check_prepared as check_cost  # noqa: E402
from .errors import QUOTE_LIMIT, RnnExplorerError, quote  # noqa: E402
from .presets import DESCRIPTIONS, PRESETS, preset as preset_config  # noqa: E402

# Kept in step with baselines.DEFAULT_ARIMA_ORDER / MAX_ARIMA_* and forecast.MAX_FORECAST_STEPS
# (imported lazily: they pull in numpy and pandas, which ``presets`` and ``fields`` do without).
DEFAULT_ARIMA_ORDER_TEXT = "2,0,1"
# Kept in step with tables.MISSING_POLICIES (tables imports pandas).
MISSING_POLICIES = ("stop", "interpolate", "drop")
# Seconds ``--url`` waits for each network step (``tables.fetch_url``'s ``timeout``).
URL_TIMEOUT = 10.0

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DIVERGED = 3

PROG = "python -m rnn_core"


class CliError(Exception):
    """An input problem found by the CLI itself; reported like ``RnnExplorerError``."""


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
        self.exit(EXIT_USAGE, f"error: {_one_line(message)} (see: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
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

    train = sub.add_parser(
        "train", help="train one configuration and print its metrics",
        description="Train one configuration: the defaults, or a preset, changed by --set.",
        epilog="Exit status: 0 trained, 2 invalid input (or a training longer than the time "
               "limit), 3 training diverged (loss became NaN or exploded); "
               "with --json the last stdout line is the JSON result even on exit 3.",
    )
    train.add_argument("--preset", metavar="NAME",
                       help="start from a named preset (see the 'presets' command); "
                            "default: the app's defaults")
    train.add_argument("--set", dest="assignments", action="append", default=[],
                       metavar="KEY=VALUE",
                       help="change one setting, e.g. --set units=16 (repeatable; KEY is any "
                            "field listed by the 'fields' command)")
    train.add_argument("--arima-order", metavar="P,D,Q", default=None,
                       help="order of the ARIMA baseline: three whole numbers, p 0-5, d 0-2, "
                            f"q 0-5 (default {DEFAULT_ARIMA_ORDER_TEXT})")
    train.add_argument("--season", metavar="N", default=None,
                       help="season of the seasonal naive baseline, a whole number of 1 or more "
                            "(default: the series' own, e.g. 12 for monthly data)")
    _add_data_options(train)
    _add_run_options(train)
    train.set_defaults(handler=cmd_train)

    fc = sub.add_parser(
        "forecast", help="train one configuration, then forecast the values after the series",
        description="Train one configuration (like 'train'), then forecast the N values after "
                    "the end of the series recursively: each prediction is fed back as the "
                    "newest input, so errors compound with every step.",
        epilog="Exit status: 0 forecast, 2 invalid input (e.g. --steps outside 1-500), "
               "3 training or the forecast diverged (NaN); with --json the last stdout line is "
               "the JSON result even on exit 3.",
    )
    fc.add_argument("--preset", metavar="NAME",
                    help="start from a named preset (see the 'presets' command); "
                         "default: the app's defaults")
    fc.add_argument("--set", dest="assignments", action="append", default=[],
                    metavar="KEY=VALUE",
                    help="change one setting, e.g. --set epochs=5 (repeatable)")
    fc.add_argument("--steps", required=True, metavar="N",
                    help="how many values to forecast after the end of the series: a whole "
                         "number from 1 to 500")
    _add_data_options(fc, features=False)
    _add_run_options(fc)
    fc.set_defaults(handler=cmd_forecast)

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


def _add_data_options(parser: argparse.ArgumentParser, features: bool = True) -> None:
    """``--csv PATH`` | ``--url URL`` with ``--target``, ``--date``, ``--features``, ``--missing``.

    ``forecast`` gets ``--features`` too, only to refuse it with a clear message.
    """
    group = parser.add_argument_group(
        "your own table (instead of a built-in series; sets dataset=upload)")
    source = group.add_mutually_exclusive_group()
    source.add_argument("--csv", metavar="PATH",
                        help="read the series from a CSV/TSV file (UTF-8; comma, semicolon or tab)")
    source.add_argument("--url", metavar="URL",
                        help="read the series from an http(s) link to a CSV file")
    group.add_argument("--public-links-only", action="store_true",
                       help="refuse --url links to this machine or its networks (localhost, "
                            "private, link-local addresses), as the web app does for its "
                            "visitors. Without it they are allowed: you run the CLI yourself, "
                            "so a link to your own server is yours to make")
    group.add_argument("--target", metavar="COL",
                       help="the column to forecast (required with --csv/--url)")
    group.add_argument("--date", metavar="COL",
                       help="the date column (rows are sorted by it); default: row numbers")
    group.add_argument("--features", metavar="A,B",
                       help="extra input columns, separated by commas"
                            + ("" if features else " (not supported by forecast)"))
    group.add_argument("--missing", choices=MISSING_POLICIES, default=None,
                       help="empty cells: stop (refuse, the default), interpolate, or drop "
                            "their rows")
    group.add_argument("--date-format", metavar="FORMAT", default=None,
                       help="the order of day, month and year in --date: auto (the default: "
                            "refuses dates such as 01/02/2001 that could be read two ways), "
                            "YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, YY-MM-DD, DD/MM/YY or MM/DD/YY "
                            "(any of / . - between the numbers)")


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print the result as one JSON object on the last line of stdout")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="print per-epoch progress on stderr")


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


def parse_arima_order(text: str | None) -> tuple[int, int, int]:
    """``--arima-order P,D,Q`` as (p, d, q); None gives the default (2, 0, 1).

    Raises ``CliError`` unless it is three whole numbers within the bounds of ``baselines``.
    """
    from .baselines import DEFAULT_ARIMA_ORDER, MAX_ARIMA_D, MAX_ARIMA_P, MAX_ARIMA_Q

    if text is None:
        return DEFAULT_ARIMA_ORDER
    parts = [part.strip() for part in str(text).split(",")]
    bounds = (MAX_ARIMA_P, MAX_ARIMA_D, MAX_ARIMA_Q)
    if len(parts) == 3 and all(part.isdecimal() for part in parts):
        order = tuple(int(part) for part in parts)
        if all(v <= hi for v, hi in zip(order, bounds)):
            return order  # type: ignore[return-value]
    raise CliError(f"--arima-order {quote(text)} is not valid: use three whole numbers P,D,Q "
                   f"separated by commas, with P from 0 to {MAX_ARIMA_P}, D from 0 to "
                   f"{MAX_ARIMA_D} and Q from 0 to {MAX_ARIMA_Q} (default "
                   f"{DEFAULT_ARIMA_ORDER_TEXT}).")


def parse_season(text: str | None) -> int | None:
    """``--season N`` as an int of 1 or more; None (not given) means the series' own season."""
    if text is None:
        return None
    value = str(text).strip()
    if value.isdecimal() and int(value) >= 1:
        return int(value)
    raise CliError(f"--season {quote(text)} is not valid: use a whole number of values of 1 or more "
                   "(12 for monthly data), or leave it out to use the series' own season.")


def parse_steps(text: Any) -> int:
    """``--steps N`` as an int from 1 to ``forecast.MAX_FORECAST_STEPS``, else the error of
    ``forecast.check_steps`` (an ``RnnExplorerError``)."""
    from .forecast import check_steps

    value: Any = text
    if isinstance(text, str):
        try:
            value = int(text.strip())
        except ValueError:
            try:
                value = float(text.strip())
            except ValueError:
                value = text
    return check_steps(value)


def parse_features(text: str | None) -> tuple[str, ...]:
    """``--features A,B`` as column names (spaces around names dropped, repeats kept once)."""
    if text is None:
        return ()
    names = tuple(dict.fromkeys(part.strip() for part in str(text).split(",") if part.strip()))
    if not names:
        raise CliError(f"--features {quote(text)} names no column: give column names separated by "
                       "commas, e.g. --features temp,humidity.")
    return names


def _has_table(args: argparse.Namespace) -> bool:
    return getattr(args, "csv", None) is not None or getattr(args, "url", None) is not None


def check_data_options(args: argparse.Namespace, command: str = "train") -> tuple[str, ...]:
    """The table options hang together; returns the ``--features`` names. Reads nothing.

    Raises ``CliError``: ``--target`` missing with ``--csv``/``--url``; ``--target``, ``--date``,
    ``--features`` or ``--missing`` without them; ``--features`` with ``forecast``; a ``--set
    dataset=`` other than upload with a table; ``--set dataset=upload`` without one.
    """
    dataset = parse_assignments(args.assignments).get("dataset")  # bad --set: raises here
    if not _has_table(args):
        for option in ("target", "date", "features", "missing", "date_format"):
            if getattr(args, option, None) is not None:
                option = option.replace("_", "-")
                raise CliError(f"--{option} needs a table: add --csv PATH or --url URL (without "
                               "them the run uses a built-in series).")
        if dataset == "upload":
            raise CliError("dataset=upload needs a table: add --csv PATH or --url URL (with "
                           "--target COL), or choose a built-in series.")
        return ()
    option = "--csv" if args.csv is not None else "--url"
    if args.target is None or not args.target.strip():
        raise CliError(f"--target COL is required with {option}: name the column to forecast.")
    if dataset is not None and dataset != "upload":
        raise CliError(f"--set dataset={dataset} contradicts {option}: a table sets "
                       "dataset=upload; drop one of the two.")
    features = parse_features(args.features)
    if features and command == "forecast":
        raise CliError("forecast cannot use --features: forecasting beyond the series would need "
                       "future values of the feature columns, which the table does not have. "
                       "Drop --features (a forecast of the target alone), or use train.")
    return features


def _read_file(path: str, limit: int) -> bytes:
    """The bytes of ``--csv PATH``, refusing a missing, unreadable or too large file."""
    from .tables import _mb

    if not path.strip():
        raise CliError("--csv needs the path of a file, e.g. --csv data/sales.csv.")
    try:
        file = Path(path)
        if not file.exists():
            raise CliError(f"--csv: the file {quote(path)} does not exist (relative paths start "
                           f"from {os.getcwd()}).")
        if file.is_dir():
            raise CliError(f"--csv: {quote(path)} is a directory, not a file.")
        _refuse_special(path, file.stat().st_mode)
        size = file.stat().st_size
        if size > limit:
            raise CliError(f"--csv: the file {quote(path)} is {_mb(size)}, more than the limit of "
                           f"{_mb(limit)}: use a shorter extract (fewer rows or only the columns "
                           "you need).")
        # O_NONBLOCK: had the path become a FIFO since the check, open() would wait for a
        # writer; so open without waiting and check again what was opened
        with open(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            _refuse_special(path, os.fstat(handle.fileno()).st_mode)
            return handle.read(limit + 1)  # read_table refuses it if it grew meanwhile
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CliError(f"--csv: the file {quote(path)} cannot be read ({reason}).") from None


def _refuse_special(path: str, mode: int) -> None:
    """``--csv`` reads regular files only: opening a FIFO waits for a writer forever, and a
    device (``/dev/zero``) may never end."""
    import stat

    from .errors import quote

    if stat.S_ISREG(mode):
        return
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a directory" if stat.S_ISDIR(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a special file")
    raise CliError(f"--csv: {quote(path)} is {kind}, not a regular file: save the table to a "
                   "file and give its path.")


def load_table(args: argparse.Namespace, features: tuple[str, ...]) -> tuple[Any, dict[str, Any]]:
    """The ``Series`` of ``--csv``/``--url`` (with its features attached) and the JSON
    ``source`` block, exactly as the app's upload builds them (``tables``)."""
    from . import tables

    # --date-format is checked before anything is read or downloaded
    date_format = tables.check_date_format(getattr(args, "date_format", None))
    if getattr(args, "date_format", None) is not None and args.date is None:
        raise CliError("--date-format needs --date COL: name the date column it applies to.")
    limit = tables.MAX_UPLOAD_BYTES
    if args.csv is not None:
        data = _read_file(args.csv, limit)
        name = os.path.basename(args.csv) or args.csv
        origin: dict[str, Any] = {"csv": args.csv}
    else:
        data = tables.fetch_url(args.url, timeout=URL_TIMEOUT, max_bytes=limit,
                                allow_private=not getattr(args, "public_links_only", False))
        name = urllib.parse.urlsplit(args.url.strip()).path.rsplit("/", 1)[-1] or args.url
        origin = {"url": args.url}
    frame = tables.read_table(data, name, max_bytes=limit)
    tables.inspect(frame)  # as the app does: refuses a table without any column of numbers
    series, feats, report = tables.to_series(frame, args.target, args.date, features,
                                             args.missing or "stop", date_format)
    if feats is not None:
        series = dataclasses.replace(series, features=feats, feature_names=tuple(features))
    source = origin | {
        "target": report.target, "date": report.date, "features": list(report.features),
        "missing": report.missing_policy, "rows_read": int(report.rows_read),
        "rows_used": int(report.rows_used), "notes": list(report.notes),
    }
    return series, source


def index_labels(index: Any) -> list[str]:
    """Index labels as strings: dates as 2000-01-01 (with the time of day when there is one),
    anything else with ``str``."""
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex) and len(index):
        if (index == index.normalize()).all():
            return index.strftime("%Y-%m-%d").tolist()
        if (index.second == 0).all() and (index.microsecond == 0).all():
            return index.strftime("%Y-%m-%d %H:%M").tolist()
    return [str(label) for label in index]


def make_config(preset_name: str | None, assignments: Sequence[str]) -> RunConfig:
    """The config ``train`` runs: a preset (or the defaults) with the assignments applied."""
    base = preset_config(preset_name) if preset_name is not None else RunConfig()
    changes = parse_assignments(assignments)
    return base.replace(**changes) if changes else base


def diverged(run: Any) -> bool:
    """Training blew up (``divergence.run_diverged``, the rule the app's queue uses too)."""
    from .divergence import run_diverged

    return run_diverged(run.history, run.metrics)


def result_dict(run: Any, preset_name: str | None,
                extra_metrics: dict[str, Any] | None = None,
                source: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON contract of ``train --json`` for a finished ``Run``.

    ``source`` describes a ``--csv``/``--url`` table (null for a built-in series).

    ``extra_metrics`` (the baselines' and the model's further test metrics) are added after
    ``Run.metrics``; a key ``Run.metrics`` already has keeps the value of ``Run.metrics``.
    """
    from .model import layer_table

    w, history = run.windows, run.history
    out: dict[str, Any] = {
        "preset": preset_name,
        "source": source,
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
    for key, value in (extra_metrics or {}).items():
        out.setdefault(key, _finite_or_none(value))
    out["final_loss"] = _finite_or_none(history.loss[-1]) if history.loss else None
    out["final_val_loss"] = _finite_or_none(history.val_loss[-1]) if history.val_loss else None
    from .run import verdict

    out["verdict"] = verdict(run.metrics, run.windows.horizon)
    out["config"] = {key: _finite_or_none(value) for key, value in run.config.to_dict().items()}
    return out


def _summary(result: dict[str, Any], out: TextIO,
             comparison: tuple[list[dict[str, Any]], list[str]] | None = None) -> None:
    cfg = result["config"]
    name = result["preset"] or "defaults"
    print(f"Run: {name} — {cfg['cell']} x{cfg['layers']} ({cfg['units']} units) on "
          f"{cfg['dataset']}, T={cfg['time_steps']}, stride {cfg['stride']}, layout {cfg['layout']}",
          file=out)
    source = result.get("source")
    if source:
        where = source.get("csv", source.get("url"))
        extra = (f", date {source['date']!r}" if source["date"] else "") + (
            ", features " + ", ".join(repr(f) for f in source["features"]) if source["features"] else "")
        print(f"Data: {where}: target {source['target']!r}{extra}; {source['rows_used']:,} of "
              f"{source['rows_read']:,} rows used (missing: {source['missing']})", file=out)
        for note in source.get("notes", ()):
            print(f"  {_one_line(note)}", file=out)
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
    if comparison is not None:
        _comparison_table(*comparison, n_test=result["n_test_windows"], out=out)
    print(result["verdict"], file=out)


def _comparison_table(rows: list[dict[str, Any]], notes: list[str], n_test: int,
                      out: TextIO) -> None:
    """The model and every baseline on the same test targets, model first (``baselines.table``)."""
    def cell(value: Any) -> str:
        value = _finite_or_none(value)
        return "n/a" if value is None else f"{value:.4g}"

    print(f"Test part vs baselines (original units, {n_test:,} targets):", file=out)
    width = max(len("Forecaster"), *(len(row["label"]) for row in rows))
    print(f"{'Forecaster':<{width}}  {'RMSE':>10}  {'MAE':>10}  {'MAPE %':>10}  {'MASE':>10}",
          file=out)
    for row in rows:
        print(f"{row['label']:<{width}}  {cell(row['RMSE']):>10}  {cell(row['MAE']):>10}  "
              f"{cell(row['MAPE']):>10}  {cell(row['MASE']):>10}", file=out)
    for note in notes:
        print(f"Note: {_one_line(note)}", file=out)


# --------------------------------------------------------------------------- commands


def _fit(config: RunConfig, prepared: Any, verbose: bool, err: TextIO) -> Any:
    """Train ``config`` on the already prepared series; Ctrl-C stops after the current step."""
    from . import run as run_mod

    on_epoch = None
    if verbose:
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
    return run


def _warn_diverged(run: Any, config: RunConfig, err: TextIO) -> None:
    from .divergence import message

    print(f"warning: {_one_line(message(config, run.history, cli=True))}", file=err, flush=True)


def compare_baselines(run: Any, season: int | None = None,
                      arima_order: tuple[int, int, int] | None = None
                      ) -> tuple[dict[str, Any], list[dict[str, Any]], list[str], list[str]]:
    """The baselines of a finished run: (JSON metrics, table rows, notes, errors).

    The JSON metrics are every ``<baseline>_test_rmse_original``, the model's ``test_mase`` and
    ``test_mape_original``; the rows are ``baselines.table`` (model first); the notes say why a
    number is missing or shaky; the errors are the ARIMA baseline's failure, if any (the CLI
    prints them on stderr: a failed ARIMA does not fail the command).
    """
    from . import baselines, metrics

    prepared = run.prepared
    order = baselines.DEFAULT_ARIMA_ORDER if arima_order is None else arima_order
    computed = baselines.compute(prepared, season=season, arima_order=order)
    model_pred = run.original(run.pred_test)
    actual = baselines.targets_original(prepared)
    extra: dict[str, Any] = baselines.baseline_metrics_for_json(prepared, model_pred, computed)
    extra["test_mape_original"] = metrics.mape(actual, model_pred)
    used_season = prepared.series.season if season is None else season
    extra["season"] = used_season
    extra["arima_order"] = list(order)
    rows = baselines.table(prepared, model_pred, computed)
    notes: list[str] = []
    errors: list[str] = []
    for b in computed.values():
        if b.error:
            notes.append(f"{b.label}: {b.error}")
            if b.name == "arima":
                errors.append(f"{b.error} arima_test_rmse_original is null.")
        elif b.note:
            notes.append(f"{b.label}: {b.note}")
    train_part = prepared.series.values[:prepared.split_at]
    notes += [n for n in (metrics.mape_note(actual), metrics.mase_note(train_part, 1)) if n]
    return extra, rows, notes, errors


def _config_and_series(args: argparse.Namespace, features: tuple[str, ...]
                       ) -> tuple[RunConfig, Any, dict[str, Any] | None]:
    """The config (dataset=upload with a table), the table's series (None for a built-in
    one) and the JSON ``source`` block (None for a built-in one)."""
    config = make_config(args.preset, args.assignments)
    if not _has_table(args):
        return config, None, None
    config = config.replace(dataset="upload")
    series, source = load_table(args, features)
    return config, series, source


def cmd_train(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    arima_order = parse_arima_order(args.arima_order)
    season = parse_season(args.season)
    features = check_data_options(args, "train")
    config, series, source = _config_and_series(args, features)
    from . import run as run_mod  # numpy/pandas: only once the settings are known to be valid
    # Everything before the network (data, split, scaling, windows) is checked first, without
    # importing TensorFlow, so invalid input fails fast.
    prepared = run_mod.prepare(config, series)
    check_cost(prepared, cli=True)  # a training that cannot finish is refused (exit 2)
    run = _fit(config, prepared, args.verbose, err)

    extra, rows, notes, errors = compare_baselines(run, season, arima_order)
    for message in errors:
        print(f"note: {_one_line(message)}", file=err, flush=True)
    result = result_dict(run, args.preset, extra, source)
    if args.json:
        print(json.dumps(result, allow_nan=False), file=out, flush=True)
    else:
        _summary(result, out, (rows, notes))
        out.flush()
    if result["diverged"]:
        _warn_diverged(run, config, err)
        return EXIT_DIVERGED
    return EXIT_OK


def cmd_forecast(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    steps = parse_steps(args.steps)  # before anything is loaded or trained
    features = check_data_options(args, "forecast")
    config, series, source = _config_and_series(args, features)
    from . import forecast
    from . import run as run_mod

    prepared = run_mod.prepare(config, series)
    forecast._check(None, prepared)  # a single series only (no model yet: shapes only)
    check_cost(prepared, cli=True)  # a training that cannot finish is refused (exit 2)
    run = _fit(config, prepared, args.verbose, err)

    base = result_dict(run, args.preset, source=source)
    labels = index_labels(forecast.future_index(prepared.series.index, steps))
    values: list[float] | None = None
    problem = None
    if not base["diverged"]:
        try:
            values = [float(v) for v in forecast.recursive(run.model, prepared, steps)]
        except RnnExplorerError as error:  # the fed-back forecast became NaN or infinite
            problem = str(error)
    result: dict[str, Any] = {
        "preset": args.preset,
        "source": base["source"],
        "steps": steps,
        "next_value": values[0] if values else None,
        "forecast": values,
        "index": labels,
        "test_rmse_original": base["test_rmse_original"],
        "input_steps": base.pop("steps"),
    }
    for key, value in base.items():
        result.setdefault(key, value)

    if args.json:
        print(json.dumps(result, allow_nan=False), file=out, flush=True)
    else:
        _summary(base | {"steps": result["input_steps"]}, out)
        if values is not None:
            width = max(len(label) for label in labels)
            print(f"Forecast: {steps} value(s) after the end of the series "
                  f"({labels[0]} to {labels[-1]}), " + (
                      "each fed back as the newest input:" if config.horizon == 1 else
                      f"{config.horizon} per window, fed back as the newest inputs:"), file=out)
            for label, value in zip(labels, values):
                print(f"{label:<{width}}  {value:.6g}", file=out)
        out.flush()
    if base["diverged"]:
        _warn_diverged(run, config, err)
        print("warning: no forecast: a diverged model's forecast means nothing; train again "
              "with a lower learning rate.", file=err, flush=True)
        return EXIT_DIVERGED
    if problem is not None:
        print(f"warning: no forecast: {_one_line(problem)}", file=err, flush=True)
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
