/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit import HIVE FILE.reg [--prefix P] and
 * hivekit build SPEC.reg -o HIVE [--prefix P] [--hive-version V] [--root-name N]:
 * a .reg file applied to a hive (hk_import_reg), then saved once. */
#include <stdio.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "keypath.h"
#include "namespace.h"
#include "open_hive.h"
#include "options.h"

static const char import_usage[] =
    "usage: hivekit import HIVE FILE.reg [--prefix P]\n"
    "\n"
    "Apply a .reg file to HIVE: [key] creates, [-key] deletes a subtree,\n"
    "\"name\"=data sets, \"name\"=- deletes. Keys at or below P map to the root\n"
    "(default P: the file's first key; a regedit export whose first key lies\n"
    "below a hive's key, HKEY_CURRENT_USER\\X or HKLM\\SOFTWARE\\X, needs --prefix).\n"
    "The whole file is\n"
    "checked first; on any error (one 'FILE:LINE:COLUMN: reason' line each, at\n"
    "most 20) HIVE is left as it was.\n"
    "\n"
    "  --prefix P     the key path in the file that is HIVE's root\n";

static const char build_usage[] =
    "usage: hivekit build SPEC.reg -o HIVE [--prefix P] [--hive-version V] [--root-name N]\n"
    "\n"
    "Build a new hive from a .reg file. The same SPEC and SOURCE_DATE_EPOCH give\n"
    "the same bytes.\n"
    "\n"
    "  -o, --output HIVE  the hive to write (replaced if it exists)\n"
    "  --prefix P         the key path in SPEC that is the root (default: the\n"
    "                     first key)\n"
    "  --hive-version V   1.3, 1.4, 1.5 (the default) or 1.6\n"
    "  --root-name N      the root key's name (default: the last name in P, or\n"
    "                     ROOT when P is one name such as HKEY_CURRENT_USER)\n";

/* The failure st of a call on FILE's text: "FILE:LINE:COL: reason", one
 * line for each error the library's detail lists. */
static int report(const char *file, hk_status st)
{
    char errmsg[8192];
    snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
    if (!errmsg[0])
        cli_error(file, "%s", hk_strerror(st));
    for (char *line = errmsg; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        cli_error(NULL, "%s:%s", file, line);
        line = nl ? nl + 1 : line + strlen(line);
    }
    return CLI_EXIT_ERROR;
}

/* FILE's text below root. */
static int import_into(hk_key *root, const char *file, const struct cli_buf *text,
                       const char *prefix)
{
    hk_import_options opts = HK_IMPORT_OPTIONS_INIT;
    opts.prefix = prefix;
    hk_status st = hk_import_reg(root, text->p, text->len, &opts);
    return st == HK_ERROR_SUCCESS ? CLI_EXIT_OK : report(file, st);
}

/* The file's first key path into out (empty before; NUL-terminated, len
 * its length). Each hk_reg_first_key decodes the text up to that key only
 * (and checks its encoding whole: a UTF-8 text's bytes): one call when the
 * path fits 256 bytes, a second only for a longer one. A failure's detail
 * is hk_errmsg(). */
static hk_status first_key_path(const struct cli_buf *text, struct cli_buf *out)
{
    size_t size = 256;
    hk_status st;
    do {
        cli_buf_reserve(out, size + 1);
        size = out->cap;
        st = hk_reg_first_key(text->p, text->len, out->p, &size);
    } while (st == HK_ERROR_MORE_DATA);
    out->len = st == HK_ERROR_SUCCESS ? size : 0;
    return st;
}

/* import without --prefix: a regedit export whose first key lies below the
 * key that maps to a hive (HKEY_CURRENT_USER\Software\X, HKLM\SOFTWARE\X)
 * would put X's contents on the hive's root key. Refused, naming the root
 * and the --prefix to give. A first key that is a hive's own (HKCU, HKCR,
 * HKCC alone; HKLM\NAME, HKU\NAME, as hivekit export and compare --reg
 * write) maps to the root rightly. Checked after the file applied cleanly
 * in memory, so that its syntax errors come first. */
