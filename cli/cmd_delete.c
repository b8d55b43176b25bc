/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit delete HIVE KEY [-v NAME | --ve | --va] [-f]: reg.exe delete. */
#include <stdio.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "hive_read.h"
#include "keypath.h"
#include "namespace.h"
#include "open_hive.h"
#include "options.h"

static const char delete_usage[] =
    "usage: hivekit delete HIVE KEY [-v NAME | --ve | --va] [-f]\n"
    "\n"
    "Delete KEY with its whole subtree, or only values of it, and write the\n"
    "hive back (atomically). KEY is relative to the root key; the root itself\n"
    "cannot be deleted. There is never a prompt: -f is accepted for reg.exe's\n"
    "sake and changes nothing. On any error nothing is written.\n"
    "\n"
    "  -v NAME  delete the value NAME\n"
    "  --ve     delete the default value\n"
    "  --va     delete every value of KEY (its subkeys stay)\n";

/* Deletes every value of key, last first. */
static hk_status delete_all_values(hk_key *key)
{
    struct cli_buf name = {0}, data = {0};
    hk_status st = HK_ERROR_SUCCESS;
    for (;;) {
        hk_key_info ki = HK_KEY_INFO_INIT;
        st = hk_query_info_key(key, NULL, NULL, &ki);
        if (st != HK_ERROR_SUCCESS || ki.values == 0)
            break;
        uint32_t type;
        st = cli_enum_value(key, ki.values - 1, &name, &type, &data);
        if (st == HK_ERROR_SUCCESS && memchr(name.p, '\0', name.len))
            st = HK_ERROR_INVALID_PARAMETER; /* a name with a NUL cannot be passed */
        if (st == HK_ERROR_SUCCESS) {
            cli_buf_addc(&name, '\0');
            st = hk_delete_value(key, name.p);
        }
        if (st != HK_ERROR_SUCCESS)
            break;
    }
    cli_buf_free(&name);
    cli_buf_free(&data);
    return st;
}

/* The same through the namespace: path is a full path with a root. */
static int delete_ns(const char *path, const char *vname, int ve, int va)
{
    if ((vname != NULL) + ve + va > 1)
        return cli_usage_error("delete", "-v, --ve and --va exclude each other");
    hk_key *k = NULL;
    int rc;
    hk_status st;
    if (!vname && !ve && !va) {
        st = cli_ns_delete_tree(path);
    } else {
        rc = cli_ns_open(path, 1, 0, HK_KEY_ALL_ACCESS, &k, NULL);
        if (rc != CLI_EXIT_OK)
            return rc;
        st = va ? delete_all_values(k) : hk_delete_value(k, vname ? vname : "");
        if (st == HK_ERROR_SUCCESS)
            st = hk_flush_key(k);
    }
    if (st == HK_ERROR_FILE_NOT_FOUND)
        rc = cli_not_found();
    else if (st != HK_ERROR_SUCCESS)
        rc = cli_ns_fail(path, k, st);
    else
        rc = CLI_EXIT_OK;
    if (rc == CLI_EXIT_OK)
        puts("The operation completed successfully.");
    hk_close_key(k);
    return rc;
}

int cmd_delete(int argc, char **argv)
{
    const char *ops[2] = {NULL, NULL}, *vname = NULL;
    int ve = 0, va = 0;
    const struct cli_option opts[] = {
        {.s = "v", .name = "-v", .value = &vname},
        {.l = "ve", .flag = &ve},
        {.l = "va", .flag = &va},
        {.s = "f", .l = "force"}, /* reg.exe's: there is never a prompt */
    };
    int rc = cli_parse_args("delete", delete_usage, opts, 4, ops, 2, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (cli_ns_active() && ops[1])
        return cli_usage_error("delete", "one path with a root (HKLM\\...) takes the place of HIVE and KEY");
    if (!ops[0] || (!ops[1] && !cli_ns_active()))
        return cli_usage_error("delete", "missing %s", ops[0] ? "KEY" : "HIVE");
    if (cli_ns_active())
        return delete_ns(ops[0], vname, ve, va);
    if ((vname != NULL) + ve + va > 1)
        return cli_usage_error("delete", "-v, --ve and --va exclude each other");
    const char *key = cli_key_arg(ops[1]);
    int whole = !vname && !ve && !va;
    if (whole && (*key == '\0' || strcmp(key, "\\") == 0)) {
        cli_error("delete", "the root key cannot be deleted");
        return CLI_EXIT_ERROR;
    }
    hk_hive *hive;
    if (cli_open_hive_write(ops[0], &hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *root = NULL, *k = NULL;
    hk_status st = hk_hive_root(hive, &root);
    if (st == HK_ERROR_SUCCESS && whole)
        st = hk_delete_tree(root, key);
    else if (st == HK_ERROR_SUCCESS)
        st = hk_open_key(root, key, 0, HK_KEY_ALL_ACCESS, &k);
    if (st == HK_ERROR_SUCCESS && k)
        st = va ? delete_all_values(k) : hk_delete_value(k, vname ? vname : "");
    if (st == HK_ERROR_FILE_NOT_FOUND && k)
        rc = cli_not_found_detail("value '%s' not found in key '%s'",
                                  vname && *vname ? vname : "(Default)", key);
    else if (st == HK_ERROR_FILE_NOT_FOUND)
        rc = cli_key_not_found(key);
    else if (st != HK_ERROR_SUCCESS)
        rc = cli_fail_edit(hive, ops[1], st);
    else
        rc = cli_save_hive(hive, ops[0]);
    if (rc == CLI_EXIT_OK)
        puts("The operation completed successfully.");
    hk_close_key(k);
    hk_close_key(root);
    hk_hive_close(hive);
    return rc;
}
