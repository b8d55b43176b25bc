/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The text formats end to end, through the built hivekit program
 * (HIVEKIT_BIN): exact export bytes of the fixture hives (FIXTURES_SRC holds
 * the specs, FIXTURES_BUILD the hives meson built from them), reproducible
 * builds, every corpus hive through export -> build and export -> import ->
 * export, hivexregedit's export and merge (HIVEXREGEDIT), compare and its
 * patches, and located errors for malformed files. Trees are compared with
 * libhivex, not with hivekit.
 */
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
#include <sys/wait.h>
#include <unistd.h>

Suite *test_suite(void);

#define FIXTURE_EPOCH "1700000000"

static char tmp_dir[256];
static char out_path[300], err_path[300]; /* default stdout and stderr of runs */

/* ---- files and programs ----------------------------------------------- */

static char *tmp_path(const char *name)
{
    static char bufs[32][512];
    static int next;
    char *b = bufs[next++ % 32];
    snprintf(b, sizeof bufs[0], "%s/%s", tmp_dir, name);
    return b;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *d = slurp(from, &len);
    spit(to, d, len);
    free(d);
}

static int same_file(const char *a, const char *b)
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
static int run_to(const char *out, const char *err, const char *const *argv)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fo = open(out ? out : out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err ? err : err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(127);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ck_assert_int_eq(errno, EINTR);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define HK(...) run_to(NULL, NULL, (const char *const[]){HIVEKIT_BIN, __VA_ARGS__, NULL})
#define HK_OUT(out, ...) run_to(out, NULL, (const char *const[]){HIVEKIT_BIN, __VA_ARGS__, NULL})

static char *last_stderr(void)
{
    size_t len;
    return slurp(err_path, &len);
}

static void assert_ok(int status)
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

static void dump_fmt(struct dump *d, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    dump_add(d, buf, (size_t)n);
}

/* Every key (path), value (name, type, exact bytes) in hive order. */
static void dump_node(hive_h *h, hive_node_h node, struct dump *d, const char *path)
{
    dump_fmt(d, "K %s\n", path);
    hive_value_h *vals = hivex_node_values(h, node);
    ck_assert_ptr_nonnull(vals);
    for (size_t i = 0; vals[i]; i++) {
        char *name = hivex_value_key(h, vals[i]);
        hive_type t;
        size_t len;
        char *data = hivex_value_value(h, vals[i], &t, &len);
        ck_assert_ptr_nonnull(name);
        ck_assert_ptr_nonnull(data);
        dump_fmt(d, "V %s [%s] %u %zu ", path, name, (unsigned)t, len);
        for (size_t k = 0; k < len; k++)
            dump_fmt(d, "%02x", (unsigned char)data[k]);
        dump_add(d, "\n", 1);
        free(name);
        free(data);
    }
    free(vals);
    hive_node_h *kids = hivex_node_children(h, node);
    ck_assert_ptr_nonnull(kids);
    for (size_t i = 0; kids[i]; i++) {
        char *name = hivex_node_name(h, kids[i]);
        ck_assert_ptr_nonnull(name);
        size_t n = strlen(path) + strlen(name) + 2;
        char *sub = malloc(n);
        snprintf(sub, n, "%s\\%s", path, name);
        dump_node(h, kids[i], d, sub);
        free(sub);
        free(name);
    }
    free(kids);
}

/* The tree of a plain or gzip hive file as text. */
static char *tree_of(const char *path)
{
    const char *plain = path;
    size_t n = strlen(path);
    if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
        plain = tmp_path("tree.hive");
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "gzip -dc '%s' > '%s'", path, plain);
        ck_assert_int_eq(system(cmd), 0);
    }
    hive_h *h = hivex_open(plain, 0);
    ck_assert_msg(h != NULL, "hivex cannot open %s", path);
    struct dump d = {0};
    dump_add(&d, "", 0);
    dump_node(h, hivex_root(h), &d, "");
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
static void assert_tree_eq(const char *a, const char *b, int fold_case)
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

static void assert_same_tree(const char *a, const char *b)
{
    assert_tree_eq(a, b, 0);
}

/* UTF-8 (well-formed) to UTF-16LE with a BOM: what --encoding utf-16le
 * must write for the same text. */
static char *utf16le_of(const char *s, size_t n, size_t *out_len)
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

static const struct fixture {
    const char *name, *prefix;
} fixtures[] = {
    {"user", "HKEY_CURRENT_USER"},
    {"system", "HKEY_LOCAL_MACHINE\\SYSTEM"},
};

