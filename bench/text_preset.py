"""Measure the text presets: bits per character by epoch against the bigram baseline, and the
same network trained by plain Keras (``model.fit``) on the same windows, as ratios.

    .venv/bin/python bench/text_preset.py [PRESET ...] [--seeds 0,1,2] [--no-keras]

One JSON line per run on stdout: preset, trainer (rnn_core = ``text.train_text``, the app's
path; keras = ``model.fit``), seed, held-out bits per character after every epoch with the
seconds since the start of fitting, the final bits, the unigram and bigram baselines, and the
time of the epochs after the first (the first one includes tracing); for brackets, the unit
that follows the exact depth best (|r| on the held-out text). Both trainers use one
TensorFlow thread, as a server's worker does. The "Text preset" table in BENCHMARKS.md comes
from these lines; rerun this after changing a text preset.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from rnn_core import model as model_mod  # noqa: E402
from rnn_core.presets import preset  # noqa: E402
from rnn_core.text import prepare_text, train_text  # noqa: E402
from rnn_core.text.train import LN2, held_out_bits  # noqa: E402


def depth_unit(run) -> tuple[float, str] | None:
    """brackets: the unit (h or c of any layer) whose value follows the exact nesting depth of
    the held-out characters best, as |Pearson r| and its name."""
    if run.test_depth is None:
        return None
    text, depth = run.test_text[:3000], run.test_depth[:3000]
    best = (0.0, "")
    for layer, arrays in run.network().step_states(text).items():
        for key in ("h", "c"):
            for unit, values in enumerate(arrays.get(key, np.empty((len(text), 0))).T):
                r = abs(float(np.nan_to_num(np.corrcoef(values, depth)[0, 1])))
                best = max(best, (round(r, 3), f"{layer} {key}[{unit}]"))
    return best


def ours(config, prepared) -> dict:
    events = []
    run = train_text(config, prepared=prepared, progress=events.append)
    return {"trainer": "rnn_core", "epochs": [(e.epoch, round(e.val_loss / LN2, 4),
                                               round(e.elapsed, 2)) for e in events],
            "bits_per_char": run.bits_per_char, "unigram": run.unigram_bits_per_char,
            "bigram": run.bigram_bits_per_char, "fit_seconds": run.fit_seconds,
            "depth_unit": depth_unit(run)}


def plain_keras(config, prepared) -> dict:
    """The same model (``model.build``) fitted by Keras' own loop, scored alike."""
    keras = model_mod.keras_module()
    fw = prepared.fit_windows
    model = model_mod.build(config, config.time_steps, prepared.vocab.size)
    started, events = time.perf_counter(), []

    class Clock(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            events.append((epoch + 1, round(logs["val_loss"] / LN2, 4),
                           round(time.perf_counter() - started, 2)))

    model.fit(fw.x_train.astype(np.float32), fw.y_train, epochs=config.epochs,
              batch_size=config.batch_size, shuffle=True, verbose=0, callbacks=[Clock()],
              validation_data=(fw.x_test.astype(np.float32), fw.y_test))
    return {"trainer": "keras", "epochs": events, "bits_per_char": held_out_bits(model, prepared),
            "fit_seconds": time.perf_counter() - started}


def main(argv: list[str]) -> None:
    seeds, names, keras_too = (0, 1, 2), [], True
    for arg in argv:
        if arg.startswith("--seeds="):
            seeds = tuple(int(s) for s in arg.split("=", 1)[1].split(","))
        elif arg == "--no-keras":
            keras_too = False
        else:
            names.append(arg)
    for name in names or ["text-stdlib"]:
        for seed in seeds:
            config = preset(name).replace(seed=seed)
            prepared = prepare_text(config)
            for trainer in (ours, plain_keras) if keras_too else (ours,):
                row = trainer(config, prepared)
                times = [t for _, _, t in row["epochs"]]
                row |= {"preset": name, "seed": seed,
                        "later_epoch_seconds": round(float(np.mean(np.diff(times))), 2)
                        if len(times) > 1 else None}
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
