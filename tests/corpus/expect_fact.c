/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The expectations suite's access to what a fact names: its hive (opened
 * once, with the fact's logs), key and values, times, and a whole-hive
 * census; and the reporting of a failed fact. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "corpus.h"

/* ---- failures ----------------------------------------------------------- */

void bad(struct run *r, const char *fmt, ...)
{
    char msg[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "FAIL fact %ld: %s\n", r->id, msg);
    if (r->messages++ == 0)
        snprintf(r->first, sizeof r->first, "fact %ld: %s", r->id, msg);
}

/* ---- hives, keys, values ------------------------------------------------ */

#define MAX_OPEN 64
#define MAX_FACT_LOGS 3
static struct {
    char rel[1024]; /* the hive and its logs, as the fact names them */
    hk_hive *hive;
} g_open[MAX_OPEN];

hk_hive *hive_of(struct run *r, const jm_value *f)
{
    const char *rel = jm_get_str(f, "hive");
    const jm_value *logs = jm_get(f, "logs");
    char key[1024], path[4096], msg[256] = "";
    char log_paths[MAX_FACT_LOGS][4096];
    const char *log_ptrs[MAX_FACT_LOGS];
    size_t n_logs = logs && logs->type == JM_ARRAY ? logs->count : 0;
    ck_assert_uint_le(n_logs, MAX_FACT_LOGS);
    snprintf(key, sizeof key, "%s", rel);
    for (size_t k = 0; k < n_logs; k++) {
        const char *lr = jm_str(&logs->items[k], "");
        size_t len = strlen(key);
        snprintf(key + len, sizeof key - len, "|%s", lr);
        corpus_path(log_paths[k], sizeof log_paths[k], lr);
        log_ptrs[k] = log_paths[k];
    }
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = n_logs ? HK_OPEN_READONLY : HK_OPEN_NO_LOGS;
    o.log_paths = n_logs ? log_ptrs : NULL;
    o.n_log_paths = n_logs;
    size_t i = 0;
    while (i < MAX_OPEN && g_open[i].hive && strcmp(g_open[i].rel, key) != 0)
        i++;
    ck_assert(i < MAX_OPEN);
    if (g_open[i].hive)
        return g_open[i].hive;
    corpus_path(path, sizeof path, rel);
    snprintf(g_open[i].rel, sizeof g_open[i].rel, "%s", key);
    hk_status st = hk_hive_open(path, &o, &g_open[i].hive);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    if (st != HK_ERROR_SUCCESS)
        bad(r, "hk_hive_open(%s): %u %s", key, st, msg);
    return g_open[i].hive;
}

void close_fact_hives(void)
{
    for (size_t i = 0; i < MAX_OPEN && g_open[i].hive; i++)
        hk_hive_close(g_open[i].hive);
    memset(g_open, 0, sizeof g_open);
}

hk_status open_path(hk_hive *h, const char *path, hk_key **out)
{
    hk_key *root = NULL;
    hk_status st = hk_hive_root(h, &root);
    if (st == HK_ERROR_SUCCESS)
        st = hk_open_key(root, path, 0, HK_KEY_READ, out);
    hk_close_key(root);
    return st;
}

int same_key(hk_key *a, hk_key *b)
{
    hk_key_info ia = HK_KEY_INFO_INIT, ib = HK_KEY_INFO_INIT;
    char na[1024], nb[1024];
    size_t sa = sizeof na, sb = sizeof nb;
    memset(&ia, 0, sizeof ia); /* memcmp below: padding too */
    memset(&ib, 0, sizeof ib);
    ia.size = ib.size = sizeof ia;
    return hk_query_info_key(a, NULL, NULL, &ia) == 0 && hk_query_info_key(b, NULL, NULL, &ib) == 0 &&
           memcmp(&ia, &ib, sizeof ia) == 0 && hk_key_name(a, na, &sa) == 0 &&
           hk_key_name(b, nb, &sb) == 0 && sa == sb && memcmp(na, nb, sa) == 0;
}

/* Opens the fact's key (`path`); where the original test spelled it
 * differently (`test_path`, other case), that spelling must reach it too. */
hk_key *fact_key(struct run *r, const jm_value *f)
{
    hk_hive *h = hive_of(r, f);
    const char *path = jm_get_str(f, "path"), *alt = jm_get_str(f, "test_path");
    hk_key *k = NULL, *k2 = NULL;
    if (!h)
        return NULL;
    hk_status st = path ? open_path(h, path, &k) : HK_ERROR_INVALID_PARAMETER;
    if (st != HK_ERROR_SUCCESS) {
        bad(r, "open \"%s\": %u %s", path ? path : "(no path)", st, hk_strerror(st));
        return NULL;
    }
    if (alt && strcmp(alt, path) != 0) {
        st = open_path(h, alt, &k2);
        if (st != HK_ERROR_SUCCESS || !same_key(k, k2))
            bad(r, "test_path \"%s\" (%u) does not reach \"%s\"", alt, st, path);
        hk_close_key(k2);
    }
    return k;
}