static void setup(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "%s/hivekit-text-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    snprintf(out_path, sizeof out_path, "%s/stdout", tmp_dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", tmp_dir);
    setenv("SOURCE_DATE_EPOCH", FIXTURE_EPOCH, 1);
}

static void teardown(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp_dir);
}

/* ---- exact bytes of the fixture hives ---------------------------------- */

START_TEST(fixture_exports_are_their_specs_byte_for_byte)
{
    const struct fixture *f = &fixtures[_i];
    char spec[512], hive[512];
    snprintf(spec, sizeof spec, "%s/%s.reg", FIXTURES_SRC, f->name);
    snprintf(hive, sizeof hive, "%s/%s.hive", FIXTURES_BUILD, f->name);
    const char *out = tmp_path("out.reg");
    assert_ok(HK("export", hive, "--format", "reg", "--encoding", "utf-8", "--prefix", f->prefix,
                 "-o", out));
    ck_assert_msg(same_file(out, spec), "%s export differs from its spec", f->name);

    /* The default encoding: the same text as UTF-16LE with a BOM. */
    size_t len, wlen, got_len;
    char *text = slurp(spec, &len);
    char *want = utf16le_of(text, len, &wlen);
    assert_ok(HK("export", hive, "--format", "reg", "--prefix", f->prefix, "-o", out));
    char *got = slurp(out, &got_len);
    ck_assert_uint_eq(got_len, wlen);
    ck_assert(memcmp(got, want, wlen) == 0);
    free(text);
    free(want);
    free(got);
}
END_TEST

START_TEST(build_is_reproducible_and_follows_source_date_epoch)
{
    const struct fixture *f = &fixtures[_i];
    char spec[512], hive[512];
    snprintf(spec, sizeof spec, "%s/%s.reg", FIXTURES_SRC, f->name);
    snprintf(hive, sizeof hive, "%s/%s.hive", FIXTURES_BUILD, f->name);
    assert_ok(HK("build", spec, "-o", tmp_path("a.hive")));
    assert_ok(HK("build", spec, "-o", tmp_path("b.hive")));
    ck_assert(same_file(tmp_path("a.hive"), tmp_path("b.hive")));
    ck_assert(same_file(tmp_path("a.hive"), hive));
    /* A gzip-compressed spec reads the same. */
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "gzip -c '%s' > '%s'", spec, tmp_path("spec.reg.gz"));
    ck_assert_int_eq(system(cmd), 0);
    assert_ok(HK("build", tmp_path("spec.reg.gz"), "-o", tmp_path("gz.hive")));
    ck_assert(same_file(tmp_path("gz.hive"), hive));
    setenv("SOURCE_DATE_EPOCH", "1600000000", 1);
    assert_ok(HK("build", spec, "-o", tmp_path("c.hive")));
    ck_assert(!same_file(tmp_path("a.hive"), tmp_path("c.hive")));
    assert_same_tree(tmp_path("a.hive"), tmp_path("c.hive"));
}
END_TEST

START_TEST(hive_version_and_root_name_options)
{
    char spec[512];
    snprintf(spec, sizeof spec, "%s/user.reg", FIXTURES_SRC);
    assert_ok(HK("build", spec, "-o", tmp_path("v3.hive"), "--hive-version", "1.3",
                 "--root-name", "NTUSER"));
    size_t len;
    char *d = slurp(tmp_path("v3.hive"), &len);
    ck_assert_uint_ge(len, 4096);
    ck_assert_uint_eq((unsigned char)d[0x18], 3); /* minor version */
    free(d);
    assert_ok(HK_OUT(tmp_path("q.txt"), "query", tmp_path("v3.hive"), "Console", "-v", "FaceName"));
    d = slurp(tmp_path("q.txt"), &len);
    ck_assert_str_eq(d, "\nHKEY_LOCAL_MACHINE\\NTUSER\\Console\n"
                        "    FaceName    REG_SZ    Consolas\n\n");
    free(d);
}
END_TEST

