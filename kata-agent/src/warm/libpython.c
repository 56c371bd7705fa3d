/* libpython's entry points, resolved at run time (libpython.h). */
#include "libpython.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>

#define LIBPYTHON "libpython3.11.so.1.0"

struct libpython py;

int libpython_load(void)
{
    /* RTLD_GLOBAL: numpy's and pandas' extension modules resolve their Py* symbols against this library */
    void *lib = dlopen(LIBPYTHON, RTLD_NOW | RTLD_GLOBAL);
    if (lib == NULL) {
        fprintf(stderr, "kata-agent: python template: %s\n", dlerror());
        return -1;
    }
    static const struct {
        size_t offset;
        const char *name;
    } symbols[] = {
        {offsetof(struct libpython, config_init), "PyConfig_InitPythonConfig"},
        {offsetof(struct libpython, config_set_string), "PyConfig_SetString"},
        {offsetof(struct libpython, config_set_argv), "PyConfig_SetArgv"},
        {offsetof(struct libpython, initialize), "Py_InitializeFromConfig"},
        {offsetof(struct libpython, status_exception), "PyStatus_Exception"},
        {offsetof(struct libpython, config_clear), "PyConfig_Clear"},
        {offsetof(struct libpython, run), "PyRun_SimpleString"},
        {offsetof(struct libpython, before_fork), "PyOS_BeforeFork"},
        {offsetof(struct libpython, after_fork_parent), "PyOS_AfterFork_Parent"},
        {offsetof(struct libpython, after_fork_child), "PyOS_AfterFork_Child"},
        {offsetof(struct libpython, set_arena_allocator), "PyObject_SetArenaAllocator"},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        void *sym = dlsym(lib, symbols[i].name);
        if (sym == NULL) {
            fprintf(stderr, "kata-agent: python template: %s\n", dlerror());
            return -1;
        }
        *(void **)((char *)&py + symbols[i].offset) = sym;
    }
    return 0;
}
