/* One captured output stream. The buffer never grows past the stream's cap, so a snippet printing forever costs the
 * agent at most cap bytes per stream; reaching the cap is what stops the run. */
#include "output.h"

#include <stdlib.h>
#include <string.h>

int output_init(struct capture *c, size_t cap_bytes)
{
    memset(c, 0, sizeof *c);
    c->cap_bytes = cap_bytes;
    c->data = malloc(cap_bytes + 1);
    return c->data == NULL ? -1 : 0;
}

bool output_append(struct capture *c, const char *buf, size_t len)
{
    size_t room = c->cap_bytes - c->bytes;
    size_t take = len < room ? len : room;
    memcpy(c->data + c->bytes, buf, take);
    c->bytes += take;
    /* the cap is hit when the stream tries to go beyond it; exactly cap bytes and an exit is not truncation */
    if (take < len)
        c->truncated = true;
    return c->truncated;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, <= U+10FFFF), 0 if there is
 * none, -1 if the left bytes are a valid beginning of one that needs more. */
static int utf8_seq_len(const unsigned char *p, size_t left)
{
    if (p[0] < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        if (p[0] == 0xE0)
            lo = 0xA0;
        if (p[0] == 0xED)
            hi = 0x9F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        if (p[0] == 0xF0)
            lo = 0x90;
        if (p[0] == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (left >= 2 && (p[1] < lo || p[1] > hi))
        return 0;
    for (size_t i = 2; i < n && i < left; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return left < n ? -1 : (int)n;
}

char *output_utf8_piece(const struct capture *c, size_t *from, bool final, size_t *out_len)
{
    size_t i = *from;
    /* worst case every byte becomes the 3-byte U+FFFD */
    char *out = malloc((c->bytes - i) * 3 + 1);
    if (out == NULL)
        return NULL;
    const unsigned char *p = (const unsigned char *)c->data;
    size_t o = 0;
    while (i < c->bytes) {
        int n = utf8_seq_len(p + i, c->bytes - i);
        if (n < 0 && !final)
            break; /* the rest of this sequence has not arrived yet */
        if (n <= 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += 1;
            continue;
        }
        memcpy(out + o, p + i, (size_t)n);
        o += (size_t)n;
        i += (size_t)n;
    }
    out[o] = '\0';
    *out_len = o;
    *from = i;
    return out;
}

bool output_is_utf8(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int n = utf8_seq_len((const unsigned char *)s + i, len - i);
        if (n <= 0)
            return false;
        i += (size_t)n;
    }
    return true;
}

char *output_utf8(const struct capture *c, size_t *out_len)
{
    size_t from = 0;
    return output_utf8_piece(c, &from, true, out_len);
}

void output_free(struct capture *c)
{
    free(c->data);
    c->data = NULL;
}
