"""kata-agent's own test suite: harness.py (registry, runner, clients, assertions), host.py (what the host shows of a
run) and one module of cases per area. run_tests.py imports the areas, which registers their cases, and runs them."""
