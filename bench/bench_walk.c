/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_walk: a benchmark program (not a test; it asserts no timings).
 *
 *   bench_walk HIVE [--repeat N] [--hivekit PATH]
 *
 * 1. Walks every key and every value with its data through hivekit and
 *    through libhivex in this process, best of N runs each (open and close
 *    included), checks both saw the same keys, values and data bytes.
 * 2. Peak memory (ru_maxrss) of one more walk of each in a forked child.
 * 3. Wall time of `hivekit export HIVE --format jsonl -o /dev/null` against
 *    `reglookup HIVE > /dev/null`, best of N.
 *
 * A gzip-compressed HIVE is inflated to a temporary file first (libhivex and
 * reglookup need a plain file); every program reads that same plain file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hivex.h>
#include <zlib.h>

#include "hivekit.h"

#define MIB (1024.0 * 1024.0)
#define MAX_REPORTED_ERRORS 5

typedef struct walk_stats {
    uint64_t keys, values, bytes, errors;
    uint64_t sink; /* folds in timestamps so the calls are observably used */
} walk_stats;

/* ---- temporary plain copy of a gzip hive ------------------------------ */

static char temp_path[PATH_MAX];

static void remove_temp(void)
{
    if (temp_path[0] != '\0') {
        unlink(temp_path);
        temp_path[0] = '\0';
    }
}

static int is_gzip(const char *path)
{
    unsigned char magic[2] = {0, 0};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    size_t n = fread(magic, 1, sizeof magic, f);
    fclose(f);
    return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

/* Inflates gz_path into a new temporary file named in temp_path. */
static int inflate_to_temp(const char *gz_path)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    int len = snprintf(temp_path, sizeof temp_path, "%s/bench_walk-XXXXXX", dir);
    if (len < 0 || (size_t)len >= sizeof temp_path) {
        temp_path[0] = '\0';
        fprintf(stderr, "bench_walk: TMPDIR too long\n");
        return -1;
    }
    int fd = mkstemp(temp_path);
    if (fd < 0) {
        fprintf(stderr, "bench_walk: mkstemp %s: %s\n", temp_path, strerror(errno));
        temp_path[0] = '\0';
        return -1;
    }
    atexit(remove_temp);
    gzFile gz = gzopen(gz_path, "rb");
    if (gz == NULL) {
        fprintf(stderr, "bench_walk: cannot open %s\n", gz_path);
        close(fd);
        return -1;
    }
    static unsigned char buf[1 << 16];
    int rc = 0;
    for (;;) {
        int n = gzread(gz, buf, (unsigned)sizeof buf);
        if (n < 0) {
            int zerr = 0;
            fprintf(stderr, "bench_walk: inflating %s: %s\n", gz_path, gzerror(gz, &zerr));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        size_t off = 0;
        while (off < (size_t)n) {
            ssize_t w = write(fd, buf + off, (size_t)n - off);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                fprintf(stderr, "bench_walk: writing %s: %s\n", temp_path, strerror(errno));
                rc = -1;
                break;
            }
            off += (size_t)w;
        }
        if (rc != 0)
            break;
    }
    gzclose(gz);
    if (close(fd) != 0 && rc == 0) {
        fprintf(stderr, "bench_walk: closing %s: %s\n", temp_path, strerror(errno));
        rc = -1;
    }
    return rc;
}

/* ---- small helpers ---------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Grows *buf to at least need bytes. Returns 0, or -1 when out of memory. */
static int grow(void *buf_ptr, size_t *cap, size_t need)
{
    void **buf = buf_ptr;
    if (need <= *cap)
        return 0;
    size_t ncap = *cap * 2 > need ? *cap * 2 : need;
    void *p = realloc(*buf, ncap);
    if (p == NULL)
        return -1;
    *buf = p;
    *cap = ncap;
    return 0;
}

/* Seconds with three decimals, or six below 10 ms so small hives show. */
static const char *fmt_seconds(double t, char *buf, size_t size)
{
    snprintf(buf, size, t >= 0.01 ? "%.3f" : "%.6f", t);
    return buf;
}

