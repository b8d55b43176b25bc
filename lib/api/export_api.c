/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Export of a key tree as .reg or JSON, and the .reg writer handle (api
 * layer): the walk is here, the formats are in lib/text. */
#include <stdio.h>
#include <string.h>

#include "api/abi.h"
#include "api/handle.h"
#include "api/jsonl_export.h"
#include "api/walkbuf.h"
#include "base/alloc.h"
#include "text/jsonwrite.h"
#include "text/regwrite.h"
#include "text/textesc.h"

enum { JSON_FLUSH_AT = 1 << 18 };

struct hk_reg_writer {
    struct regwrite w;
    struct textbuf path, name, data, cls;
};

/* A failure of the hive read during a walk: the read's detail, after the
 * path and the status. */
static hk_status walk_fail(hk_status st, const char *path, size_t path_len)
{
    const char *detail = diag_detail();
    return diag_set(DIAG_DETAIL, st, "%.*s: %s%s%s", (int)path_len, path, hk_strerror(st),
                    detail[0] ? ": " : "", detail);
}

/* Appends "\name" to path after checking that a key line can carry it. */
static hk_status push_name(struct textbuf *path, const struct textbuf *name)
{
    if (name->len == 0 || memchr(name->p, '\\', name->len))
        return diag_set(DIAG_DETAIL, HK_ERROR_INVALID_DATA,
                        "%.*s: a subkey named '%.*s' cannot be written as a key line",
                        (int)path->len, (const char *)path->p, (int)name->len,
                        (const char *)name->p);
    textbuf_addc(path, '\\');
    textbuf_add(path, name->p, name->len);
    return textbuf_status(path);
}

static hk_status reg_tree(hk_reg_writer *rw, hk_key *key)
{
    struct regwrite *w = &rw->w;
    /* the writer's failures carry their own detail, the hive's get the path */
    hk_status st = regw_key(w, (const char *)rw->path.p, rw->path.len, false);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_key_info ki = HK_KEY_INFO_INIT;
    st = walk_info(key, &rw->cls, &ki);
    if (st != HK_ERROR_SUCCESS)
        return walk_fail(st, (const char *)rw->path.p, rw->path.len);
    for (uint32_t i = 0; i < ki.values; i++) {
        uint32_t type;
        st = walk_value(key, i, &rw->name, &type, &rw->data);
        if (st != HK_ERROR_SUCCESS)
            return walk_fail(st, (const char *)rw->path.p, rw->path.len);
        st = regw_value(w, (const char *)rw->name.p, rw->name.len, type, rw->data.p,
                        rw->data.len);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    size_t mark = rw->path.len;
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS)
            return walk_fail(st, (const char *)rw->path.p, rw->path.len);
        st = walk_key_name(child, &rw->name);
        if (st != HK_ERROR_SUCCESS)
            walk_fail(st, (const char *)rw->path.p, rw->path.len);
        else
            st = push_name(&rw->path, &rw->name);
        if (st == HK_ERROR_SUCCESS)
            st = reg_tree(rw, child);
        rw->path.len = mark;
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
}

static bool is_reg_format(uint32_t format)
{
    return format == HK_FORMAT_REG || format == HK_FORMAT_REG4;
}

