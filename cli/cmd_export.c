/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit export HIVE [KEY] --format jsonl [-o FILE]: a key tree as JSON
 * lines, depth-first pre-order (written by export_jsonl.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "export_jsonl.h"

static const char export_usage[] =
    "usage: hivekit export HIVE [KEY] --format jsonl [-o FILE]\n"
    "\n"
    "Write KEY (default: the root) and everything below it, one JSON object per\n"
    "line: a key, its values in stored order, then its subkeys, recursively.\n"
    "\n"
    "  --format F     jsonl (reg, reg4 and json are not supported yet)\n"
    "  -o, --output FILE\n"
    "                 write to FILE (through a temporary file renamed on\n"
    "                 success) instead of standard output; '-' is stdout\n";

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

struct export_args {
    const char *operands[CLI_OP_COUNT];
    const char *format, *output;
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
        return cli_usage_error("export", "missing --format (jsonl)");
    if (strcmp(a->format, "reg") == 0 || strcmp(a->format, "reg4") == 0 ||
        strcmp(a->format, "json") == 0) {
        cli_error("export", "unsupported format '%s' (only jsonl so far)", a->format);
        return CLI_EXIT_ERROR;
    }
    if (strcmp(a->format, "jsonl") != 0)
        return cli_usage_error("export", "unknown format '%s'", a->format);
    return CLI_EXIT_OK;
}

int cmd_export(int argc, char **argv)
{
    struct export_args a = {{NULL}, NULL, NULL};
    int rc = parse(argc, argv, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;

    hk_hive *hive;
    if (cli_open_hive(a.operands[CLI_OP_HIVE], &hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_key *key = NULL;
    struct cli_buf rel = {0};
    rc = cli_open_path(hive, a.operands[CLI_OP_KEY], &key, &rel);
    if (rc == CLI_EXIT_OK) {
        struct sink sink;
        rc = sink_open(&sink, a.output);
        if (rc == CLI_EXIT_OK) {
            /* The path is relative to the root; the name is the key's own
             * (the root's stored name for the root). */
            int err;
            hk_status st = cli_export_jsonl(key, rel.p, rel.len, sink.fp, &err);
            if (st != HK_ERROR_SUCCESS)
                cli_fail(hive, a.operands[CLI_OP_HIVE], st);
            else if (err)
                cli_error(a.output ? a.output : "stdout", "write error: %s", strerror(err));
            rc = sink_close(&sink, st == HK_ERROR_SUCCESS && !err);
            if (st != HK_ERROR_SUCCESS || err)
                rc = CLI_EXIT_ERROR;
        }
    }
    cli_buf_free(&rel);
    hk_close_key(key);
    hk_hive_close(hive);
    return rc;
}