/* "SYSTEM" from ".../SYSTEM.gz". */
static void hive_label(const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    snprintf(out, size, "%s", base);
    size_t n = strlen(out);
    if (n > 3 && strcmp(out + n - 3, ".gz") == 0)
        out[n - 3] = '\0';
}

/* ---- the hivekit walk ------------------------------------------------- */

typedef struct hk_walker {
    hk_hive *hive;
    char *key_name;
    size_t key_name_cap;
    char *value_name;
    size_t value_name_cap;
    unsigned char *data;
    size_t data_cap;
    walk_stats st;
} hk_walker;

static void hk_error(hk_walker *w, const char *what, hk_status status)
{
    if (w->st.errors++ < MAX_REPORTED_ERRORS)
        fprintf(stderr, "bench_walk: hivekit %s: %s (%u)%s%s\n", what, hk_strerror(status),
                (unsigned)status, w->hive != NULL ? ": " : "",
                w->hive != NULL ? hk_errmsg() : "");
}

static void hk_walk_values(hk_walker *w, hk_key *key)
{
    uint32_t index = 0;
    for (;;) {
        size_t name_size = w->value_name_cap;
        size_t data_size = w->data_cap;
        uint32_t type = 0;
        hk_status s = hk_enum_value(key, index, w->value_name, &name_size, &type, w->data,
                                    &data_size);
        if (s == HK_ERROR_NO_MORE_ITEMS)
            return;
        if (s == HK_ERROR_MORE_DATA) {
            if (name_size <= w->value_name_cap && data_size <= w->data_cap) {
                hk_error(w, "hk_enum_value: MORE_DATA without a larger need", s);
                return;
            }
            if (grow(&w->value_name, &w->value_name_cap, name_size) != 0 ||
                grow(&w->data, &w->data_cap, data_size) != 0) {
                hk_error(w, "growing the value buffers", HK_ERROR_NOT_ENOUGH_MEMORY);
                return;
            }
            continue;
        }
        if (s != HK_ERROR_SUCCESS) {
            hk_error(w, "hk_enum_value", s);
            return;
        }
        w->st.values++;
        w->st.bytes += data_size;
        w->st.sink += type;
        index++;
    }
}

static void hk_walk_key(hk_walker *w, hk_key *key)
{
    w->st.keys++;
    for (;;) {
        size_t size = w->key_name_cap;
        hk_status s = hk_key_name(key, w->key_name, &size);
        if (s == HK_ERROR_SUCCESS)
            break;
        if (s == HK_ERROR_MORE_DATA && size > w->key_name_cap &&
            grow(&w->key_name, &w->key_name_cap, size) == 0)
            continue;
        hk_error(w, "hk_key_name", s);
        break;
    }
    hk_key_info info = HK_KEY_INFO_INIT;
    hk_status s = hk_query_info_key(key, NULL, NULL, &info);
    if (s == HK_ERROR_SUCCESS)
        w->st.sink += info.last_write;
    else
        hk_error(w, "hk_query_info_key", s);

    hk_walk_values(w, key);

    for (uint32_t index = 0;; index++) {
        hk_key *sub = NULL;
        s = hk_open_subkey_at(key, index, HK_KEY_READ, &sub);
        if (s == HK_ERROR_NO_MORE_ITEMS)
            break;
        if (s != HK_ERROR_SUCCESS) {
            hk_error(w, "hk_open_subkey_at", s);
            break;
        }
        hk_walk_key(w, sub);
        hk_close_key(sub);
    }
}

