"""The season of a series: how many values make one cycle.

It is what the seasonal naive baseline looks back (and MASE on the Results page scales by),
what a seasonal difference subtracts, what the airline SARIMA models and what the state path
colours by. ``season`` alone decides it: a series' own known cycle first (sunspots follow the
~11-year solar cycle, 132 months: a value one year back says little about this month's
sunspots), else its calendar's (``BY_FREQUENCY``; below a day, the values in one day). Built-in
series (``data.py``) and tables (``tables``, from the frequency their dates show) both ask it.

>>> season("monthly"), season("monthly", cycle=SUNSPOT_CYCLE), season("weekly")
(12, 132, 52)
>>> season("30-minute"), season("hourly"), season("yearly"), season(None)
(48, 24, None, None)
"""

from __future__ import annotations

import re

# Sunspots' cycle in months: the ~11-year solar (Schwabe) cycle (9 to 14 years from minimum to
# minimum, 11 on average).
SUNSPOT_CYCLE = 132

# The calendar's season of each frequency (the labels tables give their dates' spacing).
BY_FREQUENCY: dict[str, int] = {
    "monthly": 12, "quarterly": 4, "weekly": 52, "daily": 7, "hourly": 24, "half-hourly": 48,
}
_SECONDS = {"second": 1, "minute": 60, "hour": 3600}
_DAY_SECONDS = 86_400


def season(frequency: str | None, cycle: int | None = None) -> int | None:
    """The season of a series sampled at ``frequency`` ("monthly", "30-minute", …; None if
    unknown) whose own known cycle is ``cycle`` values (None if it has none): the cycle, else
    the calendar's season, else None (yearly data, an uneven spacing)."""
    if cycle is not None:
        return int(cycle)
    if frequency in BY_FREQUENCY:
        return BY_FREQUENCY[frequency]
    found = re.fullmatch(r"(\d+)-(second|minute|hour)", frequency or "")
    if found:  # below a day: the daily cycle, when a day holds a whole number of values
        step = int(found.group(1)) * _SECONDS[found.group(2)]
        if step and _DAY_SECONDS % step == 0 and _DAY_SECONDS // step >= 2:
            return _DAY_SECONDS // step
    return None

