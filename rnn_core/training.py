"""One training of a model on windows, reporting every epoch, stoppable, guarded against NaN.

``fit`` does what ``model.fit(x, y, epochs=..., batch_size=..., shuffle=True,
validation_data=(x_test, y_test))`` does, step for step, with three callbacks folded in: a
per-epoch event for the live chart, a stop flag checked after every compiled call, and a NaN
guard that stops and restores the last weights whose loss was finite.

It runs the epochs itself instead of calling ``model.fit`` because, for the small models
learners train, Keras' loop costs far more than the maths (BENCHMARKS.md, "Training: rnn_core
vs plain Keras"): on t2-sine its input pipeline alone takes several times longer to deliver
each batch than a whole training step of that model, and its per-epoch ``evaluate`` pass more
still. Here an epoch is one compiled call, a ``tf.while_loop`` over the batches that
gathers each batch from tensors kept in memory, plus one compiled call for the validation
loss. The maths is Keras' own: the model's forward pass, ``model.compute_loss`` (the compiled
MSE), the gradient tape and the model optimizer's ``apply_gradients``, one step per batch. The
batches are the ones ``model.fit`` makes (full batches, then the partial one), in the order its
``shuffle=True`` gives for the same seed, drawn from Keras' own shuffling pipeline; so the same
seed gives the same weights as plain Keras to float rounding (``bench/train_vs_keras.py``
checks the test RMSE: equal within 1e-8 on the presets).

When a recurrent layer runs its time steps as a loop (sequences longer than
``architecture.UNROLL_MAX_STEPS``) and the training is long enough, the loop is compiled with XLA,
which fuses each time step: the ``sunspots`` preset (GRU, T = 36) fits in about half the time
(BENCHMARKS.md, "Training: rnn_core vs plain Keras"). Unrolled short sequences gain too little from XLA to pay for its compile time.
"""

from __future__ import annotations

import math
import os
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .config import RunConfig
from .divergence import loss_diverged
from .windows import Windows

# Batches run per compiled call are capped so a Stop click is noticed within ~this many.
MAX_STEPS_PER_EXECUTION = 512
VALIDATION_BATCH = 4096
# Test windows whose ∂ŷ/∂x TensorFlow's autodiff computes after a training, as the truth the
# Inside page's numpy gradients (``rnn_core.memory``) are shown against.
AUTODIFF_WINDOWS = 8
# The untrained network's loss (the divergence reference) is taken on this many windows.
INITIAL_LOSS_WINDOWS = 256
# XLA for the training loop: "auto" (when a recurrent layer is not unrolled), "1" or "0".
XLA = os.environ.get("RNN_EXPLORER_XLA", "auto").strip().lower()
# With "auto", XLA pays its compile time back over this many batches × looped time steps.
XLA_MIN_LOOP_STEPS = 15_000


@dataclass(frozen=True)
class EpochEvent:
    """What the live view draws after each epoch."""

    epoch: int  # 1-based
    epochs: int
    loss: float
    val_loss: float
    elapsed: float

    @property
    def seconds_left(self) -> float:
        return self.elapsed / self.epoch * (self.epochs - self.epoch)


@dataclass
class History:
    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    fit_seconds: float = 0.0
    stopped: bool = False
    diverged: bool = False  # ``divergence.loss_diverged`` fired: NaN/inf or an exploded loss
    initial_loss: float = float("nan")  # the untrained network's, the divergence reference
    diverged_loss: float = float("nan")  # the epoch loss that fired the rule

    @property
    def epochs_run(self) -> int:
        return len(self.loss)


def steps_per_execution(n_windows: int, batch_size: int) -> int:
    """All batches of an epoch in one compiled call, up to the cap."""
    return max(1, min(MAX_STEPS_PER_EXECUTION, math.ceil(n_windows / batch_size)))


def use_xla(model: Any, batches: int) -> bool:
    """Whether ``fit`` compiles the training loop with XLA (see the module docstring).

    XLA costs a fixed extra compile time and saves a little per batch per time step of a
    recurrent layer that runs as a loop (BENCHMARKS.md has the figures, measured for SimpleRNN,
    LSTM and GRU of 32 units, batch 32, T = 24-36), so it pays off only above
    ``XLA_MIN_LOOP_STEPS``; ``batches`` is the training's total.
    """
    if XLA in ("1", "true", "yes", "on"):
        return True
    if XLA in ("0", "false", "no", "off"):
        return False
    looped = sum(getattr(layer, "unroll", True) is False for layer in model.layers)
    steps = int(model.input_shape[1] or 1)
    return looped > 0 and batches * steps * looped >= XLA_MIN_LOOP_STEPS


