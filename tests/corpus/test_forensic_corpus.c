/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Forensics on the corpus: the deleted-data facts of expectations.json
 * (deleted_value_found, deleted_key_found, deleted_counts, truncated_scan;
 * test_expectations.c counts them as skipped, they are checked here, every
 * expected value taken from the JSON), the integrity verdict of every corpus
 * file, the exact findings on the damaged yarp hives, and what a salvage
 * walk reads from them.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hivekit.h"
#include "json_mini.h"
#include "corpus.h"
#include "log_corpus.h"

Suite *test_suite(void);


static hk_hive *open_rel(const char *rel, uint32_t flags)
{
    char path[4096], msg[256] = "";
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = flags;
    hk_hive *h = NULL;
    corpus_path(path, sizeof path, rel);
    hk_status st = hk_hive_open(path, &o, &h);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_msg(st == HK_ERROR_SUCCESS, "open %s: %u %s", rel, st, msg);
    return h;
}

/* ---- deleted records of a hive --------------------------------------------- */

struct drec {
    uint32_t kind, offset, key_offset, reg_type, state;
    char path[256], name[256], text[256]; /* text: data decoded as a string */
};

struct dscan {
    struct drec v[64];
    size_t n;
};

static int collect(const hk_deleted_record *r, void *ctx)
{
    struct dscan *s = ctx;
    ck_assert_uint_lt(s->n, 64);
    struct drec *d = &s->v[s->n++];
    memset(d, 0, sizeof *d);
    d->kind = r->kind;
    d->offset = r->offset;
    d->key_offset = r->key_offset;
    d->reg_type = r->reg_type;
    d->state = r->data_state;
    snprintf(d->path, sizeof d->path, "%s", r->path);
    snprintf(d->name, sizeof d->name, "%s", r->name);
    size_t size = sizeof d->text;
    if (r->data && hk_decode_string(r->data, r->data_size, d->text, &size) != HK_ERROR_SUCCESS)
        d->text[0] = '\0';
    return 0;
}

static void scan(const char *rel, struct dscan *s)
{
    hk_hive *h = open_rel(rel, 0);
    s->n = 0;
    ck_assert_uint_eq(hk_deleted_scan(h, collect, s), HK_ERROR_SUCCESS);
    hk_hive_close(h);
}

static uint32_t type_of(const char *name)
{
    return strcmp(name, "REG_SZ") == 0 ? HK_REG_SZ : strcmp(name, "REG_BINARY") == 0 ? HK_REG_BINARY
                                                                                     : 0xFFFFFFFFu;
}

static size_t count_kind(const struct dscan *s, uint32_t kind, const char *path)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->v[i].kind == kind && (!path || strcmp(s->v[i].path, path) == 0);
    return n;
}

/* A value named name (under path when given) of the type with the data. */
static const struct drec *find_value(const struct dscan *s, const char *path, const char *name,
                                     const char *type, const char *data)
{
    for (size_t i = 0; i < s->n; i++) {
        const struct drec *d = &s->v[i];
        if (d->kind == HK_DELETED_VALUE && strcmp(d->name, name) == 0 &&
            (!path || strcmp(d->path, path) == 0) && d->reg_type == type_of(type) &&
            d->state == HK_DELETED_DATA_OK && strcmp(d->text, data) == 0)
            return d;
    }
    return NULL;
}

struct slack_find {
    char needle[16];
    size_t bytes;
    int found;
};

static int find_in_slack(const hk_slack *sl, void *ctx)
{
    struct slack_find *f = ctx;
    size_t n = strlen(f->needle);
    f->bytes += sl->len;
    for (size_t i = 0; n && i + n <= sl->len && !f->found; i++)
        f->found = memcmp(sl->bytes + i, f->needle, n) == 0;
    return 0;
}

static jm_value *g_facts;
static char g_err[512];

static size_t checked_facts;

