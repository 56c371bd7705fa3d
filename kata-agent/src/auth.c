/* The shared-secret hand-shake of the network transports. Any local user can reach a loopback port (and anything on
 * the virtual network a guest's port), so before a single byte of a request is read the caller proves it holds the
 * secret, and the agent proves it too: HMAC-SHA256 over a fresh nonce from each side, under a label per direction so
 * that neither proof can be replayed as the other. The secret itself never crosses the wire. */
#include "auth.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LABEL_CLIENT "kata-agent client proof"
#define LABEL_AGENT "kata-agent agent proof"

int auth_secret_load(const char *path, struct auth_secret *s, struct ka_error *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return error_setf(e, "cannot open the secret file %s: %s", path, strerror(errno));
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) < 0)
        error_set(e, "fstat secret file");
    else if (!S_ISREG(st.st_mode))
        error_setf(e, "the secret file %s is not a regular file", path);
    else if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
        error_setf(e, "the secret file %s must be owned by uid %u and readable by nobody else (chmod 600)", path,
                   (unsigned)geteuid());
    else if (st.st_size > AUTH_MAX_SECRET_BYTES)
        error_setf(e, "the secret file %s is larger than %d bytes", path, AUTH_MAX_SECRET_BYTES);
    else
        rc = 0;
    ssize_t n = rc < 0 ? -1 : read(fd, s->bytes, sizeof s->bytes);
    close(fd);
    if (rc < 0)
        return -1;
    if (n < 0)
        return error_set(e, "read secret file");
    /* a final newline (echo, an editor) is not part of the secret: both sides trim the same way */
    while (n > 0 &&
           (s->bytes[n - 1] == '\n' || s->bytes[n - 1] == '\r' || s->bytes[n - 1] == ' ' || s->bytes[n - 1] == '\t'))
        n--;
    s->len = (size_t)n;
    if (s->len < AUTH_MIN_SECRET_BYTES) {
        auth_secret_wipe(s);
        return error_setf(e, "the secret in %s is shorter than %d bytes (make one with: openssl rand -hex 32)", path,
                          AUTH_MIN_SECRET_BYTES);
    }
    return 0;
}

void auth_secret_wipe(struct auth_secret *s)
{
    OPENSSL_cleanse(s->bytes, sizeof s->bytes);
    s->len = 0;
}

static long ms_left(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms;
}

/* Exactly len bytes before the deadline, however the peer trickles them in. */
static int read_by(int fd, void *buf, size_t len, const struct timespec *deadline, struct ka_error *e)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < len) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int ready = poll(&pfd, 1, (int)ms_left(deadline));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0)
            return error_set(e, "poll");
        if (ready == 0)
            return error_setf(e, "no answer within %d ms", AUTH_HANDSHAKE_TIMEOUT_MS);
        ssize_t n = read(fd, p + got, len - got);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return error_set(e, "read");
        if (n == 0)
            return error_setf(e, "the peer closed the connection");
        got += (size_t)n;
    }
    return 0;
}

static int write_by(int fd, const void *buf, size_t len, const struct timespec *deadline, struct ka_error *e)
{
    const unsigned char *p = buf;
    size_t done = 0;
    while (done < len) {
        struct pollfd pfd = {fd, POLLOUT, 0};
        int ready = poll(&pfd, 1, (int)ms_left(deadline));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return ready < 0 ? error_set(e, "poll") : error_setf(e, "the peer does not read");
        ssize_t n = send(fd, p + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0)
            return error_set(e, "write");
        done += (size_t)n;
    }
    return 0;
}

static void start_clock(struct timespec *deadline)
{
    clock_gettime(CLOCK_MONOTONIC, deadline);
    deadline->tv_sec += AUTH_HANDSHAKE_TIMEOUT_MS / 1000;
    deadline->tv_nsec += (AUTH_HANDSHAKE_TIMEOUT_MS % 1000) * 1000000L;
    if (deadline->tv_nsec >= 1000000000L) {
        deadline->tv_sec++;
        deadline->tv_nsec -= 1000000000L;
    }
}

