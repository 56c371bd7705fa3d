/* kata-agent: runs one untrusted Python or JavaScript snippet per request inside a jail. This file parses the
 * arguments and runs one mode; the theory of operation (which processes exist, which descriptors connect them, who
 * kills whom) is kata-agent/README.md's, and each module's header says what that module owns. */
#include "cgroup.h"
#include "check.h"
#include "client.h"
#include "connection.h"
#include "contract.h"
#include "request.h"
#include "fdio.h"
#include "run.h"
#include "runtime.h"
#include "server.h"
#include "slot.h"
#include "transport_net.h"
#include "transport_unix.h"
#include "warm/warm.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_SOCKET KA_STATE_DIR "/agent.sock"
#define DEFAULT_MAX_RUNS 32
/* Python members are cheap (forks sharing the template's pages); a Node member is a whole node with its libraries */
#define DEFAULT_POOL_PYTHON 8
#define DEFAULT_POOL_JAVASCRIPT 2
/* Runs forked from one Python template share its address-space layout and AT_RANDOM: this bounds how many do (a
 * replacement costs one interpreter start with the imports, spread over that many runs). */
#define DEFAULT_TEMPLATE_RETIRE_AFTER_JAILS 2000

enum exit_code { EXIT_RAN = 0, EXIT_USAGE = 2, EXIT_INFRA = 3 };

static void usage(void)
{
    fprintf(
        stderr,
        "usage: kata-agent serve [--socket PATH] [--socket-mode 0660] [--socket-group NAME] [--max-runs N]\n"
        "                        [--listen tcp://HOST:PORT|vsock://CID:PORT --secret-file F]\n"
        "                        [--pool-python N] [--pool-javascript N] [--template-memory tuned|plain]\n"
        "                        [--template-retire-after JAILS] [--wall-limit-ms MS]\n"
        "                        [--runtimes DIR]\n"
        "       kata-agent run --language python|javascript [--stdin-file F] [--runtimes DIR] [--wall-limit-ms MS]\n"
        "                      < code\n"
        "       kata-agent call [--socket PATH | --url URL [--secret-file F]]\n"
        "                       (--ping | --language python|javascript [--stdin-file F] < code)\n"
        "       kata-agent --check [--runtimes DIR] [--socket PATH] [--listen URL --secret-file F]\n"
        "A URL is unix:///PATH, tcp://HOST:PORT, vsock://CID:PORT or hvsock:///PATH:PORT (Firecracker);\n"
        "--listen alone serves only the network transport, with --socket too both.\n"
        "--wall-limit-ms (or SANDBOX_WALL_LIMIT_MS) raises the runs' wall limit, e.g. in an emulated guest.\n");
}

struct options {
    const char *socket_path;
    bool socket_given;
    const char *listen_url; /* serve: the network transport */
    const char *secret_file; /* its shared secret */
    const char *url; /* call: the agent's address */
    mode_t socket_mode;
    const char *socket_group;
    int max_runs;
    const char *language;
    const char *stdin_file;
    bool ping;
    int pool_size[KA_LANGUAGES];
    bool template_memory_tuned;
    int template_retire_after_jails;
};

static int parse_pool_size(const char *text, int *size)
{
    char *end;
    long n = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || n < 0 || n > WARM_POOL_MAX_SIZE)
        return -1;
    *size = (int)n;
    return 0;
}

/* "tuned": the Python template lays out its memory for cheap forks (warm/template_memory.h); "plain": it does not,
 * which proves (the warm tests run both ways) that the layout is an optimization and never a behaviour. */
static int parse_template_memory(const char *text, bool *tuned)
{
    if (strcmp(text, "tuned") != 0 && strcmp(text, "plain") != 0)
        return -1;
    *tuned = strcmp(text, "tuned") == 0;
    return 0;
}

/* SANDBOX_POOL_PYTHON / SANDBOX_POOL_JAVASCRIPT (and SANDBOX_TEMPLATE_MEMORY) give the defaults the flags override. */
static int parse_wall_limit(const char *text)
{
    char *end;
    long ms = strtol(text, &end, 10);
    if (*text != '\0' && *end == '\0' && request_set_wall_limit_ms(ms) == 0)
        return 0;
    fprintf(stderr, "kata-agent: the wall limit (SANDBOX_WALL_LIMIT_MS, --wall-limit-ms) must be %ld..%ld ms\n",
            KA_MIN_WALL_LIMIT_MS, KA_MAX_WALL_LIMIT_MS);
    return -1;
}

