/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_fixture.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "hive/image.h"
#include "log/marvin.h"
#include "log_corpus.h"
#include "tempdir.h"
#include "corpus.h"

struct blob fx_corpus(const char *rel)
{
    char *path = path_join(corpus_dir(), rel);
    struct blob b;
    b.p = lc_read(path, &b.n);
    free(path);
    return b;
}

void fx_load(struct fx_set *s, const char *primary_rel, const char *const *log_rels)
{
    memset(s, 0, sizeof *s);
    s->primary = fx_corpus(primary_rel);
    for (; log_rels[s->n]; s->n++) {
        ck_assert_uint_lt(s->n, 3);
        s->log[s->n] = fx_corpus(log_rels[s->n]);
        s->in[s->n].name = log_rels[s->n];
        s->in[s->n].bytes.ptr = s->log[s->n].p;
        s->in[s->n].bytes.len = s->log[s->n].n;
    }
}

void fx_free(struct fx_set *s)
{
    free(s->primary.p);
    for (size_t i = 0; i < s->n; i++)
        free(s->log[i].p);
}

uint8_t *fx_replay(const struct fx_set *s, struct log_outcome *out, size_t *size, hk_status want,
                   char *msg, size_t msg_size)
{
    struct span primary = {s->primary.p, s->primary.n};
    struct diag d = {{0}};
    uint8_t *image = NULL;
    hk_status st = log_replay(primary, s->in, s->n, out, &image, size, &d);
    ck_assert_msg(st == want, "log_replay gave %u, want %u: %s", st, want, d.msg);
    if (msg)
        snprintf(msg, msg_size, "%s", d.msg);
    if (st != HK_ERROR_SUCCESS)
        ck_assert_ptr_null(image);
    return image;
}

void fx_rehash(uint8_t *log, size_t off)
{
    uint32_t size = le32_unchecked(log + off + 4);
    uint64_t h1 = marvin32(MARVIN_LOG_SEED, log + off + 40, size - 40);
    for (int i = 0; i < 8; i++)
        log[off + 24 + (size_t)i] = (uint8_t)(h1 >> (8 * i));
    uint64_t h2 = marvin32(MARVIN_LOG_SEED, log + off, 32);
    for (int i = 0; i < 8; i++)
        log[off + 32 + (size_t)i] = (uint8_t)(h2 >> (8 * i));
}

void fx_rechecksum(uint8_t *p)
{
    put_le32(p + 508, baseblock_checksum(p));
}
