/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* KEY operands below a hive's root. */
#include "keypath.h"

#include <string.h>

#include "diag.h"
#include "hive_read.h"

size_t cli_hive_key_len(const char *path, const char **root)
{
    size_t n = hk_reg_root(path, root);
    if (n && (strcmp(*root, "HKEY_LOCAL_MACHINE") == 0 || strcmp(*root, "HKEY_USERS") == 0) &&
        path[n] == '\\') {
        n++;
        while (path[n] && path[n] != '\\')
            n++;
    }
    return n;
}

int cli_key_not_found(const char *key_arg)
{
    const char *root;
    size_t n = cli_hive_key_len(key_arg, &root);
    cli_not_found_detail("key '%s' not found below the hive's root key", key_arg);
    if (n)
        cli_error(NULL, "hint: KEY is relative to the hive's root key: leave out '%.*s' (%s%s)",
                  (int)n, key_arg, root,
                  strcmp(root, "HKEY_LOCAL_MACHINE") == 0 || strcmp(root, "HKEY_USERS") == 0
                      ? " and the key the hive is loaded at"
                      : " is the hive's root");
    return CLI_EXIT_NOT_FOUND;
}

const char *cli_key_arg(const char *key)
{
    return key && *key == '\\' ? key + 1 : key ? key : "";
}

int cli_open_path(hk_hive *hive, const char *key_arg, hk_key **out, struct cli_buf *path)
{
    path->len = 0;
    hk_key *cur;
    hk_status st = hk_hive_root(hive, &cur);
    if (st != HK_ERROR_SUCCESS)
        return cli_fail(hive, "root key", st);
    const char *s = key_arg ? key_arg : "";
    size_t len = strlen(s), pos = 0, clen;
    const char *c;
    struct cli_buf comp = {0}, name = {0};
    int rc = CLI_EXIT_OK;
    while ((st = hk_path_next(s, len, &pos, &c, &clen, HK_PATH_STRICT)) == HK_ERROR_SUCCESS) {
        comp.len = 0;
        cli_buf_add(&comp, c, clen);
        cli_buf_addc(&comp, '\0');
        hk_key *next;
        st = hk_open_key(cur, comp.p, 0, HK_KEY_READ, &next);
        if (st == HK_ERROR_SUCCESS)
            st = cli_key_name(next, &name);
        else
            next = NULL;
        hk_close_key(cur);
        cur = next;
        if (st == HK_ERROR_FILE_NOT_FOUND) {
            rc = cli_key_not_found(key_arg);
            break;
        }
        if (st != HK_ERROR_SUCCESS) {
            rc = cli_fail(hive, key_arg, st);
            break;
        }
        if (path->len)
            cli_buf_addc(path, '\\');
        cli_buf_add(path, name.p, name.len);
    }
    if (rc == CLI_EXIT_OK && st == HK_ERROR_BAD_PATHNAME) {
        cli_error(key_arg, "%s (empty path component)", hk_strerror(HK_ERROR_BAD_PATHNAME));
        rc = CLI_EXIT_ERROR;
    }
    cli_buf_free(&comp);
    cli_buf_free(&name);
    if (rc != CLI_EXIT_OK) {
        hk_close_key(cur);
        return rc;
    }
    *out = cur;
    return CLI_EXIT_OK;
}
