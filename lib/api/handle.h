/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The objects behind the public handles (api layer). */
#ifndef HK_API_HANDLE_H
#define HK_API_HANDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "hivekit.h"
#include "base/filelock.h"
#include "hive/image.h"
#include "log/logset.h"
#include "record/name.h"
#include "record/nk.h"
#include "record/subkeys.h"
#include "registry/registry.h"
#include "tree/enumlist.h"

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
    char save_note[256]; /* what the last save could not keep (hk_hive_save_note) */
    bool has_writer;   /* writer is open: HK_OPEN_WRITE of a file */
    struct file_writer writer; /* its lock and what the file was when read or last saved */
    bool source_gzip;  /* the file was gzip: saving back to it writes gzip */
    uint64_t gzip_unread; /* compressed bytes left unread at open (hk_hive_info) */
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

/* A private bit of hk_key.access: the key was opened through a registry
 * context (key->ns is set; unset, ns is stale). Enumeration and open test
 * it together with the right they check anyway, so that a key of a plain
 * hive pays nothing for the namespace. */
#define KEY_ACCESS_NS 0x04000000u

/* Every bit an access mask may hold: the key rights (0x3F), the views
 * (WOW64), the standard rights (SYNCHRONIZE too, which programs pass),
 * ACCESS_SYSTEM_SECURITY, MAXIMUM_ALLOWED and the generic rights. A mask
 * with any other bit: INVALID_PARAMETER. */
#define KEY_ACCESS_KNOWN 0xF31F033Fu

static inline bool access_known(uint32_t access)
{
    return (access & ~KEY_ACCESS_KNOWN) == 0;
}

/* What a key opened through a context is in its namespace. */
enum { NS_PLAIN, NS_ROOT_HKLM, NS_ROOT_HKU, NS_CLASSES };

struct key_ns {
    hk_registry *reg;  /* one reference per key */
    uint32_t view;     /* HK_KEY_WOW64_32KEY or 0: what keys opened from it see */
    uint8_t kind;      /* NS_* */
    bool classes_root; /* the root of a classes tree: the 32-bit view rewrites below it */
    hk_key *other;     /* NS_CLASSES: the machine's key behind the user's one, or NULL */
    char *name;        /* the name it was opened by when its node's differs (a mount's
                          root, a link's target), or NULL */
    /* NS_CLASSES enumeration cursor: entry index is the union's, at ia/ib */
    uint32_t cur_index, ia, ib;
    bool cur_valid;
};

struct hk_key {
    hk_hive *hive;
    hk_key *next_spare;
    struct nk nk;
    uint32_t depth; /* 0 for the root */
    uint32_t access;
    /* its subkey list as enumerated: the order check's progress and the
     * entry read last (the hint of a lookup below it); reset with the
     * handle and at every edit of the hive (key_refresh) */
    struct enum_list list;
    const uint8_t *values;    /* the checked value list, once read */
    uint32_t gen;             /* hive->gen when nk was read */
    bool deleted;             /* its key was deleted: KEY_DELETED */
    hk_key *open_prev, *open_next;
    struct key_ns *ns;        /* with KEY_ACCESS_NS in access */
};

/* The log hook of opening: replays h's logs into *fb (log_api.c). path may
 * be NULL (a hive from memory). */
/* The caller's open options (NULL: the defaults) as this library's struct,
 * unknown flag bits refused (INVALID_PARAMETER). */
hk_status open_options_in(const hk_open_options *opts, hk_open_options *o);

hk_status hive_logs_open(hk_hive *h, struct file_buf *fb, const char *path,
                         const hk_open_options *opts, struct diag *d);

/* Handle bookkeeping (handle_sync.c): after an edit, open handles re-read
 * their key nodes when next used; the clock; handles on deleted keys. */
/* After an edit: open handles re-read their key nodes when next used. */
void hive_edit_end(hk_hive *h);

/* The time for last-write fields: hk_hive_set_clock's, else
 * SOURCE_DATE_EPOCH (seconds since 1970) as a FILETIME, else the system time. */
uint64_t hive_now(const hk_hive *h);