static void check_fact(const jm_value *f)
{
    const char *kind = jm_get_str(f, "kind"), *check = jm_get_str(f, "check");
    const char *rel = jm_get_str(f, "hive"), *path = jm_get_str(f, "path");
    long id = (long)jm_int(jm_get(f, "id"), -1);
    const jm_value *e = jm_get(f, "expected");
    struct dscan s;
    if (strcmp(kind, "deleted_value_found") == 0) {
        scan(rel, &s);
        const char *name = jm_get_str(f, "value_name");
        ck_assert_msg(find_value(&s, path, name, jm_get_str(f, "type"), jm_str(e, "")) != NULL,
                      "fact %ld: no deleted value %s = %s", id, name, jm_str(e, ""));
        if (path && strstr(jm_str(jm_get(f, "note"), ""), "exactly one"))
            ck_assert_msg(count_kind(&s, HK_DELETED_VALUE, path) == 1, "fact %ld: %zu values of %s",
                          id, count_kind(&s, HK_DELETED_VALUE, path), path);
    } else if (strcmp(kind, "deleted_key_found") == 0) {
        scan(rel, &s);
        /* A hive may hold several deleted keys: the fact names one of them
         * by its path and name, and each is reported once. */
        const struct drec *k = NULL;
        size_t seen = 0;
        for (size_t i = 0; i < s.n; i++)
            if (s.v[i].kind == HK_DELETED_KEY && strcmp(s.v[i].path, path) == 0 &&
                strcmp(s.v[i].name, jm_get_str(e, "name")) == 0) {
                k = &s.v[i];
                seen++;
            }
        ck_assert_msg(k != NULL, "fact %ld: no deleted key %s", id, path);
        ck_assert_msg(seen == 1, "fact %ld: deleted key %s reported %zu times", id, path, seen);
        const jm_value *vals = jm_get(e, "values");
        size_t mine = 0;
        for (size_t i = 0; i < s.n; i++)
            mine += s.v[i].kind == HK_DELETED_VALUE && s.v[i].key_offset == k->offset;
        ck_assert_uint_eq(mine, vals ? vals->count : 0);
        for (size_t i = 0; vals && i < vals->count; i++) {
            const jm_value *v = &vals->items[i];
            const struct drec *d = find_value(&s, path, jm_get_str(v, "name"),
                                              jm_get_str(v, "type"), jm_get_str(v, "data"));
            ck_assert_msg(d && d->key_offset == k->offset, "fact %ld: value %zu of the key", id, i);
        }
    } else if (check && strcmp(check, "effective_slack") == 0) {
        /* expected: 'contains b"XYZ"' */
        const char *want = strchr(jm_str(e, ""), '"');
        ck_assert_ptr_nonnull(want);
        struct slack_find sf = {{0}, 0, 0};
        snprintf(sf.needle, sizeof sf.needle, "%.*s", (int)strcspn(want + 1, "\""), want + 1);
        hk_hive *h = open_rel(rel, 0);
        ck_assert_uint_eq(hk_slack_scan(h, find_in_slack, &sf), HK_ERROR_SUCCESS);
        hk_hive_close(h);
        ck_assert_msg(sf.bytes > 0 && sf.found, "fact %ld: %zu bytes of slack, no %s", id, sf.bytes,
                      sf.needle);
    } else if (check && strcmp(check, "deleted_counts") == 0) {
        scan(rel, &s);
        ck_assert_int_eq((int64_t)count_kind(&s, HK_DELETED_VALUE, NULL),
                         jm_int(jm_get(e, "deleted_values"), -1));
        ck_assert_int_eq((int64_t)count_kind(&s, HK_DELETED_KEY, NULL),
                         jm_int(jm_get(e, "deleted_keys"), -1));
    } else {
        return;
    }
    checked_facts++;
}

/* truncated_scan: a salvage walk of the cut file meets only the allowed
 * names ("<positive integer>" stands for any). */
