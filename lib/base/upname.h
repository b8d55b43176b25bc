/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A caller's UTF-8 name as upcased UTF-16 units, ready to compare with
 * stored names (base layer). Short names stay on the stack. */
#ifndef HK_BASE_UPNAME_H
#define HK_BASE_UPNAME_H

#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

struct upname {
    uint16_t *units; /* stack or heap */
    size_t len;
    uint16_t stack[512];
};

/* Converts s (len bytes of UTF-8/WTF-8) and upcases every unit.
 * NO_UNICODE_TRANSLATION for invalid UTF-8, NOT_ENOUGH_MEMORY. On success
 * release with upname_free. */
hk_status upname_init(struct upname *u, const char *s, size_t len);
void upname_free(struct upname *u);

#endif
