"""Write the built-in series' CSV files from the installed pmdarima, once.

The app reads the files next to this script and never imports pmdarima for its data (importing
it pulls in statsmodels and scikit-learn). Run this again only to re-check or re-create them:

    .venv/bin/python -m rnn_core.datasets.extract

Each file is one column with a header line: the values in pmdarima's order, written so that
reading them back gives the same float64 numbers (integers without ".0", others as ``repr``).

>>> _format(269.0), _format(62.6)
('269', '62.6')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

FOLDER = Path(__file__).resolve().parent
NAMES = ("sunspots", "airpassengers", "lynx", "wineind", "taylor")


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write(name: str, values: np.ndarray, folder: Path = FOLDER) -> Path:
    """Write ``values`` to ``folder/name.csv``: a header line ``name``, then one value a line."""
    path = folder / f"{name}.csv"
    lines = [name, *(_format(v) for v in np.asarray(values, dtype=np.float64))]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def main() -> None:
    from pmdarima import datasets  # only here: the app itself never needs it for data

    for name in NAMES:
        values = getattr(datasets, f"load_{name}")()
        print(f"{write(name, values)}: {len(values):,} values")


if __name__ == "__main__":
    main()
