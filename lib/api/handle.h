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

/* How many entries ahead enumerations ask the cache for (a hint only). */
enum { WALK_AHEAD = 4 };

struct hk_hive {
    unsigned refs; /* the caller's reference plus one per open key */
    struct hive_image img;
    struct log_state logs; /* transaction logs found or given, and what was replayed */
    hk_key *spare;  /* closed key handles kept for reuse: walks open many */
    unsigned spare_count;
    /* editing (api/edit_*.c) */
    bool write_mode;   /* opened with HK_OPEN_WRITE or created */
    char *path;        /* the file it was opened from (hk_flush_key), or NULL */
    uint64_t clock;    /* hk_hive_set_clock; 0: SOURCE_DATE_EPOCH or system time */
    uint32_t gen;      /* bumped by every edit: key handles re-read their node */
    /* the subkey list last found out of order (if disordered), its first bad
     * entry, and gen then: every later index of it fails */
    bool disordered;
    uint32_t disordered_list, disordered_at, disordered_gen;
    hk_key *open_keys; /* with write_mode, every open handle: to follow deletes and renames */
    /* The last security record read (keys share a few): valid while gen is
     * sk_gen, as an edit may move or change it. */
    bool sk_cached;
    uint32_t sk_off, sk_gen;
    struct span sk_descriptor;
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
    uint32_t gen;             /* hive->gen when nk was read */
    bool deleted;             /* its key was deleted: KEY_DELETED */
    hk_key *open_prev, *open_next;
};

/* The log hook of opening: replays h's logs into *fb (log_api.c). path may
 * be NULL (a hive from memory). */
/* The caller's open options (NULL: the defaults) as this library's struct,
 * unknown flag bits refused (INVALID_PARAMETER). */
hk_status open_options_in(const hk_open_options *opts, hk_open_options *o);

hk_status hive_logs_open(hk_hive *h, struct file_buf *fb, const char *path,
                         const hk_open_options *opts, struct diag *d);
/* Re-reads a handle's key node after an edit (pointers into the image may
 * have moved). KEY_DELETED when its key is gone. */
hk_status key_refresh(hk_key *key);

static inline hk_status key_sync(hk_key *key)
{
    if (key->gen == key->hive->gen && !key->deleted)
        return HK_ERROR_SUCCESS;
    return key_refresh(key);
}

/* A new handle on the key node nk of hive, taking a hive reference. */
hk_status key_new(hk_hive *hive, const struct nk *nk, uint32_t depth, uint32_t access, hk_key **out);

/* Writes a stored name as UTF-8 + NUL under the hk_enum_key buffer rules.
 * Inline: a walk writes one or two names per key and per value. */
static HK_HOT_INLINE hk_status put_name(const struct name_ref *name, char *buf, size_t *size)
{
    if (!size)
        return HK_ERROR_INVALID_PARAMETER;
    /* A buffer that holds the longest possible conversion skips the count. */
    if (!buf || *size <= name_utf8_max(name)) {
        size_t need = name_utf8_len(name) + 1;
        if (!buf || *size < need) {
            *size = need;
            return buf ? HK_ERROR_MORE_DATA : HK_ERROR_SUCCESS;
        }
    }
    size_t n = name_to_utf8(name, buf);
    buf[n] = '\0';
    *size = n;
    return HK_ERROR_SUCCESS;
}

/* Writes UTF-16LE bytes as UTF-8 + NUL under the same rules. */
hk_status put_utf16(const uint8_t *le, size_t units, char *buf, size_t *size);

#endif
