/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit add HIVE KEY [-v NAME | --ve] [-t TYPE] [-d DATA | --data-file F]
 * [-s SEP] [-f]: reg.exe add, its data rules included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "keypath.h"
#include "namespace.h"
#include "open_hive.h"
#include "options.h"

static const char add_usage[] =
    "usage: hivekit add HIVE KEY [-v NAME | --ve] [-t TYPE] [-d DATA | --data-file FILE]\n"
    "                   [-s SEP] [-f]\n"
    "\n"
    "Create KEY (with any missing parent) and set a value, then write the hive\n"
    "back (atomically). Without -v and --ve the default value is set (to an\n"
    "empty REG_SZ when no data is given), as reg.exe add does. On any error\n"
    "nothing is written.\n"
    "\n"
    "  -v NAME         the value NAME\n"
    "  --ve            the default value\n"
    "  -t TYPE         REG_SZ (default), REG_EXPAND_SZ, REG_MULTI_SZ, REG_DWORD,\n"
    "                  REG_DWORD_LITTLE_ENDIAN, REG_DWORD_BIG_ENDIAN, REG_QWORD,\n"
    "                  REG_BINARY, REG_NONE (case does not matter)\n"
    "  -d DATA         as reg.exe reads it: strings literally; REG_DWORD and\n"
    "                  REG_QWORD decimal or 0x-hex; REG_BINARY hex digits;\n"
    "                  REG_MULTI_SZ items separated by \\0 or SEP\n"
    "  --data-file F   the raw bytes of file F as the data, for any type\n"
    "  -s SEP          one character separating REG_MULTI_SZ items\n"
    "  -f              replace a value that exists (without -f that is an\n"
    "                  error, as declining reg.exe's prompt)\n";

static const struct {
    const char *name;
    uint32_t type;
} type_names[] = {
    {"REG_SZ", HK_REG_SZ}, {"REG_EXPAND_SZ", HK_REG_EXPAND_SZ}, {"REG_MULTI_SZ", HK_REG_MULTI_SZ},
    {"REG_DWORD", HK_REG_DWORD}, {"REG_DWORD_LITTLE_ENDIAN", HK_REG_DWORD},
    {"REG_DWORD_BIG_ENDIAN", HK_REG_DWORD_BIG_ENDIAN}, {"REG_QWORD", HK_REG_QWORD},
    {"REG_BINARY", HK_REG_BINARY}, {"REG_NONE", HK_REG_NONE},
};

static int parse_type(const char *s, uint32_t *type)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
        const char *a = type_names[i].name, *b = s;
        while (*a && *b && (*a == *b || (*b >= 'a' && *b <= 'z' && *a == *b - 32))) {
            a++;
            b++;
        }
        if (!*a && !*b) {
            *type = type_names[i].type;
            return 0;
        }
    }
    return -1;
}

/* Appends s (n bytes of UTF-8) as UTF-16LE; -1 for invalid UTF-8. */
static int add_utf16(struct cli_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len;
        if (p[i] < 0x80) {
            cp = p[i];
            len = 1;
        } else if (p[i] >= 0xC2 && p[i] < 0xE0) {
            cp = p[i] & 0x1Fu;
            len = 2;
        } else if (p[i] >= 0xE0 && p[i] < 0xF0) {
            cp = p[i] & 0x0Fu;
            len = 3;
        } else if (p[i] >= 0xF0 && p[i] < 0xF5) {
            cp = p[i] & 0x07u;
            len = 4;
        } else {
            return -1;
        }
        if (n - i < len)
            return -1;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return -1;
            cp = cp << 6 | (p[i + k] & 0x3Fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return -1;
        uint16_t units[2];
        size_t nu = 1;
        if (cp >= 0x10000) {
            units[0] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            units[1] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
            nu = 2;
        } else {
            units[0] = (uint16_t)cp;
        }
        for (size_t k = 0; k < nu; k++) {
            cli_buf_addc(b, (char)(units[k] & 0xFF));
            cli_buf_addc(b, (char)(units[k] >> 8));
        }
        i += len;
    }
    return 0;
}

static void add_nul16(struct cli_buf *b)
{
    cli_buf_add(b, "\0\0", 2);
}

