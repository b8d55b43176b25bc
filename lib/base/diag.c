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
