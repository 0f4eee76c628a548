"""Where `mimp check` spends its CPU time, step by step, without a profiler's overhead.

    python benchmarks/profile_check.py SITE_DIR [--no-gc]

Wraps the main steps of check_site (YAML compose, alias-bomb walk, construct,
pydantic validation, reference checks) with CPU timers, and times the garbage
collector through gc.callbacks. cProfile inflates this workload about 4x and
skews it towards the many small Python calls; these figures are the real ones.
Steps nest (the collector runs inside the others), so shares add up to more
than 100%. `--no-gc` disables the collector, to see the steps on their own.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import defaultdict
from pathlib import Path

NOW = "2026-11-23T12:00:00Z"
STEPS = [
    (
        "mimp.load.safe_yaml:_StrictLoader.get_single_node",
        "yaml: compose (libyaml, Python nodes and resolver)",
    ),  # fmt: skip
    ("mimp.load.safe_yaml:_check_expansion", "yaml: alias-bomb walk (_check_expansion)"),
    (
        "mimp.load.safe_yaml:_StrictLoader.construct_document",
        "yaml: construct LineMap/LineList",
    ),  # fmt: skip
    ("mimp.load.sources:read_text", "read files (stat, read, decode)"),
    ("mimp.load.sources:split_front_matter", "split front matter"),
    ("mimp.model.site:_validate", "pydantic: validate records"),
    ("mimp.model.integrity:_Refs.check", "integrity: reference checks (_Refs.check)"),
    ("mimp.model.integrity:check_integrity", "integrity: all"),
    ("mimp.derive.process:check_process", "process rules"),
]


def _wrap(target: str, label: str, spent: dict[str, float]) -> bool:
    import importlib

    module_name, _, attr_path = target.partition(":")
    owner = importlib.import_module(module_name)
    *parents, name = attr_path.split(".")
    for part in parents:
        owner = getattr(owner, part, None)
        if owner is None:
            return False
    original = getattr(owner, name, None)
    if original is None:
        return False

    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    setattr(owner, name, timed)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--no-gc", action="store_true", help="disable the garbage collector")
    args = parser.parse_args(argv)

    spent: dict[str, float] = defaultdict(float)
    missing = [label for target, label in STEPS if not _wrap(target, label, spent)]
    from mimp.adapters.clock import parse_now
    from mimp.pipeline import check_site

    collections: list[float] = []
    gc.callbacks.append(lambda phase, info: collections.append(time.process_time()))
    if args.no_gc:
        gc.disable()
    started = time.process_time()
    checked = check_site(args.root, now=parse_now(NOW))
    total = time.process_time() - started
    gc_time = sum(
        end - begin for begin, end in zip(collections[::2], collections[1::2], strict=False)
    )

    print(f"`mimp check` of {len(checked.site.incidents):,} records: CPU seconds by step\n")
    print("| step | CPU s | share |\n| --- | ---: | ---: |")
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f}% |")
    runs = len(collections) // 2
    print(f"| garbage collector ({runs} runs) | {gc_time:.2f} | {100 * gc_time / total:.0f}% |")
    print(f"| **total check_site** | **{total:.2f}** | 100% |")
    if missing:
        print(f"\nnot found (renamed?): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
