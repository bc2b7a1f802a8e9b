"""`peixun`: the operators' command line. `peixun --help` documents every command, table and variable.

Wrong arguments and settings are answered at once, on one line, before anything heavy is imported.
Exit codes: 0 done; 1 the run failed (its reason on one line); 2 wrong arguments or settings, or
nothing to show (an unknown table, nothing published, nothing to roll back); 75 another run holds
the home: try again when it has finished (EX_TEMPFAIL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path
from typing import NoReturn

from dagster_project import settings
from dagster_project.lib.home import PRIVATE_UMASK, prepare_home
from dagster_project.lib.home_lock import HomeBusy, hold_home, holder
from dagster_project.lib.progress import printed

EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 1, 2, 75
BULLETIN_FORMATS = ("docx", "html", "pdf")
REPORT_MODELS = settings.REPO_ROOT / "dbt" / "models" / "reports"


def report_names() -> list[str]:
    """Every published-style table: the dbt project's report models (dbt/models/reports/report_*.sql)."""
    return sorted(p.stem.removeprefix("report_") for p in REPORT_MODELS.glob("report_*.sql"))


def _say(command: str, message: object) -> None:
    print(f"peixun {command}: {message}", file=sys.stderr)


def _export_date(text: str) -> str:
    """An argparse type: YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _generate(generator_args: list[str]) -> int:
    """The development tool's command (package peixun-generator, installed by `make`), run from here."""
    try:
        from peixun_generator.cli import main as generate_main
    except ImportError:
        _say("generate", "the data generator is a development tool; install it with `pip install -e generator` "
                         "(make does)")
        return EXIT_USAGE
    return generate_main(generator_args, prog="peixun generate")


def _nightly(args: argparse.Namespace, command: str) -> int:
    """`peixun run` and `peixun backfill`: settings and folders checked, the home held, then the job."""
    started = time.time()
    config = settings.load()
    raw_dir = settings.raw_dir(args.raw_dir) if args.raw_dir else config.raw_dir
    home = settings.home_dir(args.home) if args.home else config.home
    if not raw_dir.is_dir():
        _say(command, f"no export folder {raw_dir} (--raw-dir or PEIXUN_RAW_DIR)")
        return EXIT_USAGE
    config.salt()
    if config.is_demo_salt:
        _say(command, "PEIXUN_PII_SALT is a marked demo salt (DEMO-...): fine for the sample, never for real exports")
    backfill = (args.date_from, args.date_to) if command == "backfill" else None
    if backfill and backfill[0] > backfill[1]:
        _say(command, f"--from {backfill[0]} is after --to {backfill[1]}")
        return EXIT_USAGE
    run_id = str(uuid.uuid4())
    try:
        prepare_home(home, config.analysts_group)
    except OSError as exc:
        _say(command, f"cannot use {home} as the home: {exc.strerror or exc}")
        return EXIT_USAGE
    with hold_home(home, run_id, f"peixun {command}"):  # before Dagster is even imported: a refusal is instant
        # Before the heavy imports (Dagster, dbt: seconds): the operator, or the cron log, sees the run has begun.
        print(f"peixun {command}: starting run {run_id} (home {home}, exports {raw_dir})", flush=True)
        from dagster_project.defs.operations.nightly_run import run_nightly

        if backfill:
            from dagster_project.defs.operations.partitions import dates_between

            try:
                dates = dates_between(raw_dir, *backfill)
            except ValueError as exc:  # no export folder in the range
                _say(command, exc)
                return EXIT_USAGE
            print(f"backfilling export dates {', '.join(dates)}", flush=True)
        try:
            with printed(started=started):
                outcome = run_nightly(raw_dir, home, full_refresh=getattr(args, "full_refresh", False),
                                      backfill=backfill, run_id=run_id, command=f"peixun {command}")
        except Exception as exc:  # outside the job (which reports its own failures): the digest went out
            _say(command, f"crashed: {type(exc).__name__}: {str(exc).strip().partition(chr(10))[0]}")
            return EXIT_FAILED
    print(outcome.report, flush=True)
    if not outcome.success:
        print(f"peixun {command} failed: {outcome.reason}", file=sys.stderr)
        return EXIT_FAILED
    return 0


