"""The agent of the guest VM under test (scripts/test-vm.sh boots it): KA_TEST_AGENT_URL, KA_TEST_SECRET_FILE."""

import os

from .netclient import NetworkAgent

_agent = []


def guest():
    """One client for every case. Runs under software emulation take minutes at worst, not the default minute."""
    if not _agent:
        _agent.append(NetworkAgent(os.environ["KA_TEST_AGENT_URL"], os.environ["KA_TEST_SECRET_FILE"], timeout_s=300))
    return _agent[0]
