/* runtime.c: what to exec inside the jail for a language. */
#ifndef KA_RUNTIME_H
#define KA_RUNTIME_H

#include "output.h"
#include "request.h"

#define JAIL_RUNTIME_DIR "/runtime/node"
/* The runtime's own arguments and environment, before a request's args and env */
#define RUNTIME_OWN_ARGS 6
#define RUNTIME_OWN_ENV 8
/* Node's argv[1] when a request has args, where a script's name would be: process.argv.slice(2) are the args */
#define RUNTIME_NODE_EVAL_NAME "[eval]"
struct runtime_cmd {
    const char *path;
    char *argv[RUNTIME_OWN_ARGS + KA_MAX_ARGS + 1];
    char *envp[RUNTIME_OWN_ENV + KA_MAX_ENV + 1];
    char heap_flag[48];
    char *eval_arg; /* owned: "--eval=CODE" */
    /* set: instead of execve, the main process runs argv's code in the interpreter it already has (warm/template.c) */
    void (*in_process)(const struct runtime_cmd *cmd);
};
/* A warm Python's bootstrap (argv[3] of runtime_prepare_warm) defines these: the template calls the first once,
 * each run's main process the second. */
#define RUNTIME_PYTHON_PRELOAD_CALL "_ka_preload()\n"
#define RUNTIME_PYTHON_BOOT_CALL "_ka_boot()\n"
void runtime_set_dir(const char *dir);
const char *runtime_dir(void);
const char *runtime_node_host_path(char *buf, size_t size);
int runtime_prepare(const struct run_request *req, struct runtime_cmd *cmd);
/* A pool member: the runtime with the libraries loaded, reading its code from the code socket (see warm/warm_jail.c). */
int runtime_prepare_warm(enum language language, const struct run_limits *limits, struct runtime_cmd *cmd);
/* In the Python template: warm Python members run in the template's interpreter instead of exec'ing python3. */
void runtime_set_python_in_process(void (*run)(const struct runtime_cmd *cmd));
void runtime_release(struct runtime_cmd *cmd);
bool runtime_is_v8_heap_exhaustion(const struct run_request *req, const struct capture *err, int wait_status);

#endif
