/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the text suites share (see text_support.h). */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hivex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text_support.h"
#include "log_corpus.h"
#include "program.h"
#include "tempdir.h"
#include "corpus.h"
#include "hivex_walk.h"

char tmp_dir[256];
char out_path[300], err_path[300]; /* default stdout and stderr of runs */

/* ---- files and programs ----------------------------------------------- */

char *tmp_path(const char *name)
{
    static char bufs[32][512];
    static int next;
    char *b = bufs[next++ % 32];
    snprintf(b, sizeof bufs[0], "%s/%s", tmp_dir, name);
    return b;
}

void copy_file(const char *from, const char *to)
{
    size_t len;
    char *d = slurp(from, &len);
    spit(to, d, len);
    free(d);
}

int same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    int same = la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

/* Runs argv (NULL-terminated) with stdout to out and stderr to err (NULL:
 * files in the temp folder); returns the exit status. */
int run_to(const char *out, const char *err, const char *const *argv)
{
    int fo = open(out ? out : out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fo, 0);
    int fe = open(err ? err : err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fe, 0);
    pid_t pid = spawn_program(argv, fo, fe);
    close(fo);
    close(fe);
    return wait_exit(pid);
}

char *last_stderr(void)
{
    size_t len;
    return slurp(err_path, &len);
}

void assert_ok(int status)
{
    if (status != 0) {
        char *e = last_stderr();
        ck_abort_msg("exit status %d: %s", status, e);
    }
}

/* ---- trees through libhivex ------------------------------------------- */

struct dump {
    char *p;
    size_t len, cap;
};

static void dump_add(struct dump *d, const void *s, size_t n)
{
    if (d->cap - d->len < n + 1) {
        d->cap = (d->cap + n + 1) * 2;
        d->p = realloc(d->p, d->cap);
        ck_assert_ptr_nonnull(d->p);
    }
    memcpy(d->p + d->len, s, n);
    d->len += n;
    d->p[d->len] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void dump_fmt(struct dump *d, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ck_assert_msg(n >= 0 && (size_t)n < sizeof buf, "dump line of %d bytes", n);
    dump_add(d, buf, (size_t)n);
}

/* Every key (path), value (name, type, exact bytes) in hive order. */
static void dump_key(void *ctx, hive_h *h, hive_node_h node, const char *path)
{
    (void)h, (void)node;
    dump_fmt(ctx, "K %s\n", path);
}

static void dump_value(void *ctx, const char *path, const char *name, uint32_t type,
                       const uint8_t *data, size_t len)
{
    struct dump *d = ctx;
    dump_fmt(d, "V %s [%s] %u %zu ", path, name, (unsigned)type, len);
    for (size_t k = 0; k < len; k++)
        dump_fmt(d, "%02x", data[k]);
    dump_add(d, "\n", 1);
}

/* The tree of a plain or gzip hive file as text. */
char *tree_of(const char *path)
{
    const char *plain = path;
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
        plain = tmp_path("tree.hive");
        lc_inflate_to(path, plain);
    }
    hive_h *h = hivex_open(plain, 0);
    ck_assert_msg(h != NULL, "hivex cannot open %s", path);
    struct dump d = {0};
    dump_add(&d, "", 0);
    const struct hx_visit v = {dump_key, dump_value, &d};
    hx_walk(h, hivex_root(h), "", &v);
    hivex_close(h);
    return d.p;
}

static int line_cmp(const void *x, const void *y)
{
    return strcasecmp(*(char *const *)x, *(char *const *)y);
}

/* The lines of t sorted case-insensitively, joined again (in place). */
static void sort_lines(char *t)
{
    size_t n = 0, cap = 1024;
    char **lines = malloc(cap * sizeof *lines);
    for (char *s = strtok(t, "\n"); s; s = strtok(NULL, "\n")) {
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof *lines);
        lines[n++] = strdup(s);
    }
    qsort(lines, n, sizeof *lines, line_cmp);
    t[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        strcat(t, lines[i]);
        strcat(t, "\n");
        free(lines[i]);
    }
    free(lines);
}

/* Equal trees; registry_view: the registry's view, where names compare
 * ASCII case-insensitively and value order does not count (a patch does
 * not rename "SOFTWARE" to "Software" nor reorder values). */
void assert_tree_eq(const char *a, const char *b, int fold_case)
{
    char *ta = tree_of(a), *tb = tree_of(b);
    if (fold_case) {
        sort_lines(ta);
        sort_lines(tb);
    }
    if ((fold_case ? strcasecmp(ta, tb) : strcmp(ta, tb)) != 0) {
        size_t i = 0;
        while (ta[i] && (fold_case ? tolower((unsigned char)ta[i]) == tolower((unsigned char)tb[i])
                                   : ta[i] == tb[i]))
            i++;
        size_t from = i > 80 ? i - 80 : 0;
        ck_abort_msg("%s and %s differ at byte %zu:\n%.160s\n---\n%.160s", a, b, i, ta + from,
                     tb + from);
    }
    free(ta);
    free(tb);
}

void assert_same_tree(const char *a, const char *b)
{
    assert_tree_eq(a, b, 0);
}

/* UTF-8 (well-formed) to UTF-16LE with a BOM: what --encoding utf-16le
 * must write for the same text. */
char *utf16le_of(const char *s, size_t n, size_t *out_len)
{
    char *o = malloc(4 * n + 2);
    size_t k = 0;
    o[k++] = (char)0xFF;
    o[k++] = (char)0xFE;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        cp = len == 1 ? c : c & (0x7Fu >> len);
        for (size_t j = 1; j < len; j++)
            cp = cp << 6 | ((unsigned char)s[i + j] & 0x3Fu);
        i += len;
        unsigned units[2] = {cp, 0};
        int count = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            count = 2;
        }
        for (int u = 0; u < count; u++) {
            o[k++] = (char)(units[u] & 0xFF);
            o[k++] = (char)(units[u] >> 8);
        }
    }
    *out_len = k;
    return o;
}

void setup(void)
{
    char *dir = tempdir_new("text");
    ck_assert_uint_lt(strlen(dir), sizeof tmp_dir);
    strcpy(tmp_dir, dir);
    free(dir);
    snprintf(out_path, sizeof out_path, "%s/stdout", tmp_dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", tmp_dir);
    setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH, 1);
}

void teardown(void)
{
    if (!tempdir_remove(strdup(tmp_dir)))
        fprintf(stderr, "could not remove %s\n", tmp_dir);
}

const char *corpus_file(const char *rel)
{
    static char path[600];
    corpus_path(path, sizeof path, rel);
    ck_assert_msg(access(path, R_OK) == 0, "corpus hive %s missing", path);
    return path;
}

