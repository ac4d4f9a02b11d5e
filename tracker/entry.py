"""The ``tracker`` console script: a tiny dispatcher in front of the Typer app.

``tracker timex`` is a batch filter meant for pipelines and scoring runs, where the CLI framework's
start-up (importing Typer and Click, ~0.1 s) would cost more than tagging a whole document; it goes
straight to the tagger. Everything else, including ``tracker timex --help``, goes through the app.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["timex"]:
        from tracker.temporal import run_batch

        sys.exit(run_batch(sys.stdin, sys.stdout))
    from tracker.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
