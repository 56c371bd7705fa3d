/* libpython.c: the few entry points of libpython3.11 the Python template needs, loaded with dlopen when the
 * template starts, so that the agent's other modes never pay for loading it. */
#ifndef KA_WARM_LIBPYTHON_H
#define KA_WARM_LIBPYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

struct libpython {
    void (*config_init)(PyConfig *);
    PyStatus (*config_set_string)(PyConfig *, wchar_t **, const wchar_t *);
    PyStatus (*config_set_argv)(PyConfig *, Py_ssize_t, wchar_t *const *);
    PyStatus (*initialize)(const PyConfig *);
    int (*status_exception)(PyStatus);
    void (*config_clear)(PyConfig *);
    int (*run)(const char *);
    void (*before_fork)(void);
    void (*after_fork_parent)(void);
    void (*after_fork_child)(void);
    void (*set_arena_allocator)(PyObjectArenaAllocator *);
};

extern struct libpython py;
int libpython_load(void); /* -1 with the reason on stderr */

#endif
