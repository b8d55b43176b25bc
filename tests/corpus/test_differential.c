/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Differential test: every hive of the corpus (every *.gz below the corpus folder
 * except transaction logs, found by walking the folder) is walked with
 * libhivex and with hivekit, and the two trees must be identical: each key's
 * name (exact UTF-8 bytes, NULs included), child order, last-write FILETIME,
 * subkey and value counts, and each value's name, type and exact data bytes.
 * libhivex's order (hivex_node_children / hivex_node_values) is the
 * reference; hivekit is read through hk_open_subkey_at / hk_enum_key_ex /
 * hk_enum_value, and, where a name allows it, by name lookup too
 * (hk_open_key / hk_query_value_ex).
 *
 * libhivex needs an uncompressed file: each hive is inflated into a private
 * temporary folder (removed at exit by the process that made it). hivekit
 * opens the same inflated file, and the .gz directly for a cross-check.
 *
 * Where hivekit is deliberately stricter than libhivex (a list out of order,
 * a corrupt list, a truncated file), the table `strict` below states
 * hivekit's exact behaviour instead: which key, which call, which index,
 * which status. Any error that is not in the table, and any entry of the
 * table that does not happen, fails the test.
 *
 * Hives libhivex refuses (hivex_open(path, 0) == NULL) are not compared; the
 * test prints libhivex's reason and reads them with hivekit alone, which
 * must succeed. In this corpus: yarp/GarbageHive (libhivex: "bad checksum in
 * hive header" -- the stored checksum is the bytes "INVL"; hivekit opens it
 * as dirty, as its API promises, and ignores the trailing garbage).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <hivex.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hivekit.h"
#include "corpus.h"
#include "files.h"
#include "log_corpus.h"
#include "tempdir.h"

Suite *test_suite(void);


#define MAX_HIVES 256
#define MAX_REPORTED 25

/* ---- where hivekit is stricter than libhivex --------------------------- */

struct strict_case {
    const char *hive;  /* relative to the corpus folder */
    const char *path;  /* key whose list fails, "" for the root */
    const char *call;  /* "enum_key" (hk_enum_key_ex + hk_open_subkey_at),
                        * "open_key" (by name), "enum_value", "open" (the hive) */
    uint32_t index;    /* the first index that fails */
    hk_status status;  /* hivekit's status there */
    const char *why;
};

static const struct strict_case strict[] = {
    /* Windows binary-searches subkey lists: an entry that sorts before its
     * predecessor hides keys from lookups, so hivekit refuses the list at the
     * first entry out of order. libhivex returns the stored order as is.
     * Key "1": entry 1 sorts before entry 0. */
    {"yarp/WrongOrderHive.gz", "1", "enum_key", 1, HK_ERROR_BADDB,
     "subkey list of \"1\" not sorted"},
    /* Key "2": Cyrillic а, б, г, в (upcased А Б Г В): entry 3 sorts before
     * entry 2. */
    {"yarp/WrongOrderHive.gz", "2", "enum_key", 3, HK_ERROR_BADDB,
     "subkey list of \"2\" not sorted"},
    /* Lookup by name in key "1"'s unsorted list (2, 1, 3, 4): hivekit
     * binary-searches as Windows does, so the misplaced "2" (entry 0) is not
     * found (FILE_NOT_FOUND, not BADDB); libhivex scans linearly. */
    {"yarp/WrongOrderHive.gz", "1", "open_key", 0, HK_ERROR_FILE_NOT_FOUND,
     "misplaced key invisible to a binary search, as on Windows"},
    /* Keys "2" and "3" share one subkey list; its only key ("subkey") names
     * "3" as its parent. hivekit checks each child's parent link and refuses
     * the list of "2"; libhivex lists "subkey" under both (yarp refuses too). */
    {"yarp/BadListHive.gz", "2", "enum_key", 0, HK_ERROR_BADDB,
     "subkey list shared with key \"3\": child's parent link is \"3\""},
    /* The file is cut to 12288 bytes while the base block declares 0x77000
     * bytes of bins: hivekit refuses it at open; libhivex reads the bins
     * that survive. */
    {"yarp/TruncatedHive.gz", "", "open", 0, HK_ERROR_BADDB,
     "bins size in the base block runs past the end of the file"},
};

