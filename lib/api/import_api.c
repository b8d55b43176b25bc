/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* .reg import (api layer): parse the whole file (lib/text), check every key
 * path against the prefix, then apply the operations through the winreg
 * editing calls. Nothing changes unless the file is good throughout. */
#include <stdio.h>
#include <string.h>

#include "api/handle.h"
#include "base/upname.h"
#include "text/regparse.h"

/* "LINE:COLUMN: what" (then ": detail" when there is one) to opts->errmsg. */
static void report(const hk_import_options *opts, uint32_t line, uint32_t column, const char *what,
                   const char *detail)
{
    if (opts && opts->errmsg && opts->errmsg_size)
        snprintf(opts->errmsg, opts->errmsg_size, "%u:%u: %s%s%s", line, column, what,
                 detail[0] ? ": " : "", detail);
}

/* Whether the UTF-8 texts a and b name the same key path: upcased units. */
static hk_status same_path(const char *a, size_t a_len, const char *b, size_t b_len, bool *same)
{
    struct upname ua, ub;
    hk_status st = upname_init(&ua, a, a_len);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = upname_init(&ub, b, b_len);
    if (st == HK_ERROR_SUCCESS) {
        *same = ua.len == ub.len && memcmp(ua.units, ub.units, ua.len * sizeof *ua.units) == 0;
        upname_free(&ub);
    }
    upname_free(&ua);
    return st;
}

/* The part of path below prefix ("" for the prefix itself), or NULL when
 * path is not at or below it. */
static const char *below(const char *prefix, size_t prefix_len, const char *path, size_t path_len)
{
    /* The common case, the prefix spelled the same: no case folding needed. */
    if (path_len >= prefix_len && memcmp(path, prefix, prefix_len) == 0 &&
        (path_len == prefix_len || path[prefix_len] == '\\'))
        return path_len == prefix_len ? path + path_len : path + prefix_len + 1;
    size_t parts = 1;
    for (size_t i = 0; i < prefix_len; i++)
        parts += prefix[i] == '\\';
    size_t cut = 0;
    for (; cut < path_len; cut++)
        if (path[cut] == '\\' && --parts == 0)
            break;
    if (cut == path_len && parts > 1)
        return NULL;
    bool same = false;
    if (same_path(prefix, prefix_len, path, cut, &same) != HK_ERROR_SUCCESS || !same)
        return NULL;
    return cut == path_len ? path + cut : path + cut + 1;
}

static hk_status apply(hk_key *given, const struct regfile *f, const char *prefix,
                       size_t prefix_len, const hk_import_options *opts)
{
    hk_key *cur = NULL, *root;
    hk_status st = hk_open_key(given, NULL, 0, HK_KEY_ALL_ACCESS, &root);
    if (st != HK_ERROR_SUCCESS) {
        report(opts, 0, 0, hk_strerror(st), hk_hive_errmsg(given->hive));
        return st;
    }
    const struct regop *op = f->ops;
    for (size_t i = 0; st == HK_ERROR_SUCCESS && i < f->count; i++) {
        op = &f->ops[i];
        const char *text = regop_text(f, op);
        const char *rel = op->kind == REGOP_KEY || op->kind == REGOP_DELETE_KEY
                              ? below(prefix, prefix_len, text, op->text_len)
                              : NULL;
        switch (op->kind) {
        case REGOP_KEY:
            hk_close_key(cur);
            cur = NULL;
            if (rel[0])
                st = hk_create_key_ex(root, rel, 0, NULL, 0, HK_KEY_ALL_ACCESS, &cur, NULL);
            else
                st = hk_open_key(root, NULL, 0, HK_KEY_ALL_ACCESS, &cur);
            break;
        case REGOP_DELETE_KEY:
            hk_close_key(cur);
            cur = NULL;
            st = hk_delete_tree(root, rel);
            if (st == HK_ERROR_FILE_NOT_FOUND)
                st = HK_ERROR_SUCCESS;
            break;
        case REGOP_VALUE:
            st = hk_set_value_ex(cur, text, 0, op->type, f->pool.p + op->data_off, op->data_len);
            break;
        case REGOP_DELETE_VALUE:
            st = hk_delete_value(cur, text);
            if (st == HK_ERROR_FILE_NOT_FOUND)
                st = HK_ERROR_SUCCESS;
            break;
        }
    }
    hk_close_key(cur);
    if (st != HK_ERROR_SUCCESS)
        report(opts, op->line, op->column, hk_strerror(st), hk_hive_errmsg(root->hive));
    hk_close_key(root);
    return st;
}

