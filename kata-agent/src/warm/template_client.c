/* The Python template from outside (template_client.h). */
#include "template_client.h"

#include "../fdio.h"
#include "../runtime.h"
#include "warm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* what a warm Python run's /proc/self/exe shows: "/memfd:python3-template (deleted)" */
#define TEMPLATE_EXE_NAME "python3-template"
/* a member's wait for its jail: the template may still be importing its libraries, or restarting */
#define TEMPLATE_ANSWER_TIMEOUT_MS 60000

int template_image_create(void)
{
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int fd = memfd_create(TEMPLATE_EXE_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    struct stat st;
    bool ok = src >= 0 && fd >= 0 && fstat(src, &st) == 0;
    for (off_t off = 0; ok && off < st.st_size;)
        ok = sendfile(fd, src, &off, (size_t)(st.st_size - off)) > 0;
    /* a run's /proc/self/exe opens this copy: nothing may change it */
    ok = ok && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == 0;
    if (src >= 0)
        close(src);
    if (!ok && fd >= 0)
        close(fd);
    return ok ? fd : -1;
}

/* In the forked child: the channel and the stop pipe at their numbers, nothing else inherited, the jail's
 * environment (none of the agent's), the template's own program image. */
static void exec_template(int image, int channel, int stop_fd, const struct template_options *options)
    __attribute__((noreturn));
static void exec_template(int image, int channel, int stop_fd, const struct template_options *options)
{
    /* an orphaned template would keep members waiting for nobody; kept across the exec */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        _exit(127);
    /* out of the way first: either may have the other's target number */
    int image_fd = fcntl(image, F_DUPFD_CLOEXEC, TEMPLATE_FD_STOP + 1);
    int channel_fd = fcntl(channel, F_DUPFD_CLOEXEC, TEMPLATE_FD_STOP + 1);
    int stop = fcntl(stop_fd, F_DUPFD_CLOEXEC, TEMPLATE_FD_STOP + 1);
    if (image_fd < 0 || channel_fd < 0 || stop < 0 || dup2(channel_fd, TEMPLATE_FD_CHANNEL) < 0 ||
        dup2(stop, TEMPLATE_FD_STOP) < 0)
        _exit(127);
    close_range(TEMPLATE_FD_STOP + 1, ~0U, CLOSE_RANGE_CLOEXEC);
    struct runtime_cmd cmd;
    struct run_limits limits;
    request_default_limits(&limits);
    if (runtime_prepare_warm(LANG_PYTHON, &limits, &cmd) < 0)
        _exit(127);
    char loop_pid[16], retire_after[16];
    snprintf(loop_pid, sizeof loop_pid, "%d", (int)getppid());
    snprintf(retire_after, sizeof retire_after, "%d", options->retire_after_jails);
    char *argv[] = {"kata-agent", WARM_TEMPLATE_MODE,
                    loop_pid,     options->memory_tuned ? TEMPLATE_MEMORY_TUNED : TEMPLATE_MEMORY_PLAIN,
                    retire_after, NULL};
    execveat(image_fd, "", argv, cmd.envp, AT_EMPTY_PATH);
    perror("kata-agent: exec the python template");
    _exit(127);
}

pid_t template_spawn(int image, int channel, int stop_fd, const struct template_options *options,
                     void (*child_init)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        child_init(arg);
        exec_template(image, channel, stop_fd, options);
    }
    if (pid < 0)
        perror("kata-agent: fork the python template");
    return pid;
}

int template_start_jail(int channel, int stop_fd, const struct template_jail *z, const int fds[JFD_COUNT], int netns_fd,
                        int *pidfd, pid_t *pid, struct ka_error *e)
{
    int answer_pair[2];
    if (channel < 0)
        return error_setf(e, "no python template");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, answer_pair) < 0)
        return error_set(e, "socketpair template answer");
    int all[TEMPLATE_REQUEST_FDS];
    memcpy(all, fds, JFD_COUNT * sizeof(int));
    all[TEMPLATE_FD_NETNS] = netns_fd;
    all[TEMPLATE_FD_ANSWER] = answer_pair[1];
    int sent = fdio_send_fds(channel, z, sizeof *z, all, TEMPLATE_REQUEST_FDS, 0);
    close(answer_pair[1]);
    struct template_answer answer;
    struct pollfd p[2] = {{answer_pair[0], POLLIN, 0}, {stop_fd, POLLIN, 0}};
    int got = sent == 0 && poll(p, 2, TEMPLATE_ANSWER_TIMEOUT_MS) > 0 && p[0].revents
                  ? fdio_recv_fds(answer_pair[0], &answer, sizeof answer, pidfd, 0, 1, 0)
                  : -1;
    close(answer_pair[0]);
    if (got != 1) {
        if (got == 0)
            errno = answer.err;
        return got == 0 ? error_set(e, "the python template could not clone the jail")
                        : error_setf(e, "no answer from the python template");
    }
    *pid = answer.pid;
    return 0;
}
