/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit save HIVE KEY FILE [-f]: reg.exe save, a key's subtree written as
 * a new hive (hk_save_key). */
#include <stdio.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "keypath.h"
#include "open_hive.h"
#include "options.h"

static const char save_usage[] =
    "usage: hivekit save HIVE KEY FILE [-f]\n"
    "\n"
    "Write KEY (relative to the root key; \"\" is the root) and everything below it\n"
    "to FILE as a new compact hive, as reg.exe save does: KEY becomes the root;\n"
    "values, class names, security descriptors and last-write times are kept.\n"
    "\n"
    "  -f, --force  replace FILE if it exists (reg.exe's /y); without it an\n"
    "               existing FILE is an error and stays as it was\n";

int cmd_save(int argc, char **argv)
{
    const char *ops[3] = {NULL, NULL, NULL};
    int force = 0;
    const struct cli_option opts[] = {
        {.s = "f", .l = "force", .flag = &force},
        {.s = "y", .flag = &force},
    };
    int rc = cli_parse_args("save", save_usage, opts, 2, ops, 3, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!ops[0] || !ops[1] || !ops[2])
        return cli_usage_error("save", "missing %s", !ops[0] ? "HIVE" : !ops[1] ? "KEY" : "FILE");
    hk_hive *hive;
    if (cli_open_hive(ops[0], &hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *key = NULL;
    struct cli_buf rel = {0};
    rc = cli_open_path(hive, ops[1], &key, &rel);
    if (rc == CLI_EXIT_OK) {
        hk_status st = hk_save_key(key, ops[2], (force ? HK_SAVE_OVERWRITE : 0) | cli_save_flags());
        if (st == HK_ERROR_FILE_EXISTS || st == HK_ERROR_ALREADY_EXISTS) {
            cli_error(ops[2], "the file exists (add -f to replace it); nothing written");
            rc = CLI_EXIT_ERROR;
        } else if (st != HK_ERROR_SUCCESS) {
            rc = cli_fail_edit(hive, ops[2], st);
        } else {
            puts("The operation completed successfully.");
        }
    }
    cli_buf_free(&rel);
    hk_close_key(key);
    hk_hive_close(hive);
    return rc;
}
