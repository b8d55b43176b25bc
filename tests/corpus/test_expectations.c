/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The facts of CORPUS_DIR/expectations.json (what the originating projects'
 * own test suites assert about the corpus hives), checked through hivekit's
 * public API: one test per kind of fact present in the JSON, and every
 * expected value comes from the JSON. A fact the API cannot express
 * (deleted-data recovery, log replay, raw record fields it does not expose)
 * is counted as skipped; the summary test prints
 * "expectations: N checked, M skipped (by kind ...)".
 *
 * A fact with `logs` is checked on the hive opened with exactly those logs
 * replayed; one without, on the primary file as it is (HK_OPEN_NO_LOGS).
 * The facts about log replay itself (kinds log_recovery, regdiff, ...) are
 * checked by test_log_facts.c.
 */
#include <check.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hivekit.h"
#include "json_mini.h"

Suite *test_suite(void);

#ifndef CORPUS_DIR
#error "CORPUS_DIR must be defined by the build"
#endif

#define NO_INT INT64_MIN /* jm_int's default: never a valid expectation */

static jm_value *g_facts;
static char g_load_error[512];

/* ---- failures ----------------------------------------------------------- */

struct run {
    size_t checked, failed, messages;
    char first[2048];
    long id;
};

__attribute__((format(printf, 2, 3))) static void bad(struct run *r, const char *fmt, ...)
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

static hk_hive *hive_of(struct run *r, const jm_value *f)
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
        snprintf(log_paths[k], sizeof log_paths[k], "%s/%s", CORPUS_DIR, lr);
        log_ptrs[k] = log_paths[k];
    }
    hk_open_options o = {.flags = n_logs ? HK_OPEN_READONLY : HK_OPEN_NO_LOGS, .errmsg = msg,
                         .errmsg_size = sizeof msg, .log_paths = n_logs ? log_ptrs : NULL,
                         .n_log_paths = n_logs};
    size_t i = 0;
    while (i < MAX_OPEN && g_open[i].hive && strcmp(g_open[i].rel, key) != 0)
        i++;
    ck_assert(i < MAX_OPEN);
    if (g_open[i].hive)
        return g_open[i].hive;
    snprintf(path, sizeof path, "%s/%s", CORPUS_DIR, rel);
    snprintf(g_open[i].rel, sizeof g_open[i].rel, "%s", key);
    hk_status st = hk_hive_open(path, &o, &g_open[i].hive);
    if (st != HK_ERROR_SUCCESS)
        bad(r, "hk_hive_open(%s): %u %s", key, st, msg);
    return g_open[i].hive;
}

static hk_status open_path(hk_hive *h, const char *path, hk_key **out)
{
    hk_key *root = NULL;
    hk_status st = hk_hive_root(h, &root);
    if (st == HK_ERROR_SUCCESS)
        st = hk_open_key(root, path, 0, HK_KEY_READ, out);
    hk_close_key(root);
    return st;
}

static int same_key(hk_key *a, hk_key *b)
{
    hk_key_info ia, ib;
    char na[1024], nb[1024];
    size_t sa = sizeof na, sb = sizeof nb;
    memset(&ia, 0, sizeof ia); /* memcmp below: padding too */
    memset(&ib, 0, sizeof ib);
    return hk_query_info_key(a, NULL, NULL, &ia) == 0 && hk_query_info_key(b, NULL, NULL, &ib) == 0 &&
           memcmp(&ia, &ib, sizeof ia) == 0 && hk_key_name(a, na, &sa) == 0 &&
           hk_key_name(b, nb, &sb) == 0 && sa == sb && memcmp(na, nb, sa) == 0;
}

/* Opens the fact's key (`path`); where the original test spelled it
 * differently (`test_path`, other case), that spelling must reach it too. */
static hk_key *fact_key(struct run *r, const jm_value *f)
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
static hk_status get_value(hk_key *k, const char *name, uint32_t *type, unsigned char **data,
                           size_t *size)
{
    static unsigned char buf[1u << 24];
    *data = buf;
    *size = sizeof buf;
    return hk_query_value_ex(k, name, type, buf, size);
}

/* The names of k's subkeys (subkeys != 0) or values, in order. Owned. */
static hk_status list_names(hk_key *k, int subkeys, char ***out, size_t *count)
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

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static const char *const type_names[] = {
    "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN",
    "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
    "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD"};
