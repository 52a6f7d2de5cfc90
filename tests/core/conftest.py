"""Fixtures of the rnn_core tests: Hypothesis kept quick and file-free, shared prepared presets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[2]

# No example database (nothing written to the tree), no deadline (first calls import numpy paths).
settings.register_profile(
    "rnn_core", database=None, deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("rnn_core")


@pytest.fixture(scope="session")
def t1_prepared():
    from rnn_core.presets import preset
    from rnn_core.run import prepare

    return prepare(preset("t1-sunspots"))


@pytest.fixture(scope="session")
def t2_prepared():
    from rnn_core.presets import preset
    from rnn_core.run import prepare

    return prepare(preset("t2-sine"))


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """``python -m rnn_core ARGS`` in a fresh interpreter, from the project root."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("RNN_EXPLORER_TF_THREADS", "1")
    return subprocess.run([sys.executable, "-m", "rnn_core", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def cli_main(*argv: str) -> tuple[int, str, str]:
    """``python -m rnn_core ARGV`` in this process: exit code, stdout, stderr. Cheaper than
    ``run_cli`` (no second TensorFlow import); keep ``run_cli`` for what only a fresh
    interpreter shows (the entry point, a usage error's output, imports)."""
    import io

    from rnn_core import cli as cli_module

    out, err = io.StringIO(), io.StringIO()
    code = cli_module.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli():
    return run_cli
