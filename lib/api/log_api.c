/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction logs through the API: the open hook, what became of each log,
 * and writing a recovered hive (api layer). */
#include <stdio.h>
#include <string.h>

#include "api/abi.h"
#include "api/handle.h"
#include "base/filewrite.h"
#include "record/nk.h"

static hk_status check_opts(const hk_open_options *opts, struct diag *d)
{
    if (opts && (opts->flags & HK_OPEN_NO_LOGS) && opts->n_log_paths)
        return diag_set(d, HK_ERROR_INVALID_PARAMETER,
                        "transaction logs given together with HK_OPEN_NO_LOGS");
    if (opts && opts->n_log_paths && !opts->log_paths)
        return diag_set(d, HK_ERROR_INVALID_PARAMETER, "n_log_paths without log_paths");
    return HK_ERROR_SUCCESS;
}

hk_status hive_logs_open(hk_hive *h, struct file_buf *fb, const char *path,
                         const hk_open_options *opts, struct diag *d)
{
    hk_status st = check_opts(opts, d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    bool no_logs = opts && (opts->flags & HK_OPEN_NO_LOGS);
    return log_open(fb, path, opts ? opts->log_paths : NULL, opts ? opts->n_log_paths : 0, no_logs,
                    &h->logs, d);
}

static uint32_t public_format(enum log_format f)
{
    return f == LOG_FORMAT_OLD ? HK_LOG_FORMAT_OLD
         : f == LOG_FORMAT_NEW ? HK_LOG_FORMAT_NEW : HK_LOG_FORMAT_UNKNOWN;
}

HK_API hk_status hk_hive_log_info(hk_hive *hive, uint32_t index, hk_log_info *caller_out)
{
    api_enter();
    if (!hive || abi_out_check(caller_out, LOG_INFO_V1) != HK_ERROR_SUCCESS)
        return HK_ERROR_INVALID_PARAMETER;
    if (index >= hive->logs.found)
        return HK_ERROR_NO_MORE_ITEMS;
    const struct log_report *r = &hive->logs.outcome.reports[index];
    hk_log_info info;
    hk_log_info *out = &info;
    memset(out, 0, sizeof *out);
    out->path = hive->logs.paths[index];
    out->applied = r->applied;
    out->format = public_format(r->format);
    out->sequence = r->sequence;
    out->entries = r->entries;
    out->pages = r->pages;
    out->note = index < hive->logs.used ? r->why : hive->logs.ignored_why[index];
    out->ignored = index >= hive->logs.used;
    abi_out(caller_out, out, sizeof *out);
    return HK_ERROR_SUCCESS;
}

/* Replays into img; the result must open and every bin and the root must
 * be sound. With accept, a dirty primary no log repairs is taken as it is
 * (*accepted set). */
static hk_status recover_image(const char *hive_path, const hk_open_options *opts, bool accept,
                               struct hive_image *img, bool *accepted, struct diag *d)
{
    struct file_buf fb;
    hk_status st = file_load(hive_path, opts ? opts->gzip_margin : 0, &fb, d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct log_state logs;
    bool no_logs = opts && (opts->flags & HK_OPEN_NO_LOGS);
    st = log_open(&fb, hive_path, opts ? opts->log_paths : NULL, opts ? opts->n_log_paths : 0,
                  no_logs, &logs, d);
    *accepted = st == HK_ERROR_SUCCESS && logs.dirty_at_open && logs.outcome.applied == 0 && accept;
    if (st == HK_ERROR_SUCCESS && !logs.dirty_at_open)
        st = diag_set(d, HK_ERROR_NOT_SUPPORTED, "%s is clean (sequence numbers equal, checksum "
                      "right): nothing to recover", hive_path);
    else if (st == HK_ERROR_SUCCESS && logs.outcome.applied == 0 && !accept)
        st = diag_set(d, HK_ERROR_FILE_NOT_FOUND, "%s is dirty but no transaction log was given "
                      "or found beside it (HK_OPEN_ACCEPT_DIRTY takes the primary as it is)",
                      hive_path);
    log_state_free(&logs);
    if (st != HK_ERROR_SUCCESS) {
        file_buf_free(&fb);
        return st;
    }
    st = image_open(img, &fb);
    if (st == HK_ERROR_SUCCESS)
        st = image_walk_all(img);
    struct nk root;
    if (st == HK_ERROR_SUCCESS)
        st = nk_read(img, img->bb.root, &root);
    if (st != HK_ERROR_SUCCESS)
        diag_set(d, st, "the %s hive is broken: %s", *accepted ? "accepted" : "replayed",
                 diag_detail());
    return st;
}

HK_API hk_status hk_hive_recover(const char *hive_path, const hk_open_options *caller_opts,
                                 const char *out_path, uint32_t flags)
{
    api_enter();
    hk_open_options o;
    const hk_open_options *opts = &o;
    hk_status st = open_options_in(caller_opts, &o);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct diag *d = DIAG_DETAIL;
    st = check_opts(opts, d);
    bool accept = opts && (opts->flags & HK_OPEN_ACCEPT_DIRTY);
    if (st == HK_ERROR_SUCCESS &&
        (!hive_path || !out_path || (flags & ~(uint32_t)(HK_SAVE_OVERWRITE | HK_SAVE_BREAK_LINKS))))
        st = diag_set(d, HK_ERROR_INVALID_PARAMETER, "hk_hive_recover needs a hive, an output path "
                      "and no flag but HK_SAVE_OVERWRITE and HK_SAVE_BREAK_LINKS");
    if (st == HK_ERROR_SUCCESS && opts && (opts->flags & HK_OPEN_NO_LOGS) && !accept)
        st = diag_set(d, HK_ERROR_INVALID_PARAMETER, "recovering needs the logs: HK_OPEN_NO_LOGS "
                      "contradicts it");
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct hive_image img;
    memset(&img, 0, sizeof img);
    bool accepted = false;
    st = recover_image(hive_path, opts, accept, &img, &accepted, d);
    if (st == HK_ERROR_SUCCESS) {
        /* A replayed base block is as Windows leaves it; an accepted one is
         * made clean the same way: both sequence numbers equal, checksum. */
        uint8_t base[HBIN_START];
        memcpy(base, img.file.data, HBIN_START);
        if (accepted) {
            put_le32(base + 8, le32_unchecked(base + 4));
            put_le32(base + 508, baseblock_checksum(base));
        }
        const uint8_t *pieces[2] = {base, img.file.data + HBIN_START};
        size_t sizes[2] = {HBIN_START, img.file.size - HBIN_START};
        struct file_write w;
        memset(&w, 0, sizeof w);
        w.flags = (flags & HK_SAVE_OVERWRITE ? FILE_WRITE_OVERWRITE : 0) |
                  (flags & HK_SAVE_BREAK_LINKS ? FILE_WRITE_BREAK_LINKS : 0) |
                  (file_name_is_gz(out_path) ? FILE_WRITE_GZIP : 0);
        st = file_write_ex(out_path, pieces, sizes, 2, &w, d);
    }
    image_free(&img);
    return st;
}
