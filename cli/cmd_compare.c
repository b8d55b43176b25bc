/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit compare A B [KEY] [--times] [--security] [--reg [--prefix P]
 * [--encoding E]]: what
 * differs between two key trees (hk_compare_keys), as a list or as a .reg
 * patch that turns A's tree into B's. Exit 0 identical, 1 different. */
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
#include "output.h"

static const char compare_usage[] =
    "usage: hivekit compare A B [KEY] [--times] [--security]\n"
    "                          [--reg [--prefix P] [--encoding utf-16le|utf-8]]\n"
    "\n"
    "Compare KEY (default: the root) of hives A and B with everything below it, as\n"
    "reg compare does: names case-insensitively, values by type and exact bytes,\n"
    "and the keys' class names. Lines: '< Key: PATH' (only in A), '> Key: PATH'\n"
    "(only in B), '< Class: PATH    CLASS' and '> Class: ...' (class names differ;\n"
    "'(none)' for none), '< Value: PATH    NAME    TYPE    DATA' (A's side),\n"
    "'> Value: ...' (B's side), then 'Result Compared: Identical' or\n"
    "'Result Compared: Different'. Exit status 0 identical, 1 different, 2 error.\n"
    "\n"
    "  --times        also compare last-write times ('< Time: PATH    TIME')\n"
    "  --security     also compare security descriptors ('< Security: PATH    HEX')\n"
    "  --reg          instead print a .reg patch that turns A's tree into B's; what\n"
    "                 a .reg file cannot carry (class names, times, security) is\n"
    "                 named on stderr, and the exit status says 'different'\n"
    "  --prefix P     the patch's path of A's root (default\n"
    "                 HKEY_LOCAL_MACHINE\\ROOT, ROOT being A's root key name)\n"
    "  --encoding E   of the patch: utf-16le (the default) or utf-8\n";

struct compare {
    struct cli_out out;
    struct cli_buf base;   /* KEY's path below the root ("" for the root) */
    struct cli_buf path;   /* scratch: a full path */
    struct cli_buf text, shown; /* scratch: decoded data, data as shown */
    hk_reg_writer *patch;  /* --reg */
    struct cli_buf header; /* the key line last written to the patch */
    const char *prefix;    /* the patch's path of the root */
    hk_status st;          /* the first failure of the patch writer */
    char errmsg[256];      /* and its detail */
};

/* base + "\" + rel into c->path, NUL-terminated (len excludes it). */
static void full_path(struct compare *c, const char *lead, const char *rel, size_t rel_len)
{
    c->path.len = 0;
    cli_buf_adds(&c->path, lead);
    if (c->base.len) {
        if (c->path.len)
            cli_buf_addc(&c->path, '\\');
        cli_buf_add(&c->path, c->base.p, c->base.len);
    }
    if (rel_len) {
        if (c->path.len)
            cli_buf_addc(&c->path, '\\');
        cli_buf_add(&c->path, rel, rel_len);
    }
    cli_buf_addc(&c->path, '\0');
    c->path.len--;
}

/* Data as reg.exe query shows it, control characters escaped as the other
 * text outputs escape them. */
static void shown_data(struct compare *c, uint32_t type, const void *data, size_t size)
{
    c->shown.len = 0;
    cli_reg_data(&c->shown, &c->text, type, data, size);
    cli_buf_add_text(&c->out.buf, c->shown.p, c->shown.len);
}

static void value_line(struct compare *c, char side, const hk_diff *d, uint32_t type,
                       const void *data, size_t size)
{
    char scratch[CLI_TYPE_NAME_SIZE];
    struct cli_buf *b = &c->out.buf;
    cli_buf_addc(b, side);
    cli_buf_adds(b, " Value: \\");
    cli_buf_add_text(b, c->path.p, c->path.len);
    cli_buf_add(b, "    ", 4);
    if (d->name_len)
        cli_buf_add_text(b, d->name, d->name_len);
    else
        cli_buf_adds(b, "(Default)");
    cli_buf_add(b, "    ", 4);
    cli_buf_adds(b, cli_type_name(type, scratch));
    cli_buf_add(b, "    ", 4);
    shown_data(c, type, data, size);
    cli_buf_addc(b, '\n');
}

