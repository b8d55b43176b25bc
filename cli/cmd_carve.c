/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit carve IMAGE [--out DIR] [--format text|jsonl] [--memory]: hives and
 * hive fragments in a raw disk or memory image, one find a line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "options.h"

static const char carve_usage[] =
    "usage: hivekit carve IMAGE [--out DIR] [--format text|jsonl] [--memory]\n"
    "\n"
    "Find registry hives in a raw image: whole or truncated hives at 512-byte\n"
    "sectors, fragments (runs of hive bins without a base block), hives in\n"
    "NTFS-compressed files (decompressed); with --memory, hive bins at any byte\n"
    "offset of a memory image. One line per find, in image order.\n"
    "\n"
    "  --out DIR      write each hive found to DIR (a truncated one opens with\n"
    "                 --salvage), and each fragmented hive reassembled from its\n"
    "                 pieces where they fit\n"
    "  --format F     text (default) or jsonl\n"
    "  --memory       the image is of memory, not of a disk\n";

struct carve {
    struct cli_out out;
    int jsonl;
    const char *image;
    const char *dir;
    int tty;
    int failed;
};

static const char *type_name(uint32_t type)
{
    switch (type) {
    case HK_CARVE_HIVE:
        return "hive";
    case HK_CARVE_FRAGMENT:
        return "fragment";
    case HK_CARVE_LOG:
        return "log";
    default:
        return "reassembled";
    }
}

static void field(struct cli_buf *b, const char *name, uint64_t v)
{
    cli_buf_adds(b, ",\"");
    cli_buf_adds(b, name);
    cli_buf_adds(b, "\":");
    cli_buf_u64(b, v);
}

/* {"type":..,"offset":..,"size":..,"hbins_data_size":..,"truncated":..,
 *  "hbin_start":..,"compressed":..}, the fields that apply. */
static void write_jsonl(struct cli_buf *b, const hk_carve_record *r)
{
    cli_buf_adds(b, "{\"type\":\"");
    cli_buf_adds(b, type_name(r->type));
    cli_buf_addc(b, '"');
    field(b, "offset", r->offset);
    field(b, "size", r->size);
    if (r->type == HK_CARVE_HIVE) {
        field(b, "hbins_data_size", r->hbins_data_size);
        cli_buf_adds(b, r->truncated ? ",\"truncated\":true" : ",\"truncated\":false");
    } else if (r->type == HK_CARVE_LOG) {
        field(b, "log_entries", r->log_entries);
    } else {
        field(b, "hbin_start", r->hbin_start);
    }
    cli_buf_adds(b, r->compressed ? ",\"compressed\":true}\n" : ",\"compressed\":false}\n");
}

static void add_hex64(struct cli_buf *b, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "0x%llx", (unsigned long long)v);
    cli_buf_add(b, tmp, (size_t)n);
}

/* hive     0x200 147456 bins 143360 [truncated] [compressed]
 * fragment 0x0 512 hbin_start 0x0 [compressed]
 * log      0x200 40448 entries 3
 * reassembled 0x16000 147456 from 0x16000 0x2000 */
static void write_text(struct cli_buf *b, const hk_carve_record *r)
{
    static const char pad[] = "         ";
    const char *name = type_name(r->type);
    size_t n = strlen(name);
    cli_buf_adds(b, name);
    cli_buf_add(b, pad, n < 9 ? 9 - n : 1);
    add_hex64(b, r->offset);
    cli_buf_addc(b, ' ');
    cli_buf_u64(b, r->size);
    if (r->type == HK_CARVE_FRAGMENT) {
        cli_buf_adds(b, " hbin_start ");
        add_hex64(b, r->hbin_start);
    } else if (r->type == HK_CARVE_HIVE) {
        cli_buf_adds(b, " bins ");
        cli_buf_u64(b, r->hbins_data_size);
        if (r->truncated)
            cli_buf_adds(b, " truncated");
    } else if (r->type == HK_CARVE_LOG) {
        cli_buf_adds(b, " entries ");
        cli_buf_u64(b, r->log_entries);
    } else {
        cli_buf_adds(b, " from");
        for (uint32_t i = 0; i < r->n_pieces; i++) {
            cli_buf_addc(b, ' ');
            add_hex64(b, r->pieces[i]);
        }
    }
    if (r->compressed)
        cli_buf_adds(b, " compressed");
    cli_buf_addc(b, '\n');
}

