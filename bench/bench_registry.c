/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_registry: a benchmark program (not a test; it asserts no timings).
 *
 *   bench_registry CORPUS_DIR SOFTWARE_REG [--repeat N]
 *
 * The cost of opening a Windows volume as a registry: builds a volume in a
 * temporary folder from the corpus' regipy SYSTEM, a SOFTWARE built from
 * SOFTWARE_REG (the corpus has none; its ProfileList names two users) and
 * two users (copies of the corpus NTUSER.DAT and UsrClass.dat), then times
 * hk_registry_connect plus opening HKLM\SYSTEM\CurrentControlSet\Services
 * and HKCU (best of N), and the peer: libhivex opening the same six files
 * (hivex stops at one file; no tool resolves the namespace). Peak memory:
 * what the connect adds to the resident set (ru_maxrss in a fresh child).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <hivex.h>

#include "hivekit.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_registry: %s\n", what);
    exit(2);
}

static char vol[512];
static const char *files[6];
static char paths[6][1024];

static void mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
}

/* Inflates corpus file src (gzip) to dst. */
static void inflate_to(const char *src, const char *dst)
{
    gzFile in = gzopen(src, "rb");
    if (!in)
        die("cannot open a corpus file");
    mkdirs(dst);
    FILE *out = fopen(dst, "wb");
    if (!out)
        die("cannot write the volume");
    char buf[65536];
    int n;
    while ((n = gzread(in, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, out);
    gzclose(in);
    fclose(out);
}

static void build_software(const char *spec, const char *dst)
{
    FILE *fp = fopen(spec, "rb");
    if (!fp)
        die("cannot read SOFTWARE_REG");
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text, fp);
    fclose(fp);
    hk_hive *h;
    hk_key *root = NULL;
    if (hk_hive_create(5, "SOFTWARE", &h) || hk_hive_root(h, &root) ||
        hk_import_reg(root, text, len, NULL))
        die("cannot build SOFTWARE");
    hk_close_key(root);
    mkdirs(dst);
    if (hk_hive_save(h, dst, HK_SAVE_OVERWRITE))
        die("cannot save SOFTWARE");
    hk_hive_close(h);
}

static void make_volume(const char *corpus, const char *software)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(vol, sizeof vol, "%s/hk-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(vol))
        die("mkdtemp");
    const char *rel[6] = {"Windows/System32/config/SYSTEM", "Windows/System32/config/SOFTWARE",
                          "Users/alice/NTUSER.DAT",
                          "Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat",
                          "Users/Bob/NTUSER.DAT",
                          "Users/Bob/AppData/Local/Microsoft/Windows/UsrClass.dat"};
    const char *src[6] = {"SYSTEM.gz", NULL, "NTUSER.DAT.gz", "UsrClass.dat.gz", "NTUSER.DAT.gz",
                          "UsrClass.dat.gz"};
    for (int i = 0; i < 6; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", vol, rel[i]);
        files[i] = paths[i];
        if (src[i]) {
            char s[1024];
            snprintf(s, sizeof s, "%s/regipy/%s", corpus, src[i]);
            inflate_to(s, paths[i]);
        } else {
            build_software(software, paths[i]);
        }
    }
}

static void remove_volume(void)
{
    for (int i = 0; i < 6; i++)
        remove(files[i]);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", vol); /* the folders left */
    if (system(cmd) != 0)
        fprintf(stderr, "bench_registry: could not remove %s\n", vol);
}

/* One connect and the two opens; closes everything. */
static void hivekit_once(void)
{
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.user = "alice";
    hk_registry *reg;
    if (hk_registry_connect(vol, &o, &reg))
        die(hk_errmsg());
    hk_key *hklm = NULL, *svc = NULL, *hkcu = NULL;
    if (hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, 0, &hklm) ||
        hk_open_key(hklm, "SYSTEM\\CurrentControlSet\\Services", 0, HK_KEY_READ, &svc) ||
        hk_registry_open_predefined(reg, HK_HKEY_CURRENT_USER, 0, &hkcu))
        die("cannot open the keys");
    hk_close_key(hkcu);
    hk_close_key(svc);
    hk_close_key(hklm);
    hk_registry_close(reg);
}

static void hivex_once(void)
{
    for (int i = 0; i < 6; i++) {
        hive_h *h = hivex_open(files[i], 0);
        if (!h)
            die("hivex_open failed");
        hivex_close(h);
    }
}

static double best(void (*fn)(void), int repeat)
{
    double b = 1e9;
    for (int i = 0; i < repeat; i++) {
        double t = now_s();
        fn();
        t = now_s() - t;
        if (t < b)
            b = t;
    }
    return b;
}

/* KiB the call adds to the peak resident set, in a fresh child. */
static long peak_kib(void (*fn)(void))
{
    int fds[2];
    if (pipe(fds))
        die("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        struct rusage a, b;
        getrusage(RUSAGE_SELF, &a);
        fn();
        getrusage(RUSAGE_SELF, &b);
        long d = b.ru_maxrss - a.ru_maxrss;
        if (write(fds[1], &d, sizeof d) != (ssize_t)sizeof d)
            _exit(1);
        _exit(0);
    }
    long d = -1;
    close(fds[1]);
    if (read(fds[0], &d, sizeof d) != (ssize_t)sizeof d)
        d = -1;
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return d;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_registry CORPUS_DIR SOFTWARE_REG [--repeat N]\n");
        return 2;
    }
    int repeat = 20;
    if (argc == 5 && strcmp(argv[3], "--repeat") == 0)
        repeat = atoi(argv[4]) > 0 ? atoi(argv[4]) : 20;
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/regipy/SYSTEM.gz", argv[1]);
    if (access(probe, R_OK) != 0) {
        fprintf(stderr, "bench_registry: no corpus at %s\n", argv[1]);
        return 77;
    }
    make_volume(argv[1], argv[2]);
    long bytes = 0;
    for (int i = 0; i < 6; i++) {
        struct stat sb;
        if (stat(files[i], &sb) == 0)
            bytes += sb.st_size;
    }
    hivekit_once(); /* warm the page cache */
    hivex_once();
    double hk = best(hivekit_once, repeat);
    double hx = best(hivex_once, repeat);
    long hk_mem = peak_kib(hivekit_once), hx_mem = peak_kib(hivex_once);
    printf("connect volume: SYSTEM + SOFTWARE + 2 users (6 files, %.1f MiB) | hivekit connect+CCS+HKCU "
           "%.4f s, +%ld KiB peak | libhivex open x6 %.4f s, +%ld KiB peak | ratio %.2f\n",
           (double)bytes / 1048576.0, hk, hk_mem, hx, hx_mem, hx > 0 ? hk / hx : 0.0);
    remove_volume();
    return 0;
}
