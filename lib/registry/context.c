/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context's bookkeeping: mounts, profiles, the HKCU choice and its
 * messages (registry layer). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "registry/registry.h"

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = hk_alloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

struct reg_mount *reg_mount_find(hk_registry *reg, int root, const char *name, size_t n)
{
    for (size_t i = 0; i < reg->nmounts[root]; i++) {
        struct reg_mount *m = &reg->mounts[root][i];
        if (reg_name_eq(m->name, strlen(m->name), name, n))
            return m;
    }
    return NULL;
}

struct reg_mount *reg_mount_of(hk_registry *reg, const hk_hive *hive, int *root)
{
    for (int r = 0; r < REG_ROOTS; r++)
        for (size_t i = 0; i < reg->nmounts[r]; i++)
            if (reg->mounts[r][i].hive == hive) {
                *root = r;
                return &reg->mounts[r][i];
            }
    return NULL;
}

hk_status reg_mount_add(hk_registry *reg, int root, const char *name, hk_hive *hive,
                        const char *file, uint32_t gen)
{
    struct reg_mount *grown =
        hk_realloc(reg->mounts[root], (reg->nmounts[root] + 1) * sizeof *grown);
    if (!grown)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    reg->mounts[root] = grown;
    struct reg_mount *m = &grown[reg->nmounts[root]];
    m->name = dup_str(name);
    m->file = dup_str(file);
    if (!m->name || (file && !m->file)) {
        hk_dealloc(m->name);
        hk_dealloc(m->file);
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    m->hive = hive;
    m->saved_gen = gen;
    reg->nmounts[root]++;
    return HK_ERROR_SUCCESS;
}

void reg_mount_remove(hk_registry *reg, int root, struct reg_mount *m)
{
    hk_dealloc(m->name);
    hk_dealloc(m->file);
    size_t i = (size_t)(m - reg->mounts[root]);
    memmove(m, m + 1, (reg->nmounts[root] - i - 1) * sizeof *m);
    reg->nmounts[root]--;
}

hk_status reg_fail(hk_registry *reg, hk_status st, const char *fmt, ...)
{
    (void)reg;
    char msg[1024]; /* formatted aside: an argument may be the detail */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_set(DIAG_DETAIL, st, "%s", msg);
}

void reg_warn(hk_registry *reg, const char *fmt, ...)
{
    if (!reg->warn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reg->warn(msg, reg->warn_ctx);
}

hk_status reg_user_add(hk_registry *reg, const char *sid, const char *name, const char *profile,
                       const char *ntuser, const char *usrclass)
{
    struct reg_user *grown = hk_realloc(reg->users, (reg->nusers + 1) * sizeof *grown);
    if (!grown)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    reg->users = grown;
    struct reg_user *u = &grown[reg->nusers];
    u->sid = dup_str(sid);
    u->name = dup_str(name);
    u->profile = dup_str(profile);
    u->ntuser = dup_str(ntuser);
    u->usrclass = dup_str(usrclass);
    if (!u->sid || !u->name || !u->profile || (ntuser && !u->ntuser) ||
        (usrclass && !u->usrclass)) {
        hk_dealloc(u->sid);
        hk_dealloc(u->name);
        hk_dealloc(u->profile);
        hk_dealloc(u->ntuser);
        hk_dealloc(u->usrclass);
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    reg->nusers++;
    return HK_ERROR_SUCCESS;
}

bool reg_sid_is_user(const char *sid)
{
    return strncmp(sid, "S-1-5-21-", 9) == 0;
}

const struct reg_user *reg_current_user(hk_registry *reg)
{
    const struct reg_user *found = NULL;
    size_t ordinary = 0;
    for (size_t i = 0; i < reg->nusers; i++) {
        const struct reg_user *u = &reg->users[i];
        if (reg->user) {
            size_t n = strlen(reg->user);
            if (reg_name_eq(u->sid, strlen(u->sid), reg->user, n) ||
                reg_name_eq(u->name, strlen(u->name), reg->user, n))
                return u;
        } else if (reg_sid_is_user(u->sid) && u->ntuser) {
            found = u;
            ordinary++;
        }
    }
    if (!reg->user && ordinary == 1)
        return found;
    char *msg = diag_buf(DIAG_DETAIL);
    if (!msg)
        return NULL;
    size_t size = diag_size(DIAG_DETAIL);
    size_t len = (size_t)snprintf(msg, size, "%s; users:",
                                  reg->user ? "no such user" : "HKCU needs a user chosen");
    for (size_t i = 0; i < reg->nusers && len < size; i++)
        len += (size_t)snprintf(msg + len, size - len, " %s (%s)", reg->users[i].name,
                                reg->users[i].sid);
    if (reg->nusers == 0 && len < size)
        snprintf(msg + len, size - len, " none");
    return NULL;
}

void reg_free(hk_registry *reg)
{
    for (int r = 0; r < REG_ROOTS; r++) {
        for (size_t i = 0; i < reg->nmounts[r]; i++) {
            hk_dealloc(reg->mounts[r][i].name);
            hk_dealloc(reg->mounts[r][i].file);
        }
        hk_dealloc(reg->mounts[r]);
    }
    for (size_t i = 0; i < reg->nusers; i++) {
        struct reg_user *u = &reg->users[i];
        hk_dealloc(u->sid);
        hk_dealloc(u->name);
        hk_dealloc(u->profile);
        hk_dealloc(u->ntuser);
        hk_dealloc(u->usrclass);
    }
    hk_dealloc(reg->users);
    for (size_t i = 0; i < reg->nvars; i++) {
        hk_dealloc(reg->vars[i].name);
        hk_dealloc(reg->vars[i].value);
    }
    hk_dealloc(reg->vars);
    hk_dealloc(reg->user);
    hk_dealloc(reg->volume);
    hk_dealloc(reg->windir);
    hk_dealloc(reg);
}
