"""Finished runs and the current setup of each browser, kept on the server for a while.

A reload or a dropped connection starts a new Streamlit session with empty session state; the
app then gets the browser's runs back from here. Everything is keyed by one random token that
the browser keeps (``new_token``: 256 random bits, unguessable), and nothing can be listed or
read without it.

One SQLite file (Python's ``sqlite3``), in WAL mode, one connection per call, so any number of
sessions, threads and server processes can use it at once. Numbers are stored as ``.npz``
(``allow_pickle=False``) and JSON, never as pickles (``store_codec``): a stored row can only
ever become arrays, numbers and strings again.

Bounded: a run is kept ``RUN_TTL_HOURS`` after it finished, a setup as long after its last
change; per browser at most ``MAX_STORED_RUNS_PER_BROWSER`` runs and
``MAX_STORED_BYTES_PER_BROWSER`` bytes, the oldest dropped first. Expired rows of every browser
are deleted on each write.

    store = RunStore("/tmp/runs.sqlite3")
    token = new_token()
    store.add_run(token, run, number=1)
    [(number, restored)] = store.runs(token)  # a Run again, without TensorFlow

Text runs (``rnn_core.text.TextRun``) have a table of their own, with the same caps counted
apart: ``add_text_run`` and ``text_runs`` (the series' ``runs`` table and its rows are as
before, so rows stored before text runs existed still load).

``RNN_EXPLORER_STORE`` is the file's path (default: ``rnn-explorer/runs.sqlite3`` in the
system's temporary directory); ``RNN_EXPLORER_STORE=off`` keeps nothing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from . import store_codec as codec
from .config import RunConfig, from_json
from .data import Series
from .errors import RnnExplorerError

log = logging.getLogger(__name__)

STORE_ENV = "RNN_EXPLORER_STORE"
OFF = "off"
RUN_TTL_HOURS = 24  # a run (and a setup) is kept this long, then deleted
MAX_STORED_RUNS_PER_BROWSER = 10  # also the number of runs a session keeps (ui.train_panel)
MAX_STORED_BYTES_PER_BROWSER = 50 * 2**20  # all of a browser's runs together; oldest dropped first
BUSY_TIMEOUT_SECONDS = 10.0  # how long a write waits for another one to finish
TOKEN_BYTES = 32
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what secrets.token_urlsafe(32) gives

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL,
    created REAL NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    history TEXT NOT NULL,
    metrics TEXT NOT NULL,
    series TEXT,
    arrays BLOB NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_token ON runs (token, created);
CREATE INDEX IF NOT EXISTS runs_by_age ON runs (created);
CREATE TABLE IF NOT EXISTS text_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL,
    created REAL NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    config TEXT NOT NULL,
    history TEXT NOT NULL,
    text TEXT NOT NULL,
    arrays BLOB NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS text_runs_by_token ON text_runs (token, created);
CREATE TABLE IF NOT EXISTS setups (
    token TEXT PRIMARY KEY,
    updated REAL NOT NULL,
    config TEXT NOT NULL,
    preset TEXT,
    series TEXT,
    arrays BLOB
);
"""


def new_token() -> str:
    """A fresh browser token: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_token(token: object) -> bool:
    """Whether ``token`` looks like one ``new_token`` made (anything else is never a key)."""
    return isinstance(token, str) and bool(_TOKEN_RE.match(token))


def default_path() -> Path:
    return Path(tempfile.gettempdir()) / "rnn-explorer" / "runs.sqlite3"


def path_from_env() -> Path | None:
    """The store's file from ``RNN_EXPLORER_STORE``; None when it is ``off``."""
    value = os.environ.get(STORE_ENV, "").strip()
    if value.lower() == OFF:
        return None
    return Path(value).expanduser() if value else default_path()


# --- the store ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """What a browser last had on screen: the settings, the preset, its uploaded table."""

    config: RunConfig
    preset: str | None
    series: Series | None


