#!/usr/bin/python3
"""The agent in a guest VM over the network transport, as root:

    KA_TEST_AGENT_URL=tcp://127.0.0.1:PORT KA_TEST_SECRET_FILE=FILE guest_tests.py [guest|guest_warm]

guest (the default) runs agent_test/guest.py, guest_warm the warm run (agent_test/guest_warm.py). scripts/test-vm.sh
boots the guest and runs both; the last line is exactly "N passed, M failed"."""
import importlib
import sys

sys.dont_write_bytecode = True  # run as root from the source tree: leave no root-owned __pycache__ behind

from agent_test.harness import main  # noqa: E402

if __name__ == "__main__":
    area = sys.argv[1] if len(sys.argv) > 1 else "guest"
    if area not in ("guest", "guest_warm"):
        sys.exit(f"usage: {sys.argv[0]} [guest|guest_warm]")
    importlib.import_module(f"agent_test.{area}")  # registers its cases
    # a guest has two (emulated) CPUs: more runs at once would only queue for them
    sys.exit(main(local_agent=False, workers=4))
