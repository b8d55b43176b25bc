/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A fake Windows volume in a temporary folder, built from the .reg
 * fixtures of tests/registry through the public API (hk_hive_create,
 * hk_import_reg, link keys by HK_REG_OPTION_CREATE_LINK). Names on disk
 * are in mixed case on purpose. */
#ifndef TESTS_REGISTRY_VOLUME_H
#define TESTS_REGISTRY_VOLUME_H

#include <stddef.h>

/* The SIDs of the fixture's users. */
#define SID_ALICE "S-1-5-21-1-2-3-1001"
#define SID_BOB "S-1-5-21-1-2-3-1002"
#define SID_GHOST "S-1-5-21-1-2-3-1003"

/* Files of the volume, relative to its folder. */
#define VOL_SYSTEM "WINDOWS/system32/CONFIG/System"
#define VOL_SOFTWARE "WINDOWS/system32/CONFIG/Software"
#define VOL_DEFAULT "WINDOWS/system32/CONFIG/default"
#define VOL_ALICE "users/Alice/ntuser.dat"
#define VOL_ALICE_CLASSES "users/Alice/AppData/Local/Microsoft/Windows/UsrClass.DAT"
#define VOL_BOB "users/bob/NTUSER.DAT"

/* Builds the volume in a new temporary folder; returns its path (free
 * with tempdir_remove(), tempdir.h). Aborts the test on failure. */
char *vol_make(void);
/* The path of rel in the volume (static buffer). */
const char *vol_path(const char *vol, const char *rel);
/* The whole file, malloc'ed; *len its size. */
unsigned char *vol_read(const char *vol, const char *rel, size_t *len);

/* The hives other than SYSTEM as they are now (SOFTWARE, DEFAULT and the
 * profiles'), for vol_others_unchanged to compare with later. */
#define VOL_OTHERS 5
struct vol_snapshot {
    unsigned char *bytes[VOL_OTHERS];
    size_t len[VOL_OTHERS];
};
void vol_snapshot_others(const char *vol, struct vol_snapshot *s);
/* Asserts each is byte for byte what the snapshot holds; frees it. */
void vol_others_unchanged(const char *vol, struct vol_snapshot *s);

#endif
