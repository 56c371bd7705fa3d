/* PID 1 of the jail and the main process it starts.
 *
 * PID 1 (root, in the new namespaces): moves its descriptors to fixed numbers, joins the run's cgroups (so all it
 *   forks is born inside them), builds the root filesystem, forks the main process, reports STARTED, then reaps
 *   every child until the main process exits, reports EXITED and exits itself. Its exit
 *   makes the kernel SIGKILL everything left in the PID namespace: no grandchild outlives the main process.
 * The main process: joins the run's memory group (PID 1 never does, so the group's OOM killer cannot pick it), drops
 *   to the run's uid with no capabilities, rlimits, writes the request's input files into its working directory,
 *   seccomp, and execs the runtime.
 * Any setup failure is reported as REPORT_INFRA naming the step, never as the user's failure.
 *
 * PID 1 of a warm Python jail is cloned by the template sharing its memory (warm/template.c): it forks the main process
 * from there, then execs the small reaper (reaper/jail_init.c), which does the rest of PID 1's job. */
#include "init.h"

#include "cgroup.h"
#include "clock.h"
#include "fdio.h"
#include "infiles.h"
#include "limits.h"
#include "mount.h"
#include "ns.h"
#include "privs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* descriptors above this are free for shuffling the supervisor's pipe ends into place */
#define FD_SHUFFLE_BASE 100

static int report_send(int kind, int wait_status, int err, int64_t t_ns, const char *step)
{
    struct report rep;
    memset(&rep, 0, sizeof rep);
    rep.kind = kind;
    rep.wait_status = wait_status;
    rep.err = err;
    rep.t_ns = t_ns;
    if (step != NULL)
        snprintf(rep.step, sizeof rep.step, "%s", step);
    /* one write below PIPE_BUF is atomic: the supervisor never sees half a report */
    return fdio_write_all(JFD_REPORT, &rep, sizeof rep);
}

static void die_infra(const char *step) __attribute__((noreturn));
static void die_infra(const char *step)
{
    (void)report_send(REPORT_INFRA, 0, errno, clock_now_ns(), step);
    _exit(127);
}

static void move_fds(const int fds[JFD_COUNT], int reaper_fd)
{
    /* every source out of the way first: any of them may have one of the target numbers */
    int tmp[JFD_COUNT];
    for (int i = 0; i < JFD_COUNT; i++)
        if (fds[i] >= 0 && (tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, FD_SHUFFLE_BASE)) < 0)
            _exit(127); /* nothing to report on yet: the supervisor sees EOF without STARTED */
    int reaper_tmp = reaper_fd >= 0 ? fcntl(reaper_fd, F_DUPFD_CLOEXEC, FD_SHUFFLE_BASE) : -1;
    if (reaper_fd >= 0 && reaper_tmp < 0)
        _exit(127);
    for (int i = 0; i < JFD_COUNT; i++)
        if (fds[i] >= 0 ? dup2(tmp[i], i) < 0 : close(i) < 0 && errno != EBADF)
            _exit(127);
    /* close-on-exec: the reaper it becomes must not hold its own image */
    if (reaper_fd >= 0 && dup3(reaper_tmp, JFD_REAPER, O_CLOEXEC) < 0)
        _exit(127);
    /* everything else the agent had open (listening socket, slot lock, other runs' pipes) is gone */
    close_range(reaper_fd >= 0 ? JFD_REAPER + 1 : JFD_COUNT, ~0U, 0);
}

static void write_oom_score_adj(const char *value)
{
    if (fdio_write_file("/proc/self/oom_score_adj", value) < 0)
        die_infra("write oom_score_adj");
}

static void reset_signals(void)
{
    /* the agent ignores SIGPIPE and blocks signals for its own loop; ignored and blocked signals survive exec */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++)
        signal(sig, SIG_DFL);
}

