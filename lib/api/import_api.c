/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* .reg import (api layer): parse the whole file (lib/text), check every key
 * path against the prefix, then apply the operations through the winreg
 * editing calls. Nothing changes unless the file is good throughout. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/abi.h"
#include "api/edit.h"
#include "api/handle.h"
#include "api/value_index.h"
#include "base/alloc.h"
#include "base/upname.h"
#include "hive/cellalloc.h"
#include "text/regparse.h"
#include "text/regroot.h"

/* The detail holds every error of a file, each on its own line. */
_Static_assert(DIAG_DETAIL_SIZE >= (REGPARSE_MAX_ERRORS + 1) * (DIAG_MSG_SIZE + 64),
               "the detail holds an import's list of errors");

/* "LINE:COLUMN: what" (then ": detail" when there is one, which may be the
 * detail of the failed edit) as the detail. */
static void report(uint32_t line, uint32_t column, const char *what, const char *detail)
{
    diag_set(DIAG_DETAIL, 0, "%u:%u: %s%s%s", line, column, what, detail[0] ? ": " : "", detail);
}

/* Appends to the detail. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void report_add(const char *fmt, ...)
{
    char *buf = diag_buf(DIAG_DETAIL);
    if (!buf)
        return;
    size_t size = diag_size(DIAG_DETAIL), used = strnlen(buf, size - 1);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* As report, as one more line of the detail (each error of a file on its
 * own line, "\n"-separated). */
static void report_line(uint32_t line, uint32_t column, const char *what)
{
    report_add("%s%u:%u: %s", diag_detail()[0] ? "\n" : "", line, column, what);
}

