"""Read-only access to data/zichtop.duckdb for the app. Each worker opens the file read-only and
reopens it when a new build has been swapped in (the file's inode or mtime changed). Each Store
keeps its own cache of results that do not change between builds, emptied when it reopens its
file; a served app keeps its Store in the Flask app (`create_app`), so two apps over two files
never share or clear each other's."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from zichtop.core.config import Settings
from zichtop.core.errors import ZichtopError
from zichtop.read.connect import connect


class StoreError(ZichtopError):
    """The served database cannot answer (damaged, or not a Zichtop build)."""


class Store:
    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, float] | None = None
        self.loaded_at: str | None = None  # when this worker opened the current file
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()  # least recent first

    def _stamp_now(self) -> tuple[int, float]:
        stat = os.stat(self.db_path)
        return stat.st_ino, stat.st_mtime

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            stamp = self._stamp_now() if self.db_path.exists() else None
            if self._con is None or stamp != self._stamp:
                old = self._con
                self._con = connect(self.db_path)
                self._stamp = stamp
                self.loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
                self._cache.clear()  # this store's own results only
                if old is not None:
                    old.close()
            return self._con

    def stamp(self) -> tuple[int, float] | None:
        """Identity of the database file being served (changes when a build is swapped in)."""
        self._connection()
        return self._stamp

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a parameterised query (user input only ever travels as parameters)."""
        cursor = self._connection().cursor()
        try:
            cursor.execute("USE store")  # a cursor is a fresh connection: select the store
            return cursor.execute(sql, params or []).df()
        except duckdb.Error as error:  # damaged file, tables missing: not a server error
            raise StoreError(f"database {self.db_path}: query failed ({type(error).__name__}: "
                             f"{str(error)[:200]})") from error
        finally:
            cursor.close()

    def cached(self, sql: str, *params: object) -> pd.DataFrame:
        """Results that do not change between builds of one file (regions, boundaries)."""
        self._connection()
        key = (sql, params)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit.copy()
        result = self.query(sql, list(params))
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return result.copy()


CACHE_ENTRIES = 256  # per store: the regions, periods, status and layers of a few indicators
# Stores used outside a served app (the command line, notebooks, benchmarks), one per file
_outside_app: dict[Path, Store] = {}


def get_store(db_path: Path | None = None) -> Store:
    """The Store for a database file: inside a served app the one it was created with
    (`create_app(db_path)` keeps it in the Flask app's extensions), else one per file for this
    process (the settings' default file when none is given)."""
    if db_path is None:
        from flask import current_app, has_app_context

        if has_app_context() and "zichtop.store" in current_app.extensions:
            return current_app.extensions["zichtop.store"]  # type: ignore[no-any-return]
    path = Path(db_path or Settings.from_env().db_path)
    if path not in _outside_app:
        _outside_app[path] = Store(path)
    return _outside_app[path]
