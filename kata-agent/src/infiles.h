/* infiles.c: a request's input files, written into the run's working directory before its program starts. */
#ifndef KA_INFILES_H
#define KA_INFILES_H

#include "request.h"

/* Writes the files under dirfd (the working directory), as the calling process's uid: files 0644, the directories
 * their paths need 0755. -1 with errno set and *step naming what failed. */
int infiles_write(int dirfd, const struct run_file *files, size_t n, const char **step);

#endif
