#!/usr/bin/python3
"""The real kata-agent (CLI and socket), asserting what it reports: `make -C kata-agent test`, as root.

Cases run in parallel (the 10 s timeouts overlap); the last line is exactly "N passed, M failed" and the exit status
is non-zero on any failure. Without root every case fails. The cases live in agent_test/, one module per area;
escapes from the jail are the hostile corpus's (tests/hostile).
"""
import sys

sys.dont_write_bytecode = True  # run as root from the source tree: leave no root-owned __pycache__ behind

# importing an area registers its cases, in this order
from agent_test import seed, statuses, limits, cli, serve, warm  # noqa: E402,F401
from agent_test.harness import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
