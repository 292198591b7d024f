"""Heavy answers in bounded numbers. An export (a CSV or Excel pack of a region, a
municipality's wijken, a comparison) takes a thread for up to seconds; with 4 threads per
worker, 8 colleagues exporting at once would occupy every thread and `/healthz` and the pages
would wait behind them. At most MAX_HEAVY exports run at once per worker; one more is not queued
(a queued request holds a thread too) but answered at once with a Dutch request to try again in
a moment, shown in the page's banner. A cached export (the same export asked before, while the
same data are served) is not counted: it is answered without work."""

from __future__ import annotations

import json
import threading

MAX_HEAVY = 2  # of a worker's 4 threads: two stay free for pages, callbacks and /healthz
BUSY = "Er worden nu veel exports gemaakt. Probeer het over enkele seconden opnieuw."


class HeavyGate:
    def __init__(self, limit: int = MAX_HEAVY) -> None:
        self._slots = threading.BoundedSemaphore(limit)

    def enter(self) -> bool:
        """Take a slot if one is free (never waits)."""
        return self._slots.acquire(blocking=False)

    def leave(self) -> None:
        self._slots.release()


def busy_answer() -> str:
    """A callback answer that changes no output and shows the Dutch message in the banner (as
    a failing callback does: zichtop/web/app.py on_callback_error)."""
    return json.dumps({"multi": True, "response": {},
                       "sideUpdate": {"app-melding": {"children": BUSY, "hidden": False}}})
