/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit timeline HIVE [--format csv|bodyfile|jsonl] [--salvage]: every key
 * by last-write time, oldest first; keys of the same time by path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "hive_read.h"
#include "open_hive.h"
#include "options.h"
#include "output.h"
#include "salvage.h"

static const char timeline_usage[] =
    "usage: hivekit timeline HIVE [--format csv|bodyfile|jsonl] [--salvage]\n"
    "\n"
    "List every key of the hive by last-write time, oldest first (keys with\n"
    "the same time by path). Paths are relative to the root key (\"\" is the\n"
    "root).\n"
    "\n"
    "  --format F     csv (default): last_write_utc,filetime,path with a header;\n"
    "                 bodyfile: The Sleuth Kit's mactime body format\n"
    "                 MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime\n"
    "                 with name '\\' + path and mtime the last write in Unix\n"
    "                 seconds, every other field 0;\n"
    "                 jsonl: {\"path\",\"name\",\"last_write\",\"last_write_utc\"}\n"
    "  --salvage      read a damaged hive as far as it goes\n";

enum { FMT_CSV, FMT_BODYFILE, FMT_JSONL };

struct entry {
    uint64_t time;
    size_t path_at, path_len, name_len; /* in the path pool; the name ends the path */
};

struct timeline {
    hk_hive *hive;
    const char *hive_path;
    int salvage;
    struct cli_buf pool; /* every path back to back */
    struct cli_buf path; /* the current key's path */
    struct cli_buf name;
    struct cli_buf root_name;
    struct entry *v;
    size_t n, cap;
    struct cli_progress progress;
};

static const char *g_pool; /* for the sort's comparison */

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    size_t m = x->path_len < y->path_len ? x->path_len : y->path_len;
    int c = memcmp(g_pool + x->path_at, g_pool + y->path_at, m);
    if (c)
        return c;
    return x->path_len < y->path_len ? -1 : x->path_len > y->path_len;
}

static void add_entry(struct timeline *t, uint64_t time, size_t name_len)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        struct entry *v = realloc(t->v, cap * sizeof *v);
        if (!v) {
            cli_error(NULL, "out of memory");
            exit(CLI_EXIT_ERROR);
        }
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = (struct entry){time, t->pool.len, t->path.len, name_len};
    cli_buf_add(&t->pool, t->path.p, t->path.len);
}

static hk_status walk(struct timeline *t, hk_key *key, size_t name_len)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(key, NULL, NULL, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    add_entry(t, ki.last_write, name_len);
    cli_progress_key(&t->progress);
    size_t mark = t->path.len;
    struct cli_salvage sv = {t->hive_path, ""};
    for (uint32_t i = 0; i < ki.subkeys; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            break;
        if (st == HK_ERROR_SUCCESS) {
            st = cli_key_name(child, &t->name);
            if (st == HK_ERROR_SUCCESS) {
                if (mark)
                    cli_buf_addc(&t->path, '\\');
                cli_buf_add(&t->path, t->name.p, t->name.len);
                st = walk(t, child, t->name.len);
                t->path.len = mark;
            }
            hk_close_key(child);
        }
        if (st != HK_ERROR_SUCCESS) {
            if (!t->salvage || st == HK_ERROR_NOT_ENOUGH_MEMORY)
                return st;
            if (!cli_salvage_skip(&sv, t->path.p ? t->path.p : "", mark, i, st))
                break;
        }
    }
    return HK_ERROR_SUCCESS;
}

/* A CSV field: controls escaped (hk_text_escape: no CR or LF is left),
 * quoted when it holds a comma or a quote. */
static void add_csv(struct cli_buf *b, struct cli_buf *tmp, const char *s, size_t n)
{
    tmp->len = 0;
    cli_buf_add_text(tmp, s, n);
    s = tmp->p;
    n = tmp->len;
    if (!n || (!memchr(s, ',', n) && !memchr(s, '"', n))) {
        cli_buf_add(b, s, n);
        return;
    }
    cli_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            cli_buf_addc(b, '"');
        cli_buf_addc(b, s[i]);
    }
    cli_buf_addc(b, '"');
}

/* FILETIME to Unix seconds; times before 1970 become 0. */
static uint64_t unix_seconds(uint64_t filetime)
{
    uint64_t secs = filetime / 10000000u;
    return secs > 11644473600u ? secs - 11644473600u : 0;
}