def _epoch_order(n: int, seed: int) -> Callable[[], np.ndarray]:
    """A function giving each epoch's order of the n training windows, as ``model.fit`` has it.

    ``model.fit(shuffle=True)`` on arrays draws each epoch's permutation from a small
    ``tf.data`` pipeline (Keras' ``ArrayDataAdapter``); the same pipeline is built here under
    the same global seed, so the order is the same. With the seed set, every epoch's new
    iterator restarts the identically seeded shuffle, so Keras uses one permutation for every
    epoch. A draw costs milliseconds, so once two draws agree the permutation is reused; a Keras that
    reshuffled differently each epoch would make them differ, and every epoch would draw.
    """
    import tensorflow as tf

    from . import model as model_mod

    try:
        from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter
    except ImportError:  # another Keras: same semantics (a new shuffle each epoch), own order
        generator = tf.random.Generator.from_seed(seed)
        return lambda: tf.argsort(generator.uniform([n])).numpy()

    with model_mod._build_lock:  # the global seed is shared by every training in the process
        tf.random.set_seed(seed)
        dataset = ArrayDataAdapter(np.arange(n), batch_size=max(1, n), shuffle=True).get_tf_dataset()

    def draw() -> np.ndarray:
        batch = next(iter(dataset))
        return np.asarray(batch[0] if isinstance(batch, tuple) else batch, dtype=np.int32)

    drawn: list[np.ndarray] = []

    def order() -> np.ndarray:
        if len(drawn) == 2 and np.array_equal(drawn[0], drawn[1]):
            return drawn[0]
        perm = draw()
        if len(drawn) < 2:
            drawn.append(perm)
        return perm

    return order


class _Loop:
    """The compiled functions of one training: a chunk of batches, and the validation loss.

    Every batch goes through the same traced step, so the step is traced (and, with XLA,
    compiled) once: the partial last batch of an epoch is padded to the batch size with
    repeated windows of weight 0, and its loss scaled by batch size / real windows, which is
    the mean over its real windows, as in Keras. Full batches have weight 1 and scale 1:
    multiplying by 1 is exact, so their loss and gradients are Keras' own.
    """

    def __init__(self, model: Any, x: Any, y: Any, x_val: Any, y_val: Any, batch_size: int,
                 xla: bool):
        import tensorflow as tf

        self.model, self.xla = model, xla
        n = int(x.shape[0])
        self.n = n
        self.batch_size = batch_size = min(batch_size, n)
        self.n_batches = math.ceil(n / batch_size)
        rest = n - (self.n_batches - 1) * batch_size  # windows in the last batch
        weight = np.ones((self.n_batches, batch_size), dtype=np.float32)
        weight[-1, rest:] = 0.0
        if len(model.output_shape) == 3:  # a text's output at every step: weight (batch, 1)
            weight = weight[:, :, None]
        scale = np.ones(self.n_batches, dtype=np.float32)
        scale[-1] = batch_size / rest
        self.sizes = np.full(self.n_batches, batch_size)
        self.sizes[-1] = rest
        self.weight, self.scale = tf.constant(weight), tf.constant(scale)
        variables = model.trainable_variables
        optimizer = model.optimizer
        if not optimizer.built:
            optimizer.build(variables)
        forward = _forward_fn(model)

        def step(index, weight, scale):
            xb, yb = tf.gather(x, index), tf.gather(y, index)
            with tf.GradientTape() as tape:
                y_pred = model(xb, training=True)
                loss = model.compute_loss(x=xb, y=yb, y_pred=y_pred, sample_weight=weight,
                                          training=True) * scale
                scaled = optimizer.scale_loss(loss)
            grads = tape.gradient(scaled, [v.value for v in variables])
            optimizer.apply_gradients(zip(grads, variables))
            return loss

        sizes = tf.constant(self.sizes.astype(np.float32))

        def chunk(index, start, stop):
            """Batches start … stop-1 of the epoch (``index``: one row of windows per batch).

            Returns the sum of batch loss × batch size, as Keras' epoch loss weighs batches.
            """
            _, total = tf.while_loop(
                lambda i, s: i < stop,
                lambda i, s: (i + 1, s + step(index[i], self.weight[i], self.scale[i]) * sizes[i]),
                (start, tf.constant(0.0)))
            return total

        def val_loss():
            """Keras' ``evaluate`` loss: batches of VALIDATION_BATCH, mean weighted by size."""
            n_val = int(x_val.shape[0])
            total = tf.constant(0.0)
            for i in range(0, n_val, VALIDATION_BATCH):
                xb, yb = x_val[i:i + VALIDATION_BATCH], y_val[i:i + VALIDATION_BATCH]
                loss = model.compute_loss(x=xb, y=yb, y_pred=forward(xb), training=False)
                total += loss * float(int(xb.shape[0]))
            return total / n_val

        self._chunk_py, self._val_py = chunk, val_loss
        self._compile(xla)

    def _compile(self, xla: bool) -> None:
        import tensorflow as tf

        self.xla = xla
        self.chunk = tf.function(self._chunk_py, jit_compile=xla or None)
        self.val_loss = tf.function(self._val_py, jit_compile=xla or None)

    def batches(self, perm: np.ndarray) -> Any:
        """The epoch's (n_batches, batch size) window indices; the last row padded."""
        import tensorflow as tf

        pad = self.n_batches * self.batch_size - self.n
        if pad:
            perm = np.concatenate([perm, np.repeat(perm[-1:], pad)])
        return tf.constant(perm.reshape(self.n_batches, self.batch_size))

    def run(self, index: Any, start: int, stop: int) -> float:
        import tensorflow as tf

        args = (index, tf.constant(start), tf.constant(stop))
        try:
            return float(self.chunk(*args))
        except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError,
                tf.errors.InternalError):
            if not self.xla:
                raise
            # XLA could not compile this model: compiling fails before anything runs, so
            # the same chunk can run again as a plain graph.
            self._compile(False)
            return float(self.chunk(*args))