static int defaults_from_env(struct options *o)
{
    static const char *const vars[KA_LANGUAGES] = {"SANDBOX_POOL_PYTHON", "SANDBOX_POOL_JAVASCRIPT"};
    static const int defaults[KA_LANGUAGES] = {DEFAULT_POOL_PYTHON, DEFAULT_POOL_JAVASCRIPT};
    for (int l = 0; l < KA_LANGUAGES; l++) {
        const char *v = getenv(vars[l]);
        o->pool_size[l] = defaults[l];
        if (v != NULL && parse_pool_size(v, &o->pool_size[l]) < 0) {
            fprintf(stderr, "kata-agent: %s must be a number from 0 to %d\n", vars[l], WARM_POOL_MAX_SIZE);
            return -1;
        }
    }
    const char *wall = getenv("SANDBOX_WALL_LIMIT_MS");
    if (wall != NULL && parse_wall_limit(wall) < 0)
        return -1;
    const char *memory = getenv("SANDBOX_TEMPLATE_MEMORY");
    o->template_memory_tuned = true;
    if (memory != NULL && parse_template_memory(memory, &o->template_memory_tuned) < 0) {
        fprintf(stderr, "kata-agent: SANDBOX_TEMPLATE_MEMORY must be tuned or plain\n");
        return -1;
    }
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"socket", required_argument, NULL, 's'},
        {"listen", required_argument, NULL, 'L'},
        {"secret-file", required_argument, NULL, 'S'},
        {"url", required_argument, NULL, 'U'},
        {"socket-mode", required_argument, NULL, 'm'},
        {"socket-group", required_argument, NULL, 'g'},
        {"max-runs", required_argument, NULL, 'n'},
        {"language", required_argument, NULL, 'l'},
        {"stdin-file", required_argument, NULL, 'i'},
        {"runtimes", required_argument, NULL, 'r'},
        {"ping", no_argument, NULL, 'p'},
        {"pool-python", required_argument, NULL, 'P'},
        {"pool-javascript", required_argument, NULL, 'J'},
        {"template-memory", required_argument, NULL, 'T'},
        {"template-retire-after", required_argument, NULL, 'R'},
        {"wall-limit-ms", required_argument, NULL, 'W'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 's':
            o->socket_path = optarg;
            o->socket_given = true;
            break;
        case 'L': o->listen_url = optarg; break;
        case 'S': o->secret_file = optarg; break;
        case 'U': o->url = optarg; break;
        case 'm':
            o->socket_mode = (mode_t)strtoul(optarg, &end, 8);
            if (*end != '\0' || o->socket_mode > 0777)
                return -1;
            break;
        case 'g': o->socket_group = optarg; break;
        case 'n':
            o->max_runs = (int)strtol(optarg, &end, 10);
            if (*end != '\0' || o->max_runs < 1 || o->max_runs > KA_SLOT_COUNT)
                return -1;
            break;
        case 'l': o->language = optarg; break;
        case 'i': o->stdin_file = optarg; break;
        case 'r': runtime_set_dir(optarg); break;
        case 'p': o->ping = true; break;
        case 'P':
        case 'J':
            if (parse_pool_size(optarg, &o->pool_size[opt == 'P' ? LANG_PYTHON : LANG_JAVASCRIPT]) < 0)
                return -1;
            break;
        case 'T':
            if (parse_template_memory(optarg, &o->template_memory_tuned) < 0)
                return -1;
            break;
        case 'R':
            o->template_retire_after_jails = (int)strtol(optarg, &end, 10);
            if (*end != '\0' || o->template_retire_after_jails < 1 || o->template_retire_after_jails > 1000000)
                return -1;
            break;
        case 'W':
            if (parse_wall_limit(optarg) < 0)
                return -1;
            break;
        default: return -1;
        }
    }
    return optind == argc ? 0 : -1;
}

/* Reads at most max bytes; more than that is reported as too_big without reading the rest. */
static char *read_limited(int fd, size_t max, size_t *len, bool *too_big)
{
    char *buf = malloc(max + 2);
    if (buf == NULL)
        return NULL;
    ssize_t n = fdio_read_full(fd, buf, max + 1);
    if (n < 0) {
        free(buf);
        return NULL;
    }
    *too_big = (size_t)n > max;
    *len = (size_t)n;
    buf[n] = '\0';
    return buf;
}

