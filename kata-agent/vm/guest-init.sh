#!/bin/sh
# PID 1 of the guest, run from the host's root (read-only over 9p): the mounts a jail host needs, cgroup v2 alone
# and delegated to the agent, the one NIC, then the agent itself. When the agent ends, the guest powers off and QEMU
# exits. Its settings come from the kernel command line, which hands unknown NAME=VALUE words to init's environment:
#   KA_AGENT      the agent binary (a path on the host's root)
#   KA_PORT       the guest port the agent listens on (the host forwards one loopback port to it)
#   KA_SECRET     the shared secret's file (a path on the host's root, read through 9p)
#   KA_POOLS      warm pool sizes, "python,javascript" (0,0 when absent)
#   KA_WALL_LIMIT_MS  the runs' wall limit (raised under software emulation, where everything is many times slower)
#   KA_CHECKOUT   the host folder holding the agent, its runtimes and the secret's copy: kept visible when it lies
#                 below one of the folders the guest covers with a tmpfs of its own (a checkout in /tmp)
set -u
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
bb=/bin/busybox
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || true
# the host's root once more, without the tmpfs mounts below, so a checkout they cover can be put back
mount --bind / /mnt
for d in /run /tmp /dev/shm; do
  mkdir -p "$d"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$d"
  case "${KA_CHECKOUT:-}" in
    "$d"/*) mkdir -p "$KA_CHECKOUT" && mount --bind "/mnt$KA_CHECKOUT" "$KA_CHECKOUT" ;;
  esac
done
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
# cgroup v2 only (the kernel mounts no v1 hierarchy unless asked), with the three controllers a run's limits need
# handed down from the root: the agent makes its own subtree below it
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
echo "+memory +cpu +pids" > /sys/fs/cgroup/cgroup.subtree_control
# the guest's only network: slirp's default address, reached from the host through the one forwarded port
$bb ip link set lo up
$bb ip link set eth0 up
$bb ip addr add 10.0.2.15/24 dev eth0
echo "guest: up, cgroup $(stat -fc %T /sys/fs/cgroup), agent on port ${KA_PORT}" > /dev/console
pools="${KA_POOLS:-0,0}"
"$KA_AGENT" serve --listen "tcp://0.0.0.0:${KA_PORT}" --secret-file "$KA_SECRET" \
  --pool-python "${pools%,*}" --pool-javascript "${pools#*,}" --wall-limit-ms "${KA_WALL_LIMIT_MS:-10000}" \
  > /dev/console 2>&1
echo "guest: the agent exited ($?), powering off" > /dev/console
$bb poweroff -f
