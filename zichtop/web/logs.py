"""Log lines that a request cannot forge: control characters in anything logged (a region code
with a newline, a NUL) are written escaped, so one event is always one line."""

from __future__ import annotations

import logging
import re
import sys

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def escape(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class EscapingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return escape(super().format(record))


def configure(name: str = "zichtop") -> logging.Logger:
    """One stderr handler with escaping for the app's loggers (idempotent)."""
    logger = logging.getLogger(name)
    if not any(isinstance(h.formatter, EscapingFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(EscapingFormatter("[%(asctime)s] [%(process)d] [%(levelname)s] "
                                               "%(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
