/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit check HIVE: every invariant of the format, one finding a line. */
#include <stdio.h>
#include <string.h>

#include "common.h"

static const char check_usage[] =
    "usage: hivekit check HIVE\n"
    "\n"
    "Verify every rule of the format (base block, bins, cells, lists, values,\n"
    "big data, security cells, references) and print each finding as\n"
    "  error|warning FILE-OFFSET RULE: MESSAGE\n"
    "then a summary line. Warnings are oddities Windows tolerates. A damaged\n"
    "file is read as far as it goes.\n"
    "\n"
    "Exit status: 0 no errors (warnings allowed), 1 integrity errors,\n"
    "2 the file cannot be read as a hive.\n";

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

int cmd_check(int argc, char **argv)
{
    struct cli_hive_args a;
    int parsed = cli_parse_hive_args("check", check_usage, 0, argc, argv, &a);
    if (parsed != CLI_EXIT_OK)
        return parsed < 0 ? CLI_EXIT_OK : parsed;
    char msg[512] = "";
    hk_open_options opts = HK_OPEN_OPTIONS_INIT;
    opts.flags = HK_OPEN_SALVAGE;
    opts.errmsg = msg;
    opts.errmsg_size = sizeof msg;
    cli_log_options(&opts);
    hk_hive *hive;
    hk_status st = hk_hive_open(a.hive, &opts, &hive);
    if (st != HK_ERROR_SUCCESS) {
        cli_error(a.hive, "%s", msg[0] ? msg : hk_strerror(st));
        return CLI_EXIT_ERROR;
    }
    struct check c;
    hk_check_counts counts = HK_CHECK_COUNTS_INIT;
    cli_out_init(&c.out, stdout);
    st = hk_hive_check(hive, on_finding, &c, &counts);
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
