/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit rename HIVE KEY NEWNAME: RegRenameKey on a hive file. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "keypath.h"
#include "open_hive.h"
#include "options.h"

static const char rename_usage[] =
    "usage: hivekit rename HIVE KEY NEWNAME\n"
    "\n"
    "Give KEY (relative to the root key) the name NEWNAME (one name, no '\\'),\n"
    "as RegRenameKey does, and write the hive back (atomically). Its values,\n"
    "subkeys, class and security stay. A sibling of that name (in any letter\n"
    "case) is an error; nothing is written then.\n";

int cmd_rename(int argc, char **argv)
{
    const char *ops[3] = {NULL, NULL, NULL};
    int rc = cli_parse_args("rename", rename_usage, NULL, 0, ops, 3, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!ops[0] || !ops[1] || !ops[2])
        return cli_usage_error("rename", "missing %s",
                               !ops[0] ? "HIVE" : !ops[1] ? "KEY" : "NEWNAME");
    const char *key = cli_key_arg(ops[1]);
    if (*key == '\0') {
        cli_error("rename", "the root key keeps its name (give a KEY below it)");
        return CLI_EXIT_ERROR;
    }
    if (!ops[2][0] || strchr(ops[2], '\\')) {
        cli_error(ops[2], "a new name is one name: not empty, no '\\'");
        return CLI_EXIT_ERROR;
    }
    hk_hive *hive;
    if (cli_open_hive_write(ops[0], &hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *root = NULL;
    hk_status st = hk_hive_root(hive, &root);
    if (st == HK_ERROR_SUCCESS)
        st = hk_rename_key(root, key, ops[2]);
    if (st == HK_ERROR_FILE_NOT_FOUND) {
        rc = cli_key_not_found(key);
    } else if (st == HK_ERROR_ALREADY_EXISTS) {
        cli_error(ops[2], "a sibling of that name exists; nothing written");
        rc = CLI_EXIT_ERROR;
    } else if (st != HK_ERROR_SUCCESS)
        rc = cli_fail_edit(hive, ops[1], st);
    else
        rc = cli_save_hive(hive, ops[0]);
    if (rc == CLI_EXIT_OK)
        puts("The operation completed successfully.");
    hk_close_key(root);
    hk_hive_close(hive);
    return rc;
}
