"""The path of the state: a window's hidden states h_1..h_T as a path in a plane.

The plane is the first two principal components (scikit-learn's ``PCA``) of the hidden states
of the training windows — every step h_1..h_T of each window, of one recurrent layer — so the
path of any window, and the final state h_T of every window, can be drawn in the same two
coordinates. At most ``MAX_PLANE_WINDOWS`` training windows feed the PCA (evenly spaced when
there are more, ``memory_summary.spaced``); the states come from ``unroll.hidden_states``, the
numpy forward pass the page's final states use.

- ``fit_plane(states)`` → a ``Plane``: the fitted PCA and the share of the variance each of the
  two components explains;
- ``project(plane, states)`` → the (N, 2) coordinates of N states;
- ``training_states(model, windows, layer)`` → the states the plane is fitted on;
- ``plane_of(model, windows, layer)`` → both steps at once;
- ``no_plane(units)`` and ``variance_sentence(plane)``: what the page says.

Four states of a 3-unit layer that lie on a line have all their variance on one component:

>>> import numpy as np
>>> states = np.array([[0.0, 0.0, 1.0], [1.0, 2.0, 1.0], [2.0, 4.0, 1.0], [3.0, 6.0, 1.0]])
>>> plane = fit_plane(states)
>>> np.round(plane.explained, 6)
array([1., 0.])
>>> np.round(np.abs(project(plane, states)[:, 0]), 4)
array([3.3541, 1.118 , 1.118 , 3.3541])
>>> no_plane(1)
'This layer has a single unit: its state is one number per step (the heatmap above), so there is no plane to draw it in.'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from . import unroll
from .errors import RnnExplorerError
from .memory_summary import spaced

# At most this many training windows (evenly spaced when there are more) give the states the
# plane is fitted on: T states each, so 400 windows of 36 steps are 14,400 states.
MAX_PLANE_WINDOWS = 400


@dataclass(frozen=True, eq=False)
class Plane:
    """The plane of the first two principal components of a set of hidden states."""

    pca: PCA  # fitted, n_components=2
    explained: np.ndarray  # (2,): the share of the states' variance along each component
    windows_used: int = 0  # how many windows gave the states (0: not from windows)
    windows_total: int = 0  # how many there were

    @property
    def capped(self) -> bool:
        return self.windows_used < self.windows_total

    @property
    def total_explained(self) -> float:
        return float(np.sum(self.explained))


def _states(states: Any, what: str = "states") -> np.ndarray:
    try:
        x = np.asarray(states, dtype=np.float64)
    except (TypeError, ValueError):
        raise RnnExplorerError(f"{what} must be an array of numbers of shape (N, units).") from None
    if x.ndim != 2:
        raise RnnExplorerError(f"{what} must have shape (N, units), got shape {tuple(x.shape)}.")
    if not np.all(np.isfinite(x)):
        raise RnnExplorerError(f"{what} hold NaN or infinite values; a plane needs finite states.")
    return x


def no_plane(units: int) -> str | None:
    """Why a layer of ``units`` units has no plane to draw (one sentence), or None."""
    if units == 1:
        return ("This layer has a single unit: its state is one number per step (the heatmap "
                "above), so there is no plane to draw it in.")
    return None


def fit_plane(states: Any, *, windows_used: int = 0, windows_total: int = 0) -> Plane:
    """The PCA plane of ``states`` (N, units): N ≥ 2 states of a layer of ≥ 2 units, not all
    equal. ``windows_used`` of ``windows_total`` windows gave them (for the sentence)."""
    x = _states(states)
    n, units = x.shape
    if units < 2:
        raise RnnExplorerError(no_plane(1) if units == 1 else
                               f"states have {units} units; a plane needs at least 2.")
    if n < 2:
        raise RnnExplorerError(f"a plane needs at least 2 states, got {n}.")
    if not np.any(np.ptp(x, axis=0) > 0):
        raise RnnExplorerError(f"the {n:,} states are all equal: they span no plane.")
    pca = PCA(n_components=2).fit(x)
    return Plane(pca=pca, explained=np.asarray(pca.explained_variance_ratio_, dtype=np.float64),
                 windows_used=int(windows_used), windows_total=int(windows_total))


def project(plane: Plane, states: Any) -> np.ndarray:
    """The coordinates (N, 2) of ``states`` (N, units) on the plane's two components."""
    x = _states(states)
    units = plane.pca.n_features_in_
    if x.shape[1] != units:
        raise RnnExplorerError(f"states have {x.shape[1]} units, but the plane was fitted on "
                               f"states of {units} units.")
    return plane.pca.transform(x)


