"""`make bench`: runs every `portevoix/<app>/bench/` package (its `run()` returns figures)
and prints one `name: value` line per figure. Benchmarks measure; they never pass or fail on time."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time

import portevoix

# Sections measuring the whole platform rather than one app, in portevoix/bench/<name>.py.
BENCH_SECTIONS = ["lighthouse"]


def main(only: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    names = sorted(
        m.name for m in pkgutil.iter_modules(portevoix.__path__) if m.ispkg and m.name != "bench"
    )
    for app in names + BENCH_SECTIONS:
        if only and app not in only:
            continue
        # A section of its own (across apps) lives beside this file; an app's in its bench.py.
        name = f"portevoix.bench.{app}" if app in BENCH_SECTIONS else f"portevoix.{app}.bench"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        if not hasattr(module, "run"):  # helpers the benchmarks share (core.bench)
            continue
        started = time.monotonic()
        print(f"# {app}", flush=True)
        for name, value in module.run().items():
            print(
                f"{name}: {value:.6g}" if isinstance(value, float) else f"{name}: {value}",
                flush=True,
            )
        print(f"# {app} took {time.monotonic() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
