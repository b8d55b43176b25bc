/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit new FILE [--hive-version V] [--root-name N]: an empty hive. */
#include <stdio.h>
#include <string.h>

#include "common.h"

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
    int only_args = 0;
    for (int i = 1; i < argc;) {
        int m = 0;
        const char *val = NULL;
        if (!only_args && strcmp(argv[i], "--") == 0) {
            only_args = 1;
            i++;
        } else if (!only_args && (m = cli_opt("new", argc, argv, &i, "h", "help", 0, NULL)) != 0) {
            if (m < 0)
                return CLI_EXIT_ERROR;
            fputs(new_usage, stdout);
            return CLI_EXIT_OK;
        } else if (!only_args &&
                   (m = cli_opt("new", argc, argv, &i, NULL, "hive-version", 1, &val)) != 0) {
            if (m < 0 || cli_set_once("new", "--hive-version", &version, val) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
        } else if (!only_args &&
                   (m = cli_opt("new", argc, argv, &i, NULL, "root-name", 1, &val)) != 0) {
            if (m < 0 || cli_set_once("new", "--root-name", &root, val) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
        } else {
            if (cli_operand("new", argv[i], only_args, ops, 1) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
            i++;
        }
    }
    if (!ops[0])
        return cli_usage_error("new", "missing FILE");
    uint32_t minor = 5;
    if (version) {
        if (strlen(version) != 3 || strncmp(version, "1.", 2) != 0 || version[2] < '3' ||
            version[2] > '6')
            return cli_usage_error("new", "--hive-version '%s': 1.3, 1.4, 1.5 or 1.6 expected",
                                   version);
        minor = (uint32_t)(version[2] - '0');
    }
    hk_hive *hive;
    hk_status st = hk_hive_create(minor, root ? root : "ROOT", &hive);
    if (st != HK_ERROR_SUCCESS) {
        cli_error(ops[0], "cannot create the hive: root name '%s': %s", root ? root : "ROOT",
                  hk_strerror(st));
        return CLI_EXIT_ERROR;
    }
    st = hk_hive_save(hive, ops[0], 0);
    int rc = st == HK_ERROR_SUCCESS ? CLI_EXIT_OK : cli_fail_edit(hive, ops[0], st);
    hk_hive_close(hive);
    return rc;
}