/* ---- corpus discovery and the temporary folder ------------------------- */

static char *g_hives[MAX_HIVES];
static size_t g_nhives;
static char g_corpus_error[512];
static char g_tmpdir[4096];
static pid_t g_tmp_owner;

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void find_hives(const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (!g_corpus_error[0])
            snprintf(g_corpus_error, sizeof g_corpus_error, "cannot open %s: %s", dir,
                     strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char full[4096], sub[1024];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            find_hives(full, sub);
        } else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".gz") &&
                   !strstr(e->d_name, ".LOG") && g_nhives < MAX_HIVES) {
            g_hives[g_nhives++] = strdup(sub);
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void remove_tmpdir(void)
{
    if (!g_tmpdir[0] || getpid() != g_tmp_owner)
        return; /* a forked test process: the parent cleans up */
    tempdir_remove(strdup(g_tmpdir));
}

/* ---- the walk ---------------------------------------------------------- */

struct walk {
    hive_h *hx;
    hk_hive *hk;
    const char *hive;
    char path[8192];   /* printable path of the key being compared */
    size_t keys, values, lookups;
    size_t failures;
    char first[1024];
    int hit[sizeof strict / sizeof strict[0]];
};

__attribute__((format(printf, 2, 3))) static void mismatch(struct walk *w, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (w->failures == 0)
        snprintf(w->first, sizeof w->first, "%.150s: [%.400s] %.400s", w->hive, w->path, msg);
    if (w->failures < MAX_REPORTED)
        fprintf(stderr, "DIFF %s: [%s] %s\n", w->hive, w->path, msg);
    w->failures++;
}

/* Appends a printable form of name (bytes; NUL shown as \0) to the path. */
static size_t path_push(struct walk *w, const char *name, size_t len)
{
    size_t old = strlen(w->path);
    size_t n = old;
    if (n && n + 1 < sizeof w->path)
        w->path[n++] = '\\';
    for (size_t i = 0; i < len && n + 3 < sizeof w->path; i++) {
        if (name[i] == '\0') {
            w->path[n++] = '\\';
            w->path[n++] = '0';
        } else {
            w->path[n++] = name[i];
        }
    }
    w->path[n] = '\0';
    return old;
}

/* A hivekit error while walking: expected (in `strict`) or a failure. */
static void hk_error(struct walk *w, const char *call, uint32_t index, hk_status st)
{
    for (size_t i = 0; i < sizeof strict / sizeof strict[0]; i++) {
        const struct strict_case *c = &strict[i];
        if (strcmp(c->hive, w->hive) == 0 && strcmp(c->path, w->path) == 0 &&
            strcmp(c->call, call) == 0 && c->index == index && c->status == st) {
            w->hit[i]++;
            printf("note %s: [%s] hivekit %s[%u] -> %u as expected (%s); libhivex does not "
                   "check this\n",
                   w->hive, w->path, call, index, st, c->why);
            return;
        }
    }
    mismatch(w, "hivekit %s[%u] failed: %u %s (%s)", call, index, st, hk_strerror(st),
             hk_errmsg());
}

static void compare_value(struct walk *w, hk_key *key, hive_value_h hv, uint32_t i)
{
    size_t hx_name_len = hivex_value_key_len(w->hx, hv);
    char *hx_name = hivex_value_key(w->hx, hv);
    hive_type hx_type;
    size_t hx_len = 0;
    char *hx_data = hivex_value_value(w->hx, hv, &hx_type, &hx_len);
    if (!hx_name || !hx_data) {
        mismatch(w, "libhivex cannot read value %u: %s", i, strerror(errno));
        free(hx_name);
        free(hx_data);
        return;
    }
    size_t name_size = 0, data_size = 0;
    uint32_t type = 0;
    hk_status st = hk_enum_value(key, i, NULL, &name_size, NULL, NULL, &data_size);
    char *name = NULL;
    unsigned char *data = NULL;
    if (st == HK_ERROR_SUCCESS) {
        name = malloc(name_size);
        data = malloc(data_size ? data_size : 1);
        ck_assert(name && data);
        st = hk_enum_value(key, i, name, &name_size, &type, data, &data_size);
    }
    if (st != HK_ERROR_SUCCESS) {
        hk_error(w, "enum_value", i, st);
    } else {
        if (name_size != hx_name_len || memcmp(name, hx_name, name_size) != 0)
            mismatch(w, "value %u name: hivekit \"%s\" (%zu bytes), libhivex \"%s\" (%zu)", i,
                     name, name_size, hx_name, hx_name_len);
        if (type != (uint32_t)hx_type)
            mismatch(w, "value %u \"%s\" type: hivekit %u, libhivex %u", i, hx_name, type,
                     (unsigned)hx_type);
        if (data_size != hx_len || (hx_len && memcmp(data, hx_data, hx_len) != 0)) {
            size_t at = 0;
            while (at < data_size && at < hx_len && data[at] == (unsigned char)hx_data[at])
                at++;
            mismatch(w, "value %u \"%s\" data: hivekit %zu bytes, libhivex %zu, first "
                     "difference at byte %zu", i, hx_name, data_size, hx_len, at);
        }
        /* The lookup by name must find the same value (names hold no NUL). */
        if (strlen(hx_name) == hx_name_len) {
            size_t qsize = data_size;
            uint32_t qtype = 0;
            unsigned char *q = malloc(qsize ? qsize : 1);
            ck_assert(q != NULL);
            hk_status qs = hk_query_value_ex(key, hx_name, &qtype, q, &qsize);
            if (qs != HK_ERROR_SUCCESS)
                mismatch(w, "hk_query_value_ex(\"%s\") failed: %u", hx_name, qs);
            else if (qtype != type || qsize != data_size || (qsize && memcmp(q, data, qsize)))
                mismatch(w, "hk_query_value_ex(\"%s\") differs from hk_enum_value(%u)",
                         hx_name, i);
            else
                w->lookups++;
            free(q);
        }
        w->values++;
    }
    free(name);
    free(data);
    free(hx_name);
    free(hx_data);
}

static void compare_key(struct walk *w, hive_node_h node, hk_key *key);

/* Compares subkey i of key; returns nonzero when hivekit could not reach it
 * (the rest of the list is then skipped). */
static int compare_child(struct walk *w, hk_key *key, hive_node_h child, uint32_t i)
{
    size_t hx_len = hivex_node_name_len(w->hx, child);
    char *hx_name = hivex_node_name(w->hx, child);
    if (!hx_name) {
        mismatch(w, "libhivex cannot read the name of subkey %u: %s", i, strerror(errno));
        return 0;
    }
    uint64_t hx_time = (uint64_t)hivex_node_timestamp(w->hx, child);
    /* Names are sized first (a NULL buffer asks for the size with the NUL);
     * they may hold NULs, so only the returned sizes count. */
    char *name = NULL, *own = NULL;
    size_t need = 0, name_size = 0, own_size = 0;
    uint64_t lw = 0;
    hk_key *sub = NULL;
    hk_status st = hk_enum_key_ex(key, i, NULL, &need, NULL);
    if (st == HK_ERROR_SUCCESS) {
        name = malloc(need);
        ck_assert(name != NULL);
        name_size = need;
        st = hk_enum_key_ex(key, i, name, &name_size, &lw);
    }
    if (st == HK_ERROR_SUCCESS)
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &sub);
    if (st != HK_ERROR_SUCCESS) {
        hk_error(w, "enum_key", i, st);
        free(name);
        free(hx_name);
        return 1;
    }
    if (name_size + 1 != need)
        mismatch(w, "subkey %u: size query said %zu bytes, %zu written", i, need, name_size);
    if (name_size != hx_len || memcmp(name, hx_name, hx_len) != 0)
        mismatch(w, "subkey %u name: hivekit \"%s\" (%zu bytes), libhivex \"%s\" (%zu)", i, name,
                 name_size, hx_name, hx_len);
    if (lw != hx_time)
        mismatch(w, "subkey %u \"%s\" hk_enum_key_ex time %" PRIu64 ", libhivex %" PRIu64, i,
                 hx_name, lw, hx_time);
    st = hk_key_name(sub, NULL, &own_size);
    if (st == HK_ERROR_SUCCESS) {
        own = malloc(own_size);
        ck_assert(own != NULL);
        st = hk_key_name(sub, own, &own_size);
    }
    if (st != HK_ERROR_SUCCESS || own_size != hx_len || memcmp(own, hx_name, hx_len) != 0)
        mismatch(w, "subkey %u hk_key_name: status %u, \"%s\"", i, st, own ? own : "");
    free(own);
    free(name);
    /* Lookup by name (OpenKey) must reach the same key, where a name can be
     * a path component at all (no NUL, no backslash). */
    if (strlen(hx_name) == hx_len && !strchr(hx_name, '\\')) {
        hk_key *by_name = NULL;
        hk_key_info a = HK_KEY_INFO_INIT, b = HK_KEY_INFO_INIT;
        memset(&a, 0, sizeof a); /* memcmp below: padding too */
        memset(&b, 0, sizeof b);
        a.size = b.size = sizeof a;
        st = hk_open_key(key, hx_name, 0, HK_KEY_READ, &by_name);
        if (st != HK_ERROR_SUCCESS) {
            hk_error(w, "open_key", i, st);
        } else {
            if (hk_query_info_key(by_name, NULL, NULL, &a) != HK_ERROR_SUCCESS ||
                hk_query_info_key(sub, NULL, NULL, &b) != HK_ERROR_SUCCESS ||
                memcmp(&a, &b, sizeof a) != 0)
                mismatch(w, "hk_open_key(\"%s\") reached another key than index %u", hx_name,
                         i);
            else
                w->lookups++;
            hk_close_key(by_name);
        }
    }
    size_t old = path_push(w, hx_name, hx_len);
    compare_key(w, child, sub);
    w->path[old] = '\0';
    hk_close_key(sub);
    free(hx_name);
    return 0;
}

