/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit info HIVE [--json] [--salvage]: the base block's facts and the tree's size. */
#include <stdio.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "hive_read.h"
#include "open_hive.h"
#include "options.h"
#include "output.h"
#include "salvage.h"

static const char info_usage[] =
    "usage: hivekit info HIVE [--json] [--salvage]\n"
    "\n"
    "Print the hive's format version, state (clean or dirty, with both sequence\n"
    "numbers), checksum, root key name, number of keys (the root included) and\n"
    "values, base block time, hive bins size and count, file size and the base\n"
    "block's file name; then one line per transaction log found beside the hive\n"
    "(or given with --log): applied or not, and why. A dirty hive is shown as\n"
    "replayed in memory from its logs (--no-logs: as the file is).\n"
    "\n"
    "  --json     one JSON object instead of text\n"
    "  --salvage  read a damaged hive as far as it goes: skip what is broken\n"
    "             with a warning each\n";

struct tree_count {
    uint64_t keys, values;
    hk_hive *salvage_hive; /* --salvage: skip broken subkeys with a warning */
    const char *path;
};

/* Counts key and everything below it, walking by index. */
static hk_status count_tree(hk_key *key, struct tree_count *c)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(key, NULL, NULL, &ki);
    if (st != HK_ERROR_SUCCESS)
        return st;
    c->keys++;
    c->values += ki.values;
    struct cli_salvage sv = {c->path, ""};
    for (uint32_t i = 0;; i++) {
        hk_key *child;
        st = hk_open_subkey_at(key, i, HK_KEY_READ, &child);
        if (st == HK_ERROR_NO_MORE_ITEMS || (c->salvage_hive && i >= ki.subkeys))
            return HK_ERROR_SUCCESS;
        if (st != HK_ERROR_SUCCESS && c->salvage_hive && st != HK_ERROR_NOT_ENOUGH_MEMORY) {
            if (!cli_salvage_skip(&sv, "", 0, i, st))
                return HK_ERROR_SUCCESS;
            continue;
        }
        if (st != HK_ERROR_SUCCESS)
            return st;
        st = count_tree(child, c);
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
}

static void put_text(struct cli_buf *b, const char *label, const char *s, size_t n)
{
    cli_buf_adds(b, label);
    cli_buf_add_text(b, s, n);
    cli_buf_addc(b, '\n');
}

static void put_num(struct cli_buf *b, const char *label, uint64_t v, const char *unit)
{
    cli_buf_adds(b, label);
    cli_buf_u64(b, v);
    cli_buf_adds(b, unit);
    cli_buf_addc(b, '\n');
}

enum { MAX_LOGS = 8 };

struct log_list {
    hk_log_info info[MAX_LOGS];
    uint32_t n;
};

static const char *format_name(uint32_t format)
{
    return format == HK_LOG_FORMAT_NEW ? "new" : format == HK_LOG_FORMAT_OLD ? "old" : "unknown";
}

static void put_logs_text(struct cli_buf *b, const struct log_list *logs)
{
    char line[160];
    for (uint32_t i = 0; i < logs->n; i++) {
        const hk_log_info *li = &logs->info[i];
        cli_buf_adds(b, "log:           ");
        cli_buf_adds(b, li->path);
        if (li->applied) {
            snprintf(line, sizeof line, ": applied, %s format, sequence %u, %u entr%s, %u dirty "
                     "page%s", format_name(li->format), li->sequence, li->entries,
                     li->entries == 1 ? "y" : "ies", li->pages, li->pages == 1 ? "" : "s");
            cli_buf_adds(b, line);
            if (li->note[0]) {
                cli_buf_adds(b, "; replay ended at ");
                cli_buf_adds(b, li->note);
            }
        } else {
            cli_buf_adds(b, ": not applied (");
            cli_buf_adds(b, li->note[0] ? li->note : "no valid log entry");
            cli_buf_addc(b, ')');
        }
        cli_buf_addc(b, '\n');
    }
}

