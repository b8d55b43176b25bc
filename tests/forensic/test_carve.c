/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hk_carve_memory / hk_carve_file on images made here: hives built by the
 * test-side builder, whole, cut and split, dropped at odd offsets among junk;
 * a hive written as an NTFS-compressed file by a test-side LZNT1 compressor
 * (written from MS-XCA, independent of the library's decompressor), with and
 * without slack between units; and hostile images that must neither crash
 * nor claim more than they hold. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hive_builder.h"
#include "hivekit.h"
#include "tempdir.h"

Suite *test_suite(void);

/* ---- test-side helpers ------------------------------------------------------- */

static uint32_t g_rng = 12345;

static uint8_t rnd8(void)
{
    g_rng = g_rng * 1103515245u + 12345u;
    return (uint8_t)(g_rng >> 16);
}

/* Junk without "hbin" or "regf" anywhere (bytes 'a'..'z' are avoided). */
static void junk(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = rnd8();
        p[i] = (b >= 'a' && b <= 'z') ? (uint8_t)(b - 'a') : b;
    }
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A hive of several bins: zero-heavy values, then values of junk (which do
 * not compress), then zero-heavy ones again. */
static uint8_t *make_hive(size_t *len, unsigned zeros_before, unsigned random_mid,
                          unsigned zeros_after)
{
    struct hb *b = hb_new(5, "CarveRoot");
    uint32_t k = hb_key(b, hb_root(b), "Software");
    static uint8_t data[4000];
    char name[32];
    unsigned n = 0;
    for (unsigned i = 0; i < zeros_before + random_mid + zeros_after; i++) {
        int rnd = i >= zeros_before && i < zeros_before + random_mid;
        memset(data, 0, sizeof data);
        if (rnd)
            junk(data, sizeof data);
        else
            snprintf((char *)data, sizeof data, "value %u", i);
        snprintf(name, sizeof name, "v%u", n++);
        hb_value(b, k, name, HK_REG_BINARY, data, rnd ? 4000 : 3000);
    }
    return hb_finish(b, len);
}

struct bins {
    uint32_t off[256], size[256];
    size_t n;
};

static void list_bins(const uint8_t *h, size_t len, struct bins *out)
{
    out->n = 0;
    for (size_t at = 4096; at + 32 <= len && out->n < 256; out->n++) {
        ck_assert_mem_eq(h + at, "hbin", 4);
        out->off[out->n] = (uint32_t)(at - 4096);
        out->size[out->n] = rd32(h + at + 8);
        at += out->size[out->n];
    }
}

/* The first cell start at or past x in the bin at h (relative), or 0. */
static uint32_t first_cell_from(const uint8_t *bin, uint32_t size, uint32_t x)
{
    for (uint32_t pos = 32; pos < size;) {
        if (pos >= x)
            return pos;
        int32_t raw = (int32_t)rd32(bin + pos);
        pos += (uint32_t)(raw < 0 ? -raw : raw);
    }
    return 0;
}

/* ---- collecting finds -------------------------------------------------------- */

struct find {
    hk_carve_record r;
    uint8_t *data;
};

struct finds {
    struct find v[64];
    size_t n;
    size_t stop_after; /* 0: never stop */
};

static int collect(const hk_carve_record *r, void *ctx)
{
    struct finds *f = ctx;
    ck_assert_uint_lt(f->n, 64);
    struct find *d = &f->v[f->n++];
    d->r = *r;
    d->r.pieces = NULL;
    d->data = NULL;
    if (r->data) {
        d->data = malloc((size_t)r->size + 1);
        memcpy(d->data, r->data, (size_t)r->size);
    }
    return f->stop_after && f->n >= f->stop_after;
}

static void finds_free(struct finds *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].data);
    f->n = 0;
}

static void carve_mem(const uint8_t *img, size_t n, uint32_t flags, struct finds *f)
{
    hk_carve_options o = HK_CARVE_OPTIONS_INIT;
    o.flags = flags;
    f->n = 0;
    ck_assert_uint_eq(hk_carve_memory(img, n, &o, collect, f), HK_ERROR_SUCCESS);
}