static void compare_key(struct walk *w, hive_node_h node, hk_key *key)
{
    hk_key_info info = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(key, NULL, NULL, &info);
    w->keys++;
    if (st != HK_ERROR_SUCCESS) {
        hk_error(w, "query_info", 0, st);
        return;
    }
    uint64_t hx_time = (uint64_t)hivex_node_timestamp(w->hx, node);
    if (info.last_write != hx_time)
        mismatch(w, "last write: hivekit %" PRIu64 ", libhivex %" PRIu64, info.last_write,
                 hx_time);

    hive_value_h *vals = hivex_node_values(w->hx, node);
    if (!vals) {
        mismatch(w, "libhivex cannot list values: %s", strerror(errno));
    } else {
        uint32_t nv = 0;
        while (vals[nv])
            nv++;
        if (info.values != nv)
            mismatch(w, "value count: hivekit %u, libhivex %u", info.values, nv);
        for (uint32_t i = 0; i < nv; i++)
            compare_value(w, key, vals[i], i);
        size_t ns = 0;
        st = hk_enum_value(key, nv, NULL, &ns, NULL, NULL, NULL);
        if (st != HK_ERROR_NO_MORE_ITEMS)
            mismatch(w, "hk_enum_value(%u) past the end: %u, want NO_MORE_ITEMS", nv, st);
        free(vals);
    }

    hive_node_h *kids = hivex_node_children(w->hx, node);
    if (!kids) {
        mismatch(w, "libhivex cannot list subkeys: %s", strerror(errno));
        return;
    }
    uint32_t nk = 0;
    while (kids[nk])
        nk++;
    if (info.subkeys != nk)
        mismatch(w, "subkey count: hivekit %u, libhivex %u", info.subkeys, nk);
    size_t before = w->failures;
    uint32_t i;
    for (i = 0; i < nk; i++)
        if (compare_child(w, key, kids[i], i) || w->failures - before > 50)
            break; /* this list failed (as expected or not): skip the rest */
    if (i == nk) {
        char nm[8];
        size_t ns = sizeof nm;
        st = hk_enum_key(key, nk, nm, &ns);
        if (st != HK_ERROR_NO_MORE_ITEMS)
            mismatch(w, "hk_enum_key(%u) past the end: %u, want NO_MORE_ITEMS", nk, st);
    }
    free(kids);
}