/* One whole walk: open, every key and value, close. */
static walk_stats hk_walk(const char *path)
{
    hk_walker w;
    memset(&w, 0, sizeof w);
    w.key_name_cap = 256;
    w.value_name_cap = 256;
    w.data_cap = 4096;
    w.key_name = malloc(w.key_name_cap);
    w.value_name = malloc(w.value_name_cap);
    w.data = malloc(w.data_cap);
    if (w.key_name == NULL || w.value_name == NULL || w.data == NULL) {
        hk_error(&w, "allocating buffers", HK_ERROR_NOT_ENOUGH_MEMORY);
    } else {
        hk_open_options opts = HK_OPEN_OPTIONS_INIT;
        opts.flags = HK_OPEN_READONLY;
        hk_status s = hk_hive_open(path, &opts, &w.hive);
        if (s != HK_ERROR_SUCCESS) {
            w.hive = NULL;
            hk_error(&w, "hk_hive_open", s);
            fprintf(stderr, "bench_walk: %s\n", hk_errmsg());
        } else {
            hk_key *root = NULL;
            s = hk_hive_root(w.hive, &root);
            if (s == HK_ERROR_SUCCESS) {
                hk_walk_key(&w, root);
                hk_close_key(root);
            } else {
                hk_error(&w, "hk_hive_root", s);
            }
            hk_hive_close(w.hive);
        }
    }
    free(w.key_name);
    free(w.value_name);
    free(w.data);
    return w.st;
}

/* ---- the libhivex walk ------------------------------------------------ */

static void hx_error(walk_stats *st, const char *what)
{
    int e = errno;
    if (st->errors++ < MAX_REPORTED_ERRORS)
        fprintf(stderr, "bench_walk: libhivex %s: %s\n", what, strerror(e));
}

static void hx_walk_node(hive_h *h, hive_node_h node, walk_stats *st)
{
    st->keys++;
    errno = 0;
    char *name = hivex_node_name(h, node);
    if (name == NULL)
        hx_error(st, "hivex_node_name");
    free(name);
    int64_t ts = hivex_node_timestamp(h, node);
    st->sink += (uint64_t)ts;

    errno = 0;
    hive_value_h *values = hivex_node_values(h, node);
    if (values == NULL) {
        hx_error(st, "hivex_node_values");
    } else {
        for (size_t i = 0; values[i] != 0; i++) {
            errno = 0;
            char *key = hivex_value_key(h, values[i]);
            if (key == NULL)
                hx_error(st, "hivex_value_key");
            free(key);
            hive_type type = hive_t_REG_NONE;
            size_t len = 0;
            errno = 0;
            char *data = hivex_value_value(h, values[i], &type, &len);
            st->values++;
            if (data == NULL) {
                hx_error(st, "hivex_value_value");
                continue;
            }
            st->bytes += len;
            st->sink += (uint64_t)type;
            free(data);
        }
        free(values);
    }

    errno = 0;
    hive_node_h *children = hivex_node_children(h, node);
    if (children == NULL) {
        hx_error(st, "hivex_node_children");
        return;
    }
    for (size_t i = 0; children[i] != 0; i++)
        hx_walk_node(h, children[i], st);
    free(children);
}

static walk_stats hx_walk(const char *path)
{
    walk_stats st;
    memset(&st, 0, sizeof st);
    errno = 0;
    hive_h *h = hivex_open(path, 0);
    if (h == NULL) {
        hx_error(&st, "hivex_open");
        return st;
    }
    hx_walk_node(h, hivex_root(h), &st);
    hivex_close(h);
    return st;
}

/* ---- timing and memory -------------------------------------------------- */

typedef walk_stats (*walk_fn)(const char *path);

static double best_walk(walk_fn fn, const char *path, int repeat, walk_stats *out)
{
    double best = -1.0;
    for (int r = 0; r < repeat; r++) {
        double t0 = now_seconds();
        walk_stats st = fn(path);
        double t = now_seconds() - t0;
        if (best < 0.0 || t < best)
            best = t;
        if (r == 0 || st.errors > out->errors)
            *out = st;
    }
    return best;
}

static walk_stats nothing_walk(const char *path)
{
    (void)path;
    walk_stats st;
    memset(&st, 0, sizeof st);
    return st;
}

