/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_carve: a benchmark program (not a test; it asserts no timings).
 *
 *   bench_carve [IMAGE] [--size MIB] [--repeat N]
 *
 * Carving must run at the speed the image can be read. The peer is the
 * cheapest possible pass over the same file: read() of it whole in 8 MiB
 * chunks, touching nothing. Timed (best of N, default 3), in this order:
 * the read pass, hk_carve_file as a disk image, hk_carve_file as a memory
 * image. Each line gives MB/s and the ratio carve / read (1.00 = as fast as
 * reading). The peak resident size at the end shows that the carver's
 * memory does not grow with the image.
 *
 * Without IMAGE, an image of --size MiB (default 2048) is made in a
 * temporary folder and removed at exit: junk in 1 MiB of every 16 MiB, holes
 * elsewhere (a sparse-ish file, so that it costs little disk), and a small
 * hive (made with hk_hive_create) at an odd sector of every 256 MiB. The
 * carve must find exactly those hives (exit 1 otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hivekit.h"

#define CHUNK ((size_t)8 << 20)
#define MAX_HIVES 4096

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_carve: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* A small hive with a few keys and values, as a file's bytes. */
static unsigned char *make_hive(const char *dir, size_t *len)
{
    hk_hive *h;
    hk_key *root, *k;
    if (hk_hive_create(5, "BenchRoot", &h) != HK_ERROR_SUCCESS || hk_hive_root(h, &root) != 0)
        exit(2);
    hk_hive_set_clock(h, 0x01D5C3A1B2C3D4E5ull);
    for (int i = 0; i < 50; i++) {
        char name[32], data[600];
        snprintf(name, sizeof name, "Key%02d", i);
        memset(data, 'a' + i % 26, sizeof data);
        if (hk_create_key(root, name, &k) != HK_ERROR_SUCCESS ||
            hk_set_value_ex(k, "v", 0, HK_REG_BINARY, data, sizeof data) != HK_ERROR_SUCCESS)
            exit(2);
        hk_close_key(k);
    }
    char path[4096];
    if (snprintf(path, sizeof path, "%s/hive", dir) >= (int)sizeof path)
        exit(2);
    if (hk_hive_save(h, path, 0) != HK_ERROR_SUCCESS)
        exit(2);
    hk_close_key(root);
    hk_hive_close(h);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die(path);
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    unlink(path);
    return buf;
}

static uint64_t g_expected[MAX_HIVES];
static size_t g_n_expected;

static void make_image(const char *path, const char *dir, uint64_t size)
{
    size_t hl;
    unsigned char *hive = make_hive(dir, &hl);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)size) != 0)
        die(path);
    unsigned char *junk = malloc(1 << 20);
    uint32_t x = 2463534242u;
    for (uint64_t at = 0; at + (1 << 20) <= size; at += (uint64_t)16 << 20) {
        for (size_t i = 0; i < (1 << 20); i += 4) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            memcpy(junk + i, &x, 4);
        }
        if (pwrite(fd, junk, 1 << 20, (off_t)at) != (ssize_t)(1 << 20))
            die(path);
    }
    for (uint64_t at = 0; at + ((uint64_t)256 << 20) <= size && g_n_expected < MAX_HIVES;
         at += (uint64_t)256 << 20) {
        uint64_t off = at + (uint64_t)(3 + 2 * g_n_expected) * 512 + ((uint64_t)2 << 20);
        if (pwrite(fd, hive, hl, (off_t)off) != (ssize_t)hl)
            die(path);
        g_expected[g_n_expected++] = off;
    }
    close(fd);
    free(junk);
    free(hive);
}

static double read_pass(const char *path, uint64_t *bytes)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die(path);
    unsigned char *buf = malloc(CHUNK);
    volatile unsigned char sink = 0;
    double t0 = now();
    ssize_t n;
    *bytes = 0;
    while ((n = read(fd, buf, CHUNK)) > 0) {
        sink = (unsigned char)(sink + buf[0]);
        *bytes += (uint64_t)n;
    }
    double t = now() - t0;
    (void)sink;
    close(fd);
    free(buf);
    return t;
}

struct count {
    size_t hives, fragments, matched;
};

static int on_find(const hk_carve_record *r, void *ctx)
{
    struct count *c = ctx;
    if (r->type == HK_CARVE_HIVE) {
        c->hives++;
        for (size_t i = 0; i < g_n_expected; i++)
            if (g_expected[i] == r->offset && !r->truncated)
                c->matched++;
    } else {
        c->fragments++;
    }
    return 0;
}

static double carve_pass(const char *path, uint32_t flags, struct count *c)
{
    memset(c, 0, sizeof *c);
    hk_carve_options o = HK_CARVE_OPTIONS_INIT;
    o.flags = flags;
    double t0 = now();
    if (hk_carve_file(path, &o, on_find, c) != HK_ERROR_SUCCESS) {
        fprintf(stderr, "bench_carve: carving %s failed\n", path);
        exit(1);
    }
    return now() - t0;
}

int main(int argc, char **argv)
{
    const char *image = NULL;
    uint64_t size_mib = 2048;
    int repeat = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
            size_mib = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (argv[i][0] != '-' && !image)
            image = argv[i];
        else {
            fprintf(stderr, "usage: bench_carve [IMAGE] [--size MIB] [--repeat N]\n");
            return 2;
        }
    }
    if (repeat < 1 || size_mib < 256)
        return 2;
    char dir[4096] = "", path[4096];
    if (!image) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/bench_carve.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
            die("mkdtemp");
        if (snprintf(path, sizeof path, "%s/image", dir) >= (int)sizeof path)
            die("temporary folder name too long");
        make_image(path, dir, size_mib << 20);
        image = path;
    }
    double best_read = 1e30, best_disk = 1e30, best_mem = 1e30;
    uint64_t bytes = 0;
    struct count disk, mem;
    for (int r = 0; r < repeat; r++) {
        double t = read_pass(image, &bytes);
        if (t < best_read)
            best_read = t;
        t = carve_pass(image, 0, &disk);
        if (t < best_disk)
            best_disk = t;
        t = carve_pass(image, HK_CARVE_MEMORY, &mem);
        if (t < best_mem)
            best_mem = t;
    }
    double mb = (double)bytes / 1e6;
    printf("image: %s, %.0f MB%s\n", image, mb, dir[0] ? " (made here, removed at exit)" : "");
    printf("read() pass:  %8.0f MB/s\n", mb / best_read);
    printf("carve disk:   %8.0f MB/s  ratio %.2f of read  (%zu hives, %zu fragments)\n",
           mb / best_disk, best_read / best_disk, disk.hives, disk.fragments);
    printf("carve memory: %8.0f MB/s  ratio %.2f of read  (%zu fragments)\n", mb / best_mem,
           best_read / best_mem, mem.fragments);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident: %ld MiB\n", ru.ru_maxrss / 1024);
    int rc = 0;
    if (dir[0]) {
        if (disk.matched != g_n_expected || disk.hives != g_n_expected ||
            mem.fragments != g_n_expected) {
            fprintf(stderr, "bench_carve: found %zu of %zu hives (%zu in all; memory: %zu runs)\n",
                    disk.matched, g_n_expected, disk.hives, mem.fragments);
            rc = 1;
        }
        unlink(path);
        rmdir(dir);
    }
    return rc;
}
