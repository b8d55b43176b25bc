/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Text of names and data made safe for a terminal and for line-based
 * readers (text layer): what could move the cursor, change colours or split
 * a line is written as an escape. */
#ifndef HK_TEXT_TEXTESC_H
#define HK_TEXT_TEXTESC_H

#include <stddef.h>

/* s (n bytes of UTF-8/WTF-8, NULs allowed) to out, which holds 6*n bytes:
 * C0 controls and DEL as \xNN (ESC -> \x1b, LF -> \x0a), C1 controls
 * (U+0080-U+009F) as \u0080..\u009f, lone surrogates (WTF-8) as \udXXX, any
 * byte that is not UTF-8 as \xNN; everything else as it is (a '\' too: it
 * separates path names). Returns the bytes written. */
size_t text_escape(const char *s, size_t n, char *out);

/* s (n bytes of UTF-8/WTF-8, NULs allowed) as the inside of a JSON string
 * to out, which holds 6*n bytes: '"' and '\\' escaped, C0 controls as
 * \u00XX, lone surrogates and bytes that are not UTF-8 as \ufffd (strict
 * parsers refuse a lone surrogate), the rest as it is. *lossy (may be NULL)
 * gets 1 when something was replaced by \ufffd, else 0. Returns the bytes
 * written. */
size_t json_escape(const char *s, size_t n, char *out, int *lossy);

/* s as the hex of its UTF-16LE units, 4 digits a unit, to out, which holds
 * 4*n bytes (a byte that is not UTF-8 as a unit of its own). Returns the
 * bytes written. */
size_t utf16_hex(const char *s, size_t n, char *out);

#endif
