"""What a command reads: the config of ``--preset``/``--set``, and the table of ``--csv``/``--url``.

Both are checked before anything is trained; a table is read exactly as the app's upload reads
it (``tables``), so the CLI and the page refuse the same files with the same words.

>>> make_config("t2-sine", ["epochs=3"]).epochs
3
"""

from __future__ import annotations

import argparse
import os
import urllib.parse
from typing import Any, Sequence

from .cli_options import CliError, has_table, read_file
from .config import RunConfig, parse_assignments
from .presets import preset as preset_config

# Seconds ``--url`` waits for each network step (``fetch.fetch_url``'s ``timeout``).
URL_TIMEOUT = 10.0


def load_table(args: argparse.Namespace, features: tuple[str, ...]) -> tuple[Any, dict[str, Any]]:
    """The ``Series`` of ``--csv``/``--url`` (with its features attached) and the JSON
    ``source`` block, exactly as the app's upload builds them (``tables``)."""
    from . import fetch, tables

    # --date-format is checked before anything is read or downloaded
    date_format = tables.check_date_format(getattr(args, "date_format", None))
    if getattr(args, "date_format", None) is not None and args.date is None:
        raise CliError("--date-format needs --date COL: name the date column it applies to.")
    limit = tables.MAX_UPLOAD_BYTES
    if args.csv is not None:
        data = read_file(args.csv, limit)
        name = os.path.basename(args.csv) or args.csv
        origin: dict[str, Any] = {"csv": args.csv}
    else:
        data = fetch.fetch_url(args.url, timeout=URL_TIMEOUT, max_bytes=limit,
                               allow_private=not getattr(args, "public_links_only", False))
        name = urllib.parse.urlsplit(args.url.strip()).path.rsplit("/", 1)[-1] or args.url
        origin = {"url": args.url}
    frame = tables.read_table(data, name, max_bytes=limit)
    tables.inspect(frame)  # as the app does: refuses a table without any column of numbers
    series, loaded = tables.to_series(frame, args.target, args.date, features,
                                      args.missing or "stop", date_format)
    source = origin | {
        "target": loaded.target, "date": loaded.date, "features": list(loaded.features),
        "missing": loaded.missing_policy, "rows_read": int(loaded.rows_read),
        "rows_used": int(loaded.rows_used), "notes": list(loaded.notes),
    }
    return series, source


def make_config(preset_name: str | None, assignments: Sequence[str]) -> RunConfig:
    """The config ``train`` runs: a preset (or the defaults) with the assignments applied."""
    base = preset_config(preset_name) if preset_name is not None else RunConfig()
    changes = parse_assignments(assignments)
    return base.replace(**changes) if changes else base


def config_and_series(args: argparse.Namespace, features: tuple[str, ...]
                       ) -> tuple[RunConfig, Any, dict[str, Any] | None]:
    """The config (dataset=upload with a table), the table's series (None for a built-in
    one) and the JSON ``source`` block (None for a built-in one)."""
    config = make_config(args.preset, args.assignments)
    if not has_table(args):
        return config, None, None
    config = config.replace(dataset="upload")
    series, source = load_table(args, features)
    return config, series, source
