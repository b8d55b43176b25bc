/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the input is a hive file (plain or gzip). It is opened from
 * memory, read in full through every read function of the API, and
 * exported as jsonl; any status a hostile file may not cause, any broken
 * size promise, and any sanitizer report is a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink && !(sink = fopen("/dev/null", "w")))
        fz_fail("cannot open /dev/null");
    fz_open_walk(data, size, 0, 200000, sink);
    return 0;
}
