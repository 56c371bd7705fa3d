package com.builde2e.sandbox.executions.control;

import java.util.List;

/**
 * The environment variables a caller may not set for a run: those that steer the runtime, a library
 * or the C library (code or data it loads, its allocator, threads, locale, time zone), and those
 * the jail sets itself. Either kind would also make a warm run differ from a cold one, since a warm
 * runtime read them before the run's variables arrived. The agent refuses the same names
 * (kata-agent/src/runenv.c, the source); tests/contract/check_contract.py holds this copy to it.
 */
public final class ReservedVariables {

    /** Exact names. */
    static final List<String> RESERVED_NAMES =
            List.of(
                    "PATH",
                    "HOME",
                    "TMPDIR",
                    "LANG",
                    "TZ",
                    "GLIBC_TUNABLES",
                    "GCONV_PATH",
                    "GETCONF_DIR",
                    "LOCPATH",
                    "NLSPATH",
                    "LANGUAGE",
                    "TZDIR",
                    "HOSTALIASES",
                    "LOCALDOMAIN",
                    "RES_OPTIONS",
                    "RESOLV_HOST_CONF",
                    "NIS_PATH",
                    "BASH_ENV",
                    "ENV",
                    "SHELLOPTS",
                    "BASHOPTS",
                    "IFS",
                    "SSL_CERT_FILE",
                    "SSL_CERT_DIR");

    /** Every name starting with one of these. */
    static final List<String> RESERVED_PREFIXES =
            List.of(
                    "LD_",
                    "MALLOC_",
                    "LC_",
                    "PYTHON",
                    "NODE_",
                    "UV_",
                    "V8_",
                    "OPENSSL_",
                    "OPENBLAS_",
                    "GOTO_",
                    "OMP_",
                    "MKL_",
                    "BLIS_",
                    "NPY_",
                    "NUMPY_",
                    "PANDAS_");

    private ReservedVariables() {}

    public static boolean isReserved(String name) {
        return RESERVED_NAMES.contains(name)
                || RESERVED_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
