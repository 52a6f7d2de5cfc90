"""``python -m rnn_core text ...``: a character-level network from the command line.

    python -m rnn_core text train [--corpus NAME] [--preset NAME] [--set KEY=VALUE ...]
                                  [--text-file PATH] [--json] [--verbose]
    python -m rnn_core text sample [the same] [--prompt TEXT] [--chars N] [--temperature T]
                                   [--seed S] [--json] [--verbose]

The settings start from ``--preset NAME`` (default ``text-stdlib``, the text preset that beats
the bigram baseline in about 30 s); ``--corpus NAME`` picks the text (python-stdlib,
brackets), ``--text-file PATH`` trains on your own UTF-8 text (it sets the corpus to
``text``; checked like the app's upload: at most ``text.MAX_TEXT_BYTES``), and every
``--set KEY=VALUE`` applies last (``python -m rnn_core fields`` lists them).

``train`` prints the bits per character on the held-out part next to the unigram and bigram
baselines on the same characters, and the verdict. With ``--json`` the last line of stdout is
one JSON object (``text.TextRun.result``): ``bits_per_char``, ``unigram_bits_per_char``,
``bigram_bits_per_char``, ``vocab_size``, ``n_train_chars``, ``n_test_chars``,
``unknown_in_test``, ``epochs_run``, ``fit_seconds``, ``stopped``, ``diverged``,
``loss_bits`` and ``val_loss_bits`` per epoch, ``verdict``, ``source``, ``corpus``,
``config`` and ``preset``.

``sample`` trains the same way, then prints the prompt followed by ``--chars N`` generated
characters (default 200, at most 2,000), drawn in numpy at ``--temperature T`` (default 1;
0 always takes the likeliest character) with ``--seed S`` (default 0). With ``--json`` the
object also holds ``prompt``, ``sample``, ``temperature``, ``seed`` and ``top5``: for every
generated character the network's five likeliest ``[character, probability]`` pairs.

Exit status as for ``train``: 0 done (also stopped with Ctrl-C), 2 invalid input (one
``error:`` line on stderr; also a training estimated longer than the limit, ``cost``), 3 the
training diverged (the result is still printed).
"""

from __future__ import annotations

import argparse
import math
import os
import threading
from typing import Any, TextIO

from .cli_options import CliError, add_config_options, add_run_options
from .config import TEXTS, RunConfig, parse_assignments
from .errors import quote

DEFAULT_PRESET = "text-stdlib"
CORPORA = ("python-stdlib", "brackets")
DEFAULT_CHARS = 200


def add_parser(sub: Any) -> None:
    """``text`` with its two commands, with ``--preset``, ``--set``, ``--json`` and
    ``--verbose`` as every other command has them."""
    text = sub.add_parser("text", help="a character-level network: train it, sample from it",
                          description="A character-level network on a text: python-stdlib, "
                                      "brackets or your own (--text-file).")
    commands = text.add_subparsers(dest="text_command", metavar="train|sample",
                                   parser_class=type(text))
    commands.required = True
    for name, helptext in (("train", "train and print bits per character vs the baselines"),
                           ("sample", "train, then generate text from a prompt")):
        cmd = commands.add_parser(name, help=helptext, description=helptext[0].upper() +
                                  helptext[1:] + ". Settings start from the text-stdlib preset.")
        add_config_options(cmd, "change one setting, e.g. --set epochs=1 (repeatable)",
                       preset_help=f"start from a named preset (default {DEFAULT_PRESET})")
        cmd.add_argument("--corpus", metavar="NAME", default=None,
                         help="python-stdlib (default: the preset's) or brackets")
        cmd.add_argument("--text-file", metavar="PATH", default=None,
                         help="train on your own UTF-8 text file instead of a corpus")
        if name == "sample":
            cmd.add_argument("--prompt", default="", help="the text the sample continues")
            cmd.add_argument("--chars", metavar="N", default=None,
                             help=f"characters to generate, 1-2000 (default {DEFAULT_CHARS})")
            cmd.add_argument("--temperature", metavar="T", default=None,
                             help="0 (always the likeliest) to 5; default 1")
            cmd.add_argument("--seed", metavar="S", default=None,
                             help="seed of the draws (default 0)")
        add_run_options(cmd)
        cmd.set_defaults(handler=cmd_text)


def _number(flag: str, text: str | None, default: float, low: float, high: float,
            whole: bool) -> Any:
    if text is None:
        return default
    kind = "a whole number" if whole else "a number"
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or not low <= value <= high:
        raise CliError(f"{flag} {quote(text)} is not valid: use {kind} from {low:g} to {high:g}.")
    return value


