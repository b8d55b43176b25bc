/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening and closing hives, and what a hive's base block says (api layer). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/abi.h"
#include "api/edit.h"
#include "api/handle.h"
#include "base/alloc.h"
#include "base/utf16.h"

hk_status open_options_in(const hk_open_options *opts, hk_open_options *o)
{
    hk_status st = abi_in(o, sizeof *o, opts, OPEN_OPTIONS_V1);
    if (st == HK_ERROR_SUCCESS && (o->flags & ~HK_OPEN_KNOWN_FLAGS))
        return HK_ERROR_INVALID_PARAMETER;
    return st;
}

static void free_half_open(hk_hive *h, struct file_writer *w)
{
    if (w)
        file_writer_close(w);
    log_state_free(&h->logs);
    hk_dealloc(h->path);
    hk_dealloc(h);
}

/* The hive from fb (owned from here on); w (or NULL) is the writer's hold on
 * the file, kept by the hive or closed. */
static hk_status finish_open(struct file_buf *fb, const hk_open_options *opts, const char *path,
                             struct file_writer *w, hk_hive **out)
{
    hk_hive *h = hk_alloc_zero(1, sizeof *h);
    if (!h) {
        file_buf_free(fb);
        if (w)
            file_writer_close(w);
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    h->source_gzip = fb->gzip != 0;
    h->gzip_unread = fb->gzip_unread;
    hk_status st = hive_logs_open(h, fb, path, opts, DIAG_DETAIL);
    if (st != HK_ERROR_SUCCESS) {
        file_buf_free(fb);
        free_half_open(h, w);
        return st;
    }
    uint32_t flags = opts ? opts->flags : 0;
    st = image_open_salvage(&h->img, fb, (flags & HK_OPEN_SALVAGE) != 0);
    struct nk root;
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(&h->img, h->img.bb.root, &root);
    /* A dirty primary that no log repaired, taken as it is on request: the
     * next save writes it clean. */
    if (st == HK_ERROR_SUCCESS && (flags & HK_OPEN_ACCEPT_DIRTY) && h->img.dirty)
        h->img.dirty = false;
    if (st == HK_ERROR_SUCCESS && (flags & HK_OPEN_WRITE))
        st = hive_open_for_write(h, path);
    if (st != HK_ERROR_SUCCESS) {
        image_free(&h->img);
        free_half_open(h, w);
        return st;
    }
    if (w) {
        h->writer = *w;
        h->has_writer = true;
    }
    h->refs = 1;
    diag_detail_clear(); /* what the open worked around is no failure's */
    *out = h;
    return HK_ERROR_SUCCESS;
}

/* hk_hive_open (path) and hk_hive_open_memory (path NULL: size bytes at
 * data). */
static hk_status open_any(const char *path, const void *data, size_t size,
                          const hk_open_options *caller_opts, hk_hive **out)
{
    hk_open_options o;
    hk_status st = open_options_in(caller_opts, &o);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct diag *d = DIAG_DETAIL;
    struct file_buf fb;
    struct file_writer w;
    bool writer = false;
    if (!path) {
        st = file_from_memory(data, size, o.gzip_margin, &fb, d);
    } else if (!(o.flags & HK_OPEN_WRITE)) {
        st = file_load(path, o.gzip_margin, &fb, d);
    } else {
        /* A writer: the file locked before it is read, held until closed. */
        st = file_writer_open(path, o.lock_wait_ms ? o.lock_wait_ms : HK_LOCK_WAIT_DEFAULT_MS,
                              &w, d);
        if (st == HK_ERROR_SUCCESS) {
            st = file_load_fd(w.fd, path, o.gzip_margin, &fb, d);
            if (st != HK_ERROR_SUCCESS)
                file_writer_close(&w);
            else if (!w.locked)
                file_writer_close(&w); /* not ours to write: nothing to hold, the id kept */
            writer = st == HK_ERROR_SUCCESS;
        }
    }
    if (st != HK_ERROR_SUCCESS)
        return st;
    return finish_open(&fb, &o, path, writer ? &w : NULL, out);
}

HK_API hk_status hk_hive_open(const char *path, const hk_open_options *caller_opts, hk_hive **out)
{
    api_enter();
    if (!path || !out)
        return HK_ERROR_INVALID_PARAMETER;
    return open_any(path, NULL, 0, caller_opts, out);
}

HK_API hk_status hk_hive_open_memory(const void *data, size_t size,
                                     const hk_open_options *caller_opts, hk_hive **out)
{
    api_enter();
    if ((!data && size) || !out)
        return HK_ERROR_INVALID_PARAMETER;
    return open_any(NULL, data, size, caller_opts, out);
}

enum { MAX_SPARE_KEYS = 64 };

static void hive_release(hk_hive *h)
{
    if (--h->refs == 0) {
        while (h->spare) {
            hk_key *k = h->spare;
            h->spare = k->next_spare;
            hk_dealloc(k);
        }
        image_free(&h->img);
        log_state_free(&h->logs);
        if (h->has_writer)
            file_writer_close(&h->writer);
        hk_dealloc(h->path);
        hk_dealloc(h);
    }
}

HK_API void hk_hive_close(hk_hive *hive)
{
    if (hive)
        hive_release(hive);
}

HK_API const char *hk_errmsg(void)
{
    return diag_detail();
}

HK_API hk_status hk_hive_info_get(hk_hive *hive, hk_hive_info *caller_out)
{
    api_enter();
    if (!hive || abi_out_check(caller_out, HIVE_INFO_V1) != HK_ERROR_SUCCESS)
        return HK_ERROR_INVALID_PARAMETER;
    const struct base_block *bb = &hive->img.bb;
    hk_hive_info info;
    hk_hive_info *out = &info;
    memset(out, 0, sizeof *out);
    out->major_version = bb->major;
    out->minor_version = bb->minor;
    out->primary_sequence = bb->seq1;
    out->secondary_sequence = bb->seq2;
    out->last_written = bb->last_written;
    out->file_type = bb->type;
    out->file_format = bb->format;
    out->root_offset = bb->root;
    out->bins_size = bb->bins_size;
    out->file_size = hive->img.file.size;
    out->checksum_stored = bb->checksum_stored;
    out->checksum_computed = bb->checksum_computed;
    out->checksum_ok = bb->checksum_stored == bb->checksum_computed;
    out->dirty = hive->img.dirty;
    out->bin_count = hive->img.bin_count;
    out->dirty_at_open = hive->logs.dirty_at_open;
    out->logs_found = (uint32_t)hive->logs.found;
    out->logs_replayed = hive->logs.outcome.applied;
    out->log_entries = hive->logs.outcome.entries;
    out->gzip_unread = hive->gzip_unread;
    size_t units = 0;
    while (units < sizeof bb->file_name / 2 && (bb->file_name[2 * units] || bb->file_name[2 * units + 1]))
        units++;
    /* 32 units make at most 96 bytes of UTF-8: the field always fits. */
    size_t n = utf16le_to_utf8(bb->file_name, units, out->file_name);
    out->file_name[n] = '\0';
    abi_out(caller_out, out, sizeof *out);
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_hive_root(hk_hive *hive, hk_key **out)
{
    api_enter();
    if (!hive || !out)
        return HK_ERROR_INVALID_PARAMETER;
    struct nk root;
    hk_status st = nk_read(&hive->img, hive->img.bb.root, &root);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return key_new(hive, &root, 0, hive->write_mode ? HK_KEY_ALL_ACCESS : HK_KEY_READ, out);
}

/* The key rights a requested access names: the generic rights mapped as
 * Windows maps them for keys; MAXIMUM_ALLOWED grants every key right (no ACL
 * is evaluated offline; what the hive allows is checked at each edit). */
static uint32_t access_map(uint32_t access)
{
    uint32_t rights = access & ~(HK_GENERIC_READ | HK_GENERIC_WRITE | HK_GENERIC_EXECUTE |
                                 HK_GENERIC_ALL | HK_MAXIMUM_ALLOWED);
    if (access & HK_GENERIC_READ)
        rights |= HK_KEY_READ;
    if (access & HK_GENERIC_WRITE)
        rights |= HK_KEY_WRITE;
    if (access & HK_GENERIC_EXECUTE)
        rights |= HK_KEY_EXECUTE;
    if (access & (HK_GENERIC_ALL | HK_MAXIMUM_ALLOWED))
        rights |= HK_KEY_ALL_ACCESS;
    return rights;
}

hk_status key_new(hk_hive *hive, const struct nk *nk, uint32_t depth, uint32_t access, hk_key **out)
{
    hk_key *k = hive->spare;
    if (k) {
        hive->spare = k->next_spare;
        hive->spare_count--;
    } else {
        k = hk_alloc(sizeof *k);
        if (!k)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    /* Only the state flags need clearing: what they guard is set with them. */
    k->next_spare = NULL;
    enum_list_reset(&k->list);
    k->values = NULL;
    k->hive = hive;
    k->nk = *nk;
    /* A walk reads these next: start the loads now. */
    if (nk->value_count)
        cell_prefetch(&hive->img, nk->values);
    if (nk->subkey_count)
        cell_prefetch(&hive->img, nk->subkeys);
    k->depth = depth;
    k->access = access_map(access) & ~KEY_ACCESS_NS;
    k->gen = hive->gen;
    k->deleted = false;
    k->open_prev = NULL;
    k->open_next = NULL;
    if (hive->write_mode) { /* only edits follow handles (fixed at open) */
        k->open_next = hive->open_keys;
        if (hive->open_keys)
            hive->open_keys->open_prev = k;
        hive->open_keys = k;
    }
    hive->refs++;
    *out = k;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_close_key(hk_key *key)
{
    if (!key)
        return HK_ERROR_SUCCESS;
    if (key->access & KEY_ACCESS_NS)
        ns_release(key);
    hk_hive *h = key->hive;
    if (key->open_prev)
        key->open_prev->open_next = key->open_next;
    else if (h->open_keys == key)
        h->open_keys = key->open_next;
    if (key->open_next)
        key->open_next->open_prev = key->open_prev;
    if (h->spare_count < MAX_SPARE_KEYS) {
        key->next_spare = h->spare;
        h->spare = key;
        h->spare_count++;
    } else {
        hk_dealloc(key);
    }
    hive_release(h);
    return HK_ERROR_SUCCESS;
}
