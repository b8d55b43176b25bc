/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit query HIVE [KEY] [-s] [-v NAME | --ve] [--prefix P]: reg.exe
 * query's layout, with LF line ends. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "hive_read.h"
#include "keypath.h"
#include "namespace.h"
#include "open_hive.h"
#include "options.h"
#include "output.h"
#include "salvage.h"
#include "export_jsonl.h"

static const char query_usage[] =
    "usage: hivekit query HIVE [KEY] [-s] [-v NAME | --ve] [--prefix P] [--salvage]\n"
    "                     [-f PATTERN [--keys-only | --values-only | --data]\n"
    "                      [--case-sensitive] [--exact] [-t TYPE]] [--times]\n"
    "                     [--format text|jsonl]\n"
    "\n"
    "Print KEY's values and the paths of its subkeys in reg.exe query's layout.\n"
    "KEY is relative to the hive's root key (a leading '\\' is allowed; omitted\n"
    "or \"\" is the root).\n"
    "\n"
    "  -s, --recurse  every key of the tree, each with its values\n"
    "  -v NAME        only the value NAME (with -s: search the tree for it)\n"
    "  --ve           only the default value\n"
    "  --prefix P     full paths start with P instead of\n"
    "                 HKEY_LOCAL_MACHINE\\<root key name>\n"
    "  --salvage      read a damaged hive as far as it goes: skip what is\n"
    "                 broken with a warning each\n"
    "  -f PATTERN     reg.exe's /f: search key names, value names and data (as\n"
    "                 shown) for PATTERN ('*' and '?' wildcards; else a part of\n"
    "                 the text), in KEY's subkeys and values (-s: the tree)\n"
    "  --keys-only    (/k) search key names only\n"
    "  --values-only  (/v) search value names only\n"
    "  --data         (/d) search data only\n"
    "  --case-sensitive (/c)   --exact (/e) the whole text must match\n"
    "  -t TYPE        (/t) only values of TYPE (REG_SZ, ...; repeatable as A,B)\n"
    "  --times        each key's last-write time under its path\n"
    "  --format F     text (the default) or jsonl (export's JSON lines: KEY,\n"
    "                 its values and its subkeys' lines; -s: the whole tree)\n";

struct query {
    hk_hive *hive;
    const char *vname; /* -v NAME, "" for --ve, NULL for all values */
    int recurse;
    int salvage;
    int times;
    const char *find;  /* -f PATTERN */
    int in_keys, in_values, in_data, case_sensitive, exact;
    const char *types; /* -t TYPE[,TYPE...] */
    const char *hive_path;
    uint64_t matches;
    struct cli_out out;
    struct cli_buf path; /* the full path of the key being printed */
    struct cli_buf name, data, text, shown;
};

/* Appends the data as reg.exe shows it (controls escaped). */
static hk_status add_data(struct query *q, uint32_t type)
{
    q->shown.len = 0;
    hk_status st = cli_reg_data(&q->shown, &q->text, type, q->data.p, q->data.len);
    cli_buf_add_text(&q->out.buf, q->shown.p, q->shown.len);
    return st;
}

/* "    NAME    TYPE    DATA\n" for the value in q->name / q->data. */
static hk_status add_value_line(struct query *q, const char *name, size_t name_len, uint32_t type)
{
    struct cli_buf *b = &q->out.buf;
    char scratch[CLI_TYPE_NAME_SIZE];
    cli_buf_add(b, "    ", 4);
    if (name_len)
        cli_buf_add_text(b, name, name_len);
    else
        cli_buf_adds(b, "(Default)");
    cli_buf_add(b, "    ", 4);
    cli_buf_adds(b, cli_type_name(type, scratch));
    cli_buf_add(b, "    ", 4);
    hk_status st = add_data(q, type);
    cli_buf_addc(b, '\n');
    cli_out_step(&q->out);
    return st;
}

