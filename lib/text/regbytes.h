/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Byte-level scans for the .reg parser (text layer). */
#ifndef HK_TEXT_REGBYTES_H
#define HK_TEXT_REGBYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Units of n ASCII bytes at s to u. */
void text_widen_ascii(uint16_t *u, const uint8_t *s, size_t n);

/* The units of a .reg text: bytes (UTF-8, Windows-1252), UTF-16LE or
 * UTF-16BE (the BOM taken off). */
enum reg_units { REG_UNITS_BYTES, REG_UNITS_LE, REG_UNITS_BE };

/* Where a text of such units (size bytes, even for UTF-16) can stop for a
 * caller that wants only the first key: the byte after the first line,
 * after the header line, whose first non-blank is '['; size if there is
 * none. Reads the text up to there only. */
size_t reg_first_key_end(const uint8_t *s, size_t size, enum reg_units form);

/* The end of the run of ASCII bytes of s[0..size) from i. */
size_t text_ascii_end(const uint8_t *s, size_t size, size_t i);

/* Whether s[0..size) is UTF-8; *ascii: whether it is all ASCII. */
bool text_valid_utf8(const uint8_t *s, size_t size, bool *ascii);

/* The units of size bytes of valid UTF-8 to u (room for size units);
 * returns their count. */
size_t text_utf8_units(uint16_t *u, const uint8_t *s, size_t size);

#endif
