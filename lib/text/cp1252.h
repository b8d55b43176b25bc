/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Windows-1252, the "ANSI" code page of REGEDIT4 files (text layer). The five
 * bytes 1252 leaves undefined (81 8D 8F 90 9D) map to U+0081.. as Windows'
 * MultiByteToWideChar maps them, so the mapping is a bijection on 256 units. */
#ifndef HK_TEXT_CP1252_H
#define HK_TEXT_CP1252_H

#include <stdint.h>

/* The UTF-16 unit of byte b. */
uint16_t cp1252_to_unit(uint8_t b);

/* The byte of unit u, or -1 if Windows-1252 has no byte for it. */
int cp1252_from_unit(uint16_t u);

#endif
