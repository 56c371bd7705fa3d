/* frame.c: 4-byte big-endian length + JSON, transport-independent. */
#ifndef KA_FRAME_H
#define KA_FRAME_H

#include <stddef.h>

enum frame_status { FRAME_OK, FRAME_EOF, FRAME_TOO_BIG, FRAME_IO_ERROR };
enum frame_status frame_read(int fd, char **buf, size_t *len);
int frame_write(int fd, const char *buf, size_t len);

#endif