START_TEST(reg4_is_ansi_and_round_trips)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/user.hive", FIXTURES_BUILD);
    const char *out = tmp_path("u4.reg");
    assert_ok(HK("export", hive, "--format", "reg4", "--prefix", "HKEY_CURRENT_USER", "-o", out));
    size_t len;
    char *d = slurp(out, &len);
    ck_assert(strncmp(d, "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER]\r\n", 33) == 0);
    /* hex(2) holds ANSI bytes (no 00 after each character), NUL-ended. */
    ck_assert_ptr_nonnull(strstr(d, "\r\n\"TEMP\"=hex(2):25,55,53,45,52,50,52,4f,46,49,4c,45,25,5c,41,"
                                    "70,70,44,61,74,61,\\\r\n  5c,4c,6f,63,61,6c,5c,54,65,6d,70,00\r\n"));
    ck_assert_ptr_nonnull(strstr(d, "\"Plugins\"=hex(7):61,6c,70,68,61,00,62,65,74,61,00,67,61,6d,"
                                    "6d,61,00,00\r\n"));
    free(d);
    assert_ok(HK("build", out, "-o", tmp_path("u4.hive")));
    assert_same_tree(hive, tmp_path("u4.hive"));
}
END_TEST

START_TEST(reg4_refuses_what_ansi_cannot_hold)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/system.hive", FIXTURES_BUILD);
    ck_assert_int_eq(HK("export", hive, "--format", "reg4", "-o", tmp_path("s4.reg")), 2);
    char *e = last_stderr();
    char want[1024];
    snprintf(want, sizeof want,
             "hivekit: %s: key 'HKEY_LOCAL_MACHINE\\SYSTEM\\Unusual Names\\Caf\xc3\xa9 \xc3\xbcn\xc3\xaf"
             "c\xc3\xb6" "d\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e' has a name a REGEDIT4 key "
             "line cannot carry\n",
             hive);
    ck_assert_str_eq(e, want);
    free(e);
    ck_assert_int_eq(access(tmp_path("s4.reg"), F_OK), -1); /* nothing left behind */
}
END_TEST

START_TEST(json_has_exact_hex_and_decoded_data)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/system.hive", FIXTURES_BUILD);
    const char *out = tmp_path("s.json");
    assert_ok(HK("export", hive, "ValueTypes", "--format", "json", "-o", out));
    size_t len;
    char *d = slurp(out, &len);
    static const char head[] =
        "{\"hivekit_json\":1,\"root\":\n{\"name\":\"ValueTypes\",\"last_write\":"
        "133444736000000000,\"last_write_utc\":\"2023-11-14T22:13:20.0000000Z\","
        "\"values\":[\n {\"name\":\"\",\"type\":1,";
    ck_assert(strncmp(d, head, sizeof head - 1) == 0);
    static const char *const want[] = {
        "{\"name\":\"dword\",\"type\":4,\"type_name\":\"REG_DWORD\",\"size\":4,\"hex\":\"efbeadde\","
        "\"data\":3735928559}",
        "{\"name\":\"dword_short\",\"type\":4,\"type_name\":\"REG_DWORD\",\"size\":2,\"hex\":\"0102\"}",
        "{\"name\":\"dword_be\",\"type\":5,\"type_name\":\"REG_DWORD_BIG_ENDIAN\",\"size\":4,"
        "\"hex\":\"12345678\",\"data\":305419896}",
        "{\"name\":\"sz_after_nul\",\"type\":1,\"type_name\":\"REG_SZ\",\"size\":12,"
        "\"hex\":\"610000006a0075006e006b00\",\"data\":\"a\"}",
        "{\"name\":\"sz_lone_surrogate\",\"type\":1,\"type_name\":\"REG_SZ\",\"size\":6,"
        "\"hex\":\"00d841000000\",\"data\":\"\\ud800A\"}",
        "{\"name\":\"multi_sz\",\"type\":7,\"type_name\":\"REG_MULTI_SZ\",\"size\":30,"
        "\"hex\":\"6f006e0065000000740077006f000000000066006f007500720000000000\","
        "\"data\":[\"one\",\"two\",\"\",\"four\"]}",
        "{\"name\":\"qword\",\"type\":11,\"type_name\":\"REG_QWORD\",\"size\":8,"
        "\"hex\":\"0102030405060708\",\"data\":578437695752307201}",
        "{\"name\":\"type_ffff0000\",\"type\":4294901760,\"size\":2,\"hex\":\"bbcc\"}",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(d, want[i]) != NULL, "missing %s", want[i]);
    ck_assert(strcmp(d + len - 5, "[]}}\n") == 0);
    free(d);
}
END_TEST

/* ---- corpus hives ----------------------------------------------------- */

/* The corpus hives that open cleanly (not dirty, not corrupt) and whose
 * names a .reg file can carry. */