def _run(args: argparse.Namespace) -> int:
    return _nightly(args, "run")


def _backfill(args: argparse.Namespace) -> int:
    return _nightly(args, "backfill")


def _home(args: argparse.Namespace) -> Path:
    return settings.home_dir(args.home) if args.home else settings.load().home


def _table(args: argparse.Namespace) -> int:
    if args.name not in report_names():
        _say("table", f"unknown table {args.name!r}; tables: {', '.join(report_names())}")
        return EXIT_USAGE
    from dagster_project.defs.publish.tables import TableError, published_database, read_published, to_csv

    home = _home(args)
    try:
        table = read_published(published_database(home), args.name, args.period, args.as_of, args.school)
    except TableError as exc:
        _say("table", exc)
        return EXIT_USAGE
    if args.format == "xlsx":
        from dagster_project.defs.publish.workbook import default_name, write_workbook

        out = Path(args.out) if args.out else home / "reports" / default_name(table, args.school)
        print(write_workbook(table, out, args.school))
    else:
        sys.stdout.write(to_csv(table.rows))
    return 0


def _formats(text: str) -> tuple[str, ...]:
    """An argparse type: docx,html,pdf (any of them, comma-separated)."""
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in BULLETIN_FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(f"unknown format {','.join(unknown) or text!r} "
                                         f"(expected some of {','.join(BULLETIN_FORMATS)})")
    return formats


def _bulletin(args: argparse.Namespace) -> int:
    from dagster_project.defs.publish.bulletin.charts import MissingFont
    from dagster_project.defs.publish.bulletin.config import BulletinConfigError
    from dagster_project.defs.publish.bulletin.content import BulletinError
    from dagster_project.defs.publish.bulletin.release import BulletinRejected, draft
    from dagster_project.defs.publish.tables import TableError

    try:
        done = draft(_home(args), args.program, args.period, args.as_of, args.format, args.district)
    except (BulletinError, BulletinConfigError, TableError, MissingFont) as exc:
        _say("bulletin", str(exc).replace("\n", "; "))
        return EXIT_USAGE
    except BulletinRejected as exc:
        _say("bulletin", exc)
        return EXIT_FAILED
    for reason in done.skipped:
        _say("bulletin", reason)
    print("\n".join(map(str, done.files)))
    return 0


def _status(args: argparse.Namespace) -> int:
    import duckdb

    from dagster_project.defs.operations.run_history import format_run, recent_runs
    from dagster_project.defs.publish.versions import PUBLISHED_FILE, current_version

    home = _home(args)
    print(f"published: {home / PUBLISHED_FILE} = {current_version(home) or 'nothing published yet'}")
    running = holder(home)
    if running is not None:
        print(f"in progress: run {running.describe()} ({running.command}, pid {running.pid})")
    try:
        runs = recent_runs(home / "warehouse.duckdb", args.limit)
    except duckdb.IOException:  # the warehouse's one writer, a run in progress, holds its lock
        _say("status", "the warehouse is busy (a run is writing it); try again when it has finished")
        return EXIT_BUSY
    print("\n".join(map(format_run, runs)) if runs else f"no runs recorded in {home / 'warehouse.duckdb'}")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from dagster_project.defs.publish.publication import PUBLISHED_FILE, rollback
    from dagster_project.defs.publish.versions import VersionError

    home, config = _home(args), settings.load()
    with hold_home(home, f"rollback-{uuid.uuid4()}", "peixun rollback", journal_refusal=False):  # no run beside
        try:
            version = rollback(home, config.analysts_group)
        except VersionError as exc:
            _say("rollback", exc)
            return EXIT_USAGE
    print(f"restored {version} as {home / PUBLISHED_FILE}")
    return 0


