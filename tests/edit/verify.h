/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test support for the editing suites: deep structural checks of a hive
 * (through the library's internals) and tree dumps through hivekit's API and
 * through libhivex, to compare. */
#ifndef HK_TEST_VERIFY_H
#define HK_TEST_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "files.h"
#include "hivekit.h"

struct verify_report {
    uint32_t keys, values, sks;
    uint32_t unreferenced;   /* allocated cells nothing points at */
    uint32_t free_pairs;     /* free cells directly followed by a free cell */
    uint32_t free_cells;
};

/* Walks everything: every bin's tiling, every key (parent links, counts,
 * list order, lf hints and lh hashes, leaf capacities, max fields at least
 * the truth), values and their data, the sk ring and reference counts; then
 * counts allocated cells nothing references. Fails the test on a violation
 * (with the offset). */
void verify_hive(hk_hive *hive, struct verify_report *out);

/* Opens path with HK_OPEN_WRITE (which checks the tiling of every bin),
 * asserts it is clean with a good checksum, and runs verify_hive. */
void verify_file(const char *path, struct verify_report *out);

/* A text dump of the whole tree (paths, values with type and hex data; with
 * dump_times set, each key's last-write time too) in stored order; malloc'd. */
extern int dump_times;
/* With dump_classes set, each key's class name (as UTF-16LE hex) too; the
 * libhivex dump reads it from the file at the key cells libhivex names. */
extern int dump_classes;
char *dump_hivekit(hk_hive *hive);
char *dump_hivekit_file(const char *path);
/* key's subtree, paths relative to it ("" for key itself). */
char *dump_hivekit_key(hk_key *key);
/* The same through libhivex. */
char *dump_hivex_file(const char *path);

/* A fresh temporary file name under the temp folder (not created). */
void temp_path(char *buf, size_t size, const char *tag);

/* slurp() and spit(): support/files.h */

/* The fixed clock the API suites set on their hives. */
#define CLOCK 132000000000000000ull

/* A new writable hive of version 1.minor, root "ROOT", clock CLOCK. */
hk_hive *new_hive(uint32_t minor);
/* A handle on the root (HK_KEY_ALL_ACCESS on a writable hive). */
hk_key *root_of(hk_hive *h);
/* Saves h to a new temporary path (returned in path), runs verify_file on
 * it (report in *r if not NULL) and checks that hivekit and libhivex dump the
 * same tree. */
void save_check(hk_hive *h, char *path, size_t size, struct verify_report *r);

#endif