/* A value's type and bytes (in a buffer that the next call reuses). */
hk_status get_value(hk_key *k, const char *name, uint32_t *type, unsigned char **data,
                    size_t *size)
{
    static unsigned char buf[1u << 24];
    *data = buf;
    *size = sizeof buf;
    return hk_query_value_ex(k, name, type, buf, size);
}

/* The names of k's subkeys (subkeys != 0) or values, in order. Owned. */
hk_status list_names(hk_key *k, int subkeys, char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    for (uint32_t i = 0;; i++) {
        char name[65536];
        size_t ns = sizeof name;
        hk_status st = subkeys ? hk_enum_key(k, i, name, &ns)
                               : hk_enum_value(k, i, name, &ns, NULL, NULL, NULL);
        if (st != HK_ERROR_SUCCESS)
            return st == HK_ERROR_NO_MORE_ITEMS ? HK_ERROR_SUCCESS : st;
        *out = realloc(*out, (*count + 1) * sizeof **out);
        ck_assert(*out != NULL);
        (*out)[(*count)++] = strdup(name);
    }
}

void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static const char *const type_names[] = {
    "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN",
    "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
    "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD"};
_Static_assert(sizeof type_names / sizeof type_names[0] == NTYPES, "NTYPES: the named types");

int type_from_name(const char *s, uint32_t *out)
{
    for (uint32_t i = 0; i < NTYPES; i++)
        if (s && strcmp(s, type_names[i]) == 0) {
            *out = i;
            return 1;
        }
    return 0;
}

char *to_hex(const unsigned char *b, size_t n)
{
    char *hex = malloc(2 * n + 1);
    ck_assert(hex != NULL);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    hex[2 * n] = '\0';
    return hex;
}

uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- time --------------------------------------------------------------- */

#define FILETIME_1970_US 11644473600000000ll /* 1601-01-01 to 1970-01-01 */

static int64_t filetime_unix_us(uint64_t ft)
{
    return (int64_t)(ft / 10) - FILETIME_1970_US;
}

/* Nonzero when FILETIME ft is the ISO 8601 UTC time s, to s's precision. */
int iso_matches(uint64_t ft, const char *s)
{
    int64_t us, unit = 1;
    int digits;
    if (!jm_iso8601_us(s, &us, &digits))
        return 0;
    while (digits++ < 6)
        unit *= 10;
    return filetime_unix_us(ft) / unit == us / unit;
}

/* ---- whole-hive walk ---------------------------------------------------- */

static void census_key(hk_key *k, struct census *c, uint32_t depth)
{
    hk_key_info info = HK_KEY_INFO_INIT;
    if ((c->st = hk_query_info_key(k, NULL, NULL, &info)) != 0)
        return;
    c->keys++;
    if (filetime_unix_us(info.last_write) >= c->lo_us &&
        filetime_unix_us(info.last_write) <= c->hi_us)
        c->in_range++;
    for (uint32_t i = 0; i < info.values; i++) {
        size_t ns = 0;
        uint32_t t;
        if ((c->st = hk_enum_value(k, i, NULL, &ns, &t, NULL, NULL)) != 0)
            return;
        c->values++;
        c->types[t < NTYPES ? t : NTYPES]++;
    }
    for (uint32_t i = 0; i < info.subkeys && c->st == 0 && depth <= c->max_depth; i++) {
        hk_key *sub = NULL;
        if ((c->st = hk_open_subkey_at(k, i, HK_KEY_READ, &sub)) == 0)
            census_key(sub, c, depth + 1);
        hk_close_key(sub);
    }
}

/* Walks the fact's hive; keys in [range[0], range[1]] counted if given. */
int census(struct run *r, const jm_value *f, struct census *c, const jm_value *range,
           uint32_t max_depth)
{
    memset(c, 0, sizeof *c);
    c->lo_us = INT64_MIN;
    c->hi_us = INT64_MAX;
    c->max_depth = max_depth;
    if (range && (range->count != 2 || !jm_iso8601_us(jm_str(&range->items[0], ""), &c->lo_us, NULL) ||
                  !jm_iso8601_us(jm_str(&range->items[1], ""), &c->hi_us, NULL))) {
        bad(r, "bad range");
        return 0;
    }
    hk_hive *h = hive_of(r, f);
    hk_key *root = NULL;
    if (!h || (c->st = hk_hive_root(h, &root)) != 0)
        return 0;
    census_key(root, c, 0);
    hk_close_key(root);
    if (c->st && max_depth == HK_MAX_DEPTH)
        bad(r, "walking the hive failed: %u %s", c->st, hk_errmsg());
    return c->st == 0;
}