/* Where libhivex refuses a hive, hivekit must still read all of it: every
 * key reachable, every value's data readable, counts as QueryInfoKey says. */
static void walk_key_hk(struct walk *w, hk_key *key)
{
    hk_key_info info = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(key, NULL, NULL, &info);
    w->keys++;
    if (st != HK_ERROR_SUCCESS) {
        hk_error(w, "query_info", 0, st);
        return;
    }
    for (uint32_t i = 0; i < info.values; i++) {
        size_t ns = 0, ds = 0;
        st = hk_enum_value(key, i, NULL, &ns, NULL, NULL, &ds);
        if (st != HK_ERROR_SUCCESS) {
            hk_error(w, "enum_value", i, st);
            break;
        }
        w->values++;
    }
    for (uint32_t i = 0; i < info.subkeys; i++) {
        char name[1024];
        size_t ns = sizeof name;
        hk_key *sub = NULL;
        st = hk_enum_key(key, i, name, &ns);
        if (st == HK_ERROR_SUCCESS)
            st = hk_open_subkey_at(key, i, HK_KEY_READ, &sub);
        if (st != HK_ERROR_SUCCESS) {
            hk_error(w, "enum_key", i, st);
            break;
        }
        size_t old = path_push(w, name, ns);
        walk_key_hk(w, sub);
        w->path[old] = '\0';
        hk_close_key(sub);
    }
}

