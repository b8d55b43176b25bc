/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The objects behind the public handles (api layer). */
#ifndef HK_API_HANDLE_H
#define HK_API_HANDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "hivekit.h"
#include "hive/image.h"
#include "log/logset.h"
#include "record/name.h"
#include "record/nk.h"
#include "record/subkeys.h"

struct hk_hive {
    unsigned refs; /* the caller's reference plus one per open key */
    struct hive_image img;
    struct log_state logs; /* transaction logs found or given, and what was replayed */
    hk_key *spare;  /* closed key handles kept for reuse: walks open many */
    unsigned spare_count;
};

struct hk_key {
    hk_hive *hive;
    hk_key *next_spare;
    struct nk nk;
    uint32_t depth; /* 0 for the root */
    uint32_t access;
    bool sub_ready;           /* sub holds the checked subkey list */
    struct subkeys sub;
    const uint8_t *values;    /* the checked value list, once read */
    bool prev_valid;          /* the last enumerated entry, for the order check */
    uint32_t prev_index;
    struct name_ref prev_name;
};

/* The log hook of opening: replays h's logs into *fb (log_api.c). path may
 * be NULL (a hive from memory). */
hk_status hive_logs_open(hk_hive *h, struct file_buf *fb, const char *path,
                         const hk_open_options *opts, struct diag *d);

/* A new handle on the key node nk of hive, taking a hive reference. */
hk_status key_new(hk_hive *hive, const struct nk *nk, uint32_t depth, uint32_t access, hk_key **out);

/* Writes a stored name as UTF-8 + NUL under the hk_enum_key buffer rules. */
hk_status put_name(struct name_ref name, char *buf, size_t *size);

/* Writes UTF-16LE bytes as UTF-8 + NUL under the same rules. */
hk_status put_utf16(const uint8_t *le, size_t units, char *buf, size_t *size);

#endif
