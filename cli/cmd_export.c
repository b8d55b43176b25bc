/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit export HIVE [KEY] --format reg|reg4|json|jsonl [--prefix P]
 * [--encoding E] [-o FILE]: a key tree as a .reg file or JSON (formatted by
 * the library's hk_export) or as JSON lines, depth-first pre-order. The
 * JSON lines are written by export_jsonl.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "keypath.h"
#include "namespace.h"
#include "open_hive.h"
#include "options.h"
#include "export_jsonl.h"

static const char export_usage[] =
    "usage: hivekit export HIVE [KEY] --format reg|reg4|json|jsonl [--prefix P] [--salvage]\n"
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
    "                 success) instead of standard output; '-' is stdout\n"
    "  --salvage      jsonl only: read a damaged hive as far as it goes, skipping\n"
    "                 what is broken with a warning each\n";

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
    int salvage;
};

static int parse(int argc, char **argv, struct export_args *a)
{
    const struct cli_option opts[] = {
        {.l = "format", .name = "--format", .value = &a->format},
        {.l = "prefix", .name = "--prefix", .value = &a->prefix},
        {.l = "encoding", .name = "--encoding", .value = &a->encoding},
        {.l = "salvage", .flag = &a->salvage},
        {.s = "o", .l = "output", .name = "-o", .value = &a->output},
    };
    int rc =
        cli_parse_args("export", export_usage, opts, 5, a->operands, CLI_OP_COUNT, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
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
    if (a->salvage && a->fmt != FORMAT_JSONL)
        return cli_usage_error("export", "--salvage applies to --format jsonl only");
    if (a->prefix && !a->prefix[0])
        return cli_usage_error("export", "--prefix must not be empty");
    return CLI_EXIT_OK;
}

/* jsonl: the path is relative to the root; the name is the key's own (the
 * root's stored name for the root). */
static int jsonl_export(hk_hive *hive, const struct export_args *a, hk_key *key,
                        struct cli_buf *rel, struct sink *sink)
{
    int err;
    hk_status st = cli_export_jsonl(key, rel->p, rel->len, sink->fp,
                                    a->salvage ? a->operands[CLI_OP_HIVE] : NULL, 0, &err);
    if (err)
        cli_error(a->output ? a->output : "stdout", "write error: %s", strerror(err));
    else if (st != HK_ERROR_SUCCESS)
        cli_fail(hive, a->operands[CLI_OP_HIVE], st);
    int rc = sink_close(sink, st == HK_ERROR_SUCCESS && !err);
    return st != HK_ERROR_SUCCESS || err ? CLI_EXIT_ERROR : rc;
}

/* reg, reg4 and json: the library formats, written straight to the sink. */
static int library_export(const struct export_args *a, hk_key *key, struct cli_buf *rel,
                          struct sink *sink)
{
    hk_export_options opts = HK_EXPORT_OPTIONS_INIT;
    opts.format = a->fmt;
    opts.encoding = a->enc;
    opts.prefix = a->prefix;
    opts.key_path = rel->p;
    opts.key_path_len = rel->len;
    hk_status st = hk_export(key, &opts, cli_write_fp, sink->fp);
    if (st != HK_ERROR_SUCCESS) {
        char errmsg[512]; /* the length the messages were always cut to */
        snprintf(errmsg, sizeof errmsg, "%s", hk_errmsg());
        cli_error(a->operands[CLI_OP_HIVE], "%s", errmsg[0] ? errmsg : hk_strerror(st));
    }
    return sink_close(sink, st == HK_ERROR_SUCCESS);
}

int cmd_export(int argc, char **argv)
{
    struct export_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc, argv, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;

    hk_hive *hive = NULL;
    cli_salvage_hint = a.fmt == FORMAT_JSONL;
    hk_key *key = NULL;
    struct cli_buf rel = {0}, full = {0};
    if (cli_ns_active()) {
        /* [ROOT\path] as spelled: the full path is the key lines' prefix */
        if (a.operands[CLI_OP_KEY] && !a.output)
            a.output = a.operands[CLI_OP_KEY];
        else if (a.operands[CLI_OP_KEY])
            return cli_usage_error("export", "one path with a root (HKLM\\...) takes the place of "
                                             "HIVE and KEY");
        rc = cli_ns_open(a.operands[CLI_OP_HIVE], 0, 0, HK_KEY_READ, &key, &full);
        if (rc == CLI_EXIT_OK && !a.prefix) {
            cli_buf_addc(&full, '\0');
            a.prefix = full.p;
        }
        if (rc == CLI_EXIT_OK)
            hive = hk_key_hive(key);
    } else {
        if (cli_open_hive_flags(a.operands[CLI_OP_HIVE], a.salvage ? HK_OPEN_SALVAGE : 0, &hive) !=
            HK_ERROR_SUCCESS)
            return CLI_EXIT_ERROR;
        rc = cli_open_path(hive, a.operands[CLI_OP_KEY], &key, &rel);
    }
    if (rc == CLI_EXIT_OK) {
        struct sink sink;
        rc = sink_open(&sink, a.output);
        if (rc == CLI_EXIT_OK) {
            rc = a.fmt == FORMAT_JSONL ? jsonl_export(hive, &a, key, &rel, &sink)
                                       : library_export(&a, key, &rel, &sink);
        }
    }
    cli_buf_free(&rel);
    cli_buf_free(&full);
    hk_close_key(key);
    if (!cli_ns_active())
        hk_hive_close(hive);
    return rc;
}
