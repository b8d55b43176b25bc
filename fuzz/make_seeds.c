/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * make_seeds DIR: writes the seeds of the fuzz targets into DIR/<target>/,
 * reproducible byte for byte. make_seeds.sh runs it and adds
 * build/fixtures/sample.hive to open/; the seeds_current test checks that
 * the committed files are what this writes.
 *
 * open/: hives built through the test-side hive builder, each small and
 * reaching one part of the format:
 *
 *   minimal.hive        root only, version 1.3
 *   types.hive          one value of each type, a default value, a class (1.3, li)
 *   types.hive.gz       the same, gzip-compressed
 *   index_root.hive     an ri over lh leaves of two entries (1.5)
 *   lf_leaf.hive        an lf list (1.4)
 *   bigdata.hive        a 17000-byte value in two db segments (1.5)
 *   bigcell.hive        a 17000-byte value in one cell (1.3)
 *   names.hive          Cyrillic, a surrogate pair, a lone surrogate, a NUL
 *   chain.hive          keys nested 40 deep
 *   security.hive       a key with its own security descriptor
 *   dirty.hive          sequence numbers differ (opens dirty)
 *   truncated.hive      types.hive cut inside its bins (fails at open)
 *
 * log/: a dirty hive and a log of it, as fuzz_log reads them (u32 LE hive
 * size, the hive, the log):
 *
 *   old_format.bin      an old-format ("DIRT") log rewriting the root's page
 *   new_format.bin      a new-format log of one HvLE entry (one page) with zero hashes
 *
 * reg/: small .reg files (fixtures/user.reg is copied in by make_seeds.sh):
 *
 *   v5_utf8.reg         version 5 without a BOM: every data form, deletions
 *   v5_utf16.reg        the same in UTF-16LE with a BOM
 *   regedit4.reg        REGEDIT4 with Windows-1252 text
 *   bad_line.reg        a malformed line (refused whole)
 *
 * carve/: raw images for fuzz_carve:
 *
 *   disk.img            junk sectors, a hive of four bins at sector 3, its
 *                       bins from the second on as a fragment, the hive cut
 *                       after its first bin, a sector opening an LZNT1 unit
 *                       with "regf" in its first literals, and a run of two
 *                       log entries
 *   memory.img          that hive's bins at byte offset 7, then its first bin
 *                       again at an odd offset with its cells cut at 700
 *
 * edit/: edit scripts in the language of edit_ops.c (first byte: version):
 *
 *   basic.ops           create with a class, values of several types, a
 *                       big-data value, default value, rename, delete, copy
 *   many_keys.ops       60 sibling keys, then half of them deleted
 *   security.ops        a key given a descriptor of its own
 *   v13_big.ops         a 1.3 hive with a 28 KB value in one cell, then 8 KB
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "hive_builder.h"

static const char *out_dir;

static void put_file(const char *name, const uint8_t *img, size_t len, int gzip)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", out_dir, strchr(name, '/') ? "" : "open/", name);
    int ok;
    if (gzip) {
        gzFile gz = gzopen(path, "wb9");
        ok = gz && gzwrite(gz, img, (unsigned)len) == (int)len;
        if (gz && gzclose(gz) != Z_OK)
            ok = 0;
    } else {
        FILE *fp = fopen(path, "wb");
        ok = fp && fwrite(img, 1, len, fp) == len;
        if (fp && fclose(fp) != 0)
            ok = 0;
    }
    if (!ok) {
        perror(path);
        exit(1);
    }
}

static void finish(struct hb *b, const char *name)
{
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    put_file(name, img, len, 0);
    free(img);
}