/* The path line; with --times the key's last-write time on the next. */
static void add_path_line_of(struct query *q, hk_key *key)
{
    cli_buf_add_text(&q->out.buf, q->path.p, q->path.len);
    cli_buf_addc(&q->out.buf, '\n');
    hk_key_info ki = HK_KEY_INFO_INIT;
    if (q->times && key && hk_query_info_key(key, NULL, NULL, &ki) == HK_ERROR_SUCCESS) {
        char iso[HK_FILETIME_TEXT_SIZE];
        cli_buf_adds(&q->out.buf, "    (last write ");
        cli_buf_add(&q->out.buf, iso, hk_filetime_text(ki.last_write, iso));
        cli_buf_adds(&q->out.buf, ")\n");
    }
}


/* ---- -f PATTERN ---------------------------------------------------------- */

static int fold(int c, int cs)
{
    return !cs && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether the n bytes at s match the glob pat ('*' any run, '?' one byte). */
static int glob_match(const char *pat, const char *s, size_t n, int cs)
{
    size_t i = 0, star_p = (size_t)-1, star_i = 0, p = 0, plen = strlen(pat);
    while (i < n) {
        if (p < plen && (pat[p] == '?' || fold((unsigned char)pat[p], cs) ==
                                              fold((unsigned char)s[i], cs))) {
            p++;
            i++;
        } else if (p < plen && pat[p] == '*') {
            star_p = p++;
            star_i = i;
        } else if (star_p != (size_t)-1) {
            p = star_p + 1;
            i = ++star_i;
        } else {
            return 0;
        }
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}

/* reg.exe /f: wildcards match the whole text, plain text a part of it
 * (--exact: the whole). */
static int text_matches(const struct query *q, const char *s, size_t n)
{
    const char *pat = q->find;
    if (strpbrk(pat, "*?") || q->exact)
        return glob_match(pat, s, n, q->case_sensitive);
    size_t m = strlen(pat);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && fold((unsigned char)pat[k], q->case_sensitive) ==
                            fold((unsigned char)s[i + k], q->case_sensitive))
            k++;
        if (k == m)
            return 1;
    }
    return 0;
}

/* Whether -t lets type through. */
static int type_wanted(const struct query *q, uint32_t type)
{
    if (!q->types)
        return 1;
    char scratch[CLI_TYPE_NAME_SIZE];
    const char *name = cli_type_name(type, scratch);
    size_t n = strlen(name);
    for (const char *t = q->types; *t;) {
        const char *end = strchr(t, ',');
        size_t len = end ? (size_t)(end - t) : strlen(t);
        if (len == n && strncasecmp(t, name, n) == 0)
            return 1;
        t += len + (end != NULL);
    }
    return 0;
}

/* Every value of key, in stored order. */
static hk_status add_values(struct query *q, hk_key *key, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        uint32_t type;
        hk_status st = cli_enum_value(key, i, &q->name, &type, &q->data);
        if (st == HK_ERROR_SUCCESS)
            st = add_value_line(q, q->name.p, q->name.len, type);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return HK_ERROR_SUCCESS;
}