/* Peak RSS in KiB of fn(path) run in a forked child, or -1. An intermediate
 * child forks the walker and reads getrusage(RUSAGE_CHILDREN) after reaping
 * it, so each figure covers that walker alone (RUSAGE_CHILDREN of this
 * process would keep the maximum over every child reaped so far). */
static long child_peak_kib(walk_fn fn, const char *path)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t mid = fork();
    if (mid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (mid == 0) {
        close(fds[0]);
        long kib = -1;
        pid_t walker = fork();
        if (walker == 0) {
            walk_stats st = fn(path);
            _exit(st.errors == 0 ? 0 : 1);
        }
        int status = 0;
        if (walker > 0 && waitpid(walker, &status, 0) == walker && WIFEXITED(status) &&
            WEXITSTATUS(status) == 0) {
            struct rusage ru;
            if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
                kib = ru.ru_maxrss;
        }
        ssize_t w = write(fds[1], &kib, sizeof kib);
        _exit(w == (ssize_t)sizeof kib ? 0 : 1);
    }
    close(fds[1]);
    long kib = -1;
    if (read(fds[0], &kib, sizeof kib) != (ssize_t)sizeof kib)
        kib = -1;
    close(fds[0]);
    int status = 0;
    while (waitpid(mid, &status, 0) < 0 && errno == EINTR) {
    }
    return kib;
}

/* ---- external programs -------------------------------------------------- */

/* Runs argv with stdout (and, if quiet, stderr) on /dev/null. Returns the
 * wall time in seconds, or -1 with *exit_code set (127: could not exec). */
static double run_program(char *const argv[], int quiet, int *exit_code)
{
    fflush(NULL);
    double t0 = now_seconds();
    pid_t pid = fork();
    if (pid < 0) {
        *exit_code = -1;
        return -1.0;
    }
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            if (quiet)
                dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            *exit_code = -1;
            return -1.0;
        }
    }
    double t = now_seconds() - t0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        *exit_code = 0;
        return t;
    }
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return -1.0;
}

/* Best of repeat runs; on failure writes why into why and returns -1. Unless
 * quiet, the first run's standard error shows (once, not N times). */
static double best_program(char *const argv[], int quiet, int repeat, char *why, size_t why_size)
{
    double best = -1.0;
    for (int r = 0; r < repeat; r++) {
        int code = 0;
        double t = run_program(argv, quiet || r > 0, &code);
        if (t < 0.0) {
            if (code == 127)
                snprintf(why, why_size, "could not run");
            else
                snprintf(why, why_size, "failed (exit %d)", code);
            return -1.0;
        }
        if (best < 0.0 || t < best)
            best = t;
    }
    return best;
}

static int is_executable(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

static int in_path(const char *name)
{
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/bin:/bin";
    while (*path != '\0') {
        const char *end = strchr(path, ':');
        size_t len = end != NULL ? (size_t)(end - path) : strlen(path);
        char full[PATH_MAX];
        int n = snprintf(full, sizeof full, "%.*s/%s", (int)len, len > 0 ? path : ".", name);
        if (n > 0 && (size_t)n < sizeof full && is_executable(full))
            return 1;
        if (end == NULL)
            break;
        path = end + 1;
    }
    return 0;
}

/* The CLI: beside the bench binary's directory (build/bench/../cli/hivekit),
 * else the build path compiled in. */
static void default_cli(char *out, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            int len = snprintf(out, size, "%s/../cli/hivekit", exe);
            if (len > 0 && (size_t)len < size && is_executable(out))
                return;
        }
    }
#ifdef HIVEKIT_CLI
    snprintf(out, size, "%s", HIVEKIT_CLI);
#else
    snprintf(out, size, "hivekit");
#endif
}

