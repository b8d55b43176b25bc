/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit check HIVE: every invariant of the format, one finding a line. */
#include <stdio.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "open_hive.h"
#include "options.h"

static const char check_usage[] =
    "usage: hivekit check HIVE\n"
    "\n"
    "Verify every rule of the format (base block, bins, cells, lists, values,\n"
    "big data, security cells, references) and print each finding as\n"
    "  error|warning FILE-OFFSET RULE: MESSAGE\n"
    "then a summary line. Warnings are oddities Windows tolerates. A damaged\n"
    "file is read as far as it goes. Transaction logs that cannot be used are\n"
    "reported (rule \"log\") and the primary is checked as it is.\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 integrity errors (a bad\n"
    "log included), 2 the file cannot be read as a hive.\n";

struct check {
    struct cli_out out;
};

static int on_finding(const hk_check_finding *f, void *ctx)
{
    struct check *c = ctx;
    char head[64];
    int n = snprintf(head, sizeof head, "%s 0x%llx ",
                     f->severity == HK_CHECK_ERROR ? "error" : "warning",
                     (unsigned long long)f->file_offset);
    cli_buf_add(&c->out.buf, head, (size_t)n);
    cli_buf_adds(&c->out.buf, f->rule);
    cli_buf_adds(&c->out.buf, ": ");
    cli_buf_adds(&c->out.buf, f->message);
    cli_buf_addc(&c->out.buf, '\n');
    cli_out_step(&c->out);
    return 0;
}

static void log_finding(struct check *c, hk_check_counts *counts, uint32_t severity,
                        const char *message)
{
    hk_check_finding f = {severity, 0, "log", message};
    if (severity == HK_CHECK_ERROR)
        counts->errors++;
    else
        counts->warnings++;
    on_finding(&f, c);
}

/* Opens the hive with its logs; when they cannot be used, reports that
 * (one finding) and opens the primary as it is. Each log left unused or
 * cut short is a warning. */
static hk_status open_checked(const char *path, struct check *c, hk_check_counts *counts,
                              hk_hive **hive)
{
    char msg[512] = "";
    hk_open_options opts;
    cli_open_options(&opts, HK_OPEN_SALVAGE);
    hk_status st = hk_hive_open(path, &opts, hive);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    if (st != HK_ERROR_SUCCESS && !(opts.flags & HK_OPEN_NO_LOGS)) {
        hk_open_options bare = HK_OPEN_OPTIONS_INIT;
        bare.flags = HK_OPEN_SALVAGE | HK_OPEN_NO_LOGS;
        if (hk_hive_open(path, &bare, hive) == HK_ERROR_SUCCESS) {
            /* "no usable transaction log: A: why; B: why": one finding a log */
            static const char lead[] = "no usable transaction log: ";
            if (strncmp(msg, lead, sizeof lead - 1) != 0) {
                log_finding(c, counts, HK_CHECK_ERROR, msg[0] ? msg : hk_strerror(st));
                return HK_ERROR_SUCCESS;
            }
            for (char *p = msg + sizeof lead - 1, *end; p; p = end ? end + 2 : NULL) {
                end = strstr(p, "; ");
                if (end)
                    *end = '\0';
                log_finding(c, counts, HK_CHECK_ERROR, p);
            }
            return HK_ERROR_SUCCESS;
        }
    }
    if (st != HK_ERROR_SUCCESS) {
        cli_error(path, "%s", msg[0] ? msg : hk_strerror(st));
        return st;
    }
    hk_log_info li = HK_LOG_INFO_INIT;
    for (uint32_t i = 0; hk_hive_log_info(*hive, i, &li) == HK_ERROR_SUCCESS; i++) {
        if (!li.note[0])
            continue;
        char line[768];
        snprintf(line, sizeof line, "%s %s: %s", li.path, li.applied ? "replayed in part" : "unused",
                 li.note);
        log_finding(c, counts, HK_CHECK_WARNING, line);
    }
    return HK_ERROR_SUCCESS;
}

int cmd_check(int argc, char **argv)
{
    struct cli_hive_args a;
    int parsed = cli_parse_hive_args("check", check_usage, 0, argc, argv, &a);
    if (parsed != CLI_EXIT_OK)
        return parsed < 0 ? CLI_EXIT_OK : parsed;
    struct check c;
    hk_check_counts counts = HK_CHECK_COUNTS_INIT, tree = HK_CHECK_COUNTS_INIT;
    cli_out_init(&c.out, stdout);
    hk_hive *hive;
    hk_status st = open_checked(a.hive, &c, &counts, &hive);
    if (st != HK_ERROR_SUCCESS) {
        (void)cli_out_close(&c.out);
        return CLI_EXIT_ERROR;
    }
    st = hk_hive_check(hive, on_finding, &c, &tree);
    counts.errors += tree.errors;
    counts.warnings += tree.warnings;
    if (st == HK_ERROR_SUCCESS) {
        char sum[96];
        int n = snprintf(sum, sizeof sum, "%u error%s, %u warning%s\n", counts.errors,
                         counts.errors == 1 ? "" : "s", counts.warnings,
                         counts.warnings == 1 ? "" : "s");
        cli_buf_add(&c.out.buf, sum, (size_t)n);
    }
    int err = cli_out_close(&c.out);
    int rc = counts.errors ? CLI_EXIT_NOT_FOUND : CLI_EXIT_OK;
    if (st != HK_ERROR_SUCCESS) {
        rc = cli_fail(hive, a.hive, st);
    } else if (err) {
        cli_error("stdout", "write error: %s", strerror(err));
        rc = CLI_EXIT_ERROR;
    }
    hk_hive_close(hive);
    return rc;
}