static int name_allowed(const jm_value *allowed, const char *name)
{
    for (size_t i = 0; i < allowed->count; i++) {
        const char *a = jm_str(&allowed->items[i], "");
        if (strcmp(a, name) == 0)
            return 1;
        if (strcmp(a, "<positive integer>") == 0 && name[0] >= '1' && name[0] <= '9' &&
            strspn(name, "0123456789") == strlen(name))
            return 1;
    }
    return 0;
}

/* Walks what a salvage reader reaches, skipping entries that fail. */
static void salvage_walk(hk_key *k, uint32_t depth, const jm_value *allowed, size_t *keys,
                         size_t *skipped)
{
    char name[512];
    size_t ns = sizeof name;
    hk_key_info info = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_key_name(k, name, &ns), HK_ERROR_SUCCESS);
    if (allowed)
        ck_assert_msg(name_allowed(allowed, name), "name %s is not allowed", name);
    ++*keys;
    ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &info), HK_ERROR_SUCCESS);
    for (uint32_t i = 0; i < info.subkeys && depth < 16; i++) {
        hk_key *c;
        hk_status st = hk_open_subkey_at(k, i, HK_KEY_READ, &c);
        if (st != HK_ERROR_SUCCESS) {
            ck_assert_uint_eq(st, HK_ERROR_BADDB);
            ++*skipped;
            continue;
        }
        salvage_walk(c, depth + 1, allowed, keys, skipped);
        hk_close_key(c);
    }
}

static void salvage_counts(const char *rel, const jm_value *allowed, size_t *keys, size_t *skipped)
{
    hk_hive *h = open_rel(rel, HK_OPEN_SALVAGE);
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    *keys = *skipped = 0;
    salvage_walk(root, 0, allowed, keys, skipped);
    hk_close_key(root);
    hk_hive_close(h);
}

START_TEST(deleted_data_facts)
{
    ck_assert_msg(g_facts != NULL, "%s", g_err);
    checked_facts = 0;
    size_t truncated = 0;
    for (size_t i = 0; i < g_facts->count; i++) {
        const jm_value *f = &g_facts->items[i];
        const char *check = jm_get_str(f, "check");
        if (check && strcmp(check, "truncated_scan") == 0) {
            size_t keys, skipped;
            const jm_value *allowed = jm_get(jm_get(f, "expected"), "allowed_names");
            salvage_counts(jm_get_str(f, "hive"), allowed, &keys, &skipped);
            ck_assert_uint_eq(keys, 2); /* the root and key_with_many_subkeys */
            truncated++;
            continue;
        }
        check_fact(f);
    }
    printf("forensic facts: %zu deleted-data facts and %zu truncated scans checked\n",
           checked_facts, truncated);
    /* Every deleted-data fact of the corpus is checked (ten when the yarp
     * recovery hives arrived, and the slack fact). */
    ck_assert_uint_ge(checked_facts, 11);
    ck_assert_uint_eq(truncated, 1);
}
END_TEST

/* ---- counts on a real hive ------------------------------------------------- */

struct tally {
    size_t keys, values;         /* records reported */
    size_t key_copies, value_copies; /* with the identical copies folded into them */
    size_t at[5][3];             /* [where][kind] */
};

static int tally_record(const hk_deleted_record *r, void *ctx)
{
    struct tally *t = ctx;
    ck_assert_uint_ge(r->copies, 1);
    ck_assert_uint_le(r->where, 4);
    if (r->kind == HK_DELETED_KEY) {
        t->keys++;
        t->key_copies += r->copies;
    } else {
        t->values++;
        t->value_copies += r->copies;
    }
    t->at[r->where][r->kind]++;
    return 0;
}

/* regipy's NTUSER.DAT: yarp's scanner finds 103 deleted keys and 415
 * values, 29 of the values in free cells and the rest (with all the keys)
 * in the 49,152 bytes of old hive bins after the last bin. */