static void main_process(struct init_plan *plan) __attribute__((noreturn));
static void main_process(struct init_plan *plan)
{
    const char *step = NULL;
    /* into the run's memory group before anything of the run is allocated (PID 1 stays out: cg_enter_self) */
    if (fdio_write_all(plan->memory_tasks_fd, "0", 1) < 0)
        die_infra("join the run's memory group");
    reset_signals();
    close_range(JFD_REAPER, ~0U, 0);
    if (plan->fds[JFD_CODE] >= 0 && (dup2(JFD_CODE, RUN_CODE_FD) < 0 || close(JFD_CODE) < 0))
        die_infra("move the code socket");
    /* the report pipe must close at exec so only PID 1 holds it afterwards */
    if (fcntl(JFD_REPORT, F_SETFD, FD_CLOEXEC) < 0)
        die_infra("fcntl report fd");
    /* the snippet's processes go first when the host itself runs out of memory. Written with CAP_SYS_RESOURCE (a
     * normal root), this also sets the floor below which they cannot lower it; without it (as in some containers)
     * they can lower it to 0, which only matters to the host's OOM killer: the run's own memory group holds none of
     * the jail's root processes (cg_enter_self) */
    write_oom_score_adj("1000");
    /* own session: no controlling terminal and no signals from a terminal */
    if (setsid() < 0)
        die_infra("setsid");
    if (limits_apply(&plan->limits, &step) < 0 || privs_drop(plan->mount.uid, plan->mount.gid, &step) < 0)
        die_infra(step);
    /* as the run's uid, into the working directory (the cwd PID 1 left it in), before anything of the run starts */
    if (plan->n_files > 0 && infiles_write(AT_FDCWD, plan->files, plan->n_files, &step) < 0)
        die_infra(step);
    int rc = seccomp_load(plan->filter);
    if (rc < 0) {
        errno = -rc;
        die_infra("seccomp_load");
    }
    if (plan->cmd.in_process != NULL) {
        /* what the exec would have closed: the report pipe is PID 1's alone (a snippet must not forge reports) */
        close(JFD_REPORT);
        /* what the exec would have done: a process that changed its uid is not dumpable until it execs, and a cold
         * run can read its own /proc/self/environ, auxv and mem; a warm one must see the same */
        if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
            die_infra("prctl(PR_SET_DUMPABLE)");
        plan->cmd.in_process(&plan->cmd); /* does not return */
    }
    execve(plan->cmd.path, plan->cmd.argv, plan->cmd.envp);
    die_infra("execve runtime");
}

/* Reaps every child until the main process exits; then reports and exits: PID 1's exit tears down the namespace,
 * every remaining process gets SIGKILL. (The warm jails' reaper, reaper/jail_init.c, does the same.) */
static void reap_until_main_exits(pid_t main_pid) __attribute__((noreturn));
static void reap_until_main_exits(pid_t main_pid)
{
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0 && errno != EINTR)
            _exit(0);
        if (pid == main_pid) {
            (void)report_send(REPORT_EXITED, status, 0, clock_now_ns(), NULL);
            _exit(0);
        }
    }
}

/* PID 1 of a warm Python jail shares the template's memory until it execs (warm/template.c) */
static void exec_reaper(pid_t main_pid) __attribute__((noreturn));
static void exec_reaper(pid_t main_pid)
{
    char pid_arg[16];
    snprintf(pid_arg, sizeof pid_arg, "%d", (int)main_pid);
    char *argv[] = {"jail-init", pid_arg, NULL};
    char *envp[] = {NULL};
    execveat(JFD_REAPER, "", argv, envp, AT_EMPTY_PATH);
    die_infra("exec the jail's reaper");
}

void init_main(struct init_plan *plan)
{
    const char *step = NULL;
    /* before move_fds, which closes the namespace's descriptor with everything else the agent had open */
    int netns_errno = setns(plan->netns_fd, CLONE_NEWNET) < 0 ? errno : 0;
    move_fds(plan->fds, plan->reaper_fd);
    if (netns_errno != 0) {
        errno = netns_errno;
        die_infra("join the slot's network namespace");
    }
    /* the Python template ignores SIGCHLD to have its PID 1s reaped at once; ignored stays ignored across exec */
    signal(SIGCHLD, SIG_DFL);
    /* if the supervisor dies, so does the jail (and with PID 1 everything in it). A warm Python jail's PID 1 is the
     * template's child, not its supervisor's: the template's end (it retires) must not end the jail, and the report
     * pipe binds the jail to its member instead (the report below fails once the member is gone; the reaper exits
     * when it is) */
    if (plan->reaper_fd < 0 && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        die_infra("prctl(PR_SET_PDEATHSIG)");
    /* first, so that nothing of the run (the mounts' memory included) is charged outside its cgroups */
    if (cg_enter_self(&plan->cgroup, &step) < 0)
        die_infra(step);
    /* opened before the root is rebuilt: the jail's root has no /sys */
    if ((plan->memory_tasks_fd = cg_open_memory_tasks(&plan->cgroup)) < 0)
        die_infra("open the run's memory group");
    if (ns_setup_uts(&step) < 0 || mount_build_root(&plan->mount, &step) < 0)
        die_infra(step);
    int64_t start_ns = clock_now_ns();
    pid_t main_pid = plan->fork_main != NULL ? plan->fork_main() : fork();
    if (main_pid < 0)
        die_infra("fork main process");
    if (main_pid == 0)
        main_process(plan);
    close(plan->memory_tasks_fd);
    /* a pool member's code socket is the main process's alone: its death must read as EOF to the supervisor */
    if (plan->fds[JFD_CODE] >= 0)
        close(JFD_CODE);
    /* EPIPE (SIGPIPE is ignored) means the supervisor is gone; it may have died before PDEATHSIG was armed, and
     * without it nobody would enforce the wall limit: end the jail now */
    if (report_send(REPORT_STARTED, 0, 0, start_ns, NULL) < 0)
        _exit(0);
    if (plan->reaper_fd >= 0)
        exec_reaper(main_pid);
    reap_until_main_exits(main_pid);
}