static int print_result(const struct run_result *r)
{
    char *json = result_to_json(r);
    if (json == NULL)
        return EXIT_INFRA;
    printf("%s\n", json);
    fflush(stdout);
    free(json);
    return r->status == ST_REJECTED ? EXIT_USAGE : r->status == ST_INFRA_ERROR ? EXIT_INFRA : EXIT_RAN;
}

static int read_cli_request(const struct options *o, struct run_request *req, struct run_result *r)
{
    struct request_rejection rej;
    bool too_big = false;
    request_default_limits(&req->limits);
    if (o->language == NULL || request_parse_language(o->language, &req->language) < 0) {
        result_rejected(r, "--language must be python or javascript", "language");
        return -1;
    }
    req->code = read_limited(STDIN_FILENO, KA_MAX_CODE_BYTES, &req->code_bytes, &too_big);
    if (req->code == NULL) {
        result_rejected(r, "could not read the code from stdin", "code");
        return -1;
    }
    if (request_check_code(req->code, req->code_bytes, &rej) < 0) {
        result_rejected(r, rej.msg, rej.field);
        return -1;
    }
    if (o->stdin_file == NULL)
        return 0;
    int fd = open(o->stdin_file, O_RDONLY | O_CLOEXEC);
    req->stdin_data = fd < 0 ? NULL : read_limited(fd, KA_MAX_STDIN_BYTES, &req->stdin_bytes, &too_big);
    if (fd >= 0)
        close(fd);
    if (req->stdin_data == NULL || too_big) {
        result_rejected(r, req->stdin_data == NULL ? "cannot read --stdin-file" : "stdin is larger than 1048576 bytes",
                        "stdin");
        return -1;
    }
    return 0;
}

/* The jail's cgroups, on whichever version the host mounts (cgroup.c); before the first run and the warm pools. */
static int setup_cgroups(void)
{
    struct ka_error e = {{0}};
    if (cg_init(&e) == 0)
        return 0;
    fprintf(stderr, "kata-agent: %s\n", e.msg);
    return -1;
}

static int cmd_run(const struct options *o)
{
    struct run_request req;
    struct run_result r;
    memset(&req, 0, sizeof req);
    result_init(&r);
    if (read_cli_request(o, &req, &r) < 0) {
        request_free(&req);
        return print_result(&r);
    }
    if (setup_cgroups() < 0) {
        request_free(&req);
        return EXIT_INFRA;
    }
    struct run_ctx ctx;
    bool aborted;
    run_execute(&req, -1, &ctx, &r, &aborted);
    int rc = print_result(&r);
    run_cleanup(&ctx);
    result_free(&r);
    request_free(&req);
    return rc;
}

/* The agent's address (--url, else the Unix socket) and, for a network one, the secret to prove. */
static int call_target(const struct options *o, struct client_target *t, struct ka_error *e)
{
    char unix_url[sizeof t->address.path + 8];
    snprintf(unix_url, sizeof unix_url, "unix://%s", o->socket_path);
    if (net_address_parse(o->url != NULL ? o->url : unix_url, &t->address, e) < 0)
        return -1;
    t->authenticate = net_kind_authenticates(t->address.kind);
    if (!t->authenticate)
        return 0;
    if (o->secret_file == NULL)
        return error_setf(e, "a %s address needs --secret-file", net_kind_name(t->address.kind));
    return auth_secret_load(o->secret_file, &t->secret, e);
}

static int cmd_call(const struct options *o)
{
    struct run_request req;
    struct run_result r;
    static struct client_target target;
    struct ka_error e = {{0}};
    memset(&req, 0, sizeof req);
    result_init(&r);
    if (call_target(o, &target, &e) < 0) {
        fprintf(stderr, "kata-agent: %s\n", e.msg);
        return EXIT_USAGE;
    }
    if (o->ping)
        return client_call(&target, NULL);
    if (read_cli_request(o, &req, &r) < 0) {
        request_free(&req);
        return print_result(&r);
    }
    int rc = client_call(&target, &req);
    request_free(&req);
    return rc;
}

/* The network listener first (its secret file is checked before anything is bound), then the Unix socket unless
 * --listen came alone. */
