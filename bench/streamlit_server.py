"""What the benchmark scripts (and the browser tests) share: a ``streamlit run`` on a free localhost port, and the
resident memory of a process and its children.

    server, url = start()          # the app, once its health check answers
    ...
    stop(server)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"


def start(script: Path = APP, timeout: float = 60.0, **env: str) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` on a free port with ``env`` added; returns it and its URL once
    its health check answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # a file for the server's stderr (the browser tests show its end when a test fails)
    log = env.get("RNN_EXPLORER_SERVER_LOG") or os.environ.get("RNN_EXPLORER_SERVER_LOG")
    err = open(log, "ab") if log else subprocess.DEVNULL
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=script.parent, stdout=subprocess.DEVNULL, stderr=err,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **env))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return server, url
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"streamlit run {script} exited") from None
            time.sleep(0.1)
    stop(server)
    raise SystemExit(f"streamlit run {script} did not answer within {timeout:.0f} s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except FileNotFoundError:
        return 0.0


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]