def fit(model: Any, windows: Windows, config: RunConfig,
        on_epoch: Callable[[EpochEvent], None] | None = None,
        stop: threading.Event | None = None, validate: bool = True,
        on_weights: Callable[[int, list[np.ndarray]], None] | None = None) -> History:
    """Train ``model`` for ``config.epochs`` on ``windows``; returns the loss history.

    ``on_epoch`` runs in the training thread after every epoch (it must not call Streamlit).
    Setting ``stop`` ends training after the current compiled call, keeping the weights.
    If the loss diverges (``divergence.loss_diverged``: NaN, infinite, or exploded past a
    million times the untrained network's), training stops and the last good weights are put
    back; ``History.diverged`` says so. ``on_weights(epoch, weights)`` receives the weights
    after every epoch kept in the history (``replay.Recorder.take``): copies taken anyway to
    restore them after a divergence, so keeping them costs no time.
    """
    import tensorflow as tf

    history = History()
    started = time.perf_counter()
    n, batch_size = windows.n_train, config.batch_size
    x = tf.constant(windows.x_train, dtype=tf.float32)
    y = tf.constant(windows.y_train, dtype=tf.float32)
    x_val = tf.constant(windows.x_test, dtype=tf.float32)
    y_val = tf.constant(windows.y_test, dtype=tf.float32)
    n_batches = math.ceil(n / batch_size)
    loop = _Loop(model, x, y, x_val, y_val, batch_size,
                 use_xla(model, config.epochs * n_batches))
    order = _epoch_order(n, config.seed)
    chunk = MAX_STEPS_PER_EXECUTION
    good_weights = model.get_weights()
    # The reference of the divergence rule; on a few windows, so it costs no epoch's time.
    k = min(n, INITIAL_LOSS_WINDOWS)
    history.initial_loss = _untrained_loss(model, windows.x_train[:k], windows.y_train[:k])

    for epoch in range(config.epochs):
        index = loop.batches(order())
        total, seen = 0.0, 0
        start = 0
        while start < loop.n_batches:  # one compiled call per chunk of up to `chunk` batches
            stop_at = min(loop.n_batches, start + chunk)
            total += loop.run(index, start, stop_at)
            seen += int(loop.sizes[start:stop_at].sum())
            start = stop_at
            if stop is not None and stop.is_set():
                history.stopped = True
                break
        loss = total / max(seen, 1)
        val_loss = float(loop.val_loss()) if validate and windows.n_test else float("nan")
        # A diverged test loss is divergence too: the weights are already too large to give
        # usable predictions.
        bad = next((value for value in (loss, val_loss if validate else 0.0)
                    if loss_diverged(value, history.initial_loss)), None)
        if bad is not None:
            history.diverged, history.diverged_loss = True, bad
            model.set_weights(good_weights)
            break
        good_weights = model.get_weights()
        history.loss.append(loss)
        if on_weights is not None:
            on_weights(len(history.loss), good_weights)
        history.val_loss.append(val_loss)
        if on_epoch is not None:
            on_epoch(EpochEvent(epoch + 1, config.epochs, loss, val_loss,
                                time.perf_counter() - started))
        if stop is not None and stop.is_set():
            history.stopped = True
        if history.stopped:
            break

    model.optimizer.finalize_variable_values(model.trainable_variables)
    history.fit_seconds = time.perf_counter() - started
    return history


