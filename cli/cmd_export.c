/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit export HIVE [KEY] --format reg|reg4|json|jsonl [--prefix P]
 * [--encoding E] [-o FILE]: a key tree as a .reg file or JSON (formatted by
 * the library's hk_export) or as JSON lines, depth-first pre-order. The
 * JSON lines are built here for speed: one walk by index, reused buffers,
 * table-driven hex, one large output buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static const char export_usage[] =
    "usage: hivekit export HIVE [KEY] --format reg|reg4|json|jsonl [--prefix P]\n"
    "                      [--encoding utf-16le|utf-8] [-o FILE]\n"
    "\n"
    "Write KEY (default: the root) and everything below it: a key, its values in\n"
    "stored order, then its subkeys, recursively. Every format is lossless.\n"
    "\n"
    "  --format F     reg: regedit version 5 (UTF-16LE with BOM, CRLF)\n"
    "                 reg4: REGEDIT4 (Windows-1252, CRLF)\n"
    "                 json: one nested JSON document\n"
    "                 jsonl: one JSON object per line\n"
    "  --prefix P     key lines read [P\\path] (default HKEY_LOCAL_MACHINE\\ROOT,\n"
    "                 ROOT being the root key's name)\n"
    "  --encoding E   reg only: utf-16le (the default) or utf-8 (no BOM)\n"
    "  -o, --output FILE\n"
    "                 write to FILE (through a temporary file renamed on\n"
    "                 success) instead of standard output; '-' is stdout\n";

struct export {
    hk_hive *hive;
    struct cli_out out;
    struct cli_buf jpath; /* the current key's path, JSON-escaped */
    struct cli_buf name, data, text, cls;
};

/* ,"data":... for the types that decode; nothing for the others. */
static hk_status add_decoded(struct export *e, uint32_t type)
{
    struct cli_buf *b = &e->out.buf;
    const struct cli_buf *d = &e->data;
    size_t count;
    hk_status st;
    switch (type) {
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ:
        st = cli_decode_string(d->p, d->len, &e->text);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cli_buf_add(b, ",\"data\":", 8);
        cli_json_string(b, e->text.p, e->text.len);
        return HK_ERROR_SUCCESS;
    case HK_REG_MULTI_SZ:
        st = cli_decode_multi_sz(d->p, d->len, &e->text, &count);
        if (st != HK_ERROR_SUCCESS)
            return st;
        cli_buf_add(b, ",\"data\":[", 9);
        for (size_t i = 0, start = 0; i < count; i++) {
            size_t len = strlen(e->text.p + start);
            if (i > 0)
                cli_buf_addc(b, ',');
            cli_json_string(b, e->text.p + start, len);
            start += len + 1;
        }
        cli_buf_addc(b, ']');
        return HK_ERROR_SUCCESS;
    case HK_REG_DWORD:
        if (d->len == 4) {
            cli_buf_add(b, ",\"data\":", 8);
            cli_buf_u64(b, hk_decode_dword(d->p, d->len));
        }
        return HK_ERROR_SUCCESS;
    case HK_REG_QWORD:
        if (d->len == 8) {
            cli_buf_add(b, ",\"data\":", 8);
            cli_buf_u64(b, hk_decode_qword(d->p, d->len));
        }
        return HK_ERROR_SUCCESS;
    default:
        return HK_ERROR_SUCCESS;
    }
}

static hk_status write_value(struct export *e, hk_key *key, uint32_t index)
{
    uint32_t type;
    hk_status st = cli_enum_value(key, index, &e->name, &type, &e->data);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct cli_buf *b = &e->out.buf;
    char scratch[CLI_TYPE_NAME_SIZE];
    cli_buf_reserve(b, 160 + e->jpath.len + 2 * e->data.len);
    cli_buf_add(b, "{\"type\":\"value\",\"path\":\"", 24);
    cli_buf_add(b, e->jpath.p, e->jpath.len);
    cli_buf_add(b, "\",\"name\":", 9);
    cli_json_string(b, e->name.p, e->name.len);
    cli_buf_add(b, ",\"reg_type\":", 12);
    cli_buf_u64(b, type);
    cli_buf_add(b, ",\"type_name\":\"", 14);
    cli_buf_adds(b, cli_type_name(type, scratch));
    cli_buf_add(b, "\",\"size\":", 9);
    cli_buf_u64(b, e->data.len);
    cli_buf_add(b, ",\"data_hex\":\"", 13);
    cli_buf_reserve(b, 2 * e->data.len + 1);
    cli_hex_lower(b->p + b->len, (const uint8_t *)e->data.p, e->data.len);
    b->len += 2 * e->data.len;
    cli_buf_addc(b, '"');
    st = add_decoded(e, type);
    cli_buf_add(b, "}\n", 2);
    cli_out_step(&e->out);
    return st;
}

/* The key line, the values, then each subkey recursively. jname is the
 * key's JSON-escaped name (read before anything is added to e->jpath). */
static hk_status write_key(struct export *e, hk_key *key, const char *jname, size_t jname_len)
{
    hk_key_info ki;
    hk_status st = cli_key_info(key, &e->cls, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct cli_buf *b = &e->out.buf;
    char iso[CLI_ISO_SIZE];
    size_t iso_len = cli_filetime_iso(ki.last_write, iso);
    cli_buf_reserve(b, 200 + e->jpath.len + jname_len);
    cli_buf_add(b, "{\"type\":\"key\",\"path\":\"", 22);
    cli_buf_add(b, e->jpath.p, e->jpath.len);
    cli_buf_add(b, "\",\"name\":\"", 10);
    cli_buf_add(b, jname, jname_len);
    cli_buf_add(b, "\",\"last_write\":", 15);
    cli_buf_u64(b, ki.last_write);
    cli_buf_add(b, ",\"last_write_utc\":\"", 19);
    cli_buf_add(b, iso, iso_len);
    cli_buf_add(b, "\",\"subkeys\":", 12);
    cli_buf_u64(b, ki.subkeys);
    cli_buf_add(b, ",\"values\":", 10);
    cli_buf_u64(b, ki.values);
    if (e->cls.len) {
        cli_buf_add(b, ",\"class\":", 9);
        cli_json_string(b, e->cls.p, e->cls.len);
    }
    cli_buf_add(b, "}\n", 2);
    for (uint32_t i = 0; i < ki.values; i++) {
        st = write_value(e, key, i);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    cli_out_step(&e->out);
    size_t mark = e->jpath.len;
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS)
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = cli_key_name(child, &e->name);
        if (st == HK_ERROR_SUCCESS) {
            if (mark)
                cli_buf_add(&e->jpath, "\\\\", 2);
            size_t at = e->jpath.len;
            cli_json_escape(&e->jpath, e->name.p, e->name.len);
            st = write_key(e, child, e->jpath.p + at, e->jpath.len - at);
            e->jpath.len = mark;
        }
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
}

/* Where the lines go: stdout, a device or FIFO written directly, or a
 * temporary file beside the target renamed over it at the end. */
struct sink {
    const char *target; /* NULL: stdout */
    char *tmp;          /* the temporary file's name, when there is one */
    FILE *fp;
};

static int sink_open(struct sink *s, const char *target)
{
    memset(s, 0, sizeof *s);
    if (!target || strcmp(target, "-") == 0) {
        s->fp = stdout;
        return CLI_EXIT_OK;
    }
    s->target = target;
    struct stat sb;
    if (stat(target, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* /dev/null, a FIFO...: renaming over it would replace it. */
        s->fp = fopen(target, "w");
        if (!s->fp) {
            cli_error(target, "cannot open: %s", strerror(errno));
            return CLI_EXIT_ERROR;
        }
        return CLI_EXIT_OK;
    }
    size_t n = strlen(target) + sizeof ".tmp-XXXXXX";
    s->tmp = malloc(n);
    if (!s->tmp) {
        cli_error(target, "out of memory");
        return CLI_EXIT_ERROR;
    }
    snprintf(s->tmp, n, "%s.tmp-XXXXXX", target);
    int fd = mkstemp(s->tmp);
    if (fd < 0) {
        cli_error(target, "cannot create a temporary file beside it: %s", strerror(errno));
        free(s->tmp);
        s->tmp = NULL;
        return CLI_EXIT_ERROR;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, (mode_t)(0666 & ~mask)) != 0 || !(s->fp = fdopen(fd, "wb"))) {
        cli_error(s->tmp, "%s", strerror(errno));
        close(fd);
        unlink(s->tmp);
        free(s->tmp);
        s->tmp = NULL;
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

/* Finishes the sink: on success makes the output final; on failure (or if
 * finishing fails) removes the temporary file. Returns the exit status. */
static int sink_close(struct sink *s, int ok)
{
    const char *what = s->target ? s->target : "stdout";
    int err = 0;
    if (ok && fflush(s->fp) != 0)
        err = errno;
    if (ok && !err && s->tmp && fsync(fileno(s->fp)) != 0)
        err = errno;
    if (s->fp != stdout && fclose(s->fp) != 0 && ok && !err)
        err = errno;
    if (ok && !err && s->tmp && rename(s->tmp, s->target) != 0)
        err = errno;
    if (err)
        cli_error(what, "write error: %s", strerror(err));
    if (s->tmp && (!ok || err))
        unlink(s->tmp);
    free(s->tmp);
    s->tmp = NULL;
    return ok && !err ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}

enum { FORMAT_JSONL = 100 };

static int format_of(const char *name, uint32_t *fmt)
{
    static const struct {
        const char *name;
        uint32_t fmt;
    } formats[] = {{"reg", HK_FORMAT_REG}, {"reg4", HK_FORMAT_REG4}, {"json", HK_FORMAT_JSON},
                   {"jsonl", FORMAT_JSONL}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *fmt = formats[i].fmt;
            return 1;
        }
    return 0;
}

struct export_args {
    const char *operands[CLI_OP_COUNT];
    const char *format, *output, *prefix, *encoding;
    uint32_t fmt, enc;
};

static int parse(int argc, char **argv, struct export_args *a)
{
    int only_args = 0;
    for (int i = 1; i < argc;) {
        const char *val = NULL;
        const char *arg = argv[i];
        int m = 0;
        if (!only_args && strcmp(arg, "--") == 0) {
            only_args = 1;
            i++;
        } else if (!only_args && (m = cli_opt("export", argc, argv, &i, "h", "help", 0, NULL)) != 0) {
            if (m < 0)
                return CLI_EXIT_ERROR;
            fputs(export_usage, stdout);
            return -1;
        } else if (!only_args && (m = cli_opt("export", argc, argv, &i, NULL, "format", 1, &val)) != 0) {
            if (m < 0 || cli_set_once("export", "--format", &a->format, val) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
        } else if (!only_args && (m = cli_opt("export", argc, argv, &i, NULL, "prefix", 1, &val)) != 0) {
            if (m < 0 || cli_set_once("export", "--prefix", &a->prefix, val) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
        } else if (!only_args && (m = cli_opt("export", argc, argv, &i, NULL, "encoding", 1, &val)) != 0) {
            if (m < 0 || cli_set_once("export", "--encoding", &a->encoding, val) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
        } else if (!only_args && (m = cli_opt("export", argc, argv, &i, "o", "output", 1, &val)) != 0) {
            if (m < 0 || cli_set_once("export", "-o", &a->output, val) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
        } else {
            if (cli_operand("export", arg, only_args, a->operands, CLI_OP_COUNT) != CLI_EXIT_OK)
                return CLI_EXIT_ERROR;
            i++;
        }
    }
    if (!a->operands[CLI_OP_HIVE])
        return cli_usage_error("export", "missing HIVE");
    if (!a->format)
        return cli_usage_error("export", "missing --format (reg, reg4, json or jsonl)");
    if (!format_of(a->format, &a->fmt))
        return cli_usage_error("export", "unknown format '%s'", a->format);
    if (a->encoding && a->fmt != HK_FORMAT_REG)
        return cli_usage_error("export", "--encoding applies to --format reg only");
    if (a->encoding && strcmp(a->encoding, "utf-16le") == 0)
        a->enc = HK_ENCODING_UTF16LE;
    else if (a->encoding && strcmp(a->encoding, "utf-8") == 0)
        a->enc = HK_ENCODING_UTF8;
    else if (a->encoding)
        return cli_usage_error("export", "unknown encoding '%s' (utf-16le or utf-8)", a->encoding);
    if (a->prefix && (a->fmt == FORMAT_JSONL || a->fmt == HK_FORMAT_JSON))
        return cli_usage_error("export", "--prefix applies to the reg formats only");
    if (a->prefix && !a->prefix[0])
        return cli_usage_error("export", "--prefix must not be empty");
    return CLI_EXIT_OK;
}

/* jsonl: the path is relative to the root; the name is the key's own (the
 * root's stored name for the root). */
static int jsonl_export(struct export *e, const struct export_args *a, hk_key *key,
                        const struct cli_buf *rel, struct sink *sink)
{
    struct cli_buf jname = {0};
    cli_json_escape(&e->jpath, rel->p, rel->len);
    hk_status st = cli_key_name(key, &e->name);
    if (st == HK_ERROR_SUCCESS)
        cli_json_escape(&jname, e->name.p, e->name.len);
    cli_out_init(&e->out, sink->fp);
    if (st == HK_ERROR_SUCCESS)
        st = write_key(e, key, jname.p, jname.len);
    cli_buf_free(&jname);
    int err = cli_out_close(&e->out);
    if (st != HK_ERROR_SUCCESS)
        cli_fail(e->hive, a->operands[CLI_OP_HIVE], st);
    else if (err)
        cli_error(a->output ? a->output : "stdout", "write error: %s", strerror(err));
    int rc = sink_close(sink, st == HK_ERROR_SUCCESS && !err);
    return st != HK_ERROR_SUCCESS || err ? CLI_EXIT_ERROR : rc;
}

/* reg, reg4 and json: the library formats, written straight to the sink. */
static int library_export(const struct export_args *a, hk_key *key, struct cli_buf *rel,
                          struct sink *sink)
{
    char errmsg[512] = "";
    cli_buf_addc(rel, '\0');
    hk_export_options opts = {a->fmt, a->enc, a->prefix, rel->p, errmsg, sizeof errmsg};
    hk_status st = hk_export(key, &opts, cli_write_fp, sink->fp);
    if (st != HK_ERROR_SUCCESS)
        cli_error(a->operands[CLI_OP_HIVE], "%s", errmsg[0] ? errmsg : hk_strerror(st));
    return sink_close(sink, st == HK_ERROR_SUCCESS);
}

int cmd_export(int argc, char **argv)
{
    struct export_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;

    struct export e;
    memset(&e, 0, sizeof e);
    if (cli_open_hive(a.operands[CLI_OP_HIVE], &e.hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *key = NULL;
    struct cli_buf rel = {0};
    rc = cli_open_path(e.hive, a.operands[CLI_OP_KEY], &key, &rel);
    if (rc == CLI_EXIT_OK) {
        struct sink sink;
        rc = sink_open(&sink, a.output);
        if (rc == CLI_EXIT_OK) {
            rc = a.fmt == FORMAT_JSONL ? jsonl_export(&e, &a, key, &rel, &sink)
                                       : library_export(&a, key, &rel, &sink);
        }
    }
    cli_buf_free(&rel);
    cli_buf_free(&e.jpath);
    cli_buf_free(&e.name);
    cli_buf_free(&e.data);
    cli_buf_free(&e.text);
    cli_buf_free(&e.cls);
    hk_close_key(key);
    hk_hive_close(e.hive);
    return rc;
}
