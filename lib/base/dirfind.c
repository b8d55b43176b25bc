/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Case-blind lookup of paths on disk (base layer). */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/dirfind.h"
#include "base/nocase.h"

/* dir + "/" + name[0..n) as a new string. */
static char *join(const char *dir, const char *name, size_t n)
{
    size_t d = strlen(dir);
    char *p = hk_alloc(d + 1 + n + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, d);
    size_t at = d;
    if (d == 0 || dir[d - 1] != '/')
        p[at++] = '/';
    memcpy(p + at, name, n);
    p[at + n] = '\0';
    return p;
}

static bool is_kind(const char *path, bool want_dir)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return false;
    return want_dir ? S_ISDIR(sb.st_mode) : S_ISREG(sb.st_mode);
}

/* The entry of dir named name[0..n) in any case, of the kind asked. */
static char *child(const char *dir, const char *name, size_t n, bool want_dir, hk_status *st)
{
    char *exact = join(dir, name, n);
    if (!exact) {
        *st = HK_ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    if (is_kind(exact, want_dir))
        return exact;
    hk_dealloc(exact);
    *st = HK_ERROR_FILE_NOT_FOUND;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *found = NULL;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        if (!utf8_eq_nocase(e->d_name, strlen(e->d_name), name, n))
            continue;
        char *p = join(dir, e->d_name, strlen(e->d_name));
        if (!p) {
            *st = HK_ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
        if (is_kind(p, want_dir))
            found = p;
        else
            hk_dealloc(p);
    }
    closedir(d);
    return found;
}

char *dir_find_nocase(const char *dir, const char *rel, bool want_dir, hk_status *st)
{
    size_t d = strlen(dir);
    char *cur = hk_alloc(d + 1);
    if (!cur) {
        *st = HK_ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    memcpy(cur, dir, d + 1);
    const char *s = rel;
    while (*s) {
        size_t n = strcspn(s, "\\/");
        const char *next = s + n + (s[n] ? 1 : 0);
        if (n == 0 || (n == 1 && s[0] == '.')) {
            s = next;
            continue;
        }
        bool last = true;
        for (const char *t = next; *t; t++)
            if (*t != '\\' && *t != '/')
                last = false;
        char *c = child(cur, s, n, last ? want_dir : true, st);
        hk_dealloc(cur);
        if (!c)
            return NULL;
        cur = c;
        s = next;
    }
    return cur;
}
