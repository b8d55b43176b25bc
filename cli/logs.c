/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction logs in the CLI: the options every reading command takes
 * (--no-logs, --log FILE) and the one stderr line that says what was done
 * with a dirty hive. */
#include <stdlib.h>

#include "common.h"

enum { MAX_LOGS = 8 };

static int g_no_logs;
static const char *g_logs[MAX_LOGS];
static size_t g_n_logs;

int cli_take_log_options(int argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (i < argc)
                argv[out++] = argv[i++];
            break;
        }
        const char *val = NULL;
        if (strcmp(a, "--no-logs") == 0) {
            g_no_logs = 1;
            continue;
        }
        if (strcmp(a, "--log") == 0) {
            if (i + 1 >= argc)
                return -cli_usage_error(argv[0], "option '--log' needs a value");
            val = argv[++i];
        } else if (strncmp(a, "--log=", 6) == 0) {
            val = a + 6;
        }
        if (val) {
            if (g_n_logs == MAX_LOGS)
                return -cli_usage_error(argv[0], "at most %d '--log' files", MAX_LOGS);
            g_logs[g_n_logs++] = val;
            continue;
        }
        argv[out++] = argv[i];
    }
    if (g_no_logs && g_n_logs)
        return -cli_usage_error(argv[0], "'--no-logs' and '--log' contradict each other");
    argv[out] = NULL;
    return out;
}

void cli_log_options(hk_open_options *opts)
{
    if (g_no_logs)
        opts->flags |= HK_OPEN_NO_LOGS;
    opts->log_paths = g_n_logs ? g_logs : NULL;
    opts->n_log_paths = g_n_logs;
}

/* "sequence 3 != 2, bad checksum" */
static void dirty_reason(const hk_hive_info *info, char *why, size_t size)
{
    if (info->primary_sequence != info->secondary_sequence)
        snprintf(why, size, "sequence %u != %u%s", info->primary_sequence,
                 info->secondary_sequence, info->checksum_ok ? "" : ", bad checksum");
    else
        snprintf(why, size, "bad checksum");
}

void cli_log_report(const char *path, hk_hive *hive, const hk_hive_info *info)
{
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
        dirty_reason(info, why, sizeof why);
        if (g_no_logs)
            cli_error(NULL, "warning: %s is dirty (%s); --no-logs: reading the primary as it is",
                      path, why);
        else
            cli_error(NULL, "warning: %s is dirty (%s) and no transaction log was found beside it; "
                      "reading the primary as it is", path, why);
    }
}
