/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The jsonl serialisation of a key tree (hivekit export --format jsonl),
 * shared by the CLI and the fuzz and mutation harnesses. Built for speed:
 * one walk by index, reused buffers, table-driven hex, one large output
 * buffer. */
#include "export_jsonl.h"

#include <string.h>
#include "buffers.h"
#include "hive_read.h"
#include "output.h"
#include "salvage.h"

struct export {
    const struct cli_jsonl_salvage *salvage; /* NULL: strict */
    unsigned max_depth; /* keys this far below the top: their line only */
    struct cli_progress progress;
    struct cli_out out;
    struct cli_buf jpath; /* the current key's path, JSON-escaped */
    struct cli_buf name, data, text, cls;
};

/* ,"data":... for the types that decode; nothing for the others. */
static hk_status add_decoded(struct export *e, uint32_t type)
{
    struct cli_buf *b = &e->out.buf;
    const struct cli_buf *d = &e->data;
    size_t count;
    hk_status st;
    switch (type) {
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ:
        st = cli_decode_string(d->p, d->len, &e->text);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cli_buf_add(b, ",\"data\":", 8);
        cli_json_string(b, e->text.p, e->text.len);
        return HK_ERROR_SUCCESS;
    case HK_REG_MULTI_SZ:
        st = cli_decode_multi_sz(d->p, d->len, &e->text, &count);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cli_buf_add(b, ",\"data\":[", 9);
        for (size_t i = 0, start = 0; i < count; i++) {
            size_t len = strlen(e->text.p + start);
            if (i > 0)
                cli_buf_addc(b, ',');
            cli_json_string(b, e->text.p + start, len);
            start += len + 1;
        }
        cli_buf_addc(b, ']');
        return HK_ERROR_SUCCESS;
    case HK_REG_DWORD:
        if (d->len == 4) {
            cli_buf_add(b, ",\"data\":", 8);
            cli_buf_u64(b, hk_decode_dword(d->p, d->len));
        }
        return HK_ERROR_SUCCESS;
    case HK_REG_QWORD:
        if (d->len == 8) {
            cli_buf_add(b, ",\"data\":", 8);
            cli_buf_u64(b, hk_decode_qword(d->p, d->len));
        }
        return HK_ERROR_SUCCESS;
    default:
        return HK_ERROR_SUCCESS;
    }
}

static hk_status write_value(struct export *e, hk_key *key, uint32_t index)
{
    uint32_t type;
    hk_status st = cli_enum_value(key, index, &e->name, &type, &e->data);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct cli_buf *b = &e->out.buf;
    char scratch[CLI_TYPE_NAME_SIZE];
    cli_buf_reserve(b, 160 + e->jpath.len + 2 * e->data.len);
    cli_buf_add(b, "{\"type\":\"value\",\"path\":\"", 24);
    cli_buf_add(b, e->jpath.p, e->jpath.len);
    cli_buf_add(b, "\",", 2);
    cli_json_name(b, "name", e->name.p, e->name.len);
    cli_buf_add(b, ",\"reg_type\":", 12);
    cli_buf_u64(b, type);
    cli_buf_add(b, ",\"type_name\":\"", 14);
    cli_buf_adds(b, cli_type_name(type, scratch));
    cli_buf_add(b, "\",\"size\":", 9);
    cli_buf_u64(b, e->data.len);
    cli_buf_add(b, ",\"data_hex\":\"", 13);
    cli_buf_reserve(b, 2 * e->data.len + 1);
    cli_hex_lower(b->p + b->len, (const uint8_t *)e->data.p, e->data.len);
    b->len += 2 * e->data.len;
    cli_buf_addc(b, '"');
    st = add_decoded(e, type);
    cli_buf_add(b, "}\n", 2);
    cli_out_step(&e->out);
    return st;
}

/* The key line, the values, then each subkey recursively. e->name holds
 * the key's name on entry. */
static hk_status write_key(struct export *e, hk_key *key, unsigned depth)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = cli_key_info(key, &e->cls, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct cli_buf *b = &e->out.buf;
    char iso[HK_FILETIME_TEXT_SIZE];
    size_t iso_len = hk_filetime_text(ki.last_write, iso);
    cli_buf_reserve(b, 200 + e->jpath.len);
    cli_buf_add(b, "{\"type\":\"key\",\"path\":\"", 22);
    cli_buf_add(b, e->jpath.p, e->jpath.len);
    cli_buf_add(b, "\",", 2);
    /* e->name holds the key's own name here (read just before the call) */
    cli_json_name(b, "name", e->name.p, e->name.len);
    cli_buf_adds(b, ",\"last_write\":");
    cli_buf_u64(b, ki.last_write);
    cli_buf_add(b, ",\"last_write_utc\":\"", 19);
    cli_buf_add(b, iso, iso_len);
    cli_buf_add(b, "\",\"subkeys\":", 12);
    cli_buf_u64(b, ki.subkeys);
    cli_buf_add(b, ",\"values\":", 10);
    cli_buf_u64(b, ki.values);
    if (e->cls.len) {
        cli_buf_add(b, ",\"class\":", 9);
        cli_json_string(b, e->cls.p, e->cls.len);
    }
    cli_buf_add(b, "}\n", 2);
    if (depth > 0 && depth >= e->max_depth)
        return HK_ERROR_SUCCESS;
    for (uint32_t i = 0; i < ki.values; i++) {
        st = write_value(e, key, i);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    cli_out_step(&e->out);
    cli_progress_key(&e->progress);
    size_t mark = e->jpath.len;
    struct cli_salvage sv = {e->salvage ? e->salvage->hive_path : NULL, ""};
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS || (e->salvage && i >= ki.subkeys))
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS && e->salvage && st != HK_ERROR_NOT_ENOUGH_MEMORY) {
            if (!cli_salvage_skip(&sv, e->salvage->hive, e->jpath.p, mark, i, st))
                return HK_ERROR_SUCCESS;
            continue;
        }
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = cli_key_name(child, &e->name);
        if (st == HK_ERROR_SUCCESS) {
            if (mark)
                cli_buf_add(&e->jpath, "\\\\", 2);
            cli_json_escape(&e->jpath, e->name.p, e->name.len, NULL);
            st = write_key(e, child, depth + 1);
            e->jpath.len = mark;
        }
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
}

hk_status cli_export_jsonl(hk_key *key, const char *rel, size_t rel_len, FILE *fp,
                           const struct cli_jsonl_salvage *salvage, int *write_err)
{
    return cli_export_jsonl_depth(key, rel, rel_len, fp, salvage, ~0u, write_err);
}

hk_status cli_export_jsonl_depth(hk_key *key, const char *rel, size_t rel_len, FILE *fp,
                                 const struct cli_jsonl_salvage *salvage, unsigned max_depth,
                                 int *write_err)
{
    struct export e;
    memset(&e, 0, sizeof e);
    e.salvage = salvage;
    e.max_depth = max_depth;
    cli_progress_init(&e.progress);
    cli_buf_reserve(&e.jpath, 256);
    cli_json_escape(&e.jpath, rel, rel_len, NULL);
    hk_status st = cli_key_name(key, &e.name);
    cli_out_init(&e.out, fp);
    if (st == HK_ERROR_SUCCESS)
        st = write_key(&e, key, 0);
    cli_progress_done(&e.progress);
    *write_err = cli_out_close(&e.out);
    cli_buf_free(&e.jpath);
    cli_buf_free(&e.name);
    cli_buf_free(&e.data);
    cli_buf_free(&e.text);
    cli_buf_free(&e.cls);
    return st;
}
