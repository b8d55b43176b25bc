/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit deleted HIVE [--format text|jsonl] [--salvage]: keys and values
 * left in unallocated space, in offset order. */
#include <stdio.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "open_hive.h"
#include "options.h"
#include "output.h"

static const char deleted_usage[] =
    "usage: hivekit deleted HIVE [--format text|jsonl] [--salvage]\n"
    "\n"
    "List the deleted keys and values still in free cells, in the slack of\n"
    "allocated cells, in allocated cells no key reaches, and in the remnant\n"
    "data after the last hive bin, in offset order, with their paths as far up\n"
    "as live or deleted parents lead, and value data where its cell was not\n"
    "reused.\n"
    "\n"
    "  --format F     text (default) or jsonl\n"
    "  --salvage      read a damaged hive as far as it goes\n";

struct deleted {
    struct cli_out out;
    int jsonl;
    hk_status st; /* a failure of the line writer (out of memory) */
};

/* " [orphan] [copies N] [partial: path,values]" for what applies. */
static void add_completeness_text(struct cli_buf *b, const hk_deleted_record *r)
{
    char tmp[32];
    if (r->orphan)
        cli_buf_adds(b, " [orphan]");
    if (r->copies > 1)
        cli_buf_add(b, tmp, (size_t)snprintf(tmp, sizeof tmp, " [copies %u]", r->copies));
    if (!r->missing)
        return;
    cli_buf_adds(b, " [partial:");
    for (uint32_t bit = 1, n = 0; bit <= HK_DELETED_MISSING_VALUES; bit <<= 1)
        if (r->missing & bit) {
            cli_buf_addc(b, n++ ? ',' : ' ');
            cli_buf_adds(b, hk_deleted_missing_name(bit));
        }
    cli_buf_addc(b, ']');
}

static void add_hex(struct cli_buf *b, const uint8_t *data, size_t n)
{
    cli_buf_reserve(b, 2 * n);
    cli_hex_lower(b->p + b->len, data, n);
    b->len += 2 * n;
}

static void add_hex32(struct cli_buf *b, uint32_t v)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, "0x%x", v);
    cli_buf_add(b, tmp, (size_t)n);
}

/* key   0x230 free 2017-03-15T10:15:44.2220352Z 456
 * value 0x2c8 free 456 : "v" REG_SZ 14 310032...
 * A path that does not reach the root starts with "?\"; a value of an
 * unknown key has the path "?". Then, where they apply, " [orphan]",
 * " [copies N]" and " [partial: path,key,data,values]". */
static void write_text(struct cli_buf *b, const hk_deleted_record *r)
{
    char scratch[CLI_TYPE_NAME_SIZE], iso[HK_FILETIME_TEXT_SIZE];
    int key = r->kind == HK_DELETED_KEY;
    cli_buf_adds(b, key ? "key   " : "value ");
    add_hex32(b, r->offset);
    cli_buf_addc(b, ' ');
    cli_buf_adds(b, hk_deleted_where_name(r->where));
    cli_buf_addc(b, ' ');
    if (key) {
        cli_buf_add(b, iso, hk_filetime_text(r->last_write, iso));
        cli_buf_addc(b, ' ');
    }
    if (!r->path_complete)
        cli_buf_adds(b, r->path_len ? "?\\" : "?");
    cli_buf_add_text(b, r->path, r->path_len);
    if (!key) {
        cli_buf_adds(b, " : ");
        cli_json_string(b, r->name, r->name_len);
        cli_buf_addc(b, ' ');
        cli_buf_adds(b, cli_type_name(r->reg_type, scratch));
        cli_buf_addc(b, ' ');
        cli_buf_u64(b, r->data_size);
        cli_buf_addc(b, ' ');
        if (r->data)
            add_hex(b, r->data, r->data_size);
        else
            cli_buf_adds(b, r->data_state == HK_DELETED_DATA_REUSED ? "(data reused)"
                                                                    : "(data unavailable)");
    }
    add_completeness_text(b, r);
    cli_buf_addc(b, '\n');
}

/* An hk_write_fn appending to the output buffer. */
static int add_line(void *ctx, const void *data, size_t size)
{
    cli_buf_add(ctx, data, size);
    return 0;
}

static int on_record(const hk_deleted_record *r, void *ctx)
{
    struct deleted *d = ctx;
    if (d->jsonl) {
        hk_status st = hk_deleted_record_jsonl(r, add_line, &d->out.buf);
        if (st != HK_ERROR_SUCCESS) {
            d->st = st;
            return 1;
        }
    } else {
        write_text(&d->out.buf, r);
    }
    cli_out_step(&d->out);
    return 0;
}

int cmd_deleted(int argc, char **argv)
{
    cli_salvage_hint = 1;
    struct cli_hive_args a;
    int rc = cli_parse_hive_args("deleted", deleted_usage, 1, argc, argv, &a);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (a.format && strcmp(a.format, "text") != 0 && strcmp(a.format, "jsonl") != 0)
        return cli_usage_error("deleted", "unknown format '%s'", a.format);
    hk_hive *hive;
    if (cli_open_hive_flags(a.hive, a.salvage ? HK_OPEN_SALVAGE : 0, &hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    struct deleted d;
    memset(&d, 0, sizeof d);
    d.jsonl = a.format && strcmp(a.format, "jsonl") == 0;
    cli_out_init(&d.out, stdout);
    hk_status st = hk_deleted_scan(hive, on_record, &d);
    if (d.st != HK_ERROR_SUCCESS)
        st = d.st;
    int err = cli_out_close(&d.out);
    if (st != HK_ERROR_SUCCESS)
        rc = cli_fail(hive, a.hive, st);
    else if (err) {
        cli_error("stdout", "write error: %s", strerror(err));
        rc = CLI_EXIT_ERROR;
    }
    hk_hive_close(hive);
    return rc;
}