static int refuse_root(const char *file, const struct cli_buf *text)
{
    struct cli_buf buf = {0};
    hk_status st = first_key_path(text, &buf);
    const char *root = "", *path = buf.p;
    size_t n = st == HK_ERROR_SUCCESS ? hk_reg_root(path, &root) : 0;
    size_t end = n ? cli_hive_key_len(path, &root) : 0;
    int refused = n && path[end] == '\\';
    if (n && end == n && (strcmp(root, "HKEY_LOCAL_MACHINE") == 0 ||
                          strcmp(root, "HKEY_USERS") == 0))
        refused = 1; /* HKLM alone is no hive */
    if (refused)
        cli_error(file, "its keys start with the predefined root %s ('%.*s', as regedit exports "
                  "them): imported without --prefix they would land on the hive's root key; give "
                  "the key that is the hive's root, e.g. --prefix '%.*s'; nothing written",
                  root, (int)n, path, (int)end, path);
    cli_buf_free(&buf);
    return refused ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

static int apply(hk_hive *hive, const char *file, const struct cli_buf *text, const char *prefix)
{
    hk_key *root;
    hk_status st = hk_hive_root(hive, &root);
    if (st != HK_ERROR_SUCCESS)
        return cli_fail(hive, file, st);
    int rc = import_into(root, file, text, prefix);
    hk_close_key(root);
    return rc;
}

struct text_args {
    const char *ops[2];
    const char *prefix, *output, *version, *root;
};

static int parse(const char *cmd, const char *usage, int argc, char **argv, struct text_args *a,
                 int building)
{
    /* the building ones last: import takes --prefix alone */
    const struct cli_option opts[] = {
        {.l = "prefix", .name = "--prefix", .value = &a->prefix},
        {.s = "o", .l = "output", .name = "-o", .value = &a->output},
        {.l = "hive-version", .name = "--hive-version", .value = &a->version},
        {.l = "root-name", .name = "--root-name", .value = &a->root},
    };
    int rc = cli_parse_args(cmd, usage, opts, building ? 4 : 1, a->ops, building ? 1 : 2, argc,
                            argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (!a->ops[0])
        return cli_usage_error(cmd, building ? "missing SPEC" : "missing HIVE");
    if (!building && cli_ns_active() && a->ops[1])
        return cli_usage_error(cmd, "with --windows or --hive, FILE alone (its roots name the mounts)");
    if (!building && !a->ops[1] && !cli_ns_active())
        return cli_usage_error(cmd, "missing FILE");
    if (building && !a->output)
        return cli_usage_error(cmd, "missing -o HIVE");
    if (a->prefix && !a->prefix[0])
        return cli_usage_error(cmd, "--prefix must not be empty");
    return CLI_EXIT_OK;
}

/* FILE through the namespace: its key lines' root (HKEY_LOCAL_MACHINE...)
 * is the predefined key it goes below; one root per file. */
static int import_ns(const char *file, const struct cli_buf *text)
{
    char first[1024];
    size_t size = sizeof first;
    hk_status st = hk_reg_first_key(text->p, text->len, first, &size);
    if (st != HK_ERROR_SUCCESS)
        return report(file, st);
    first[strcspn(first, "\\")] = '\0'; /* the root alone */
    hk_key *root;
    int rc = cli_ns_open(first, 1, 0, HK_KEY_ALL_ACCESS, &root, NULL);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = import_into(root, file, text, first);
    hk_close_key(root);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    struct text_args a;
    memset(&a, 0, sizeof a);
    int rc = parse("import", import_usage, argc, argv, &a, 0);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    struct cli_buf text = {0};
    if (cli_ns_active()) {
        rc = cli_read_file(a.ops[0], &text);
        if (rc == CLI_EXIT_OK)
            rc = import_ns(a.ops[0], &text);
        cli_buf_free(&text);
        return rc;
    }
    bool mapped;
    rc = cli_map_file(a.ops[1], &text, &mapped);
    hk_hive *hive = NULL;
    if (rc == CLI_EXIT_OK && cli_open_hive_write(a.ops[0], &hive) != HK_ERROR_SUCCESS)
        rc = CLI_EXIT_ERROR;
    if (rc == CLI_EXIT_OK)
        rc = apply(hive, a.ops[1], &text, a.prefix);
    if (rc == CLI_EXIT_OK && !a.prefix)
        rc = refuse_root(a.ops[1], &text);
    if (rc == CLI_EXIT_OK)
        rc = cli_save_hive(hive, a.ops[0]);
    hk_hive_close(hive);
    cli_file_release(&text, mapped);
    return rc;
}

/* The root name: --root-name, else the last name of the prefix (ROOT for a
 * prefix of one name, a predefined key such as HKEY_CURRENT_USER). */
static int root_name(const struct text_args *a, const struct cli_buf *text, struct cli_buf *name)
{
    if (a->root) {
        cli_buf_adds(name, a->root);
    } else if (a->prefix) {
        size_t len = strlen(a->prefix);
        while (len > 0 && a->prefix[len - 1] == '\\') /* as hk_import_reg trims it */
            len--;
        size_t start = len;
        while (start > 0 && a->prefix[start - 1] != '\\')
            start--;
        if (start == 0)
            cli_buf_adds(name, "ROOT");
        else
            cli_buf_add(name, a->prefix + start, len - start);
    } else {
        hk_status st = first_key_path(text, name);
        if (st == HK_ERROR_FILE_NOT_FOUND) {
            cli_error(a->ops[0], "no key line: give --root-name");
            return CLI_EXIT_ERROR;
        }
        if (st != HK_ERROR_SUCCESS)
            return report(a->ops[0], st);
        const char *s = strrchr(name->p, '\\');
        if (s) {
            name->len = strlen(s + 1);
            memmove(name->p, s + 1, name->len);
        } else {
            memcpy(name->p, "ROOT", 4); /* a bare root such as HKEY_CURRENT_USER (cap >= 257) */
            name->len = 4;
        }
    }
    cli_buf_addc(name, '\0');
    return CLI_EXIT_OK;
}

int cmd_build(int argc, char **argv)
{
    struct text_args a;
    memset(&a, 0, sizeof a);
    int rc = parse("build", build_usage, argc, argv, &a, 1);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    uint32_t minor;
    if (cli_hive_version("build", a.version, &minor) != CLI_EXIT_OK)
        return CLI_EXIT_ERROR;
    struct cli_buf text = {0}, name = {0};
    bool mapped;
    rc = cli_map_file(a.ops[0], &text, &mapped);
    if (rc == CLI_EXIT_OK)
        rc = root_name(&a, &text, &name);
    hk_hive *hive = NULL;
    if (rc == CLI_EXIT_OK) {
        hk_status st = hk_hive_create(minor, name.p, &hive);
        if (st != HK_ERROR_SUCCESS) {
            cli_error(a.output, "cannot create the hive: root name '%s': %s", name.p,
                      hk_strerror(st));
            rc = CLI_EXIT_ERROR;
        }
    }
    if (rc == CLI_EXIT_OK)
        rc = apply(hive, a.ops[0], &text, a.prefix);
    if (rc == CLI_EXIT_OK) {
        hk_status st = hk_hive_save(hive, a.output, HK_SAVE_OVERWRITE | cli_save_flags());
        if (st != HK_ERROR_SUCCESS)
            rc = cli_fail(hive, a.output, st);
    }
    hk_hive_close(hive);
    cli_file_release(&text, mapped);
    cli_buf_free(&name);
    return rc;
}
