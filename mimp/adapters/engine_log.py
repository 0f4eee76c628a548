"""MkDocs reports through the `mkdocs` logger; the command line shows it on stderr."""

from __future__ import annotations

import logging
import sys


def show_engine_messages(level: int) -> None:
    """Print MkDocs' (and the plugin's) messages at `level` and above, once."""
    logger = logging.getLogger("mkdocs")
    if any(getattr(h, "_mimp", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler._mimp = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