static const char *const corpus[] = {
    "hivex/minimal.gz",          "hivex/rlenvalue_test_hive.gz", "regipy/BCD.gz",
    "regipy/NTUSER-WSL.DAT.gz",  "regipy/NTUSER.DAT.gz",         "regipy/SAM.gz",
    "regipy/SYSTEM.gz",          "yarp/BigDataHive.gz",          "yarp/DeletedDataHive.gz",
    "yarp/EmptyHive.gz",         "yarp/ExtendedASCIIHive.gz",    "yarp/ManySubkeysHive.gz",
    "yarp/MultiSzHive.gz",       "yarp/NewFlagsHive.gz",         "yarp/StringValuesHive.gz",
    "yarp/UnicodeHive.gz",
};
#define N_CORPUS (int)(sizeof corpus / sizeof corpus[0])

static const char *corpus_file(const char *rel)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", CORPUS_DIR, rel);
    ck_assert_msg(access(path, R_OK) == 0, "corpus hive %s missing", path);
    return path;
}

START_TEST(corpus_export_then_build_gives_the_same_tree)
{
    const char *hive = corpus_file(corpus[_i]);
    const char *reg = tmp_path("c.reg");
    assert_ok(HK("export", hive, "--format", "reg", "-o", reg));
    assert_ok(HK("build", reg, "-o", tmp_path("c.hive")));
    assert_same_tree(hive, tmp_path("c.hive"));
}
END_TEST

START_TEST(corpus_export_import_export_is_identical)
{
    const char *hive = corpus_file(corpus[_i]);
    const char *const prefix = "HKEY_USERS\\Imported";
    assert_ok(HK("export", hive, "--format", "reg", "--prefix", prefix, "-o", tmp_path("1.reg")));
    assert_ok(HK("new", tmp_path("fresh.hive")));
    assert_ok(HK("import", tmp_path("fresh.hive"), tmp_path("1.reg")));
    assert_ok(HK("export", tmp_path("fresh.hive"), "--format", "reg", "--prefix", prefix, "-o",
                 tmp_path("2.reg")));
    ck_assert(same_file(tmp_path("1.reg"), tmp_path("2.reg")));
}
END_TEST

START_TEST(export_refuses_a_key_name_with_a_nul)
{
    const char *hive = corpus_file("hivex/special.gz");
    ck_assert_int_eq(HK("export", hive, "--format", "reg", "-o", tmp_path("sp.reg")), 2);
    char *e = last_stderr();
    char want[800];
    snprintf(want, sizeof want,
             "hivekit: %s: key 'HKEY_LOCAL_MACHINE\\$$$PROTO.HIV\\zero' has a name a .reg key "
             "line cannot carry\n",
             hive);
    ck_assert_str_eq(e, want);
    free(e);
}
END_TEST

/* ---- hivexregedit ----------------------------------------------------- */

static const char *const hivex_cases[] = {
    "regipy/NTUSER.DAT.gz", "yarp/UnicodeHive.gz", "yarp/MultiSzHive.gz",
    "yarp/StringValuesHive.gz", "hivex/rlenvalue_test_hive.gz",
};

static void gunzip_to(const char *gz, const char *plain)
{
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s' > '%s'", gz, plain);
    ck_assert_int_eq(system(cmd), 0);
}

/* A hive that hivexregedit --merge made from reg (prefix P, root R). */
static void hivex_merge(const char *reg, const char *out)
{
    assert_ok(HK("new", out, "--root-name", "R"));
    /* hivexregedit reads files in the local encoding: tell Perl it is UTF-8. */
    setenv("PERL_UNICODE", "SDA", 1);
    int st = run_to(tmp_path("merge.out"), tmp_path("merge.err"),
                    (const char *const[]){HIVEXREGEDIT, "--merge", "--prefix",
                                          "HKEY_LOCAL_MACHINE\\R", out, reg, NULL});
    unsetenv("PERL_UNICODE");
    ck_assert_int_eq(st, 0);
}

START_TEST(hivexregedit_export_imports_into_what_its_merge_makes)
{
    const char *plain = tmp_path("h.hive");
    gunzip_to(corpus_file(hivex_cases[_i]), plain);
    const char *reg = tmp_path("hx.reg");
    int st = run_to(reg, tmp_path("hx.err"),
                    (const char *const[]){HIVEXREGEDIT, "--export", "--prefix",
                                          "HKEY_LOCAL_MACHINE\\R", plain, "\\", NULL});
    ck_assert_int_eq(st, 0);
    assert_ok(HK("build", reg, "-o", tmp_path("ours.hive")));
    hivex_merge(reg, tmp_path("theirs.hive"));
    assert_same_tree(tmp_path("ours.hive"), tmp_path("theirs.hive"));
    /* hivexregedit writes values sorted by name, not in stored order. */
    assert_tree_eq(tmp_path("ours.hive"), plain, 1);
}
END_TEST

