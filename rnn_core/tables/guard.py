"""One error type out of every public reader: ``guard`` turns the unforeseen into a message."""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, TypeVar

from ..errors import RnnExplorerError


class UnexpectedTableError(RnnExplorerError):
    """A failure the checks did not foresee, still worded for the user (and worth reporting)."""


_F = TypeVar("_F", bound=Callable[..., Any])


def guard(what: str) -> Callable[[_F], _F]:
    """Let ``RnnExplorerError`` through and turn anything else into one: the UI only ever
    catches ``RnnExplorerError``, and a user file must never crash a page.

    >>> try:
    ...     guard("add the cells")(lambda a, b: a + b)(1, "x")
    ... except UnexpectedTableError as err:
    ...     print(str(err).split(":")[0])
    could not add the cells (TypeError
    """

    def wrap(func: _F) -> _F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return func(*args, **kwargs)
            except RnnExplorerError:
                raise
            except RecursionError:
                raise UnexpectedTableError(f"could not {what}: the input is nested too deeply.") from None
            except Exception as err:  # noqa: BLE001 - the contract: one error type
                raise UnexpectedTableError(
                    f"could not {what} ({type(err).__name__}: {err}). Check that it is a plain "
                    "CSV table (one header row, then one row per time step); if it is, please "
                    "report this problem with the file."
                ) from err

        return inner  # type: ignore[return-value]

    return wrap