def _untrained_loss(model: Any, x: np.ndarray, y: np.ndarray) -> float:
    """The loss of ``model`` before training on windows ``x`` (the divergence reference): the
    mean squared error, or for an output at every step over classes (a text: the next
    character's probabilities) the cross-entropy of the targets ``y`` (n, T)."""
    k = len(x)
    if not k:
        return float("nan")
    with np.errstate(all="ignore"):
        if len(model.output_shape) == 3:
            p = predict(model, x).reshape(*np.shape(y), -1)
            picked = np.take_along_axis(p, np.asarray(y, dtype=np.int64)[..., None], axis=-1)
            return float(-np.mean(np.log(np.maximum(picked, 1e-7))))
        diff = predict(model, x).reshape(k, -1) - np.asarray(y, dtype=np.float64).reshape(k, -1)
        return float(np.mean(diff ** 2))


# One compiled forward pass per model, for any number of windows (kept while the model lives).
_forward: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()
_forward_lock = threading.Lock()


def _forward_fn(model: Any) -> Any:
    import tensorflow as tf

    with _forward_lock:
        fn = _forward.get(model)
        if fn is None:
            shape = (None, *tuple(model.input_shape[1:]))
            ref = weakref.ref(model)  # the cache must not keep its key alive
            fn = tf.function(lambda x: ref()(x, training=False),
                             input_signature=[tf.TensorSpec(shape, tf.float32)])
            _forward[model] = fn
    return fn


def predict(model: Any, x: np.ndarray) -> np.ndarray:
    """Predictions as float64: (windows,) for one output, (windows, outputs) for several.

    One compiled call per 4,096 windows, no progress bar.
    """
    outputs = int(model.output_shape[-1])
    if len(x) == 0:
        return np.empty(0) if outputs == 1 else np.empty((0, outputs))
    fn = _forward_fn(model)
    x = np.asarray(x, dtype=np.float32)
    parts = [np.asarray(fn(x[i:i + VALIDATION_BATCH])) for i in range(0, len(x), VALIDATION_BATCH)]
    out = np.concatenate(parts) if len(parts) > 1 else parts[0]
    out = np.asarray(out, dtype=np.float64).reshape(len(x), -1)
    return out[:, 0] if outputs == 1 else out


def input_gradients(model: Any, x: np.ndarray) -> np.ndarray:
    """TensorFlow's autodiff of the outputs with respect to the inputs, for each window of
    ``x`` (n, T, features): (n, outputs, T, features), float64. The truth ``memory.gradients``
    is compared with (it needs no TensorFlow).

    One ``GradientTape.gradient`` per output of the batch's sum: a window's output depends on
    that window's inputs only (no layer mixes the windows of a batch at inference), so the
    gradient of the sum over windows holds each window's own ∂ŷ/∂x — the same numbers as
    ``batch_jacobian``, whose vectorised loop over the batch cost more than a small training
    (``bench/autodiff.py``, BENCHMARKS.md).
    """
    import tensorflow as tf

    x = np.asarray(x, dtype=np.float32)
    if len(x) == 0:
        return np.empty((0, int(model.output_shape[-1]), *x.shape[1:]))
    xs = tf.convert_to_tensor(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xs)
        y = model(xs, training=False)
        per_output = [tf.reduce_sum(y[:, j]) for j in range(int(y.shape[-1]))]
    grads = [np.asarray(tape.gradient(total, xs), dtype=np.float64) for total in per_output]
    del tape
    return np.stack(grads, axis=1)
