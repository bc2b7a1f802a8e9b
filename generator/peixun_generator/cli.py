"""`peixun-generate` (also `peixun generate`): write realistic platform exports for development and tests."""

from __future__ import annotations

import argparse
from pathlib import Path

SCALES = ("sample", "city", "province", "jiangxi")


def build_parser(prog: str = "peixun-generate") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Write realistic platform exports (both dialects, every entity, the contract's traps)."
    )
    parser.add_argument("--scale", choices=SCALES, default="sample",
                        help="sample: a few thousand teachers; city: ~170k teachers, 3.2M enrollments, "
                             "calibrated to the published Guangzhou 2201 tables; province: ~20M enrollments; "
                             "jiangxi: Jiangxi's 全员培训 alone at the province's size (~400k teachers, 4M "
                             "enrollments after 考核; the sample holds a small Jiangxi set too)")
    parser.add_argument("--out", required=True, help="folder to write <source>/<export_date>/<file> into")
    parser.add_argument("--seed", type=int, default=2201, help="random seed; the same seed writes the same files")
    return parser


def main(argv: list[str] | None = None, prog: str = "peixun-generate") -> int:
    from peixun_generator import generate

    args = build_parser(prog).parse_args(argv)
    summary = generate(args.scale, Path(args.out), seed=args.seed)
    print(f"generated {args.scale} exports in {args.out}: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