/* Looks up q->vname in key; FILE_NOT_FOUND when it is absent. */
static hk_status find_value(struct query *q, hk_key *key, uint32_t *type)
{
    q->data.len = 0;
    cli_buf_reserve(&q->data, 4096);
    for (;;) {
        size_t size = q->data.cap;
        hk_status st = hk_query_value_ex(key, q->vname, type, q->data.p, &size);
        if (st == HK_ERROR_SUCCESS) {
            q->data.len = size;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(&q->data, size);
    }
}

/* Adds the path line and the one value line when key holds q->vname. */
static hk_status add_match(struct query *q, hk_key *key)
{
    uint32_t type;
    hk_status st = find_value(q, key, &type);
    if (st != HK_ERROR_SUCCESS)
        return st;
    q->matches++;
    add_path_line_of(q, key);
    st = add_value_line(q, q->vname, strlen(q->vname), type);
    cli_buf_addc(&q->out.buf, '\n');
    return st;
}

/* The name of subkey index appended to q->path after a backslash. */
static hk_status push_name(struct query *q, hk_key *child)
{
    hk_status st = cli_key_name(child, &q->name);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (q->path.len)
        cli_buf_addc(&q->path, '\\');
    cli_buf_add(&q->path, q->name.p, q->name.len);
    return HK_ERROR_SUCCESS;
}

/* -s: key (unless it is the value-less top) and the whole tree below it. */
static hk_status visit(struct query *q, hk_key *key, int top)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(key, NULL, NULL, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (q->vname) {
        st = add_match(q, key);
        if (st == HK_ERROR_FILE_NOT_FOUND)
            st = HK_ERROR_SUCCESS;
    } else if (!top || ki.values > 0) {
        add_path_line_of(q, key);
        st = add_values(q, key, ki.values);
        cli_buf_addc(&q->out.buf, '\n');
    }
    cli_out_step(&q->out);
    size_t mark = q->path.len;
    struct cli_salvage sv = {q->hive_path, ""};
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS && i < ki.subkeys; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            return HK_ERROR_SUCCESS;
        if (st == HK_ERROR_SUCCESS) {
            st = push_name(q, child);
            if (st == HK_ERROR_SUCCESS)
                st = visit(q, child, 0);
            q->path.len = mark;
            hk_close_key(child);
        }
        if (st != HK_ERROR_SUCCESS && st != HK_ERROR_NOT_ENOUGH_MEMORY && q->salvage &&
            (q->vname == NULL || st != HK_ERROR_FILE_NOT_FOUND)) {
            if (!cli_salvage_skip(&sv, q->path.p, mark, i, st))
                return HK_ERROR_SUCCESS;
            st = HK_ERROR_SUCCESS;
        }
    }
    return st;
}

/* Without -s: the key's values (or the one asked for), then its subkeys. */
static hk_status print_key(struct query *q, hk_key *key)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(key, NULL, NULL, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    cli_buf_addc(&q->out.buf, '\n');
    if (q->vname)
        return add_match(q, key);
    if (ki.values > 0) {
        add_path_line_of(q, key);
        st = add_values(q, key, ki.values);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cli_buf_addc(&q->out.buf, '\n');
    }
    size_t mark = q->path.len;
    struct cli_salvage sv = {q->hive_path, ""};
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS || (q->salvage && i >= ki.subkeys))
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS && q->salvage && st != HK_ERROR_NOT_ENOUGH_MEMORY) {
            if (!cli_salvage_skip(&sv, q->path.p, mark, i, st))
                return HK_ERROR_SUCCESS;
            continue;
        }
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = push_name(q, child);
        if (st == HK_ERROR_SUCCESS)
            add_path_line_of(q, child);
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
        q->path.len = mark;
        cli_out_step(&q->out);
    }
}

/* -f: the values of key that match (path line, value lines, blank line),
 * then each subkey whose name matches (its path line), recursing with -s. */
static hk_status search(struct query *q, hk_key *key, unsigned depth)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(key, NULL, NULL, &ki);
    int shown = 0;
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS && i < ki.values; i++) {
        uint32_t type;
        st = cli_enum_value(key, i, &q->name, &type, &q->data);
        if (st != HK_ERROR_SUCCESS || !type_wanted(q, type))
            continue;
        int hit = q->in_values && text_matches(q, q->name.p, q->name.len);
        if (!hit && q->in_data) {
            struct cli_buf shown_data = {0};
            st = cli_reg_data(&shown_data, &q->text, type, q->data.p, q->data.len);
            hit = st == HK_ERROR_SUCCESS && text_matches(q, shown_data.p, shown_data.len);
            cli_buf_free(&shown_data);
        }
        if (!hit || st != HK_ERROR_SUCCESS)
            continue;
        if (!shown++)
            add_path_line_of(q, key);
        q->matches++;
        st = add_value_line(q, q->name.p, q->name.len, type);
    }
    if (shown)
        cli_buf_addc(&q->out.buf, '\n');
    size_t mark = q->path.len;
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS && i < ki.subkeys; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st != HK_ERROR_SUCCESS)
            break;
        st = push_name(q, child);
        size_t nlen = q->name.len;
        if (st == HK_ERROR_SUCCESS && q->in_keys && !q->types &&
            text_matches(q, q->path.p + q->path.len - nlen, nlen)) {
            q->matches++;
            add_path_line_of(q, child);
        }
        if (st == HK_ERROR_SUCCESS && q->recurse && depth < HK_MAX_DEPTH)
            st = search(q, child, depth + 1);
        q->path.len = mark;
        hk_close_key(child);
        cli_out_step(&q->out);
    }
    return st;
}

