"""What scikit-learn costs the web server: time and resident memory of importing the parts
``rnn_core.scaling`` and ``rnn_core.metrics`` use, in a process that already holds what a
server has loaded before its first Data page.

    PYTHONPATH=. .venv/bin/python bench/sklearn_import.py              # SciPy not loaded yet
    PYTHONPATH=. .venv/bin/python bench/sklearn_import.py --statsmodels  # after the ARIMA baseline

Run it a few times: each run is a fresh interpreter, which is what a restarted server is.
"""

from __future__ import annotations

import argparse
import os
import time


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statsmodels", action="store_true",
                        help="import statsmodels first, as the Results page's ARIMA baseline does")
    args = parser.parse_args()
    import numpy  # noqa: F401  (what a server has loaded before)
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import streamlit  # noqa: F401

    import rnn_core.figures  # noqa: F401
    import rnn_core.run  # noqa: F401
    if args.statsmodels:
        import statsmodels.api  # noqa: F401
    before, start = rss_mb(), time.perf_counter()
    import sklearn.metrics  # noqa: F401
    import sklearn.preprocessing  # noqa: F401
    print(f"scikit-learn import: {time.perf_counter() - start:.2f} s, "
          f"+{rss_mb() - before:.0f} MB resident"
          + (" (statsmodels loaded first)" if args.statsmodels else ""))


if __name__ == "__main__":
    main()