START_TEST(hivexregedit_merges_our_utf8_export_into_the_tree_we_build)
{
    const char *hive = corpus_file(hivex_cases[_i]);
    const char *reg = tmp_path("ours.reg");
    assert_ok(HK("export", hive, "--format", "reg", "--encoding", "utf-8", "--prefix",
                 "HKEY_LOCAL_MACHINE\\R", "-o", reg));
    assert_ok(HK("build", reg, "-o", tmp_path("ours.hive")));
    hivex_merge(reg, tmp_path("theirs.hive"));
    assert_same_tree(tmp_path("ours.hive"), tmp_path("theirs.hive"));
}
END_TEST

/* ---- compare ---------------------------------------------------------- */

static const char edits[] =
    "Windows Registry Editor Version 5.00\r\n"
    "\r\n"
    "[HKEY_CURRENT_USER\\Software\\Vendor\\App]\r\n"
    "\"Version\"=dword:00010204\r\n"
    "\"InstallTime\"=-\r\n"
    "\"New\"=hex(7):61,00,00,00,00,00\r\n"
    "\r\n"
    "[-HKEY_CURRENT_USER\\Environment]\r\n"
    "\r\n"
    "[HKEY_CURRENT_USER\\Added\\Deeper]\r\n"
    "@=\"x\"\r\n";

START_TEST(compare_lists_differences_and_its_patch_turns_a_into_b)
{
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    const char *a = tmp_path("a.hive"), *b = tmp_path("b.hive");
    copy_file(user, a);
    copy_file(user, b);
    spit(tmp_path("edits.reg"), edits, sizeof edits - 1);
    assert_ok(HK("import", b, tmp_path("edits.reg"), "--prefix", "HKEY_CURRENT_USER"));

    ck_assert_int_eq(HK("compare", a, a), 0);
    size_t len;
    char *d = slurp(out_path, &len);
    ck_assert_str_eq(d, "Result Compared: Identical\n");
    free(d);

    ck_assert_int_eq(HK("compare", a, b), 1);
    d = slurp(out_path, &len);
    ck_assert_str_eq(d, "< Key: \\Environment\n"
                        "< Value: \\Software\\Vendor\\App    Version    REG_DWORD    0x10203\n"
                        "> Value: \\Software\\Vendor\\App    Version    REG_DWORD    0x10204\n"
                        "< Value: \\Software\\Vendor\\App    InstallTime    REG_QWORD    "
                        "0x1d5c3a1b2c3d4e5\n"
                        "> Value: \\Software\\Vendor\\App    New    REG_MULTI_SZ    a\n"
                        "> Key: \\Added\n"
                        "Result Compared: Different\n");
    free(d);

    ck_assert_int_eq(HK("compare", a, b, "--reg", "--encoding", "utf-8", "--prefix",
                        "HKEY_CURRENT_USER"), 1);
    copy_file(out_path, tmp_path("patch.reg"));
    d = slurp(tmp_path("patch.reg"), &len);
    ck_assert_str_eq(d, "Windows Registry Editor Version 5.00\r\n"
                        "\r\n[HKEY_CURRENT_USER]\r\n"
                        "\r\n[-HKEY_CURRENT_USER\\Environment]\r\n"
                        "\r\n[HKEY_CURRENT_USER\\Software\\Vendor\\App]\r\n"
                        "\"Version\"=dword:00010204\r\n"
                        "\"InstallTime\"=-\r\n"
                        "\"New\"=hex(7):61,00,00,00,00,00\r\n"
                        "\r\n[HKEY_CURRENT_USER\\Added]\r\n"
                        "\r\n[HKEY_CURRENT_USER\\Added\\Deeper]\r\n"
                        "@=\"x\"\r\n"
                        "\r\n");
    free(d);
    assert_ok(HK("import", a, tmp_path("patch.reg")));
    ck_assert_int_eq(HK("compare", a, b), 0);
    assert_same_tree(a, b);
}
END_TEST

