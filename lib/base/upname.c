/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Caller names as upcased UTF-16 units (base layer). */
#include "base/upname.h"

#include "base/alloc.h"
#include "base/upcase.h"
#include "base/utf16.h"

hk_status upname_init(struct upname *u, const char *s, size_t len)
{
    u->units = u->stack;
    u->len = 0;
    size_t n;
    int rc = utf8_to_utf16(s, len, u->stack, sizeof u->stack / sizeof u->stack[0], &n);
    if (rc == -1)
        return HK_ERROR_NO_UNICODE_TRANSLATION;
    if (rc == -2) {
        u->units = hk_alloc(n * sizeof *u->units);
        if (!u->units) {
            u->units = u->stack;
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        }
        utf8_to_utf16(s, len, u->units, n, &n); /* same input: cannot fail now */
    }
    for (size_t i = 0; i < n; i++)
        u->units[i] = upcase_unit(u->units[i]);
    u->len = n;
    return HK_ERROR_SUCCESS;
}

void upname_free(struct upname *u)
{
    if (u->units != u->stack)
        hk_dealloc(u->units);
    u->units = u->stack;
}
