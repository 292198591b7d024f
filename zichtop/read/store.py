"""Read-only access to data/zichtop.duckdb for the app. Each worker opens the file read-only and
reopens it when a new build has been swapped in (the file's inode or mtime changed)."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from functools import lru_cache
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
                _cached.cache_clear()
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
        return _cached(self, sql, params).copy()


@lru_cache(maxsize=256)
def _cached(store: Store, sql: str, params: tuple) -> pd.DataFrame:
    return store.query(sql, list(params))


_stores: dict[Path, Store] = {}


def get_store(db_path: Path | None = None) -> Store:
    """The Store of this process for a database file: the one the serving app was created with
    (`create_app(db_path)` keeps it in its Flask config), else the settings' default."""
    if db_path is None:
        from flask import current_app, has_app_context

        if has_app_context() and current_app.config.get("ZICHTOP_DB"):
            db_path = Path(current_app.config["ZICHTOP_DB"])
    path = Path(db_path or Settings.from_env().db_path)
    if path not in _stores:
        _stores[path] = Store(path)
    return _stores[path]