static void walk_hivekit_only(struct walk *w)
{
    hk_key *root = NULL;
    hk_status st = hk_hive_root(w->hk, &root);
    if (st != HK_ERROR_SUCCESS) {
        hk_error(w, "root", 0, st);
        return;
    }
    walk_key_hk(w, root);
    hk_close_key(root);
    printf("hivekit alone read %s: %zu keys, %zu values\n", w->hive, w->keys, w->values);
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(test_corpus_present)
{
    ck_assert_msg(g_corpus_error[0] == '\0', "corpus: %s (corpus folder %s)", g_corpus_error,
                  corpus_dir());
    ck_assert_msg(g_nhives > 0, "no hive (*.gz) found below %s", corpus_dir());
    ck_assert_msg(g_tmpdir[0] != '\0', "no temporary folder");
}
END_TEST

START_TEST(test_hive)
{
    ck_assert_msg(g_corpus_error[0] == '\0' && (size_t)_i < g_nhives, "corpus: %s",
                  g_corpus_error);
    const char *rel = g_hives[_i];
    char gz[4096], plain[8192];
    corpus_path(gz, sizeof gz, rel);
    snprintf(plain, sizeof plain, "%s/%s", g_tmpdir, rel);
    for (char *p = plain + strlen(g_tmpdir) + 1; *p; p++)
        if (*p == '/')
            *p = '_';
    plain[strlen(plain) - 3] = '\0'; /* drop ".gz" */
    lc_inflate_to(gz, plain);

    /* hivekit: the .gz and the inflated copy must open alike. */
    char msg[256];
    hk_open_options o_gz = HK_OPEN_OPTIONS_INIT;
    o_gz.flags = HK_OPEN_READONLY;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_READONLY;
    hk_hive *hk_gz = NULL, *hk = NULL;
    hk_status st_gz = hk_hive_open(gz, &o_gz, &hk_gz);
    hk_status st = hk_hive_open(plain, &o, &hk);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    hk_hive_close(hk_gz);

    hive_h *hx = hivex_open(plain, 0);
    int hx_errno = errno;
    struct walk w;
    memset(&w, 0, sizeof w);
    w.hx = hx;
    w.hk = hk;
    w.hive = rel;
    if (st_gz != st)
        mismatch(&w, "hk_hive_open: .gz %u, inflated %u", st_gz, st);
    if (!hx) {
        /* Not compared: libhivex refuses the file. Say why, and what hivekit
         * makes of it. */
        printf("note %s: libhivex refuses it (%s); hivekit open: %u %s%s%s\n", rel,
               strerror(hx_errno), st, hk_strerror(st), msg[0] ? ": " : "", msg);
        hive_h *again = hivex_open(plain, HIVEX_OPEN_VERBOSE); /* prints the reason */
        if (again)
            hivex_close(again);
        if (st == HK_ERROR_SUCCESS)
            walk_hivekit_only(&w);
    } else if (st != HK_ERROR_SUCCESS) {
        printf("note %s: libhivex opens it, hivekit refuses it: %u %s\n", rel, st, msg);
        hk_error(&w, "open", 0, st);
        hivex_close(hx);
    } else {
        hk_key *root = NULL;
        st = hk_hive_root(hk, &root);
        ck_assert_msg(st == HK_ERROR_SUCCESS, "%s: hk_hive_root %u", rel, st);
        hive_node_h hroot = hivex_root(hx);
        size_t hx_len = hivex_node_name_len(hx, hroot);
        char *hx_name = hivex_node_name(hx, hroot);
        char name[1024];
        size_t name_size = sizeof name;
        st = hk_key_name(root, name, &name_size);
        if (!hx_name || st != HK_ERROR_SUCCESS || name_size != hx_len ||
            memcmp(name, hx_name, hx_len) != 0)
            mismatch(&w, "root name: hivekit \"%s\" (%u), libhivex \"%s\"", name, st,
                     hx_name ? hx_name : "(error)");
        free(hx_name);
        compare_key(&w, hroot, root);
        hk_close_key(root);
        hivex_close(hx);
        printf("compared %s: %zu keys, %zu values (%zu name lookups)\n", rel, w.keys, w.values,
               w.lookups);
    }
    for (size_t c = 0; c < sizeof strict / sizeof strict[0]; c++)
        if (strcmp(strict[c].hive, rel) == 0 && w.hit[c] != 1)
            mismatch(&w, "expected hivekit %s[%u] at [%s] to fail with %u (%s): seen %d times",
                     strict[c].call, strict[c].index, strict[c].path, strict[c].status,
                     strict[c].why, w.hit[c]);
    hk_hive_close(hk);
    unlink(plain);
    fflush(stdout);
    ck_assert_msg(w.failures == 0, "%zu difference(s); first: %s", w.failures, w.first);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("differential");
    find_hives(corpus_dir(), "");
    qsort(g_hives, g_nhives, sizeof g_hives[0], cmp_str);

    const char *tmp = getenv("TMPDIR");
    snprintf(g_tmpdir, sizeof g_tmpdir, "%s/hk-differential-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_tmpdir)) {
        g_tmpdir[0] = '\0';
    } else {
        g_tmp_owner = getpid();
        atexit(remove_tmpdir);
    }

    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_corpus_present);
    if (g_nhives)
        tcase_add_loop_test(tc, test_hive, 0, (int)g_nhives);
    suite_add_tcase(s, tc);
    return s;
}