START_TEST(compare_patch_of_two_corpus_hives)
{
    /* NTUSER-WSL and NTUSER: different trees; the patch makes one the other. */
    const char *a = tmp_path("a.hive"), *b = tmp_path("b.hive");
    gunzip_to(corpus_file("regipy/NTUSER-WSL.DAT.gz"), a);
    gunzip_to(corpus_file("regipy/NTUSER.DAT.gz"), b);
    ck_assert_int_eq(HK("compare", a, b, "--reg"), 1);
    copy_file(out_path, tmp_path("patch.reg"));
    assert_ok(HK("import", a, tmp_path("patch.reg")));
    ck_assert_int_eq(HK("compare", a, b), 0);
    assert_tree_eq(a, b, 1);
}
END_TEST

/* ---- malformed files --------------------------------------------------- */

#define V5 "Windows Registry Editor Version 5.00\r\n\r\n"
#define KEY "[HKEY_CURRENT_USER\\Software]\r\n"
#define N16 "nnnnnnnnnnnnnnnn"
#define N256 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16 N16

static const struct bad {
    const char *text;
    const char *error; /* after "FILE:" */
} bad_files[] = {
    {"REGEDIT5\r\n", "1:1: expected the header 'Windows Registry Editor Version 5.00' or "
                     "'REGEDIT4' on the first line"},
    {"\r\n" V5, "1:1: expected the header 'Windows Registry Editor Version 5.00' or 'REGEDIT4' "
                "on the first line"},
    {V5 "[HKEY_CURRENT_USER\\A\r\n", "3:1: the key line has no closing ']'"},
    {V5 "[ HKEY_CURRENT_USER]\r\n", "3:2: a blank after '[' (write the key path right after it)"},
    {V5 "[HKEY_CURRENT_USER\\\\A]\r\n", "3:20: an empty key name in the path (two '\\' or one at an end)"},
    {V5 "\"x\"=dword:1\r\n", "3:1: a value line before any key line"},
    {V5 KEY "\"x\"=dword:123456789\r\n", "4:11: a dword has at most 8 hex digits"},
    {V5 KEY "\"x\"=dword:\r\n", "4:11: a dword needs 1 to 8 hex digits"},
    {V5 KEY "\"x\"=hex:01,02,\r\n", "4:15: a ',' not followed by a hex byte (or by '\\' to continue)"},
    {V5 KEY "\"x\"=hex:01,023\r\n", "4:14: a hex byte has at most two digits"},
    {V5 KEY "\"x\"=hex(2):41,\\\r\n,42\r\n", "5:1: a continued line must start with a hex byte"},
    {V5 KEY "\"x\"=hex(2):41,\\\r\n# c\r\n  42\r\n", "5:1: a '#' comment inside continued hex data"},
    {V5 KEY "\"x\"=hex:41,\\\r\n", "4:13: the file ends inside continued hex data"},
    {V5 KEY "\"x\"=hex(z):00\r\n", "4:9: expected hex(TYPE): with TYPE in hex"},
    {V5 KEY "\"x\"=\"abc\r\n", "4:5: the string has no closing '\"'"},
    {V5 KEY "\"x\"=\"a\" #c\r\n", "4:9: a '#' comment after data (only ';' may follow data)"},
    {V5 KEY "\"x\"=\"a\" b\r\n", "4:9: unexpected text after the data"},
    {V5 KEY "\"x\\q\"=\"1\"\r\n", "4:3: unknown escape in the value name (use \\\\ \\\" \\r or \\n)"},
    {V5 KEY "\"x\"=qword:1\r\n", "4:5: unknown data (expected \"text\", dword:, hex:, hex(TYPE): or -)"},
    {V5 KEY "\"x\" dword:1\r\n", "4:5: expected '=' after the value name"},
    {V5 KEY "x=1\r\n", "4:1: expected '[', '\"' or '@' at the start of a line"},
    {V5 KEY "\"x\"=\"\xff\"\r\n", "4:6: invalid UTF-8 (byte 0xFF)"},
    {V5 "[-HKEY_CURRENT_USER\\Gone]\r\n\"x\"=\"1\"\r\n",
     "4:1: a value line under a key deletion ([-...])"},
    {V5 KEY "\"ok\"=dword:1\r\n\r\n[HKEY_LOCAL_MACHINE\\Other]\r\n",
     "6:2: the key is not under the prefix 'HKEY_CURRENT_USER\\Software'"},
    {V5 "[-HKEY_CURRENT_USER]\r\n", "3:3: deleting the key the prefix maps to (the root) is refused"},
    /* Found only while applying (after the first key was set up in memory):
     * the file is still not written. */
    {V5 "[HKEY_CURRENT_USER]\r\n\"a\"=dword:1\r\n[HKEY_CURRENT_USER\\" N256 "]\r\n",
     "5:2: invalid parameter: key name of 256 characters (at most 255)"},
};
#define N_BAD (int)(sizeof bad_files / sizeof bad_files[0])

