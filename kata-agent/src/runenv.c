/* The deny-list of the variables a request may not set in its run's environment. Two reasons put a name on it:
 * the variable steers the runtime, a library or the C library (code or data it loads, its allocator, threads,
 * locale, time zone), or the jail sets it itself. Either kind would also make a warm run differ from a cold one: a
 * warm runtime read them at its start, before the request's environment was added. This list is the one source;
 * tests/contract/check_contract.py holds the service's copy to it. */
#include "runenv.h"

#include <string.h>

/* Exact names. */
static const char *const denied_names[] = {
    /* set by the jail (runtime.c) */
    "PATH",
    "HOME",
    "TMPDIR",
    "LANG",
    "TZ",
    /* the C library: what the loader, iconv, locales, message catalogs and the resolver read */
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
    /* the shells a program may start read these at start-up */
    "BASH_ENV",
    "ENV",
    "SHELLOPTS",
    "BASHOPTS",
    "IFS",
    /* what OpenSSL (in node) loads at start-up */
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
};

/* Prefixes: every name starting with one of these. */
static const char *const denied_prefixes[] = {
    "LD_", /* the dynamic loader: preload, audit, library path */
    "MALLOC_", /* glibc's allocator */
    "LC_", /* the locale */
    "PYTHON", /* the Python interpreter */
    "NODE_", /* node: options, module path, certificates */
    "UV_", /* libuv (node's threads and I/O) */
    "V8_", /* V8 */
    "OPENSSL_", /* OpenSSL's configuration and modules */
    "OPENBLAS_", /* numpy's BLAS */
    "GOTO_", /* OpenBLAS's older names */
    "OMP_", /* OpenMP threads */
    "MKL_", /* Intel MKL */
    "BLIS_", /* BLIS */
    "NPY_", /* numpy */
    "NUMPY_", /* numpy */
    "PANDAS_", /* pandas */
};

bool runenv_name_valid(const char *name, size_t len)
{
    if (len == 0 || (name[0] >= '0' && name[0] <= '9'))
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

bool runenv_name_denied(const char *name)
{
    for (size_t i = 0; i < sizeof denied_names / sizeof denied_names[0]; i++)
        if (strcmp(name, denied_names[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof denied_prefixes / sizeof denied_prefixes[0]; i++)
        if (strncmp(name, denied_prefixes[i], strlen(denied_prefixes[i])) == 0)
            return true;
    return false;
}