/* Checks every key line against the prefix before anything is applied. */
static hk_status check_paths(const struct regfile *f, const char *prefix, size_t prefix_len,
                             const hk_import_options *opts)
{
    for (size_t i = 0; i < f->count; i++) {
        const struct regop *op = &f->ops[i];
        if (op->kind != REGOP_KEY && op->kind != REGOP_DELETE_KEY)
            continue;
        const char *rel = below(prefix, prefix_len, regop_text(f, op), op->text_len);
        if (!rel) {
            char msg[300];
            snprintf(msg, sizeof msg, "the key is not under the prefix '%.*s'", (int)prefix_len,
                     prefix);
            report(opts, op->line, op->column, msg, "");
            return HK_ERROR_INVALID_DATA;
        }
        if (op->kind == REGOP_DELETE_KEY && !rel[0]) {
            report(opts, op->line, op->column, "deleting the key the prefix maps to (the root) is refused", "");
            return HK_ERROR_INVALID_DATA;
        }
    }
    return HK_ERROR_SUCCESS;
}

static const struct regop *first_key(const struct regfile *f)
{
    for (size_t i = 0; i < f->count; i++)
        if (f->ops[i].kind == REGOP_KEY || f->ops[i].kind == REGOP_DELETE_KEY)
            return &f->ops[i];
    return NULL;
}

static hk_status parse(const void *text, size_t size, struct regfile *f,
                       const hk_import_options *opts, bool first_key_only)
{
    hk_status st = regparse(text, size, f, first_key_only);
    if (st == HK_ERROR_INVALID_DATA)
        report(opts, f->err_line, f->err_column, f->err, "");
    return st;
}

HK_API hk_status hk_import_reg(hk_key *root, const void *text, size_t size,
                               const hk_import_options *opts)
{
    if (!root)
        return HK_ERROR_INVALID_HANDLE;
    if (!text && size)
        return HK_ERROR_INVALID_PARAMETER;
    struct regfile f;
    hk_status st = parse(text, size, &f, opts, false);
    const struct regop *first = st == HK_ERROR_SUCCESS ? first_key(&f) : NULL;
    if (first) {
        const char *prefix = opts && opts->prefix ? opts->prefix : regop_text(&f, first);
        size_t prefix_len = strlen(prefix);
        while (prefix_len && prefix[prefix_len - 1] == '\\')
            prefix_len--;
        st = check_paths(&f, prefix, prefix_len, opts);
        if (st == HK_ERROR_SUCCESS)
            st = apply(root, &f, prefix, prefix_len, opts);
    }
    regfile_free(&f);
    return st;
}

HK_API hk_status hk_reg_first_key(const void *text, size_t size, char *path, size_t *path_size,
                                  char *errmsg, size_t errmsg_size)
{
    if ((!text && size) || !path_size)
        return HK_ERROR_INVALID_PARAMETER;
    hk_import_options opts = {NULL, errmsg, errmsg_size};
    struct regfile f;
    hk_status st = parse(text, size, &f, &opts, true);
    const struct regop *first = st == HK_ERROR_SUCCESS ? first_key(&f) : NULL;
    if (st == HK_ERROR_SUCCESS && !first)
        st = HK_ERROR_FILE_NOT_FOUND;
    if (first) {
        size_t need = first->text_len + 1;
        if (!path || *path_size < need) {
            st = path ? HK_ERROR_MORE_DATA : HK_ERROR_SUCCESS;
            *path_size = path ? need : first->text_len;
        } else {
            memcpy(path, regop_text(&f, first), need);
            *path_size = first->text_len;
        }
    }
    regfile_free(&f);
    return st;
}