START_TEST(malformed_files_give_located_errors_and_change_nothing)
{
    const struct bad *b = &bad_files[_i];
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    const char *hive = tmp_path("u.hive"), *reg = tmp_path("bad.reg");
    copy_file(user, hive);
    spit(reg, b->text, strlen(b->text));
    ck_assert_int_eq(HK("import", hive, reg), 2);
    char *e = last_stderr();
    char want[1024];
    snprintf(want, sizeof want, "hivekit: %s:%s\n", reg, b->error);
    ck_assert_str_eq(e, want);
    free(e);
    ck_assert(same_file(hive, user));

    /* The same file as UTF-16LE with a BOM: the same place. */
    size_t wlen;
    if (!strchr(b->text, '\xff')) {
        char *w = utf16le_of(b->text, strlen(b->text), &wlen);
        spit(reg, w, wlen);
        free(w);
        ck_assert_int_eq(HK("import", hive, reg), 2);
        e = last_stderr();
        ck_assert_str_eq(e, want);
        free(e);
        ck_assert(same_file(hive, user));
    }
}
END_TEST

START_TEST(import_reads_utf16be_utf8_bom_regedit4_comments_and_continuations)
{
    static const char body[] =
        "[HKEY_CURRENT_USER\\T]\r\n"
        "; a comment\r\n"
        "  # another\r\n"
        "\"s\" = \"a\\\\b\\\"c\" ; trailing comment\r\n"
        "\"h\"=hex(2):41,00,\\ ; continued\r\n"
        "\r\n"
        "  ; skipped inside\r\n"
        "  42,00,00,00\r\n"
        "@=dword:2a\r\n"
        "\"\"=\"default again\"\r\n"
        "\"e\"=hex(0):\r\n"
        "\"gone\"=dword:1\r\n"
        "\"gone\"=-\r\n"
        "[HKEY_CURRENT_USER\\T\\Sub]";
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    for (int form = 0; form < 3; form++) {
        const char *hive = tmp_path("u.hive"), *reg = tmp_path("in.reg");
        copy_file(user, hive);
        char text[2048];
        snprintf(text, sizeof text, "%s%s%s", form == 1 ? "\xef\xbb\xbf" : "",
                 form == 2 ? "REGEDIT4\r\n\r\n" : V5, body);
        size_t n = strlen(text);
        if (form == 0) { /* UTF-16BE with BOM */
            size_t wlen;
            char *w = utf16le_of(text, n, &wlen);
            for (size_t i = 0; i < wlen; i += 2) {
                char t = w[i];
                w[i] = w[i + 1];
                w[i + 1] = t;
            }
            spit(reg, w, wlen);
            free(w);
        } else {
            spit(reg, text, n);
        }
        assert_ok(HK("import", hive, reg, "--prefix", "HKEY_CURRENT_USER"));
        assert_ok(HK_OUT(tmp_path("t.reg"), "export", hive, "T", "--format", "reg", "--encoding",
                         "utf-8", "--prefix", "P"));
        size_t len;
        char *d = slurp(tmp_path("t.reg"), &len);
        /* REGEDIT4 hex(2) bytes are ANSI: "A,NUL,B,NUL..." widen each byte. */
        ck_assert_str_eq(d, form == 2
                                ? "Windows Registry Editor Version 5.00\r\n\r\n[P\\T]\r\n"
                                  "\"s\"=\"a\\\\b\\\"c\"\r\n"
                                  "\"h\"=hex(2):41,00,00,00,42,00,00,00,00,00,00,00\r\n"
                                  "@=\"default again\"\r\n\"e\"=hex(0):\r\n\r\n[P\\T\\Sub]\r\n\r\n"
                                : "Windows Registry Editor Version 5.00\r\n\r\n[P\\T]\r\n"
                                  "\"s\"=\"a\\\\b\\\"c\"\r\n"
                                  "\"h\"=hex(2):41,00,42,00,00,00\r\n"
                                  "@=\"default again\"\r\n\"e\"=hex(0):\r\n\r\n[P\\T\\Sub]\r\n\r\n");
        free(d);
    }
}
END_TEST