/* "S Class: \PATH    CLASS" (time, security alike) for one side. */
static void key_line(struct compare *c, char side, const hk_diff *d)
{
    struct cli_buf *b = &c->out.buf;
    int a = side == '<';
    cli_buf_addc(b, side);
    cli_buf_adds(b, d->kind == HK_DIFF_CLASS_CHANGED ? " Class: \\"
                    : d->kind == HK_DIFF_TIME_CHANGED ? " Time: \\" : " Security: \\");
    cli_buf_add_text(b, c->path.p, c->path.len);
    cli_buf_add(b, "    ", 4);
    const char *data = a ? d->data_a : d->data_b;
    size_t size = a ? d->size_a : d->size_b;
    if (d->kind == HK_DIFF_TIME_CHANGED) {
        char iso[HK_FILETIME_TEXT_SIZE];
        cli_buf_add(b, iso, hk_filetime_text(a ? d->time_a : d->time_b, iso));
    } else if (d->kind == HK_DIFF_SECURITY_CHANGED) {
        shown_data(c, HK_REG_BINARY, data, size);
    } else if (size) {
        cli_buf_add_text(b, data, size);
    } else {
        cli_buf_adds(b, "(none)");
    }
    cli_buf_addc(b, '\n');
}

static int list_diff(const hk_diff *d, void *ctx)
{
    struct compare *c = ctx;
    full_path(c, "", d->path, d->path_len);
    struct cli_buf *b = &c->out.buf;
    switch (d->kind) {
    case HK_DIFF_CLASS_CHANGED:
    case HK_DIFF_TIME_CHANGED:
    case HK_DIFF_SECURITY_CHANGED:
        key_line(c, '<', d);
        key_line(c, '>', d);
        break;
    case HK_DIFF_KEY_ONLY_A:
    case HK_DIFF_KEY_ONLY_B:
        cli_buf_adds(b, d->kind == HK_DIFF_KEY_ONLY_A ? "< Key: " : "> Key: ");
        if (!cli_ns_active()) /* a namespace path starts with its root */
            cli_buf_addc(b, '\\');
        cli_buf_add_text(b, c->path.p, c->path.len);
        cli_buf_addc(b, '\n');
        break;
    case HK_DIFF_VALUE_ONLY_A:
        value_line(c, '<', d, d->type_a, d->data_a, d->size_a);
        break;
    case HK_DIFF_VALUE_ONLY_B:
        value_line(c, '>', d, d->type_b, d->data_b, d->size_b);
        break;
    default:
        value_line(c, '<', d, d->type_a, d->data_a, d->size_a);
        value_line(c, '>', d, d->type_b, d->data_b, d->size_b);
        break;
    }
    cli_out_step(&c->out);
    return 0;
}

/* What the patch cannot carry, one stderr line each. */
static void not_carried(const char *what, const char *path)
{
    cli_error("compare", "the .reg patch cannot carry %s of [%s]", what, path);
}

/* The class names in the tree of key (at c->path), which a patch creating
 * the tree loses. depth bounds the walk. */
static hk_status classes_lost(struct compare *c, hk_key *key, unsigned depth)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = cli_key_info(key, &c->text, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (c->text.len)
        not_carried("the class name", c->path.p);
    size_t mark = c->path.len;
    struct cli_buf name = {0};
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS && i < ki.subkeys && depth < HK_MAX_DEPTH; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st != HK_ERROR_SUCCESS)
            break;
        st = cli_key_name(child, &name);
        if (st == HK_ERROR_SUCCESS) {
            cli_buf_addc(&c->path, '\\');
            cli_buf_add(&c->path, name.p, name.len);
            cli_buf_addc(&c->path, '\0');
            c->path.len--;
            st = classes_lost(c, child, depth + 1);
            c->path.len = mark;
            c->path.p[mark] = '\0';
        }
        hk_close_key(child);
    }
    cli_buf_free(&name);
    return st;
}

/* The patch: [-key] for keys only A has, the whole tree of keys only B has,
 * and under [key] "name"=- or B's value for value differences. */