HK_API hk_status hk_reg_writer_open(const hk_export_options *caller_opts, hk_write_fn write,
                                    void *ctx, hk_reg_writer **out)
{
    api_enter();
    hk_export_options o;
    const hk_export_options *opts = &o;
    if (!caller_opts || !write || !out
        || abi_in(&o, sizeof o, caller_opts, EXPORT_OPTIONS_V1) != HK_ERROR_SUCCESS
        || !is_reg_format(opts->format))
        return HK_ERROR_INVALID_PARAMETER;
    hk_reg_writer *rw = hk_alloc_zero(1, sizeof *rw);
    if (!rw)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    hk_status st = regw_init(&rw->w, opts->format == HK_FORMAT_REG4, opts->encoding, write, ctx);
    if (st != HK_ERROR_SUCCESS) {
        hk_reg_writer_free(rw);
        return st;
    }
    *out = rw;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_reg_write_key(hk_reg_writer *w, const char *path, int deletion)
{
    api_enter();
    if (!w || !path)
        return HK_ERROR_INVALID_PARAMETER;
    return regw_key(&w->w, path, strlen(path), deletion != 0);
}

HK_API hk_status hk_reg_write_value(hk_reg_writer *w, const char *name, size_t name_len,
                                    uint32_t type, const void *data, size_t size)
{
    api_enter();
    if (!w || (!name && name_len) || (!data && size))
        return HK_ERROR_INVALID_PARAMETER;
    return regw_value(&w->w, name ? name : "", name_len, type, data, size);
}

HK_API hk_status hk_reg_write_delete_value(hk_reg_writer *w, const char *name, size_t name_len)
{
    api_enter();
    if (!w || (!name && name_len))
        return HK_ERROR_INVALID_PARAMETER;
    return regw_delete_value(&w->w, name ? name : "", name_len);
}

HK_API hk_status hk_reg_write_tree(hk_reg_writer *w, hk_key *key, const char *path)
{
    api_enter();
    if (!w || !key || !path)
        return HK_ERROR_INVALID_PARAMETER;
    w->path.len = 0;
    textbuf_adds(&w->path, path);
    hk_status st = textbuf_status(&w->path);
    return st == HK_ERROR_SUCCESS ? reg_tree(w, key) : st;
}

HK_API hk_status hk_reg_writer_finish(hk_reg_writer *w)
{
    api_enter();
    return w ? regw_finish(&w->w) : HK_ERROR_INVALID_PARAMETER;
}

HK_API void hk_reg_writer_free(hk_reg_writer *w)
{
    if (!w)
        return;
    regw_free(&w->w);
    textbuf_free(&w->path);
    textbuf_free(&w->name);
    textbuf_free(&w->data);
    textbuf_free(&w->cls);
    hk_dealloc(w);
}

/* ---- JSON --------------------------------------------------------------- */

struct json_walk {
    struct textbuf out, name, data, cls;
    hk_write_fn write;
    void *ctx;
};

static hk_status json_flush(struct json_walk *j, bool force)
{
    hk_status st = textbuf_status(&j->out);
    if (st != HK_ERROR_SUCCESS || (!force && j->out.len < JSON_FLUSH_AT) || !j->out.len)
        return st;
    if (j->write(j->out.p, j->out.len, j->ctx) != 0)
        return diag_set(DIAG_DETAIL, HK_ERROR_CANCELLED, "the output refused %zu bytes",
                        j->out.len);
    j->out.len = 0;
    return HK_ERROR_SUCCESS;
}

static hk_status json_tree(struct json_walk *j, hk_key *key, bool first)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = walk_key_name(key, &j->name);
    if (st == HK_ERROR_SUCCESS)
        st = walk_info(key, &j->cls, &ki);
    if (st != HK_ERROR_SUCCESS)
        return walk_fail(st, (const char *)j->name.p, j->name.len);
    jsonw_key_open(&j->out, first, (const char *)j->name.p, j->name.len, ki.last_write,
                   (const char *)j->cls.p, j->cls.len);
    for (uint32_t i = 0; i < ki.values; i++) {
        uint32_t type;
        st = walk_value(key, i, &j->name, &type, &j->data);
        if (st != HK_ERROR_SUCCESS)
            return walk_fail(st, "value", 5);
        jsonw_value(&j->out, i == 0, (const char *)j->name.p, j->name.len, type, j->data.p,
                    j->data.len);
        st = json_flush(j, false);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    jsonw_key_middle(&j->out);
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            break;
        if (st != HK_ERROR_SUCCESS)
            return walk_fail(st, "subkey", 6);
        st = json_tree(j, child, i == 0);
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    jsonw_key_close(&j->out);
    return json_flush(j, false);
}

static hk_status export_json(hk_key *key, const hk_export_options *opts, hk_write_fn write,
                             void *ctx)
{
    struct json_walk j;
    memset(&j, 0, sizeof j);
    j.write = write;
    j.ctx = ctx;
    hk_status st = HK_ERROR_SUCCESS;
    if (opts->encoding != HK_ENCODING_DEFAULT && opts->encoding != HK_ENCODING_UTF8)
        st = diag_set(DIAG_DETAIL, HK_ERROR_INVALID_PARAMETER, "JSON is written in UTF-8 only");
    if (st == HK_ERROR_SUCCESS) {
        jsonw_begin(&j.out);
        st = json_tree(&j, key, true);
    }
    if (st == HK_ERROR_SUCCESS) {
        jsonw_end(&j.out);
        st = json_flush(&j, true);
    }
    textbuf_free(&j.out);
    textbuf_free(&j.name);
    textbuf_free(&j.data);
    textbuf_free(&j.cls);
    return st;
}

/* ---- hk_export ------------------------------------------------------------ */

/* The key line of key: prefix (default HKEY_LOCAL_MACHINE\<root name>), then
 * "\key_path" unless key_path is empty. */
static hk_status key_line_path(hk_key *key, const hk_export_options *opts, struct textbuf *path)
{
    if (opts->prefix) {
        textbuf_adds(path, opts->prefix);
    } else {
        hk_key *root;
        hk_status st = hk_hive_root(key->hive, &root);
        if (st != HK_ERROR_SUCCESS)
            return st;
        struct textbuf name = {0};
        st = walk_key_name(root, &name);
        hk_close_key(root);
        textbuf_adds(path, "HKEY_LOCAL_MACHINE\\");
        textbuf_add(path, name.p, name.len);
        textbuf_free(&name);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    size_t key_path_len = export_key_path_len(opts);
    if (key_path_len) {
        textbuf_addc(path, '\\');
        textbuf_add(path, opts->key_path, key_path_len);
    }
    return textbuf_status(path);
}

HK_API hk_status hk_export(hk_key *key, const hk_export_options *caller_opts, hk_write_fn write,
                           void *ctx)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    hk_export_options o;
    const hk_export_options *opts = &o;
    if (!caller_opts || !write
        || abi_in(&o, sizeof o, caller_opts, EXPORT_OPTIONS_V1) != HK_ERROR_SUCCESS)
        return HK_ERROR_INVALID_PARAMETER;
    if (opts->flags & ~HK_EXPORT_SALVAGE)
        return HK_ERROR_INVALID_PARAMETER;
    if (opts->format == HK_FORMAT_JSONL)
        return export_jsonl(key, opts, write, ctx);
    if (opts->format == HK_FORMAT_JSON)
        return export_json(key, opts, write, ctx);
    hk_reg_writer *rw;
    hk_status st = hk_reg_writer_open(opts, write, ctx, &rw);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = key_line_path(key, opts, &rw->path);
    if (st == HK_ERROR_SUCCESS)
        st = reg_tree(rw, key);
    if (st == HK_ERROR_SUCCESS)
        st = regw_finish(&rw->w);
    hk_reg_writer_free(rw);
    return st;
}

HK_API size_t hk_text_escape(const char *s, size_t n, char *out)
{
    return s && out ? text_escape(s, n, out) : 0;
}

HK_API size_t hk_json_escape(const char *s, size_t n, char *out, int *lossy)
{
    if (!s || !out) {
        if (lossy)
            *lossy = 0;
        return 0;
    }
    return json_escape(s, n, out, lossy);
}

HK_API size_t hk_utf16_hex(const char *s, size_t n, char *out)
{
    return s && out ? utf16_hex(s, n, out) : 0;
}

HK_API size_t hk_filetime_text(uint64_t filetime, char out[HK_FILETIME_TEXT_SIZE])
{
    return out ? filetime_text(filetime, out) : 0;
}

HK_API const char *hk_type_name(uint32_t type)
{
    return reg_type_name(type);
}
