/* auth.c: the network transports' shared-secret hand-shake (PROTOCOL.md, "Authentication"). */
#ifndef KA_AUTH_H
#define KA_AUTH_H

#include "error.h"

#include <stddef.h>

#define AUTH_MAGIC "KAAUTH1\n"
#define AUTH_MAGIC_BYTES 8
#define AUTH_NONCE_BYTES 32
#define AUTH_MAC_BYTES 32 /* HMAC-SHA256 */
#define AUTH_MIN_SECRET_BYTES 32
#define AUTH_MAX_SECRET_BYTES 1024
/* the whole hand-shake, from accept() to the client's proof: an idle or slow caller holds a worker no longer */
#define AUTH_HANDSHAKE_TIMEOUT_MS 5000

struct auth_secret {
    unsigned char bytes[AUTH_MAX_SECRET_BYTES];
    size_t len;
};

/* The secret file: a regular file owned by this process's user, readable by nobody else, of at least
 * AUTH_MIN_SECRET_BYTES once trailing whitespace (a final newline) is dropped. */
int auth_secret_load(const char *path, struct auth_secret *s, struct ka_error *e);
void auth_secret_wipe(struct auth_secret *s);

/* The agent's side on a fresh connection: 0 when the caller proved it holds the secret; -1 otherwise (nothing of
 * the caller's has been parsed; the caller closes the connection). */
int auth_serve(int fd, const struct auth_secret *s, struct ka_error *e);
/* The caller's side: 0 when the agent proved it holds the secret too. */
int auth_call(int fd, const struct auth_secret *s, struct ka_error *e);

#endif