@dataclass(frozen=True)
class StoredRun:
    """A run read back: its row id (to rename or delete it), its number in the session
    that trained it, and the ``Run`` itself."""

    id: int
    number: int
    run: Any  # rnn_core.run.Run


class RunStore:
    """Runs and setups per browser token in one SQLite file; see the module docstring.

    ``clock`` (seconds, like ``time.time``) is injectable so tests can age rows.
    """

    def __init__(self, path: str | Path, *, clock: Callable[[], float] = time.time,
                 ttl_hours: float = RUN_TTL_HOURS, max_runs: int = MAX_STORED_RUNS_PER_BROWSER,
                 max_bytes: int = MAX_STORED_BYTES_PER_BROWSER):
        self.path = Path(path)
        self.clock = clock
        self.ttl_seconds = ttl_hours * 3600.0
        self.max_runs = max_runs
        self.max_bytes = max_bytes
        self._ready = False
        self._ready_lock = threading.Lock()

    # connections: one per call, closed after it (sqlite3 connections are not shared
    # between threads); the first call creates the file, its folder and the tables
    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            with self._ready_lock:
                if not self._ready:
                    self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
                    try:
                        db.execute("PRAGMA journal_mode=WAL")
                        db.executescript(_SCHEMA)
                        db.commit()
                    finally:
                        db.close()
                    try:  # other users of the machine have no business reading it
                        os.chmod(self.path, 0o600)
                    except OSError:
                        pass
                    self._ready = True
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable enough, no fsync per write
        return db

    def _write(self, work: Callable[[sqlite3.Connection, float], Any]) -> Any:
        """Run ``work(db, now)`` in one transaction, after deleting every expired row."""
        db = self._connect()
        try:
            with db:
                now = self.clock()
                db.execute("DELETE FROM runs WHERE created < ?", (now - self.ttl_seconds,))
                db.execute("DELETE FROM text_runs WHERE created < ?", (now - self.ttl_seconds,))
                db.execute("DELETE FROM setups WHERE updated < ?", (now - self.ttl_seconds,))
                return work(db, now)
        finally:
            db.close()

    def _read(self, sql: str, args: tuple) -> list[tuple]:
        db = self._connect()
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    @staticmethod
    def _check(token: str) -> None:
        if not valid_token(token):
            raise RnnExplorerError("a browser token must come from rnn_core.store.new_token().")

    # runs

    def add_run(self, token: str, run: Any, number: int) -> int | None:
        """Keep a finished run; returns its row id, or None if it alone exceeds the size cap.

        The oldest runs of this browser beyond the count or size cap are deleted.
        """
        self._check(token)
        if run.weights is None:
            raise ValueError("only a run with its weights can be stored")
        history = codec.history_json(run.history)
        metrics = json.dumps({k: float(v) for k, v in run.metrics.items()})
        arrays = {"pred_train": np.asarray(run.pred_train), "pred_test": np.asarray(run.pred_test)}
        arrays.update({f"weight_{i}": np.asarray(w) for i, w in enumerate(run.weights)})
        if run.autodiff_test is not None:
            arrays["autodiff_test"] = np.asarray(run.autodiff_test)
        arrays.update(codec.snapshot_arrays(run.snapshots))
        series_meta = None
        if run.config.dataset == "upload":  # a built-in series is rebuilt from the config
            meta, series_arrays = codec.series_parts(run.prepared.series)
            series_meta = json.dumps(meta)
            arrays.update(series_arrays)
        blob = codec.pack(arrays)
        config = run.config.to_json()
        size = len(blob) + len(history) + len(metrics) + len(config) + len(series_meta or "")
        if size > self.max_bytes:
            log.warning("run %r not stored: %d bytes, over the %d per browser", run.name, size,
                        self.max_bytes)
            return None

        def work(db: sqlite3.Connection, now: float) -> int:
            row = db.execute(
                "INSERT INTO runs (token, created, number, name, config, history, metrics, "
                "series, arrays, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (token, now, int(number), run.name, config, history, metrics, series_meta, blob,
                 size)).lastrowid
            self._trim(db, token)
            return row

        return self._write(work)

    def _trim(self, db: sqlite3.Connection, token: str, table: str = "runs") -> None:
        """Drop this browser's oldest runs (of ``table``: "runs" or "text_runs") beyond the
        count and size caps."""
        kept, total, drop = 0, 0, []
        for row_id, size in db.execute(
                f"SELECT id, size FROM {table} WHERE token = ? ORDER BY created DESC, id DESC",
                (token,)):
            if kept < self.max_runs and total + size <= self.max_bytes:
                kept, total = kept + 1, total + size
            else:
                drop.append((row_id,))
        db.executemany(f"DELETE FROM {table} WHERE id = ?", drop)

    # text runs (a table of their own: a TextRun has a vocabulary and a held-out text, no
    # series or predictions; the runs table and its rows are as they were)

    def add_text_run(self, token: str, run: Any, number: int) -> int | None:
        """Keep a finished ``TextRun``; its row id, or None if it alone exceeds the size cap.
        The oldest text runs of this browser beyond the count or size cap are deleted."""
        self._check(token)
        if run.weights is None:
            raise ValueError("only a run with its weights can be stored")
        config, history = run.config.to_json(), codec.history_json(run.history)
        text, blob = codec.text_run_parts(run)
        size = len(blob) + len(history) + len(config) + len(text.encode())
        if size > self.max_bytes:
            log.warning("text run %r not stored: %d bytes, over the %d per browser", run.name,
                        size, self.max_bytes)
            return None

        def work(db: sqlite3.Connection, now: float) -> int:
            row = db.execute(
                "INSERT INTO text_runs (token, created, number, name, config, history, text, "
                "arrays, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (token, now, int(number), run.name, config, history, text, blob, size)).lastrowid
            self._trim(db, token, "text_runs")
            return row

        return self._write(work)

    def text_runs(self, token: str) -> list[StoredRun]:
        """This browser's text runs, oldest first, as ``TextRun`` objects (no TensorFlow);
        a row that no longer reads is skipped and deleted."""
        self._check(token)
        rows = self._read(
            "SELECT id, number, name, config, history, text, arrays FROM text_runs "
            "WHERE token = ? AND created >= ? ORDER BY created, id",
            (token, self.clock() - self.ttl_seconds))
        out, bad = [], []
        for row in rows:
            try:
                out.append(StoredRun(row[0], row[1], codec.text_run_from(row)))
            except (RnnExplorerError, ValueError, KeyError, TypeError, OSError) as err:
                log.warning("stored text run %s skipped: %s", row[0], err)
                bad.append((token, row[0]))
        if bad:
            self._write(lambda db, now: db.executemany(
                "DELETE FROM text_runs WHERE token = ? AND id = ?", bad))
        return out

    def runs(self, token: str) -> list[StoredRun]:
        """This browser's runs, oldest first, rebuilt as ``Run`` objects (no TensorFlow).

        A row that no longer reads (settings renamed since it was stored) is skipped and
        deleted.
        """
        self._check(token)
        rows = self._read(
            "SELECT id, number, name, config, history, metrics, series, arrays FROM runs "
            "WHERE token = ? AND created >= ? ORDER BY created, id",
            (token, self.clock() - self.ttl_seconds))
        out, bad, cache = [], [], {}
        for row in rows:
            try:
                out.append(self._rebuild(row, cache))
            except (RnnExplorerError, ValueError, KeyError, TypeError, OSError) as err:
                log.warning("stored run %s skipped: %s", row[0], err)
                bad.append(row[0])
        if bad:
            self.delete_runs(token, bad)
        return out

    @staticmethod
    def _rebuild(row: tuple, cache: dict) -> StoredRun:
        """One row as a run. ``cache`` lets runs of the same settings on the same series share
        one ``Prepared`` (windows and scaler: immutable, and the larger part of a run)."""
        from .run import Run, prepare  # the flow module; imports no TensorFlow

        row_id, number, name, config_json, history_json, metrics_json, series_json, blob = row
        config = from_json(config_json)
        arrays = codec.unpack(blob)
        series = None
        if series_json is not None:
            # runs on the same upload share one Series (and its memory) again
            key = (series_json, arrays["series_values"].tobytes())
            if key not in cache:
                cache[key] = codec.series_from(json.loads(series_json),
                                               codec.split(arrays, "series_"))
            series = cache[key]
        key = (config_json, id(series))
        if key not in cache:
            cache[key] = prepare(config, series)
        history = codec.history_from(history_json)
        weights = [arrays[f"weight_{i}"] for i in range(len(codec.split(arrays, "weight_")))]
        run = Run(config, cache[key], history, arrays["pred_train"],
                  arrays["pred_test"], json.loads(metrics_json), weights=weights, name=name,
                  autodiff_test=arrays.get("autodiff_test"),
                  snapshots=codec.snapshots_from(arrays, len(weights), history.epochs_run))
        return StoredRun(row_id, number, run)

    def rename_run(self, token: str, row_id: int, name: str) -> None:
        self._check(token)
        self._write(lambda db, now: db.execute(
            "UPDATE runs SET name = ? WHERE token = ? AND id = ?", (name, token, row_id)))

    def delete_runs(self, token: str, row_ids: list[int]) -> None:
        self._check(token)
        self._write(lambda db, now: db.executemany(
            "DELETE FROM runs WHERE token = ? AND id = ?", [(token, i) for i in row_ids]))

    # setups

    def save_setup(self, token: str, config: RunConfig, preset: str | None,
                   series: Series | None = None, *, keep_series: bool = False) -> None:
        """Keep the browser's current settings and preset, and its uploaded series (or none).
        With ``keep_series`` the series stored before is left as it is (no need to write a
        large table again for every moved knob)."""
        self._check(token)
        series_meta, blob = None, None
        if series is not None and not keep_series:
            meta, arrays = codec.series_parts(series)
            series_meta, blob = json.dumps(meta), codec.pack(arrays)

        def work(db: sqlite3.Connection, now: float) -> None:
            if keep_series:
                db.execute(
                    "INSERT INTO setups (token, updated, config, preset) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (token) DO UPDATE SET updated = excluded.updated, "
                    "config = excluded.config, preset = excluded.preset",
                    (token, now, config.to_json(), preset))
            else:
                db.execute("INSERT OR REPLACE INTO setups VALUES (?, ?, ?, ?, ?, ?)",
                           (token, now, config.to_json(), preset, series_meta, blob))

        self._write(work)

    def setup(self, token: str) -> Setup | None:
        """The browser's last setup, or None (none kept, expired, or no longer readable)."""
        self._check(token)
        rows = self._read("SELECT config, preset, series, arrays FROM setups "
                          "WHERE token = ? AND updated >= ?",
                          (token, self.clock() - self.ttl_seconds))
        if not rows:
            return None
        config_json, preset, series_json, blob = rows[0]
        try:
            series = (codec.series_from(json.loads(series_json), codec.unpack(blob))
                      if series_json is not None else None)
            return Setup(from_json(config_json), preset, series)
        except (RnnExplorerError, ValueError, KeyError, TypeError, OSError) as err:
            log.warning("stored setup skipped: %s", err)
            return None

    def stored_bytes(self, token: str) -> int:
        """The size counted against this browser's cap."""
        self._check(token)
        return int(self._read("SELECT COALESCE(SUM(size), 0) FROM runs WHERE token = ?",
                              (token,))[0][0])


_stores: dict[Path, RunStore] = {}
_stores_lock = threading.Lock()


def from_env() -> RunStore | None:
    """The process's store at ``RNN_EXPLORER_STORE`` (one object per path), None when off."""
    path = path_from_env()
    if path is None:
        return None
    with _stores_lock:
        if path not in _stores:
            _stores[path] = RunStore(path)
        return _stores[path]