/* DIR/hive-OFFSET[-truncated|-reassembled][-ntfs].hive */
static void save(struct carve *c, const hk_carve_record *r)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/hive-%llu%s%s.hive", c->dir, (unsigned long long)r->offset,
             r->type == HK_CARVE_REASSEMBLED ? "-reassembled" : r->truncated ? "-truncated" : "",
             r->compressed ? "-ntfs" : "");
    FILE *fp = fopen(path, "wb");
    int ok = fp && fwrite(r->data, 1, (size_t)r->size, fp) == r->size;
    int err = errno;
    if (fp && fclose(fp) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        cli_error(path, "cannot write: %s", strerror(err));
        c->failed = 1;
        return;
    }
    fprintf(stderr, "hivekit: %s: wrote %s\n", c->image, path);
}

static int on_find(const hk_carve_record *r, void *ctx)
{
    struct carve *c = ctx;
    if (c->tty)
        fputs("\r\033[K", stderr);
    if (r->type != HK_CARVE_REASSEMBLED || !c->jsonl) {
        if (c->jsonl)
            write_jsonl(&c->out.buf, r);
        else
            write_text(&c->out.buf, r);
        cli_out_step(&c->out);
    }
    if (c->dir && (r->type == HK_CARVE_HIVE || r->type == HK_CARVE_REASSEMBLED) && r->data)
        save(c, r);
    return c->failed;
}

static void on_progress(uint64_t done, uint64_t total, void *ctx)
{
    struct carve *c = ctx;
    if (!c->tty || total == 0)
        return;
    fprintf(stderr, "\r\033[Kcarving %s: %llu%% (%llu of %llu MiB)", c->image,
            (unsigned long long)(done * 100 / total), (unsigned long long)(done >> 20),
            (unsigned long long)(total >> 20));
    if (done == total)
        fputs("\r\033[K", stderr);
}

int cmd_carve(int argc, char **argv)
{
    const char *ops[1] = {NULL}, *format = NULL, *dir = NULL;
    int memory = 0;
    const struct cli_option opts[] = {
        {.l = "out", .name = "--out", .value = &dir},
        {.l = "format", .name = "--format", .value = &format},
        {.l = "memory", .flag = &memory},
    };
    int rc = cli_parse_args("carve", carve_usage, opts, 3, ops, 1, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!ops[0])
        return cli_usage_error("carve", "missing IMAGE");
    if (format && strcmp(format, "text") != 0 && strcmp(format, "jsonl") != 0)
        return cli_usage_error("carve", "unknown format '%s'", format);
    if (dir && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cli_error(dir, "cannot create: %s", strerror(errno));
        return CLI_EXIT_ERROR;
    }
    struct carve c;
    memset(&c, 0, sizeof c);
    c.jsonl = format && strcmp(format, "jsonl") == 0;
    c.image = ops[0];
    c.dir = dir;
    c.tty = isatty(STDERR_FILENO);
    cli_out_init(&c.out, stdout);
    char msg[512] = "";
    hk_carve_options o = HK_CARVE_OPTIONS_INIT;
    o.flags = (memory ? HK_CARVE_MEMORY : 0u) | (dir ? HK_CARVE_DATA | HK_CARVE_REASSEMBLE : 0u);
    o.progress = on_progress;
    hk_status st = hk_carve_file(c.image, &o, on_find, &c);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    int err = cli_out_close(&c.out);
    rc = CLI_EXIT_OK;
    if (st != HK_ERROR_SUCCESS && !(st == HK_ERROR_CANCELLED && c.failed)) {
        cli_error(c.image, "%s", msg[0] ? msg : hk_strerror(st));
        rc = CLI_EXIT_ERROR;
    } else if (err) {
        cli_error("stdout", "write error: %s", strerror(err));
        rc = CLI_EXIT_ERROR;
    } else if (c.failed) {
        rc = CLI_EXIT_ERROR;
    }
    return rc;
}
