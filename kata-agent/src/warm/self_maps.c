/* This process's own mappings (self_maps.h). */
#include "self_maps.h"

#include <stdio.h>
#include <string.h>

int self_maps_each(bool (*visit)(const struct mapping *m, void *arg), void *arg)
{
    FILE *maps = fopen("/proc/self/maps", "re");
    if (maps == NULL)
        return -1;
    char line[512];
    bool more = true;
    while (more && fgets(line, sizeof line, maps) != NULL) {
        bool whole = strchr(line, '\n') != NULL;
        line[strcspn(line, "\n")] = '\0';
        struct mapping m;
        int path_at = 0;
        if (sscanf(line, "%lx-%lx %4s %*x %*x:%*x %lu %n", &m.start, &m.end, m.perms, &m.inode, &path_at) >= 4) {
            m.path = path_at > 0 ? line + path_at : "";
            more = visit(&m, arg);
        }
        while (!whole && fgets(line, sizeof line, maps) != NULL)
            whole = strchr(line, '\n') != NULL; /* the rest of a long line (a long path) */
    }
    fclose(maps);
    return 0;
}