START_TEST(ntuser_deleted_counts_reach_yarps)
{
    hk_hive *h = open_rel("regipy/NTUSER.DAT.gz", 0);
    struct tally t;
    memset(&t, 0, sizeof t);
    ck_assert_uint_eq(hk_deleted_scan(h, tally_record, &t), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    ck_assert_uint_eq(t.keys, 103);
    ck_assert_uint_eq(t.values, 415);
    ck_assert_uint_eq(t.key_copies, 103);   /* no key found twice */
    ck_assert_uint_eq(t.value_copies, 415); /* values with cell data: none twice */
    ck_assert_uint_eq(t.at[HK_DELETED_IN_FREE_CELL][HK_DELETED_VALUE], 29);
    ck_assert_uint_eq(t.at[HK_DELETED_IN_REMNANT][HK_DELETED_VALUE], 386);
    ck_assert_uint_eq(t.at[HK_DELETED_IN_REMNANT][HK_DELETED_KEY], 103);
}
END_TEST

/* ---- integrity verdicts ----------------------------------------------------- */

struct verdict {
    const char *rel;
    int errors, warnings; /* -1: not a primary hive (cannot be opened) */
};

/* Determined by reading each file: clean Windows hives have no errors; the
 * warnings are bytes after the last bin, dirty sequence numbers, and
 * allocated cells no key references (RecoveredHive_Windows10 and
 * NewDirtyHive keep orphaned key nodes). */
static const struct verdict verdicts[] = {
    {"hivex/minimal.gz", 0, 0},
    {"hivex/rlenvalue_test_hive.gz", 0, 0},
    {"hivex/special.gz", 0, 0},
    {"regipy/BCD.gz", 0, 0},
    {"regipy/NTUSER-WSL.DAT.gz", 0, 0},
    {"regipy/NTUSER.DAT.gz", 0, 1},
    {"regipy/SAM.gz", 0, 1},
    {"regipy/SECURITY.gz", 0, 1},
    {"regipy/SYSTEM.gz", 0, 0},
    {"regipy/UsrClass.dat.LOG1.gz", -1, -1},
    {"regipy/UsrClass.dat.LOG2.gz", -1, -1},
    {"regipy/UsrClass.dat.gz", 0, 2},
    {"regipy/amcache.hve.gz", 0, 2},
    {"yarp/BadListHive.gz", 2, 4},
    {"yarp/BigDataHive.gz", 0, 1},
    {"yarp/DeletedDataHive.gz", 0, 1},
    {"yarp/EmptyHive.gz", 0, 1},
    {"yarp/ExtendedASCIIHive.gz", 0, 1},
    {"yarp/GarbageHive.gz", 1, 1},
    {"yarp/ManySubkeysHive.gz", 0, 1},
    {"yarp/MultiSzHive.gz", 0, 1},
    {"yarp/NewDirtyHive1/NewDirtyHive.LOG1.gz", -1, -1},
    {"yarp/NewDirtyHive1/NewDirtyHive.LOG2.gz", -1, -1},
    {"yarp/NewDirtyHive1/NewDirtyHive.gz", 0, 6},
    {"yarp/NewDirtyHive1/RecoveredHive_Windows10.gz", 0, 9},
    {"yarp/NewFlagsHive.gz", 0, 1},
    {"yarp/OldDirtyHive/OldDirtyHive.LOG1.gz", -1, -1},
    {"yarp/OldDirtyHive/OldDirtyHive.LOG2.gz", -1, -1},
    {"yarp/OldDirtyHive/OldDirtyHive.gz", 0, 2},
    {"yarp/OldDirtyHive/RecoveredHive_Windows7.gz", 0, 1},
    {"yarp/StringValuesHive.gz", 0, 1},
    {"yarp/TruncatedHive.gz", 10, 85},
    {"yarp/UnicodeHive.gz", 0, 1},
    {"yarp/WrongOrderHive.gz", 2, 1},
};

struct listing {
    char text[8192];
};

static int list_finding(const hk_check_finding *f, void *ctx)
{
    struct listing *l = ctx;
    size_t n = strlen(l->text);
    if (f->severity == HK_CHECK_ERROR || strcmp(f->rule, "unreferenced") != 0)
        snprintf(l->text + n, sizeof l->text - n, "%c %s 0x%llx\n",
                 f->severity == HK_CHECK_ERROR ? 'E' : 'W', f->rule,
                 (unsigned long long)f->file_offset);
    return 0;
}

static void check_hive(const char *rel, struct listing *l, hk_check_counts *c)
{
    hk_hive *h = open_rel(rel, HK_OPEN_SALVAGE);
    memset(l, 0, sizeof *l);
    ck_assert_uint_eq(hk_hive_check(h, list_finding, l, c), HK_ERROR_SUCCESS);
    hk_hive_close(h);
}

START_TEST(every_corpus_file_has_its_verdict)
{
    const struct verdict *v = &verdicts[_i];
    char path[4096];
    corpus_path(path, sizeof path, v->rel);
    if (v->errors < 0) {
        hk_hive *h = NULL;
        hk_open_options o = HK_OPEN_OPTIONS_INIT;
        o.flags = HK_OPEN_SALVAGE;
        hk_status st = hk_hive_open(path, &o, &h);
        ck_assert_msg(st == HK_ERROR_NOT_REGISTRY_FILE, "%s: %u", v->rel, st);
        return;
    }
    struct listing l;
    hk_check_counts c = HK_CHECK_COUNTS_INIT;
    check_hive(v->rel, &l, &c);
    ck_assert_msg((int)c.errors == v->errors && (int)c.warnings == v->warnings,
                  "%s: %u errors, %u warnings; expected %d, %d\n%s", v->rel, c.errors, c.warnings,
                  v->errors, v->warnings, l.text);
}
END_TEST

/* The damaged hives, finding by finding (unreferenced-cell warnings left
 * out of the lists; their number is in the verdicts). */
START_TEST(damaged_hives_exact_findings)
{
    struct listing l;
    hk_check_counts c = HK_CHECK_COUNTS_INIT;
    check_hive("yarp/BadListHive.gz", &l, &c);
    /* Keys 2 (0x2e8) and 3 (0x380) share the list 0x2d0 whose key names 3
     * as its parent; 2's own list 0x340 and its key 0x4c8 are orphans. */
    ck_assert_str_eq(l.text, "E key-parent 0x1470\n"
                             "E ref-twice 0x12d0\n"
                             "W sk-refcount 0x11b0\n"
                             "W trailing-data 0x2000\n");
    check_hive("yarp/WrongOrderHive.gz", &l, &c);
    ck_assert_str_eq(l.text, "E list-order 0x14f8\n"
                             "E list-order 0x1698\n"
                             "W trailing-data 0x2000\n");
    check_hive("yarp/GarbageHive.gz", &l, &c);
    ck_assert_str_eq(l.text, "E checksum 0x1fc\n"
                             "W trailing-data 0x2000\n");
    check_hive("yarp/TruncatedHive.gz", &l, &c);
    /* 0x2000 bytes of bins survive: the 9 leaves of the ri at 0x720 lie
     * beyond them, so the 83 key nodes they listed are orphans. */
    ck_assert_str_eq(l.text, "E bins 0x28\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "E ref-bounds 0x1720\n"
                             "W sk-refcount 0x1098\n");
}
END_TEST

/* What a salvage walk reads of each damaged hive, and how many subkeys it
 * must skip; a strict walk stops with BADDB. */
START_TEST(salvage_reads_what_is_intact)
{
    size_t keys, skipped;
    salvage_counts("yarp/BadListHive.gz", NULL, &keys, &skipped);
    ck_assert_uint_eq(keys, 6); /* root, 1, 2, 3, 3\subkey, 4 */
    ck_assert_uint_eq(skipped, 1);
    salvage_counts("yarp/WrongOrderHive.gz", NULL, &keys, &skipped);
    /* 1\1 and 2\в are out of order: from there on their lists fail at
     * every index, so the keys after them are not read either */
    ck_assert_uint_eq(keys, 7);
    ck_assert_uint_eq(skipped, 4); /* each index from the first bad one */
    salvage_counts("yarp/TruncatedHive.gz", NULL, &keys, &skipped);
    ck_assert_uint_eq(keys, 2);
    ck_assert_uint_eq(skipped, 5000);
    hk_hive *h = open_rel("yarp/TruncatedHive.gz", HK_OPEN_SALVAGE);
    ck_assert_ptr_nonnull(strstr(hk_hive_salvage_note(h), "reading the first 0x2000 bytes"));
    hk_hive_close(h);
    char path[4096];
    corpus_path(path, sizeof path, "yarp/TruncatedHive.gz");
    ck_assert_uint_eq(hk_hive_open(path, NULL, &h), HK_ERROR_BADDB);
}
END_TEST

/* ---- salvage past damage on a real hive ------------------------------------ */

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Test-side, from the bytes: the allocated cells holding an "nk" record in
 * every bin of the file but the one at skip (bins followed by their own
 * sizes from the first). */
static size_t count_nk(const uint8_t *f, size_t n, uint32_t skip)
{
    uint32_t bins = get32(f + 0x28);
    ck_assert_uint_le((uint64_t)4096 + bins, n);
    size_t count = 0;
    for (uint32_t bin = 0; bin < bins;) {
        const uint8_t *h = f + 4096 + bin;
        ck_assert_int_eq(memcmp(h, "hbin", 4), 0);
        uint32_t size = get32(h + 8);
        ck_assert_uint_ge(size, 4096);
        for (uint32_t off = 32; bin != skip && off < size;) {
            int32_t raw = (int32_t)get32(h + off);
            uint32_t len = raw < 0 ? (uint32_t)-raw : (uint32_t)raw;
            ck_assert_uint_ge(len, 8);
            count += raw < 0 && h[off + 4] == 'n' && h[off + 5] == 'k';
            off += len;
        }
        bin += size;
    }
    return count;
}

/* Every key an API walk reaches from the root, skipping what fails (a key
 * whose values are broken still has its subkeys walked). */
static size_t walk_all(hk_key *k, uint32_t depth)
{
    size_t n = 1;
    hk_status st = HK_ERROR_SUCCESS;
    for (uint32_t i = 0; st != HK_ERROR_NO_MORE_ITEMS && depth < HK_MAX_DEPTH; i++) {
        hk_key *c;
        st = hk_open_subkey_at(k, i, HK_KEY_READ, &c);
        if (st == HK_ERROR_SUCCESS) {
            n += walk_all(c, depth + 1);
            hk_close_key(c);
        } else if (st != HK_ERROR_NO_MORE_ITEMS) {
            ck_assert_uint_eq(st, HK_ERROR_BADDB);
            if (i > 0x10000)
                break;
        }
    }
    return n;
}

static size_t walk_memory(const uint8_t *img, size_t n, uint32_t flags, const char *note)
{
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = flags;
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, n, &o, &h), HK_ERROR_SUCCESS);
    if (note)
        ck_assert_msg(strstr(hk_hive_salvage_note(h), note), "note: %s", hk_hive_salvage_note(h));
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    size_t keys = walk_all(root, 0);
    hk_close_key(root);
    hk_hive_close(h);
    return keys;
}