START_TEST(usage_errors_are_reported)
{
    char hive[512];
    snprintf(hive, sizeof hive, "%s/user.hive", FIXTURES_BUILD);
    static const struct {
        const char *a, *b, *c, *d, *want;
    } cases[] = {
        {"--format", "json", "--encoding", "utf-8",
         "hivekit: export: --encoding applies to --format reg only (see 'hivekit help export')\n"},
        {"--format", "reg", "--encoding", "latin1",
         "hivekit: export: unknown encoding 'latin1' (utf-16le or utf-8) (see 'hivekit help export')\n"},
        {"--format", "jsonl", "--prefix", "P",
         "hivekit: export: --prefix applies to the reg formats only (see 'hivekit help export')\n"},
        {"--format", "reg", "--prefix", "",
         "hivekit: export: --prefix must not be empty (see 'hivekit help export')\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(HK("export", hive, cases[i].a, cases[i].b, cases[i].c, cases[i].d), 2);
        char *e = last_stderr();
        ck_assert_str_eq(e, cases[i].want);
        free(e);
    }
    ck_assert_int_eq(HK("build", hive), 2);
    char *e = last_stderr();
    ck_assert_str_eq(e, "hivekit: build: missing -o HIVE (see 'hivekit help build')\n");
    free(e);
    ck_assert_int_eq(HK("compare", hive), 2);
    e = last_stderr();
    ck_assert_str_eq(e, "hivekit: compare: missing B (see 'hivekit help compare')\n");
    free(e);
    ck_assert_int_eq(HK("import", hive), 2);
    e = last_stderr();
    ck_assert_str_eq(e, "hivekit: import: missing FILE (see 'hivekit help import')\n");
    free(e);
}
END_TEST

START_TEST(import_prefix_matches_case_insensitively)
{
    char user[512];
    snprintf(user, sizeof user, "%s/user.hive", FIXTURES_BUILD);
    const char *hive = tmp_path("u.hive");
    copy_file(user, hive);
    static const char text[] = V5 "[HKEY_CURRENT_USER\\CONSOLE]\r\n\"FaceName\"=\"Lucida\"\r\n";
    spit(tmp_path("p.reg"), text, sizeof text - 1);
    assert_ok(HK("import", hive, tmp_path("p.reg"), "--prefix", "hkey_current_user\\"));
    assert_ok(HK_OUT(tmp_path("q.txt"), "query", hive, "Console", "-v", "FaceName"));
    size_t len;
    char *d = slurp(tmp_path("q.txt"), &len);
    ck_assert_str_eq(d, "\nHKEY_LOCAL_MACHINE\\ROOT\\Console\n    FaceName    REG_SZ    Lucida\n\n");
    free(d);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("fixtures");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, fixture_exports_are_their_specs_byte_for_byte, 0, 2);
    tcase_add_loop_test(tc, build_is_reproducible_and_follows_source_date_epoch, 0, 2);
    tcase_add_test(tc, hive_version_and_root_name_options);
    tcase_add_test(tc, reg4_is_ansi_and_round_trips);
    tcase_add_test(tc, reg4_refuses_what_ansi_cannot_hold);
    tcase_add_test(tc, json_has_exact_hex_and_decoded_data);
    suite_add_tcase(s, tc);

    tc = tcase_create("corpus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, corpus_export_then_build_gives_the_same_tree, 0, N_CORPUS);
    tcase_add_loop_test(tc, corpus_export_import_export_is_identical, 0, N_CORPUS);
    tcase_add_test(tc, export_refuses_a_key_name_with_a_nul);
    suite_add_tcase(s, tc);

    tc = tcase_create("hivexregedit");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, hivexregedit_export_imports_into_what_its_merge_makes, 0,
                        (int)(sizeof hivex_cases / sizeof hivex_cases[0]));
    tcase_add_loop_test(tc, hivexregedit_merges_our_utf8_export_into_the_tree_we_build, 0,
                        (int)(sizeof hivex_cases / sizeof hivex_cases[0]));
    suite_add_tcase(s, tc);

    tc = tcase_create("compare");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, compare_lists_differences_and_its_patch_turns_a_into_b);
    tcase_add_test(tc, compare_patch_of_two_corpus_hives);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, malformed_files_give_located_errors_and_change_nothing, 0, N_BAD);
    tcase_add_test(tc, import_reads_utf16be_utf8_bom_regedit4_comments_and_continuations);
    tcase_add_test(tc, usage_errors_are_reported);
    tcase_add_test(tc, import_prefix_matches_case_insensitively);
    suite_add_tcase(s, tc);
    return s;
}
