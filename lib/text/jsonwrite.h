/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pieces of the nested JSON export (text layer), appended to a buffer.
 * The document:
 *   {"hivekit_json":1,"root":KEY}
 *   KEY   = {"type":"key","name":S[,"name_utf16_hex":S],"last_write":N,
 *            "last_write_utc":S[,"class":S],"values":[VALUE,...],"subkeys":[KEY,...]}
 *   VALUE = {"type":"value","name":S[,"name_utf16_hex":S],"reg_type":N,
 *            "type_name":S,"size":N,"data_hex":S[,"data":D]}
 * The names are those of the JSON lines (hivekit export --format jsonl).
 * "data_hex" holds the exact stored bytes; "data" is the decoded form where
 * the type has one (winreg's rules), never needed to restore the value. A
 * name with a lone surrogate shows it as U+FFFD (strict parsers refuse
 * \udXXX alone) and gives its exact UTF-16LE units in "name_utf16_hex". */
#ifndef HK_TEXT_JSONWRITE_H
#define HK_TEXT_JSONWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "text/textbuf.h"

/* s (n bytes of WTF-8, NULs allowed) as a quoted JSON string (json_escape);
 * *lossy (may be NULL) as json_escape sets it. */
void json_string(struct textbuf *b, const char *s, size_t n, int *lossy);

/* "FIELD":"s", and when s is shown with U+FFFD (not valid UTF-16),
 * ,"FIELD_utf16_hex":"..." with its exact UTF-16LE units. */
void json_field(struct textbuf *b, const char *field, const char *s, size_t n);

/* A FILETIME as a quoted JSON string ("2020-01-05T08:25:33.3627109Z"). */
void json_iso(struct textbuf *b, uint64_t ft);

void jsonw_begin(struct textbuf *b);
void jsonw_end(struct textbuf *b);

/* A key's opening up to the "values" list. first: no comma before it. */
void jsonw_key_open(struct textbuf *b, bool first, const char *name, size_t name_len,
                    uint64_t last_write, const char *cls, size_t cls_len);
void jsonw_value(struct textbuf *b, bool first, const char *name, size_t name_len, uint32_t type,
                 const uint8_t *data, size_t size);
/* Between the values and the subkeys. */
void jsonw_key_middle(struct textbuf *b);
void jsonw_key_close(struct textbuf *b);

/* Windows' name of a value type ("REG_SZ"...), NULL for an unnamed one. */
const char *reg_type_name(uint32_t type);

/* FILETIME as "YYYY-MM-DDTHH:MM:SS.fffffffZ" and a NUL at out (at least
 * FILETIME_TEXT_SIZE bytes); returns the length (28). */
#define FILETIME_TEXT_SIZE 32
size_t filetime_text(uint64_t ft, char *out);

#endif
