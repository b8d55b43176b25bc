/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON lines (api layer): the walk of hk_export's HK_FORMAT_JSONL (strict,
 * or salvaging past subkeys that cannot be read) and one deleted record as
 * its line. The lines themselves are in lib/text/jsonlwrite.c. */
#include <stdio.h>
#include <string.h>

#include "api/handle.h"
#include "api/jsonl_export.h"
#include "api/walkbuf.h"
#include "text/jsonlwrite.h"

enum { JSONL_FLUSH_AT = 1 << 18 };

struct jsonl_walk {
    const hk_export_options *opts;
    hk_write_fn write;
    void *ctx;
    bool failed_write;
    uint64_t keys; /* key lines made */
    struct textbuf out, path, path_field, name, data, text, cls;
};

static hk_status flush(struct jsonl_walk *j, bool force)
{
    hk_status st = textbuf_status(&j->out);
    if (st != HK_ERROR_SUCCESS || (!force && j->out.len < JSONL_FLUSH_AT) || !j->out.len)
        return st;
    if (!j->failed_write && j->write(j->out.p, j->out.len, j->ctx) != 0)
        j->failed_write = true;
    j->out.len = 0;
    return j->failed_write ? HK_ERROR_CANCELLED : HK_ERROR_SUCCESS;
}

/* The decoded form of the types that have one (winreg's conversions). */
static hk_status decoded(struct jsonl_walk *j, uint32_t type)
{
    const struct textbuf *d = &j->data;
    size_t n, count = 0;
    hk_status st;
    switch (type) {
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ:
    case HK_REG_MULTI_SZ:
        for (n = d->len / 2 * 3 + 1;;) {
            j->text.len = 0;
            if (!textbuf_reserve(&j->text, n))
                return HK_ERROR_NOT_ENOUGH_MEMORY;
            n = j->text.cap;
            st = type == HK_REG_MULTI_SZ
                     ? hk_decode_multi_sz(d->p, d->len, (char *)j->text.p, &n, &count)
                     : hk_decode_string(d->p, d->len, (char *)j->text.p, &n);
            if (st != HK_ERROR_MORE_DATA)
                break;
        }
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (type == HK_REG_MULTI_SZ)
            jsonl_data_strings(&j->out, (const char *)j->text.p, count);
        else /* cut at the first NUL; the size counts the terminator */
            jsonl_data_string(&j->out, (const char *)j->text.p, strnlen((const char *)j->text.p, n));
        return HK_ERROR_SUCCESS;
    case HK_REG_DWORD:
        if (d->len == 4)
            jsonl_data_number(&j->out, hk_decode_dword(d->p, d->len));
        return HK_ERROR_SUCCESS;
    case HK_REG_QWORD:
        if (d->len == 8)
            jsonl_data_number(&j->out, hk_decode_qword(d->p, d->len));
        return HK_ERROR_SUCCESS;
    default:
        return HK_ERROR_SUCCESS;
    }
}

/* Why subkey i could not be read: the read's detail, or the status text. */
static const char *skip_reason(hk_status st)
{
    const char *detail = diag_detail();
    return st == HK_ERROR_BADDB && detail[0] ? detail : hk_strerror(st);
}

/* The key line, its values, then each subkey the same way. j->name holds
 * the key's name and j->path its path on entry. */