def make_config(args: argparse.Namespace) -> RunConfig:
    """The preset (default text-stdlib), the corpus, then every ``--set``; a text config."""
    from .presets import preset

    config = preset(args.preset or DEFAULT_PRESET)
    if args.text_file is not None:
        if args.corpus not in (None, "text"):
            raise CliError("--text-file trains on your own text: leave out --corpus "
                           f"{quote(args.corpus)}.")
        config = config.replace(dataset="text")
    elif args.corpus is not None:
        if args.corpus == "text":
            raise CliError("--corpus text is your own text: give it with --text-file PATH.")
        if args.corpus not in CORPORA:
            raise CliError(f"--corpus {quote(args.corpus)} is not a corpus: use "
                           f"{' or '.join(CORPORA)}, or --text-file PATH for your own text.")
        config = config.replace(dataset=args.corpus)
    changes = parse_assignments(args.assignments)
    config = config.replace(**changes) if changes else config
    if config.dataset not in TEXTS:
        raise CliError(f"dataset={config.dataset} is a series, not a text: train it with "
                       "'python -m rnn_core train'.")
    if config.dataset == "text" and args.text_file is None:
        raise CliError("dataset=text is your own text: give it with --text-file PATH.")
    return config


def read_text_file(path: str) -> str:
    """The checked text of ``--text-file`` (``text.read_text``: UTF-8, not binary, not empty,
    at most ``MAX_TEXT_BYTES``)."""
    from .text import MAX_TEXT_BYTES, read_text

    if not path.strip():
        raise CliError("--text-file needs the path of a file, e.g. --text-file notes.txt.")
    if not os.path.exists(path):
        raise CliError(f"--text-file: the file {quote(path)} does not exist (relative paths "
                       f"start from {os.getcwd()}).")
    if not os.path.isfile(path):
        raise CliError(f"--text-file: {quote(path)} is not a regular file.")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)  # read_text refuses more than the limit
    except OSError as error:
        raise CliError(f"--text-file: the file {quote(path)} cannot be read "
                       f"({error.strerror or error}).") from None
    return read_text(data, os.path.basename(path) or path)


def _train(config: RunConfig, own_text: str | None, verbose: bool, err: TextIO) -> Any:
    """``text.train_text`` with progress on stderr and Ctrl-C as Stop."""
    from . import cli_training
    from .text import check_cost, prepare_text, train_text
    from .text.train import LN2

    prepared = prepare_text(config, own_text)  # bad input fails before TensorFlow loads
    check_cost(prepared, cli=True)  # a training that cannot finish is refused (exit 2)
    progress = None
    if verbose:
        def progress(e: Any) -> None:
            print(f"epoch {e.epoch}/{e.epochs}  loss {e.loss / LN2:.4f} bits/char  held-out "
                  f"{e.val_loss / LN2:.4f}  {e.elapsed:.1f} s", file=err, flush=True)
    cli_training.import_keras_quietly()
    stop = threading.Event()
    previous = cli_training.install_sigint(stop, err)
    try:
        return train_text(config, own_text, progress, stop, prepared=prepared)
    finally:
        if previous is not None:
            import signal

            signal.signal(signal.SIGINT, previous)


def summary(result: dict[str, Any]) -> str:
    """The lines a person reads after ``text train``."""
    def bits(v: float | None) -> str:
        return "nan" if v is None else f"{v:.3f}"

    return "\n".join([
        f"text: {result['source']}",
        f"vocabulary {result['vocab_size']} symbols; {result['n_train_chars']:,} training and "
        f"{result['n_test_chars']:,} held-out characters ({result['unknown_in_test']:,} unknown)",
        f"epochs run {result['epochs_run']}" + (" (stopped)" if result["stopped"] else "")
        + f", {result['fit_seconds']:.1f} s",
        f"held-out bits per character: network {bits(result['bits_per_char'])}, bigram "
        f"{bits(result['bigram_bits_per_char'])}, unigram {bits(result['unigram_bits_per_char'])}",
        result["verdict"]])


def cmd_text(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import cli

    sampling = args.text_command == "sample"
    if sampling:  # checked before anything is read or trained
        from .text import MAX_SAMPLE_CHARS, MAX_TEMPERATURE

        chars = _number("--chars", args.chars, DEFAULT_CHARS, 1, MAX_SAMPLE_CHARS, True)
        temperature = _number("--temperature", args.temperature, 1.0, 0, MAX_TEMPERATURE, False)
        seed = _number("--seed", args.seed, 0, 0, 2**31 - 1, True)
    config = make_config(args)
    own = read_text_file(args.text_file) if args.text_file is not None else None
    run = _train(config, own, args.verbose, err)
    result = run.result() | {"preset": args.preset or DEFAULT_PRESET}
    text = summary(result)
    diverged = run.history.diverged or not math.isfinite(run.bits_per_char)
    if sampling and not diverged:
        s = run.network().sample(args.prompt, chars, temperature, seed)
        result |= {"prompt": s.prompt, "sample": s.text, "temperature": s.temperature,
                   "seed": s.seed, "top5": [[[c, p] for c, p in top] for top in s.top5]}
        text = s.prompt + s.text
    elif sampling:
        result |= {"prompt": args.prompt, "sample": None, "top5": None}
    cli.print_result(out, result, text, args.json)
    if diverged:
        cli.warn_diverged(run, err)
        return cli.EXIT_DIVERGED
    return cli.EXIT_OK
