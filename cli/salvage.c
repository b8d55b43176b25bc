/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Salvage skips and progress of long walks. */
#include "salvage.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

int cli_salvage_skip(struct cli_salvage *sv, const char *key_path, size_t path_len,
                     uint32_t index, hk_status st)
{
    const char *detail = hk_errmsg();
    if (st != HK_ERROR_BADDB || !detail[0])
        detail = hk_strerror(st);
    if (strcmp(detail, sv->last) == 0)
        return 0;
    snprintf(sv->last, sizeof sv->last, "%s", detail);
    cli_error(NULL, "warning: %s: skipped subkey %u of \"%.*s\": %s", sv->hive_path, index,
              (int)path_len, key_path, detail);
    return 1;
}

enum { PROGRESS_EVERY = 10000 };

void cli_progress_init(struct cli_progress *p)
{
    p->keys = 0;
    p->tty = isatty(STDERR_FILENO);
}

void cli_progress_key(struct cli_progress *p)
{
    if (++p->keys % PROGRESS_EVERY == 0 && p->tty)
        fprintf(stderr, "\rhivekit: %llu keys read", (unsigned long long)p->keys);
}

void cli_progress_done(struct cli_progress *p)
{
    if (p->tty && p->keys >= PROGRESS_EVERY)
        fprintf(stderr, "\rhivekit: %llu keys read\n", (unsigned long long)p->keys);
}
