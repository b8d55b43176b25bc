/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit copy HIVE SRC DST [-s] [-f]: reg.exe copy inside one hive. */
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

static const char copy_usage[] =
    "usage: hivekit copy HIVE SRC DST [-s] [-f]\n"
    "\n"
    "Copy the values of key SRC into key DST (created with any missing parent),\n"
    "with -s the whole subtree too, and write the hive back (atomically). Keys\n"
    "are relative to the root key; DST may not lie inside SRC's tree. Class\n"
    "names are copied with their keys (a key that has one keeps its own).\n"
    "\n"
    "  -s  copy the subkeys too, recursively\n"
    "  -f  DST may exist already: values of the same name are replaced, keys\n"
    "      merged (without -f an existing DST is an error, as declining\n"
    "      reg.exe's prompt; nothing is written)\n";

/* Copies the values of src into dst (no subkeys). */
static hk_status copy_values(hk_key *src, hk_key *dst)
{
    struct cli_buf name = {0}, data = {0};
    hk_status st = HK_ERROR_SUCCESS;
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS; i++) {
        uint32_t type;
        st = cli_enum_value(src, i, &name, &type, &data);
        if (st == HK_ERROR_NO_MORE_ITEMS) {
            st = HK_ERROR_SUCCESS;
            break;
        }
        if (st == HK_ERROR_SUCCESS && memchr(name.p, '\0', name.len))
            st = HK_ERROR_INVALID_PARAMETER;
        if (st == HK_ERROR_SUCCESS) {
            cli_buf_addc(&name, '\0');
            st = hk_set_value_ex(dst, name.p, 0, type, data.p, data.len);
        }
    }
    cli_buf_free(&name);
    cli_buf_free(&data);
    return st;
}

/* SRC and DST full paths through the namespace (across hives too). */
static int copy_ns(const char *from, const char *to, int recurse, int force)
{
    hk_key *src = NULL, *dst = NULL;
    int rc = cli_ns_open(from, 1, 0, HK_KEY_READ, &src, NULL);
    if (rc != CLI_EXIT_OK)
        return rc;
    int existed = cli_ns_exists(to);
    rc = cli_ns_open(to, 1, 1, HK_KEY_ALL_ACCESS, &dst, NULL);
    hk_status st = HK_ERROR_SUCCESS;
    if (rc == CLI_EXIT_OK && existed && !force) {
        cli_error(to, "key exists (add -f to copy into it); nothing written");
        rc = CLI_EXIT_ERROR;
    } else if (rc == CLI_EXIT_OK) {
        st = recurse ? hk_copy_tree(src, NULL, dst) : copy_values(src, dst);
        rc = st == HK_ERROR_SUCCESS ? cli_ns_save(to, dst) : cli_ns_fail(to, dst, st);
    }
    if (rc == CLI_EXIT_OK)
        puts("The operation completed successfully.");
    hk_close_key(dst);
    hk_close_key(src);
    return rc;
}

int cmd_copy(int argc, char **argv)
{
    const char *ops[3] = {NULL, NULL, NULL};
    int recurse = 0, force = 0;
    const struct cli_option opts[] = {
        {.s = "s", .l = "recurse", .flag = &recurse},
        {.s = "f", .l = "force", .flag = &force},
    };
    int rc = cli_parse_args("copy", copy_usage, opts, 2, ops, 3, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (cli_ns_active())
        return ops[2] ? cli_usage_error("copy", "two paths with a root take the place of HIVE SRC DST")
               : !ops[1] ? cli_usage_error("copy", "missing DST")
                         : copy_ns(ops[0], ops[1], recurse, force);
    if (!ops[0] || !ops[1] || !ops[2])
        return cli_usage_error("copy", "missing %s", !ops[0] ? "HIVE" : !ops[1] ? "SRC" : "DST");
    hk_hive *hive;
    if (cli_open_hive_write(ops[0], &hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *root = NULL, *src = NULL, *dst = NULL;
    const char *what = ops[1];
    uint32_t disp = 0;
    hk_status st = hk_hive_root(hive, &root);
    if (st == HK_ERROR_SUCCESS)
        st = hk_open_key(root, cli_key_arg(ops[1]), 0, HK_KEY_READ, &src);
    struct cli_buf cls = {0};
    hk_key_info ki = HK_KEY_INFO_INIT;
    if (st == HK_ERROR_SUCCESS)
        st = cli_key_info(src, &cls, &ki);
    if (st == HK_ERROR_SUCCESS) {
        /* DST takes SRC's class name when it is created (the class names of
         * Lsa's subkeys hold the SAM boot key: a copy must not drop them) */
        what = ops[2];
        cli_buf_addc(&cls, '\0');
        st = hk_create_key_ex(root, cli_key_arg(ops[2]), 0, cls.len > 1 ? cls.p : NULL, 0,
                              HK_KEY_ALL_ACCESS, &dst, &disp);
    }
    cli_buf_free(&cls);
    rc = CLI_EXIT_OK;
    if (st == HK_ERROR_SUCCESS && disp == HK_REG_OPENED_EXISTING_KEY && !force) {
        cli_error(ops[2], "key exists (add -f to copy into it); nothing written");
        rc = CLI_EXIT_ERROR;
    } else if (st == HK_ERROR_SUCCESS) {
        st = recurse ? hk_copy_tree(src, NULL, dst) : copy_values(src, dst);
    }
    if (rc == CLI_EXIT_OK) {
        if (st == HK_ERROR_FILE_NOT_FOUND)
            rc = cli_key_not_found(cli_key_arg(ops[1]));
        else if (st != HK_ERROR_SUCCESS)
            rc = cli_fail_edit(hive, what, st);
        else
            rc = cli_save_hive(hive, ops[0]);
    }
    if (rc == CLI_EXIT_OK)
        puts("The operation completed successfully.");
    hk_close_key(dst);
    hk_close_key(src);
    hk_close_key(root);
    hk_hive_close(hive);
    return rc;
}
