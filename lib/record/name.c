/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stored names: comparison in Windows' order and conversion to UTF-8 (record layer). */
#include "record/name.h"

#include "base/upcase.h"
#include "base/utf16.h"

int name_cmp_upcased(const struct name_ref *n, const uint16_t *up, size_t up_len)
{
    uint32_t nn = name_units(*n);
    size_t m = nn < up_len ? nn : up_len;
    for (size_t i = 0; i < m; i++) {
        uint16_t a = upcase_unit(name_unit(*n, (uint32_t)i));
        if (a != up[i])
            return a < up[i] ? -1 : 1;
    }
    if (nn == up_len)
        return 0;
    return nn < up_len ? -1 : 1;
}

int name_cmp_wide(const struct name_ref *a, const struct name_ref *b)
{
    uint32_t na = name_units(*a), nb = name_units(*b);
    uint32_t m = na < nb ? na : nb;
    for (uint32_t i = 0; i < m; i++) {
        uint16_t ua = upcase_unit(name_unit(*a, i));
        uint16_t ub = upcase_unit(name_unit(*b, i));
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
    if (na == nb)
        return 0;
    return na < nb ? -1 : 1;
}