static void write_one(struct cli_buf *b, struct cli_buf *tmp, int fmt, const struct timeline *t,
                      const struct entry *e)
{
    const char *path = t->pool.p + e->path_at;
    char iso[HK_FILETIME_TEXT_SIZE];
    size_t iso_len = hk_filetime_text(e->time, iso);
    if (fmt == FMT_CSV) {
        cli_buf_add(b, iso, iso_len);
        cli_buf_addc(b, ',');
        cli_buf_u64(b, e->time);
        cli_buf_addc(b, ',');
        add_csv(b, tmp, path, e->path_len);
    } else if (fmt == FMT_BODYFILE) {
        cli_buf_adds(b, "0|\\");
        tmp->len = 0;
        cli_buf_add_text(tmp, path, e->path_len);
        for (size_t i = 0; i < tmp->len; i++) {
            if (tmp->p[i] == '|')
                cli_buf_adds(b, "%7C");
            else
                cli_buf_addc(b, tmp->p[i]);
        }
        cli_buf_adds(b, "|0|0|0|0|0|0|");
        cli_buf_u64(b, unix_seconds(e->time));
        cli_buf_adds(b, "|0|0");
    } else {
        cli_buf_addc(b, '{');
        cli_json_name(b, "path", path, e->path_len);
        cli_buf_addc(b, ',');
        if (e->path_len)
            cli_json_name(b, "name", path + e->path_len - e->name_len, e->name_len);
        else
            cli_json_name(b, "name", t->root_name.p, t->root_name.len);
        cli_buf_adds(b, ",\"last_write\":");
        cli_buf_u64(b, e->time);
        cli_buf_adds(b, ",\"last_write_utc\":\"");
        cli_buf_add(b, iso, iso_len);
        cli_buf_adds(b, "\"}");
    }
    cli_buf_addc(b, '\n');
}

/* The --format value as FMT_*, or -1. */
static int format_of(const char *format)
{
    if (!format || strcmp(format, "csv") == 0)
        return FMT_CSV;
    if (strcmp(format, "bodyfile") == 0)
        return FMT_BODYFILE;
    if (strcmp(format, "jsonl") == 0)
        return FMT_JSONL;
    return -1;
}

int cmd_timeline(int argc, char **argv)
{
    cli_salvage_hint = 1;
    struct cli_hive_args a;
    int rc = cli_parse_hive_args("timeline", timeline_usage, 1, argc, argv, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    int fmt = format_of(a.format);
    if (fmt < 0)
        return cli_usage_error("timeline", "unknown format '%s'", a.format);
    struct timeline t;
    memset(&t, 0, sizeof t);
    t.hive_path = a.hive;
    t.salvage = a.salvage;
    if (cli_open_hive_flags(t.hive_path, a.salvage ? HK_OPEN_SALVAGE : 0, &t.hive) !=
        HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *root = NULL;
    cli_progress_init(&t.progress);
    hk_status st = hk_hive_root(t.hive, &root);
    cli_buf_reserve(&t.pool, 1);
    cli_buf_reserve(&t.path, 1);
    if (st == HK_ERROR_SUCCESS)
        st = cli_key_name(root, &t.root_name);
    if (st == HK_ERROR_SUCCESS)
        st = walk(&t, root, 0);
    cli_progress_done(&t.progress);
    hk_close_key(root);
    if (st != HK_ERROR_SUCCESS) {
        rc = cli_fail(t.hive, t.hive_path, st);
    } else {
        g_pool = t.pool.p;
        qsort(t.v, t.n, sizeof *t.v, cmp_entry);
        struct cli_out out;
        cli_out_init(&out, stdout);
        if (fmt == FMT_CSV)
            cli_buf_adds(&out.buf, "last_write_utc,filetime,path\n");
        struct cli_buf tmp = {0};
        for (size_t i = 0; i < t.n; i++) {
            write_one(&out.buf, &tmp, fmt, &t, &t.v[i]);
            cli_out_step(&out);
        }
        cli_buf_free(&tmp);
        int err = cli_out_close(&out);
        if (err) {
            cli_error("stdout", "write error: %s", strerror(err));
            rc = CLI_EXIT_ERROR;
        }
    }
    free(t.v);
    cli_buf_free(&t.pool);
    cli_buf_free(&t.path);
    cli_buf_free(&t.name);
    cli_buf_free(&t.root_name);
    hk_hive_close(t.hive);
    return rc;
}