static void expect_find(const struct finds *f, size_t i, uint32_t type, uint64_t offset,
                        uint64_t size)
{
    ck_assert_msg(i < f->n, "find #%zu missing (%zu finds)", i, f->n);
    ck_assert_uint_eq(f->v[i].r.type, type);
    ck_assert_uint_eq(f->v[i].r.offset, offset);
    ck_assert_uint_eq(f->v[i].r.size, size);
}

/* ---- whole, split and cut hives on a disk image ------------------------------ */

START_TEST(disk_exact_finds)
{
    size_t hl;
    uint8_t *h = make_hive(&hl, 3, 2, 3);
    struct bins b;
    list_bins(h, hl, &b);
    ck_assert_uint_ge(b.n, 5);
    uint32_t bins_size = rd32(h + 0x28);

    size_t n = 4u << 20;
    uint8_t *img = malloc(n);
    junk(img, n);
    uint64_t at_hive = 37 * 512, at_frag = 1001 * 512, at_cut = 2001 * 512, at_mid = 3001 * 512;
    /* a whole hive */
    memcpy(img + at_hive, h, hl);
    /* its bins from the second one on: a fragment */
    size_t frag_len = hl - 4096 - b.size[0];
    memcpy(img + at_frag, h + 4096 + b.size[0], frag_len);
    /* base block and first bin only: cut at a bin boundary */
    memcpy(img + at_cut, h, 4096 + b.size[0]);
    /* cut inside the third bin, 0xFF after the cut */
    uint32_t x = 1000;
    size_t keep = 4096 + b.off[2] + x;
    memcpy(img + at_mid, h, keep);
    memset(img + at_mid + keep, 0xFF, 8192);
    uint32_t cut = first_cell_from(h + 4096 + b.off[2], b.size[2], x);
    ck_assert_uint_ne(cut, 0);
    uint64_t mid_size = (at_mid + 4096 + b.off[2] + cut) / 512 * 512 - at_mid;

    struct finds f = {.n = 0};
    carve_mem(img, n, HK_CARVE_DATA, &f);
    ck_assert_uint_eq(f.n, 4);
    expect_find(&f, 0, HK_CARVE_HIVE, at_hive, hl);
    ck_assert_uint_eq(f.v[0].r.hbins_data_size, bins_size);
    ck_assert_int_eq(f.v[0].r.truncated, 0);
    ck_assert_int_eq(f.v[0].r.compressed, 0);
    ck_assert_mem_eq(f.v[0].data, h, hl);
    expect_find(&f, 1, HK_CARVE_FRAGMENT, at_frag, frag_len);
    ck_assert_uint_eq(f.v[1].r.hbin_start, b.size[0]);
    ck_assert_mem_eq(f.v[1].data, h + 4096 + b.size[0], frag_len);
    expect_find(&f, 2, HK_CARVE_HIVE, at_cut, 4096 + b.size[0]);
    ck_assert_int_eq(f.v[2].r.truncated, 1);
    ck_assert_uint_eq(f.v[2].r.hbins_data_size, bins_size);
    expect_find(&f, 3, HK_CARVE_HIVE, at_mid, mid_size);
    ck_assert_int_eq(f.v[3].r.truncated, 1);
    /* the cut hive opens for salvage */
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_SALVAGE;
    hk_hive *hv = NULL;
    ck_assert_uint_eq(hk_hive_open_memory(f.v[2].data, (size_t)f.v[2].r.size, &o, &hv),
                      HK_ERROR_SUCCESS);
    hk_hive_close(hv);
    finds_free(&f);

    /* Reassembly: the cut hive and the fragment after it make the hive. */
    carve_mem(img, n, HK_CARVE_REASSEMBLE, &f);
    ck_assert_uint_eq(f.n, 5);
    ck_assert_uint_eq(f.v[4].r.type, HK_CARVE_REASSEMBLED);
    ck_assert_uint_eq(f.v[4].r.offset, at_cut);
    ck_assert_uint_eq(f.v[4].r.size, hl);
    ck_assert_mem_eq(f.v[4].data, h, hl);
    finds_free(&f);
    /* A stop request gives CANCELLED and the callback hears nothing after
     * it, not even the reassembled hive. */
    hk_carve_options ro = HK_CARVE_OPTIONS_INIT;
    ro.flags = HK_CARVE_REASSEMBLE;
    for (size_t stop = 1; stop <= 5; stop++) {
        f.stop_after = stop;
        ck_assert_uint_eq(hk_carve_memory(img, n, &ro, collect, &f), HK_ERROR_CANCELLED);
        ck_assert_uint_eq(f.n, stop);
        finds_free(&f);
    }
    f.stop_after = 0;

    /* The same from a file, read in windows. */
    char *path = tempfile_new("carve-test", img, n);
    hk_carve_options fo = HK_CARVE_OPTIONS_INIT;
    fo.flags = 0;
    ck_assert_uint_eq(hk_carve_file(path, &fo, collect, &f), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(f.n, 4);
    expect_find(&f, 3, HK_CARVE_HIVE, at_mid, mid_size);
    finds_free(&f);
    /* A callback's nonzero return stops the carve: CANCELLED. */
    f.stop_after = 2;
    ck_assert_uint_eq(hk_carve_file(path, &fo, collect, &f), HK_ERROR_CANCELLED);
    ck_assert_uint_eq(f.n, 2);
    finds_free(&f);
    unlink(path);
    free(path);
    free(img);
    free(h);
}
END_TEST

/* ---- a memory image: bins at odd byte offsets ---------------------------------- */

START_TEST(memory_exact_finds)
{
    size_t hl;
    uint8_t *h = make_hive(&hl, 2, 1, 2);
    struct bins b;
    list_bins(h, hl, &b);
    size_t n = 300001;
    uint8_t *img = malloc(n);
    junk(img, n);
    uint64_t at_run = 12345, at_cut = 200001;
    memcpy(img + at_run, h + 4096, hl - 4096);
    /* the first bin again, 0xFF from byte 700 of it */
    memcpy(img + at_cut, h + 4096, b.size[0]);
    memset(img + at_cut + 700, 0xFF, b.size[0] + 4096 - 700);
    uint32_t cut = first_cell_from(h + 4096, b.size[0], 700);
    ck_assert_uint_ne(cut, 0);

    struct finds f = {.n = 0};
    carve_mem(img, n, HK_CARVE_MEMORY | HK_CARVE_DATA, &f);
    ck_assert_uint_eq(f.n, 2);
    expect_find(&f, 0, HK_CARVE_FRAGMENT, at_run, hl - 4096);
    ck_assert_uint_eq(f.v[0].r.hbin_start, 0);
    ck_assert_mem_eq(f.v[0].data, h + 4096, hl - 4096);
    expect_find(&f, 1, HK_CARVE_FRAGMENT, at_cut, cut);
    finds_free(&f);
    /* A stop request: CANCELLED, no find after it. */
    hk_carve_options mo = HK_CARVE_OPTIONS_INIT;
    mo.flags = HK_CARVE_MEMORY;
    f.stop_after = 1;
    ck_assert_uint_eq(hk_carve_memory(img, n, &mo, collect, &f), HK_ERROR_CANCELLED);
    ck_assert_uint_eq(f.n, 1);
    finds_free(&f);
    f.stop_after = 0;
    /* Read as a disk image, nothing is at a sector boundary. */
    carve_mem(img, n, 0, &f);
    ck_assert_uint_eq(f.n, 0);
    free(img);
    free(h);
}
END_TEST

/* ---- NTFS compression, test side ------------------------------------------------ */

/* One LZNT1 chunk (n <= 4096 bytes) compressed greedily; returns the data
 * length after the header, or n + 1 when it does not shrink. */
static size_t lznt1_chunk(const uint8_t *src, size_t n, uint8_t *out)
{
    size_t pos = 0, o = 0;
    while (pos < n) {
        size_t flags_at = o++;
        uint8_t flags = 0;
        for (int t = 0; t < 8 && pos < n; t++) {
            size_t best = 0, best_off = 0;
            if (pos > 0) {
                unsigned lbits = 12;
                for (size_t q = pos - 1; q >= 16; q >>= 1)
                    lbits--;
                size_t max_len = ((size_t)1 << lbits) + 2, max_off = (size_t)1 << (16 - lbits);
                for (size_t off = 1; off <= pos && off <= max_off; off++) {
                    size_t l = 0;
                    while (pos + l < n && l < max_len && src[pos - off + l] == src[pos + l])
                        l++;
                    if (l > best) {
                        best = l;
                        best_off = off;
                    }
                }
                if (best >= 3) {
                    uint16_t tok = (uint16_t)((best_off - 1) << lbits | (best - 3));
                    out[o++] = (uint8_t)tok;
                    out[o++] = (uint8_t)(tok >> 8);
                    flags |= (uint8_t)(1u << t);
                    pos += best;
                    if (o > n)
                        return n + 1;
                    continue;
                }
            }
            out[o++] = src[pos++];
            if (o > n)
                return n + 1;
        }
        out[flags_at] = flags;
    }
    return o < n ? o : n + 1;
}

/* Writes the file's bytes as NTFS compression units at img (slack: each
 * unit takes 64 KiB on disk; else only its clusters). Returns the bytes
 * used; *raw_units counts units stored raw, *raw_at (may be NULL) gets
 * where the first of them went and *raw_from its place in the file. */
static size_t ntfs_write(const uint8_t *file, size_t len, uint8_t *img, int slack,
                         unsigned *raw_units, size_t *raw_at, size_t *raw_from)
{
    static uint8_t unit[2 * 65536], chunk[8192];
    size_t used = 0;
    *raw_units = 0;
    for (size_t at = 0; at < len; at += 65536) {
        size_t ul = len - at < 65536 ? len - at : 65536, u = 0;
        for (size_t c = 0; c < ul; c += 4096) {
            size_t cl = ul - c < 4096 ? ul - c : 4096;
            size_t z = lznt1_chunk(file + at + c, cl, chunk);
            if (z <= cl) {
                uint16_t hdr = (uint16_t)(0xB000u | (z - 1));
                unit[u++] = (uint8_t)hdr;
                unit[u++] = (uint8_t)(hdr >> 8);
                memcpy(unit + u, chunk, z);
                u += z;
            } else {
                uint16_t hdr = (uint16_t)(0x3000u | (cl - 1));
                unit[u++] = (uint8_t)hdr;
                unit[u++] = (uint8_t)(hdr >> 8);
                memcpy(unit + u, file + at + c, cl);
                u += cl;
            }
        }
        size_t clusters = (u + 4095) / 4096, full = (ul + 4095) / 4096;
        if (clusters >= full) { /* nothing saved: stored raw */
            if (raw_at && *raw_units == 0) {
                *raw_at = used;
                *raw_from = at;
            }
            memcpy(img + used, file + at, ul);
            used += full * 4096;
            (*raw_units)++;
            continue;
        }
        memcpy(img + used, unit, u);
        memset(img + used + u, 0, clusters * 4096 - u);
        used += slack ? 65536 : clusters * 4096;
    }
    return used;
}

START_TEST(ntfs_compressed_hive)
{
    size_t hl;
    uint8_t *h = make_hive(&hl, 16, 17, 16);
    for (int slack = 0; slack <= 1; slack++) {
        size_t n = 2 * hl + (1u << 20);
        uint8_t *img = malloc(n);
        junk(img, n);
        uint64_t at = 5 * 512;
        unsigned raw;
        size_t raw_at = 0, raw_from = 0;
        size_t used = ntfs_write(h, hl, img + at, slack, &raw, &raw_at, &raw_from);
        ck_assert_uint_ge(raw, 1); /* a unit stored raw is met */
        if (!slack)
            ck_assert_uint_lt(used, hl);
        /* a lone compressed unit of bins further on: a compressed fragment */
        struct bins b;
        list_bins(h, hl, &b);
        uint64_t at_frag = (at + used + 8192) / 512 * 512;
        unsigned raw2;
        ntfs_write(h + 4096 + b.off[1], 65536, img + at_frag, 1, &raw2, NULL, NULL);
        ck_assert_uint_eq(raw2, 0);

        struct finds f = {.n = 0};
        carve_mem(img, n, HK_CARVE_DATA, &f);
        ck_assert_uint_eq(f.n, 3);
        expect_find(&f, 0, HK_CARVE_HIVE, at, hl);
        ck_assert_int_eq(f.v[0].r.compressed, 1);
        ck_assert_int_eq(f.v[0].r.truncated, 0);
        ck_assert_uint_eq(f.v[0].r.hbins_data_size, hl - 4096);
        ck_assert_mem_eq(f.v[0].data, h, hl);
        /* the unit stored raw holds plain bins: a fragment of its own */
        expect_find(&f, 1, HK_CARVE_FRAGMENT, at + raw_at, 65536);
        ck_assert_int_eq(f.v[1].r.compressed, 0);
        ck_assert_uint_eq(f.v[1].r.hbin_start, raw_from - 4096);
        expect_find(&f, 2, HK_CARVE_FRAGMENT, at_frag, 65536);
        ck_assert_int_eq(f.v[2].r.compressed, 1);
        ck_assert_uint_eq(f.v[2].r.hbin_start, b.off[1]);
        ck_assert_mem_eq(f.v[2].data, h + 4096 + b.off[1], 65536);
        finds_free(&f);
        /* Without data asked for, the same finds. */
        carve_mem(img, n, 0, &f);
        ck_assert_uint_eq(f.n, 3);
        ck_assert_ptr_null(f.v[0].data);
        ck_assert_uint_eq(f.v[0].r.size, hl);
        finds_free(&f);
        free(img);
    }
    free(h);
}
END_TEST

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- runs of log entries ------------------------------------------------------ */

/* A log entry of one 4 KiB page at bin offset page_off (layout of
 * log/newlog.c), 4608 bytes; hashes left zero. */
static void log_entry(uint8_t *p, uint32_t seq, uint32_t bins, uint32_t page_off)
{
    memset(p, 0, 4608);
    memcpy(p, "HvLE", 4);
    put32(p + 4, 4608);
    put32(p + 12, seq);
    put32(p + 16, bins);
    put32(p + 20, 1);
    put32(p + 40, page_off);
    put32(p + 44, 4096);
    memset(p + 512, 0x5A, 4096);
}

START_TEST(log_runs)
{
    size_t n = 128 * 1024;
    uint8_t *img = malloc(n);
    junk(img, n);
    uint64_t at = 9 * 512;
    for (uint32_t i = 0; i < 3; i++)
        log_entry(img + at + 4608 * i, 7 + i, 8192, 4096);
    log_entry(img + at + 4608 * 3, 11, 8192, 0);  /* a gap in the sequence */
    log_entry(img + at + 4608 * 5, 1, 8192, 8192); /* a page past the bins */
    log_entry(img + at + 4608 * 7, 1, 8192, 0);
    put32(img + at + 4608 * 7 + 4, 1u << 20);      /* an entry past the image */
    struct finds f = {.n = 0};
    carve_mem(img, n, HK_CARVE_DATA, &f);
    ck_assert_uint_eq(f.n, 2);
    expect_find(&f, 0, HK_CARVE_LOG, at, 3 * 4608);
    ck_assert_uint_eq(f.v[0].r.log_entries, 3);
    ck_assert_mem_eq(f.v[0].data, img + at, 3 * 4608);
    expect_find(&f, 1, HK_CARVE_LOG, at + 3 * 4608, 4608);
    ck_assert_uint_eq(f.v[1].r.log_entries, 1);
    finds_free(&f);
    /* Memory images are searched for bins only. */
    carve_mem(img, n, HK_CARVE_MEMORY, &f);
    ck_assert_uint_eq(f.n, 0);
    free(img);
}
END_TEST

/* ---- hostile images ---------------------------------------------------------------- */


/* Every find within what the image holds (a bin may run one bin past). */
static void assert_bounded(const struct finds *f, size_t n)
{
    for (size_t i = 0; i < f->n; i++) {
        const hk_carve_record *r = &f->v[i].r;
        ck_assert_uint_le(r->offset, n);
        if (!r->compressed)
            ck_assert_uint_le(r->offset + r->size, n);
        else
            ck_assert_uint_le(r->size, 4096 + (uint64_t)r->hbins_data_size + 65536);
    }
}

START_TEST(hostile_sizes)
{
    size_t hl;
    uint8_t *h = make_hive(&hl, 1, 0, 0);
    size_t n = 65536;
    uint8_t *img = calloc(1, n);
    /* a base block claiming ~500 MiB of bins, holding one bin */
    memcpy(img, h, 4096 + 4096);
    put32(img + 0x28, 499u * 1024 * 1024);
    /* a bin near the end claiming 64 MiB */
    memcpy(img + n - 1024, "hbin", 4);
    put32(img + n - 1024 + 8, 64u * 1024 * 1024);
    put32(img + n - 1024 + 32, 0xFFFFFFF8u);
    /* a bin whose offset field points past any hive */
    memcpy(img + 40960, "hbin", 4);
    put32(img + 40960 + 4, 0xFFFFF000u);
    put32(img + 40960 + 8, 4096);
    struct finds f = {.n = 0};
    carve_mem(img, n, HK_CARVE_DATA, &f);
    assert_bounded(&f, n);
    ck_assert_uint_ge(f.n, 2);
    expect_find(&f, 0, HK_CARVE_HIVE, 0, 8192);
    ck_assert_int_eq(f.v[0].r.truncated, 1);
    ck_assert_uint_eq(f.v[f.n - 1].r.offset, n - 1024);
    finds_free(&f);
    carve_mem(img, n, HK_CARVE_DATA | HK_CARVE_MEMORY, &f);
    assert_bounded(&f, n);
    finds_free(&f);
    free(img);
    free(h);
}
END_TEST

START_TEST(hostile_lznt1)
{
    size_t n = 256 * 1024;
    uint8_t *img = malloc(n);
    for (int round = 0; round < 40; round++) {
        for (size_t i = 0; i < n; i++)
            img[i] = rnd8();
        /* compressed units claiming "regf" / "hbin" at many sectors, with
         * garbage chunks (back references, odd sizes) after them */
        for (size_t s = 0; s + 512 <= n; s += 512u * (1u + rnd8() % 8u)) {
            img[s] = rnd8();
            img[s + 1] = (uint8_t)(0xB0 | (rnd8() & 0x0F));
            img[s + 2] = 0;
            memcpy(img + s + 3, rnd8() & 1 ? "regf" : "hbin", 4);
            if (rnd8() & 1) { /* a plausible base block in the first literals */
                put32(img + s + 3 + 20, 1);
                put32(img + s + 3 + 24, 5);
            }
        }
        struct finds f = {.n = 0};
        carve_mem(img, n, HK_CARVE_DATA | HK_CARVE_REASSEMBLE, &f);
        assert_bounded(&f, n);
        finds_free(&f);
    }
    free(img);
}
END_TEST

START_TEST(arguments)
{
    struct finds f = {.n = 0};
    hk_carve_options bad = HK_CARVE_OPTIONS_INIT;
    bad.flags = 0x80000000u;
    ck_assert_uint_eq(hk_carve_memory("x", 1, &bad, collect, &f), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_carve_memory("x", 1, NULL, NULL, &f), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_carve_memory(NULL, 0, NULL, collect, &f), HK_ERROR_SUCCESS);
    hk_carve_options unsized = HK_CARVE_OPTIONS_INIT;
    unsized.size = 4; /* below the first layout */
    ck_assert_uint_eq(hk_carve_memory("x", 1, &unsized, collect, &f), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(f.n, 0);
    char msg[256] = "";
    hk_carve_options o = HK_CARVE_OPTIONS_INIT;
    ck_assert_uint_eq(hk_carve_file("/nonexistent/image", &o, collect, &f),
                      HK_ERROR_FILE_NOT_FOUND);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/image"));
    ck_assert_uint_eq(hk_carve_file("/", &o, collect, &f), HK_ERROR_CANTOPEN);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("carve");
    TCase *tc = tcase_create("carve");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, disk_exact_finds);
    tcase_add_test(tc, memory_exact_finds);
    tcase_add_test(tc, ntfs_compressed_hive);
    tcase_add_test(tc, log_runs);
    tcase_add_test(tc, hostile_sizes);
    tcase_add_test(tc, hostile_lznt1);
    tcase_add_test(tc, arguments);
    suite_add_tcase(s, tc);
    return s;
}
