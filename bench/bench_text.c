/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_text: a benchmark program (not a test; it asserts no timings).
 *
 *   bench_text SYSTEM_HIVE [--repeat N] [--hivekit PATH] [--import-only]
 *
 * 1. Export: wall time of `hivekit export HIVE --format reg` and
 *    `--format jsonl` (to /dev/null) against `hivexregedit --export HIVE '\'`
 *    and `reglookup HIVE`, best of N runs each, and hk_export (reg) in this
 *    process with a writer that discards.
 * 2. Build: a generated .reg of 20,000 keys (two values each) built into a
 *    hive by `hivekit build` (best of N) against `hivexregedit --merge` of
 *    the same file into a new hive (one run: it is slow).
 * 3. Import: the hive exported by `hivexregedit --export` (every string as
 *    hex(N):) built back into a hive by `hivekit build` (best of N) against
 *    `hivexregedit --merge` of that file into a new hive (one run), and
 *    hk_import_reg alone in this process (no save). --import-only runs
 *    only this part.
 * Ratios are hivekit's time over the peer's (goals: export <= 0.10 of
 * hivexregedit's and <= 0.33 of reglookup's; build <= 0.05 of the merge;
 * import <= 0.03 of the merge).
 *
 * A gzip-compressed HIVE is inflated to a temporary file first; every
 * program reads that same plain file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "hivekit.h"

#define BUILD_KEYS 20000

static char work_dir[PATH_MAX];
static double last_cpu; /* user + system seconds of the last run() */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *work_path(const char *name)
{
    static char bufs[8][PATH_MAX + 64];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", work_dir, name);
    return b;
}

