/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The expectations' facts of kind "other": base block fields, lookups,
 * name lists, value data (FILETIMEs, SIDs, UNICODE_STRINGs), the SAM boot
 * key, whole-hive counts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"

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
    hk_hive_info info = HK_HIVE_INFO_INIT;
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
        hk_key_info info = HK_KEY_INFO_INIT;
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

void check_other(struct run *r, const jm_value *f)
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
