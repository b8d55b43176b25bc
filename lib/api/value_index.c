/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The import's index of a key's values (see value_index.h). */
#include "api/value_index.h"

#include <string.h>

#include "base/alloc.h"

struct vi_slot {
    uint32_t gen;    /* in use when it is the index's gen (a new key: gen + 1) */
    uint32_t hash;
    uint32_t vk_off;
    size_t name;     /* offset of the name in names */
    size_t n;
};

void value_index_init(struct value_index *ix)
{
    memset(ix, 0, sizeof *ix);
    ix->key = CELL_NIL;
}

void value_index_free(struct value_index *ix)
{
    hk_dealloc(ix->slots);
    hk_dealloc(ix->names);
    value_index_init(ix);
}

void value_index_reset(struct value_index *ix)
{
    ix->key = CELL_NIL;
}

static uint32_t hash_units(const uint16_t *up, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a over the units */
    for (size_t i = 0; i < n; i++)
        h = (h ^ up[i]) * 16777619u;
    return h;
}

/* Starts over on key: empty, usable when the key has no values. */
static void begin_key(struct value_index *ix, const hk_key *key)
{
    ix->key = key->nk.off;
    ix->usable = key->nk.value_count == 0 && !ix->oom;
    ix->count = 0;
    ix->names_len = 0;
    /* Every slot is empty again without touching them: a new generation
     * (0 is never one; at the wrap they are cleared once). */
    if (++ix->gen == 0) {
        for (size_t i = 0; i < ix->cap; i++)
            ix->slots[i].gen = 0;
        ix->gen = 1;
    }
}

static struct vi_slot *probe(struct value_index *ix, uint32_t h, const uint16_t *up, size_t n)
{
    size_t mask = ix->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct vi_slot *s = &ix->slots[i];
        if (s->gen != ix->gen ||
            (s->hash == h && s->n == n &&
             (n == 0 || memcmp(ix->names + s->name, up, n * sizeof *up) == 0)))
            return s;
    }
}

static bool find(void *ctx, const hk_key *key, const uint16_t *up, size_t n, uint32_t *vk_off)
{
    struct value_index *ix = ctx;
    if (ix->key != key->nk.off)
        begin_key(ix, key);
    if (!ix->usable)
        return false;
    struct vi_slot *s = ix->cap ? probe(ix, hash_units(up, n), up, n) : NULL;
    *vk_off = s && s->gen == ix->gen ? s->vk_off : CELL_NIL;
    return true;
}

static bool grow(struct value_index *ix)
{
    size_t cap = ix->cap ? 2 * ix->cap : 64;
    struct vi_slot *slots = cap > SIZE_MAX / sizeof *slots ? NULL : hk_alloc(cap * sizeof *slots);
    if (!slots)
        return false;
    struct vi_slot *old = ix->slots;
    size_t old_cap = ix->cap;
    ix->slots = slots;
    ix->cap = cap;
    for (size_t i = 0; i < cap; i++)
        slots[i].gen = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].gen == ix->gen)
            *probe(ix, old[i].hash, ix->names + old[i].name, old[i].n) = old[i];
    hk_dealloc(old);
    return true;
}

static void added(void *ctx, const uint16_t *up, size_t n, uint32_t vk_off)
{
    struct value_index *ix = ctx;
    if (!ix->usable)
        return;
    /* Half full at most; the names grow by doubling. */
    bool ok = (ix->count + 1 <= ix->cap / 2 || grow(ix));
    if (ok && (!ix->names || ix->names_cap - ix->names_len < n)) {
        size_t cap = ix->names_cap ? ix->names_cap : 1024;
        while (cap - ix->names_len < n && cap <= SIZE_MAX / 4)
            cap *= 2;
        uint16_t *names = cap - ix->names_len < n ? NULL : hk_realloc(ix->names, cap * sizeof *names);
        ok = names != NULL;
        if (ok) {
            ix->names = names;
            ix->names_cap = cap;
        }
    }
    if (!ok) {
        /* Without the name the index cannot answer for this key any more. */
        ix->oom = true;
        ix->usable = false;
        return;
    }
    uint32_t h = hash_units(up, n);
    struct vi_slot *s = probe(ix, h, up, n);
    if (n)
        memcpy(ix->names + ix->names_len, up, n * sizeof *up);
    *s = (struct vi_slot){ix->gen, h, vk_off, ix->names_len, n};
    ix->names_len += n;
    ix->count++;
}

struct value_lookup value_index_lookup(struct value_index *ix)
{
    return (struct value_lookup){find, added, ix};
}
