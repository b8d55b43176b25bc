/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: transaction-log replay. The input is a u32 LE size n, then n
 * bytes of a primary hive, then the bytes of one log (written to a
 * temporary file, since logs are named by path). The hive is opened from
 * memory with that log; whatever replay makes of it must open or fail
 * cleanly (BADDB with a message), report on its log, and then read in full
 * and export as fuzz_open checks. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char log_path[512];
static FILE *sink;

static void remove_log(void)
{
    unlink(log_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    if (!log_path[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(log_path, sizeof log_path, "%s/hk_fuzz_log.%ld.LOG1", t && *t ? t : "/tmp",
                 (long)getpid());
        atexit(remove_log);
        if (!(sink = fopen("/dev/null", "w")))
            fz_fail("cannot open /dev/null");
    }
    size_t n = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
    data += 4;
    size -= 4;
    if (n > size)
        n = size;
    FILE *fp = fopen(log_path, "wb");
    if (!fp || fwrite(data + n, 1, size - n, fp) != size - n || fclose(fp) != 0)
        fz_fail("cannot write the log to %s", log_path);
    const char *logs[1] = {log_path};
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_READONLY;
    o.log_paths = logs;
    o.n_log_paths = 1;
    fz_open_walk_with(data, n, &o, 0, 200000, sink);
    return 0;
}