#define NTYPES (sizeof type_names / sizeof type_names[0])

static int type_from_name(const char *s, uint32_t *out)
{
    for (uint32_t i = 0; i < NTYPES; i++)
        if (s && strcmp(s, type_names[i]) == 0) {
            *out = i;
            return 1;
        }
    return 0;
}

static char *to_hex(const unsigned char *b, size_t n)
{
    char *hex = malloc(2 * n + 1);
    ck_assert(hex != NULL);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", b[i]);
    hex[2 * n] = '\0';
    return hex;
}

static uint32_t le32(const unsigned char *p)
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
static int iso_matches(uint64_t ft, const char *s)
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

struct census {
    uint64_t keys, values, types[NTYPES + 1]; /* last: any other type */
    int64_t lo_us, hi_us;                     /* a range of times (UTC) */
    uint64_t in_range;                        /* keys whose time is in it */
    uint32_t max_depth;                       /* deepest key whose subkeys are listed */
    hk_status st;
};

static void census_key(hk_key *k, struct census *c, uint32_t depth)
{
    hk_key_info info;
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
static int census(struct run *r, const jm_value *f, struct census *c, const jm_value *range,
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
        bad(r, "walking the hive failed: %u %s", c->st, hk_hive_errmsg(h));
    return c->st == 0;
}

/* ---- which facts the API can check ------------------------------------- */

static const char *const other_checks[] = {
    "base_block.checksum", "base_block.file_name", "base_block.hbins_data_size",
    "base_block.hive_bins_data_size", "base_block.last_modification_time",
    "base_block.last_written_timestamp", "base_block.major_version",
    "base_block.minor_version", "base_block.primary_sequence_num",
    "base_block.secondary_sequence_num", "base_block.root_key_offset", "hive_bins_count",
    "key.name", "case_insensitive_lookup", "first_value_name", "value_names_ordered",
    "value_names_set", "value_exists", "value_type_histogram", "keys_with_timestamp_in_range",
    "security.descriptor_length", "security.owner_sid", "bootkey_from_class_names",
    "subkey_names_integer_range", "subkey_names_set", "value_data_filetime_at_0",
    "value_data_filetime_at_8", "value_qword_filetime", "machine_sid_from_V",
    "lsa_unicode_string_in_value"};

static const char *const plain_kinds[] = {"key_exists", "subkey_count", "value_count", "value",
                                          "key_timestamp", "total_keys", "total_values"};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* Nonzero when the fact is checked. */
static int checkable(const jm_value *f)
{
    const char *kind = jm_get_str(f, "kind");
    const char *op = jm_get_str(f, "operation");
    if (strcmp(kind, "must_fail") == 0)
        return op && (strcmp(op, "enumerate_subkeys") == 0 ||
                      strcmp(op, "enumerate_subkeys_2_levels") == 0);
    if (strcmp(kind, "other") == 0)
        return in_list(jm_get_str(f, "check"), other_checks,
                       sizeof other_checks / sizeof other_checks[0]);
    return in_list(kind, plain_kinds, sizeof plain_kinds / sizeof plain_kinds[0]);
}

/* ---- checks of keys and values ------------------------------------------ */

static void check_key_exists(struct run *r, const jm_value *f)
{
    const jm_value *e = jm_get(f, "expected");
    const char *path = jm_get_str(f, "path");
    hk_hive *h = hive_of(r, f);
    hk_key *k = NULL;
    if (h && e && e->type == JM_BOOL && e->boolean) {
        hk_close_key(fact_key(r, f));
    } else if (h) {
        hk_status st = path ? open_path(h, path, &k) : HK_ERROR_INVALID_PARAMETER;
        if (st != HK_ERROR_FILE_NOT_FOUND || !e || e->type != JM_BOOL)
            bad(r, "\"%s\" must not exist: hk_open_key gave %u, want FILE_NOT_FOUND", path, st);
        hk_close_key(k);
    }
}

/* subkey_count, value_count (QueryInfoKey and enumeration), key_timestamp. */
static void check_key_number(struct run *r, const jm_value *f, const char *kind)
{
    int64_t want = jm_int(jm_get(f, "expected"), NO_INT);
    hk_key *k = fact_key(r, f);
    hk_key_info info;
    char **names = NULL;
    size_t n = 0;
    if (!k)
        return;
    hk_status st = hk_query_info_key(k, NULL, NULL, &info);
    if (st == 0 && kind[0] == 'k') {
        if ((int64_t)info.last_write != want)
            bad(r, "last write %llu, expected %lld", (unsigned long long)info.last_write,
                (long long)want);
    } else if (st == 0) {
        int subkeys = kind[0] == 's';
        uint32_t got = subkeys ? info.subkeys : info.values;
        st = list_names(k, subkeys, &names, &n);
        if (st == 0 && ((int64_t)got != want || (int64_t)n != want))
            bad(r, "%s: QueryInfoKey %u, enumerated %zu, expected %lld", kind, got, n,
                (long long)want);
        free_names(names, n);
    }
    if (st != 0)
        bad(r, "reading the key: %u", st);
    hk_close_key(k);
}

/* The value name of k: absent when expected is null, else type and exact
 * bytes (data_hex, data_len) as the fact says. */
static void compare_value(struct run *r, hk_key *k, const char *name, const jm_value *f)
{
    const char *tname = jm_get_str(f, "type"), *hex = jm_get_str(f, "data_hex");
    int64_t dlen = jm_int(jm_get(f, "data_len"), NO_INT);
    uint32_t type = 0, want_type;
    unsigned char *data;
    size_t size;
    hk_status st = get_value(k, name, &type, &data, &size);
    if (jm_is_null(jm_get(f, "expected"))) {
        if (st != HK_ERROR_FILE_NOT_FOUND)
            bad(r, "value \"%s\" must be absent: got %u", name, st);
        return;
    }
    if (st != HK_ERROR_SUCCESS) {
        bad(r, "value \"%s\": %u %s", name, st, hk_strerror(st));
        return;
    }
    if (tname && (!type_from_name(tname, &want_type) || want_type != type))
        bad(r, "value \"%s\" type %u, expected %s", name, type, tname);
    char *got = to_hex(data, size);
    size_t at = 0;
    while (hex && got[at] && tolower((unsigned char)hex[at]) == got[at])
        at++;
    if (!hex || got[at] || hex[at])
        bad(r, "value \"%s\" data: %zu bytes, expected %zu; first difference at byte %zu", name,
            size, hex ? strlen(hex) / 2 : 0, at / 2);
    if (dlen != NO_INT && (int64_t)size != dlen)
        bad(r, "value \"%s\" size %zu, data_len %lld", name, size, (long long)dlen);
    free(got);
}

static void check_value(struct run *r, const jm_value *f)
{
    const char *name = jm_get_str(f, "value_name"), *alt = jm_get_str(f, "test_value_name");
    hk_key *k = fact_key(r, f);
    if (!k)
        return;
    compare_value(r, k, name ? name : "", f);
    if (name && alt && strcmp(alt, name) != 0)
        compare_value(r, k, alt, f); /* the original test's spelling */
    hk_close_key(k);
}

/* must_fail: enumerating must stop with an error, not NO_MORE_ITEMS. */
static void check_must_fail(struct run *r, const jm_value *f)
{
    char name[1024];
    size_t ns;
    hk_status st;
    if (strcmp(jm_get_str(f, "operation"), "enumerate_subkeys") == 0) {
        int64_t want = jm_int(jm_get(jm_get(f, "expected"), "subkeys_yielded_before_error"),
                              NO_INT);
        hk_key *k = fact_key(r, f);
        uint32_t i = 0;
        if (!k)
            return;
        while (ns = sizeof name, (st = hk_enum_key(k, i, name, &ns)) == HK_ERROR_SUCCESS)
            i++;
        if (st == HK_ERROR_NO_MORE_ITEMS || (int64_t)i != want)
            bad(r, "%u subkeys, then status %u; expected %lld then an error", i, st,
                (long long)want);
        hk_close_key(k);
        return;
    }
    /* enumerate_subkeys_2_levels: the root's subkeys and theirs (depth 0, 1). */
    struct census c;
    if (census(r, f, &c, NULL, 1) || c.st == HK_ERROR_NO_MORE_ITEMS)
        bad(r, "walking two levels of subkeys raised no error");
}

/* ---- kind "other" ------------------------------------------------------- */

static int in_json_list(const char *s, const jm_value *e)
{
    for (size_t i = 0; e && e->type == JM_ARRAY && i < e->count; i++)
        if (strcmp(s, jm_str(&e->items[i], "")) == 0)
            return 1;
    return 0;
}

/* names (owned; freed here) must equal the strings of list e, in order or
 * (ordered == 0) as sets. */
static void compare_names(struct run *r, char **names, size_t n, const jm_value *e, int ordered)
{
    size_t m = e && e->type == JM_ARRAY ? e->count : 0;
    for (size_t i = 0; i < n || (ordered && i < m); i++)
        if (ordered ? i >= n || i >= m || strcmp(names[i], jm_str(&e->items[i], "")) != 0
                    : !in_json_list(names[i], e)) {
            bad(r, "name #%zu \"%s\" unexpected (%zu names, expected %zu)", i,
                i < n ? names[i] : "(none)", n, m);
            break;
        }
    for (size_t j = 0; !ordered && j < m; j++) {
        size_t i = 0;
        while (i < n && strcmp(names[i], jm_str(&e->items[j], "")) != 0)
            i++;
        if (i == n)
            bad(r, "expected name \"%s\" missing", jm_str(&e->items[j], ""));
    }
    free_names(names, n);
}

static void format_sid(const unsigned char *p, size_t avail, char *out, size_t size)
{
    uint64_t auth = 0;
    if (avail < 8 || avail < 8 + 4 * (size_t)p[1]) {
        snprintf(out, size, "(truncated SID)");
        return;
    }
    for (int i = 2; i < 8; i++)
        auth = auth << 8 | p[i];
    int n = snprintf(out, size, "S-%u-%llu", p[0], (unsigned long long)auth);
    for (unsigned i = 0; i < p[1] && n > 0 && (size_t)n < size; i++)
        n += snprintf(out + n, size - (size_t)n, "-%u", le32(p + 8 + 4 * i));
}

static void check_base_block(struct run *r, hk_hive *h, const char *check, const jm_value *f)
{
    const jm_value *e = jm_get(f, "expected");
    int64_t want = jm_int(e, NO_INT), ft = jm_int(jm_get(f, "filetime"), NO_INT);
    hk_hive_info info;
    ck_assert_uint_eq(hk_hive_info_get(h, &info), HK_ERROR_SUCCESS);
    const struct {
        const char *name;
        uint64_t got;
    } nums[] = {
        {"base_block.checksum", info.checksum_stored},
        {"base_block.hbins_data_size", info.bins_size},
        {"base_block.hive_bins_data_size", info.bins_size},
        {"base_block.last_modification_time", info.last_written},
        {"base_block.major_version", info.major_version},
        {"base_block.minor_version", info.minor_version},
        {"base_block.primary_sequence_num", info.primary_sequence},
        {"base_block.secondary_sequence_num", info.secondary_sequence},
        {"base_block.root_key_offset", info.root_offset},
        {"hive_bins_count", info.bin_count},
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if (strcmp(check, nums[i].name) == 0) {
            if ((int64_t)nums[i].got != want)
                bad(r, "%s = %llu, expected %lld", check, (unsigned long long)nums[i].got,
                    (long long)want);
            return;
        }
    if (strcmp(check, "base_block.file_name") == 0) {
        if (strcmp(info.file_name, jm_str(e, "?")) != 0)
            bad(r, "file name \"%s\", expected \"%s\"", info.file_name, jm_str(e, "?"));
        return;
    }
    /* base_block.last_written_timestamp: the exact FILETIME and its second. */
    if ((int64_t)info.last_written != ft || !iso_matches(info.last_written, jm_str(e, "")))
        bad(r, "last written %llu, expected %lld (%s)", (unsigned long long)info.last_written,
            (long long)ft, jm_str(e, "?"));
}

static void check_lookup(struct run *r, hk_hive *h, const jm_value *f)
{
    const char *path = jm_get_str(f, "path"), *want = jm_get_str(f, "expected");
    char canon[4096] = "", *save = NULL, *copy;
    hk_key *cur = NULL, *whole = NULL;
    if (!path || !want) {
        bad(r, "malformed case_insensitive_lookup fact");
        return;
    }
    /* yarp accepts a leading '\'; winreg's OpenKey (and hivekit) refuse it
     * with BAD_PATHNAME, so the query is taken relative to the root. */
    if (*path == '\\')
        path++;
    copy = strdup(path);
    hk_status st = hk_hive_root(h, &cur);
    for (char *c = strtok_r(copy, "\\", &save); c && st == 0; c = strtok_r(NULL, "\\", &save)) {
        hk_key *next = NULL;
        char name[1024];
        size_t ns = sizeof name, len = strlen(canon);
        st = hk_open_key(cur, c, 0, HK_KEY_READ, &next);
        if (st == 0 && (st = hk_key_name(next, name, &ns)) == 0)
            snprintf(canon + len, sizeof canon - len, "%s%s", len ? "\\" : "", name);
        hk_close_key(cur);
        cur = next;
    }
    if (st != 0)
        bad(r, "opening \"%s\" component by component: %u", path, st);
    else if (strcmp(canon, want) != 0)
        bad(r, "\"%s\" reached \"%s\", expected \"%s\"", path, canon, want);
    else if (open_path(h, path, &whole) != 0 || !same_key(whole, cur))
        bad(r, "hk_open_key(\"%s\") in one call does not reach \"%s\"", path, want);
    hk_close_key(whole);
    hk_close_key(cur);
    free(copy);
}

/* subkey_names_set: the union over `union_over` (first path component
 * replaced by each) of the subkey names. */
static void check_union_of_subkeys(struct run *r, hk_hive *h, const jm_value *f)
{
    const jm_value *over = jm_get(f, "union_over");
    const char *path = jm_get_str(f, "path"), *rest = path ? strchr(path, '\\') : NULL;
    char **all = NULL, **names;
    size_t n = 0, m;
    for (size_t i = 0; over && over->type == JM_ARRAY && i < over->count; i++) {
        char p[4096];
        hk_key *k = NULL;
        snprintf(p, sizeof p, "%s%s", jm_str(&over->items[i], ""), rest ? rest : "");
        hk_status st = open_path(h, p, &k);
        if (st == 0)
            st = list_names(k, 1, &names, &m);
        hk_close_key(k);
        if (st != 0) {
            bad(r, "listing \"%s\": %u", p, st);
            free_names(all, n);
            return;
        }
        all = realloc(all, (n + m + 1) * sizeof *all);
        ck_assert(all != NULL);
        memcpy(all + n, names, m * sizeof *names);
        n += m;
        free(names);
    }
    compare_names(r, all, n, jm_get(f, "expected"), 0);
}

/* Facts about one value's bytes: FILETIMEs inside, SIDs, UNICODE_STRINGs. */
static void check_value_data(struct run *r, hk_key *k, const char *check, const jm_value *f)
{
    const char *name = jm_get_str(f, "value_name"), *want = jm_get_str(f, "expected");
    uint32_t type;
    unsigned char *d = NULL;
    size_t n = 0;
    char got[256] = "";
    if (!name || !want || get_value(k, name, &type, &d, &n) != 0) {
        bad(r, "value \"%s\" unreadable", name ? name : "?");
        return;
    }
    if (strstr(check, "filetime")) {
        size_t at = strcmp(check, "value_data_filetime_at_8") == 0 ? 8 : 0;
        int64_t ft = jm_int(jm_get(f, "filetime"), NO_INT);
        uint64_t v = n < at + 8 ? 0 : le32(d + at) | (uint64_t)le32(d + at + 4) << 32;
        compare_value(r, k, name, f); /* data_hex (reuses d's buffer) */
        if ((int64_t)v != ft || !iso_matches(v, want))
            bad(r, "FILETIME at %zu is %llu, expected %lld (%s)", at, (unsigned long long)v,
                (long long)ft, want);
        return;
    } else if (strcmp(check, "machine_sid_from_V") == 0 && n >= 12) {
        snprintf(got, sizeof got, "S-1-5-21-%u-%u-%u", le32(d + n - 12), le32(d + n - 8),
                 le32(d + n - 4));
    } else if (strcmp(check, "lsa_unicode_string_in_value") == 0 && n >= 8) {
        /* self-relative UNICODE_STRING: u16 Length, u16 MaximumLength,
         * u32 offset of the UTF-16 buffer from the start of the data. */
        size_t len = (size_t)d[0] | (size_t)d[1] << 8, off = le32(d + 4), gs = sizeof got;
        if (off > n || len > n - off || hk_decode_string(d + off, len, got, &gs) != 0)
            snprintf(got, sizeof got, "(bad UNICODE_STRING)");
    }
    if (strcmp(got, want) != 0)
        bad(r, "%s of \"%s\": \"%s\", expected \"%s\"", check, name, got, want);
}

/* The SAM boot key: class names of Lsa\{JD,Skew1,GBG,Data} concatenated
 * (32 hex digits = 16 bytes) and its bytes permuted (the note's permutation,
 * Windows' own): done here on the hex digits, two per byte. */
static void check_bootkey(struct run *r, hk_key *k, const jm_value *f)
{
    static const char *const parts[] = {"JD", "Skew1", "GBG", "Data"};
    static const unsigned perm[16] = {8, 5, 4, 2, 11, 9, 13, 3, 0, 6, 1, 12, 14, 10, 15, 7};
    const jm_value *classes = jm_get(f, "class_names");
    char all[64] = "", got[33] = "";
    for (size_t i = 0; i < 4; i++) {
        hk_key *sub = NULL;
        char cls[256] = "";
        size_t cs = sizeof cls;
        hk_status st = hk_open_key(k, parts[i], 0, HK_KEY_READ, &sub);
        if (st == 0)
            st = hk_query_info_key(sub, cls, &cs, NULL);
        hk_close_key(sub);
        const char *wc = jm_get_str(classes, parts[i]);
        if (st != 0 || !wc || strcmp(cls, wc) != 0 || strlen(all) + cs >= sizeof all) {
            bad(r, "class name of %s: %u \"%s\", expected \"%s\"", parts[i], st, cls,
                wc ? wc : "?");
            return;
        }
        strcat(all, cls);
    }
    for (size_t i = 0; i < 16 && strlen(all) == 32; i++)
        memcpy(got + 2 * i, all + 2 * perm[i], 2);
    if (strcmp(got, jm_str(jm_get(f, "expected"), "?")) != 0)
        bad(r, "boot key %s, expected %s", got, jm_str(jm_get(f, "expected"), "?"));
}

static void check_histogram(struct run *r, const struct census *c, const jm_value *e)
{
    uint64_t sum = 0;
    for (size_t i = 0; e && e->type == JM_OBJECT && i < e->count; i++) {
        uint32_t t = NTYPES;
        int64_t want = jm_int(&e->items[i], NO_INT);
        sum += (uint64_t)want;
        if (!type_from_name(e->keys[i], &t) || (int64_t)c->types[t] != want)
            bad(r, "%s: %llu values, expected %lld", e->keys[i],
                (unsigned long long)c->types[t], (long long)want);
    }
    if (sum != c->values)
        bad(r, "histogram covers %llu values, the hive has %llu", (unsigned long long)sum,
            (unsigned long long)c->values);
}

static void check_key_fact(struct run *r, hk_key *k, const char *check, const jm_value *f)
{
    const jm_value *e = jm_get(f, "expected");
    const char *name = jm_get_str(f, "value_name");
    int64_t want = jm_int(e, NO_INT);
    char buf[1024] = "", **names;
    size_t bs = sizeof buf, n;
    hk_status st;
    if (strcmp(check, "key.name") == 0) {
        if (hk_key_name(k, buf, &bs) != 0 || strcmp(buf, jm_str(e, "?")) != 0)
            bad(r, "key name \"%s\", expected \"%s\"", buf, jm_str(e, "?"));
    } else if (strcmp(check, "value_exists") == 0) {
        st = hk_query_value_ex(k, name, NULL, NULL, NULL);
        if (!e || e->type != JM_BOOL || (st == 0) != e->boolean)
            bad(r, "value \"%s\": status %u, expected to exist: %d", name, st,
                e ? e->boolean : -1);
    } else if (strstr(check, "value_name")) {
        if ((st = list_names(k, 0, &names, &n)) != 0)
            bad(r, "listing values: %u", st);
        else if (check[0] != 'f')
            compare_names(r, names, n, e, strcmp(check, "value_names_ordered") == 0);
        else if (n == 0 || strcmp(names[0], jm_str(e, "?")) != 0)
            bad(r, "first value \"%s\", expected \"%s\"", n ? names[0] : "", jm_str(e, "?"));
        if (st == 0 && check[0] == 'f')
            free_names(names, n);
    } else if (strcmp(check, "subkey_names_integer_range") == 0) {
        int64_t lo = jm_int(jm_get(e, "min"), NO_INT), hi = jm_int(jm_get(e, "max"), NO_INT);
        if ((st = list_names(k, 1, &names, &n)) != 0 || n == 0)
            bad(r, "listing subkeys: %u, %zu names", st, n);
        for (size_t i = 0; st == 0 && i < n; i++) {
            char *end;
            long long v = strtoll(names[i], &end, 10);
            if (*end || end == names[i] || v < lo || v > hi) {
                bad(r, "subkey \"%s\" is not an integer in %lld..%lld", names[i],
                    (long long)lo, (long long)hi);
                break;
            }
        }
        if (st == 0)
            free_names(names, n);
    } else if (strncmp(check, "security.", 9) == 0) {
        static unsigned char sd[65536];
        size_t sz = sizeof sd;
        hk_key_info info;
        st = hk_get_key_security(k, sd, &sz);
        if (st != 0 || hk_query_info_key(k, NULL, NULL, &info) != 0 ||
            info.security_descriptor_size != sz) {
            bad(r, "security descriptor: %u, %zu bytes", st, sz);
        } else if (strcmp(check, "security.descriptor_length") == 0) {
            if ((int64_t)sz != want)
                bad(r, "descriptor %zu bytes, expected %lld", sz, (long long)want);
        } else {
            size_t off = sz >= 20 ? le32(sd + 4) : sz; /* owner SID offset */
            format_sid(sd + off, off < sz ? sz - off : 0, buf, sizeof buf);
            if (strcmp(buf, jm_str(e, "?")) != 0)
                bad(r, "owner %s, expected %s", buf, jm_str(e, "?"));
        }
    } else if (strcmp(check, "bootkey_from_class_names") == 0) {
        check_bootkey(r, k, f);
    } else {
        check_value_data(r, k, check, f);
    }
}

static void check_other(struct run *r, const jm_value *f)
{
    const char *check = jm_get_str(f, "check");
    int64_t want = jm_int(jm_get(f, "expected"), NO_INT);
    hk_hive *h = hive_of(r, f);
    struct census c;
    if (!h)
        return;
    if (strncmp(check, "base_block.", 11) == 0 || strcmp(check, "hive_bins_count") == 0) {
        check_base_block(r, h, check, f);
    } else if (strcmp(check, "case_insensitive_lookup") == 0) {
        check_lookup(r, h, f);
    } else if (strcmp(check, "subkey_names_set") == 0) {
        check_union_of_subkeys(r, h, f);
    } else if (strcmp(check, "keys_with_timestamp_in_range") == 0) {
        if (census(r, f, &c, jm_get(f, "range"), HK_MAX_DEPTH) && (int64_t)c.in_range != want)
            bad(r, "%llu keys in range, expected %lld", (unsigned long long)c.in_range,
                (long long)want);
    } else if (strcmp(check, "value_type_histogram") == 0) {
        if (census(r, f, &c, NULL, HK_MAX_DEPTH))
            check_histogram(r, &c, jm_get(f, "expected"));
    } else {
        hk_key *k = fact_key(r, f);
        if (k)
            check_key_fact(r, k, check, f);
        hk_close_key(k);
    }
}

static void check_fact(struct run *r, const jm_value *f)
{
    const char *kind = jm_get_str(f, "kind");
    struct census c;
    if (strcmp(kind, "key_exists") == 0) {
        check_key_exists(r, f);
    } else if (strcmp(kind, "value") == 0) {
        check_value(r, f);
    } else if (strcmp(kind, "must_fail") == 0) {
        check_must_fail(r, f);
    } else if (strcmp(kind, "other") == 0) {
        check_other(r, f);
    } else if (strncmp(kind, "total_", 6) == 0) {
        int64_t want = jm_int(jm_get(f, "expected"), NO_INT);
        if (census(r, f, &c, NULL, HK_MAX_DEPTH)) {
            uint64_t got = kind[6] == 'k' ? c.keys : c.values;
            if ((int64_t)got != want)
                bad(r, "%s %llu, expected %lld", kind, (unsigned long long)got, (long long)want);
        }
    } else {
        check_key_number(r, f, kind);
    }
}

/* ---- the suite ---------------------------------------------------------- */

#define MAX_KINDS 32
static const char *g_kinds[MAX_KINDS];
static size_t g_nkinds;

START_TEST(test_loaded)
{
    ck_assert_msg(g_facts != NULL, "%s", g_load_error);
    ck_assert_msg(g_nkinds > 0, "no fact kinds");
}
END_TEST

/* One kind of fact per iteration: every checkable fact must hold. */
START_TEST(test_kind)
{
    ck_assert_msg(g_facts != NULL, "%s", g_load_error);
    const char *kind = g_kinds[_i];
    struct run r;
    size_t skipped = 0;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < g_facts->count; i++) {
        const jm_value *f = &g_facts->items[i];
        if (strcmp(jm_get_str(f, "kind"), kind) != 0)
            continue;
        if (!checkable(f)) {
            skipped++;
            continue;
        }
        size_t before = r.messages;
        r.id = (long)jm_int(jm_get(f, "id"), -1);
        check_fact(&r, f);
        r.checked++;
        if (r.messages != before) {
            r.failed++;
            fprintf(stderr, "  (fact %ld, %s: %s)\n", r.id, jm_get_str(f, "hive"),
                    jm_str(jm_get(f, "note"), ""));
        }
    }
    for (size_t i = 0; i < MAX_OPEN && g_open[i].hive; i++)
        hk_hive_close(g_open[i].hive);
    memset(g_open, 0, sizeof g_open);
    printf("expectations[%s]: %zu checked, %zu skipped, %zu failed\n", kind, r.checked, skipped,
           r.failed);
    fflush(stdout);
    ck_assert_msg(r.failed == 0, "%s: %zu of %zu facts failed; first: %s", kind, r.failed,
                  r.checked, r.first);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("expectations");
    TCase *tc = tcase_create("facts");
    tcase_set_timeout(tc, 300);
    g_facts = jm_parse_file(CORPUS_DIR "/expectations.json", g_load_error, sizeof g_load_error);
    if (g_facts && (g_facts->type != JM_ARRAY || g_facts->count == 0)) {
        snprintf(g_load_error, sizeof g_load_error, "expectations.json: no list of facts");
        jm_free(g_facts);
        g_facts = NULL;
    }
    /* Every fact needs a string kind and hive; the kinds present become the
     * tests (none is hard-coded here). Checked or skipped is decided by
     * checkable() alone, so the summary is counted here, once. */
    size_t checked = 0, skipped[MAX_KINDS] = {0}, k;
    char by[1024] = "";
    for (size_t i = 0; g_facts && i < g_facts->count; i++) {
        const char *kind = jm_get_str(&g_facts->items[i], "kind");
        if (!kind || !jm_get_str(&g_facts->items[i], "hive")) {
            snprintf(g_load_error, sizeof g_load_error, "fact #%zu lacks kind or hive", i);
            jm_free(g_facts);
            g_facts = NULL;
            g_nkinds = 0;
            break;
        }
        for (k = 0; k < g_nkinds && strcmp(g_kinds[k], kind) != 0;)
            k++;
        if (k == g_nkinds && g_nkinds < MAX_KINDS)
            g_kinds[g_nkinds++] = kind;
        if (checkable(&g_facts->items[i]))
            checked++;
        else if (k < MAX_KINDS)
            skipped[k]++;
    }
    for (k = 0; k < g_nkinds; k++)
        if (skipped[k]) {
            size_t len = strlen(by);
            snprintf(by + len, sizeof by - len, "%s%s %zu", len ? ", " : "", g_kinds[k], skipped[k]);
        }
    if (g_facts)
        printf("expectations: %zu checked, %zu skipped (by kind: %s)\n", checked,
               g_facts->count - checked, by);
    fflush(stdout);
    /* Fails loudly without the corpus (or with no fact checkable). */
    tcase_add_test(tc, test_loaded);
    if (g_nkinds)
        tcase_add_loop_test(tc, test_kind, 0, (int)g_nkinds);
    suite_add_tcase(s, tc);
    return s;
}
