/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON lines (text layer): the lines of the jsonl export (one a key, one a
 * value) and of the deleted-record listing, appended to a buffer. Names
 * and paths that are not valid UTF-16 get a *_utf16_hex twin (json_field).
 *   key:   {"type":"key","path":S,"name":S,"last_write":N,"last_write_utc":S,
 *           "subkeys":N,"values":N[,"class":S]}
 *   value: {"type":"value","path":S,"name":S,"reg_type":N,"type_name":S,
 *           "size":N,"data_hex":S[,"data":D]} */
#ifndef HK_TEXT_JSONLWRITE_H
#define HK_TEXT_JSONLWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "text/textbuf.h"

/* "path":S (and its twin): what each line of a key starts with after its
 * type, kept once a key. */
void jsonl_path_field(struct textbuf *b, const char *path, size_t n);

/* A key's whole line; path_field as jsonl_path_field wrote it. */
void jsonl_key(struct textbuf *b, const struct textbuf *path_field, const char *name,
               size_t name_len, const hk_key_info *ki, const char *cls, size_t cls_len);

/* A value's line up to its data_hex; the decoded data (if any) follows,
 * then jsonl_end. */
void jsonl_value_head(struct textbuf *b, const struct textbuf *path_field, const char *name,
                      size_t name_len, uint32_t type, const uint8_t *data, size_t size);
/* ,"data":S (text: n bytes of UTF-8/WTF-8) */
void jsonl_data_string(struct textbuf *b, const char *text, size_t n);
/* ,"data":[S,...] of count NUL-terminated items back to back */
void jsonl_data_strings(struct textbuf *b, const char *items, size_t count);
/* ,"data":N */
void jsonl_data_number(struct textbuf *b, uint64_t v);
/* "}\n" */
void jsonl_end(struct textbuf *b);

/* The line of one deleted record (hivekit deleted --format jsonl). */
void jsonl_deleted(struct textbuf *b, const hk_deleted_record *r);

/* The names the deleted listings use: where a record was found, the state
 * of its data, one HK_DELETED_MISSING_* bit (NULL for another). */
const char *deleted_where_name(uint32_t where);
const char *deleted_data_state_name(uint32_t state);
const char *deleted_missing_name(uint32_t bit);

#endif
