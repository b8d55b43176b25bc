/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON lines through hk_export: the CLI only selects the format and says
 * where the bytes, the salvage warnings and the progress (on a terminal)
 * go. */
#include "export_jsonl.h"

#include <errno.h>

#include "buffers.h"
#include "diag.h"
#include "salvage.h"

struct jsonl_sink {
    FILE *fp;
    int err;
    const char *hive_path;
};

static int write_fp(const void *data, size_t size, void *ctx)
{
    struct jsonl_sink *s = ctx;
    if (fwrite(data, 1, size, s->fp) == size)
        return 0;
    s->err = errno ? errno : EIO;
    return -1;
}

static void on_skip(const char *path, size_t path_len, uint32_t index, const char *why, void *ctx)
{
    const struct jsonl_sink *s = ctx;
    struct cli_buf text = {0};
    cli_buf_add_text(&text, path, path_len);
    cli_error(NULL, "warning: %s: skipped subkey %u of \"%.*s\": %s", s->hive_path, index,
              (int)text.len, text.len ? text.p : "", why);
    cli_buf_free(&text);
}

/* One call a key: the count on a terminal, as the other long walks show it. */
static void on_progress(uint64_t keys, void *ctx)
{
    (void)keys;
    cli_progress_key(ctx);
}

hk_status cli_export_jsonl(hk_key *key, const char *rel, size_t rel_len, FILE *fp,
                           const char *salvage_hive, unsigned max_depth, int *write_err)
{
    struct jsonl_sink s = {fp, 0, salvage_hive};
    hk_export_options opts = HK_EXPORT_OPTIONS_INIT;
    opts.format = HK_FORMAT_JSONL;
    opts.key_path = rel;
    opts.key_path_len = rel_len;
    opts.max_depth = max_depth;
    struct cli_progress progress;
    cli_progress_init(&progress);
    if (progress.tty) {
        opts.progress = on_progress;
        opts.progress_ctx = &progress;
    }
    if (salvage_hive) {
        opts.flags = HK_EXPORT_SALVAGE;
        opts.on_skip = on_skip;
        opts.skip_ctx = &s;
    }
    hk_status st = hk_export(key, &opts, write_fp, &s);
    cli_progress_done(&progress);
    if (fflush(fp) != 0 && !s.err)
        s.err = errno ? errno : EIO;
    *write_err = s.err;
    return st;
}