struct orphans {
    size_t keys;
};

static int count_orphans(const hk_deleted_record *r, void *ctx)
{
    struct orphans *o = ctx;
    if (r->orphan && r->kind == HK_DELETED_KEY) {
        ck_assert_int_eq(r->path_complete, 0);
        ck_assert_uint_eq(r->where, HK_DELETED_IN_UNREFERENCED);
        o->keys++;
    }
    return 0;
}

/* SYSTEM with the header of its third bin (0x2000, holding a subkey list)
 * zeroed: a strict open fails; salvage skips that bin alone and reads every
 * bin after it. Each key node of the intact bins is then either reached
 * from the root or reported as an orphan. */
START_TEST(salvage_resynchronises_past_a_zeroed_bin_header)
{
    size_t n;
    char path[4096];
    uint8_t *img = lc_read(corpus_path(path, sizeof path, "regipy/SYSTEM.gz"), &n);
    ck_assert_uint_eq(count_nk(img, n, 0xFFFFFFFFu), 30756); /* SOURCES.md's key count */
    ck_assert_uint_eq(get32(img + 4096 + 0x2000 + 4), 0x2000);
    ck_assert_uint_eq(get32(img + 4096 + 0x2000 + 8), 0x1000);
    size_t intact = count_nk(img, n, 0x2000);
    memset(img + 4096 + 0x2000, 0, 32);
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, n, NULL, &h), HK_ERROR_BADDB);
    size_t reached = walk_memory(img, n, HK_OPEN_SALVAGE,
                                 "skipped 0x1000 bytes to the intact bin at 0x3000");
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_SALVAGE;
    ck_assert_uint_eq(hk_hive_open_memory(img, n, &o, &h), HK_ERROR_SUCCESS);
    struct orphans orph = {0};
    ck_assert_uint_eq(hk_deleted_scan(h, count_orphans, &orph), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    printf("SYSTEM, bin 0x2000 zeroed: %zu key nodes in intact bins, %zu reached from the root, "
           "%zu orphans\n", intact, reached, orph.keys);
    ck_assert_uint_eq(reached + orph.keys, intact);
    ck_assert_uint_gt(orph.keys, 0);
    /* A hive with a skipped run is not whole: it cannot be edited. */
    char msg[256] = "";
    hk_open_options w = HK_OPEN_OPTIONS_INIT;
    w.flags = HK_OPEN_SALVAGE | HK_OPEN_WRITE;
    ck_assert_uint_eq(hk_hive_open_memory(img, n, &w, &h), HK_ERROR_BADDB);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_msg(strstr(msg, "skipped by the salvage open"), "%s", msg);
    free(img);
}
END_TEST

