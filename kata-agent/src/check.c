/* --check: does this host have what the jail needs? Each line names one requirement; the last line sums up. */
#include "check.h"

#include "auth.h"
#include "cgroup.h"
#include "request.h"
#include "result.h"
#include "run.h"
#include "runtime.h"
#include "transport_net.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct checker {
    int failures;
};

static void verdict(struct checker *c, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void verdict(struct checker *c, bool ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s ", ok ? "ok     " : "MISSING");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (!ok)
        c->failures++;
}

static void check_path(struct checker *c, const char *path, int mode, const char *what)
{
    verdict(c, access(path, mode) == 0, "%s (%s)", what, path);
}

static void check_kernel(struct checker *c)
{
    static const char *const ns[] = {"mnt", "pid", "net", "ipc", "uts"};
    verdict(c, geteuid() == 0, "running as root (needed for namespaces, cgroups and the uid switch)");
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/ns/%s", ns[i]);
        check_path(c, path, F_OK, "namespace support");
    }
    verdict(c, seccomp_api_get() >= 1, "seccomp filters (libseccomp API level %u)", seccomp_api_get());
}

/* The version in use and why; the trial run below exercises a real per-run group on it. */
static void check_cgroups(struct checker *c)
{
    struct ka_error e = {{0}};
    if (cg_init(&e) < 0) {
        verdict(c, false, "cgroups: %s", e.msg);
        return;
    }
    verdict(c, true, "cgroup %s: %s", cg_mode_name(), cg_mode_reason());
    if (cg_mode() == CG_MODE_V1) {
        bool memsw = access("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", F_OK) == 0;
        printf("%s swap accounting (memory.memsw): %s\n", memsw ? "ok     " : "note   ",
               memsw ? "runs cannot use swap" : "absent; runs could swap if the host had swap");
        return;
    }
    static const char *const notes[][3] = {
        {"memory.peak", "peak memory from memory.peak", "absent (kernel < 5.19): peak is the limit or what is left"},
        {"memory.swap.max", "swap accounting (memory.swap.max 0): runs cannot use swap",
         "absent; runs could swap if the host had swap"},
        {"cgroup.kill", "teardown by cgroup.kill", "absent (kernel < 5.14): teardown kills by pid"}};
    for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
        bool present = cg_feature_present(notes[i][0]);
        printf("%s %s%s%s\n", present ? "ok     " : "note   ", present ? notes[i][1] : notes[i][0], present ? "" : ": ",
               present ? "" : notes[i][2]);
    }
}

static void check_runtimes(struct checker *c)
{
    static const char *const py_modules[] = {"numpy", "pandas", "sympy", "dateutil", "PIL"};
    static const char *const js_modules[] = {"lodash", "dayjs", "mathjs"};
    char path[4096];
    check_path(c, "/usr/bin/python3", X_OK, "Python runtime");
    for (size_t i = 0; i < sizeof py_modules / sizeof py_modules[0]; i++) {
        snprintf(path, sizeof path, "/usr/lib/python3/dist-packages/%s", py_modules[i]);
        check_path(c, path, F_OK, "Python library");
    }
    check_path(c, runtime_node_host_path(path, sizeof path), X_OK, "Node.js 22 runtime (make -C kata-agent runtimes)");
    for (size_t i = 0; i < sizeof js_modules / sizeof js_modules[0]; i++) {
        snprintf(path, sizeof path, "%s/node/node_modules/%s/package.json", runtime_dir(), js_modules[i]);
        check_path(c, path, F_OK, "JavaScript library");
    }
}

static void check_transport(struct checker *c, const struct check_transport *t)
{
    if (t->socket_path != NULL)
        verdict(c, true, "transport: unix socket %s (guarded by its file mode and group)", t->socket_path);
    if (t->listen_url == NULL)
        return;
    struct net_address a;
    struct auth_secret secret;
    struct ka_error e = {{0}};
    if (net_address_parse(t->listen_url, &a, &e) < 0 || !net_kind_authenticates(a.kind)) {
        verdict(c, false, "transport: %s", e.msg[0] != '\0' ? e.msg : "--listen takes tcp:// or vsock://");
        return;
    }
    bool ok = t->secret_file != NULL && auth_secret_load(t->secret_file, &secret, &e) == 0;
    const char *why = ok ? "" : t->secret_file != NULL ? e.msg : "no --secret-file";
    verdict(c, ok, "transport: %s, callers prove the shared secret (HMAC-SHA256 challenge-response)%s%s", t->listen_url,
            ok ? "" : ": ", why);
    if (ok)
        auth_secret_wipe(&secret);
}

/* The strongest check: a real run per language through the whole jail. */
static void check_trial_run(struct checker *c, enum language lang, const char *code)
{
    struct run_request req = {.language = lang, .code = (char *)code, .code_bytes = strlen(code)};
    struct run_result r;
    struct run_ctx ctx;
    bool aborted;
    request_default_limits(&req.limits);
    result_init(&r);
    run_execute(&req, -1, &ctx, &r, &aborted);
    run_cleanup(&ctx);
    bool ok = r.status == ST_COMPLETED && r.out.bytes == 2 && memcmp(r.out.data, "1\n", 2) == 0;
    char *json = result_to_json(&r);
    verdict(c, ok, "trial run in the jail: %s -> %s", code, json != NULL ? json : "(no result)");
    free(json);
    result_free(&r);
}

int check_host(const struct check_transport *t)
{
    struct checker c = {0};
    check_kernel(&c);
    check_transport(&c, t);
    check_cgroups(&c);
    check_runtimes(&c);
    if (c.failures == 0) {
        check_trial_run(&c, LANG_PYTHON, "print(1)");
        check_trial_run(&c, LANG_JAVASCRIPT, "console.log(1)");
    }
    if (c.failures == 0)
        printf("check: the host has everything the jail needs\n");
    else
        printf("check: %d requirement(s) missing\n", c.failures);
    return c.failures == 0 ? 0 : 1;
}
