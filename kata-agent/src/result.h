/* result.c: a run's result: the status by the protocol's precedence, and its JSON. */
#ifndef KA_RESULT_H
#define KA_RESULT_H

#include "output.h"

enum run_status {
    ST_COMPLETED,
    ST_FAILED,
    ST_TIMED_OUT,
    ST_MEMORY_LIMIT,
    ST_OUTPUT_LIMIT,
    ST_KILLED,
    ST_INFRA_ERROR,
    ST_REJECTED,
};

/* An output file: a regular file under the working directory the run created or changed (outfiles.c). */
struct out_file {
    char *path;
    unsigned char *data;
    size_t bytes;
};

struct run_result {
    enum run_status status;
    int exit_code;
    int signal; /* 0 = none */
    bool timed_out;
    struct capture out;
    struct capture err;
    double execution_time_ms;
    double memory_usage_mb;
    double cpu_time_ms;
    char error[256];
    const char *error_field;
    bool files_asked; /* the request used files, env, args or stream: "files" is in the response even if empty */
    struct out_file *files; /* in path order */
    size_t n_files;
    bool files_truncated; /* more files existed than the response carries */
};

/* What the supervisor observed; result_classify turns it into a status by the protocol's precedence. */
struct run_observation {
    bool exited; /* the main process's wait status is known */
    int wait_status;
    bool timed_out;
    bool output_capped;
    long oom_kills;
    bool v8_heap_exhausted;
};

void result_init(struct run_result *r);
void result_classify(struct run_result *r, const struct run_observation *obs);
void result_infra(struct run_result *r, const char *msg);
void result_rejected(struct run_result *r, const char *msg, const char *field);
char *result_to_json(const struct run_result *r);
void result_free_files(struct run_result *r); /* no files, not truncated */
void result_free(struct run_result *r);

#endif
