"""The first sheet of an Excel (or OpenDocument) workbook as a frame, when openpyxl is there.

The index holds the spreadsheet's row numbers (name ``"row"``: the header is row 1), so
messages say "row 14"; text columns that hold only numbers become float64.
"""

from __future__ import annotations

import importlib.util
import io

import numpy as np
import pandas as pd

from ..errors import RnnExplorerError
from .numeric import column_numbers
from .text import column_names


def excel_available() -> bool:
    """Whether workbooks can be read here (pandas reads them with openpyxl)."""
    return importlib.util.find_spec("openpyxl") is not None


def read_excel(data: bytes, name: str) -> pd.DataFrame:
    """The first sheet of the workbook in ``data``; ``name`` is the file in messages."""
    if not excel_available():
        raise RnnExplorerError(
            f"{name} is an Excel (or OpenDocument) workbook, which cannot be read here: save "
            "the sheet as CSV (Excel: File > Save As > CSV UTF-8) and upload that.", field="file")
    frame = pd.read_excel(io.BytesIO(data), sheet_name=0)
    if frame.empty:
        raise RnnExplorerError(f"the first sheet of {name} holds no data rows.", field="file")
    frame = frame.dropna(how="all")
    frame.columns = column_names([str(c) if not str(c).startswith("Unnamed:") else ""
                                  for c in frame.columns])
    frame.index = pd.Index(frame.index + 2, name="row")  # spreadsheet row numbers
    for col in frame.columns:
        if frame[col].dtype == object:
            values, bad = column_numbers(frame[col])
            if not bad.any() and np.isfinite(values).any():
                frame[col] = values
    frame.attrs.update(delimiter=None, decimal=".", header=True, source=name)
    return frame
