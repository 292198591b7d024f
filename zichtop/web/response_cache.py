"""Memoised callback responses. A Dash callback's answer depends only on its validated inputs and
the data, so an answer is reused for the same inputs while the same database file is served (a
new build changes the file and so the key). The key is built from the validated inputs only
(`requests_check.cache_key_material`): unknown URL parameters cannot make every request a miss.

Bound: the cache counts the memory each entry really holds (the answer, its key, its mimetype and
the bookkeeping of the ordered dict, measured with sys.getsizeof) and stays under `max_bytes`
(64 MiB per worker by default; ZICHTOP_RESPONSE_CACHE_MB changes it, 0 turns it off).
tests/integration/test_faults.py checks the count against tracemalloc."""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from datetime import date

from zichtop.core.config import Settings

ENTRY_OVERHEAD = 120  # an OrderedDict slot and its linked-list node, measured on CPython 3.11


def entry_size(key: str, data: bytes, mimetype: str) -> int:
    return (sys.getsizeof(key) + sys.getsizeof(data) + sys.getsizeof(mimetype)
            + sys.getsizeof((data, mimetype)) + ENTRY_OVERHEAD)


class ResponseCache:
    def __init__(self, max_bytes: int | None = None):
        settings = Settings.from_env()
        self.max_bytes = int(settings.response_cache_mb * 1024 * 1024) if max_bytes is None \
            else max_bytes
        self.enabled = settings.response_cache and self.max_bytes > 0
        self._items: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self.size = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(material: bytes, data_stamp: object) -> str:
        # the day is part of the key: exports carry their date
        return hashlib.sha256(material + repr((data_stamp, date.today())).encode()).hexdigest()

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def __len__(self) -> int:
        return len(self._items)

    def put(self, key: str, data: bytes, mimetype: str) -> None:
        cost = entry_size(key, data, mimetype)
        if cost > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (data, mimetype)
            self.size += cost
            while self.size > self.max_bytes:
                old_key, (old, old_type) = self._items.popitem(last=False)
                self.size -= entry_size(old_key, old, old_type)
