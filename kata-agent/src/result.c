/* Turns what the supervisor observed into the protocol's status (with its precedence) and encodes the response. */
#include "result.h"

#include "base64.h"
#include "output.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *const status_names[] = {
    [ST_COMPLETED] = "completed",       [ST_FAILED] = "failed",
    [ST_TIMED_OUT] = "timed_out",       [ST_MEMORY_LIMIT] = "memory_limit",
    [ST_OUTPUT_LIMIT] = "output_limit", [ST_KILLED] = "killed",
    [ST_INFRA_ERROR] = "infra_error",   [ST_REJECTED] = "rejected",
};

void result_init(struct run_result *r)
{
    memset(r, 0, sizeof *r);
    r->exit_code = -1;
}

/* Precedence: timed_out > memory_limit > output_limit > killed > failed > completed. */
void result_classify(struct run_result *r, const struct run_observation *obs)
{
    r->timed_out = obs->timed_out;
    r->signal = 0;
    if (obs->timed_out) {
        r->status = ST_TIMED_OUT;
        r->exit_code = 124;
    } else if (obs->oom_kills > 0 || obs->v8_heap_exhausted) {
        r->status = ST_MEMORY_LIMIT;
        r->exit_code = 128 + SIGKILL;
        r->signal = SIGKILL;
    } else if (obs->output_capped) {
        r->status = ST_OUTPUT_LIMIT;
        r->exit_code = 128 + SIGKILL;
        r->signal = SIGKILL;
    } else if (obs->exited && WIFSIGNALED(obs->wait_status)) {
        r->status = ST_KILLED;
        r->signal = WTERMSIG(obs->wait_status);
        r->exit_code = 128 + r->signal;
    } else if (obs->exited && WEXITSTATUS(obs->wait_status) != 0) {
        r->status = ST_FAILED;
        r->exit_code = WEXITSTATUS(obs->wait_status);
    } else {
        r->status = ST_COMPLETED;
        r->exit_code = 0;
    }
}

void result_infra(struct run_result *r, const char *msg)
{
    r->status = ST_INFRA_ERROR;
    r->exit_code = -1;
    r->signal = 0;
    snprintf(r->error, sizeof r->error, "%s", msg);
}

void result_rejected(struct run_result *r, const char *msg, const char *field)
{
    r->status = ST_REJECTED;
    r->exit_code = -1;
    r->signal = 0;
    r->error_field = field;
    snprintf(r->error, sizeof r->error, "%s", msg);
}

static json_t *two_decimals(double v)
{
    return json_real(round(v * 100.0) / 100.0);
}

static json_t *signal_name(int sig)
{
    if (sig == 0)
        return json_null();
    const char *abbrev = sigabbrev_np(sig);
    char name[32];
    if (abbrev != NULL)
        snprintf(name, sizeof name, "SIG%s", abbrev);
    else
        snprintf(name, sizeof name, "SIG%d", sig);
    return json_string(name);
}

static int set_stream(json_t *o, const char *key, const char *bytes_key, const struct capture *c)
{
    size_t len = 0;
    char *text = c->data == NULL ? NULL : output_utf8(c, &len);
    json_t *s = text == NULL ? json_string("") : json_stringn_nocheck(text, len);
    free(text);
    json_object_set_new(o, key, s);
    json_object_set_new(o, bytes_key, json_integer((json_int_t)c->bytes));
    return 0;
}

static json_t *file_json(const struct out_file *f)
{
    char *b64 = malloc(base64_encoded_len(f->bytes) + 1);
    if (b64 == NULL)
        return NULL;
    base64_encode(f->data, f->bytes, b64);
    json_t *o = json_pack("{s:s, s:I, s:s}", "path", f->path, "sizeBytes", (json_int_t)f->bytes, "content", b64);
    free(b64);
    return o;
}

/* A plain request whose program wrote nothing answers exactly the fields it always did; a rejected or broken run
 * never carries files. */
static void set_files(json_t *o, const struct run_result *r)
{
    if (r->status == ST_INFRA_ERROR || r->status == ST_REJECTED)
        return;
    if (!r->files_asked && r->n_files == 0 && !r->files_truncated)
        return;
    json_t *list = json_array();
    for (size_t i = 0; i < r->n_files; i++)
        json_array_append_new(list, file_json(&r->files[i]));
    json_object_set_new(o, "files", list);
    json_object_set_new(o, "filesTruncated", json_boolean(r->files_truncated));
}

char *result_to_json(const struct run_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "status", json_string(status_names[r->status]));
    json_object_set_new(o, "exitCode", json_integer(r->exit_code));
    json_object_set_new(o, "signal", signal_name(r->signal));
    json_object_set_new(o, "timedOut", json_boolean(r->timed_out));
    set_stream(o, "stdout", "stdoutBytes", &r->out);
    set_stream(o, "stderr", "stderrBytes", &r->err);
    json_object_set_new(o, "outputTruncated", json_boolean(r->out.truncated || r->err.truncated));
    json_object_set_new(o, "executionTimeMs", two_decimals(r->execution_time_ms));
    json_object_set_new(o, "memoryUsageMb", two_decimals(r->memory_usage_mb));
    json_object_set_new(o, "cpuTimeMs", two_decimals(r->cpu_time_ms));
    if (r->status == ST_INFRA_ERROR || r->status == ST_REJECTED)
        json_object_set_new(o, "error", json_string(r->error));
    if (r->status == ST_REJECTED && r->error_field != NULL)
        json_object_set_new(o, "errorField", json_string(r->error_field));
    set_files(o, r);
    /* 15 significant digits print a value rounded to 2 decimals without binary noise (21.37, not 21.370000000000001) */
    char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(o);
    return text;
}

void result_free_files(struct run_result *r)
{
    for (size_t i = 0; i < r->n_files; i++) {
        free(r->files[i].path);
        free(r->files[i].data);
    }
    free(r->files);
    r->files = NULL;
    r->n_files = 0;
    r->files_truncated = false;
}

void result_free(struct run_result *r)
{
    output_free(&r->out);
    output_free(&r->err);
    result_free_files(r);
}