class Parser(argparse.ArgumentParser):
    """Wrong arguments: one line naming what is wrong, exit code 2 (argparse prints the whole usage)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _epilog() -> str:
    variables = "\n".join(f"  {name:<28} {meaning}" for name, meaning in settings.variables().items())
    return (
        f"tables (peixun table NAME):\n  {', '.join(report_names())}\n\n"
        "environment (also read from .env in the current directory, or PEIXUN_ENV_FILE; the environment wins):\n"
        f"{variables}\n\n"
        "exit codes: 0 done; 1 the run failed; 2 wrong arguments or settings, or nothing to show; "
        "75 another run holds the home (try again later)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="peixun",
        description="Teacher-training warehouse: ingest platform exports, build rates, check, publish.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

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
    backfill.add_argument("--from", dest="date_from", required=True, type=_export_date,
                          help="first export date YYYY-MM-DD")
    backfill.add_argument("--to", dest="date_to", required=True, type=_export_date, help="last export date YYYY-MM-DD")
    backfill.add_argument("--raw-dir", help="export folder (default: $PEIXUN_RAW_DIR, else data/raw)")
    backfill.add_argument("--home", help="warehouse home (default: $PEIXUN_HOME, else ./.peixun)")
    backfill.set_defaults(func=_backfill)

    table = commands.add_parser(
        "table", help="print a published-style table from the published analytics.duckdb (rates as in the bulletins)")
    table.add_argument("name", help=f"one of: {', '.join(report_names())}")
    table.add_argument("--period", required=True, help="period code such as 2201, or ALL for a whole programme")
    table.add_argument("--as-of", type=_export_date, help="export date YYYY-MM-DD (default: the latest)")
    table.add_argument("--home", help="warehouse home (default: $PEIXUN_HOME, else ./.peixun)")
    table.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    table.add_argument("--school", help="only the rows of this school (学校编号), for a table with a school_id column "
                                        "(school_based_followup: one school's list for its administrator)")
    table.add_argument("--out", help="xlsx file to write (default: <home>/reports/<name>_<period>_<export date>.xlsx)")
    table.set_defaults(func=_table)

    bulletin = commands.add_parser(
        "bulletin", help="draft the 学情通报 of a program period from the published analytics.duckdb, checked "
                         "against its tables, into <home>/bulletins/<program>/<period>/<export date>/")
    bulletin.add_argument("--program", required=True, help="the program by its Chinese name or its code (itp2)")
    bulletin.add_argument("--period", required=True, help="period code such as 2201")
    bulletin.add_argument("--as-of", type=_export_date, help="export date YYYY-MM-DD (default: the latest)")
    bulletin.add_argument("--district", help="that district's edition: its rows, its schools' table and the schools "
                                            "below the city's pass rate (default: the city edition)")
    bulletin.add_argument("--format", type=_formats, default=BULLETIN_FORMATS,
                          help="comma-separated docx,html,pdf (default: all three; the PDF needs chromium and "
                               "fonts-noto-cjk)")
    bulletin.add_argument("--home", help="warehouse home (default: $PEIXUN_HOME, else ./.peixun)")
    bulletin.set_defaults(func=_bulletin)

    status = commands.add_parser("status", help="the published version, a run in progress and the last runs")
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
    os.umask(PRIVATE_UMASK)  # what peixun writes (the home, workbooks) is the service user's alone
    try:
        return args.func(args)
    except settings.SettingsError as exc:
        _say(args.command, exc)
        return EXIT_USAGE
    except HomeBusy as exc:
        _say(args.command, exc)
        return EXIT_BUSY


def entry() -> NoReturn:
    """The `peixun` command. It exits as any Python program does: the interpreter's last garbage
    collection over what Dagster, dbt and Great Expectations loaded takes seconds after the work is
    done (gc.freeze() would skip it, but DuckDB's bindings then report the objects left as leaks on stderr)."""
    sys.exit(main())


if __name__ == "__main__":
    entry()
