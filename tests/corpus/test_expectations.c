/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The facts of the corpus's expectations.json (what the originating projects'
 * own test suites assert about the corpus hives), checked through hivekit's
 * public API: one test per kind of fact present in the JSON, and every
 * expected value comes from the JSON. A fact the API cannot express
 * (deleted-data recovery: checked in test_forensic_corpus.c; log replay, raw
 * record fields it does not expose)
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "corpus.h"

Suite *test_suite(void);

static jm_value *g_facts;
static char g_load_error[512];

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
    hk_key_info info = HK_KEY_INFO_INIT;
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
void compare_value(struct run *r, hk_key *k, const char *name, const jm_value *f)
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
    close_fact_hives();
    printf("expectations[%s]: %zu checked, %zu skipped, %zu failed\n", kind, r.checked, skipped,
           r.failed);
    fflush(stdout);
    ck_assert_msg(r.failed == 0, "%s: %zu of %zu facts failed; first: %s", kind, r.failed,
                  r.checked, r.first);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("expectations");
    TCase *tc = tcase_create("facts");
    tcase_set_timeout(tc, 300);
    char facts[4096];
    g_facts = jm_parse_file(corpus_path(facts, sizeof facts, "expectations.json"), g_load_error, sizeof g_load_error);
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
