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


QUOTE_LIMIT = 60  # characters of a user's value quoted back in a message


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for echoing a user's value in a message.

    A long text keeps its first ``limit`` characters and says how long it was, so a 100,000
    character ``--set`` value gives a one-line message rather than a 100 KB one:

    >>> quote("abc")
    "'abc'"
    >>> quote("a" * 100_000, limit=4)
    "'aaaa…' (100,000 characters)"
    >>> quote(10**400)
    '10000000000000000000… (401 digits)'
    >>> quote([[[[1]]]])
    '[[[[...]]]]'

    Never raises: ``repr`` of a huge int (over 4,300 digits) or of a deeply nested list would.
    """
    if isinstance(value, str):
        shown = value[:limit]
        while len(repr(shown)) > limit + 2:  # escapes such as \x00 make the repr longer
            shown = shown[:-1]
        if shown == value:
            return repr(value)
        head = repr(shown)
        return f"{head[:-1]}…{head[-1]} ({len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool):
        return _quote_int(value, limit)
    return _short_repr(value, limit)


def _quote_int(value: int, limit: int) -> str:
    # str() of an int raises past 4,300 digits, so a long one is measured and cut arithmetically
    digits = _digits(abs(value))
    if digits <= limit:
        return str(value)
    head = abs(value) // 10 ** (digits - 20)
    return f"{'-' if value < 0 else ''}{head}… ({digits:,} digits)"


def _digits(n: int) -> int:
    guess = max(1, int(n.bit_length() * 0.30102999566398120))  # log10(2)
    # the guess is within one of the truth; one comparison with a power of ten settles it
    return guess + 1 if n >= 10**guess else guess


def _short_repr(value: object, limit: int) -> str:
    import reprlib

    class _Repr(reprlib.Repr):
        def repr_int(self, x: int, level: int) -> str:
            return _quote_int(x, self.maxlong)

    short = _Repr()
    short.maxlevel, short.maxstring, short.maxlong, short.maxother = 3, limit, limit, limit
    try:
        text = short.repr(value)
    except Exception:  # a user-defined __repr__ that fails: name the type instead
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 2 * limit else text[: 2 * limit] + "…"