/* A base block with a bad checksum is not trusted for the bins size, nor
 * is an impossible size: the bins are found in the file, every key read. */
START_TEST(salvage_finds_the_bins_of_an_untrusted_base_block)
{
    size_t n;
    char path[4096];
    uint8_t *img = lc_read(corpus_path(path, sizeof path, "regipy/SYSTEM.gz"), &n);
    size_t keys = count_nk(img, n, 0xFFFFFFFFu);
    uint32_t bins = get32(img + 0x28);
    img[0x28] = 0x00, img[0x29] = 0x30, img[0x2a] = 0, img[0x2b] = 0; /* 0x3000: too few */
    ck_assert_uint_eq(walk_memory(img, n, HK_OPEN_SALVAGE, "base block not trusted (bad checksum)"),
                      keys);
    img[0x28] = 0x23, img[0x29] = 0xf1, img[0x2a] = 0xff, img[0x2b] = 0x7f; /* 0x7ffff123 */
    hk_hive *h = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(img, n, NULL, &h), HK_ERROR_BADDB);
    ck_assert_uint_eq(walk_memory(img, n, HK_OPEN_SALVAGE, "0x7ffff123 declared"), keys);
    (void)bins;
    free(img);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("forensic_corpus");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 300);
    char facts[4096];
    g_facts = jm_parse_file(corpus_path(facts, sizeof facts, "expectations.json"), g_err, sizeof g_err);
    tcase_add_test(tc, deleted_data_facts);
    tcase_add_test(tc, ntuser_deleted_counts_reach_yarps);
    tcase_add_loop_test(tc, every_corpus_file_has_its_verdict, 0,
                        (int)(sizeof verdicts / sizeof verdicts[0]));
    tcase_add_test(tc, damaged_hives_exact_findings);
    tcase_add_test(tc, salvage_reads_what_is_intact);
    tcase_add_test(tc, salvage_resynchronises_past_a_zeroed_bin_header);
    tcase_add_test(tc, salvage_finds_the_bins_of_an_untrusted_base_block);
    suite_add_tcase(s, tc);
    return s;
}
