/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit --windows DIR users: the profiles of an image. */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "diag.h"
#include "namespace.h"
#include "options.h"


static const char users_usage[] =
    "usage: hivekit --windows DIR users\n"
    "\n"
    "List the profiles of the image's ProfileList, one per line, tab-separated:\n"
    "SID, user name, profile path (as stored), the hive files found (NTUSER.DAT,\n"
    "UsrClass.dat, or -), and '*' for the user HKCU stands for.\n";

/* The file mounted as HKU\name into m->file ("" if none). */
static const char *file_of(hk_registry *reg, const char *name, hk_registry_mount *m)
{
    for (uint32_t i = 0; hk_registry_mount_at(reg, HK_HKEY_USERS, i, m) == HK_ERROR_SUCCESS; i++)
        if (strcmp(m->name, name) == 0)
            return m->file;
    return "";
}

int cmd_users(int argc, char **argv)
{
    int rc = cli_parse_args("users", users_usage, NULL, 0, NULL, 0, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!cli_ns_active())
        return cli_usage_error("users", "needs --windows DIR");
    hk_registry *reg = cli_ns_registry(0);
    if (!reg)
        return CLI_EXIT_ERROR;
    hk_registry_user u = HK_REGISTRY_USER_INIT;
    for (uint32_t i = 0; hk_registry_user_at(reg, i, &u) == HK_ERROR_SUCCESS; i++) {
        char cls[256];
        snprintf(cls, sizeof cls, "%s_Classes", u.sid);
        hk_registry_mount m1 = HK_REGISTRY_MOUNT_INIT, m2 = HK_REGISTRY_MOUNT_INIT;
        const char *nt = u.ntuser_found ? file_of(reg, u.sid, &m1) : "";
        const char *uc = u.usrclass_found ? file_of(reg, cls, &m2) : "";
        printf("%s\t%s\t%s\t%s%s%s\t%s\n", u.sid, u.name, u.profile_path, nt[0] ? nt : "-",
               uc[0] ? " " : "", uc, u.is_current ? "*" : "");
    }
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}