static hk_status jsonl_tree(struct jsonl_walk *j, hk_key *key, uint32_t depth)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = walk_info(key, &j->cls, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    j->path_field.len = 0;
    jsonl_path_field(&j->path_field, (const char *)j->path.p, j->path.len);
    st = textbuf_status(&j->path_field);
    if (st != HK_ERROR_SUCCESS)
        return st;
    jsonl_key(&j->out, &j->path_field, (const char *)j->name.p, j->name.len, &ki,
              (const char *)j->cls.p, j->cls.len);
    if (j->opts->progress)
        j->opts->progress(++j->keys, j->opts->progress_ctx);
    if (depth > 0 && depth >= j->opts->max_depth && j->opts->max_depth)
        return flush(j, false);
    for (uint32_t i = 0; i < ki.values; i++) {
        uint32_t type;
        st = walk_value(key, i, &j->name, &type, &j->data);
        if (st != HK_ERROR_SUCCESS)
            return st;
        jsonl_value_head(&j->out, &j->path_field, (const char *)j->name.p, j->name.len, type,
                         j->data.p, j->data.len);
        st = decoded(j, type);
        jsonl_end(&j->out);
        if (st == HK_ERROR_SUCCESS)
            st = flush(j, false);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    bool salvage = j->opts->flags & HK_EXPORT_SALVAGE;
    char last[256] = "";
    size_t mark = j->path.len;
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS || (salvage && i >= ki.subkeys))
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS && salvage && st != HK_ERROR_NOT_ENOUGH_MEMORY) {
            /* the same failure again: the list itself is broken */
            const char *why = skip_reason(st);
            if (strcmp(why, last) == 0)
                return HK_ERROR_SUCCESS;
            snprintf(last, sizeof last, "%s", why);
            if (j->opts->on_skip) /* a copy: the callback may call the library */
                j->opts->on_skip((const char *)j->path.p, mark, i, last, j->opts->skip_ctx);
            continue;
        }
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = walk_key_name(child, &j->name);
        if (st == HK_ERROR_SUCCESS) {
            if (mark)
                textbuf_addc(&j->path, '\\');
            textbuf_add(&j->path, j->name.p, j->name.len);
            st = textbuf_status(&j->path);
        }
        if (st == HK_ERROR_SUCCESS)
            st = jsonl_tree(j, child, depth + 1);
        j->path.len = mark;
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
}

hk_status export_jsonl(hk_key *key, const hk_export_options *opts, hk_write_fn write, void *ctx)
{
    struct jsonl_walk j;
    memset(&j, 0, sizeof j);
    j.opts = opts;
    j.write = write;
    j.ctx = ctx;
    hk_status st = HK_ERROR_SUCCESS;
    if (opts->encoding != HK_ENCODING_DEFAULT && opts->encoding != HK_ENCODING_UTF8)
        st = HK_ERROR_INVALID_PARAMETER;
    if (st == HK_ERROR_SUCCESS && opts->key_path) {
        textbuf_add(&j.path, opts->key_path, export_key_path_len(opts));
        st = textbuf_status(&j.path);
    }
    if (st == HK_ERROR_SUCCESS)
        st = walk_key_name(key, &j.name);
    if (st == HK_ERROR_SUCCESS)
        st = jsonl_tree(&j, key, 0);
    /* what was written before a failure is output too, as lines */
    hk_status fst = flush(&j, true);
    if (st == HK_ERROR_SUCCESS)
        st = fst;
    /* the detail of a skipped subkey was reported, and a failure other
     * than corruption says all in its status */
    if (st != HK_ERROR_BADDB)
        diag_detail_clear();
    textbuf_free(&j.out);
    textbuf_free(&j.path);
    textbuf_free(&j.path_field);
    textbuf_free(&j.name);
    textbuf_free(&j.data);
    textbuf_free(&j.text);
    textbuf_free(&j.cls);
    return st;
}

/* ---- deleted records -------------------------------------------------- */

HK_API hk_status hk_deleted_record_jsonl(const hk_deleted_record *r, hk_write_fn write, void *ctx)
{
    api_enter();
    if (!r || !write)
        return HK_ERROR_INVALID_PARAMETER;
    struct textbuf b = {0};
    jsonl_deleted(&b, r);
    hk_status st = textbuf_status(&b);
    if (st == HK_ERROR_SUCCESS && write(b.p, b.len, ctx) != 0)
        st = HK_ERROR_CANCELLED;
    textbuf_free(&b);
    return st;
}

HK_API const char *hk_deleted_where_name(uint32_t where)
{
    return deleted_where_name(where);
}

HK_API const char *hk_deleted_data_state_name(uint32_t state)
{
    return deleted_data_state_name(state);
}

HK_API const char *hk_deleted_missing_name(uint32_t bit)
{
    return deleted_missing_name(bit);
}