static void format_text(struct cli_buf *b, const char *path, const hk_hive_info *hi,
                        const struct cli_buf *root, const struct tree_count *c,
                        const struct log_list *logs)
{
    char line[160], iso[HK_FILETIME_TEXT_SIZE];
    put_text(b, "file:          ", path, strlen(path));
    snprintf(line, sizeof line, "%u.%u", hi->major_version, hi->minor_version);
    put_text(b, "version:       ", line, strlen(line));
    if (hi->logs_replayed)
        snprintf(line, sizeof line, "dirty, replayed in memory from %u log%s (now sequence %u = %u)",
                 hi->logs_replayed, hi->logs_replayed == 1 ? "" : "s", hi->primary_sequence,
                 hi->secondary_sequence);
    else
        snprintf(line, sizeof line, "%s (sequence %u %s %u%s)", hi->dirty ? "dirty" : "clean",
                 hi->primary_sequence,
                 hi->primary_sequence == hi->secondary_sequence ? "=" : "!=",
                 hi->secondary_sequence, hi->dirty && !hi->checksum_ok ? ", bad checksum" : "");
    put_text(b, "state:         ", line, strlen(line));
    if (hi->checksum_ok)
        snprintf(line, sizeof line, "ok (0x%08x)", hi->checksum_stored);
    else
        snprintf(line, sizeof line, "bad (stored 0x%08x, computed 0x%08x)", hi->checksum_stored,
                 hi->checksum_computed);
    put_text(b, "checksum:      ", line, strlen(line));
    put_text(b, "root key:      ", root->p, root->len);
    put_num(b, "keys:          ", c->keys, "");
    put_num(b, "values:        ", c->values, "");
    size_t n = hk_filetime_text(hi->last_written, iso);
    cli_buf_adds(b, "last written:  ");
    cli_buf_add(b, iso, n);
    cli_buf_adds(b, " (FILETIME ");
    cli_buf_u64(b, hi->last_written);
    cli_buf_adds(b, ")\n");
    put_num(b, "bins size:     ", hi->bins_size, " bytes");
    put_num(b, "bins:          ", hi->bin_count, "");
    put_num(b, "file size:     ", hi->file_size, " bytes");
    put_text(b, "file name:     ", hi->file_name, strlen(hi->file_name));
    put_logs_text(b, logs);
}

static void json_str_field(struct cli_buf *b, const char *key, const char *s, size_t n)
{
    cli_buf_adds(b, key);
    cli_json_string(b, s, n);
}

static void json_num_field(struct cli_buf *b, const char *key, uint64_t v)
{
    cli_buf_adds(b, key);
    cli_buf_u64(b, v);
}

static void put_logs_json(struct cli_buf *b, const struct log_list *logs)
{
    cli_buf_adds(b, ",\"logs\":[");
    for (uint32_t i = 0; i < logs->n; i++) {
        const hk_log_info *li = &logs->info[i];
        json_str_field(b, i ? ",{\"path\":" : "{\"path\":", li->path, strlen(li->path));
        cli_buf_adds(b, li->applied ? ",\"applied\":true" : ",\"applied\":false");
        const char *f = format_name(li->format);
        json_str_field(b, ",\"format\":", f, strlen(f));
        json_num_field(b, ",\"sequence\":", li->sequence);
        json_num_field(b, ",\"entries\":", li->entries);
        json_num_field(b, ",\"pages\":", li->pages);
        json_str_field(b, ",\"note\":", li->note, strlen(li->note));
        cli_buf_addc(b, '}');
    }
    cli_buf_addc(b, ']');
}

