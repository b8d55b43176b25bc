/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lines of the JSON lines outputs (text layer). */
#include "text/jsonlwrite.h"

#include <stdio.h>

#include "text/jsonwrite.h"

void jsonl_path_field(struct textbuf *b, const char *path, size_t n)
{
    json_field(b, "path", path, n);
}

void jsonl_key(struct textbuf *b, const struct textbuf *path_field, const char *name,
               size_t name_len, const hk_key_info *ki, const char *cls, size_t cls_len)
{
    textbuf_adds(b, "{\"type\":\"key\",");
    textbuf_add(b, path_field->p, path_field->len);
    textbuf_addc(b, ',');
    json_field(b, "name", name, name_len);
    textbuf_adds(b, ",\"last_write\":");
    textbuf_u64(b, ki->last_write);
    textbuf_adds(b, ",\"last_write_utc\":");
    json_iso(b, ki->last_write);
    textbuf_adds(b, ",\"subkeys\":");
    textbuf_u64(b, ki->subkeys);
    textbuf_adds(b, ",\"values\":");
    textbuf_u64(b, ki->values);
    if (cls_len) {
        textbuf_adds(b, ",\"class\":");
        json_string(b, cls, cls_len, NULL);
    }
    jsonl_end(b);
}

/* "REG_SZ"..., "REG_0x%X" for a type without a name. */
static void type_name(struct textbuf *b, uint32_t type)
{
    const char *tn = reg_type_name(type);
    char tmp[24];
    if (!tn) {
        snprintf(tmp, sizeof tmp, "REG_0x%X", type);
        tn = tmp;
    }
    textbuf_addc(b, '"');
    textbuf_adds(b, tn);
    textbuf_addc(b, '"');
}

void jsonl_value_head(struct textbuf *b, const struct textbuf *path_field, const char *name,
                      size_t name_len, uint32_t type, const uint8_t *data, size_t size)
{
    textbuf_adds(b, "{\"type\":\"value\",");
    textbuf_add(b, path_field->p, path_field->len);
    textbuf_addc(b, ',');
    json_field(b, "name", name, name_len);
    textbuf_adds(b, ",\"reg_type\":");
    textbuf_u64(b, type);
    textbuf_adds(b, ",\"type_name\":");
    type_name(b, type);
    textbuf_adds(b, ",\"size\":");
    textbuf_u64(b, size);
    textbuf_adds(b, ",\"data_hex\":\"");
    textbuf_hex_bytes(b, data, size);
    textbuf_addc(b, '"');
}

void jsonl_data_string(struct textbuf *b, const char *text, size_t n)
{
    textbuf_adds(b, ",\"data\":");
    json_string(b, text, n, NULL);
}

void jsonl_data_strings(struct textbuf *b, const char *items, size_t count)
{
    textbuf_adds(b, ",\"data\":[");
    for (size_t i = 0, start = 0; i < count; i++) {
        size_t len = strlen(items + start);
        if (i > 0)
            textbuf_addc(b, ',');
        json_string(b, items + start, len, NULL);
        start += len + 1;
    }
    textbuf_addc(b, ']');
}

void jsonl_data_number(struct textbuf *b, uint64_t v)
{
    textbuf_adds(b, ",\"data\":");
    textbuf_u64(b, v);
}

void jsonl_end(struct textbuf *b)
{
    textbuf_add(b, "}\n", 2);
}

/* ---- deleted records -------------------------------------------------- */

const char *deleted_where_name(uint32_t where)
{
    switch (where) {
    case HK_DELETED_IN_SLACK:
        return "slack";
    case HK_DELETED_IN_REMNANT:
        return "remnant";
    case HK_DELETED_IN_UNREFERENCED:
        return "unreferenced";
    default:
        return "free";
    }
}

const char *deleted_data_state_name(uint32_t state)
{
    switch (state) {
    case HK_DELETED_DATA_OK:
        return "ok";
    case HK_DELETED_DATA_REUSED:
        return "reused";
    default:
        return "invalid";
    }
}

const char *deleted_missing_name(uint32_t bit)
{
    switch (bit) {
    case HK_DELETED_MISSING_PATH:
        return "path";
    case HK_DELETED_MISSING_KEY:
        return "key";
    case HK_DELETED_MISSING_DATA:
        return "data";
    case HK_DELETED_MISSING_VALUES:
        return "values";
    default:
        return NULL;
    }
}

/* ,"complete":true or ,"complete":false,"missing":["path",...]; then
 * "orphan" and "copies" when they apply. */
static void completeness(struct textbuf *b, const hk_deleted_record *r)
{
    textbuf_adds(b, r->missing ? ",\"complete\":false,\"missing\":[" : ",\"complete\":true");
    for (uint32_t bit = 1, n = 0; r->missing && bit <= HK_DELETED_MISSING_VALUES; bit <<= 1)
        if (r->missing & bit) {
            textbuf_adds(b, n++ ? ",\"" : "\"");
            textbuf_adds(b, deleted_missing_name(bit));
            textbuf_addc(b, '"');
        }
    if (r->missing)
        textbuf_addc(b, ']');
    if (r->orphan)
        textbuf_adds(b, ",\"orphan\":true");
    if (r->copies > 1) {
        textbuf_adds(b, ",\"copies\":");
        textbuf_u64(b, r->copies);
    }
}

void jsonl_deleted(struct textbuf *b, const hk_deleted_record *r)
{
    int key = r->kind == HK_DELETED_KEY;
    textbuf_adds(b, key ? "{\"type\":\"key\"," : "{\"type\":\"value\",");
    json_field(b, "path", r->path, r->path_len);
    textbuf_addc(b, ',');
    json_field(b, "name", r->name, r->name_len);
    textbuf_adds(b, ",\"offset\":");
    textbuf_u64(b, r->offset);
    textbuf_adds(b, ",\"where\":\"");
    textbuf_adds(b, deleted_where_name(r->where));
    textbuf_adds(b, r->path_complete ? "\",\"path_complete\":true" : "\",\"path_complete\":false");
    if (key) {
        textbuf_adds(b, ",\"last_write\":");
        textbuf_u64(b, r->last_write);
        textbuf_adds(b, ",\"last_write_utc\":");
        json_iso(b, r->last_write);
        textbuf_adds(b, ",\"subkeys\":");
        textbuf_u64(b, r->subkey_count);
        textbuf_adds(b, ",\"values\":");
        textbuf_u64(b, r->value_count);
    } else {
        textbuf_adds(b, ",\"reg_type\":");
        textbuf_u64(b, r->reg_type);
        textbuf_adds(b, ",\"type_name\":");
        type_name(b, r->reg_type);
        textbuf_adds(b, ",\"size\":");
        textbuf_u64(b, r->data_size);
        textbuf_adds(b, ",\"data_state\":\"");
        textbuf_adds(b, deleted_data_state_name(r->data_state));
        if (r->data) {
            textbuf_adds(b, "\",\"data_hex\":\"");
            textbuf_hex_bytes(b, r->data, r->data_size);
            textbuf_addc(b, '"');
        } else {
            textbuf_adds(b, "\",\"data_hex\":null");
        }
    }
    completeness(b, r);
    jsonl_end(b);
}
