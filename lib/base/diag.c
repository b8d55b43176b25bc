/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Detail messages for failures (base layer). */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>

hk_status diag_set(struct diag *d, hk_status status, const char *fmt, ...)
{
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->msg, sizeof d->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}

void diag_clear(struct diag *d)
{
    if (d)
        d->msg[0] = '\0';
}

void diag_corrupt(char *buf, size_t size, uint32_t cell, const char *fmt, ...)
{
    if (!buf || size == 0)
        return;
    char rule[DIAG_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    if (cell == DIAG_NO_CELL)
        snprintf(buf, size, "%s", rule);
    else
        snprintf(buf, size, "corrupt hive at offset 0x%x (file offset 0x%llx): %s", cell,
                 (unsigned long long)cell + DIAG_CELL_ORIGIN, rule);
}