struct query_args {
    const char *operands[CLI_OP_COUNT];
    const char *prefix;
    const char *format;
};

/* -f and its modifiers, --times, --format: 1 taken, 0 not one of them, -1
 * a usage error (reported). */
static int take_search_option(struct query *q, struct query_args *a, int argc, char **argv,
                              int *i)
{
    int keys = 0, values = 0, data = 0;
    const struct cli_option opts[] = {
        {.s = "f", .l = "find", .name = "-f", .value = &q->find},
        {.s = "t", .l = "type", .name = "-t", .value = &q->types},
        {.l = "format", .name = "--format", .value = &a->format},
        {.l = "keys-only", .flag = &keys},
        {.l = "values-only", .flag = &values},
        {.l = "data", .flag = &data},
        {.l = "case-sensitive", .flag = &q->case_sensitive},
        {.l = "exact", .flag = &q->exact},
        {.l = "times", .flag = &q->times},
    };
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        const char *val = NULL;
        int m = cli_opt("query", argc, argv, i, opts[k].s, opts[k].l, opts[k].value != NULL, &val);
        if (m < 0)
            return -1;
        if (m == 0)
            continue;
        if (opts[k].value && cli_set_once("query", opts[k].name, opts[k].value, val) != CLI_EXIT_OK)
            return -1;
        if (opts[k].flag)
            *opts[k].flag = 1;
        /* /k /v /d choose what is searched (parse: none given, all three) */
        q->in_keys |= keys;
        q->in_values |= values;
        q->in_data |= data;
        return 1;
    }
    return 0;
}

