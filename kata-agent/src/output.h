/* output.c: one captured stream, capped. */
#ifndef KA_OUTPUT_H
#define KA_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

struct capture {
    char *data;
    size_t bytes;
    size_t cap_bytes;
    bool truncated;
};
int output_init(struct capture *c, size_t cap_bytes);
/* Appends what fits; returns true once the stream has tried to exceed its cap (bytes were dropped). */
bool output_append(struct capture *c, const char *buf, size_t len);
char *output_utf8(const struct capture *c, size_t *out_len); /* invalid bytes -> U+FFFD */
void output_free(struct capture *c);

#endif
