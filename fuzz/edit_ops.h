/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Editing operations decoded from bytes: the edit fuzz target's input
 * language, also replayed by the fault and mutation tests. */
#ifndef HIVEKIT_FUZZ_EDIT_OPS_H
#define HIVEKIT_FUZZ_EDIT_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

/* fz_edit_apply flags (with walk.h's FZ_ALLOW_OOM) */
#define FZ_ALLOW_BADDB 0x2u /* the hive came from a file that may be corrupt or dirty: edits
                               may say BADDB, or REGISTRY_IO_FAILED for a dirty one */

/* Applies the operations ops encodes to the hive (opened writable or
 * created), through up to 8 open key handles: create, set values (small,
 * big-data sized, REG_SZ defaults), delete values, keys and trees, rename,
 * copy trees, set security, open subkeys, switch handles. Each op reads an
 * opcode byte and its arguments; a short tail ends the script. A status a
 * caller's mistake explains (FILE_NOT_FOUND, INVALID_PARAMETER, ...) is
 * fine; BADDB (unless FZ_ALLOW_BADDB), REGISTRY_CORRUPT, a write error or
 * NOT_ENOUGH_MEMORY (unless FZ_ALLOW_OOM) is a broken promise (fz_fail).
 * Returns NOT_ENOUGH_MEMORY or BADDB when an allowed one happened (the
 * first), else SUCCESS. At most max_ops operations run. */
hk_status fz_edit_apply(hk_hive *h, const uint8_t *ops, size_t n, unsigned flags,
                        unsigned max_ops);

#endif
