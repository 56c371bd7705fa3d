/* What the protocol promises (PROTOCOL.md): its version, the default limits a request may only lower, the maxima of
 * what it may send, and the host-wide names every agent on a host shares. */
#ifndef KA_CONTRACT_H
#define KA_CONTRACT_H

#define KA_PROTOCOL_VERSION "1"

/* The public contract's limits; a request may only lower them. */
#define KA_DEFAULT_WALL_MS 10000L
/* the range an operator may set the wall limit to (SANDBOX_WALL_LIMIT_MS): raised for emulated guests */
#define KA_MIN_WALL_LIMIT_MS 1000L
#define KA_MAX_WALL_LIMIT_MS 600000L
#define KA_DEFAULT_MEM_BYTES (256LL * 1024 * 1024)
#define KA_DEFAULT_CPU_QUOTA_US 50000L
#define KA_CPU_PERIOD_US 100000L
#define KA_DEFAULT_OUTPUT_BYTES (1024L * 1024)
#define KA_DEFAULT_PIDS 64L
#define KA_MAX_CODE_BYTES 102400
#define KA_MAX_STDIN_BYTES (1024L * 1024)
#define KA_MAX_FRAME_BYTES (4L * 1024 * 1024)

/* Jail setup (namespaces, cgroups, mounts) must finish well before this, or the run is an infra error. */
#define KA_SETUP_TIMEOUT_MS 5000L

/* Per-run uid/gid: KA_UID_BASE + slot. One uid per concurrent run keeps RLIMIT_NPROC and kill() per run. */
#define KA_UID_BASE 60000
#define KA_SLOT_COUNT 256

#define KA_STATE_DIR "/run/kata-agent"

#endif
