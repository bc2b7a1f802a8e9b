"""`python -m benchmarks [--scale city]`: run the benchmark, print the report, record it in docs/benchmarks.md."""

from __future__ import annotations

import argparse
import sys

from benchmarks.exports import DEFAULT_SEED
from benchmarks.report import record
from benchmarks.run import OPTIONAL_PARTS, TablesDiffer, run_benchmark

MEMORY_CAP_GIB = {"sample": 12.0, "city": 12.0, "province": 20.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", default="city", choices=["sample", "city", "province"])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--skip", action="append", default=[], choices=OPTIONAL_PARTS,
                        help="leave out a part of the run (repeatable)")
    parser.add_argument("--memory-cap-gib", type=float, default=None,
                        help="stop a contender holding more than this (the machine is shared); 0 = no cap; "
                             f"default {MEMORY_CAP_GIB}, by scale (pandas needs 18.4 GiB at province)")
    parser.add_argument("--note", default="", help="conditions of the run, printed with the figures")
    args = parser.parse_args(argv)
    cap_gib = MEMORY_CAP_GIB[args.scale] if args.memory_cap_gib is None else args.memory_cap_gib
    try:
        results = run_benchmark(args.scale, args.seed, set(args.skip), int(cap_gib * 2**30))
    except TablesDiffer as exc:
        print(f"benchmark stopped: {exc}", file=sys.stderr)
        return 1
    results["note"] = args.note
    print(record(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
