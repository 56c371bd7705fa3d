"""The one-shot CLI and `--check`: the caller's umask, an unusable runtime folder, the exit statuses."""

import subprocess

from .harness import AGENT, case, expect, expect_status, run_cli


@case
def callers_umask_077_does_not_break_runs():
    # the jail is built by the agent: a restrictive umask of whoever started it must not leak into it
    for language, source, stdout in (("python", 'print("py ok")', "py ok\n"),
                                     ("javascript", 'console.log("js ok")', "js ok\n")):
        rc, r = run_cli(language, source, umask=0o077)
        expect_status(r, "completed", 0)
        expect(rc == 0 and r["stdout"] == stdout, f"{language} under umask 077", r)


@case
def infra_error_names_the_failed_step():
    rc, r = run_cli("javascript", "console.log(1)", runtimes="/nonexistent-runtimes")
    expect(rc == 3, f"CLI exit status {rc} for infra_error", r)
    expect_status(r, "infra_error", -1)
    expect("node runtime" in r["error"] and "No such file" in r["error"], "error must name the step", r)


@case
def check_mode_passes():
    p = subprocess.run([AGENT, "--check"], capture_output=True, text=True, timeout=60)
    expect(p.returncode == 0, "--check failed:\n" + p.stdout + p.stderr)
    expect("MISSING" not in p.stdout, "--check reported something missing:\n" + p.stdout)
    p = subprocess.run([AGENT, "--check", "--runtimes", "/nonexistent"], capture_output=True, text=True, timeout=60)
    expect(p.returncode == 1 and "MISSING Node.js 22 runtime" in p.stdout, "--check must name what is missing:\n" + p.stdout)

