/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Model-based test: thousands of seeded random edits (create, set, delete
 * value, delete key, delete tree, rename, copy tree) applied both to a hive and to a
 * plain in-memory model, with the expected status of each; the whole tree is
 * compared with the model along the way (halfway the hive is saved and
 * reopened for writing), after save and reopen, and through
 * libhivex; every saved hive passes the deep checks with no leaked cell. */
#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify.h"

Suite *test_suite(void);

enum { MAX_KEYS = 20000, MAX_DEPTH = 6 };

struct mval {
    char name[24];
    uint32_t type;
    uint8_t *data;
    uint32_t len;
};

struct mkey {
    int parent;
    char name[24];
    bool alive;
    struct mval *vals;
    int nvals, cap;
};

static struct mkey *keys;
static int nkeys;
static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static int ci_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
            return 0;
    return *a == *b;
}

static int ci_cmp(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = toupper((unsigned char)*a), y = toupper((unsigned char)*b);
        if (x != y)
            return x - y;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static int depth_of(int k)
{
    int d = 0;
    for (; k != 0; k = keys[k].parent)
        d++;
    return d;
}

static void path_of(int k, char *out, size_t size)
{
    if (k == 0) {
        out[0] = '\0';
        return;
    }
    char parent[512];
    path_of(keys[k].parent, parent, sizeof parent);
    int n = snprintf(out, size, "%s%s%s", parent, parent[0] ? "\\" : "", keys[k].name);
    ck_assert_msg(n >= 0 && (size_t)n < size, "model path of key %d longer than %zu bytes", k, size);
}

static int child_named(int parent, const char *name)
{
    for (int i = 1; i < nkeys; i++)
        if (keys[i].alive && keys[i].parent == parent && ci_eq(keys[i].name, name))
            return i;
    return -1;
}

static bool has_children(int k)
{
    for (int i = 1; i < nkeys; i++)
        if (keys[i].alive && keys[i].parent == k)
            return true;
    return false;
}

static int random_key(void)
{
    for (int tries = 0; tries < 50; tries++) {
        int k = (int)rnd((uint32_t)nkeys);
        if (keys[k].alive)
            return k;
    }
    return 0;
}

static void random_name(char *out, size_t size, int values)
{
    static const char *pool[] = {"a", "B", "key", "Key2", "long name with spaces", "x.y", "Zed"};
    static const char *vpool[] = {"", "v", "V", "data", "Data2", "n"};
    const char *base = values ? vpool[rnd(6)] : pool[rnd(7)];
    snprintf(out, size, "%s%u", base, rnd(values ? 4 : 12));
    if (values && rnd(6) == 0)
        out[0] = '\0';
    for (char *p = out; *p; p++)
        if (rnd(4) == 0)
            *p = (char)(isupper((unsigned char)*p) ? tolower((unsigned char)*p) : toupper((unsigned char)*p));
}

static hk_key *open_path(hk_key *root, int k)
{
    char path[512];
    path_of(k, path, sizeof path);
    hk_key *out;
    ck_assert_msg(hk_open_key(root, path, 0, HK_KEY_ALL_ACCESS, &out) == HK_ERROR_SUCCESS,
                  "open %s", path);
    return out;
}

static void kill_tree(int k)
{
    keys[k].alive = false;
    for (int i = 1; i < nkeys; i++)
        if (keys[i].alive && keys[i].parent == k)
            kill_tree(i);
}

static void op_create(hk_key *root)
{
    int p = random_key();
    if (depth_of(p) >= MAX_DEPTH || nkeys >= MAX_KEYS)
        return;
    char name[24];
    random_name(name, sizeof name, 0);
    hk_key *pk = open_path(root, p), *k;
    uint32_t disp;
    ck_assert_uint_eq(hk_create_key_ex(pk, name, 0, NULL, 0, HK_KEY_ALL_ACCESS, &k, &disp),
                      HK_ERROR_SUCCESS);
    int existing = child_named(p, name);
    ck_assert_uint_eq(disp, existing >= 0 ? HK_REG_OPENED_EXISTING_KEY : HK_REG_CREATED_NEW_KEY);
    if (existing < 0) {
        struct mkey *m = &keys[nkeys++];
        memset(m, 0, sizeof *m);
        m->parent = p;
        m->alive = true;
        snprintf(m->name, sizeof m->name, "%s", name);
    }
    hk_close_key(k);
    hk_close_key(pk);
}

static uint32_t random_len(void)
{
    uint32_t r = rnd(100);
    if (r < 70)
        return rnd(13);
    if (r < 90)
        return 13 + rnd(300);
    if (r < 97)
        return 1000 + rnd(4000);
    return 16000 + rnd(24000);
}

static void op_set(hk_key *root)
{
    static const uint32_t types[] = {HK_REG_SZ, HK_REG_BINARY, HK_REG_DWORD, HK_REG_QWORD,
                                     HK_REG_MULTI_SZ, HK_REG_NONE, 0x1234};
    int k = random_key();
    char name[24];
    random_name(name, sizeof name, 1);
    uint32_t type = types[rnd(7)], len = random_len();
    uint8_t *data = malloc(len + 1);
    for (uint32_t i = 0; i < len; i++)
        data[i] = (uint8_t)rnd(256);
    hk_key *hk = open_path(root, k);
    ck_assert_uint_eq(hk_set_value_ex(hk, name, 0, type, data, len), HK_ERROR_SUCCESS);
    hk_close_key(hk);
    struct mkey *m = &keys[k];
    for (int i = 0; i < m->nvals; i++) {
        if (ci_eq(m->vals[i].name, name)) {
            free(m->vals[i].data);
            m->vals[i].data = data;
            m->vals[i].len = len;
            m->vals[i].type = type;
            return;
        }
    }
    if (m->nvals == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 4;
        m->vals = realloc(m->vals, (size_t)m->cap * sizeof *m->vals);
    }
    struct mval *v = &m->vals[m->nvals++];
    snprintf(v->name, sizeof v->name, "%s", name);
    v->type = type;
    v->data = data;
    v->len = len;
}

static void op_delete_value(hk_key *root)
{
    int k = random_key();
    char name[24];
    random_name(name, sizeof name, 1);
    hk_key *hk = open_path(root, k);
    hk_status st = hk_delete_value(hk, name);
    hk_close_key(hk);
    struct mkey *m = &keys[k];
    for (int i = 0; i < m->nvals; i++) {
        if (ci_eq(m->vals[i].name, name)) {
            ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
            free(m->vals[i].data);
            memmove(&m->vals[i], &m->vals[i + 1], (size_t)(m->nvals - i - 1) * sizeof *m->vals);
            m->nvals--;
            return;
        }
    }
    ck_assert_uint_eq(st, HK_ERROR_FILE_NOT_FOUND);
}

static void op_delete_key(hk_key *root, bool tree)
{
    int k = random_key();
    if (k == 0)
        return;
    char path[512];
    path_of(k, path, sizeof path);
    if (tree) {
        ck_assert_uint_eq(hk_delete_tree(root, path), HK_ERROR_SUCCESS);
        kill_tree(k);
    } else if (has_children(k)) {
        ck_assert_uint_eq(hk_delete_key(root, path), HK_ERROR_ACCESS_DENIED);
    } else {
        ck_assert_uint_eq(hk_delete_key(root, path), HK_ERROR_SUCCESS);
        keys[k].alive = false;
    }
}

static void op_rename(hk_key *root)
{
    int k = random_key();
    if (k == 0)
        return;
    char path[512], name[24];
    path_of(k, path, sizeof path);
    random_name(name, sizeof name, 0);
    int other = child_named(keys[k].parent, name);
    hk_status st = hk_rename_key(root, path, name);
    if (other >= 0 && other != k) {
        ck_assert_uint_eq(st, HK_ERROR_ALREADY_EXISTS);
        return;
    }
    ck_assert_uint_eq(st, HK_ERROR_SUCCESS);
    snprintf(keys[k].name, sizeof keys[k].name, "%s", name);
}

static bool within(int k, int top)
{
    for (int d = 0; d <= MAX_KEYS; d++) {
        if (k == top)
            return true;
        if (k == 0)
            return false;
        k = keys[k].parent;
    }
    return false;
}

static int subtree_size(int k)
{
    int n = 1;
    for (int i = 1; i < nkeys; i++)
        if (keys[i].alive && keys[i].parent == k)
            n += subtree_size(i);
    return n;
}

static void model_set(int k, const struct mval *v)
{
    struct mkey *m = &keys[k];
    uint8_t *copy = malloc(v->len + 1);
    memcpy(copy, v->data, v->len);
    for (int i = 0; i < m->nvals; i++) {
        if (ci_eq(m->vals[i].name, v->name)) {
            free(m->vals[i].data);
            m->vals[i].data = copy;
            m->vals[i].len = v->len;
            m->vals[i].type = v->type;
            return;
        }
    }
    if (m->nvals == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 4;
        m->vals = realloc(m->vals, (size_t)m->cap * sizeof *m->vals);
    }
    m->vals[m->nvals] = *v;
    m->vals[m->nvals++].data = copy;
}

/* RegCopyTree in the model: values replaced or appended, keys merged. */
static void model_copy(int src, int dst)
{
    for (int i = 0; i < keys[src].nvals; i++)
        model_set(dst, &keys[src].vals[i]);
    int n = nkeys;
    for (int i = 1; i < n; i++) {
        if (!keys[i].alive || keys[i].parent != src)
            continue;
        int d = child_named(dst, keys[i].name);
        if (d < 0) {
            d = nkeys++;
            memset(&keys[d], 0, sizeof keys[d]);
            keys[d].parent = dst;
            keys[d].alive = true;
            memcpy(keys[d].name, keys[i].name, sizeof keys[d].name);
        }
        model_copy(i, d);
    }
}

static void op_copy(hk_key *root)
{
    int src = random_key(), dst = random_key();
    if (within(src, dst) && src != dst)
        return; /* copying into an ancestor: merge order would matter */
    char sp[512], dp[512];
    path_of(src, sp, sizeof sp);
    path_of(dst, dp, sizeof dp);
    hk_key *d = open_path(root, dst);
    if (within(dst, src)) {
        ck_assert_uint_eq(hk_copy_tree(root, sp, d), HK_ERROR_INVALID_PARAMETER);
    } else if (subtree_size(src) <= 100 && nkeys + subtree_size(src) < MAX_KEYS &&
               depth_of(dst) + 3 <= MAX_DEPTH) {
        ck_assert_uint_eq(hk_copy_tree(root, sp, d), HK_ERROR_SUCCESS);
        model_copy(src, dst);
    }
    hk_close_key(d);
}

struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static int cmp_keys(const void *a, const void *b)
{
    return ci_cmp(keys[*(const int *)a].name, keys[*(const int *)b].name);
}

static void expect_key(struct sbuf *b, int k, const char *path)
{
    sb_add(b, "[");
    sb_add(b, path);
    sb_add(b, "]\n");
    char line[128];
    for (int i = 0; i < keys[k].nvals; i++) {
        const struct mval *v = &keys[k].vals[i];
        snprintf(line, sizeof line, "  \"%s\" type %u len %u ", v->name, v->type, v->len);
        sb_add(b, line);
        for (uint32_t j = 0; j < v->len; j++) {
            snprintf(line, sizeof line, "%02x", v->data[j]);
            sb_add(b, line);
        }
        sb_add(b, "\n");
    }
    int *kids = malloc(sizeof(int) * (size_t)nkeys), n = 0;
    for (int i = 1; i < nkeys; i++)
        if (keys[i].alive && keys[i].parent == k)
            kids[n++] = i;
    qsort(kids, (size_t)n, sizeof *kids, cmp_keys);
    for (int i = 0; i < n; i++) {
        char sub[600];
        snprintf(sub, sizeof sub, "%s\\%s", path, keys[kids[i]].name);
        expect_key(b, kids[i], sub);
    }
    free(kids);
}

static char *expected(void)
{
    struct sbuf b = {NULL, 0, 0};
    sb_add(&b, "");
    expect_key(&b, 0, "");
    return b.p;
}

static void run_model(uint32_t minor, uint64_t seed, int ops)
{
    keys = calloc(MAX_KEYS, sizeof *keys);
    nkeys = 1;
    keys[0].alive = true;
    rng = seed;
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_create(minor, "ROOT", &h), HK_ERROR_SUCCESS);
    hk_hive_set_clock(h, 130000000000000000ull + seed);
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    for (int i = 0; i < ops; i++) {
        uint32_t r = rnd(100);
        if (r < 30)
            op_create(root);
        else if (r < 65)
            op_set(root);
        else if (r < 75)
            op_delete_value(root);
        else if (r < 83)
            op_delete_key(root, false);
        else if (r < 87)
            op_delete_key(root, true);
        else if (r < 95)
            op_rename(root);
        else
            op_copy(root);
        if (i == ops / 2) {
            /* Halfway: save, reopen the file for writing and go on, so the
             * rest edits an image whose free cells come from a file. */
            char mid[512];
            temp_path(mid, sizeof mid, "half");
            ck_assert_uint_eq(hk_hive_save(h, mid, 0), HK_ERROR_SUCCESS);
            hk_close_key(root);
            hk_hive_close(h);
            hk_open_options o = HK_OPEN_OPTIONS_INIT;
            o.flags = HK_OPEN_WRITE;
            ck_assert_uint_eq(hk_hive_open(mid, &o, &h), HK_ERROR_SUCCESS);
            hk_hive_set_clock(h, 130000000000000000ull + seed);
            ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
            ck_assert_uint_eq(hk_flush_key(root), HK_ERROR_SUCCESS); /* to the same file */
            unlink(mid);
        }
        if (i % 1000 == 999) {
            char *want = expected(), *got = dump_hivekit(h);
            ck_assert_msg(strcmp(want, got) == 0, "seed %llu: tree differs after %d ops",
                          (unsigned long long)seed, i + 1);
            free(want);
            free(got);
            struct verify_report rep;
            verify_hive(h, &rep);
            ck_assert_uint_eq(rep.unreferenced, 0);
        }
    }
    char path[512];
    temp_path(path, sizeof path, "model");
    ck_assert_uint_eq(hk_hive_save(h, path, 0), HK_ERROR_SUCCESS);
    hk_close_key(root);
    hk_hive_close(h);
    struct verify_report rep;
    verify_file(path, &rep);
    ck_assert_uint_eq(rep.unreferenced, 0);
    ck_assert_uint_eq(rep.free_pairs, 0);
    /* the run left a real tree behind: the comparison below means something */
    ck_assert_msg(rep.keys > 50 && rep.values > 100, "only %u keys and %u values", rep.keys,
                  rep.values);
    if (getenv("HK_MODEL_STATS"))
        fprintf(stderr, "seed %llu: %u keys, %u values, %u free cells\n",
                (unsigned long long)seed, rep.keys, rep.values, rep.free_cells);
    char *want = expected(), *got = dump_hivekit_file(path), *hx = dump_hivex_file(path);
    ck_assert_msg(strcmp(want, got) == 0, "seed %llu: saved tree differs from the model",
                  (unsigned long long)seed);
    ck_assert_msg(strcmp(want, hx) == 0, "seed %llu: libhivex reads another tree",
                  (unsigned long long)seed);
    free(want);
    free(got);
    free(hx);
    unlink(path);
    for (int i = 0; i < nkeys; i++) {
        for (int j = 0; j < keys[i].nvals; j++)
            free(keys[i].vals[j].data);
        free(keys[i].vals);
    }
    free(keys);
}

START_TEST(random_edits_match_the_model_1_5)
{
    run_model(5, 0x9E3779B97F4A7C15ull + (uint64_t)_i, 5000);
}
END_TEST

START_TEST(random_edits_match_the_model_1_3)
{
    run_model(3, 0xD1B54A32D192ED03ull + (uint64_t)_i, 5000);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("model");
    TCase *t = tcase_create("model");
    tcase_set_timeout(t, 600);
    tcase_add_loop_test(t, random_edits_match_the_model_1_5, 0, 3);
    tcase_add_loop_test(t, random_edits_match_the_model_1_3, 0, 2);
    suite_add_tcase(s, t);
    return s;
}
