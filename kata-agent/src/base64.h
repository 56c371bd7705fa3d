/* base64.c: RFC 4648 base64 (the standard alphabet, padded), how file contents travel on the protocol. */
#ifndef KA_BASE64_H
#define KA_BASE64_H

#include <stddef.h>

/* Decodes len characters into out (room for base64_decoded_max(len) bytes); -1 if they are not canonical base64. */
long base64_decode(const char *in, size_t len, unsigned char *out);
size_t base64_decoded_max(size_t len);
/* Encodes len bytes into out (room for base64_encoded_len(len) + 1, NUL-terminated). */
void base64_encode(const unsigned char *in, size_t len, char *out);
size_t base64_encoded_len(size_t len);

#endif
