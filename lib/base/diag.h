/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Detail messages for failures: one fixed buffer per hive (base layer). */
#ifndef HK_BASE_DIAG_H
#define HK_BASE_DIAG_H

#include <stdint.h>

#include "hivekit.h"

#define DIAG_MSG_SIZE 256u

struct diag {
    char msg[DIAG_MSG_SIZE];
};

/* Formats the detail into d (d may be NULL) and returns status, so that a
 * failure reads `return diag_set(d, HK_ERROR_X, "...")`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
hk_status diag_set(struct diag *d, hk_status status, const char *fmt, ...);

void diag_clear(struct diag *d);

#endif