static int patch_diff(const hk_diff *d, void *ctx)
{
    struct compare *c = ctx;
    full_path(c, c->prefix, d->path, d->path_len);
    hk_status st = HK_ERROR_SUCCESS;
    switch (d->kind) {
    case HK_DIFF_KEY_ONLY_A:
        st = hk_reg_write_key(c->patch, c->path.p, 1);
        c->header.len = 0;
        break;
    case HK_DIFF_KEY_ONLY_B:
        st = hk_reg_write_tree(c->patch, d->key_b, c->path.p);
        c->header.len = 0;
        if (st == HK_ERROR_SUCCESS)
            st = classes_lost(c, d->key_b, 0);
        break;
    case HK_DIFF_CLASS_CHANGED:
        not_carried("the class name", c->path.p);
        break;
    case HK_DIFF_TIME_CHANGED:
        not_carried("the last-write time", c->path.p);
        break;
    case HK_DIFF_SECURITY_CHANGED:
        not_carried("the security descriptor", c->path.p);
        break;
    default:
        if (c->header.len != c->path.len || memcmp(c->header.p, c->path.p, c->path.len) != 0) {
            st = hk_reg_write_key(c->patch, c->path.p, 0);
            c->header.len = 0;
            cli_buf_add(&c->header, c->path.p, c->path.len);
        }
        if (st != HK_ERROR_SUCCESS)
            break;
        if (d->kind == HK_DIFF_VALUE_ONLY_A)
            st = hk_reg_write_delete_value(c->patch, d->name, d->name_len);
        else
            st = hk_reg_write_value(c->patch, d->name, d->name_len, d->type_b, d->data_b,
                                    d->size_b);
        break;
    }
    c->st = st;
    if (st != HK_ERROR_SUCCESS)
        snprintf(c->errmsg, sizeof c->errmsg, "%s", hk_errmsg());
    return st != HK_ERROR_SUCCESS;
}

struct compare_args {
    const char *ops[3];
    const char *prefix, *encoding;
    int reg, times, security;
};

