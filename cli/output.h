/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Text encodings of the outputs: hex, JSON strings, FILETIME, type names,
 * and value data as reg.exe query shows it. */
#ifndef HIVEKIT_CLI_OUTPUT_H
#define HIVEKIT_CLI_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "buffers.h"

/* n bytes as 2n hex digits at dst; returns the end. */
char *cli_hex_lower(char *dst, const uint8_t *src, size_t n);
char *cli_hex_upper(char *dst, const uint8_t *src, size_t n);

/* Appends s (n bytes of UTF-8/WTF-8, NULs allowed) JSON-escaped, without
 * quotes: '"' '\\' and controls as escapes (controls as \u00XX), WTF-8 lone
 * surrogates and any other ill-formed byte as \ufffd (strict parsers refuse
 * lone surrogates; cli_json_name keeps the exact units beside). */
void cli_json_escape(struct cli_buf *b, const char *s, size_t n);
/* The same with the quotes. */
void cli_json_string(struct cli_buf *b, const char *s, size_t n);

/* "FIELD":"s", and when s holds what JSON shows as U+FFFD (a lone
 * surrogate), ,"FIELD_utf16_hex":"..." with its exact UTF-16LE units. */
void cli_json_name(struct cli_buf *b, const char *field, const char *s, size_t n);

/* FILETIME as "YYYY-MM-DDTHH:MM:SS.fffffffZ" (28 bytes + NUL) at out;
 * returns the length (the library's hk_filetime_text). */
#define CLI_ISO_SIZE HK_FILETIME_TEXT_SIZE
size_t cli_filetime_iso(uint64_t filetime, char out[CLI_ISO_SIZE]);

/* "REG_SZ" ... (the library's hk_type_name), or "REG_0x%X" for a type
 * without a name (scratch holds it). */
#define CLI_TYPE_NAME_SIZE 24
const char *cli_type_name(uint32_t type, char scratch[CLI_TYPE_NAME_SIZE]);

/* Appends data of type as reg.exe query shows it (strings decoded,
 * numbers 0x..., REG_MULTI_SZ joined with "\0", other types uppercase hex);
 * text is scratch. */
hk_status cli_reg_data(struct cli_buf *b, struct cli_buf *text, uint32_t type, const char *data,
                       size_t len);

#endif
