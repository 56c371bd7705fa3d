/* Parses and validates a request frame. Everything refused here is `rejected`: no jail step has started. */
#include "request.h"

#include "contract.h"

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
    if (parse_limits(root, &req->limits, rej) < 0)
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

void request_free(struct run_request *req)
{
    free(req->code);
    free(req->stdin_data);
    req->code = req->stdin_data = NULL;
    req->code_bytes = req->stdin_bytes = 0;
}