/* reg.exe's numbers: decimal (leading zeros too) or 0x/0X hex; for a QWORD
 * "-1" is all ones. */
static int parse_number(const char *s, int qword, uint64_t *out)
{
    if (qword && strcmp(s, "-1") == 0) {
        *out = UINT64_MAX;
        return 0;
    }
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = hex ? s + 2 : s;
    if (!*digits)
        return -1;
    uint64_t v = 0, limit = qword ? UINT64_MAX : 0xFFFFFFFFu;
    for (const char *p = digits; *p; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (hex && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (hex && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            return -1;
        uint64_t base = hex ? 16 : 10;
        if (v > (limit - d) / base)
            return -1;
        v = v * base + d;
    }
    *out = v;
    return 0;
}

static int hex_nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex digits, no separators; an odd count gives the first byte one digit. */
static int parse_binary(const char *s, struct cli_buf *b)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (hex_nibble(s[i]) < 0)
            return -1;
    size_t i = 0;
    if (n % 2) {
        cli_buf_addc(b, (char)hex_nibble(s[0]));
        i = 1;
    }
    for (; i < n; i += 2)
        cli_buf_addc(b, (char)(hex_nibble(s[i]) << 4 | hex_nibble(s[i + 1])));
    return 0;
}

/* Items split at sep ("\\0" by default); a trailing separator is allowed,
 * empty items are not, except data that is one separator alone. */
static int parse_multi(const char *s, const char *sep, struct cli_buf *b)
{
    size_t sl = strlen(sep), n = strlen(s);
    if (n == sl && strncmp(s, sep, sl) == 0) {
        add_nul16(b);
        add_nul16(b);
        return 0;
    }
    size_t start = 0;
    while (start < n) {
        const char *hit = NULL;
        for (size_t i = start; i + sl <= n; i++) {
            if (strncmp(s + i, sep, sl) == 0) {
                hit = s + i;
                break;
            }
        }
        size_t end = hit ? (size_t)(hit - s) : n;
        if (end == start)
            return -1;
        if (add_utf16(b, s + start, end - start) < 0)
            return -1;
        add_nul16(b);
        start = hit ? end + sl : n;
    }
    add_nul16(b);
    return 0;
}

/* The bytes reg.exe stores for type and data (NULL: no -d). */
static int encode_data(uint32_t type, const char *data, const char *sep, struct cli_buf *b)
{
    uint64_t v;
    switch (type) {
    case HK_REG_DWORD:
    case HK_REG_DWORD_BIG_ENDIAN:
    case HK_REG_QWORD:
        /* one case, no fall-through: clang does not take the comment form */
        if (!data && type != HK_REG_QWORD) {
            cli_error(NULL, "add: %s needs data (-d)", type == HK_REG_DWORD ? "REG_DWORD"
                                                                             : "REG_DWORD_BIG_ENDIAN");
            return -1;
        }
        v = 0;
        if (data && parse_number(data, type == HK_REG_QWORD, &v) < 0) {
            cli_error(NULL, "add: '%s' is not a %s number (decimal or 0x-hex)", data,
                      type == HK_REG_QWORD ? "64-bit" : "32-bit");
            return -1;
        }
        /* reg.exe stores REG_DWORD_BIG_ENDIAN little-endian too. */
        for (int i = 0; i < (type == HK_REG_QWORD ? 8 : 4); i++)
            cli_buf_addc(b, (char)(v >> (8 * i)));
        return 0;
    case HK_REG_BINARY:
        if (data && parse_binary(data, b) < 0) {
            cli_error(NULL, "add: '%s' is not hex digits", data);
            return -1;
        }
        return 0;
    case HK_REG_MULTI_SZ:
        if (!data) {
            add_nul16(b);
            return 0;
        }
        if (parse_multi(data, sep ? sep : "\\0", b) < 0) {
            cli_error(NULL, "add: '%s': an empty REG_MULTI_SZ item or invalid UTF-8", data);
            return -1;
        }
        return 0;
    default: /* strings, and REG_NONE text stored as a string */
        if (data && add_utf16(b, data, strlen(data)) < 0) {
            cli_error(NULL, "add: data is not valid UTF-8");
            return -1;
        }
        add_nul16(b);
        return 0;
    }
}

struct add_args {
    const char *ops[2], *vname, *type, *data, *file, *sep;
    int ve, force;
};

static int parse_args(int argc, char **argv, struct add_args *a)
{
    const struct cli_option opts[] = {
        {.s = "v", .name = "-v", .value = &a->vname},
        {.s = "t", .name = "-t", .value = &a->type},
        {.s = "d", .name = "-d", .value = &a->data},
        {.l = "data-file", .name = "--data-file", .value = &a->file},
        {.s = "s", .name = "-s", .value = &a->sep},
        {.l = "ve", .flag = &a->ve},
        {.s = "f", .l = "force", .flag = &a->force},
    };
    int rc = cli_parse_args("add", add_usage, opts, 7, a->ops, 2, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (cli_ns_active() && a->ops[1])
        return cli_usage_error("add", "one path with a root (HKLM\\...) takes the place of HIVE and KEY");
    if (!a->ops[0] || (!a->ops[1] && !cli_ns_active()))
        return cli_usage_error("add", "missing %s", a->ops[0] ? "KEY" : "HIVE");
    if (a->vname && a->ve)
        return cli_usage_error("add", "-v and --ve exclude each other");
    if (a->data && a->file)
        return cli_usage_error("add", "-d and --data-file exclude each other");
    if (a->sep && strlen(a->sep) != 1)
        return cli_usage_error("add", "-s takes exactly one character");
    return CLI_EXIT_OK;
}

int cmd_add(int argc, char **argv)
{
    struct add_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    uint32_t type = HK_REG_SZ;
    if (a.type && parse_type(a.type, &type) < 0)
        return cli_usage_error("add", "unknown type '%s'", a.type);
    if (a.sep && type != HK_REG_MULTI_SZ)
        return cli_usage_error("add", "-s is for REG_MULTI_SZ only");
    struct cli_buf data = {0};
    cli_buf_reserve(&data, 16);
    if (a.file ? cli_read_file(a.file, &data) != CLI_EXIT_OK : encode_data(type, a.data, a.sep, &data) < 0) {
        cli_buf_free(&data);
        return CLI_EXIT_ERROR;
    }
    hk_hive *hive = NULL;
    const char *name = a.vname ? a.vname : "";
    const char *what = cli_ns_active() ? a.ops[0] : a.ops[1];
    hk_key *root = NULL, *k = NULL;
    hk_status st = HK_ERROR_SUCCESS;
    if (cli_ns_active()) {
        rc = cli_ns_open(a.ops[0], 1, 1, HK_KEY_ALL_ACCESS, &k, NULL);
        if (rc != CLI_EXIT_OK) {
            cli_buf_free(&data);
            return rc;
        }
    } else {
        if (cli_open_hive_write(a.ops[0], &hive) != HK_ERROR_SUCCESS) {
            cli_buf_free(&data);
            return CLI_EXIT_ERROR;
        }
        st = hk_hive_root(hive, &root);
        if (st == HK_ERROR_SUCCESS)
            st = hk_create_key(root, cli_key_arg(a.ops[1]), &k);
    }
    if (st == HK_ERROR_SUCCESS && !a.force) {
        size_t size = 0;
        if (hk_query_value_ex(k, name, NULL, NULL, &size) == HK_ERROR_SUCCESS) {
            cli_error(what, "value '%s' exists (add -f to replace it); nothing written",
                      a.vname ? name : "(Default)");
            rc = CLI_EXIT_ERROR;
        }
    }
    if (rc == CLI_EXIT_OK && st == HK_ERROR_SUCCESS)
        st = hk_set_value_ex(k, name, 0, type, data.p, data.len);
    if (rc == CLI_EXIT_OK)
        rc = st != HK_ERROR_SUCCESS ? (hive ? cli_fail_edit(hive, what, st) : cli_ns_fail(what, k, st))
             : hive                 ? cli_save_hive(hive, a.ops[0])
                                    : cli_ns_save(what, k);
    if (rc == CLI_EXIT_OK)
        puts("The operation completed successfully.");
    hk_close_key(k);
    hk_close_key(root);
    hk_hive_close(hive);
    cli_buf_free(&data);
    return rc;
}
