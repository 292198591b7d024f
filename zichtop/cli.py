"""Command line: `zichtop build`, `zichtop profiel GM0363 --thema drugs`, `zichtop docs`,
`zichtop info`. Errors print one clear line and exit non-zero."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zichtop.core.config import REPO_ROOT, Settings
from zichtop.core.errors import ZichtopError


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from zichtop.pipeline.run import STEPS, build

    if args.source:
        settings = settings.with_(source=args.source)
    if args.db:
        settings = settings.with_(db_path=Path(args.db))
    source = settings.resolved_source()
    print(f"Zichtop build: bron = {source} "
          f"({settings.cbs_dir if source == 'mirror' else settings.cbs_url})", flush=True)
    total = 1 if args.step else len(STEPS)
    with tqdm(total=total, unit="stap", disable=args.quiet or not sys.stderr.isatty()) as bar:
        def progress(message: str) -> None:
            bar.set_description(message[:50])
            if not sys.stderr.isatty() and not args.quiet:
                print(f"  ... {message}", flush=True)

        started: list[object] = []

        def next_step(step: object) -> None:  # a step starts: the one before it is done
            if started:
                bar.update(1)
            started.append(step)

        summary = build(settings, progress=progress, step=args.step, on_step=next_step)
        bar.update(total - bar.n)
    print("\n".join(summary.lines()))
    return 0


def _profile(args: argparse.Namespace, settings: Settings) -> int:
    from zichtop.read.connect import connect
    from zichtop.read.profile import municipality, profile_text

    con = connect(Path(args.db) if args.db else settings.db_path)
    print(profile_text(con, municipality(con, args.code), args.thema, args.jaar))
    return 0


def _docs(args: argparse.Namespace, settings: Settings) -> int:
    from zichtop.read.docs import indicators_markdown

    target = Path(args.output) if args.output else REPO_ROOT / "docs" / "indicators.md"
    target.write_text(indicators_markdown(), encoding="utf-8")
    print(f"geschreven: {target}")
    return 0


def _publish(args: argparse.Namespace, settings: Settings) -> int:
    from zichtop.read.connect import connect
    from zichtop.read.publish import write_package

    con = connect(Path(args.db) if args.db else settings.db_path)
    descriptor = write_package(con, Path(args.folder))
    print(f"geschreven: {descriptor} (alleen gepubliceerde cijfers; de database zelf bevat "
          "verborgen aantallen en is niet om te delen)")
    return 0


def _info(args: argparse.Namespace, settings: Settings) -> int:
    from zichtop.read import presentation as p
    from zichtop.read.connect import connect

    con = connect(Path(args.db) if args.db else settings.db_path)
    info = con.execute("SELECT * FROM build_info").df().iloc[0]
    print(f"Database {Path(args.db) if args.db else settings.db_path}")
    print(f"Bijgewerkt op {p.date_nl(info['built_at'])} uit {p.source_words(info['source'])} "
          f"(Zichtop {info['version']}).")
    print("\nTabellen van CBS:")
    for table, rows, truncated, used in con.execute(
            "SELECT table_id, rows, truncated, complete_slice FROM provenance ORDER BY table_id"
    ).fetchall():
        note = "volledig" if not truncated else \
            f"afgekapt, gebruikt wordt alleen: {used}" if used else "afgekapt"
        print(f"  {table:18} {rows:>7} rijen  {note}")
    return 0


def _own_data(args: argparse.Namespace, settings: Settings) -> int:
    """`zichtop eigen-gegevens FILE`: the file checked, computed and written; every problem of
    the file on its own line (row, column, value) and exit 2 when it cannot be used."""
    from zichtop.read import own_data, own_file

    path = Path(args.bestand)
    if not path.is_file():
        raise ZichtopError(f"bestand {path} bestaat niet")
    if path.stat().st_size > own_file.MAX_BYTES:
        raise ZichtopError(f"bestand {path.name} is groter dan "
                           f"{own_file.MAX_BYTES // 1024 // 1024} MiB")
    from zichtop.read.connect import connect

    con = connect(Path(args.db) if args.db else settings.db_path)
    try:
        frame = own_data.results(own_file.parse(path.read_bytes()),
                                 lambda sql, params: con.execute(sql, params).df())
    except own_file.OwnDataError as error:
        print(f"zichtop: {path.name} kan niet worden gebruikt:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem.text()}", file=sys.stderr)
        return 2
    data = own_data.to_csv_bytes(own_data.export_frame(frame))
    if args.uitvoer:
        Path(args.uitvoer).write_bytes(data)
        print(f"{len(frame)} rijen geschreven naar {args.uitvoer}")
    else:
        sys.stdout.write(data.decode("utf-8-sig"))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zichtop", description="Zicht op Ondermijning met open "
                                "CBS-data: bouw de database en bekijk profielen.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="bouw data/zichtop.duckdb uit CBS (live of een kopie)")
    b.add_argument("--source", choices=["auto", "mirror", "live"],
                   help="waar de CBS-tabellen vandaan komen: de kopie naast de checkout "
                        "(mirror), CBS zelf (live) of de kopie als die er is (auto, standaard)")
    b.add_argument("--db", help="pad van de database (standaard data/zichtop.duckdb)")
    b.add_argument("--quiet", action="store_true", help="alleen de samenvatting tonen")
    b.add_argument("--step", choices=["load", "stage", "boundaries", "marts", "checks"],
                   help="voer alleen deze stap opnieuw uit op de bestaande database (debuggen)")
    b.set_defaults(run=_build)
    pr = sub.add_parser("profiel", help="profiel van een gemeente, eventueel voor één thema")
    pr.add_argument("code", help="gemeente: code (GM0363), naam (Sluis) of plaats (Oostburg)")
    pr.add_argument("--thema", default=None, help="drugs, vastgoed, vakantieparken, zorg, ...")
    pr.add_argument("--jaar", type=int, default=None,
                    help="de cijfers van dit jaar in plaats van de laatste")
    pr.add_argument("--db", help="pad van de database (standaard data/zichtop.duckdb)")
    pr.set_defaults(run=_profile)
    d = sub.add_parser("docs", help="schrijf docs/indicators.md uit het register")
    d.add_argument("--output", help="ander doelbestand dan docs/indicators.md")
    d.set_defaults(run=_docs)
    pu = sub.add_parser("publish", help="schrijf een open datapakket (CSV + datapackage.json) "
                                        "met alleen gepubliceerde cijfers")
    pu.add_argument("folder", help="map voor het pakket")
    pu.add_argument("--db", help="pad van de database (standaard data/zichtop.duckdb)")
    pu.set_defaults(run=_publish)
    e = sub.add_parser("eigen-gegevens", help="eigen cijfers (CSV of XLSX) met dezelfde methode "
                                              "naast de CBS-patronen zetten")
    e.add_argument("bestand", help="CSV of XLSX met de kolommen gebied, periode, aantal en "
                                   "eventueel noemer en omschrijving")
    e.add_argument("--uitvoer", help="schrijf het resultaat als CSV naar dit bestand (anders "
                                     "op het scherm)")
    e.add_argument("--db", help="pad van de database (standaard data/zichtop.duckdb)")
    e.set_defaults(run=_own_data)
    i = sub.add_parser("info", help="bron en herkomst van de database")
    i.add_argument("--db", help="pad van de database (standaard data/zichtop.duckdb)")
    i.set_defaults(run=_info)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args, Settings.from_env()))
    except (ZichtopError, ValueError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"zichtop: fout: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped early (`zichtop profiel GM1714 | head`): no traceback; stdout is
        # pointed at nothing so that Python's own flush at exit does not fail again
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