/* The line ending a list of errors that was cut. */
static void report_more(void)
{
    report_add("\nmore errors follow (only the first %u are shown)", REGPARSE_MAX_ERRORS);
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

/* The open keys along the path of the last key line, so that the next key
 * line (in a depth-first file usually a child or a sibling) is created from
 * its nearest open ancestor, one name at a time, instead of from the root. */
struct key_stack {
    hk_key *root;                    /* the import's root, KEY_ALL_ACCESS */
    hk_key *keys[HK_MAX_DEPTH + 1];  /* keys[i]: the key after name i */
    size_t ends[HK_MAX_DEPTH + 1];   /* the end of name i in path */
    size_t depth;
    /* the path of keys[depth - 1]: at most 512 names of 255 units */
    char path[(HK_MAX_DEPTH + 1) * (4 * HK_MAX_KEY_NAME + 1)];
};

static void stack_pop_to(struct key_stack *ks, size_t depth)
{
    while (ks->depth > depth)
        hk_close_key(ks->keys[--ks->depth]);
}

/* Opens or creates rel (rel_len bytes, below the root); *out is borrowed
 * from the stack. */
static hk_status stack_open(struct key_stack *ks, const char *rel, size_t rel_len, hk_key **out)
{
    /* How many open keys rel shares (names spelled the same). */
    size_t same = 0, at = 0;
    for (; same < ks->depth; same++) {
        size_t start = same ? ks->ends[same - 1] + 1 : 0;
        size_t n = ks->ends[same] - start;
        if (at + n > rel_len || memcmp(rel + at, ks->path + start, n) != 0 ||
            (at + n < rel_len && rel[at + n] != '\\'))
            break;
        at = at + n < rel_len ? at + n + 1 : rel_len;
    }
    stack_pop_to(ks, same);
    hk_status st = HK_ERROR_SUCCESS;
    while (st == HK_ERROR_SUCCESS && at < rel_len) {
        size_t end = at;
        while (end < rel_len && rel[end] != '\\')
            end++;
        size_t n = end - at;
        size_t start = ks->depth ? ks->ends[ks->depth - 1] + 1 : 0;
        if (ks->depth > HK_MAX_DEPTH || start + n >= sizeof ks->path)
            return HK_ERROR_BADKEY;
        /* The name, NUL-terminated, in place at the end of the path. */
        memcpy(ks->path + start, rel + at, n);
        ks->path[start + n] = '\0';
        hk_key *parent = ks->depth ? ks->keys[ks->depth - 1] : ks->root;
        hk_key *child;
        st = hk_create_key_ex(parent, ks->path + start, 0, NULL, 0, HK_KEY_ALL_ACCESS, &child,
                              NULL);
        if (st != HK_ERROR_SUCCESS)
            break;
        if (ks->depth)
            ks->path[start - 1] = '\\';
        ks->ends[ks->depth] = start + n;
        ks->keys[ks->depth++] = child;
        at = end < rel_len ? end + 1 : rel_len;
    }
    if (st == HK_ERROR_SUCCESS)
        *out = ks->depth ? ks->keys[ks->depth - 1] : ks->root;
    return st;
}

static hk_status apply(hk_key *given, const struct regfile *f, const char *prefix,
                       size_t prefix_len)
{
    struct key_stack *ks = hk_alloc_zero(1, sizeof *ks);
    if (!ks)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    hk_status st = hk_open_key(given, NULL, 0, HK_KEY_ALL_ACCESS, &ks->root);
    if (st != HK_ERROR_SUCCESS) {
        report(0, 0, hk_strerror(st), diag_detail());
        hk_dealloc(ks);
        return st;
    }
    /* One time for every key the import writes, read once (not per edit:
     * hive_now reads the environment); a clock the caller set stays. */
    hk_hive *h = given->hive;
    uint64_t saved_clock = h->clock;
    if (!saved_clock)
        h->clock = hive_now(h);
    /* The hive grows by about the pool's bytes (names and data) plus a key
     * or value node per operation: room for that is made at once. */
    image_expect_growth(&h->img, f->pool.len + 64 * f->count);
    struct value_index ix;
    value_index_init(&ix);
    struct value_lookup lookup = value_index_lookup(&ix);
    hk_key *cur = NULL;
    const struct regop *op = f->ops;
    for (size_t i = 0; st == HK_ERROR_SUCCESS && i < f->count; i++) {
        op = &f->ops[i];
        const char *text = regop_text(f, op);
        const char *rel = op->kind == REGOP_KEY || op->kind == REGOP_DELETE_KEY
                              ? below(prefix, prefix_len, text, op->text_len)
                              : NULL;
        switch (op->kind) {
        case REGOP_KEY:
            st = stack_open(ks, rel, strlen(rel), &cur);
            break;
        case REGOP_DELETE_KEY:
            /* Handles below the deleted key would go stale. */
            stack_pop_to(ks, 0);
            cur = NULL;
            value_index_reset(&ix); /* a freed key node may come back as another key */
            st = hk_delete_tree(ks->root, rel);
            if (st == HK_ERROR_FILE_NOT_FOUND)
                st = HK_ERROR_SUCCESS;
            break;
        case REGOP_VALUE:
            st = key_set_value(cur, text, op->type, f->pool.p + op->data_off, op->data_len, &lookup);
            break;
        case REGOP_DELETE_VALUE:
            value_index_reset(&ix);
            st = hk_delete_value(cur, text);
            if (st == HK_ERROR_FILE_NOT_FOUND)
                st = HK_ERROR_SUCCESS;
            break;
        }
    }
    if (st != HK_ERROR_SUCCESS)
        report(op->line, op->column, hk_strerror(st), diag_detail());
    stack_pop_to(ks, 0);
    hk_close_key(ks->root);
    hk_dealloc(ks);
    h->clock = saved_clock;
    image_expect_growth(&h->img, 0);
    value_index_free(&ix);
    return st;
}

/* Checks every key line against the prefix before anything is applied;
 * every bad one is reported (up to REGPARSE_MAX_ERRORS). */
static hk_status check_paths(const struct regfile *f, const char *prefix, size_t prefix_len)
{
    size_t bad = 0;
    for (size_t i = 0; i < f->count; i++) {
        const struct regop *op = &f->ops[i];
        if (op->kind != REGOP_KEY && op->kind != REGOP_DELETE_KEY)
            continue;
        const char *rel = below(prefix, prefix_len, regop_text(f, op), op->text_len);
        char msg[300] = "";
        if (!rel)
            snprintf(msg, sizeof msg, "the key is not under the prefix '%.*s'", (int)prefix_len,
                     prefix);
        else if (op->kind == REGOP_DELETE_KEY && !rel[0])
            snprintf(msg, sizeof msg, "deleting the key the prefix maps to (the root) is refused");
        if (!msg[0])
            continue;
        if (bad++ == REGPARSE_MAX_ERRORS) {
            report_more();
            break;
        }
        report_line(op->line, op->column, msg);
    }
    return bad ? HK_ERROR_INVALID_DATA : HK_ERROR_SUCCESS;
}

static const struct regop *first_key(const struct regfile *f)
{
    for (size_t i = 0; i < f->count; i++)
        if (f->ops[i].kind == REGOP_KEY || f->ops[i].kind == REGOP_DELETE_KEY)
            return &f->ops[i];
    return NULL;
}

static hk_status parse(const void *text, size_t size, struct regfile *f, bool first_key_only)
{
    hk_status st = regparse(text, size, f, first_key_only);
    if (st == HK_ERROR_INVALID_DATA && f->n_errs == 0)
        report(f->err_line, f->err_column, f->err, "");
    for (size_t i = 0; st == HK_ERROR_INVALID_DATA && i < f->n_errs; i++)
        report_line(f->errs[i].line, f->errs[i].column, f->errs[i].msg);
    if (st == HK_ERROR_INVALID_DATA && f->more_errors)
        report_more();
    return st;
}

HK_API hk_status hk_import_reg(hk_key *root, const void *text, size_t size,
                               const hk_import_options *caller_opts)
{
    api_enter();
    if (!root)
        return HK_ERROR_INVALID_HANDLE;
    hk_import_options o;
    const hk_import_options *opts = &o;
    if ((!text && size)
        || abi_in(&o, sizeof o, caller_opts, IMPORT_OPTIONS_V1) != HK_ERROR_SUCCESS)
        return HK_ERROR_INVALID_PARAMETER;
    struct regfile f;
    hk_status st = parse(text, size, &f, false);
    const struct regop *first = st == HK_ERROR_SUCCESS ? first_key(&f) : NULL;
    if (first) {
        const char *prefix = opts && opts->prefix ? opts->prefix : regop_text(&f, first);
        size_t prefix_len = strlen(prefix);
        while (prefix_len && prefix[prefix_len - 1] == '\\')
            prefix_len--;
        st = check_paths(&f, prefix, prefix_len);
        if (st == HK_ERROR_SUCCESS)
            st = apply(root, &f, prefix, prefix_len);
    }
    regfile_free(&f);
    return st;
}

HK_API hk_status hk_reg_first_key(const void *text, size_t size, char *path, size_t *path_size)
{
    api_enter();
    if ((!text && size) || !path_size)
        return HK_ERROR_INVALID_PARAMETER;
    struct regfile f;
    hk_status st = parse(text, size, &f, true);
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

HK_API size_t hk_reg_root(const char *path, const char **long_name)
{
    return path ? reg_root_len(path, strlen(path), long_name) : 0;
}
