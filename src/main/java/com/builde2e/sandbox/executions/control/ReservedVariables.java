package com.builde2e.sandbox.executions.control;

import java.util.List;

/**
 * The environment variables a caller may not set for a run: those that change how the dynamic
 * linker, the C library, the runtimes or the libraries they load at start-up behave, and those the
 * jail sets itself. A warm runtime has read them before the run's variables arrive, a cold one
 * would read them at start: allowing them would make the two paths differ, and some (the linker's,
 * the C library's) load code or change memory handling before the program runs. The agent refuses
 * the same list; tests/contract/check_contract.py holds this copy to it.
 */
public final class ReservedVariables {

    /** A name, or a prefix followed by {@code *} that covers every name starting with it. */
    public static final List<String> PATTERNS =
            List.of(
                    // the jail's own: where programs, the home and temporary files are
                    "PATH",
                    "HOME",
                    "USER",
                    "LOGNAME",
                    "SHELL",
                    "PWD",
                    "TMPDIR",
                    "TMP",
                    "TEMP",
                    // locale and time zone: read at start-up by the C library and the runtimes
                    "LANG",
                    "LANGUAGE",
                    "LC_*",
                    "TZ",
                    "TZDIR",
                    // the dynamic linker and the C library
                    "LD_*",
                    "GLIBC_TUNABLES",
                    "MALLOC_*",
                    "GCONV_PATH",
                    "LOCPATH",
                    "NLSPATH",
                    "HOSTALIASES",
                    "RES_OPTIONS",
                    "LOCALDOMAIN",
                    "OPENSSL_*",
                    // the runtimes
                    "PYTHON*",
                    "NODE_*",
                    "UV_*",
                    // numerical libraries loaded by a warm runtime: thread pools, CPU features
                    "OPENBLAS_*",
                    "GOTO_*",
                    "OMP_*",
                    "KMP_*",
                    "MKL_*",
                    "NPY_*",
                    "NUMPY_*");

    private ReservedVariables() {}

    public static boolean isReserved(String name) {
        return PATTERNS.stream()
                .anyMatch(
                        p ->
                                p.endsWith("*")
                                        ? name.startsWith(p.substring(0, p.length() - 1))
                                        : name.equals(p));
    }
}
