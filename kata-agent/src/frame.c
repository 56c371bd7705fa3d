/* Framing, independent of the transport (Unix socket today, vsock inside a VM later): a 4-byte unsigned big-endian
 * length N, then N bytes of UTF-8 JSON. */
#include "frame.h"

#include "contract.h"
#include "fdio.h"

#include <arpa/inet.h>
#include <stdlib.h>

enum frame_status frame_read(int fd, char **buf, size_t *len)
{
    uint32_t be_len;
    ssize_t n = fdio_read_full(fd, &be_len, sizeof be_len);
    if (n == 0)
        return FRAME_EOF;
    if (n != (ssize_t)sizeof be_len)
        return FRAME_IO_ERROR;
    uint32_t size = ntohl(be_len);
    /* decided from the header alone: an oversized request is never read into memory */
    if (size > KA_MAX_FRAME_BYTES)
        return FRAME_TOO_BIG;
    char *body = malloc((size_t)size + 1);
    if (body == NULL)
        return FRAME_IO_ERROR;
    if (fdio_read_full(fd, body, size) != (ssize_t)size) {
        free(body);
        return FRAME_IO_ERROR;
    }
    body[size] = '\0';
    *buf = body;
    *len = size;
    return FRAME_OK;
}

int frame_write(int fd, const char *buf, size_t len)
{
    uint32_t be_len = htonl((uint32_t)len);
    if (fdio_write_all(fd, &be_len, sizeof be_len) < 0)
        return -1;
    return fdio_write_all(fd, buf, len);
}
