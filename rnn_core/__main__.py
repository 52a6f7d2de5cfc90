"""``python -m rnn_core ...``: the headless command line (see ``rnn_core.cli``)."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

if __name__ == "__main__":
    import sys

    from .cli import main

    sys.exit(main())
