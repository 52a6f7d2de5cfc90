"""The limits and fixed choices of reading a table: sizes, delimiters, missing-value markers.

No pandas here: the CLI's parser (``--missing``) and the link fetcher (its size cap) read
these without paying for the readers.

>>> size_text(MAX_UPLOAD_BYTES), size_text(MAX_UPLOAD_BYTES + 1), size_text(1000)
('20 MB', '20.1 MB', '1000 bytes')
"""

from __future__ import annotations

import math

from ..config import MAX_SERIES_LENGTH

# The upload cap matches maxUploadSize = 20 in .streamlit/config.toml.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 1_000
MAX_ROWS = 4 * MAX_SERIES_LENGTH  # rows read from a file; a series keeps at most MAX_SERIES_LENGTH
MAX_CELLS = 5_000_000
MAX_ABS_VALUE = 1e30  # larger numbers overflow the network's float32 arithmetic
DELIMITERS = (",", ";", "\t")
MISSING_POLICIES = ("stop", "interpolate", "drop")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
# Cells read as "no value", compared lower-case after stripping spaces (pandas' defaults).
MISSING_TOKENS = frozenset({
    "", "na", "n/a", "nan", "-nan", "null", "none", "<na>", "nat", "#n/a", "#n/a n/a", "#na",
    "-1.#ind", "-1.#qnan", "1.#ind", "1.#qnan",
})


def size_text(n: int) -> str:
    """A size in words: 20 MB, 20.5 MB, 1.2 KB, 1000 bytes."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            # rounded up, so a file just over a 20 MB limit reads 20.1 MB, not 20.0 MB
            return f"{n // size} {unit}" if n % size == 0 else f"{math.ceil(n / size * 10) / 10:.1f} {unit}"
    return f"{n} bytes"
