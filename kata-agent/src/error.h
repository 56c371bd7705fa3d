/* error.c: the message of an infrastructure failure, "step: strerror". */
#ifndef KA_ERROR_H
#define KA_ERROR_H

struct ka_error {
    char msg[256];
};
int error_set(struct ka_error *e, const char *step); /* uses errno; returns -1 */
int error_setf(struct ka_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
