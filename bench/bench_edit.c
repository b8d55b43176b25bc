/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_edit: a benchmark program (not a test; it asserts no timings).
 *
 *   bench_edit [--keys N] [--fanout F] [--dir DIR]
 *
 * Creates N keys (default 100,000: N/F parents under the root with F
 * children each, default F = 1000) with 4 values each (a REG_SZ, a
 * REG_DWORD, a 64-byte REG_BINARY, a REG_QWORD) and saves the hive, once
 * with hivekit (hk_create_key, hk_set_value_ex, hk_hive_save) and once with
 * libhivex (hivex_node_add_child, hivex_node_set_values, hivex_commit), both
 * starting from the same empty version 1.5 hive. Prints both times (best of
 * three), the ratio and both file sizes, and checks through hivekit that both
 * files hold the same number of keys and values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hivex.h>

#include "hivekit.h"

#define RUNS 3

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

_Noreturn static void die(const char *what, unsigned st)
{
    fprintf(stderr, "bench_edit: %s failed (%u)\n", what, st);
    exit(2);
}

/* The value data of key number i, the same for both libraries. */
struct data {
    uint8_t name[64]; /* UTF-16LE "item N" + NUL */
    size_t name_len;
    uint8_t dword[4], qword[8], blob[64];
};

static void make_data(uint32_t i, struct data *d)
{
    char text[24];
    int n = snprintf(text, sizeof text, "item %u", i);
    for (int k = 0; k <= n; k++) {
        d->name[2 * k] = (uint8_t)(k < n ? text[k] : 0);
        d->name[2 * k + 1] = 0;
    }
    d->name_len = 2 * ((size_t)n + 1);
    for (int k = 0; k < 4; k++)
        d->dword[k] = (uint8_t)(i >> (8 * k));
    for (int k = 0; k < 8; k++)
        d->qword[k] = (uint8_t)((uint64_t)i * 0x9E3779B97F4A7C15ull >> (8 * k));
    for (int k = 0; k < 64; k++)
        d->blob[k] = (uint8_t)(i * 31 + (uint32_t)k);
}

static double run_hivekit(const char *start, const char *out, uint32_t keys, uint32_t fanout)
{
    double t0 = now_s();
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    hk_hive *h;
    hk_status st = hk_hive_open(start, &o, &h);
    if (st)
        die("hk_hive_open", st);
    hk_hive_set_clock(h, 132000000000000000ull);
    hk_key *root, *parent = NULL;
    if ((st = hk_hive_root(h, &root)))
        die("hk_hive_root", st);
    for (uint32_t i = 0; i < keys; i++) {
        char name[32];
        if (i % fanout == 0) {
            hk_close_key(parent);
            snprintf(name, sizeof name, "Parent%05u", i / fanout);
            if ((st = hk_create_key(root, name, &parent)))
                die("hk_create_key", st);
        }
        snprintf(name, sizeof name, "Key%07u", i);
        hk_key *k;
        if ((st = hk_create_key(parent, name, &k)))
            die("hk_create_key", st);
        struct data d;
        make_data(i, &d);
        if ((st = hk_set_value_ex(k, "Name", 0, HK_REG_SZ, d.name, d.name_len)) ||
            (st = hk_set_value_ex(k, "Count", 0, HK_REG_DWORD, d.dword, 4)) ||
            (st = hk_set_value_ex(k, "Blob", 0, HK_REG_BINARY, d.blob, 64)) ||
            (st = hk_set_value_ex(k, "Stamp", 0, HK_REG_QWORD, d.qword, 8)))
            die("hk_set_value_ex", st);
        hk_close_key(k);
    }
    hk_close_key(parent);
    hk_close_key(root);
    unlink(out);
    if ((st = hk_hive_save(h, out, 0)))
        die("hk_hive_save", st);
    hk_hive_close(h);
    return now_s() - t0;
}