/* One hand-shake's three messages as they go on the wire, and its one clock. */
struct exchange {
    unsigned char challenge[AUTH_MAGIC_BYTES + AUTH_NONCE_BYTES]; /* greeting, agent nonce */
    unsigned char answer[AUTH_NONCE_BYTES + AUTH_MAC_BYTES]; /* client nonce, client proof */
    unsigned char agent_proof[AUTH_MAC_BYTES];
    unsigned char expected[AUTH_MAC_BYTES]; /* the proof this side must receive */
    struct timespec deadline;
};

static void exchange_start(struct exchange *x)
{
    memset(x, 0, sizeof *x);
    start_clock(&x->deadline);
}

/* HMAC-SHA256(secret, label || agent nonce || client nonce) */
static int prove(const struct auth_secret *s, const struct exchange *x, const char *label,
                 unsigned char out[AUTH_MAC_BYTES], struct ka_error *e)
{
    size_t label_len = strlen(label);
    unsigned char msg[64 + 2 * AUTH_NONCE_BYTES];
    memcpy(msg, label, label_len);
    memcpy(msg + label_len, x->challenge + AUTH_MAGIC_BYTES, AUTH_NONCE_BYTES);
    memcpy(msg + label_len + AUTH_NONCE_BYTES, x->answer, AUTH_NONCE_BYTES);
    unsigned int out_len = 0;
    if (HMAC(EVP_sha256(), s->bytes, (int)s->len, msg, label_len + 2 * AUTH_NONCE_BYTES, out, &out_len) == NULL ||
        out_len != AUTH_MAC_BYTES)
        return error_setf(e, "HMAC-SHA256 failed");
    return 0;
}

static int fresh_nonce(unsigned char nonce[AUTH_NONCE_BYTES], struct ka_error *e)
{
    /* from the kernel's CSPRNG; 32 bytes never come back short */
    if (getrandom(nonce, AUTH_NONCE_BYTES, 0) != AUTH_NONCE_BYTES)
        return error_set(e, "getrandom");
    return 0;
}

int auth_serve(int fd, const struct auth_secret *s, struct ka_error *e)
{
    struct exchange x;
    exchange_start(&x);
    memcpy(x.challenge, AUTH_MAGIC, AUTH_MAGIC_BYTES);
    if (fresh_nonce(x.challenge + AUTH_MAGIC_BYTES, e) < 0 ||
        write_by(fd, x.challenge, sizeof x.challenge, &x.deadline, e) < 0 ||
        read_by(fd, x.answer, sizeof x.answer, &x.deadline, e) < 0 || prove(s, &x, LABEL_CLIENT, x.expected, e) < 0)
        return -1;
    if (CRYPTO_memcmp(x.expected, x.answer + AUTH_NONCE_BYTES, AUTH_MAC_BYTES) != 0)
        return error_setf(e, "wrong proof of the secret");
    if (prove(s, &x, LABEL_AGENT, x.agent_proof, e) < 0)
        return -1;
    return write_by(fd, x.agent_proof, sizeof x.agent_proof, &x.deadline, e);
}

int auth_call(int fd, const struct auth_secret *s, struct ka_error *e)
{
    struct exchange x;
    exchange_start(&x);
    if (read_by(fd, x.challenge, sizeof x.challenge, &x.deadline, e) < 0)
        return -1;
    if (memcmp(x.challenge, AUTH_MAGIC, AUTH_MAGIC_BYTES) != 0)
        return error_setf(e, "the peer is not a kata-agent network transport (wrong greeting)");
    if (fresh_nonce(x.answer, e) < 0 || prove(s, &x, LABEL_CLIENT, x.answer + AUTH_NONCE_BYTES, e) < 0 ||
        prove(s, &x, LABEL_AGENT, x.expected, e) < 0 || write_by(fd, x.answer, sizeof x.answer, &x.deadline, e) < 0)
        return -1;
    /* the agent answers a wrong proof by closing the connection, without a word */
    if (read_by(fd, x.agent_proof, sizeof x.agent_proof, &x.deadline, e) < 0)
        return error_setf(e, "the agent refused the connection: wrong secret?");
    if (CRYPTO_memcmp(x.expected, x.agent_proof, AUTH_MAC_BYTES) != 0)
        return error_setf(e, "the agent's proof of the secret is wrong: not the agent this secret belongs to");
    return 0;
}