static void format_json(struct cli_buf *b, const char *path, const hk_hive_info *hi,
                        const struct cli_buf *root, const struct tree_count *c,
                        const struct log_list *logs)
{
    char version[32], iso[HK_FILETIME_TEXT_SIZE];
    snprintf(version, sizeof version, "%u.%u", hi->major_version, hi->minor_version);
    json_str_field(b, "{\"file\":", path, strlen(path));
    json_str_field(b, ",\"version\":", version, strlen(version));
    json_num_field(b, ",\"major_version\":", hi->major_version);
    json_num_field(b, ",\"minor_version\":", hi->minor_version);
    cli_buf_adds(b, hi->dirty ? ",\"state\":\"dirty\"" : ",\"state\":\"clean\"");
    json_num_field(b, ",\"primary_sequence\":", hi->primary_sequence);
    json_num_field(b, ",\"secondary_sequence\":", hi->secondary_sequence);
    cli_buf_adds(b, hi->checksum_ok ? ",\"checksum\":\"ok\"" : ",\"checksum\":\"bad\"");
    json_num_field(b, ",\"checksum_stored\":", hi->checksum_stored);
    json_num_field(b, ",\"checksum_computed\":", hi->checksum_computed);
    json_str_field(b, ",\"root_key\":", root->p, root->len);
    json_num_field(b, ",\"keys\":", c->keys);
    json_num_field(b, ",\"values\":", c->values);
    json_num_field(b, ",\"last_written\":", hi->last_written);
    size_t n = hk_filetime_text(hi->last_written, iso);
    json_str_field(b, ",\"last_written_utc\":", iso, n);
    json_num_field(b, ",\"bins_size\":", hi->bins_size);
    json_num_field(b, ",\"bin_count\":", hi->bin_count);
    json_num_field(b, ",\"file_size\":", hi->file_size);
    json_str_field(b, ",\"file_name\":", hi->file_name, strlen(hi->file_name));
    cli_buf_adds(b, hi->dirty_at_open ? ",\"dirty_at_open\":true" : ",\"dirty_at_open\":false");
    json_num_field(b, ",\"logs_replayed\":", hi->logs_replayed);
    json_num_field(b, ",\"log_entries\":", hi->log_entries);
    put_logs_json(b, logs);
    cli_buf_adds(b, "}\n");
}

int cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    int json = 0, salvage = 0;
    const struct cli_option opts[] = {{.l = "json", .flag = &json},
                                      {.l = "salvage", .flag = &salvage}};
    int rc = cli_parse_args("info", info_usage, opts, 2, &path, 1, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!path)
        return cli_usage_error("info", "missing HIVE");

    hk_hive *hive;
    cli_salvage_hint = 1;
    if (cli_open_hive_flags(path, salvage ? HK_OPEN_SALVAGE : 0, &hive) != HK_ERROR_SUCCESS)
        return CLI_EXIT_ERROR;
    hk_hive_info hi = HK_HIVE_INFO_INIT;
    struct tree_count count = {0, 0, salvage ? hive : NULL, path};
    struct cli_buf root_name = {0};
    hk_key *root = NULL;
    struct log_list logs;
    logs.n = 0;
    hk_status st = hk_hive_info_get(hive, &hi);
    while (st == HK_ERROR_SUCCESS && logs.n < hi.logs_found && logs.n < MAX_LOGS) {
        logs.info[logs.n] = (hk_log_info)HK_LOG_INFO_INIT;
        st = hk_hive_log_info(hive, logs.n, &logs.info[logs.n]);
        logs.n++;
    }
    if (st == HK_ERROR_SUCCESS)
        st = hk_hive_root(hive, &root);
    if (st == HK_ERROR_SUCCESS)
        st = cli_key_name(root, &root_name);
    if (st == HK_ERROR_SUCCESS)
        st = count_tree(root, &count);
    rc = CLI_EXIT_OK;
    if (st != HK_ERROR_SUCCESS) {
        rc = cli_fail(hive, path, st);
    } else {
        struct cli_out out;
        cli_out_init(&out, stdout);
        if (json)
            format_json(&out.buf, path, &hi, &root_name, &count, &logs);
        else
            format_text(&out.buf, path, &hi, &root_name, &count, &logs);
        int err = cli_out_close(&out);
        if (err) {
            cli_error("stdout", "write error: %s", strerror(err));
            rc = CLI_EXIT_ERROR;
        }
    }
    cli_buf_free(&root_name);
    hk_close_key(root);
    hk_hive_close(hive);
    return rc;
}