static int open_listeners(const struct options *o, struct server_opts *so, struct auth_secret *secret, char *what,
                          size_t size, struct ka_error *e)
{
    size_t used = 0;
    if (o->listen_url != NULL) {
        struct net_address a;
        char bound[160];
        if (net_address_parse(o->listen_url, &a, e) < 0)
            return -1;
        if (!net_kind_authenticates(a.kind))
            return error_setf(e, "--listen takes a tcp:// or vsock:// address (the Unix socket is --socket)");
        if (o->secret_file == NULL)
            return error_setf(e, "--listen needs --secret-file: callers must prove the shared secret");
        if (auth_secret_load(o->secret_file, secret, e) < 0)
            return -1;
        int fd = transport_net_listen(&a, bound, sizeof bound, e);
        if (fd < 0)
            return -1;
        so->listeners[so->n_listeners++] = (struct listener){fd, net_kind_name(a.kind), true};
        used += (size_t)snprintf(what, size, "%s (callers prove the shared secret)", bound);
    }
    if (o->listen_url == NULL || o->socket_given) {
        struct unix_listen_opts lo = {o->socket_path, o->socket_mode, o->socket_group};
        int fd = transport_unix_listen(&lo, e);
        if (fd < 0)
            return -1;
        so->listeners[so->n_listeners++] = (struct listener){fd, "unix", false};
        so->socket_path = o->socket_path;
        snprintf(what + used, size - used, "%s%s", used > 0 ? " and " : "", o->socket_path);
    }
    return 0;
}

static int cmd_serve(const struct options *o)
{
    struct ka_error e = {{0}};
    static struct auth_secret secret;
    struct server_opts so = {.secret = &secret, .max_runs = o->max_runs};
    char listening[512];
    if (open_listeners(o, &so, &secret, listening, sizeof listening, &e) < 0) {
        fprintf(stderr, "kata-agent: %s\n", e.msg);
        return EXIT_INFRA;
    }
    if (setup_cgroups() < 0)
        return EXIT_INFRA;
    /* an agent killed mid-run (this one's predecessor, say) left its runs' cgroups behind */
    slot_sweep();
    struct warm_config wc = {.template_memory_tuned = o->template_memory_tuned,
                             .template_retire_after_jails = o->template_retire_after_jails,
                             .answer = connection_answer};
    memcpy(wc.pool_size, o->pool_size, sizeof wc.pool_size);
    if (warm_init(&wc) < 0) {
        perror("kata-agent: set up the warm pools");
        return EXIT_INFRA;
    }
    fprintf(stderr,
            "kata-agent: listening on %s (max %d concurrent connections, warm pools: python %d, javascript %d; "
            "cgroup %s: %s)\n",
            listening, o->max_runs, o->pool_size[LANG_PYTHON], o->pool_size[LANG_JAVASCRIPT], cg_mode_name(),
            cg_mode_reason());
    return server_loop(&so);
}

int main(int argc, char **argv)
{
    struct options o = {.socket_path = DEFAULT_SOCKET,
                        .socket_mode = 0660,
                        .max_runs = DEFAULT_MAX_RUNS,
                        .template_retire_after_jails = DEFAULT_TEMPLATE_RETIRE_AFTER_JAILS};
    if (argc < 2) {
        usage();
        return EXIT_USAGE;
    }
    const char *mode = argv[1];
    /* not a user's mode: how the serve loop starts the Python pool's template (warm/template_client.c) */
    if (strcmp(mode, WARM_TEMPLATE_MODE) == 0)
        warm_template_main(argc, argv);
    if (defaults_from_env(&o) < 0 || parse_options(argc - 1, argv + 1, &o) < 0) {
        usage();
        return EXIT_USAGE;
    }
    /* a snippet closing its stdin early must not kill the supervisor that feeds it */
    signal(SIGPIPE, SIG_IGN);
    /* the jail's directories and files must not take the caller's umask: under 077 the run's uid cannot exec */
    umask(022);
    if (strcmp(mode, "run") == 0)
        return cmd_run(&o);
    if (strcmp(mode, "serve") == 0)
        return cmd_serve(&o);
    if (strcmp(mode, "call") == 0)
        return cmd_call(&o);
    if (strcmp(mode, "--check") == 0 || strcmp(mode, "check") == 0) {
        struct check_transport t = {o.listen_url == NULL || o.socket_given ? o.socket_path : NULL, o.listen_url,
                                    o.secret_file};
        return check_host(&t);
    }
    usage();
    return EXIT_USAGE;
}
