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
/* The same for the bytes from *from on, as one piece of the whole: unless final, it stops before a sequence the
 * stream has only begun (more bytes may complete it); *from moves past what it converted. Concatenated, the pieces
 * are exactly output_utf8 of the whole. */
char *output_utf8_piece(const struct capture *c, size_t *from, bool final, size_t *out_len);
bool output_is_utf8(const char *s, size_t len);
void output_free(struct capture *c);

#endif