static void bench_export(const char *label, const char *plain, const char *cli, int repeat)
{
    char hk_text[PATH_MAX + 64], rl_text[128], why[64], ts[32];
    double hk_t = -1.0, rl_t = -1.0;

    if (!is_executable(cli)) {
        snprintf(hk_text, sizeof hk_text, "hivekit missing (%s)", cli);
    } else {
        char *argv[] = {(char *)cli, "export", (char *)plain, "--format", "jsonl",
                        "-o", "/dev/null", NULL};
        hk_t = best_program(argv, 0, repeat, why, sizeof why);
        if (hk_t < 0.0)
            snprintf(hk_text, sizeof hk_text, "hivekit %s", why);
        else
            snprintf(hk_text, sizeof hk_text, "hivekit %s s", fmt_seconds(hk_t, ts, sizeof ts));
    }
    if (!in_path("reglookup")) {
        snprintf(rl_text, sizeof rl_text, "reglookup missing (not in PATH)");
    } else {
        char *argv[] = {"reglookup", (char *)plain, NULL};
        rl_t = best_program(argv, 1, repeat, why, sizeof why);
        if (rl_t < 0.0)
            snprintf(rl_text, sizeof rl_text, "reglookup %s", why);
        else
            snprintf(rl_text, sizeof rl_text, "reglookup %s s", fmt_seconds(rl_t, ts, sizeof ts));
    }
    if (hk_t > 0.0 && rl_t > 0.0)
        printf("export jsonl %s: %s | %s | ratio %.2f (goal <= 0.20)\n", label, hk_text, rl_text,
               hk_t / rl_t);
    else
        printf("export jsonl %s: %s | %s | ratio n/a (goal <= 0.20)\n", label, hk_text, rl_text);
}

