/* Dropping root for the user's process: no capability can come back, not even through exec. */
#include "privs.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int caps_are_empty(void)
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &hdr, data) < 0)
        return 0;
    for (int i = 0; i < 2; i++)
        if (data[i].effective || data[i].permitted || data[i].inheritable)
            return 0;
    return 1;
}

int privs_drop(uid_t uid, gid_t gid, const char **step)
{
    /* empty bounding set: no exec (of anything, setuid or file-capability binaries included) can grant a capability */
    *step = "prctl(PR_CAPBSET_DROP)";
    for (int cap = 0; cap <= 63; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
            return -1;
    /* root's special treatment (caps on exec of uid 0, caps kept across setuid) is off and locked off */
    *step = "prctl(PR_SET_SECUREBITS)";
    if (prctl(PR_SET_SECUREBITS,
              SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                  SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
              0, 0, 0) < 0)
        return -1;
    /* no supplementary groups: the host's group memberships of root must not come along */
    *step = "setgroups";
    if (setgroups(0, NULL) < 0)
        return -1;
    /* the run's own gid and uid (real, effective and saved), so the process can never switch back */
    *step = "setresgid";
    if (setresgid(gid, gid, gid) < 0)
        return -1;
    *step = "setresuid";
    if (setresuid(uid, uid, uid) < 0)
        return -1;
    /* setresuid away from 0 cleared the permitted and effective sets; verify rather than trust */
    *step = "capability check";
    if (!caps_are_empty() || setuid(0) == 0) {
        errno = EPERM;
        return -1;
    }
    /* no_new_privs: exec can never raise privileges again (setuid bits, file caps); also required by seccomp */
    *step = "prctl(PR_SET_NO_NEW_PRIVS)";
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}
