"""`zichtop build`: CBS tables -> data/zichtop.duckdb, written to a temporary file and swapped in,
as named steps listed once in STEPS: load -> stage -> boundaries -> marts -> checks.

Tables in the store (each documents what one row is):
- raw."<TABLEID>"       the table as obtained (text), one row per CBS row: the columns the
                        catalog declares (a live build asks CBS for only those)
- observations          staging: one value per table, measure, dimension filters, region, period
- gm_observations       one value per table, measure, dims, 2024 municipality, period, with
                        boundary status (native, unchanged, converted, unconverted)
- regions               one row per 2024 municipality, province, RIEC region and the country
- areas                 one row per area at every level (NL, PV, RE, GM, WK, BU) with its parent
                        and inhabitants 2024 (zichtop/core/areas.py)
- former_names          one row per former municipality (2016-2023) and today's municipality
                        its homes went to (for search: 'Weesp' finds Amsterdam)
- places                one row per woonplaats of 2024 and its gemeente (search: 'Oostburg'
                        finds Sluis)
- search_options        one row per option of the search field, in its order: each municipality,
                        then each woonplaats not named as its gemeente ('Oostburg (gemeente
                        Sluis)')
- population            one row per 2024 municipality and year 2016-2025 (inhabitants)
- boundaries            one row per area polygon; boundary_layers one row per national map
                        layer; area_layers one row per municipality and level below it (wijken);
                        map_sketch one row per municipality, RIEC region and province (the SVG map)
- provenance            one row per loaded table: source, file hash or retrieval time, rows,
                        truncated, complete slice, build time
- raw_region_keys       one row per region title and its CBS key, as live CBS sent them
- build_info            one row: source, build time, Zichtop version
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from zichtop.core.config import Settings
from zichtop.core.errors import ZichtopError
from zichtop.indicators.catalog import TABLES
from zichtop.pipeline.steps.boundaries import boundaries_step
from zichtop.pipeline.steps.checks import GRAIN, checks_step
from zichtop.pipeline.steps.context import BuildContext, BuildSummary, Step
from zichtop.pipeline.steps.getter import TableGetter
from zichtop.pipeline.steps.load import load_step
from zichtop.pipeline.steps.marts import marts_step
from zichtop.pipeline.steps.stage import stage_step

__all__ = ["GRAIN", "STEPS", "BuildContext", "BuildSummary", "build", "checks_step",
           "remove_stale_temporaries"]

_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS}


STEPS: tuple[Step, ...] = (
    Step("load", "CBS-tabellen ophalen", load_step),
    Step("stage", "Normaliseren en omrekenen naar gemeentegrenzen 2024", stage_step),
    Step("boundaries", "Grenzen van gemeenten, provincies, RIEC-regio's en wijken",
         boundaries_step),
    Step("marts", "Thema's en afwijkingen berekenen", marts_step),
    Step("checks", "Korrel van elke tabel controleren", checks_step),
)


def build(settings: Settings, *, tables: Iterable[str] | None = None,
          progress: Callable[[str], None] | None = None, step: str | None = None,
          on_step: Callable[[Step], None] | None = None) -> BuildSummary:
    """Build the store: every step in STEPS into a new file that is swapped in. With `step`,
    only that step runs, on a copy of the current database (for debugging). On any error the
    previous database is left as it was."""
    started = time.perf_counter()
    steps = STEPS if step is None else tuple(s for s in STEPS if s.name == step)
    if not steps:
        raise ZichtopError(f"unknown step {step!r}; steps: {', '.join(s.name for s in STEPS)}")
    target = Path(settings.db_path)
    if step is not None and not target.is_file():
        raise ZichtopError(f"database {target} does not exist: build it whole first")
    getter = TableGetter(settings)
    summary = BuildSummary(getter.source, settings.db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    say = progress or (lambda _message: None)
    stopped = _stop_on_sigterm()
    try:
        if step is not None:
            shutil.copyfile(target, temporary)
        con = duckdb.connect(str(temporary))
        try:
            ctx = BuildContext(con, settings, getter, summary, say, list(tables or TABLES))
            for s in steps:
                if on_step is not None:
                    on_step(s)
                say(s.label)
                s.run(ctx)
            summary.seconds = time.perf_counter() - started
            con.execute("UPDATE build_info SET seconds = ?", [summary.seconds])
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(temporary, target)  # atomic on one filesystem: readers see old or new
    except (duckdb.Error, OSError) as error:
        if isinstance(error, OSError) and error.errno not in _WRITE_ERRORS:
            temporary.unlink(missing_ok=True)
            raise
        temporary.unlink(missing_ok=True)
        Path(str(temporary) + ".wal").unlink(missing_ok=True)
        raise ZichtopError(f"database {target}: could not write {temporary.name} (disk full or "
                           f"not writable?): {error}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        Path(str(temporary) + ".wal").unlink(missing_ok=True)
        raise
    finally:
        stopped()
    return summary


def _stop_on_sigterm() -> Callable[[], None]:
    """A build stopped with SIGTERM (a service stop, `kill`) leaves no half-written file: the
    signal becomes SystemExit, which the build's clean-up sees (Python's default would end the
    process without it). Returns what restores the previous handler."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may set handlers (a build in a test thread)

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def remove_stale_temporaries(target: Path) -> None:
    """Remove half-written files of builds that were killed (their process is gone)."""
    for stale in Path(target).parent.glob(f".{Path(target).name}.*.tmp*"):
        pid = stale.name.removeprefix(f".{Path(target).name}.").split(".")[0]
        if not pid.isdigit() or not Path(f"/proc/{pid}").exists() or int(pid) == os.getpid():
            stale.unlink(missing_ok=True)
