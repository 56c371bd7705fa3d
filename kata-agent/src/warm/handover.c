/* The hand-over protocol between a worker and a member (handover.h). */
#include "handover.h"

#include "../fdio.h"

#include <errno.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define HANDOVER_TIMEOUT_MS 1000

int handover_offer(int channel, int client_fd, const char *request_json, size_t len)
{
    int lifeline[2];
    int request_fd = memfd_create("request", MFD_CLOEXEC);
    if (request_fd < 0)
        return -1;
    if (fdio_write_all(request_fd, request_json, len) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, lifeline) < 0) {
        close(request_fd);
        return -1;
    }
    int fds[3] = {client_fd, request_fd, lifeline[1]};
    int sent = fdio_send_fds(channel, "H", 1, fds, 3, MSG_DONTWAIT);
    close(request_fd);
    close(lifeline[1]);
    char ack = 0;
    struct pollfd p = {lifeline[0], POLLIN, 0};
    if (sent == 0 && poll(&p, 1, HANDOVER_TIMEOUT_MS) == 1 && read(lifeline[0], &ack, 1) == 1 && ack == 'A' &&
        write(lifeline[0], "G", 1) == 1)
        return lifeline[0];
    close(lifeline[0]);
    return -1;
}

void handover_wait_done(int lifeline)
{
    char byte;
    ssize_t n;
    while ((n = read(lifeline, &byte, 1)) > 0 || (n < 0 && errno == EINTR))
        ; /* the member writes nothing more: this returns at its end (or its death) */
    close(lifeline);
}

int handover_receive(int channel, struct handover *h)
{
    char byte;
    int fds[3];
    if (fdio_recv_fds(channel, &byte, 1, fds, 3, 3, MSG_DONTWAIT) < 0)
        return -1;
    *h = (struct handover){fds[0], fds[1], fds[2]};
    return 0;
}

bool handover_commit(const struct handover *h)
{
    char go = 0;
    return write(h->lifeline_fd, "A", 1) == 1 && read(h->lifeline_fd, &go, 1) == 1 && go == 'G';
}

void handover_close(struct handover *h)
{
    close(h->client_fd);
    close(h->request_fd);
    close(h->lifeline_fd);
}
