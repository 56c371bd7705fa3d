/* request.c: a run request: language, code, stdin and limits, parsed and checked from the protocol's JSON. */
#ifndef KA_REQUEST_H
#define KA_REQUEST_H

#include "contract.h"
#include <stdbool.h>
#include <stddef.h>

enum language { LANG_PYTHON, LANG_JAVASCRIPT, KA_LANGUAGES };

struct run_limits {
    long wall_limit_ms;
    long long mem_limit_bytes;
    long cpu_quota_us; /* per KA_CPU_PERIOD_US */
    long output_limit_bytes; /* per stream */
    long pids_limit;
};

struct run_request {
    enum language language;
    char *code;
    size_t code_bytes;
    char *stdin_data;
    size_t stdin_bytes;
    struct run_limits limits;
};

enum request_op { OP_PING, OP_RUN };

struct request_rejection {
    char msg[256];
    const char *field; /* "code", "language", "stdin", "limits" or NULL */
};

void request_default_limits(struct run_limits *limits);
/* The operator's wall limit (SANDBOX_WALL_LIMIT_MS, --wall-limit-ms), e.g. raised for a guest under software
 * emulation; requests may only lower it. -1 when out of range. */
int request_set_wall_limit_ms(long ms);
int request_parse_language(const char *name, enum language *out);
const char *request_language_name(enum language language); /* the protocol's name */
int request_check_code(const char *code, size_t bytes, struct request_rejection *rej);
int request_parse(const char *json, size_t len, enum request_op *op, struct run_request *req,
                  struct request_rejection *rej);
void request_free(struct run_request *req);

#endif
