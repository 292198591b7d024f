"""The read side of the store: open data/zichtop.duckdb read-only. The app and the CLI's readers
use this module; it never imports the build."""

from __future__ import annotations

from pathlib import Path

import duckdb

from zichtop.core.errors import ZichtopError


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the store read-only; a clear message when it is missing or not a DuckDB file."""
    if not Path(db_path).is_file():
        raise ZichtopError(f"database {db_path} does not exist: run `zichtop build` first")
    # Attached to a private in-memory instance rather than opened directly: DuckDB shares one
    # instance per path within a process, which would keep serving a file already replaced by
    # a newer build.
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS store (READ_ONLY)", [str(db_path)])
        con.execute("USE store")
        return con
    except duckdb.Error as error:
        con.close()
        raise ZichtopError(f"database {db_path} cannot be opened: {error}") from error
