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
/* A request frame holds the input files in base64 (4/3 of KA_MAX_FILES_BYTES) besides code and stdin. */
#define KA_MAX_FRAME_BYTES (16L * 1024 * 1024)

/* Input files (request) and output files (response), each: at most this many and this many decoded bytes. */
#define KA_MAX_FILES 32
#define KA_MAX_FILES_BYTES (10L * 1024 * 1024)
/* A file's path: relative, segments of at most KA_MAX_PATH_SEGMENT_BYTES, at most KA_MAX_PATH_BYTES in all. */
#define KA_MAX_PATH_SEGMENT_BYTES 255
#define KA_MAX_PATH_BYTES 4096
/* The run's environment additions and arguments: entries, and bytes (names + values, or the strings) in all. */
#define KA_MAX_ENV 64
#define KA_MAX_ENV_BYTES (32L * 1024)
#define KA_MAX_ARGS 64
#define KA_MAX_ARGS_BYTES (32L * 1024)

/* Jail setup (namespaces, cgroups, mounts) must finish well before this, or the run is an infra error. */
#define KA_SETUP_TIMEOUT_MS 5000L

/* Per-run uid/gid: KA_UID_BASE + slot. One uid per concurrent run keeps RLIMIT_NPROC and kill() per run. */
#define KA_UID_BASE 60000
#define KA_SLOT_COUNT 256

#define KA_STATE_DIR "/run/kata-agent"

#endif
