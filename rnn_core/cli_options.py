"""The command line's option values, checked before anything is read or trained.

Each function turns one option's text into a value or raises ``CliError`` with a one-line
message naming the option (``cli.main`` prints it and exits 2); ``read_file`` reads the bytes
of ``--csv PATH`` safely.

>>> parse_arima_order("1, 0,2"), parse_season("12"), parse_season(None)
((1, 0, 2), 12, None)
>>> parse_features(" temp, rain,temp")
('temp', 'rain')
>>> parse_forecast_steps(" 24 ")
24
"""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path
from typing import Any

from .config import parse_assignments
from .errors import quote
from .tables import MISSING_POLICIES  # tables loads pandas only when reading

# Kept in step with baselines.DEFAULT_ARIMA_ORDER (imported lazily: baselines pulls in numpy,
# which ``presets`` and ``fields`` do without).
DEFAULT_ARIMA_ORDER_TEXT = "2,0,1"


class CliError(Exception):
    """An input problem found by the CLI itself; reported like ``RnnExplorerError``."""


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


def parse_forecast_steps(text: Any) -> int:
    """``forecast --steps N`` (the values forecast after the series) as an int from 1 to ``forecast.MAX_FORECAST_STEPS``, else the error of
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


def has_table(args: argparse.Namespace) -> bool:
    return getattr(args, "csv", None) is not None or getattr(args, "url", None) is not None


def check_data_options(args: argparse.Namespace, command: str = "train") -> tuple[str, ...]:
    """The table options hang together; returns the ``--features`` names. Reads nothing.

    Raises ``CliError``: ``--target`` missing with ``--csv``/``--url``; ``--target``, ``--date``,
    ``--features`` or ``--missing`` without them; ``--features`` with ``forecast``; a ``--set
    dataset=`` other than upload with a table; ``--set dataset=upload`` without one.
    """
    dataset = parse_assignments(args.assignments).get("dataset")  # bad --set: raises here
    if not has_table(args):
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


def read_file(path: str, limit: int) -> bytes:
    """The bytes of ``--csv PATH``, refusing a missing, unreadable or too large file."""
    from .tables import size_text as _mb

    if not path.strip():
        raise CliError("--csv needs the path of a file, e.g. --csv data/sales.csv.")
    try:
        file = Path(path)
        if not file.exists():
            raise CliError(f"--csv: the file {quote(path)} does not exist (relative paths start "
                           f"from {os.getcwd()}).")
        if file.is_dir():
            raise CliError(f"--csv: {quote(path)} is a directory, not a file.")
        refuse_special(path, file.stat().st_mode)
        size = file.stat().st_size
        if size > limit:
            raise CliError(f"--csv: the file {quote(path)} is {_mb(size)}, more than the limit of "
                           f"{_mb(limit)}: use a shorter extract (fewer rows or only the columns "
                           "you need).")
        # O_NONBLOCK: had the path become a FIFO since the check, open() would wait for a
        # writer; so open without waiting and check again what was opened
        with open(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            refuse_special(path, os.fstat(handle.fileno()).st_mode)
            return handle.read(limit + 1)  # read_table refuses it if it grew meanwhile
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CliError(f"--csv: the file {quote(path)} cannot be read ({reason}).") from None


def refuse_special(path: str, mode: int) -> None:
    """``--csv`` reads regular files only: opening a FIFO waits for a writer forever, and a
    device (``/dev/zero``) may never end."""
    if stat.S_ISREG(mode):
        return
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a directory" if stat.S_ISDIR(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a special file")
    raise CliError(f"--csv: {quote(path)} is {kind}, not a regular file: save the table to a "
                   "file and give its path.")


# --------------------------------------------------------------------------- declared


def add_config_options(parser: argparse.ArgumentParser, set_help: str,
                        preset_help: str = "start from a named preset (see the 'presets' "
                                           "command); default: the app's defaults") -> None:
    """``--preset NAME`` and the repeatable ``--set KEY=VALUE`` (``make_config``)."""
    parser.add_argument("--preset", metavar="NAME", help=preset_help)
    parser.add_argument("--set", dest="assignments", action="append", default=[],
                        metavar="KEY=VALUE", help=set_help)


def add_data_options(parser: argparse.ArgumentParser, features: bool = True) -> None:
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


def add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print the result as one JSON object on the last line of stdout")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="print per-epoch progress on stderr")
