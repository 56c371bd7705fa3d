/* Parses and validates a request frame. Everything refused here is `rejected`: no jail step has started. */
#include "request.h"

#include "base64.h"
#include "contract.h"
#include "runenv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the contract's, unless the operator raised it (request_set_wall_limit_ms) */
static long wall_limit_ms = KA_DEFAULT_WALL_MS;

int request_set_wall_limit_ms(long ms)
{
    if (ms < KA_MIN_WALL_LIMIT_MS || ms > KA_MAX_WALL_LIMIT_MS)
        return -1;
    wall_limit_ms = ms;
    return 0;
}

void request_default_limits(struct run_limits *limits)
{
    limits->wall_limit_ms = wall_limit_ms;
    limits->mem_limit_bytes = KA_DEFAULT_MEM_BYTES;
    limits->cpu_quota_us = KA_DEFAULT_CPU_QUOTA_US;
    limits->output_limit_bytes = KA_DEFAULT_OUTPUT_BYTES;
    limits->pids_limit = KA_DEFAULT_PIDS;
}

static int reject(struct request_rejection *rej, const char *field, const char *msg)
{
    snprintf(rej->msg, sizeof rej->msg, "%s", msg);
    rej->field = field;
    return -1;
}

/* the protocol's names, in enum language's order */
static const char *const language_names[KA_LANGUAGES] = {"python", "javascript"};

const char *request_language_name(enum language language)
{
    return language_names[language];
}

int request_parse_language(const char *name, enum language *out)
{
    for (int l = 0; l < KA_LANGUAGES; l++)
        if (strcmp(name, language_names[l]) == 0) {
            *out = (enum language)l;
            return 0;
        }
    return -1;
}

int request_check_code(const char *code, size_t bytes, struct request_rejection *rej)
{
    if (bytes > KA_MAX_CODE_BYTES)
        return reject(rej, "code", "code is larger than 102400 bytes");
    if (bytes == 0)
        return reject(rej, "code", "code is empty");
    /* the code reaches the runtime as one argv string, which cannot hold a NUL */
    if (memchr(code, '\0', bytes) != NULL)
        return reject(rej, "code", "code contains a NUL character");
    return 0;
}

/* One optional limit: an integer > 0 and <= its default (a request may only tighten the default limits). */
static int parse_limit(json_t *limits, const char *key, long long max, long long *out, struct request_rejection *rej)
{
    json_t *v = json_object_get(limits, key);
    if (v == NULL)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) <= 0 || json_integer_value(v) > max) {
        char msg[128];
        snprintf(msg, sizeof msg, "limits.%s must be an integer in 1..%lld", key, max);
        return reject(rej, "limits", msg);
    }
    *out = json_integer_value(v);
    return 0;
}

static int parse_limits(json_t *root, struct run_limits *l, struct request_rejection *rej)
{
    request_default_limits(l);
    json_t *limits = json_object_get(root, "limits");
    if (limits == NULL || json_is_null(limits))
        return 0;
    if (!json_is_object(limits))
        return reject(rej, "limits", "limits must be an object");
    long long wall = l->wall_limit_ms, mem = l->mem_limit_bytes, cpu = l->cpu_quota_us;
    long long out = l->output_limit_bytes, pids = l->pids_limit;
    if (parse_limit(limits, "wallTimeMs", wall_limit_ms, &wall, rej) < 0 ||
        parse_limit(limits, "memoryBytes", KA_DEFAULT_MEM_BYTES, &mem, rej) < 0 ||
        parse_limit(limits, "cpuQuotaUs", KA_DEFAULT_CPU_QUOTA_US, &cpu, rej) < 0 ||
        parse_limit(limits, "outputBytes", KA_DEFAULT_OUTPUT_BYTES, &out, rej) < 0 ||
        parse_limit(limits, "pids", KA_DEFAULT_PIDS, &pids, rej) < 0)
        return -1;
    /* the kernel refuses CFS quotas under 1 ms */
    if (cpu < 1000)
        return reject(rej, "limits", "limits.cpuQuotaUs must be at least 1000");
    l->wall_limit_ms = (long)wall;
    l->mem_limit_bytes = mem;
    l->cpu_quota_us = (long)cpu;
    l->output_limit_bytes = (long)out;
    l->pids_limit = (long)pids;
    return 0;
}

