/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Exit status and diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

CLI_PRINTF(2, 0) static void vreport(const char *what, const char *fmt, va_list ap)
{
    fputs("hivekit: ", stderr);
    if (what)
        fprintf(stderr, "%s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(what, fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "hivekit: %s: %s (see 'hivekit help %s')\n", cmd, msg, cmd);
    return CLI_EXIT_ERROR;
}

int cli_salvage_hint;

int cli_fail(const hk_hive *hive, const char *what, hk_status st)
{
    /* Structural faults are reported with their detail, other statuses by
     * their text alone; hive NULL: no detail. */
    const char *detail = hive ? hk_errmsg() : "";
    if (st == HK_ERROR_BADDB && detail[0])
        cli_error(what, "%s (%s%s)", detail, hk_strerror(st), cli_salvage_hint ? "; try --salvage" : "");
    else
        cli_error(what, "%s", hk_strerror(st));
    return CLI_EXIT_ERROR;
}

int cli_fail_edit(const hk_hive *hive, const char *what, hk_status st)
{
    const char *detail = hive ? hk_errmsg() : "";
    if (detail[0])
        cli_error(what, "%s (%s)", detail, hk_strerror(st));
    else
        cli_error(what, "%s", hk_strerror(st));
    return CLI_EXIT_ERROR;
}

int cli_not_found(void)
{
    fputs("hivekit: " CLI_NOT_FOUND_TEXT "\n", stderr);
    return CLI_EXIT_NOT_FOUND;
}

int cli_not_found_detail(const char *fmt, ...)
{
    fputs("hivekit: " CLI_NOT_FOUND_TEXT "\n", stderr);
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
    return CLI_EXIT_NOT_FOUND;
}
