/* request.c: a run request: language, code, stdin, limits, input files, environment, arguments and live output,
 * parsed and checked from the protocol's JSON. */
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

/* An input file: its checked relative path and its decoded bytes. */
struct run_file {
    char *path;
    unsigned char *data;
    size_t bytes;
};

struct run_request {
    enum language language;
    char *code;
    size_t code_bytes;
    char *stdin_data;
    size_t stdin_bytes;
    struct run_limits limits;
    struct run_file *files; /* written into the working directory before the program starts */
    size_t n_files;
    char **env; /* "NAME=value", added after the jail's own environment */
    size_t n_env;
    char **args; /* the program's arguments */
    size_t n_args;
    bool stream; /* chunk frames of stdout/stderr while the program runs */
    bool extended; /* files, env, args or stream were present: the response carries "files" */
};

enum request_op { OP_PING, OP_RUN };

struct request_rejection {
    char msg[256];
    const char *field; /* "code", "language", "stdin", "limits", "files", "env", "args", "stream" or NULL */
};

void request_default_limits(struct run_limits *limits);
/* The operator's wall limit (SANDBOX_WALL_LIMIT_MS, --wall-limit-ms), e.g. raised for a guest under software
 * emulation; requests may only lower it. -1 when out of range. */
int request_set_wall_limit_ms(long ms);
int request_parse_language(const char *name, enum language *out);
const char *request_language_name(enum language language); /* the protocol's name */
/* A file path as the protocol allows it: relative, segments separated by '/', none empty, "." or "..", no NUL,
 * segments of at most KA_MAX_PATH_SEGMENT_BYTES and KA_MAX_PATH_BYTES in all. */
bool request_path_valid(const char *path, size_t len);
int request_check_code(const char *code, size_t bytes, struct request_rejection *rej);
int request_parse(const char *json, size_t len, enum request_op *op, struct run_request *req,
                  struct request_rejection *rej);
void request_free(struct run_request *req);

#endif