/* Inflates (or copies) src to dst. */
static int plain_copy(const char *src, const char *dst)
{
    gzFile in = gzopen(src, "rb");
    FILE *out = fopen(dst, "wb");
    if (!in || !out) {
        fprintf(stderr, "bench_text: cannot read %s or write %s\n", src, dst);
        if (in)
            gzclose(in);
        if (out)
            fclose(out);
        return -1;
    }
    char buf[1 << 16];
    int n;
    while ((n = gzread(in, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, out);
    gzclose(in);
    return fclose(out) == 0 && n == 0 ? 0 : -1;
}

/* Runs argv with stdout to out (NULL: /dev/null), stderr to /dev/null;
 * returns the wall time in seconds, or -1 if it failed. */
/* User + system seconds of all waited-for children so far. */
static double children_cpu(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double run(const char *const *argv, const char *out)
{
    double cpu_before = children_cpu();
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fo = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open("/dev/null", O_WRONLY);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(127);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    double t = now() - t0;
    double cpu = children_cpu();
    last_cpu = cpu - cpu_before;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

/* Best wall time of repeat runs; *cpu (may be NULL) the least CPU time. */
static double best_of(int repeat, const char *const *argv, const char *out, double *cpu)
{
    double best = -1, best_cpu = -1;
    for (int i = 0; i < repeat; i++) {
        double t = run(argv, out);
        if (t < 0)
            return -1;
        if (best < 0 || t < best)
            best = t;
        if (best_cpu < 0 || last_cpu < best_cpu)
            best_cpu = last_cpu;
    }
    if (cpu)
        *cpu = best_cpu;
    return best;
}

static int discard(const void *data, size_t size, void *ctx)
{
    (void)data;
    *(uint64_t *)ctx += size;
    return 0;
}

/* hk_export (reg, UTF-16LE) in this process; returns seconds, best of N. */
static double export_in_process(const char *hive_path, int repeat, uint64_t *bytes)
{
    double best = -1;
    for (int i = 0; i < repeat; i++) {
        double t0 = now();
        hk_hive *hive;
        hk_key *root;
        if (hk_hive_open(hive_path, NULL, &hive) != HK_ERROR_SUCCESS)
            return -1;
        hk_status st = hk_hive_root(hive, &root);
        hk_export_options opts = HK_EXPORT_OPTIONS_INIT;
        opts.format = HK_FORMAT_REG;
        *bytes = 0;
        if (st == HK_ERROR_SUCCESS)
            st = hk_export(root, &opts, discard, bytes);
        hk_close_key(root);
        hk_hive_close(hive);
        if (st != HK_ERROR_SUCCESS)
            return -1;
        double t = now() - t0;
        if (best < 0 || t < best)
            best = t;
    }
    return best;
}

/* 20,000 keys: 200 groups of 99 keys below them plus the groups, two values each. */
static int write_spec(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\BENCH]\r\n", f);
    int keys = 0;
    for (int g = 0; keys < BUILD_KEYS; g++) {
        fprintf(f, "\r\n[HKEY_LOCAL_MACHINE\\BENCH\\Group%03d]\r\n\"Index\"=dword:%08x\r\n"
                   "\"Name\"=\"group %d\"\r\n", g, (unsigned)g, g);
        keys++;
        for (int k = 0; k < 99 && keys < BUILD_KEYS; k++, keys++)
            fprintf(f, "\r\n[HKEY_LOCAL_MACHINE\\BENCH\\Group%03d\\Key%05d]\r\n"
                       "\"Path\"=\"C:\\\\Program Files\\\\Vendor\\\\App%d\\\\bin\"\r\n"
                       "\"Flags\"=hex:%02x,00,00,00,01,02,03,04\r\n", g, keys, keys, keys & 0xFF);
    }
    return fclose(f);
}

static void ratio_line(const char *what, double ours, double theirs, double goal)
{
    if (ours < 0 || theirs < 0) {
        printf("  %-40s  n/a (a program failed or is missing)\n", what);
        return;
    }
    double r = ours / theirs;
    printf("  %-40s  %8.3f s vs %8.3f s  ratio %.3f  (goal <= %.2f: %s)\n", what, ours, theirs, r,
           goal, r <= goal ? "met" : "NOT met");
}

/* The whole file at path (NULL if unreadable); *size its length. */
static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *p = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (cap - n < 1 << 16) {
            cap = cap ? 2 * cap : 1 << 20;
            char *q = realloc(p, cap);
            if (!q) {
                free(p);
                fclose(f);
                return NULL;
            }
            p = q;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *size = n;
    return p;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* hk_import_reg of the file into a new hive, in this process, no save:
 * CPU seconds (a loaded machine stretches wall time), best of repeat (-1 if
 * it failed). */
static double import_in_process(const char *reg, int repeat)
{
    size_t size;
    char *text = slurp(reg, &size);
    double best = -1;
    for (int i = 0; text && i < repeat; i++) {
        double t0 = cpu_now();
        hk_hive *h;
        hk_key *root;
        hk_status st = hk_hive_create(5, "SYSTEM", &h);
        if (st != HK_ERROR_SUCCESS)
            break;
        st = hk_hive_root(h, &root);
        hk_import_options o = HK_IMPORT_OPTIONS_INIT;
        o.prefix = "HKEY_LOCAL_MACHINE\\SYSTEM";
        if (st == HK_ERROR_SUCCESS) {
            st = hk_import_reg(root, text, size, &o);
            hk_close_key(root);
        }
        hk_hive_close(h);
        double t = cpu_now() - t0;
        if (st != HK_ERROR_SUCCESS) {
            best = -1;
            break;
        }
        if (best < 0 || t < best)
            best = t;
    }
    free(text);
    return best;
}

/* Part 3: hivexregedit's export of the hive, imported by both. */
static void import_bench(const char *cli, const char *hive, int repeat)
{
    char reg[PATH_MAX + 64], ours[PATH_MAX + 64], theirs[PATH_MAX + 64];
    snprintf(reg, sizeof reg, "%s", work_path("export.reg"));
    snprintf(ours, sizeof ours, "%s", work_path("import-ours.hive"));
    snprintf(theirs, sizeof theirs, "%s", work_path("import-theirs.hive"));
    const char *prefix = "HKEY_LOCAL_MACHINE\\SYSTEM";
    printf("\nimport (hivexregedit --export of the hive)\n");
    if (run((const char *const[]){"hivexregedit", "--export", "--prefix", prefix, hive, "\\", NULL},
            reg) < 0) {
        printf("  n/a: hivexregedit --export failed (libwin-hivex-perl installed?)\n");
        return;
    }
    struct stat sb;
    stat(reg, &sb);
    double lib = import_in_process(reg, repeat);
    double build_cpu = -1, merge_cpu = -1;
    double build = best_of(repeat, (const char *const[]){cli, "build", reg, "-o", ours, NULL}, NULL,
                           &build_cpu);
    double merge = -1;
    if (run((const char *const[]){cli, "new", theirs, "--root-name", "SYSTEM", NULL}, NULL) >= 0) {
        merge = run((const char *const[]){"hivexregedit", "--merge", "--prefix", prefix, theirs, reg,
                                          NULL},
                    NULL);
        merge_cpu = last_cpu;
    }
    double same = run((const char *const[]){cli, "compare", ours, theirs, NULL}, NULL);
    printf("  %.1f MiB of .reg; hk_import_reg in process %.3f s CPU; hivekit build %.3f s (CPU %.3f s); "
           "hivexregedit --merge %.3f s (CPU %.3f s); trees %s\n",
           (double)sb.st_size / 1048576.0, lib, build, build_cpu, merge, merge_cpu,
           same >= 0 ? "identical" : "DIFFER");
    ratio_line("import: build / hivexregedit --merge (wall)", build, merge, 0.03);
    ratio_line("import: build / hivexregedit --merge (CPU)", build_cpu, merge_cpu, 0.03);
}

int main(int argc, char **argv)
{
    const char *hive_arg = NULL, *cli = HIVEKIT_CLI;
    int repeat = 3;
    bool import_only = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--import-only") == 0)
            import_only = true;
        else if (strcmp(argv[i], "--hivekit") == 0 && i + 1 < argc)
            cli = argv[++i];
        else if (!hive_arg)
            hive_arg = argv[i];
        else {
            fprintf(stderr, "usage: bench_text SYSTEM_HIVE [--repeat N] [--hivekit PATH] [--import-only]\n");
            return 2;
        }
    }
    if (!hive_arg || repeat < 1) {
        fprintf(stderr, "usage: bench_text SYSTEM_HIVE [--repeat N] [--hivekit PATH] [--import-only]\n");
        return 2;
    }
    const char *tmp = getenv("TMPDIR") && getenv("TMPDIR")[0] ? getenv("TMPDIR") : "/tmp";
    snprintf(work_dir, sizeof work_dir, "%s/bench_text-XXXXXX", tmp);
    if (!mkdtemp(work_dir)) {
        perror("bench_text: mkdtemp");
        return 2;
    }
    const char *hive = work_path("hive");
    char hive_buf[PATH_MAX + 64];
    snprintf(hive_buf, sizeof hive_buf, "%s", hive);
    hive = hive_buf;
    if (plain_copy(hive_arg, hive) != 0)
        return 2;
    struct stat sb;
    stat(hive, &sb);
    printf("bench_text: %s (%.1f MiB plain), best of %d\n\n", hive_arg, (double)sb.st_size / 1048576.0,
           repeat);

    if (import_only) {
        import_bench(cli, hive, repeat);
        char rm[PATH_MAX + 32];
        snprintf(rm, sizeof rm, "rm -rf '%s'", work_dir);
        return system(rm) == 0 ? 0 : 1;
    }
    printf("export\n");
    uint64_t bytes = 0;
    double lib = export_in_process(hive, repeat, &bytes);
    double reg = best_of(repeat, (const char *const[]){cli, "export", hive, "--format", "reg", "-o",
                                                       "/dev/null", NULL}, NULL, NULL);
    double jsonl = best_of(repeat, (const char *const[]){cli, "export", hive, "--format", "jsonl",
                                                         "-o", "/dev/null", NULL}, NULL, NULL);
    double hx = best_of(repeat, (const char *const[]){"hivexregedit", "--export", hive, "\\", NULL},
                        NULL, NULL);
    double rl = best_of(repeat, (const char *const[]){"reglookup", hive, NULL}, NULL, NULL);
    printf("  hk_export reg in process: %.3f s (%.1f MiB of .reg)\n", lib, (double)bytes / 1048576.0);
    printf("  hivekit export reg %.3f s, jsonl %.3f s; hivexregedit --export %.3f s; reglookup %.3f s\n",
           reg, jsonl, hx, rl);
    ratio_line("reg / hivexregedit --export", reg, hx, 0.10);
    ratio_line("reg / reglookup", reg, rl, 0.33);
    ratio_line("jsonl / hivexregedit --export", jsonl, hx, 0.10);
    ratio_line("jsonl / reglookup", jsonl, rl, 0.33);

    printf("\nbuild (%d keys)\n", BUILD_KEYS);
    const char *spec = work_path("spec.reg");
    char spec_buf[PATH_MAX + 64], ours[PATH_MAX + 64], theirs[PATH_MAX + 64];
    snprintf(spec_buf, sizeof spec_buf, "%s", spec);
    snprintf(ours, sizeof ours, "%s", work_path("ours.hive"));
    snprintf(theirs, sizeof theirs, "%s", work_path("theirs.hive"));
    if (write_spec(spec_buf) != 0)
        return 2;
    double build_cpu = -1, merge_cpu = -1;
    double build = best_of(repeat, (const char *const[]){cli, "build", spec_buf, "-o", ours, NULL},
                           NULL, &build_cpu);
    double merge = -1;
    if (run((const char *const[]){cli, "new", theirs, "--root-name", "BENCH", NULL}, NULL) >= 0) {
        merge = run((const char *const[]){"hivexregedit", "--merge", "--prefix",
                                          "HKEY_LOCAL_MACHINE\\BENCH", theirs, spec_buf, NULL},
                    NULL);
        merge_cpu = last_cpu;
    }
    double same = run((const char *const[]){cli, "compare", ours, theirs, NULL}, NULL);
    printf("  hivekit build %.3f s (CPU %.3f s); hivexregedit --merge %.3f s (CPU %.3f s); "
           "trees %s\n",
           build, build_cpu, merge, merge_cpu, same >= 0 ? "identical" : "DIFFER");
    printf("  (hivekit build saves durably: fsync of the file and its folder; hivex does not)\n");
    ratio_line("build / hivexregedit --merge (wall)", build, merge, 0.05);
    ratio_line("build / hivexregedit --merge (CPU)", build_cpu, merge_cpu, 0.05);
    import_bench(cli, hive, repeat);

    char cmd[PATH_MAX + 32];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work_dir);
    return system(cmd) == 0 ? 0 : 1;
}