static char *dup_bytes(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

bool request_path_valid(const char *path, size_t len)
{
    if (len == 0 || len > KA_MAX_PATH_BYTES || memchr(path, '\0', len) != NULL)
        return false;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && path[i] != '/')
            continue;
        size_t seg = i - start;
        const char *s = path + start;
        /* covers a leading '/' (an empty first segment), "//" and a trailing '/' */
        if (seg == 0 || seg > KA_MAX_PATH_SEGMENT_BYTES || (seg == 1 && s[0] == '.') ||
            (seg == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        start = i + 1;
    }
    return true;
}

/* Same path twice, or a file's path the directory another one needs ("a" and "a/b"). */
static bool paths_clash(const struct run_file *files, size_t n, const char *path)
{
    size_t len = strlen(path);
    for (size_t i = 0; i < n; i++) {
        size_t other = strlen(files[i].path);
        size_t shorter = len < other ? len : other;
        if (memcmp(files[i].path, path, shorter) == 0 &&
            (len == other || (len > other ? path[other] : files[i].path[len]) == '/'))
            return true;
    }
    return false;
}

static int parse_file(json_t *f, struct run_request *req, size_t *total, struct request_rejection *rej)
{
    json_t *path = json_object_get(f, "path"), *content = json_object_get(f, "content");
    if (!json_is_object(f) || !json_is_string(path) || !json_is_string(content))
        return reject(rej, "files", "each file must be an object with string \"path\" and \"content\" (base64)");
    const char *p = json_string_value(path);
    size_t plen = json_string_length(path);
    if (!request_path_valid(p, plen))
        return reject(rej, "files",
                      "a file path must be relative and normalised (no empty, \".\" or \"..\" "
                      "segment, segments of at most 255 bytes, at most 4096 bytes)");
    if (paths_clash(req->files, req->n_files, p))
        return reject(rej, "files", "file paths must be distinct (and no file may be another one's directory)");
    size_t clen = json_string_length(content);
    struct run_file *out = &req->files[req->n_files];
    out->data = malloc(base64_decoded_max(clen) + 1);
    out->path = dup_bytes(p, plen);
    if (out->data == NULL || out->path == NULL) {
        free(out->data);
        free(out->path);
        return reject(rej, NULL, "out of memory");
    }
    req->n_files++; /* owned by req from here on */
    long n = base64_decode(json_string_value(content), clen, out->data);
    if (n < 0)
        return reject(rej, "files", "a file's content must be base64 (RFC 4648, padded)");
    out->bytes = (size_t)n;
    *total += out->bytes;
    if (*total > (size_t)KA_MAX_FILES_BYTES)
        return reject(rej, "files", "files hold more than 10485760 bytes in total");
    return 0;
}

/* One of the optional collections (files, env, args): present, so the request is extended; of its JSON type (an
 * object or an array) with at most max entries; *table gets a slot of elem_size bytes for each. */
static int take_collection(json_t *v, const char *key, bool object, size_t max, size_t elem_size, void **table,
                           struct run_request *req, struct request_rejection *rej)
{
    char msg[128];
    req->extended = true;
    if (object ? !json_is_object(v) : !json_is_array(v)) {
        snprintf(msg, sizeof msg, "%s must be %s", key, object ? "an object of strings" : "an array");
        return reject(rej, key, msg);
    }
    size_t n = object ? json_object_size(v) : json_array_size(v);
    if (n > max) {
        snprintf(msg, sizeof msg, "%s has more than %zu entries", key, max);
        return reject(rej, key, msg);
    }
    if ((*table = calloc(n + 1, elem_size)) == NULL)
        return reject(rej, NULL, "out of memory");
    return 0;
}

static int parse_files(json_t *root, struct run_request *req, struct request_rejection *rej)
{
    json_t *files = json_object_get(root, "files");
    if (files == NULL)
        return 0;
    if (take_collection(files, "files", false, KA_MAX_FILES, sizeof *req->files, (void **)&req->files, req, rej) < 0)
        return -1;
    size_t total = 0, i;
    json_t *f;
    json_array_foreach(files, i, f) if (parse_file(f, req, &total, rej) < 0) return -1;
    return 0;
}

static int parse_env(json_t *root, struct run_request *req, struct request_rejection *rej)
{
    json_t *env = json_object_get(root, "env");
    if (env == NULL)
        return 0;
    if (take_collection(env, "env", true, KA_MAX_ENV, sizeof *req->env, (void **)&req->env, req, rej) < 0)
        return -1;
    size_t total = 0;
    const char *name;
    json_t *value;
    json_object_foreach(env, name, value)
    {
        char msg[200];
        if (!runenv_name_valid(name, strlen(name)))
            return reject(rej, "env", "env names must match [A-Za-z_][A-Za-z0-9_]*");
        if (runenv_name_denied(name)) {
            snprintf(msg, sizeof msg, "env: %.64s may not be set (it changes how the runtime or the jail behaves)",
                     name);
            return reject(rej, "env", msg);
        }
        if (!json_is_string(value) || memchr(json_string_value(value), '\0', json_string_length(value)) != NULL)
            return reject(rej, "env", "env values must be strings without NUL");
        total += strlen(name) + json_string_length(value);
        if (total > (size_t)KA_MAX_ENV_BYTES)
            return reject(rej, "env", "env holds more than 32768 bytes (names and values)");
        if (asprintf(&req->env[req->n_env], "%s=%s", name, json_string_value(value)) < 0)
            return reject(rej, NULL, "out of memory");
        req->n_env++;
    }
    return 0;
}

static int parse_args(json_t *root, struct run_request *req, struct request_rejection *rej)
{
    json_t *args = json_object_get(root, "args");
    if (args == NULL)
        return 0;
    if (take_collection(args, "args", false, KA_MAX_ARGS, sizeof *req->args, (void **)&req->args, req, rej) < 0)
        return -1;
    size_t total = 0, i;
    json_t *a;
    json_array_foreach(args, i, a)
    {
        /* each reaches the runtime as one argv string, which cannot hold a NUL */
        if (!json_is_string(a) || memchr(json_string_value(a), '\0', json_string_length(a)) != NULL)
            return reject(rej, "args", "args must be strings without NUL");
        total += json_string_length(a);
        if (total > (size_t)KA_MAX_ARGS_BYTES)
            return reject(rej, "args", "args hold more than 32768 bytes");
        if ((req->args[req->n_args] = dup_bytes(json_string_value(a), json_string_length(a))) == NULL)
            return reject(rej, NULL, "out of memory");
        req->n_args++;
    }
    return 0;
}

static int parse_stream(json_t *root, struct run_request *req, struct request_rejection *rej)
{
    json_t *stream = json_object_get(root, "stream");
    if (stream == NULL)
        return 0;
    req->extended = true;
    if (!json_is_boolean(stream))
        return reject(rej, "stream", "stream must be true or false");
    req->stream = json_is_true(stream);
    return 0;
}

static int parse_run(json_t *root, struct run_request *req, struct request_rejection *rej)
{
    json_t *lang = json_object_get(root, "language");
    if (!json_is_string(lang) || request_parse_language(json_string_value(lang), &req->language) < 0)
        return reject(rej, "language", "language must be \"python\" or \"javascript\"");

    json_t *code = json_object_get(root, "code");
    if (!json_is_string(code))
        return reject(rej, "code", "code must be a string");
    if (request_check_code(json_string_value(code), json_string_length(code), rej) < 0)
        return -1;

    json_t *in = json_object_get(root, "stdin");
    if (in != NULL && !json_is_null(in)) {
        if (!json_is_string(in))
            return reject(rej, "stdin", "stdin must be a string");
        if (json_string_length(in) > (size_t)KA_MAX_STDIN_BYTES)
            return reject(rej, "stdin", "stdin is larger than 1048576 bytes");
    }
    if (parse_limits(root, &req->limits, rej) < 0 || parse_files(root, req, rej) < 0 || parse_env(root, req, rej) < 0 ||
        parse_args(root, req, rej) < 0 || parse_stream(root, req, rej) < 0)
        return -1;

    req->code_bytes = json_string_length(code);
    req->code = dup_bytes(json_string_value(code), req->code_bytes);
    if (in != NULL && json_is_string(in)) {
        req->stdin_bytes = json_string_length(in);
        req->stdin_data = dup_bytes(json_string_value(in), req->stdin_bytes);
    }
    if (req->code == NULL || (req->stdin_bytes > 0 && req->stdin_data == NULL))
        return reject(rej, NULL, "out of memory");
    return 0;
}

int request_parse(const char *json, size_t len, enum request_op *op, struct run_request *req,
                  struct request_rejection *rej)
{
    memset(req, 0, sizeof *req);
    rej->field = NULL;
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (root == NULL) {
        char msg[200];
        snprintf(msg, sizeof msg, "invalid JSON: %s", jerr.text);
        return reject(rej, NULL, msg);
    }
    int rc = -1;
    json_t *opv = json_object_get(root, "op");
    if (!json_is_object(root) || !json_is_string(opv)) {
        reject(rej, NULL, "request must be an object with a string \"op\"");
    } else if (strcmp(json_string_value(opv), "ping") == 0) {
        *op = OP_PING;
        rc = 0;
    } else if (strcmp(json_string_value(opv), "run") == 0) {
        *op = OP_RUN;
        rc = parse_run(root, req, rej);
    } else {
        reject(rej, NULL, "unknown op (expected \"run\" or \"ping\")");
    }
    json_decref(root);
    if (rc < 0)
        request_free(req);
    return rc;
}

static void free_strings(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void request_free(struct run_request *req)
{
    free(req->code);
    free(req->stdin_data);
    for (size_t i = 0; i < req->n_files; i++) {
        free(req->files[i].path);
        free(req->files[i].data);
    }
    free(req->files);
    free_strings(req->env, req->n_env);
    free_strings(req->args, req->n_args);
    memset(req, 0, sizeof *req);
}
