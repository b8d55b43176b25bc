/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Detail messages for failures (base layer). */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct diag diag_detail_tag = {{0}};

/* Per thread, so that distinct hives used from distinct threads share
 * nothing. */
static _Thread_local char detail[DIAG_DETAIL_SIZE];
static _Thread_local unsigned muted;

const char *diag_detail(void)
{
    return detail;
}

void diag_detail_clear(void)
{
    detail[0] = '\0';
}

void diag_mute(bool on)
{
    if (on)
        muted++;
    else if (muted)
        muted--;
}

char *diag_buf(struct diag *d)
{
    if (d == DIAG_DETAIL)
        return muted ? NULL : detail;
    return d ? d->msg : NULL;
}

size_t diag_size(const struct diag *d)
{
    return d == DIAG_DETAIL ? sizeof detail : sizeof d->msg;
}

hk_status diag_set(struct diag *d, hk_status status, const char *fmt, ...)
{
    char *buf = diag_buf(d);
    if (buf) {
        /* formatted aside: an argument may be the text buf holds */
        char text[DIAG_DETAIL_SIZE];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
        size_t size = diag_size(d);
        snprintf(buf, size, "%s", text);
    }
    return status;
}

void diag_clear(struct diag *d)
{
    char *buf = diag_buf(d);
    if (buf)
        buf[0] = '\0';
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
