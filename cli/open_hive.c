/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening a hive with its logs, and saving it. */
#include "open_hive.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"

hk_status cli_open_hive(const char *path, hk_hive **out)
{
    return cli_open_hive_flags(path, HK_OPEN_READONLY, out);
}

/* hk_hive_open with the log options; a failure reported as
 * "hivekit: PATH: REASON". */
static hk_status open_reported(const char *path, uint32_t flags, hk_hive **out)
{
    char msg[512] = "";
    hk_open_options opts;
    cli_open_options(&opts, flags);
    hk_status st = hk_hive_open(path, &opts, out);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    if (st != HK_ERROR_SUCCESS) {
        if (strstr(msg, "transaction log"))
            cli_error(path, "%s (--no-logs reads the primary as it is)", msg);
        else if (st == HK_ERROR_BADDB && cli_salvage_hint && !(flags & HK_OPEN_SALVAGE))
            cli_error(path, "%s (try --salvage)", msg[0] ? msg : hk_strerror(st));
        else
            cli_error(path, "%s", msg[0] ? msg : hk_strerror(st));
    }
    return st;
}

hk_status cli_open_hive_flags(const char *path, uint32_t flags, hk_hive **out)
{
    hk_status st = open_reported(path, flags, out);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (hk_hive_salvage_note(*out)[0])
        cli_error(NULL, "warning: %s: %s", path, hk_hive_salvage_note(*out));
    hk_hive_info info = HK_HIVE_INFO_INIT;
    st = hk_hive_info_get(*out, &info);
    if (st != HK_ERROR_SUCCESS) {
        cli_fail(*out, path, st);
        hk_hive_close(*out);
        *out = NULL;
        return st;
    }
    if (info.gzip_unread)
        cli_error(NULL, "warning: %s: gzip data past the hive's declared size left unread (%llu "
                  "compressed bytes)", path, (unsigned long long)info.gzip_unread);
    cli_log_report(path, *out, &info);
    return HK_ERROR_SUCCESS;
}

hk_status cli_open_hive_write(const char *path, hk_hive **out)
{
    /* the editing commands take no --salvage: cli_salvage_hint stays 0 */
    hk_status st = open_reported(path, HK_OPEN_WRITE, out);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_hive_info info = HK_HIVE_INFO_INIT;
    st = hk_hive_info_get(*out, &info);
    if (st == HK_ERROR_SUCCESS && !info.dirty)
        cli_log_report(path, *out, &info);
    char why[96];
    if (st == HK_ERROR_SUCCESS && info.dirty_at_open && !info.dirty && !info.logs_replayed) {
        cli_dirty_reason(&info, why, sizeof why);
        cli_error(NULL, "warning: accepted the dirty primary as it is (%s; no transaction log): it "
                  "is written clean", why);
    }
    if (st == HK_ERROR_SUCCESS && info.dirty) {
        cli_error(path, "hive is dirty (sequence %u, %u): replay its transaction logs first; "
                  "nothing written (no log was found: --accept-dirty takes the primary as it is)",
                  info.primary_sequence, info.secondary_sequence);
        st = HK_ERROR_REGISTRY_IO_FAILED;
    }
    if (st != HK_ERROR_SUCCESS) {
        hk_hive_close(*out);
        *out = NULL;
    }
    return st;
}

int cli_save_hive(hk_hive *hive, const char *path)
{
    hk_status st = hk_hive_save(hive, NULL, HK_SAVE_OVERWRITE | cli_save_flags());
    if (st == HK_ERROR_NOT_SUPPORTED && strstr(hk_errmsg(), "hard links")) {
        /* the library names its flag; the command line has an option */
        const char *msg = hk_errmsg(), *cut = strchr(msg, ';');
        cli_error(path, "%.*s; nothing written (--break-hardlinks replaces this name only)",
                  (int)(cut ? cut - msg : (ptrdiff_t)strlen(msg)), msg);
        return CLI_EXIT_ERROR;
    }
    if (st != HK_ERROR_SUCCESS)
        return cli_fail_edit(hive, path, st);
    if (hk_hive_save_note(hive)[0])
        cli_error(NULL, "warning: %s: %s", path, hk_hive_save_note(hive));
    return CLI_EXIT_OK;
}
