"""Log lines that a request cannot forge: control characters in anything logged (a region code
with a newline, a NUL) are written escaped, so one event is always one line. Every line written
while a request is served carries that request's id (`request=...`), the same id the user sees
as "foutcode" and nginx writes in its line, so a reported failure is found in the log."""

from __future__ import annotations

import logging
import re
import secrets
import sys

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; another proxy may send a UUID. Anything else (spaces,
# control characters, very long values) is replaced, so a client cannot write into our lines.
_REQUEST_ID = re.compile(r"^[0-9A-Za-z-]{8,64}$")


def escape(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def request_id() -> str | None:
    """The id of the request being served (None outside a request): the proxy's X-Request-ID
    when it is a plain token, else one made here (`make serve-direct` has no proxy)."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return None
    if "request_id" not in g:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _REQUEST_ID.match(given) else secrets.token_hex(16)
    return str(g.request_id)


class EscapingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id() or "-"
        return escape(super().format(record))


def configure(name: str = "zichtop") -> logging.Logger:
    """One stderr handler with escaping for the app's loggers (idempotent). Under `make serve`
    stderr is a pipe that zichtop/hosting/serve.py writes to the size-bounded app log; one writer
    for all processes, because several processes rotating one file lose lines."""
    logger = logging.getLogger(name)
    if not any(isinstance(h.formatter, EscapingFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(EscapingFormatter("[%(asctime)s] [%(process)d] [%(levelname)s] "
                                               "%(name)s: %(message)s request=%(request_id)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