def _layer(layer: Any, count: int) -> int:
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) \
            or not 0 <= layer < count:
        raise RnnExplorerError(f"layer must be a recurrent layer's number from 0 to {count - 1}, "
                               f"got {layer!r}.")
    return int(layer)


def training_states(model: Any, windows: Any, layer: int = 0,
                    max_windows: int = MAX_PLANE_WINDOWS) -> tuple[np.ndarray, np.ndarray]:
    """(states, used): h_1..h_T of layer ``layer`` for at most ``max_windows`` of ``windows``
    (N, T, features), evenly spaced, stacked as (used × T, units); ``used`` their indices."""
    if isinstance(max_windows, bool) or not isinstance(max_windows, (int, np.integer)) \
            or max_windows < 1:
        raise RnnExplorerError(f"max_windows must be a whole number ≥ 1, got {max_windows!r}.")
    seq = np.asarray(windows, dtype=np.float64)
    if seq.ndim != 3 or len(seq) == 0:
        raise RnnExplorerError(f"windows must have shape (N ≥ 1, T, features), got shape "
                               f"{tuple(seq.shape)}.")
    used = spaced(len(seq), int(max_windows))
    states = unroll.hidden_states(model, seq[used])
    h = states[_layer(layer, len(states))]
    return h.reshape(-1, h.shape[-1]), used


def plane_of(model: Any, windows: Any, layer: int = 0,
             max_windows: int = MAX_PLANE_WINDOWS) -> Plane:
    """The plane of layer ``layer``'s states over (at most ``max_windows`` of) ``windows``."""
    states, used = training_states(model, windows, layer, max_windows)
    return fit_plane(states, windows_used=len(used), windows_total=len(windows))


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def season_phase(index: Any, positions: Any, season: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """(phase of each position in a season of ``season`` values, the phases' names): for a
    monthly series of dates with a season of 12, the calendar month (0 = January); otherwise
    the position's place in the season counted from the series' first value (0..season−1).

    >>> import pandas as pd
    >>> months = pd.date_range("1949-03-01", periods=24, freq="MS")
    >>> phase, names = season_phase(months, [0, 10, 13], 12)
    >>> phase.tolist(), [names[p] for p in phase]
    ([2, 0, 3], ['Mar', 'Jan', 'Apr'])
    >>> season_phase(range(100), [0, 49, 50], 48)[0].tolist()
    [0, 1, 2]
    """
    if isinstance(season, bool) or not isinstance(season, (int, np.integer)) or season < 2:
        raise RnnExplorerError(f"a season must be a whole number ≥ 2, got {season!r}.")
    positions = np.asarray(positions, dtype=int)
    if isinstance(index, pd.DatetimeIndex) and season == 12:
        return np.asarray(index[positions].month, dtype=int) - 1, MONTHS
    return positions % int(season), tuple(str(k + 1) for k in range(int(season)))


def variance_sentence(plane: Plane) -> str:
    """What the two components explain, and of which states.

    >>> p = Plane(pca=None, explained=np.array([0.8123, 0.1]), windows_used=400,
    ...           windows_total=1000)
    >>> variance_sentence(p)
    'The two components explain 91.2 % of the variance of the hidden states (81.2 % and 10.0 %), fitted on the states of 400 of the 1,000 training windows (evenly spaced, to keep it quick).'
    """
    first, second = (100 * float(v) for v in plane.explained)
    text = (f"The two components explain {first + second:.1f} % of the variance of the hidden "
            f"states ({first:.1f} % and {second:.1f} %)")
    if plane.windows_total:
        n, total = plane.windows_used, plane.windows_total
        if plane.capped:
            text += (f", fitted on the states of {n:,} of the {total:,} training windows "
                     "(evenly spaced, to keep it quick)")
        else:
            plural = "s" if total != 1 else ""
            text += f", fitted on the states of all {total:,} training window{plural}"
    return text + "."
