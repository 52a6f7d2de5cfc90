"""``read_table``: the bytes of an upload or a link as a frame (CSV/TSV text, or a workbook)."""

from __future__ import annotations

import pandas as pd

from ..errors import RnnExplorerError, quote
from .excel import read_excel
from .guard import guard
from .limits import EXCEL_SUFFIXES, MAX_UPLOAD_BYTES, size_text
from .text import decode, text_frame


@guard("read the file")
def read_table(data: bytes | bytearray | memoryview | str, filename: str = "",
               max_bytes: int = MAX_UPLOAD_BYTES) -> pd.DataFrame:
    """A table from the bytes of a CSV or TSV file (UTF-8; delimiter comma, semicolon or tab).

    The index is the line number of each row in the file (name ``"line"``); number columns
    are float64, the others text with NaN for missing cells. ``frame.attrs`` records the
    ``delimiter``, the ``decimal`` mark, whether a ``header`` row was found and the ``source``.

    >>> read_table(b"day;temp\\n1;20,5\\n2;21\\n")["temp"].tolist()
    [20.5, 21.0]
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise RnnExplorerError(f"expected the bytes of a file, got {type(data).__name__}.")
    data = bytes(data)
    name = f"{quote(filename)}" if filename else "the file"
    if len(data) > max_bytes:
        raise RnnExplorerError(
            f"{name} is {size_text(len(data))}, more than the limit of {size_text(max_bytes)}. Upload a "
            "shorter extract (fewer rows or only the columns you need).", field="file")
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if f".{suffix}" in EXCEL_SUFFIXES or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return read_excel(data, name)
    text = decode(data, name)
    if not text.strip():
        raise RnnExplorerError(f"{name} is empty: upload a CSV file with a header row and one "
                               "row per time step.", field="file")
    head = text.lstrip()[:64].lower()
    if head.startswith(("<!doctype html", "<html")):
        raise RnnExplorerError(f"{name} is a web page (HTML), not a table: save or link the "
                               "raw CSV file instead.", field="file")
    return text_frame(text, filename, name)