static double run_hivex(const char *start, const char *out, uint32_t keys, uint32_t fanout)
{
    double t0 = now_s();
    hive_h *h = hivex_open(start, HIVEX_OPEN_WRITE);
    if (!h)
        die("hivex_open", 0);
    hive_node_h root = hivex_root(h), parent = 0;
    for (uint32_t i = 0; i < keys; i++) {
        char name[32];
        if (i % fanout == 0) {
            snprintf(name, sizeof name, "Parent%05u", i / fanout);
            parent = hivex_node_add_child(h, root, name);
            if (!parent)
                die("hivex_node_add_child", 0);
        }
        snprintf(name, sizeof name, "Key%07u", i);
        hive_node_h k = hivex_node_add_child(h, parent, name);
        if (!k)
            die("hivex_node_add_child", 0);
        struct data d;
        make_data(i, &d);
        hive_set_value v[4] = {
            {(char *)"Name", hive_t_REG_SZ, d.name_len, (char *)d.name},
            {(char *)"Count", hive_t_REG_DWORD, 4, (char *)d.dword},
            {(char *)"Blob", hive_t_REG_BINARY, 64, (char *)d.blob},
            {(char *)"Stamp", hive_t_REG_QWORD, 8, (char *)d.qword},
        };
        if (hivex_node_set_values(h, k, 4, v, 0) != 0)
            die("hivex_node_set_values", 0);
    }
    unlink(out);
    if (hivex_commit(h, out, 0) != 0)
        die("hivex_commit", 0);
    hivex_close(h);
    return now_s() - t0;
}

static void count(hk_key *k, uint64_t *keys, uint64_t *values)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    if (hk_query_info_key(k, NULL, NULL, &ki))
        die("hk_query_info_key", 0);
    (*keys)++;
    *values += ki.values;
    for (uint32_t i = 0; i < ki.subkeys; i++) {
        hk_key *c;
        if (hk_open_subkey_at(k, i, HK_KEY_READ, &c))
            die("hk_open_subkey_at", 0);
        count(c, keys, values);
        hk_close_key(c);
    }
}

static void census(const char *path, uint64_t *keys, uint64_t *values, long long *size)
{
    hk_hive *h;
    hk_key *root;
    if (hk_hive_open(path, NULL, &h) || hk_hive_root(h, &root))
        die("reopen", 0);
    *keys = *values = 0;
    count(root, keys, values);
    hk_close_key(root);
    hk_hive_close(h);
    struct stat sb;
    *size = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

int main(int argc, char **argv)
{
    uint32_t keys = 100000, fanout = 1000;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--keys") == 0)
            keys = (uint32_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--fanout") == 0)
            fanout = (uint32_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
    }
    if (keys == 0 || fanout == 0 || fanout > 1012) {
        fprintf(stderr, "usage: bench_edit [--keys N] [--fanout F (1..1012)] [--dir DIR]\n");
        return 2;
    }
    char start[4096], out_hk[4096], out_hx[4096];
    snprintf(start, sizeof start, "%s/bench_edit_%ld_start.hive", dir, (long)getpid());
    snprintf(out_hk, sizeof out_hk, "%s/bench_edit_%ld_hivekit.hive", dir, (long)getpid());
    snprintf(out_hx, sizeof out_hx, "%s/bench_edit_%ld_hivex.hive", dir, (long)getpid());
    hk_hive *h;
    hk_status st = hk_hive_create(5, "ROOT", &h);
    if (st || (st = hk_hive_save(h, start, HK_SAVE_OVERWRITE)))
        die("creating the start hive", st);
    hk_hive_close(h);

    double best_hk = 1e99, best_hx = 1e99;
    for (int r = 0; r < RUNS; r++) {
        double a = run_hivekit(start, out_hk, keys, fanout);
        double b = run_hivex(start, out_hx, keys, fanout);
        if (a < best_hk)
            best_hk = a;
        if (b < best_hx)
            best_hx = b;
    }
    uint64_t k1, v1, k2, v2;
    long long s1, s2;
    census(out_hk, &k1, &v1, &s1);
    census(out_hx, &k2, &v2, &s2);
    printf("create %u keys (%u per parent) with 4 values each, then save; best of %d\n", keys,
           fanout, RUNS);
    printf("  hivekit  %8.3f s   file %10lld bytes   %llu keys, %llu values\n", best_hk, s1,
           (unsigned long long)k1, (unsigned long long)v1);
    printf("  libhivex %8.3f s   file %10lld bytes   %llu keys, %llu values\n", best_hx, s2,
           (unsigned long long)k2, (unsigned long long)v2);
    printf("  time ratio hivekit/libhivex = %.3f (goal <= 0.333); size ratio = %.3f (goal <= 1)\n",
           best_hk / best_hx, (double)s1 / (double)s2);
    unlink(start);
    unlink(out_hk);
    unlink(out_hx);
    if (k1 != k2 || v1 != v2) {
        fprintf(stderr, "bench_edit: the two files differ in keys or values\n");
        return 1;
    }
    return 0;
}
