/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The offline machine's environment: variables and
 * ExpandEnvironmentStrings (registry layer). */
#include <string.h>

#include "base/alloc.h"
#include "registry/registry.h"

static char *dup_n(const char *s, size_t n)
{
    char *d = hk_alloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static struct reg_var *find(const hk_registry *reg, const char *name, size_t n)
{
    for (size_t i = 0; reg && i < reg->nvars; i++)
        if (reg_name_eq(reg->vars[i].name, strlen(reg->vars[i].name), name, n))
            return &reg->vars[i];
    return NULL;
}

hk_status reg_env_set(hk_registry *reg, const char *name, const char *value)
{
    char *v = dup_n(value, strlen(value));
    if (!v)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    struct reg_var *var = find(reg, name, strlen(name));
    if (var) {
        hk_dealloc(var->value);
        var->value = v;
        return HK_ERROR_SUCCESS;
    }
    struct reg_var *grown = hk_realloc(reg->vars, (reg->nvars + 1) * sizeof *grown);
    char *nm = dup_n(name, strlen(name));
    if (!grown || !nm) {
        if (grown)
            reg->vars = grown;
        hk_dealloc(nm);
        hk_dealloc(v);
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    reg->vars = grown;
    grown[reg->nvars].name = nm;
    grown[reg->nvars].value = v;
    reg->nvars++;
    return HK_ERROR_SUCCESS;
}

const char *reg_env_get(const hk_registry *reg, const char *name, size_t n)
{
    const struct reg_var *v = find(reg, name, n);
    return v ? v->value : NULL;
}

/* Appends s[0..n) at out[*len..) as far as cap allows, counting all. */
static void put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
    if (out && *len < cap) {
        size_t room = cap - *len;
        memcpy(out + *len, s, n < room ? n : room);
    }
    *len += n;
}

hk_status reg_env_expand(const hk_registry *reg, const char *src, char *out, size_t *size)
{
    if (!src || !size)
        return HK_ERROR_INVALID_PARAMETER;
    size_t cap = out ? *size : 0, len = 0;
    const char *s = src;
    while (*s) {
        const char *pct = strchr(s, '%');
        if (!pct) {
            put(out, cap, &len, s, strlen(s));
            break;
        }
        put(out, cap, &len, s, (size_t)(pct - s));
        const char *end = strchr(pct + 1, '%');
        if (!end) {
            put(out, cap, &len, pct, strlen(pct));
            break;
        }
        const char *value = end > pct + 1 ? reg_env_get(reg, pct + 1, (size_t)(end - pct - 1)) : NULL;
        if (value)
            put(out, cap, &len, value, strlen(value));
        else
            put(out, cap, &len, pct, (size_t)(end + 1 - pct));
        s = end + 1;
    }
    if (!out || len + 1 > cap) {
        *size = len + 1;
        return out ? HK_ERROR_MORE_DATA : HK_ERROR_SUCCESS;
    }
    out[len] = '\0';
    *size = len;
    return HK_ERROR_SUCCESS;
}
