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
 * quotes (hk_json_escape); *lossy (may be NULL) as hk_json_escape sets it. */
void cli_json_escape(struct cli_buf *b, const char *s, size_t n, int *lossy);
/* The same with the quotes. */
void cli_json_string(struct cli_buf *b, const char *s, size_t n);

/* "FIELD":"s", and when s holds what JSON shows as U+FFFD (a name that is
 * not valid UTF-16), ,"FIELD_utf16_hex":"..." with its exact UTF-16LE
 * units (hk_utf16_hex). */
void cli_json_name(struct cli_buf *b, const char *field, const char *s, size_t n);

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