static int parse(int argc, char **argv, struct query *q, struct query_args *a)
{
    int only_args = 0;
    for (int i = 1; i < argc;) {
        const char *val = NULL;
        int m = 0;
        const char *arg = argv[i];
        if (!only_args && strcmp(arg, "--") == 0) {
            only_args = 1;
            i++;
        } else if (!only_args && (m = cli_opt("query", argc, argv, &i, "h", "help", 0, NULL)) != 0) {
            if (m < 0)
                return CLI_EXIT_ERROR;
            fputs(query_usage, stdout);
            return -1;
        } else if (!only_args && (m = cli_opt("query", argc, argv, &i, "s", "recurse", 0, NULL)) != 0) {
            if (m < 0)
                return CLI_EXIT_ERROR;
            if (q->recurse)
                return cli_usage_error("query", "'%s' given twice", arg);
            q->recurse = 1;
        } else if (!only_args && (strcmp(arg, "-ve") == 0 ||
                                  (m = cli_opt("query", argc, argv, &i, NULL, "ve", 0, NULL)) != 0)) {
            if (arg[1] != '-')
                i++; /* "-ve" is reg.exe's /ve, not -v "e" */
            else if (m < 0)
                return CLI_EXIT_ERROR;
            if (q->vname)
                return cli_usage_error("query", "-v and --ve may be given once, not both");
            q->vname = "";
        } else if (!only_args && (m = cli_opt("query", argc, argv, &i, "v", NULL, 1, &val)) != 0) {
            if (m < 0)
                return CLI_EXIT_ERROR;
            if (q->vname)
                return cli_usage_error("query", "-v and --ve may be given once, not both");
            q->vname = val;
        } else if (!only_args && (m = cli_opt("query", argc, argv, &i, NULL, "salvage", 0, NULL)) != 0) {
            if (m < 0)
                return CLI_EXIT_ERROR;
            q->salvage = 1;
        } else if (!only_args && (m = cli_opt("query", argc, argv, &i, NULL, "prefix", 1, &val)) != 0) {
            if (m < 0 || cli_set_once("query", "--prefix", &a->prefix, val) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
        } else if (!only_args && (m = take_search_option(q, a, argc, argv, &i)) != 0) {
            if (m < 0)
                return CLI_EXIT_ERROR;
        } else {
            if (cli_operand("query", arg, only_args, a->operands, CLI_OP_COUNT) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
            i++;
        }
    }
    if (!a->operands[CLI_OP_HIVE])
        return cli_usage_error("query", "missing HIVE");
    if (!q->find && (q->in_keys || q->in_values || q->in_data || q->case_sensitive || q->exact ||
                     q->types))
        return cli_usage_error("query", "--keys-only, --values-only, --data, --case-sensitive, "
                                        "--exact and -t go with -f PATTERN");
    if (q->find && q->vname)
        return cli_usage_error("query", "-f and -v/--ve exclude each other");
    if (q->find && !q->in_keys && !q->in_values && !q->in_data)
        q->in_keys = q->in_values = q->in_data = 1;
    if (a->format && strcmp(a->format, "text") != 0 && strcmp(a->format, "jsonl") != 0)
        return cli_usage_error("query", "unknown format '%s' (text or jsonl)", a->format);
    if (a->format && strcmp(a->format, "jsonl") == 0 && (q->find || q->vname || q->times))
        return cli_usage_error("query", "--format jsonl shows keys and values whole: not with "
                                        "-f, -v, --ve or --times");
    return CLI_EXIT_OK;
}

/* The full path of the queried key: prefix, then the path below the root. */
static hk_status start_path(struct query *q, const struct query_args *a, hk_key *root,
                            const struct cli_buf *rel)
{
    q->path.len = 0;
    if (a->prefix) {
        cli_buf_adds(&q->path, a->prefix);
    } else {
        hk_status st = cli_key_name(root, &q->name);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cli_buf_adds(&q->path, "HKEY_LOCAL_MACHINE\\");
        cli_buf_add(&q->path, q->name.p, q->name.len);
    }
    if (rel->len) {
        if (q->path.len)
            cli_buf_addc(&q->path, '\\');
        cli_buf_add(&q->path, rel->p, rel->len);
    }
    return HK_ERROR_SUCCESS;
}

static int run(struct query *q, hk_key *key, const char *rel, size_t rel_len);

static void query_free(struct query *q)
{
    cli_buf_free(&q->path);
    cli_buf_free(&q->name);
    cli_buf_free(&q->data);
    cli_buf_free(&q->text);
    cli_buf_free(&q->shown);
}

int cmd_query(int argc, char **argv)
{
    cli_salvage_hint = 1;
    struct query q;
    struct query_args a = {{NULL}, NULL, NULL};
    memset(&q, 0, sizeof q);
    int rc = parse(argc, argv, &q, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;

    q.hive_path = a.operands[CLI_OP_HIVE];
    if (cli_ns_active()) {
        if (a.operands[CLI_OP_KEY])
            return cli_usage_error("query", "one path with a root (HKLM\\...) takes the place of "
                                            "HIVE and KEY");
        if (a.format && strcmp(a.format, "jsonl") == 0)
            return cli_usage_error("query", "--format jsonl takes HIVE [KEY], not a path with a "
                                            "root (use export --format jsonl)");
        hk_key *key = NULL;
        rc = cli_ns_open(q.hive_path, 0, 0, HK_KEY_READ, &key, &q.path);
        if (rc == CLI_EXIT_OK)
            rc = run(&q, key, q.hive_path, strlen(q.hive_path));
        hk_close_key(key);
        query_free(&q);
        return rc;
    }
    if (cli_open_hive_flags(q.hive_path, q.salvage ? HK_OPEN_SALVAGE : 0, &q.hive) !=
        HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *root = NULL, *key = NULL;
    struct cli_buf rel = {0};
    hk_status st = hk_hive_root(q.hive, &root);
    if (st != HK_ERROR_SUCCESS) {
        rc = cli_fail(q.hive, a.operands[CLI_OP_HIVE], st);
        goto done;
    }
    rc = cli_open_path(q.hive, a.operands[CLI_OP_KEY], &key, &rel);
    if (rc != CLI_EXIT_OK)
        goto done;
    if (a.format && strcmp(a.format, "jsonl") == 0) {
        int err;
        st = cli_export_jsonl(key, rel.p, rel.len, stdout, q.salvage ? q.hive_path : NULL,
                              q.recurse ? 0 : 1, &err);
        if (err) {
            cli_error("stdout", "write error: %s", strerror(err));
            rc = CLI_EXIT_ERROR;
        } else if (st != HK_ERROR_SUCCESS) {
            rc = cli_fail(q.hive, a.operands[CLI_OP_HIVE], st);
        }
        goto done;
    }
    st = start_path(&q, &a, root, &rel);
    rc = st == HK_ERROR_SUCCESS ? run(&q, key, rel.p ? rel.p : "", rel.len)
                                : cli_fail(q.hive, a.operands[CLI_OP_HIVE], st);
done:
    cli_buf_free(&rel);
    query_free(&q);
    hk_close_key(key);
    hk_close_key(root);
    hk_hive_close(q.hive);
    return rc;
}

/* "End of search: N match(es) found." after a search; none is FILE_NOT_FOUND. */
static hk_status end_of_search(struct query *q)
{
    char line[64];
    int n = snprintf(line, sizeof line, "End of search: %llu match(es) found.\n",
                     (unsigned long long)q->matches);
    cli_buf_add(&q->out.buf, line, (size_t)n);
    return q->matches == 0 ? HK_ERROR_FILE_NOT_FOUND : HK_ERROR_SUCCESS;
}

/* Prints key (the path of which is in q->path) as asked; rel is the key as
 * the user named it, for the not-found detail. */
static int run(struct query *q, hk_key *key, const char *rel, size_t rel_len)
{
    int rc = CLI_EXIT_OK;
    hk_status st;
    cli_out_init(&q->out, stdout);
    if (q->find) {
        cli_buf_addc(&q->out.buf, '\n');
        st = search(q, key, 0);
        if (st == HK_ERROR_SUCCESS)
            st = end_of_search(q);
    } else if (q->recurse) {
        cli_buf_addc(&q->out.buf, '\n');
        st = visit(q, key, 1);
        if (st == HK_ERROR_SUCCESS && q->vname)
            st = end_of_search(q);
    } else {
        st = print_key(q, key);
    }
    if (st == HK_ERROR_FILE_NOT_FOUND && !q->recurse && !q->find)
        q->out.buf.len = 0; /* nothing printed for a missing value */
    int err = cli_out_close(&q->out);
    const char *vname = q->vname && *q->vname ? q->vname : "(Default)";
    if (st == HK_ERROR_FILE_NOT_FOUND && q->find)
        rc = cli_not_found_detail("nothing matches '%s' in key '%.*s'", q->find, (int)rel_len,
                                  rel);
    else if (st == HK_ERROR_FILE_NOT_FOUND && q->recurse)
        rc = cli_not_found_detail("no value '%s' in the tree of key '%.*s'", vname, (int)rel_len,
                                  rel);
    else if (st == HK_ERROR_FILE_NOT_FOUND)
        rc = cli_not_found_detail("value '%s' not found in key '%.*s'", vname, (int)rel_len, rel);
    else if (st != HK_ERROR_SUCCESS)
        rc = q->hive ? cli_fail(q->hive, q->hive_path, st) : cli_ns_fail(q->hive_path, key, st);
    if (err) {
        cli_error("stdout", "write error: %s", strerror(err));
        rc = CLI_EXIT_ERROR;
    }
    return rc;
}
