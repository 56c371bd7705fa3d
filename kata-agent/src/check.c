/* --check: does this host have what the jail needs? Each line names one requirement; the last line sums up. */
#include "check.h"

#include "auth.h"
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

static void check_cgroups(struct checker *c)
{
    /* files present in each v1 hierarchy's root group; the trial run below exercises a real per-run group */
    static const char *const files[] = {"memory/memory.max_usage_in_bytes", "memory/memory.oom_control",
                                        "cpu/cpu.cfs_quota_us", "cpuacct/cpuacct.usage", "pids/cgroup.procs"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, "/sys/fs/cgroup/%s", files[i]);
        check_path(c, path, F_OK, "cgroup v1 controller");
    }
    bool memsw = access("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", F_OK) == 0;
    printf("%s swap accounting (memory.memsw): %s\n", memsw ? "ok     " : "note   ",
           memsw ? "runs cannot use swap" : "absent; runs could swap if the host had swap");
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
