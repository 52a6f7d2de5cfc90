"""One BLAS thread: inside ``blas.one_thread`` and for the rest of a process after
``blas.limit_process`` (the web server's set-up), whatever OpenBLAS started with."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# numpy alone, then scipy.linalg imported after the limit: the script runs in a fresh process
SCRIPT = """
import json, numpy
from rnn_core import blas
before = blas.thread_counts()
with blas.one_thread():
    inside = blas.thread_counts()
after = blas.thread_counts()
blas.limit_process()
limited = blas.thread_counts()
import scipy.linalg  # scipy's own OpenBLAS, loaded after the limit (statsmodels' ARIMA uses it)
with blas.one_thread():
    pass
print(json.dumps([before, inside, after, limited, blas.thread_counts()]))
"""


def test_one_thread_inside_the_block_and_for_the_process_after_limit_process():
    import json

    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env={"OPENBLAS_NUM_THREADS": "2",
                                                     "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    before, inside, after, limited, last = json.loads(out.stdout)
    assert before and all(n == 2 for n in before)  # OpenBLAS started with two threads
    assert all(n == 1 for n in inside)
    assert after == before  # the count as it was
    assert all(n == 1 for n in limited)
    assert len(last) > len(limited) and all(n == 1 for n in last)  # scipy's library too
