"""The one error type a user ever sees.

Every message says what is wrong and how to fix it. The app shows ``str(err)`` in an
``st.error`` box; the CLI prints it on one line of stderr and exits 2.
"""

from __future__ import annotations


class RnnExplorerError(ValueError):
    """A problem with the user's input or settings, worded for the user.

    ``field`` names the config field or input at fault, when there is one, so the app
    can point at the right widget.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        return str(self)


class TrainingDiverged(RnnExplorerError):
    """The loss became NaN or infinite; the last finite weights were kept."""