static uint8_t *types_hive(size_t *len)
{
    struct hb *b = hb_new(3, "TYPES");
    uint32_t root = hb_root(b);
    uint32_t k = hb_key(b, root, "Values");
    hb_class(b, k, "SomeClass");
    static const uint8_t sz[] = {'t', 0, 'e', 0, 'x', 0, 't', 0, 0, 0};
    static const uint8_t multi[] = {'a', 0, 0, 0, 'b', 0, 'c', 0, 0, 0, 0, 0};
    static const uint8_t odd[] = {'x', 0, 'y'};
    static const uint8_t q[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    hb_value(b, k, "", 1, sz, sizeof sz);
    hb_value(b, k, "sz", 1, sz, sizeof sz);
    hb_value(b, k, "expand", 2, sz, sizeof sz);
    hb_value(b, k, "binary", 3, q, 6);
    hb_value(b, k, "dword", 4, q, 4);
    hb_value(b, k, "big_endian", 5, q, 4);
    hb_value(b, k, "link", 6, sz, sizeof sz);
    hb_value(b, k, "multi", 7, multi, sizeof multi);
    hb_value(b, k, "qword", 11, q, 8);
    hb_value(b, k, "odd_sz", 1, odd, sizeof odd);
    hb_value(b, k, "empty", 0, NULL, 0);
    hb_value(b, k, "custom", 0x12345, q, 3);
    hb_key(b, k, "Sub");
    return hb_finish(b, len);
}

/* ---- raw images to carve ---- */

static void carve_seeds(void)
{
    size_t len;
    uint32_t first;
    uint8_t *h = hb_carve_hive("CARVE", "k", 3, &len, &first);
    static uint8_t img[5 * 65536];
    uint32_t x = 0x2545F491u;
    for (size_t i = 0; i < sizeof img; i++) { /* junk: no 'a'..'z' */
        x = x * 1103515245u + 12345u;
        uint8_t c = (uint8_t)(x >> 16);
        img[i] = c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a') : c;
    }
    size_t at = 3 * 512, frag = 0;
    if (at + len * 3 + 4096 > sizeof img) {
        fprintf(stderr, "make_seeds: the hive to carve is too large\n");
        exit(1);
    }
    memcpy(img + at, h, len);
    frag = (at + len + 511) / 512 * 512 + 1024;
    memcpy(img + frag, h + 4096 + first, len - 4096 - first);
    size_t cut = (frag + len + 511) / 512 * 512;
    memcpy(img + cut, h, 4096 + first);
    size_t unit = (cut + 4096 + first + 511) / 512 * 512 + 512;
    static const uint8_t lznt1[] = {0x0F, 0xB0, 0x00, 'r', 'e', 'g', 'f', 0, 0, 0, 0x00, 0, 0, 0};
    memcpy(img + unit, lznt1, sizeof lznt1);
    /* two log entries of one page each, sequence 5 and 6 */
    size_t log = unit + 4096;
    for (uint32_t i = 0; i < 2; i++) {
        uint8_t *e = img + log + 4608 * i;
        memset(e, 0, 4608);
        memcpy(e, "HvLE", 4);
        hb_put32(e, 4, 4608);
        hb_put32(e, 12, 5 + i);
        hb_put32(e, 16, 12288);
        hb_put32(e, 20, 1);
        hb_put32(e, 40, 4096);
        hb_put32(e, 44, 4096);
        memset(e + 512, 'L', 4096);
    }
    put_file("carve/disk.img", img, log + 2 * 4608, 0);
    memcpy(img + 7, h + 4096, len - 4096);
    size_t odd = len - 4096 + 7 + 333;
    memcpy(img + odd, h + 4096, first);
    memset(img + odd + 700, 0xFF, first);
    put_file("carve/memory.img", img, odd + 2 * first, 0);
    free(h);
}

/* ---- edit scripts (opcodes of edit_ops.c) ---- */

/* Opcodes; a slot argument of create / open puts the handle in slot 1 + a % 7. */
enum { OP_CREATE, OP_SET, OP_SET_BIG, OP_DEL_VALUE, OP_DEL_KEY, OP_DEL_TREE, OP_RENAME, OP_COPY,
       OP_SELECT, OP_OPEN_AT, OP_SET_SZ, OP_SECURITY, OP_OPEN, OP_CLOSE };

struct script {
    uint8_t b[8192];
    size_t n;
};

static void u8(struct script *s, unsigned v)
{
    if (s->n >= sizeof s->b)
        abort();
    s->b[s->n++] = (uint8_t)v;
}

static void name(struct script *s, const char *text)
{
    if (!text) {
        u8(s, 255);
        return;
    }
    u8(s, (unsigned)strlen(text));
    for (const char *p = text; *p; p++)
        u8(s, (uint8_t)*p);
}

static void bytes(struct script *s, const void *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        u8(s, ((const uint8_t *)p)[i]);
}

static void put_script(const char *file, const struct script *s)
{
    char rel[128];
    snprintf(rel, sizeof rel, "edit/%s", file);
    put_file(rel, s->b, s->n, 0);
}

static void edit_seeds(void)
{
    struct script s = {{0}, 0};
    u8(&s, 1); /* version 1.5 */
    u8(&s, OP_CREATE); u8(&s, 0); name(&s, "Software\\Vendor"); u8(&s, 1);
    u8(&s, OP_SELECT); u8(&s, 1);
    u8(&s, OP_SET); name(&s, "sz"); u8(&s, 1); u8(&s, 6); bytes(&s, "a\0b\0\0\0", 6);
    u8(&s, OP_SET); name(&s, "dw"); u8(&s, 4); u8(&s, 4); bytes(&s, "\1\2\3\4", 4);
    u8(&s, OP_SET); name(&s, "multi"); u8(&s, 5); u8(&s, 8); bytes(&s, "x\0\0\0y\0\0\0", 8);
    u8(&s, OP_SET_BIG); name(&s, "blob"); u8(&s, 5); u8(&s, 7);
    u8(&s, OP_SET_SZ); name(&s, NULL); name(&s, "default text");
    u8(&s, OP_CREATE); u8(&s, 1); name(&s, "Sub"); u8(&s, 0);
    u8(&s, OP_SELECT); u8(&s, 0);
    u8(&s, OP_COPY); name(&s, "Software"); u8(&s, 2);
    u8(&s, OP_RENAME); name(&s, "Software"); name(&s, "Programs");
    u8(&s, OP_SELECT); u8(&s, 1);
    u8(&s, OP_DEL_VALUE); name(&s, "dw");
    u8(&s, OP_SET_BIG); name(&s, "blob"); u8(&s, 1); u8(&s, 0);
    u8(&s, OP_OPEN_AT); u8(&s, 2); u8(&s, 0);
    u8(&s, OP_SELECT); u8(&s, 0);
    u8(&s, OP_OPEN); u8(&s, 3); name(&s, "Programs\\Vendor");
    u8(&s, OP_DEL_TREE); name(&s, "Programs\\Vendor\\Sub");
    u8(&s, OP_CLOSE); u8(&s, 4);
    put_script("basic.ops", &s);

    s.n = 0;
    u8(&s, 0); /* version 1.3 */
    for (unsigned i = 0; i < 60; i++) {
        char k[16];
        snprintf(k, sizeof k, "key%02u", (i * 37) % 60);
        u8(&s, OP_CREATE); u8(&s, 1); name(&s, k); u8(&s, i & 1);
    }
    for (unsigned i = 0; i < 60; i += 2) {
        char k[16];
        snprintf(k, sizeof k, "key%02u", i);
        u8(&s, OP_DEL_KEY); name(&s, k);
    }
    put_script("many_keys.ops", &s);

    s.n = 0;
    u8(&s, 1);
    uint32_t sd_len;
    const uint8_t *sd = hb_default_sd(&sd_len);
    u8(&s, OP_CREATE); u8(&s, 0); name(&s, "Locked"); u8(&s, 0);
    u8(&s, OP_SELECT); u8(&s, 1);
    u8(&s, OP_SECURITY); u8(&s, 0x7); u8(&s, sd_len); bytes(&s, sd, sd_len);
    u8(&s, OP_CREATE); u8(&s, 2); name(&s, "Child"); u8(&s, 0);
    put_script("security.ops", &s);

    s.n = 0;
    u8(&s, 0);
    u8(&s, OP_SET_BIG); name(&s, "big"); u8(&s, 7); u8(&s, 3);
    u8(&s, OP_SET_BIG); name(&s, "big"); u8(&s, 2); u8(&s, 0);
    put_script("v13_big.ops", &s);
}

/* ---- log seeds ---- */

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put_log_seed(const char *file, const uint8_t *hive, size_t hive_len, const uint8_t *log,
                         size_t log_len)
{
    uint8_t *buf = malloc(4 + hive_len + log_len);
    if (!buf)
        abort();
    put_le32(buf, (uint32_t)hive_len);
    memcpy(buf + 4, hive, hive_len);
    memcpy(buf + 4 + hive_len, log, log_len);
    char rel[128];
    snprintf(rel, sizeof rel, "log/%s", file);
    put_file(rel, buf, 4 + hive_len + log_len, 0);
    free(buf);
}

static void log_seeds(void)
{
    size_t len;
    uint8_t *img = types_hive(&len);
    uint32_t bins = hb_get32(img, HB_REGF_BINS_SIZE);
    /* the primary: sequence 5 started, 4 finished (dirty), checksum right */
    hb_put32(img, HB_REGF_SEQ1, 5);
    hb_put32(img, HB_REGF_SEQ2, 4);
    hb_fix_checksum(img);

    /* old format: base block copy (type 1, clean at 5), DIRT, bitmap, pages */
    size_t vector = bins / 4096, start = (516 + vector + 511) / 512 * 512;
    size_t log_len = start + 512;
    uint8_t *log = calloc(1, log_len);
    if (!log)
        abort();
    memcpy(log, img, 512);
    hb_put32(log, HB_REGF_SEQ2, 5);
    hb_put32(log, HB_REGF_TYPE, 1);
    hb_fix_checksum(log);
    memcpy(log + 512, "DIRT", 4);
    log[516] = 1; /* page 0 of the bins: the bin header and the root key */
    memcpy(log + start, img + HB_BASE_BLOCK_SIZE, 512);
    uint32_t root = hb_get32(img, HB_REGF_ROOT);
    size_t t = (size_t)root + 4 + HB_NK_TIME; /* the root's time, inside page 0 */
    if (t + 8 <= 512)
        log[start + t] ^= 0x5A;
    put_log_seed("old_format.bin", img, len, log, log_len);
    free(log);

    /* new format: base block copy (type 6), one entry of one page */
    log_len = 512 + 1024;
    log = calloc(1, log_len);
    if (!log)
        abort();
    memcpy(log, img, 512);
    hb_put32(log, HB_REGF_SEQ2, 5);
    hb_put32(log, HB_REGF_TYPE, 6);
    hb_fix_checksum(log);
    uint8_t *e = log + 512;
    memcpy(e, "HvLE", 4);
    put_le32(e + 4, 1024);
    put_le32(e + 12, 5);
    put_le32(e + 16, bins);
    put_le32(e + 20, 1);
    put_le32(e + 40, 0);   /* one reference: bin offset 0 */
    put_le32(e + 44, 512); /* of one 512-byte page */
    memcpy(e + 48, img + HB_BASE_BLOCK_SIZE, 512);
    put_log_seed("new_format.bin", img, len, log, log_len);
    free(log);
    free(img);
}

/* ---- .reg seeds ---- */

static const char reg_v5[] =
    "Windows Registry Editor Version 5.00\r\n\r\n"
    "[HKEY_LOCAL_MACHINE\\FUZZ]\r\n"
    "@=\"default\"\r\n\r\n"
    "[HKEY_LOCAL_MACHINE\\FUZZ\\Software\\Vendor]\r\n"
    "\"sz\"=\"text with \\\"quotes\\\" and \\\\\"\r\n"
    "\"dw\"=dword:0000002a\r\n"
    "\"bin\"=hex:01,02,03,ff\r\n"
    "\"expand\"=hex(2):25,00,50,00,25,00,00,00\r\n"
    "\"multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n"
    "\"qword\"=hex(b):01,00,00,00,00,00,00,00\r\n"
    "\"none\"=hex(0):\r\n"
    "\"custom\"=hex(12345):aa,bb\r\n"
    "\"long\"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,\\\r\n"
    "  16,17,18,19\r\n\r\n"
    "[HKEY_LOCAL_MACHINE\\FUZZ\\Software\\Gone]\r\n\r\n"
    "[-HKEY_LOCAL_MACHINE\\FUZZ\\Software\\Gone]\r\n\r\n"
    "[HKEY_LOCAL_MACHINE\\FUZZ\\Software\\Vendor]\r\n"
    "\"bin\"=-\r\n";

static const char reg_v4[] =
    "REGEDIT4\r\n\r\n"
    "[HKEY_CURRENT_USER\\Caf\xe9]\r\n"
    "\"Cr\xe8me\"=\"br\xfbl\xe9\x65\"\r\n"
    "\"n\"=dword:00000001\r\n";

static const char reg_bad[] =
    "Windows Registry Editor Version 5.00\r\n\r\n"
    "[HKEY_LOCAL_MACHINE\\FUZZ]\r\n"
    "\"ok\"=dword:00000001\r\n"
    "\"broken\"=dword:xyz\r\n";

static void reg_seeds(void)
{
    put_file("reg/v5_utf8.reg", (const uint8_t *)reg_v5, sizeof reg_v5 - 1, 0);
    size_t n = sizeof reg_v5 - 1;
    uint8_t *u = malloc(2 + 2 * n);
    if (!u)
        abort();
    u[0] = 0xFF;
    u[1] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        u[2 + 2 * i] = (uint8_t)reg_v5[i];
        u[3 + 2 * i] = 0;
    }
    put_file("reg/v5_utf16.reg", u, 2 + 2 * n, 0);
    free(u);
    put_file("reg/regedit4.reg", (const uint8_t *)reg_v4, sizeof reg_v4 - 1, 0);
    put_file("reg/bad_line.reg", (const uint8_t *)reg_bad, sizeof reg_bad - 1, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds DIR\n");
        return 2;
    }
    out_dir = argv[1];

    edit_seeds();
    log_seeds();
    reg_seeds();
    carve_seeds();
    finish(hb_new(3, "MIN"), "minimal.hive");

    size_t len;
    uint8_t *img = types_hive(&len);
    put_file("types.hive", img, len, 0);
    put_file("types.hive.gz", img, len, 1);
    put_file("truncated.hive", img, len - 2048, 0);
    free(img);

    struct hb *b = hb_new(5, "RI");
    uint32_t root = hb_root(b);
    hb_list_kind(b, root, 'h', 2);
    const char *names[] = {"a", "b", "c", "d", "e"};
    for (size_t i = 0; i < 5; i++)
        hb_key(b, root, names[i]);
    finish(b, "index_root.hive");

    b = hb_new(4, "LF");
    root = hb_root(b);
    hb_list_kind(b, root, 'f', 0);
    hb_key(b, root, "one");
    hb_key(b, root, "two");
    finish(b, "lf_leaf.hive");

    static uint8_t big[17000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    b = hb_new(5, "BIG");
    hb_value(b, hb_root(b), "db", 3, big, sizeof big);
    finish(b, "bigdata.hive");
    b = hb_new(3, "BIG");
    hb_value(b, hb_root(b), "cell", 3, big, sizeof big);
    finish(b, "bigcell.hive");

    b = hb_new(5, "NAMES");
    root = hb_root(b);
    static const uint16_t pair[] = {'p', 0xD83D, 0xDE00};
    static const uint16_t lone[] = {'s', 0xDC00, 'x'};
    static const uint16_t nul[] = {'z', 0, 'z'};
    hb_key_raw(b, root, pair, 3);
    hb_key_raw(b, root, lone, 3);
    hb_key_raw(b, root, nul, 3);
    hb_key(b, root, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"); /* sorts last */
    hb_value_raw(b, root, lone, 3, 4, "\1\0\0\0", 4);
    hb_value_raw(b, root, nul, 3, 4, "\2\0\0\0", 4);
    finish(b, "names.hive");

    b = hb_new(5, "CHAIN");
    uint32_t k = hb_root(b);
    for (int i = 0; i < 40; i++)
        k = hb_key(b, k, "k");
    finish(b, "chain.hive");

    b = hb_new(5, "SEC");
    root = hb_root(b);
    uint32_t sd_len;
    const uint8_t *sd = hb_default_sd(&sd_len);
    uint8_t own[256];
    memcpy(own, sd, sd_len);
    own[1] = 0x7F; /* another revision byte: a distinct descriptor */
    hb_key_sd(b, hb_key(b, root, "Own"), own, sd_len);
    finish(b, "security.hive");

    b = hb_new(5, "DIRTY");
    hb_key(b, hb_root(b), "x");
    img = hb_finish(b, &len);
    hb_put32(img, HB_REGF_SEQ2, hb_get32(img, HB_REGF_SEQ1) + 1);
    hb_fix_checksum(img);
    put_file("dirty.hive", img, len, 0);
    free(img);
    return 0;
}