/* ---- main --------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr,
            "usage: bench_walk HIVE [--repeat N] [--hivekit PATH] [--only hivekit|libhivex]\n"
            "                  [--walk-only]\n"
            "  HIVE may be gzip-compressed; N defaults to 5; PATH is the hivekit CLI;\n"
            "  --only times that one walk and nothing else (for profilers);\n"
            "  --walk-only prints the walk line alone (no memory, no export)\n");
}

static void print_peak(const char *what, long kib, double file_mib, int with_goal)
{
    if (kib < 0) {
        printf("peak memory %s walk: failed (file %.1f MB)\n", what, file_mib);
        return;
    }
    double mib = (double)kib / 1024.0;
    if (with_goal)
        printf("peak memory %s walk: %.1f MB (file %.1f MB; goal <= file + 16 MB = %.1f MB)\n",
               what, mib, file_mib, file_mib + 16.0);
    else
        printf("peak memory %s walk: %.1f MB (file %.1f MB)\n", what, mib, file_mib);
}

int main(int argc, char **argv)
{
    const char *hive_arg = NULL;
    const char *cli_arg = NULL;
    const char *only = NULL;
    int walk_only = 0;
    int repeat = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            char *end = NULL;
            long v = strtol(argv[++i], &end, 10);
            if (end == argv[i] || *end != '\0' || v < 1 || v > 1000) {
                usage();
                return 2;
            }
            repeat = (int)v;
        } else if (strcmp(argv[i], "--hivekit") == 0 && i + 1 < argc) {
            cli_arg = argv[++i];
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
            if (strcmp(only, "hivekit") != 0 && strcmp(only, "libhivex") != 0) {
                usage();
                return 2;
            }
        } else if (strcmp(argv[i], "--walk-only") == 0) {
            walk_only = 1;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else if (argv[i][0] != '-' && hive_arg == NULL) {
            hive_arg = argv[i];
        } else {
            usage();
            return 2;
        }
    }
    if (hive_arg == NULL) {
        usage();
        return 2;
    }

    int gz = is_gzip(hive_arg);
    if (gz < 0) {
        fprintf(stderr, "bench_walk: %s: %s\n", hive_arg, strerror(errno));
        return 1;
    }
    const char *plain = hive_arg;
    if (gz) {
        if (inflate_to_temp(hive_arg) != 0)
            return 1;
        plain = temp_path;
    }
    struct stat sb;
    if (stat(plain, &sb) != 0) {
        fprintf(stderr, "bench_walk: %s: %s\n", plain, strerror(errno));
        return 1;
    }
    double file_mib = (double)sb.st_size / MIB;
    char label[256];
    hive_label(hive_arg, label, sizeof label);

    if (only != NULL) {
        int hk = strcmp(only, "hivekit") == 0;
        walk_stats st;
        memset(&st, 0, sizeof st);
        double t = best_walk(hk ? hk_walk : hx_walk, plain, repeat, &st);
        char ts[32];
        printf("walk %s: keys %llu values %llu bytes %llu errors %llu | %s %s s\n", label,
               (unsigned long long)st.keys, (unsigned long long)st.values,
               (unsigned long long)st.bytes, (unsigned long long)st.errors, only,
               fmt_seconds(t, ts, sizeof ts));
        return st.errors == 0 ? 0 : 1;
    }

    /* Memory first, while this process is small: a forked child starts with
     * the parent's resident pages, so they count in its ru_maxrss too. */
    long floor_kib = walk_only ? -1 : child_peak_kib(nothing_walk, plain);
    long hk_kib = walk_only ? -1 : child_peak_kib(hk_walk, plain);
    long hx_kib = walk_only ? -1 : child_peak_kib(hx_walk, plain);

    walk_stats hk_st, hx_st, scratch;
    memset(&scratch, 0, sizeof scratch);
    memset(&hk_st, 0, sizeof hk_st);
    memset(&hx_st, 0, sizeof hx_st);
    /* Interleaved, one run of each per round, so that both see the same
     * machine load; best of the rounds for each. */
    double hk_t = -1.0, hx_t = -1.0;
    for (int r = 0; r < repeat; r++) {
        double t = best_walk(hk_walk, plain, 1, r == 0 ? &hk_st : &scratch);
        hk_t = hk_t < 0.0 || t < hk_t ? t : hk_t;
        t = best_walk(hx_walk, plain, 1, r == 0 ? &hx_st : &scratch);
        hx_t = hx_t < 0.0 || t < hx_t ? t : hx_t;
    }

    char hk_ts[32], hx_ts[32];
    printf("walk %s: keys %llu values %llu bytes %llu | hivekit %s s | libhivex %s s | "
           "ratio %.2f (goal <= 0.33)\n",
           label, (unsigned long long)hk_st.keys, (unsigned long long)hk_st.values,
           (unsigned long long)hk_st.bytes, fmt_seconds(hk_t, hk_ts, sizeof hk_ts),
           fmt_seconds(hx_t, hx_ts, sizeof hx_ts), hx_t > 0.0 ? hk_t / hx_t : 0.0);
    if (hk_st.keys != hx_st.keys || hk_st.values != hx_st.values || hk_st.bytes != hx_st.bytes ||
        hk_st.errors != 0 || hx_st.errors != 0) {
        printf("MISMATCH %s: hivekit keys %llu values %llu bytes %llu errors %llu"
               " | libhivex keys %llu values %llu bytes %llu errors %llu\n",
               label, (unsigned long long)hk_st.keys, (unsigned long long)hk_st.values,
               (unsigned long long)hk_st.bytes, (unsigned long long)hk_st.errors,
               (unsigned long long)hx_st.keys, (unsigned long long)hx_st.values,
               (unsigned long long)hx_st.bytes, (unsigned long long)hx_st.errors);
        fprintf(stderr, "bench_walk: MISMATCH between hivekit and libhivex on %s\n", label);
        return 1;
    }

    if (walk_only)
        return 0;
    print_peak("hivekit", hk_kib, file_mib, 1);
    print_peak("libhivex", hx_kib, file_mib, 0);
    if (floor_kib >= 0)
        printf("peak memory empty child: %.1f MB (the floor every forked child starts from)\n",
               (double)floor_kib / 1024.0);

    char cli[PATH_MAX];
    if (cli_arg != NULL)
        snprintf(cli, sizeof cli, "%s", cli_arg);
    else
        default_cli(cli, sizeof cli);
    bench_export(label, plain, cli, repeat);
    return 0;
}
