"""Memoised callback responses. A Dash callback's answer depends only on its request body and the
data, so an answer is reused for the same body while the same database file is served (a new
build changes the file and so the key). Bounded per worker by total bytes; off with
ZICHTOP_RESPONSE_CACHE=0 (the benchmarks measure both)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from datetime import date


class ResponseCache:
    def __init__(self, max_bytes: int = 64 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.enabled = os.environ.get("ZICHTOP_RESPONSE_CACHE", "1") != "0"
        self._items: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(body: bytes, data_stamp: object) -> str:
        # the day is part of the key: exports carry their date
        return hashlib.sha256(body + repr((data_stamp, date.today())).encode()).hexdigest()

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, data: bytes, mimetype: str) -> None:
        if len(data) > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (data, mimetype)
            self._size += len(data)
            while self._size > self.max_bytes:
                _, (old, _) = self._items.popitem(last=False)
                self._size -= len(old)