/* Marks every open handle on the key node at off deleted. */
void hive_forget_key(hk_hive *h, uint32_t off);

/* Re-reads a handle's key node after an edit (pointers into the image may
 * have moved). KEY_DELETED when its key is gone. */
hk_status key_refresh(hk_key *key);

static inline hk_status key_sync(hk_key *key)
{
    if (key->gen == key->hive->gen && !key->deleted)
        return HK_ERROR_SUCCESS;
    return key_refresh(key);
}

/* Where every fallible public call starts: the thread's detail (hk_errmsg)
 * belongs to one call, so a failure never shows the detail of an earlier,
 * unrelated one, and a success leaves none. */
static inline void api_enter(void)
{
    diag_detail_clear();
}

/* Where a public call on a key handle starts: api_enter, then
 * INVALID_HANDLE for NULL, and the handle brought up to date with its hive
 * (KEY_DELETED when its key is gone). */
static inline hk_status api_enter_key(hk_key *key)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    return key_sync(key);
}

/* Whether the hive found key's list out of order (at this edit generation):
 * every index from the bad entry on fails. */
static inline bool key_list_disordered(const hk_key *key)
{
    const hk_hive *h = key->hive;
    return h->disordered && key->nk.subkeys == h->disordered_list && h->disordered_gen == h->gen;
}

/* What key's enumeration offers a lookup below it (tree_open_path's hint),
 * or NULL; key synced. */
static inline struct enum_list *key_hint(hk_key *key)
{
    return key->list.last_valid && !key_list_disordered(key) ? &key->list : NULL;
}

/* A new handle on the key node nk of hive, taking a hive reference. */
hk_status key_new(hk_hive *hive, const struct nk *nk, uint32_t depth, uint32_t access, hk_key **out);

/* The namespace side of the key functions (ns_*.c), for keys with
 * KEY_ACCESS_NS. */
hk_status ns_open_key(hk_key *key, const char *sub_key, uint32_t options, uint32_t access,
                      hk_key **out);
hk_status ns_open_subkey_at(hk_key *key, uint32_t index, uint32_t access, hk_key **out);
/* hk_enum_key_ex of a merged (HKCR) key; other keys: CALL_NOT_IMPLEMENTED,
 * the caller then enumerates the key itself. */
hk_status ns_enum_merged(hk_key *key, uint32_t index, char *name, size_t *name_size,
                         uint64_t *last_write);
/* Corrects info's subkey figures of a merged key to the union's. */
hk_status ns_info_merged(hk_key *key, hk_key_info *info);
hk_status ns_create_key(hk_key *key, const char *sub_key, const char *class_name,
                        uint32_t options, uint32_t access, hk_key **out, uint32_t *disposition);
hk_status ns_delete_key(hk_key *key, const char *sub_key, bool tree);
/* hk_enum_key_ex on the key's own list (no merge, no rights checked). */
hk_status key_enum_plain(hk_key *key, uint32_t index, char *name, size_t *name_size,
                         uint64_t *last_write);
/* Opens path below parent for reading and closes parent, whatever the
 * outcome (a walk down a namespace that keeps only the deepest key). */
hk_status key_step_down(hk_key *parent, const char *path, hk_key **out);
/* A REG_SZ / REG_EXPAND_SZ value of key as UTF-8 in buf (size bytes);
 * false when absent, of another type or too long (connect_api.c). */
bool key_string_value(hk_key *key, const char *name, char *buf, size_t size);
/* Drops what a key holds of its context (hk_close_key). */
void ns_release(hk_key *key);
/* Gives a plain key its namespace side (the key is closed on failure). */
hk_status ns_key_attach(hk_key *key, hk_registry *reg, uint8_t kind, bool classes_root,
                        hk_key *other, hk_key **out);
/* The ordinary key functions on one hive, for the namespace to call. */
hk_status plain_create_key(hk_key *key, const char *sub_key, const char *class_name,
                           uint32_t options, uint32_t access, hk_key **out, uint32_t *disposition);
hk_status plain_delete_key(hk_key *key, const char *sub_key, bool tree);

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
