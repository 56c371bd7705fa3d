/* The seccomp filter of the user's process (libseccomp). Default allow, with a deny list of what a snippet never
 * needs and what widens the kernel surface; the jail's other layers (namespaces, no capabilities, an unprivileged
 * uid) already stop most of these, the filter makes each refusal explicit and independent of them.
 * Syscalls of other ABIs (i386, x32) hit libseccomp's bad-arch action (kill), so they cannot bypass the list. */
#include "seccomp.h"

#include "error.h"

#include <errno.h>
#include <linux/sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

struct deny {
    const char *name;
    int err;
};

/* Denied outright, one reason each. */
static const struct deny deny_list[] = {
    {"ptrace", EPERM}, /* no inspecting or steering other processes */
    {"process_vm_readv", EPERM}, /* reading another process's memory */
    {"process_vm_writev", EPERM}, /* writing another process's memory */
    {"kcmp", EPERM}, /* probing other processes' kernel objects */
    {"pidfd_getfd", EPERM}, /* stealing descriptors from other processes */
    {"mount", EPERM}, /* the jail's filesystem view is fixed */
    {"umount2", EPERM}, /* unmounting could reveal what a mount hides */
    {"pivot_root", EPERM}, /* changing the root is the jail's job only */
    {"chroot", EPERM}, /* classic chroot escapes */
    {"open_tree", EPERM}, /* new mount API: detached mount trees */
    {"move_mount", EPERM}, /* new mount API: attaching mounts */
    {"fsopen", EPERM}, /* new mount API: creating filesystems */
    {"fsconfig", EPERM}, /* new mount API */
    {"fsmount", EPERM}, /* new mount API */
    {"fspick", EPERM}, /* new mount API: reconfiguring mounts */
    {"mount_setattr", EPERM}, /* changing mount flags (e.g. clearing read-only) */
    {"unshare", EPERM}, /* new namespaces, above all user namespaces (root inside one) */
    {"setns", EPERM}, /* joining other namespaces */
    {"keyctl", EPERM}, /* kernel keyrings are not namespaced */
    {"add_key", EPERM}, /* kernel keyrings */
    {"request_key", EPERM}, /* kernel keyrings */
    {"bpf", EPERM}, /* eBPF programs are a large kernel attack surface */
    {"perf_event_open", EPERM}, /* side channels and a history of kernel bugs */
    {"kexec_load", EPERM}, /* replacing the kernel */
    {"kexec_file_load", EPERM}, /* replacing the kernel */
    {"init_module", EPERM}, /* loading kernel modules */
    {"finit_module", EPERM}, /* loading kernel modules */
    {"delete_module", EPERM}, /* unloading kernel modules */
    {"io_uring_setup", ENOSYS}, /* io_uring bypasses seccomp for its operations; ENOSYS makes libuv fall back */
    {"io_uring_enter", ENOSYS}, /* io_uring */
    {"io_uring_register", ENOSYS}, /* io_uring */
    {"clock_settime", EPERM}, /* the host clock is not the snippet's */
    {"clock_adjtime", EPERM}, /* the host clock */
    {"settimeofday", EPERM}, /* the host clock */
    {"adjtimex", EPERM}, /* the host clock */
    {"userfaultfd", EPERM}, /* stalls kernel paths at will, a common exploit primitive */
    {"open_by_handle_at", EPERM}, /* opens files by handle, bypassing the mount view */
    {"name_to_handle_at", EPERM}, /* companion of open_by_handle_at */
    {"reboot", EPERM}, /* host power state */
    {"swapon", EPERM}, /* host swap */
    {"swapoff", EPERM}, /* host swap */
    {"acct", EPERM}, /* process accounting to a file */
    {"quotactl", EPERM}, /* filesystem quotas */
    {"syslog", EPERM}, /* the kernel log leaks host details */
    {"iopl", EPERM}, /* raw I/O port access */
    {"ioperm", EPERM}, /* raw I/O port access */
    {"personality", EPERM}, /* e.g. READ_IMPLIES_EXEC, address-space layout changes */
    {"clone3", ENOSYS}, /* its flags sit in memory seccomp cannot read; ENOSYS makes libc use clone */
    {"fanotify_init", EPERM}, /* watching filesystem activity */
    {"lookup_dcookie", EPERM}, /* kernel profiling interface */
    {"vhangup", EPERM}, /* terminal hang-up */
};

static int add(scmp_filter_ctx ctx, int err, const char *name, unsigned nargs, const struct scmp_arg_cmp *args)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return 0; /* not a syscall on this architecture */
    return seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(err), nr, nargs, args);
}

scmp_filter_ctx sc_build_filter(struct ka_error *e)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL) {
        error_setf(e, "seccomp: seccomp_init failed");
        return NULL;
    }
    /* a binary tree of syscall numbers instead of a linear list: every allowed syscall of a chatty runtime
     * (node makes thousands at start-up) passes a few comparisons instead of all of them */
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    for (size_t i = 0; i < sizeof deny_list / sizeof deny_list[0] && rc == 0; i++)
        rc = add(ctx, deny_list[i].err, deny_list[i].name, 0, NULL);

    /* sockets: only AF_UNIX (local pipes between the snippet's own processes); no network of any kind */
    struct scmp_arg_cmp not_unix = SCMP_A0(SCMP_CMP_NE, AF_UNIX);
    if (rc == 0)
        rc = add(ctx, EAFNOSUPPORT, "socket", 1, &not_unix);
    /* clone with namespace flags: a new user namespace would hand the snippet root powers inside it */
    static const unsigned long ns_flag_list[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,    CLONE_NEWNET,
                                                 CLONE_NEWIPC,  CLONE_NEWUTS, CLONE_NEWCGROUP, CLONE_NEWTIME};
    for (size_t i = 0; i < sizeof ns_flag_list / sizeof ns_flag_list[0] && rc == 0; i++) {
        struct scmp_arg_cmp has_flag = SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flag_list[i], ns_flag_list[i]);
        rc = add(ctx, EPERM, "clone", 1, &has_flag);
    }
    /* TIOCSTI pushes bytes into a terminal's input queue: a classic escape when a tty is shared */
    struct scmp_arg_cmp tiocsti = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI);
    if (rc == 0)
        rc = add(ctx, EPERM, "ioctl", 1, &tiocsti);

    if (rc != 0) {
        error_setf(e, "seccomp: adding a rule failed: %s", strerror(-rc));
        seccomp_release(ctx);
        return NULL;
    }
    return ctx;
}
