/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction logs in the CLI: the options every reading command takes
 * (--no-logs, --log FILE), those of the commands that write a hive
 * (--accept-dirty, --break-hardlinks), and the one stderr line that says
 * what was done with a dirty hive. */
#include <stdlib.h>

#include "buffers.h"
#include "diag.h"
#include "open_hive.h"
#include "options.h"

enum { MAX_LOGS = 8 };

static int g_no_logs, g_accept_dirty, g_break_links;
static const char *g_logs[MAX_LOGS];
static size_t g_n_logs;

/* The commands that take --accept-dirty (they edit a hive in place, or
 * recover it) and --break-hardlinks (they replace a hive file). */
static const char *const edits_dirty[] = {"add", "delete", "copy", "import", "rename", "recover",
                                          NULL};
static const char *const writes_file[] = {"add", "delete", "copy", "import", "rename", "recover",
                                          "save", "build", NULL};

static int command_in(const char *cmd, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(cmd, *list) == 0)
            return 1;
    return 0;
}

static int take_log_option(int argc, char **argv, int *i, void *ctx)
{
    (void)ctx;
    const char *a = argv[*i], *val = NULL;
    if (strcmp(a, "--no-logs") == 0) {
        g_no_logs = 1;
        return 1;
    }
    if (strcmp(a, "--accept-dirty") == 0 || strcmp(a, "--break-hardlinks") == 0) {
        int dirty = a[2] == 'a';
        if (!command_in(argv[0], dirty ? edits_dirty : writes_file))
            return -cli_usage_error(argv[0], "unknown option '%s'", a);
        *(dirty ? &g_accept_dirty : &g_break_links) = 1;
        return 1;
    }
    if (strcmp(a, "--log") == 0) {
        if (*i + 1 >= argc)
            return -cli_usage_error(argv[0], "option '--log' needs a value");
        val = argv[++*i];
    } else if (strncmp(a, "--log=", 6) == 0) {
        val = a + 6;
    }
    if (!val)
        return 0;
    if (g_n_logs == MAX_LOGS)
        return -cli_usage_error(argv[0], "at most %d '--log' files", MAX_LOGS);
    g_logs[g_n_logs++] = val;
    return 1;
}

int cli_take_log_options(int argc, char **argv)
{
    int out = cli_take_options(argc, argv, take_log_option, NULL);
    if (out >= 0 && g_no_logs && g_n_logs)
        return -cli_usage_error(argv[0], "'--no-logs' and '--log' contradict each other");
    return out;
}

void cli_open_options(hk_open_options *opts, uint32_t flags)
{
    hk_open_options init = HK_OPEN_OPTIONS_INIT;
    *opts = init;
    opts->flags = flags;
    cli_log_options(opts);
}

void cli_log_options(hk_open_options *opts)
{
    if (g_no_logs)
        opts->flags |= HK_OPEN_NO_LOGS;
    if (g_accept_dirty)
        opts->flags |= HK_OPEN_ACCEPT_DIRTY;
    opts->log_paths = g_n_logs ? g_logs : NULL;
    opts->n_log_paths = g_n_logs;
}

/* "sequence 3 != 2, bad checksum" */
void cli_dirty_reason(const hk_hive_info *info, char *why, size_t size)
{
    if (info->primary_sequence != info->secondary_sequence)
        snprintf(why, size, "sequence %u != %u%s", info->primary_sequence,
                 info->secondary_sequence, info->checksum_ok ? "" : ", bad checksum");
    else
        snprintf(why, size, "bad checksum");
}

uint32_t cli_save_flags(void)
{
    return g_break_links ? HK_SAVE_BREAK_LINKS : 0;
}

void cli_log_report(const char *path, hk_hive *hive, const hk_hive_info *info)
{
    for (uint32_t i = 0; i < info->logs_found; i++) {
        hk_log_info li = HK_LOG_INFO_INIT;
        if (hk_hive_log_info(hive, i, &li) == HK_ERROR_SUCCESS && li.ignored)
            cli_error(NULL, "warning: %s: ignored %s: %s", path, li.path,
                      strncmp(li.note, "ignored: ", 9) == 0 ? li.note + 9 : li.note);
    }
    if (info->logs_replayed) {
        struct cli_buf line = {0};
        for (uint32_t i = 0; i < info->logs_found; i++) {
            hk_log_info li = HK_LOG_INFO_INIT;
            if (hk_hive_log_info(hive, i, &li) != HK_ERROR_SUCCESS || !li.applied)
                continue;
            if (line.len)
                cli_buf_adds(&line, ", ");
            cli_buf_adds(&line, li.path);
        }
        cli_buf_addc(&line, '\0');
        cli_error(path, "dirty; replayed in memory from %s (%u log entr%s, now sequence %u; files "
                  "unchanged)", line.p, info->log_entries, info->log_entries == 1 ? "y" : "ies",
                  info->primary_sequence);
        cli_buf_free(&line);
    } else if (info->dirty) {
        char why[96];
        cli_dirty_reason(info, why, sizeof why);
        if (g_no_logs)
            cli_error(NULL, "warning: %s is dirty (%s); --no-logs: reading the primary as it is",
                      path, why);
        else
            cli_error(NULL, "warning: %s is dirty (%s) and no transaction log was found beside it; "
                      "reading the primary as it is", path, why);
    }
}
