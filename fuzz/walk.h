/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One full read of a hive through the public API, checking what must hold
 * whatever the file says: shared by the fuzz targets, the mutation test and
 * the allocation fault test. */
#ifndef HIVEKIT_FUZZ_WALK_H
#define HIVEKIT_FUZZ_WALK_H

#include <stdio.h>

#include "hivekit.h"

/* fz_walk flags */
#define FZ_ALLOW_OOM 0x1u /* NOT_ENOUGH_MEMORY is an expected outcome (fault tests) */

/* A broken promise of the library: prints what and aborts (the fuzzer and
 * the test harnesses report it as a crash). */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void fz_fail(const char *fmt, ...);

/* A line fz_fail prints first (which input, which case); NULL for none. */
void fz_set_context(const char *text);

/* Fails unless st is one of the statuses a read may give on hostile input:
 * SUCCESS, BADDB (with a message), the extra ones listed (0-terminated
 * after the first: pass HK_ERROR_SUCCESS to end), and NOT_ENOUGH_MEMORY
 * under FZ_ALLOW_OOM. Returns st. */
hk_status fz_expect(hk_hive *h, unsigned flags, hk_status st, const char *what, hk_status extra1,
                    hk_status extra2);

/* Reads everything: every key (by index and by name), its name, class,
 * counts and security descriptor, every value with its data (by index and
 * by name, sizes asked for first, short buffers tried), the typed decoders
 * on every value, the default value, and then the jsonl export of the tree
 * to out (may be NULL: no export). Each key and value costs one step; the
 * walk stops after max_steps. Returns the first failure status (BADDB, or
 * NOT_ENOUGH_MEMORY under FZ_ALLOW_OOM) or SUCCESS; any other outcome
 * aborts through fz_fail. */
hk_status fz_walk(hk_hive *h, unsigned flags, unsigned long max_steps, FILE *out);

/* hk_export of root's tree as JSON lines to out (salvage: HK_EXPORT_SALVAGE). */
hk_status fz_export_jsonl(hk_key *root, FILE *out, int salvage);

/* hk_hive_open_memory + fz_walk + hk_hive_close, with the open's status
 * checked too (NOT_REGISTRY_FILE, BADDB, CANTREAD for broken gzip). */
hk_status fz_open_walk(const void *data, size_t size, unsigned flags, unsigned long max_steps,
                       FILE *out);

/* The same with open options (flags and logs),
 * and the hive's log reports read too. */
hk_status fz_open_walk_with(const void *data, size_t size, const hk_open_options *opts,
                            unsigned flags, unsigned long max_steps, FILE *out);

#endif
