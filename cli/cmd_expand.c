/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit --windows DIR expand STRING...: ExpandEnvironmentStrings with the
 * image's environment. */
#include <stdio.h>
#include <stdlib.h>
#include "commands.h"
#include "diag.h"
#include "namespace.h"
#include "options.h"


static const char expand_usage[] =
    "usage: hivekit --windows DIR [--user NAME|SID] expand STRING...\n"
    "\n"
    "Print each STRING with its %VARIABLES% replaced from the image's environment:\n"
    "Session Manager\\Environment of the current control set, the user's\n"
    "Environment, and SystemRoot, SystemDrive, windir, USERPROFILE, USERNAME, ...\n"
    "An undefined %NAME% stays as written.\n";

enum { MAX_STRINGS = 64 };

int cmd_expand(int argc, char **argv)
{
    const char *ops[MAX_STRINGS] = {NULL};
    int rc = cli_parse_args("expand", expand_usage, NULL, 0, ops, MAX_STRINGS, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!ops[0])
        return cli_usage_error("expand", "missing STRING");
    if (!cli_ns_active())
        return cli_usage_error("expand", "needs --windows DIR or --hive");
    hk_registry *reg = cli_ns_registry(0);
    if (!reg)
        return CLI_EXIT_ERROR;
    hk_key *key;
    hk_status st = hk_registry_open_predefined(reg, HK_HKEY_LOCAL_MACHINE, 0, &key);
    for (size_t i = 0; st == HK_ERROR_SUCCESS && i < MAX_STRINGS && ops[i]; i++) {
        size_t size = 0;
        st = hk_expand_environment_strings(key, ops[i], NULL, &size);
        char *out = st == HK_ERROR_SUCCESS ? malloc(size) : NULL;
        if (st == HK_ERROR_SUCCESS && !out)
            st = HK_ERROR_NOT_ENOUGH_MEMORY;
        if (st == HK_ERROR_SUCCESS)
            st = hk_expand_environment_strings(key, ops[i], out, &size);
        if (st == HK_ERROR_SUCCESS)
            printf("%s\n", out);
        free(out);
    }
    hk_close_key(key);
    if (st != HK_ERROR_SUCCESS)
        return cli_ns_fail("expand", NULL, st);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}
