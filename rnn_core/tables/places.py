"""Where a cell is, in the words a message uses: "line 14" (a CSV), "row 5" (a spreadsheet or
any other frame), and lists of them ("lines 5, 9, 12 and 3 more")."""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd


def where(frame: pd.DataFrame, positions: Iterable[int]) -> list[str]:
    """The place of each row position: the file's line (or sheet row) when the index holds it.

    >>> where(pd.DataFrame({"a": [1, 2]}, index=pd.Index([3, 7], name="line")), [1])
    ['line 7']
    >>> where(pd.DataFrame({"a": [1, 2]}), [0, 1])
    ['row 1', 'row 2']
    """
    index = frame.index
    kind = index.name if index.name in ("line", "row") else None
    out = []
    for p in positions:
        label = index[p]
        if kind and isinstance(label, (int, np.integer)):
            out.append(f"{kind} {label:,}")
        else:
            out.append(f"row {p + 1:,}")
    return out


def listing(places: Sequence[str], total: int) -> str:
    """The first places of ``total`` in one phrase.

    >>> listing(["line 5", "line 9"], 4)
    'lines 5, 9 and 2 more'
    """
    if not places:
        return ""
    kind = places[0].split(" ")[0]
    numbers = ", ".join(w.split(" ", 1)[1] for w in places)
    more = f" and {total - len(places):,} more" if total > len(places) else ""
    return f"{kind}{'s' if total > 1 else ''} {numbers}{more}"
