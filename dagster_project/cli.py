"""`peixun`: the operators' command line. `peixun --help` documents every command."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import NoReturn

from dagster_project import settings
from dagster_project.lib.progress import printed


def _generate(generator_args: list[str]) -> int:
    """The development tool's command (package peixun-generator, installed by `make`), run from here."""
    try:
        from peixun_generator.cli import main as generate_main
    except ImportError:
        print("peixun generate: the data generator is a development tool; install it with "
              "`pip install -e generator` (make does)", file=sys.stderr)
        return 2
    return generate_main(generator_args, prog="peixun generate")


def _run(args: argparse.Namespace) -> int:
    started = time.time()
    raw_dir, home = settings.raw_dir(args.raw_dir), settings.home_dir(args.home)
    # Before the heavy imports (Dagster, dbt: seconds): the operator, or the cron log, sees the run has begun.
    print(f"peixun run: starting (home {home}, exports {raw_dir})", flush=True)
    from dagster_project.defs.operations.nightly_run import run_nightly

    with printed(started=started):
        outcome = run_nightly(raw_dir, home, full_refresh=args.full_refresh)
    print(outcome.report, flush=True)
    if not outcome.success:
        print(f"peixun run failed: {outcome.reason}", file=sys.stderr)
        return 1
    return 0


def _table(args: argparse.Namespace) -> int:
    from dagster_project.defs.publish.tables import TableError, published_table, to_csv, to_xlsx

    home = settings.home_dir(args.home)
    try:
        frame = published_table(home / "warehouse.duckdb", args.name, args.period, args.as_of)
    except TableError as exc:
        print(f"peixun table: {exc}", file=sys.stderr)
        return 2
    if args.format == "xlsx":
        out = Path(args.out or home / "reports" / f"{args.name}_{args.period}_{args.as_of or 'latest'}.xlsx")
        print(to_xlsx(frame, out, f"{args.name} {args.period} {args.as_of or ''}".strip()))
    else:
        sys.stdout.write(to_csv(frame))
    return 0


def _status(args: argparse.Namespace) -> int:
    import duckdb

    from dagster_project.defs.operations.run_history import format_run, recent_runs
    from dagster_project.defs.publish.versions import PUBLISHED_FILE, current_version

    home = settings.home_dir(args.home)
    print(f"published: {home / PUBLISHED_FILE} = {current_version(home) or 'nothing published yet'}")
    try:
        runs = recent_runs(home / "warehouse.duckdb", args.limit)
    except duckdb.IOException as exc:  # the warehouse's one writer, a run in progress, holds its lock
        print(f"peixun status: the warehouse is busy, a run is probably in progress ({exc})", file=sys.stderr)
        return 1
    print("\n".join(map(format_run, runs)) if runs else f"no runs recorded in {home / 'warehouse.duckdb'}")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from dagster_project.defs.publish.publication import PUBLISHED_FILE, rollback
    from dagster_project.defs.publish.versions import VersionError

    home = settings.home_dir(args.home)
    try:
        version = rollback(home)
    except VersionError as exc:
        print(f"peixun rollback: {exc}", file=sys.stderr)
        return 2
    print(f"restored {version} as {home / PUBLISHED_FILE}")
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from dagster_project.defs.operations.nightly_run import run_nightly
    from dagster_project.defs.operations.partitions import dates_between

    raw_dir = settings.raw_dir(args.raw_dir)
    try:
        dates = dates_between(raw_dir, args.date_from, args.date_to)
    except ValueError as exc:  # no export folder in the range, or a malformed date
        print(f"peixun backfill: {exc}", file=sys.stderr)
        return 2
    print(f"backfilling export dates {', '.join(dates)}", flush=True)
    with printed():
        outcome = run_nightly(raw_dir, settings.home_dir(args.home), backfill=(args.date_from, args.date_to))
    print(outcome.report, flush=True)
    if not outcome.success:
        print(f"peixun backfill failed: {outcome.reason}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peixun",
        description="Teacher-training warehouse: ingest platform exports, build rates, check, publish.",
        epilog="Environment: PEIXUN_RAW_DIR, PEIXUN_HOME, PEIXUN_PII_SALT, PEIXUN_KEEP_VERSIONS, "
               "PEIXUN_SCHEDULE_CRON (see .env.example).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser(
        "generate", add_help=False,
        help="write realistic platform exports (development tool peixun-generate; `peixun generate --help`)")
    gen.set_defaults(func=lambda args: _generate([]))  # main() hands `peixun generate ...` over before parsing

    run = commands.add_parser("run", help="run the whole nightly job in process through Dagster")
    run.add_argument("--raw-dir", help="export folder (default: $PEIXUN_RAW_DIR, else the bundled sample data/raw)")
    run.add_argument("--home", help="where warehouse.duckdb and all outputs go (default: $PEIXUN_HOME, else ./.peixun)")
    run.add_argument("--full-refresh", action="store_true",
                     help="rebuild every export date (after a change of seeds or program rules)")
    run.set_defaults(func=_run)

    backfill = commands.add_parser(
        "backfill", help="load a range of export dates again and rebuild exactly those dates, then check and publish"
    )
    backfill.add_argument("--from", dest="date_from", required=True, help="first export date YYYY-MM-DD")
    backfill.add_argument("--to", dest="date_to", required=True, help="last export date YYYY-MM-DD")
    backfill.add_argument("--raw-dir", help="export folder (default: $PEIXUN_RAW_DIR, else data/raw)")
    backfill.add_argument("--home", help="warehouse home (default: $PEIXUN_HOME, else ./.peixun)")
    backfill.set_defaults(func=_backfill)

    table = commands.add_parser("table", help="print a published-style table (rates formatted as in the bulletins)")
    table.add_argument("name", help="e.g. itp2_district_teachers, itp2_district_enrollments, regular_course_buckets")
    table.add_argument("--period", required=True, help="period code such as 2201, or ALL for a whole programme")
    table.add_argument("--as-of", help="export date YYYY-MM-DD (default: the latest)")
    table.add_argument("--home", help="warehouse home (default: $PEIXUN_HOME, else ./.peixun)")
    table.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    table.add_argument("--out", help="xlsx file to write (default: <home>/reports/<name>_<period>_<date>.xlsx)")
    table.set_defaults(func=_table)

    status = commands.add_parser("status", help="the published version and the last runs (ops.run_history)")
    status.add_argument("--home", help="warehouse home (default: $PEIXUN_HOME, else ./.peixun)")
    status.add_argument("--limit", type=int, default=10, help="how many runs to show, newest first (default 10)")
    status.set_defaults(func=_status)

    back = commands.add_parser("rollback", help="publish again the analytics.duckdb version before the current one")
    back.add_argument("--home", help="warehouse home (default: $PEIXUN_HOME, else ./.peixun)")
    back.set_defaults(func=_rollback)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["generate"]:
        return _generate(argv[1:])
    args = build_parser().parse_args(argv)
    return args.func(args)


def entry() -> NoReturn:
    """The `peixun` command. It exits as any Python program does: the interpreter's last garbage
    collection over what Dagster, dbt and Great Expectations loaded takes seconds after the work is
    done (gc.freeze() would skip it, but DuckDB's bindings then report the objects left as leaks on stderr)."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
