#!/usr/bin/python3
"""The real kata-agent (CLI and socket), asserting what it reports: `make -C kata-agent test`, as root.

Cases run in parallel (the 10 s timeouts overlap); the last line is exactly "N passed, M failed" and the exit status
is non-zero on any failure. Without root every case fails. `run_tests.py warm serve` runs only those areas. The cases live in agent_test/, one module per area;
escapes from the jail are the hostile corpus's (tests/hostile).
"""
import sys

sys.dont_write_bytecode = True  # run as root from the source tree: leave no root-owned __pycache__ behind

import importlib  # noqa: E402

AREAS = ["examples", "statuses", "limits", "cli", "serve", "transport", "files", "warm"]

if __name__ == "__main__":
    # importing an area registers its cases, in this order; arguments name the areas to run (default: all)
    for area in sys.argv[1:] or AREAS:
        importlib.import_module(f"agent_test.{area}")
    from agent_test.harness import main
    sys.exit(main())
