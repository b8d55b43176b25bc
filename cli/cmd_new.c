/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit new FILE [--hive-version V] [--root-name N]: an empty hive. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "options.h"

static const char new_usage[] =
    "usage: hivekit new FILE [--hive-version V] [--root-name N]\n"
    "\n"
    "Write a new hive holding only an empty root key. FILE must not exist.\n"
    "\n"
    "  --hive-version V  1.3 (lf lists, values in one cell, at most 1 MiB),\n"
    "                    1.4, 1.5 (the default: lh lists, big data) or 1.6\n"
    "  --root-name N     the root key's name (default ROOT)\n";

int cmd_new(int argc, char **argv)
{
    const char *ops[1] = {NULL}, *version = NULL, *root = NULL;
    const struct cli_option opts[] = {
        {.l = "hive-version", .name = "--hive-version", .value = &version},
        {.l = "root-name", .name = "--root-name", .value = &root},
    };
    int rc = cli_parse_args("new", new_usage, opts, 2, ops, 1, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!ops[0])
        return cli_usage_error("new", "missing FILE");
    uint32_t minor;
    if (cli_hive_version("new", version, &minor) != CLI_EXIT_OK)
        return CLI_EXIT_ERROR;
    hk_hive *hive;
    hk_status st = hk_hive_create(minor, root ? root : "ROOT", &hive);
    if (st != HK_ERROR_SUCCESS) {
        cli_error(ops[0], "cannot create the hive: root name '%s': %s", root ? root : "ROOT",
                  hk_strerror(st));
        return CLI_EXIT_ERROR;
    }
    st = hk_hive_save(hive, ops[0], 0);
    rc = st == HK_ERROR_SUCCESS ? CLI_EXIT_OK : cli_fail_edit(hive, ops[0], st);
    hk_hive_close(hive);
    return rc;
}
