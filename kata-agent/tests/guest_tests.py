#!/usr/bin/python3
"""The agent in a guest VM over the network transport (agent_test/guest.py), as root:

    KA_TEST_AGENT_URL=tcp://127.0.0.1:PORT KA_TEST_SECRET_FILE=FILE guest_tests.py

scripts/test-vm.sh boots the guest and runs this; the last line is exactly "N passed, M failed"."""
import sys

sys.dont_write_bytecode = True  # run as root from the source tree: leave no root-owned __pycache__ behind

import agent_test.guest  # noqa: E402,F401  (registers the cases)
from agent_test.harness import main  # noqa: E402

if __name__ == "__main__":
    # a guest has two (emulated) CPUs: more runs at once would only queue for them
    sys.exit(main(local_agent=False, workers=4))