static int parse(int argc, char **argv, struct compare_args *a)
{
    const struct cli_option opts[] = {
        {.l = "reg", .flag = &a->reg},
        {.l = "prefix", .name = "--prefix", .value = &a->prefix},
        {.l = "encoding", .name = "--encoding", .value = &a->encoding},
        {.l = "times", .flag = &a->times},
        {.l = "security", .flag = &a->security},
    };
    int rc = cli_parse_args("compare", compare_usage, opts, 5, a->ops, 3, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (!a->ops[1])
        return cli_usage_error("compare", a->ops[0] ? "missing B" : "missing A");
    if ((a->prefix || a->encoding) && !a->reg)
        return cli_usage_error("compare", "--prefix and --encoding go with --reg");
    if (a->prefix && !a->prefix[0])
        return cli_usage_error("compare", "--prefix must not be empty");
    if (a->encoding && strcmp(a->encoding, "utf-16le") != 0 && strcmp(a->encoding, "utf-8") != 0)
        return cli_usage_error("compare", "unknown encoding '%s' (utf-16le or utf-8)", a->encoding);
    return CLI_EXIT_OK;
}

/* "HKEY_LOCAL_MACHINE\<A's root name>" into out, NUL-terminated. */
static hk_status default_prefix(hk_hive *hive, struct cli_buf *out)
{
    hk_key *root;
    hk_status st = hk_hive_root(hive, &root);
    struct cli_buf name = {0};
    if (st == HK_ERROR_SUCCESS)
        st = cli_key_name(root, &name);
    hk_close_key(root);
    cli_buf_adds(out, "HKEY_LOCAL_MACHINE\\");
    cli_buf_add(out, name.p, name.len);
    cli_buf_addc(out, '\0');
    cli_buf_free(&name);
    return st;
}

static uint32_t compare_flags(const struct compare_args *a)
{
    return (a->times ? HK_COMPARE_TIMES : 0) | (a->security ? HK_COMPARE_SECURITY : 0);
}

static int run_patch(struct compare *c, const struct compare_args *a, hk_key *ka, hk_key *kb,
                     uint64_t *count)
{
    char *errmsg = c->errmsg;
    errmsg[0] = '\0';
    hk_export_options opts = HK_EXPORT_OPTIONS_INIT;
    opts.format = HK_FORMAT_REG;
    opts.encoding = a->encoding && strcmp(a->encoding, "utf-8") == 0 ? HK_ENCODING_UTF8
                                                                      : HK_ENCODING_UTF16LE;
    hk_status st = hk_reg_writer_open(&opts, cli_write_fp, stdout, &c->patch);
    if (st != HK_ERROR_SUCCESS)
        snprintf(errmsg, sizeof c->errmsg, "%s", hk_errmsg());
    if (st == HK_ERROR_SUCCESS) {
        /* The root's line comes first, so that importing the patch maps
         * the prefix to the root by default (import's prefix is the first
         * key line). */
        st = hk_reg_write_key(c->patch, c->prefix, 0);
        if (st != HK_ERROR_SUCCESS)
            snprintf(errmsg, sizeof c->errmsg, "%s", hk_errmsg());
        cli_buf_adds(&c->header, c->prefix);
    }
    if (st == HK_ERROR_SUCCESS) {
        st = hk_compare_keys_ex(ka, kb, compare_flags(a), patch_diff, c, count);
        if (st == HK_ERROR_CANCELLED)
            st = c->st; /* patch_diff stopped it: why */
        if (st == HK_ERROR_SUCCESS) {
            st = hk_reg_writer_finish(c->patch);
            if (st != HK_ERROR_SUCCESS)
                snprintf(errmsg, sizeof c->errmsg, "%s", hk_errmsg());
        }
    }
    hk_reg_writer_free(c->patch);
    if (st == HK_ERROR_SUCCESS && fflush(stdout) != 0)
        st = HK_ERROR_CANTWRITE;
    if (st != HK_ERROR_SUCCESS) {
        cli_error("compare", "%s", errmsg[0] ? errmsg : hk_strerror(st));
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
    struct compare_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    struct compare c;
    memset(&c, 0, sizeof c);
    hk_hive *ha = NULL, *hb = NULL;
    hk_key *ka = NULL, *kb = NULL;
    struct cli_buf relb = {0}, prefix = {0};
    if (cli_ns_active()) {
        /* two full paths, across hives too: lines name A's keys as spelled */
        if (a.ops[2])
            return cli_usage_error("compare", "two paths with a root take the place of A B KEY");
        rc = cli_ns_open(a.ops[0], 0, 0, HK_KEY_READ, &ka, &c.base);
        if (rc == CLI_EXIT_OK)
            rc = cli_ns_open(a.ops[1], 0, 0, HK_KEY_READ, &kb, &relb);
        if (rc == CLI_EXIT_OK && a.reg && !a.prefix) {
            cli_buf_add(&prefix, c.base.p, c.base.len);
            cli_buf_addc(&prefix, '\0');
            a.prefix = prefix.p;
            c.base.len = 0;
        }
        if (rc == CLI_EXIT_OK) {
            ha = hk_key_hive(ka);
            hb = NULL;
        }
    } else {
        if (cli_open_hive(a.ops[0], &ha) != HK_ERROR_SUCCESS ||
            cli_open_hive(a.ops[1], &hb) != HK_ERROR_SUCCESS)
            rc = CLI_EXIT_ERROR;
        if (rc == CLI_EXIT_OK)
            rc = cli_open_path(ha, a.ops[2], &ka, &c.base);
        if (rc == CLI_EXIT_OK)
            rc = cli_open_path(hb, a.ops[2], &kb, &relb);
    }
    uint64_t count = 0;
    if (rc == CLI_EXIT_OK && a.reg) {
        if (a.prefix && a.prefix == prefix.p) {
            /* the namespace path, set above */
        } else if (a.prefix) {
            cli_buf_adds(&prefix, a.prefix);
            cli_buf_addc(&prefix, '\0');
        } else if (default_prefix(ha, &prefix) != HK_ERROR_SUCCESS) {
            rc = cli_fail(ha, a.ops[0], HK_ERROR_BADDB);
        }
        c.prefix = prefix.p;
        if (rc == CLI_EXIT_OK)
            rc = run_patch(&c, &a, ka, kb, &count);
    } else if (rc == CLI_EXIT_OK) {
        cli_out_init(&c.out, stdout);
        hk_status st = hk_compare_keys_ex(ka, kb, compare_flags(&a), list_diff, &c, &count);
        if (st == HK_ERROR_SUCCESS)
            cli_buf_adds(&c.out.buf, count ? "Result Compared: Different\n"
                                           : "Result Compared: Identical\n");
        int err = cli_out_close(&c.out);
        if (st != HK_ERROR_SUCCESS)
            rc = cli_fail(ha, a.ops[0], st);
        else if (err) {
            cli_error("stdout", "write error: %s", strerror(err));
            rc = CLI_EXIT_ERROR;
        }
    }
    if (rc == CLI_EXIT_OK && count)
        rc = CLI_EXIT_NOT_FOUND;
    hk_close_key(ka);
    hk_close_key(kb);
    if (!cli_ns_active()) {
        hk_hive_close(ha);
        hk_hive_close(hb);
    }
    cli_buf_free(&c.base);
    cli_buf_free(&c.path);
    cli_buf_free(&c.text);
    cli_buf_free(&c.shown);
    cli_buf_free(&c.header);
    cli_buf_free(&relb);
    cli_buf_free(&prefix);
    return rc;
}
