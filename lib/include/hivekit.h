/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hivekit: read Windows registry hive files ("regf") on any OS through an API
 * that mirrors Python's winreg module function for function.
 *
 * Conventions
 *  - Every fallible function returns an hk_status: a Win32 error code, 0 on
 *    success. Output parameters are written only on success, except the
 *    size of a too-small buffer (HK_ERROR_MORE_DATA), which is always set.
 *  - Strings are UTF-8 (WTF-8 where a stored UTF-16 name holds an unpaired
 *    surrogate, so every name round-trips). Name comparison is
 *    case-insensitive with Windows' upcase table, in UTF-16 units.
 *  - Buffers follow winreg: *size is the capacity on input and the bytes
 *    written (or needed) on output; a NULL buffer asks for the size.
 *  - A hive and its keys must be used from one thread at a time. Distinct
 *    hives share no state.
 *  - Ownership lines: "Owned: free with X" or "Borrowed: valid until X".
 *  - The detail of a failure (what, where, which rule broken) is read one
 *    way: hk_errmsg(), the detail of the last failed call made by the
 *    calling thread. Every function that returns an hk_status clears it
 *    first (hk_close_key, which cannot fail, does not), so it is about that
 *    call only: "" after a success, or after a failure the status says all
 *    of. Per thread: hives used from distinct threads share no detail.
 *  - Callbacks take the caller's ctx as their last argument. A callback
 *    that returns int asks the call to stop by returning nonzero: the call
 *    then calls it no more and returns HK_ERROR_CANCELLED (what it reported
 *    before stands; nothing else is written). Every function that takes
 *    such a callback behaves so.
 *
 * Limits (every count and length in a file is untrusted; these bound the work):
 *  - key depth 512 (Windows' documented maximum): the root's subkeys are
 *    level 1 and a key at level 512 opens, its subkeys do not (BADDB);
 *  - no cycles: a key must name the key listing it as its parent, and the
 *    root key listed as anyone's subkey is BADDB, so every walk ends;
 *  - an index root (ri) may reference leaves only, never another ri;
 *  - every count is checked against the cell holding its list before use
 *    (a list of 65535 entries in a small cell, a key claiming a million
 *    subkeys or values: BADDB), and a key's subkey count must equal the
 *    entries of its lists;
 *  - a value's data is at most HK_MAX_VALUE_SIZE bytes and never more than
 *    the cells that hold it (big data: exactly the segments its size needs);
 *  - no allocation exceeds what the input justifies: the file itself (a
 *    gzip one: what it inflates to, its size field trusted only up to the
 *    1032:1 deflate bound), a cell map of 1/64 of the bins, and for
 *    hk_query_value the value's checked size;
 *  - a file of at most HK_MAX_HIVE_SIZE bytes (as offreg: 4 GiB).
 */
#ifndef HIVEKIT_H
#define HIVEKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "hivekit_version.h"

/* HK_BUILDING: defined by the library's own build (meson); consumers on
 * Windows then import the symbols, the library exports them. */
#if defined(_WIN32) && defined(HK_BUILDING)
#define HK_API __declspec(dllexport)
#elif defined(_WIN32)
#define HK_API __declspec(dllimport)
#elif defined(__GNUC__)
#define HK_API __attribute__((visibility("default")))
#else
#define HK_API
#endif

/* The version the library was built as: HK_VERSION_NUMBER's layout
 * (MAJOR << 16 | MINOR << 8 | PATCH). Compare with HK_VERSION_NUMBER to see
 * the library a program runs with against the header it was built with.
 * Within one major version (from 1.0), a struct that carries a size field
 * may only grow at its end; the library reads and writes only the bytes the
 * caller's size names, so programs built against older headers keep
 * working. */
HK_API uint32_t hk_version(void);

/* ---- sized structs ---------------------------------------------------
 * Every struct a caller fills or receives (hk_open_options, hk_hive_info,
 * hk_key_info, hk_log_info, hk_check_counts, hk_export_options,
 * hk_import_options, hk_carve_options) starts with uint32_t size: initialise it with the macro
 * named after the struct (HK_OPEN_OPTIONS_INIT, ...), which sets size to
 * the struct as the caller's header declares it. The library reads and
 * writes only min(size, its own size) bytes (fields it knows and the caller
 * lacks take their defaults; fields the caller has and it lacks are left as
 * the caller set them), so a struct may grow at its end without breaking
 * programs built against the older header. A size below the first
 * published layout: INVALID_PARAMETER. A NULL options pointer means the
 * defaults. */

/* ---- status codes: Win32 error numbers ------------------------------- */

typedef uint32_t hk_status;

#define HK_ERROR_SUCCESS 0u
#define HK_ERROR_FILE_NOT_FOUND 2u       /* key or value absent; no such file */
#define HK_ERROR_PATH_NOT_FOUND 3u
#define HK_ERROR_ACCESS_DENIED 5u        /* handle lacks the right; read-only hive */
#define HK_ERROR_INVALID_HANDLE 6u
#define HK_ERROR_SHARING_VIOLATION 32u  /* another writer holds the hive (its lock wait ran out) */
#define HK_ERROR_LOCK_VIOLATION 33u
#define HK_ERROR_NOT_ENOUGH_MEMORY 8u
#define HK_ERROR_INVALID_DATA 13u        /* hk_query_value on a non-REG_SZ default */
#define HK_ERROR_NOT_SUPPORTED 50u
#define HK_ERROR_FILE_EXISTS 80u
#define HK_ERROR_INVALID_PARAMETER 87u
#define HK_ERROR_CALL_NOT_IMPLEMENTED 120u
#define HK_ERROR_INSUFFICIENT_BUFFER 122u
#define HK_ERROR_BAD_PATHNAME 161u       /* sub key starts with '\' or has "\\" */
#define HK_ERROR_ALREADY_EXISTS 183u
#define HK_ERROR_MORE_DATA 234u          /* buffer too small; *size holds the need */
#define HK_ERROR_NO_MORE_ITEMS 259u      /* enumeration index past the end */
#define HK_ERROR_FILE_INVALID 1006u      /* the file changed on disk since it was opened */
#define HK_ERROR_BADDB 1009u             /* the file breaks a rule of the format */
#define HK_ERROR_BADKEY 1010u
#define HK_ERROR_CANTOPEN 1011u
#define HK_ERROR_CANTREAD 1012u
#define HK_ERROR_CANTWRITE 1013u
#define HK_ERROR_REGISTRY_CORRUPT 1015u
#define HK_ERROR_REGISTRY_IO_FAILED 1016u
#define HK_ERROR_NOT_REGISTRY_FILE 1017u /* not a regf file at all */
#define HK_ERROR_KEY_DELETED 1018u
#define HK_ERROR_NO_UNICODE_TRANSLATION 1113u /* argument is not valid UTF-8 */
#define HK_ERROR_CANCELLED 1223u         /* a callback asked to stop (see Conventions) */

/* Static English text for a status; never NULL. */
HK_API const char *hk_strerror(hk_status status);

/* ---- constants with Windows' names and numbers ----------------------- */

/* value types */
#define HK_REG_NONE 0u
#define HK_REG_SZ 1u
#define HK_REG_EXPAND_SZ 2u
#define HK_REG_BINARY 3u
#define HK_REG_DWORD 4u
#define HK_REG_DWORD_LITTLE_ENDIAN 4u
#define HK_REG_DWORD_BIG_ENDIAN 5u
#define HK_REG_LINK 6u
#define HK_REG_MULTI_SZ 7u
#define HK_REG_RESOURCE_LIST 8u
#define HK_REG_FULL_RESOURCE_DESCRIPTOR 9u
#define HK_REG_RESOURCE_REQUIREMENTS_LIST 10u
#define HK_REG_QWORD 11u
#define HK_REG_QWORD_LITTLE_ENDIAN 11u

/* access rights (REGSAM) */
#define HK_KEY_QUERY_VALUE 0x0001u
#define HK_KEY_SET_VALUE 0x0002u
#define HK_KEY_CREATE_SUB_KEY 0x0004u
#define HK_KEY_ENUMERATE_SUB_KEYS 0x0008u
#define HK_KEY_NOTIFY 0x0010u
#define HK_KEY_CREATE_LINK 0x0020u
#define HK_KEY_WOW64_64KEY 0x0100u
#define HK_KEY_WOW64_32KEY 0x0200u
#define HK_KEY_READ 0x20019u
#define HK_KEY_EXECUTE 0x20019u
#define HK_KEY_WRITE 0x20006u
#define HK_KEY_ALL_ACCESS 0xF003Fu
#define HK_DELETE 0x10000u
#define HK_READ_CONTROL 0x20000u
#define HK_WRITE_DAC 0x40000u
#define HK_WRITE_OWNER 0x80000u
#define HK_MAXIMUM_ALLOWED 0x02000000u /* a handle gets every key right */
#define HK_GENERIC_READ 0x80000000u    /* mapped to KEY_READ */
#define HK_GENERIC_WRITE 0x40000000u   /* mapped to KEY_WRITE */
#define HK_GENERIC_EXECUTE 0x20000000u /* mapped to KEY_EXECUTE */
#define HK_GENERIC_ALL 0x10000000u     /* mapped to KEY_ALL_ACCESS */

/* options (REG_OPTION_*): hk_open_key's third argument (RegOpenKeyEx's
 * ulOptions) takes HK_REG_OPTION_OPEN_LINK; hk_create_key_ex's options
 * take HK_REG_OPTION_NON_VOLATILE (0) or HK_REG_OPTION_CREATE_LINK */
#define HK_REG_OPTION_RESERVED 0x0u
#define HK_REG_OPTION_NON_VOLATILE 0x0u
#define HK_REG_OPTION_VOLATILE 0x1u
#define HK_REG_OPTION_CREATE_LINK 0x2u
#define HK_REG_OPTION_BACKUP_RESTORE 0x4u
#define HK_REG_OPTION_OPEN_LINK 0x8u

/* RegNotifyChangeKeyValue filters (REG_NOTIFY_*), for a winreg port's
 * constants; offline there is nothing to notify */
#define HK_REG_NOTIFY_CHANGE_NAME 0x1u
#define HK_REG_NOTIFY_CHANGE_ATTRIBUTES 0x2u
#define HK_REG_NOTIFY_CHANGE_LAST_SET 0x4u
#define HK_REG_NOTIFY_CHANGE_SECURITY 0x8u
#define HK_REG_NOTIFY_THREAD_AGNOSTIC 0x10000000u

/* Windows' name limits, in UTF-16 units */
#define HK_MAX_KEY_NAME 255u
#define HK_MAX_VALUE_NAME 16383u
#define HK_MAX_DEPTH 512u
#define HK_MAX_HIVE_SIZE 0xFFFFFFFFull
#define HK_MAX_VALUE_SIZE 0x7FFFFFFFu

/* ---- hives ------------------------------------------------------------ */

typedef struct hk_hive hk_hive; /* one open hive file or memory image */
typedef struct hk_key hk_key;   /* an open key: the HKEY analogue */

/* hk_open_options.flags */
#define HK_OPEN_READONLY 0x0u /* the default: reading only */
#define HK_OPEN_WRITE 0x1u    /* allow edits: held in memory until hk_flush_key or a save;
                                 every bin is checked at open */
#define HK_OPEN_NO_LOGS 0x2u  /* read the primary as it is: no transaction-log replay */
#define HK_OPEN_ACCEPT_DIRTY 0x4u /* a dirty hive with no log replayed is taken as it is: it
                                     can be edited and is saved clean */

/* hk_open_options defaults */
#define HK_LOCK_WAIT_DEFAULT_MS 5000u             /* a writer waits for another this long */
#define HK_GZIP_MARGIN_DEFAULT (16u * 1024 * 1024) /* inflated past what the base block declares */

typedef struct hk_open_options {
    uint32_t size;      /* sizeof(hk_open_options): HK_OPEN_OPTIONS_INIT */
    uint32_t flags;     /* HK_OPEN_* */
    /* Transaction logs to replay instead of those found beside the file
     * (n_log_paths 0: search beside it). Plain or gzip. At most 8. */
    const char *const *log_paths;
    size_t n_log_paths;
    /* HK_OPEN_WRITE of a file: the writer's lock (see hk_hive_save) is
     * waited for this long (0: HK_LOCK_WAIT_DEFAULT_MS), then the open fails
     * with SHARING_VIOLATION. */
    uint32_t lock_wait_ms;
    /* A gzip file is inflated up to the base block's hive bins + 4096 bytes
     * + this margin (0: HK_GZIP_MARGIN_DEFAULT); the rest is left unread
     * (hk_hive_info.gzip_unread). Raise it to keep a long tail for remnant
     * scans. */
    uint64_t gzip_margin;
} hk_open_options;
#define HK_OPEN_OPTIONS_INIT {sizeof(hk_open_options), 0, NULL, 0, 0, 0}

/* Opens a hive file: a plain hive (mapped) or a gzip-compressed one
 * (inflated). Checks the base block and the tiling of every hive bin and
 * cell; nothing else is decoded until asked for.
 * A dirty hive (sequence numbers differ or bad checksum) is replayed in
 * memory from its transaction logs as Windows would (the files are not
 * touched): opts->log_paths, else the files beside path named like it plus
 * .LOG, .LOG1 or .LOG2 in any letter case. hk_hive_info() then says
 * dirty_at_open and which logs were applied; dirty is 0. A dirty hive with no
 * log opens as it is (dirty set); HK_OPEN_NO_LOGS always reads it as it is.
 * Errors: FILE_NOT_FOUND, ACCESS_DENIED, CANTREAD, NOT_REGISTRY_FILE (no
 * "regf" signature), BADDB (a broken structure, or logs of which none can be
 * used: hk_errmsg() names the log, the offset and the rule),
 * NOT_ENOUGH_MEMORY, INVALID_PARAMETER (log paths with HK_OPEN_NO_LOGS).
 * opts may be NULL. Owned: free with hk_hive_close(). */
HK_API hk_status hk_hive_open(const char *path, const hk_open_options *opts, hk_hive **out);

/* As hk_hive_open, from bytes in memory (plain or gzip). The bytes are copied.
 * Only opts->log_paths are replayed (nothing is searched).
 * Owned: free with hk_hive_close(). */
HK_API hk_status hk_hive_open_memory(const void *data, size_t size, const hk_open_options *opts,
                                     hk_hive **out);

/* Releases the caller's reference. Keys still open keep the hive alive until
 * they are closed. NULL is a no-op. */
HK_API void hk_hive_close(hk_hive *hive);

/* The detail of the last failed call made by the calling thread: what,
 * where (the offset), which rule; "" when that call succeeded or had no
 * more to say than its status. Borrowed: valid until the thread's next
 * call of a function that returns an hk_status. */
HK_API const char *hk_errmsg(void);

typedef struct hk_hive_info {
    uint32_t size;            /* sizeof(hk_hive_info): HK_HIVE_INFO_INIT */
    uint32_t major_version, minor_version;
    uint32_t primary_sequence, secondary_sequence;
    uint64_t last_written;    /* FILETIME of the base block */
    uint32_t file_type;       /* 0 primary */
    uint32_t file_format;     /* 1 */
    uint32_t root_offset;     /* root key cell, relative to the first bin */
    uint32_t bins_size;       /* bytes of hive bins the base block declares */
    uint64_t file_size;       /* bytes of the (inflated) file */
    uint32_t checksum_stored; /* at 0x1FC */
    uint32_t checksum_computed;
    int checksum_ok;          /* stored == computed */
    int dirty;                /* sequences differ or checksum bad (0 once logs were replayed) */
    uint32_t bin_count;       /* hive bins walked */
    char file_name[200];      /* the base block's debug name, UTF-8 */
    int dirty_at_open;        /* the primary was dirty as read (before any replay) */
    uint32_t logs_found;      /* transaction logs found or given: hk_hive_log_info */
    uint32_t logs_replayed;   /* of those, applied in memory (0: none) */
    uint32_t log_entries;     /* log entries applied (an old-format log counts 1) */
    uint64_t gzip_unread;     /* gzip: compressed bytes left unread past the inflate cap
                                 (hk_open_options.gzip_margin); 0: all of it inflated */
} hk_hive_info;
#define HK_HIVE_INFO_INIT {sizeof(hk_hive_info), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {0}, 0, 0, 0, 0, 0}

HK_API hk_status hk_hive_info_get(hk_hive *hive, hk_hive_info *out);

/* A new handle on the root key, with HK_KEY_READ access (HK_KEY_ALL_ACCESS
 * when the hive is writable: opened with HK_OPEN_WRITE or created).
 * Owned: free with hk_close_key(). */
HK_API hk_status hk_hive_root(hk_hive *hive, hk_key **out);

/* ---- keys (winreg) ---------------------------------------------------- */

/* OpenKey/OpenKeyEx: opens sub_key (backslash-separated, case-insensitive;
 * repeated and trailing '\' tolerated, as RegOpenKeyEx: "a\\b\\" is "a\b")
 * below key. NULL or "" opens a new handle on the same key. A leading '\'
 * gives BAD_PATHNAME; a missing key FILE_NOT_FOUND. reserved is
 * RegOpenKeyEx's ulOptions: 0 or HK_REG_OPTION_OPEN_LINK, other bits
 * INVALID_PARAMETER. access: the key rights, HK_KEY_WOW64_*, the standard
 * rights (SYNCHRONIZE 0x100000 included), ACCESS_SYSTEM_SECURITY
 * (0x1000000), HK_MAXIMUM_ALLOWED and HK_GENERIC_*; any other bit
 * INVALID_PARAMETER (the same for every function taking an access mask).
 * Owned: free with hk_close_key(). */
HK_API hk_status hk_open_key(hk_key *key, const char *sub_key, uint32_t reserved, uint32_t access,
                             hk_key **out);

/* The key-path parser hk_open_key and hk_create_key_ex use, for callers
 * that walk a path one component at a time. path: len bytes of UTF-8 (no
 * NUL needed; '\' never occurs inside a multi-byte character). *pos: 0 for
 * the first call, then left as the previous call set it. Gives the next
 * component (*comp into path, *comp_len bytes, never 0) and returns
 * SUCCESS; NO_MORE_ITEMS when no component is left (so "" has none).
 * flags 0: the API's rules (a leading '\' is BAD_PATHNAME; repeated and
 * trailing separators are skipped). HK_PATH_STRICT: reg.exe's rules (one
 * leading and one trailing '\' are dropped, so "\" and "\\" have no
 * component; any other empty component, as in "a\\b" or "a\\", is
 * BAD_PATHNAME, returned when the parser reaches it). Component lengths are
 * not limited here (a key name has at most HK_MAX_KEY_NAME characters).
 * INVALID_PARAMETER: a NULL pointer (path may be NULL when len is 0), *pos
 * past len, other flag bits. */
#define HK_PATH_STRICT 0x1u
HK_API hk_status hk_path_next(const char *path, size_t len, size_t *pos, const char **comp,
                              size_t *comp_len, uint32_t flags);

/* CloseKey. NULL is a no-op. */
HK_API hk_status hk_close_key(hk_key *key);

/* EnumKey: the name of subkey number index, in the hive's (sorted) order.
 * *name_size: capacity in bytes including the NUL on input; bytes written
 * excluding the NUL on output. Index past the end: NO_MORE_ITEMS. Short
 * buffer: MORE_DATA, nothing copied, *name_size = bytes needed with the NUL.
 * A list found out of order (a strict reader notices) gives BADDB at every
 * index from its first entry out of order on, whatever order the indexes
 * are asked in; the indexes before it succeed. */
HK_API hk_status hk_enum_key(hk_key *key, uint32_t index, char *name, size_t *name_size);

/* RegEnumKeyEx: as hk_enum_key, plus the subkey's last-write FILETIME
 * (last_write may be NULL). */
HK_API hk_status hk_enum_key_ex(hk_key *key, uint32_t index, char *name, size_t *name_size,
                                uint64_t *last_write);

/* Opens subkey number index (the order of hk_enum_key) without a name
 * lookup: the fast way to walk a tree, and the only way to reach a key whose
 * name holds a NUL. Not in winreg. Errors as hk_enum_key.
 * Owned: free with hk_close_key(). */
HK_API hk_status hk_open_subkey_at(hk_key *key, uint32_t index, uint32_t access, hk_key **out);

/* EnumValue: value number index in stored order. name as in hk_enum_key;
 * type may be NULL; data NULL with data_size non-NULL asks for the size;
 * data_size may be NULL. Short buffers give MORE_DATA as RegEnumValue on
 * NT: *type and *data_size (the data's need) are set either way; a short
 * name buffer copies nothing and *name_size gets the need with the NUL
 * (Windows leaves it as given); a name that fits is copied, *name_size its
 * length without the NUL, while the short data buffer is left untouched. */
HK_API hk_status hk_enum_value(hk_key *key, uint32_t index, char *name, size_t *name_size,
                               uint32_t *type, void *data, size_t *data_size);

/* QueryValueEx: the type and exact stored bytes of value name (NULL or ""
 * for the default value). Missing: FILE_NOT_FOUND. */
HK_API hk_status hk_query_value_ex(hk_key *key, const char *name, uint32_t *type, void *data,
                                   size_t *data_size);

/* QueryValue: the default value of key\sub_key (sub_key NULL or "": of key)
 * as a UTF-8 string cut at the first NUL. Unset: "" and success. Present but
 * not REG_SZ: INVALID_DATA. *out_size counts the NUL on both sides. */
HK_API hk_status hk_query_value(hk_key *key, const char *sub_key, char *out, size_t *out_size);

typedef struct hk_key_info {
    uint32_t size;                     /* sizeof(hk_key_info): HK_KEY_INFO_INIT */
    uint32_t subkeys;                  /* number of subkeys */
    uint32_t max_subkey_name_len;      /* UTF-16 units, without NUL (cached in the key) */
    uint32_t max_class_len;            /* UTF-16 units, without NUL (cached in the key) */
    uint32_t values;                   /* number of values */
    uint32_t max_value_name_len;       /* UTF-16 units, without NUL (cached in the key) */
    uint32_t max_value_data_len;       /* bytes (cached in the key) */
    uint32_t security_descriptor_size; /* bytes; 0 if the key has none */
    uint64_t last_write;               /* FILETIME: 100 ns ticks since 1601 UTC */
    /* The same maxima in the units the buffers use: UTF-8 bytes without
     * the NUL (an upper bound: 3 bytes per UTF-16 unit of the fields above,
     * which covers every name a key with honest maxima holds). */
    uint32_t max_subkey_name_size;
    uint32_t max_class_size;
    uint32_t max_value_name_size;
} hk_key_info;
#define HK_KEY_INFO_INIT {sizeof(hk_key_info), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/* RegQueryInfoKey (winreg's QueryInfoKey returns subkeys, values, last_write).
 * The class name goes to class_buf as UTF-8 (class_buf NULL: not wanted;
 * class_buf non-NULL needs class_size, else INVALID_PARAMETER); *class_size
 * follows the hk_enum_key rules. */
HK_API hk_status hk_query_info_key(hk_key *key, char *class_buf, size_t *class_size,
                                   hk_key_info *info);

/* The key's own name (the root's stored name for the root), buffer rules as
 * hk_enum_key. Not in winreg; offreg and forensics need it. */
HK_API hk_status hk_key_name(hk_key *key, char *name, size_t *name_size);

/* The key's self-relative security descriptor bytes (RegGetKeySecurity with
 * all parts). Short buffer: INSUFFICIENT_BUFFER with *size set. */
HK_API hk_status hk_get_key_security(hk_key *key, void *descriptor, size_t *size);

/* ---- editing (winreg) -------------------------------------------------- */

/* Editing works on a private copy of the hive in memory; nothing touches a
 * file before hk_hive_save / hk_flush_key / hk_save_key. Every edit:
 *  - ACCESS_DENIED on a hive opened without HK_OPEN_WRITE, and when the
 *    handle lacks the right winreg needs (KEY_SET_VALUE for values,
 *    KEY_CREATE_SUB_KEY to create, KEY_WRITE to rename, DELETE to delete the
 *    handle's own key, WRITE_OWNER / WRITE_DAC for security);
 *  - REGISTRY_IO_FAILED on a hive that opened dirty ("replay its logs
 *    first"): it is neither edited nor saved, so its logs are never lost;
 *  - NOT_SUPPORTED on a version 1.1 or 1.2 hive (an older layout);
 *  - names at most 255 (key) / 16383 (value) UTF-16 units, else
 *    INVALID_PARAMETER; invalid UTF-8 NO_UNICODE_TRANSLATION;
 *  - last-write times from the hive's clock (hk_hive_set_clock, else
 *    SOURCE_DATE_EPOCH, else the system time): same edits, same bytes;
 *  - handles on a deleted key then fail with KEY_DELETED.
 * Freed cells keep their bytes (only the size sign flips, as Windows does);
 * max name/class/data fields are high-water marks, never lowered (as
 * Windows keeps them). */

/* hk_create_key_ex disposition */
#define HK_REG_CREATED_NEW_KEY 1u
#define HK_REG_OPENED_EXISTING_KEY 2u

/* hk_save_key / hk_hive_save flags */
#define HK_SAVE_OVERWRITE 0x1u   /* replace an existing file (else FILE_EXISTS) */
#define HK_SAVE_BREAK_LINKS 0x2u /* replace a file that has other hard links: this name gets
                                    the new file, the other names keep the old one */

/* security_info bits (SECURITY_INFORMATION) for hk_set_key_security */
#define HK_OWNER_SECURITY_INFORMATION 0x1u
#define HK_GROUP_SECURITY_INFORMATION 0x2u
#define HK_DACL_SECURITY_INFORMATION 0x4u
#define HK_SACL_SECURITY_INFORMATION 0x8u

/* A new empty hive in memory: version 1.minor_version (3 or 5), a root key
 * named root_name (NULL: "ROOT"). Writable; nothing touches a file until
 * hk_hive_save. Owned: free with hk_hive_close(). */
HK_API hk_status hk_hive_create(uint32_t minor_version, const char *root_name, hk_hive **out);

/* Writes the whole hive to path atomically (temporary file beside it, fsync,
 * rename, folder fsync): both sequence numbers = the old primary + 1, last
 * written = the clock, checksum set. path NULL: the file it was opened from
 * with HK_OPEN_WRITE (overwriting implied). An existing path without
 * HK_SAVE_OVERWRITE: FILE_EXISTS. A hive that opened dirty:
 * REGISTRY_IO_FAILED until its logs are replayed (or HK_OPEN_ACCEPT_DIRTY).
 * A read-only hive may be saved to another path (a copy).
 * The file the user has is kept: a path that is a symbolic link has its
 * target replaced (the link stays); the mode, owner and group of the file
 * replaced are kept (where the owner or group cannot be, the save succeeds
 * and hk_hive_save_note says so); a file with no write permission:
 * ACCESS_DENIED; one with other hard links: NOT_SUPPORTED unless
 * HK_SAVE_BREAK_LINKS. A gzip file is written as gzip: a path ending in
 * ".gz" (any case), or the gzip file the hive was opened from.
 * Writers exclude each other: HK_OPEN_WRITE of a file takes an advisory lock
 * on it (held until hk_hive_close, and carried over to the new file by each
 * save), and saving to the opened file refuses, with FILE_INVALID, to
 * replace a file that changed on disk since it was read or last saved
 * (another program wrote it). Readers take no lock: saves are atomic. */
HK_API hk_status hk_hive_save(hk_hive *hive, const char *path, uint32_t flags);

/* What the last successful save could not keep of the file it replaced (its
 * owner or group), "" if nothing. Borrowed: valid until the next call on
 * the hive. */
HK_API const char *hk_hive_save_note(const hk_hive *hive);

/* Sets the clock for last-write times (FILETIME); 0 returns to the default:
 * SOURCE_DATE_EPOCH when set, else the system time. */
HK_API void hk_hive_set_clock(hk_hive *hive, uint64_t filetime);

/* CreateKey: opens or creates key\sub_key, with every missing intermediate
 * key; access KEY_ALL_ACCESS. Owned: free with hk_close_key(). */
HK_API hk_status hk_create_key(hk_key *key, const char *sub_key, hk_key **out);

/* CreateKeyEx / RegCreateKeyEx: class_name (NULL: none) is stored only on
 * the last key when it creates it; options 0 (REG_OPTION_NON_VOLATILE) or
 * HK_REG_OPTION_CREATE_LINK, any other bit (volatile keys are not
 * supported) INVALID_PARAMETER; reserved != 0 INVALID_PARAMETER (as
 * RegCreateKeyEx); *disposition (may be NULL) says created or opened.
 * Opening keys that all exist needs no write access. */
HK_API hk_status hk_create_key_ex(hk_key *key, const char *sub_key, uint32_t reserved,
                                  const char *class_name, uint32_t options, uint32_t access,
                                  hk_key **out, uint32_t *disposition);

/* SetValue: the default value of key\sub_key (created if missing) as a
 * REG_SZ; type must be HK_REG_SZ. */
HK_API hk_status hk_set_value(hk_key *key, const char *sub_key, uint32_t type, const char *value);

/* SetValueEx: stores exactly size bytes of data with type under name (NULL or
 * "": the default value). An existing value keeps its place in the list, a
 * new one goes last. Up to 4 bytes inline, else one cell; over 16344 bytes
 * big-data segments from version 1.4. Limits: 1 MiB in a 1.3 hive
 * (Windows' standard format), 65535 segments from 1.4: else
 * INVALID_PARAMETER. reserved is ignored, as RegSetValueEx and winreg
 * ignore it. */
HK_API hk_status hk_set_value_ex(hk_key *key, const char *name, uint32_t reserved, uint32_t type,
                                 const void *data, size_t size);

/* DeleteValue. Missing: FILE_NOT_FOUND. */
HK_API hk_status hk_delete_value(hk_key *key, const char *name);

/* DeleteKey: key\sub_key, which must have no subkeys (else ACCESS_DENIED, as
 * Win32). sub_key "" deletes key itself (needs DELETE on the handle); the
 * root cannot be deleted (ACCESS_DENIED). */
HK_API hk_status hk_delete_key(hk_key *key, const char *sub_key);

/* RegDeleteKeyEx: as hk_delete_key; access names the registry view
 * (HK_KEY_WOW64_64KEY or HK_KEY_WOW64_32KEY, or 0), which a single hive
 * does not have: the key is the one sub_key names. Other access bits or
 * reserved != 0: INVALID_PARAMETER. */
HK_API hk_status hk_delete_key_ex(hk_key *key, const char *sub_key, uint32_t access,
                                  uint32_t reserved);

/* RegDeleteTree: key\sub_key with its whole subtree (sub_key NULL: only the
 * contents of key). */
HK_API hk_status hk_delete_tree(hk_key *key, const char *sub_key);

/* RegRenameKey: key\sub_key (NULL: key itself) gets new_name (no '\', at
 * most 255 units). A sibling with that name (case-insensitively):
 * ALREADY_EXISTS. Open handles follow the key. */
HK_API hk_status hk_rename_key(hk_key *key, const char *sub_key, const char *new_name);

/* RegCopyTree: the values and subtree of src\sub_key copied under dst
 * (possibly in another hive); existing values are replaced, existing keys
 * merged into; new keys take dst's security. Class names are kept: every
 * new key takes its source's, and a key without one (dst included) takes
 * the source's. dst inside the copied tree:
 * INVALID_PARAMETER. */
HK_API hk_status hk_copy_tree(hk_key *src, const char *sub_key, hk_key *dst);

/* FlushKey: saves the key's hive to its own file (as hk_hive_save(hive, NULL)).
 * A deleted key: KEY_DELETED, nothing written. */
HK_API hk_status hk_flush_key(hk_key *key);

/* SaveKey: the key and its subtree as a new compact hive file at path (the
 * key becomes the root; classes, security descriptors and last-write times
 * kept). An existing path without HK_SAVE_OVERWRITE: ALREADY_EXISTS (183),
 * RegSaveKey's error. */
HK_API hk_status hk_save_key(hk_key *key, const char *path, uint32_t flags);

/* RegSetKeySecurity: replaces the parts security_info names with those of the
 * self-relative descriptor; keys sharing the old descriptor keep it. The key
 * then shares an sk cell holding identical bytes, or gets a new one. A bad
 * descriptor or unknown bits: INVALID_PARAMETER. */
HK_API hk_status hk_set_key_security(hk_key *key, uint32_t security_info, const void *descriptor,
                                     size_t size);

/* ---- transaction logs (lib/log) ----------------------------------------- */

/* hk_log_info.format */
#define HK_LOG_FORMAT_UNKNOWN 0u /* not a usable log (note says why) */
#define HK_LOG_FORMAT_OLD 1u     /* dirty vector + pages ("DIRT"): Windows XP to 8 */
#define HK_LOG_FORMAT_NEW 2u     /* log entries ("HvLE"): Windows 8.1 and later */

typedef struct hk_log_info {
    uint32_t size;    /* sizeof(hk_log_info): HK_LOG_INFO_INIT */
    const char *path; /* as found or given */
    int applied;      /* replayed into the hive */
    uint32_t format;  /* HK_LOG_FORMAT_* */
    uint32_t sequence; /* its base block's sequence number */
    uint32_t entries; /* log entries applied (an old-format log counts 1) */
    uint32_t pages;   /* dirty page runs applied */
    const char *note; /* why it was not used, or the rule that ended its replay early; "" if none */
    int ignored;      /* not used: its name differs only in letter case from another
                         log's, whose name matches the hive's exactly (note names it) */
} hk_log_info;
#define HK_LOG_INFO_INIT {sizeof(hk_log_info), NULL, 0, 0, 0, 0, 0, NULL, 0}

/* Transaction log number index (0 .. logs_found-1) of an open hive: what
 * became of it. Past the end: NO_MORE_ITEMS. Strings borrowed: valid until
 * hk_hive_close. */
HK_API hk_status hk_hive_log_info(hk_hive *hive, uint32_t index, hk_log_info *out);

/* Replays the transaction logs of the dirty hive at hive_path (opts as for
 * hk_hive_open: log_paths; opts may be NULL) and writes the result
 * to out_path atomically: the whole file, its base block as Windows leaves
 * it after recovery (both sequence numbers equal, file type 0, checksum
 * right). The replayed hive must open and walk cleanly first. An existing
 * out_path (the hive itself included) is replaced only with
 * HK_SAVE_OVERWRITE, else FILE_EXISTS. A clean hive: NOT_SUPPORTED (nothing
 * to recover); a dirty one without logs: FILE_NOT_FOUND; no usable log:
 * BADDB. */
HK_API hk_status hk_hive_recover(const char *hive_path, const hk_open_options *opts,
                                 const char *out_path, uint32_t flags);

/* ---- forensics (lib/forensic) -------------------------------------------- */

/* hk_open_options.flags: open a damaged hive for salvage. A base block that
 * declares more hive bins than the file holds no longer fails the open (the
 * bins the file holds are used); a base block whose checksum is bad or whose
 * bins size is impossible is not trusted for the size (the bins are found in
 * the file); a broken bin header is skipped to the next intact bin (4 KiB
 * aligned, its signature, own offset and size checked), whose cells and all
 * after it are read. hk_hive_salvage_note() says what was cut or skipped.
 * Reading then fails only where a structure is broken (BADDB naming it), so a
 * caller can skip that subtree and go on; hk_deleted_scan reports the keys no
 * path reaches any more as orphans. Such a hive cannot be edited. */
#define HK_OPEN_SALVAGE 0x100u
/* every hk_open_options.flags bit this version knows; others: INVALID_PARAMETER */
#define HK_OPEN_KNOWN_FLAGS (HK_OPEN_WRITE | HK_OPEN_NO_LOGS | HK_OPEN_SALVAGE | HK_OPEN_ACCEPT_DIRTY)

/* What the salvage open left out ("" when the hive needed nothing).
 * Borrowed: valid until hk_hive_close. */
HK_API const char *hk_hive_salvage_note(const hk_hive *hive);

/* hk_deleted_record.kind / .where / .data_state */
#define HK_DELETED_KEY 1u
#define HK_DELETED_VALUE 2u
#define HK_DELETED_IN_FREE_CELL 1u /* inside an unallocated cell */
#define HK_DELETED_IN_SLACK 2u     /* in the unused tail of an allocated cell */
#define HK_DELETED_IN_REMNANT 3u   /* after the last hive bin: old bins of a larger file */
#define HK_DELETED_IN_UNREFERENCED 4u /* an allocated cell no path from the root reaches:
                                         space allocated again around old records ("healed"),
                                         or a record cut off from the tree by damage */
#define HK_DELETED_DATA_OK 0u      /* data holds data_size bytes */
#define HK_DELETED_DATA_REUSED 1u  /* the data's cell is allocated again */
#define HK_DELETED_DATA_INVALID 2u /* the data's cell is gone or cannot hold it */
/* hk_deleted_record.missing: what of a record could not be recovered */
#define HK_DELETED_MISSING_PATH 0x1u   /* its (key's) path does not reach the root */
#define HK_DELETED_MISSING_KEY 0x2u    /* value: no key's value list names it */
#define HK_DELETED_MISSING_DATA 0x4u   /* value: data_state is not OK */
#define HK_DELETED_MISSING_VALUES 0x8u /* key: its value list, or a value it names, is gone */

/* One key node or value record found in unallocated space. Strings are UTF-8
 * (WTF-8) with their length (a name may hold NULs) and a NUL after them.
 * Paths are relative to the root key ("" is the root), backslash-separated,
 * as far up as live or deleted parents lead: path_complete says whether they
 * reach the root. Borrowed: everything is valid during the callback only. */
typedef struct hk_deleted_record {
    uint32_t kind;        /* HK_DELETED_KEY or HK_DELETED_VALUE */
    uint32_t where;       /* HK_DELETED_IN_FREE_CELL or HK_DELETED_IN_SLACK */
    uint32_t offset;      /* where the record's cell starts (relative to the first bin) */
    const char *name;     /* the key's or value's name ("" the default value) */
    size_t name_len;
    const char *path;     /* key: its own path; value: its key's path, "" when unknown */
    size_t path_len;
    int path_complete;    /* the path reaches the root (a value: its key is known) */
    uint32_t key_offset;  /* value: the key node that listed it, 0xFFFFFFFF unknown */
    uint64_t last_write;  /* key: FILETIME */
    uint32_t parent_offset;          /* key: the parent as stored */
    uint32_t subkey_count, value_count; /* key: as stored */
    uint32_t reg_type;    /* value */
    uint32_t data_size;   /* value: bytes the record declares */
    uint32_t data_state;  /* value: HK_DELETED_DATA_* */
    const uint8_t *data;  /* value: data_size bytes when data_state is OK, else NULL */
    /* Fields are only ever added, at the end: */
    uint32_t missing;     /* HK_DELETED_MISSING_* bits; 0: the record is complete */
    int orphan;           /* an allocated, intact record (a strict reader accepts it on its
                             own) that no path from the root reaches, e.g. a key beyond a
                             damaged bin: reported with its subtree, its path partial */
    uint32_t copies;      /* identical records found (>= 1): the others are not reported */
} hk_deleted_record;

/* Called once per record; a nonzero return stops the scan (CANCELLED). */
typedef int (*hk_deleted_fn)(const hk_deleted_record *rec, void *ctx);

/* Scans free cells, the slack of allocated cells, allocated cells that no
 * path from the root reaches, and the remnant data after the last hive bin
 * for plausible deleted key nodes and values, in offset order (remnant
 * offsets continue past the bins). A value is attributed to the key whose
 * value list (a deleted key's list, or the tail of a live key's list beyond
 * its count) still names it. A key whose parent chain breaks is reported
 * with the path from its deepest recoverable ancestor (path_complete 0).
 * Data is returned only from space no live record uses that can hold it.
 * A record found again byte for byte elsewhere is reported once (copies).
 * BADDB when the cells of a bin do not tile (unless the hive was opened with
 * HK_OPEN_SALVAGE: that bin's rest is skipped). */
HK_API hk_status hk_deleted_scan(hk_hive *hive, hk_deleted_fn fn, void *ctx);

/* One stretch of slack: the bytes of an allocated cell after the record it
 * holds (by its signature and counts, or by what the live record that
 * references it declares). Borrowed: valid during the callback only. */
typedef struct hk_slack {
    uint32_t cell;        /* the cell's offset (relative to the first bin) */
    uint32_t offset;      /* where the slack starts (relative to the first bin) */
    const uint8_t *bytes;
    size_t len;
} hk_slack;

/* Called once per cell with slack; a nonzero return stops the scan (CANCELLED). */
typedef int (*hk_slack_fn)(const hk_slack *slack, void *ctx);

/* The slack of every allocated cell a walk from the root reaches, in offset
 * order (cells nothing reaches are scanned whole by hk_deleted_scan). BADDB
 * as hk_deleted_scan. */
HK_API hk_status hk_slack_scan(hk_hive *hive, hk_slack_fn fn, void *ctx);

/* hk_check_finding.severity */
#define HK_CHECK_WARNING 1u /* Windows tolerates it */
#define HK_CHECK_ERROR 2u   /* a rule of the format is broken */

typedef struct hk_check_finding {
    uint32_t severity;    /* HK_CHECK_WARNING or HK_CHECK_ERROR */
    uint64_t file_offset; /* where, in the (inflated) file */
    const char *rule;     /* short rule name, e.g. "cell-size", "list-order" */
    const char *message;  /* one line naming offsets and values */
} hk_check_finding;

typedef struct hk_check_counts {
    uint32_t size; /* sizeof(hk_check_counts): HK_CHECK_COUNTS_INIT */
    uint32_t errors, warnings;
} hk_check_counts;
#define HK_CHECK_COUNTS_INIT {sizeof(hk_check_counts), 0, 0}

/* Called once per finding, in the order they are found (base block, bins and
 * cells in offset order, then the key tree depth-first, then references);
 * a nonzero return stops the check (CANCELLED). Borrowed: valid during the
 * callback. */
typedef int (*hk_check_fn)(const hk_check_finding *finding, void *ctx);

/* Verifies every invariant of the hive: base block (checksum, sizes), bin
 * headers, cell sizes and tiling, each record reached from the root (its
 * signature and bounds), subkey lists (order, hints, hashes, counts, parent
 * links), value lists and data (inline, one cell, big data segments),
 * max-length fields, security cells (ring links, reference counts), cells
 * referenced twice or free where referenced, and allocated cells nothing
 * references. counts (may be NULL) gets the totals. SUCCESS when the check
 * ran to its end, whatever it found; CANCELLED when fn stopped it. */
HK_API hk_status hk_hive_check(hk_hive *hive, hk_check_fn fn, void *ctx, hk_check_counts *counts);
/* ---- carving (lib/forensic) --------------------------------------------- */

/* hk_carve_record.type */
#define HK_CARVE_HIVE 1u        /* a base block and the hive bins after it */
#define HK_CARVE_FRAGMENT 2u    /* a run of hive bins without a base block */
#define HK_CARVE_REASSEMBLED 3u /* a truncated hive completed from fragments */
#define HK_CARVE_LOG 4u         /* a run of transaction log entries ("HvLE") */

/* hk_carve_options.flags */
#define HK_CARVE_MEMORY 0x1u     /* a memory image: hive bins at any byte offset
                                    (else a disk image: 512-byte sectors) */
#define HK_CARVE_DATA 0x2u       /* hand each find's bytes to the callback */
#define HK_CARVE_REASSEMBLE 0x4u /* after the scan, complete truncated hives
                                    from fragments (disk images) */

/* Called with (bytes scanned, image size) every 64 MiB or so and at the end;
 * ctx is the one given with the find callback. */
typedef void (*hk_carve_progress_fn)(uint64_t done, uint64_t total, void *ctx);

typedef struct hk_carve_options {
    uint32_t size;                 /* sizeof(hk_carve_options): HK_CARVE_OPTIONS_INIT */
    uint32_t flags;                /* HK_CARVE_* */
    hk_carve_progress_fn progress; /* may be NULL */
} hk_carve_options;

#define HK_CARVE_OPTIONS_INIT {sizeof(hk_carve_options), 0, NULL}

/* One find. Borrowed: valid during the callback only. */
typedef struct hk_carve_record {
    uint32_t type;            /* HK_CARVE_* */
    int compressed;           /* found in NTFS-compressed units (LZNT1): data and
                                 sizes are those after decompression */
    uint64_t offset;          /* where the find starts in the image */
    uint64_t size;            /* bytes of hive data: base block and bins for a
                                 hive, the run of bins for a fragment */
    uint32_t hbins_data_size; /* hive: the bins size its base block declares */
    int truncated;            /* hive: fewer bins than declared, or the last one cut */
    uint32_t hbin_start;      /* fragment: the offset field of its first bin */
    uint32_t log_entries;     /* log: entries in the run */
    const uint8_t *data;      /* size bytes with HK_CARVE_DATA (always for a
                                 reassembled hive), else NULL */
    const uint64_t *pieces;   /* reassembled: image offsets of the truncated hive
                                 and of each fragment joined to it, in order */
    uint32_t n_pieces;
} hk_carve_record;

/* Called once per find in image order (reassembled hives after the scan); a
 * nonzero return stops the carve (CANCELLED). */
typedef int (*hk_carve_fn)(const hk_carve_record *rec, void *ctx);

/* Scans a raw image for hives and hive fragments as yarp's carvers do.
 * Disk image: at each 512-byte sector, a base block followed by a bin gives
 * a hive (its bins walked while their offsets run on; a bin or cell that
 * breaks the run makes it truncated, cut at the sector before the break);
 * a bin without a base block starts a fragment; log entries ("HvLE") whose
 * sequence numbers follow on, each consistent in itself (sizes, page
 * references; its hashes are checked when it is replayed), make a log run;
 * a compression unit whose first chunk holds "regf" or "hbin" is
 * decompressed (units of 64 KiB, stored raw or compressed, with or without
 * slack between them) and carved the same way. Memory image: bins at any byte offset, each run of bins whose offsets
 * follow on reported as a fragment (a run cut short within its bin, when it
 * holds a cell). The image is read in windows: memory stays bounded whatever
 * its size (plus each find's bytes with HK_CARVE_DATA). Every size and
 * offset in it is untrusted: bins are at most 64 MiB, cells 2 MiB, a hive
 * at most 500 MiB.
 * Errors: FILE_NOT_FOUND, ACCESS_DENIED, CANTOPEN, CANTREAD (I/O),
 * NOT_ENOUGH_MEMORY, INVALID_PARAMETER. */
HK_API hk_status hk_carve_file(const char *path, const hk_carve_options *opts, hk_carve_fn fn,
                               void *ctx);

/* As hk_carve_file over size bytes in memory (not copied). */
HK_API hk_status hk_carve_memory(const void *data, size_t size, const hk_carve_options *opts,
                                 hk_carve_fn fn, void *ctx);

/* ---- text formats (lib/text) ------------------------------------------ */

/* Receives output bytes in order; returns 0 to go on, anything else to stop
 * (a write that failed: the call then returns CANCELLED). */
typedef int (*hk_write_fn)(const void *data, size_t size, void *ctx);

/* hk_export_options.format */
#define HK_FORMAT_REG 1u  /* regedit version 5 ("Windows Registry Editor Version 5.00") */
#define HK_FORMAT_REG4 2u /* REGEDIT4 */
#define HK_FORMAT_JSON 3u /* one nested JSON document (schema in hivekit(1)) */
#define HK_FORMAT_JSONL 4u /* JSON lines: one object a key or value (schema in hivekit(1)) */

/* hk_export_options.flags */
#define HK_EXPORT_SALVAGE 0x1u /* jsonl: a subkey that cannot be read is skipped (on_skip
                                  says which), not the end of the export */

/* Told of a subkey a salvaging export skipped: below the key at path
 * (path_len bytes, relative to the root as the "path" field gives it),
 * subkey number index, and why (the read's detail, or the status text). */
typedef void (*hk_export_skip_fn)(const char *path, size_t path_len, uint32_t index,
                                  const char *why, void *ctx);

/* Told of an export's progress: keys, the number of keys written so far
 * (1, 2, 3, ...: one call a key). */
typedef void (*hk_export_progress_fn)(uint64_t keys, void *ctx);

/* hk_export_options.encoding */
#define HK_ENCODING_DEFAULT 0u /* reg: UTF-16LE with BOM; reg4: Windows-1252; json: UTF-8 */
#define HK_ENCODING_UTF16LE 1u
#define HK_ENCODING_UTF8 2u    /* no BOM */
#define HK_ENCODING_CP1252 3u  /* reg4 only */

typedef struct hk_export_options {
    uint32_t size;        /* sizeof(hk_export_options): HK_EXPORT_OPTIONS_INIT */
    uint32_t format;      /* HK_FORMAT_* */
    uint32_t encoding;    /* HK_ENCODING_* */
    const char *prefix;   /* key-line path of the hive's root; NULL:
                             "HKEY_LOCAL_MACHINE\<root key name>" */
    const char *key_path; /* the exported key's path below the root, stored
                             names joined by '\' (NULL or "": the root); a
                             name holding a NUL needs key_path_len */
    /* Fields are only ever added, at the end: */
    uint32_t flags;       /* HK_EXPORT_* */
    uint32_t max_depth;   /* jsonl: keys this many levels below key get their key line
                             only (1: key, its values, its subkeys' lines); 0: no limit */
    hk_export_skip_fn on_skip; /* HK_EXPORT_SALVAGE: told of each skipped subkey; may be NULL */
    void *skip_ctx;
    size_t key_path_len;  /* bytes of key_path, which may then hold NULs (a stored name
                             can); 0: key_path is NUL-terminated (or NULL) */
    hk_export_progress_fn progress; /* jsonl: told after each key's line; may be NULL */
    void *progress_ctx;
} hk_export_options;
#define HK_EXPORT_OPTIONS_INIT {sizeof(hk_export_options), 0, 0, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, NULL}

/* Writes key and its whole subtree through write: .reg (keys depth-first in
 * hive order, values in stored order, CRLF lines, regedit's wrapping of hex
 * data), JSON, or JSON lines (the key's line, its values' lines, then each
 * subkey the same way; "path" is key_path joined with the names below it;
 * a "path" or "name" that is not valid UTF-16 is shown with U+FFFD and has
 * a "path_utf16_hex" / "name_utf16_hex" twin with its exact units). Lossless: a value the string or dword form would not give
 * back byte for byte (no final NUL, an odd size, bytes after the NUL, invalid
 * UTF-16, CR or LF in the text, a REG_DWORD not of 4 bytes) is written as
 * hex(N). What a format cannot carry at all (an empty key name, or a NUL,
 * CR, LF or '\' in one; a NUL in a value name; in REGEDIT4 text outside
 * Windows-1252, or string-type data without a final NUL) fails with
 * INVALID_DATA and hk_errmsg() names the key. */
HK_API hk_status hk_export(hk_key *key, const hk_export_options *opts, hk_write_fn write,
                           void *ctx);

/* One hk_deleted_scan record as a line of JSON ("\n"-ended) through write,
 * as `hivekit deleted --format jsonl` prints it: "type" ("key"/"value"),
 * "path" and "name" (each with a *_utf16_hex twin when not valid UTF-16),
 * "offset", "where", "path_complete"; a key's "last_write",
 * "last_write_utc", "subkeys", "values"; a value's "reg_type",
 * "type_name", "size", "data_state", "data_hex" (null without data); then
 * "complete", "missing", "orphan", "copies". CANCELLED when write refuses. */
HK_API hk_status hk_deleted_record_jsonl(const hk_deleted_record *r, hk_write_fn write, void *ctx);

/* The names the deleted listings give hk_deleted_record fields: where
 * ("free", "slack", "remnant", "unreferenced"), data_state ("ok",
 * "reused", "invalid"), one HK_DELETED_MISSING_* bit ("path", "key",
 * "data", "values"; NULL for another value). Static strings. */
HK_API const char *hk_deleted_where_name(uint32_t where);
HK_API const char *hk_deleted_data_state_name(uint32_t state);
HK_API const char *hk_deleted_missing_name(uint32_t bit);

/* Text of a name or data (n bytes of UTF-8/WTF-8, NULs allowed) made safe
 * for a terminal and for line-based readers, to out, which must hold
 * HK_TEXT_ESCAPE_MAX(n) bytes: C0 controls and DEL as \xNN (ESC -> \x1b,
 * LF -> \x0a, NUL -> \x00), C1 controls (U+0080-U+009F) as \u0080..\u009f,
 * unpaired surrogates as \udXXX, a byte that is not UTF-8 as \xNN; the
 * rest as it is ('\' too). Returns the bytes written (no NUL added). What
 * hivekit's text outputs (query, info, timeline, deleted) print. */
/* A FILETIME (100 ns ticks since 1601 UTC) as "2020-01-05T08:25:33.3627109Z"
 * and a NUL at out; returns the length (28 for years 1601-9999). */
#define HK_FILETIME_TEXT_SIZE 32
HK_API size_t hk_filetime_text(uint64_t filetime, char out[HK_FILETIME_TEXT_SIZE]);

/* Windows' name of a value type ("REG_SZ", ... "REG_QWORD"), NULL for a
 * type without one. Static strings. */
HK_API const char *hk_type_name(uint32_t type);

#define HK_TEXT_ESCAPE_MAX(n) (4 * (size_t)(n))
HK_API size_t hk_text_escape(const char *s, size_t n, char *out);

/* A name or string (n bytes of UTF-8/WTF-8, NULs allowed) as the inside of
 * a strict JSON string (no quotes) to out, which must hold
 * HK_JSON_ESCAPE_MAX(n) bytes: '"' and '\\' escaped, C0 controls as \u00XX
 * (LF -> \u000a), unpaired surrogates (a name that is not valid UTF-16) and
 * bytes that are not UTF-8 as \ufffd; the rest as it is. *lossy (may be
 * NULL) gets 1 when something was replaced by \ufffd, else 0: the exact
 * units then go to a twin field (hk_utf16_hex), as hivekit's JSON outputs
 * write "name" and "name_utf16_hex". Returns the bytes written. */
#define HK_JSON_ESCAPE_MAX(n) (6 * (size_t)(n))
HK_API size_t hk_json_escape(const char *s, size_t n, char *out, int *lossy);

/* The same text as the hex of its UTF-16LE units (4 lowercase digits a
 * unit: "a" -> "6100"; a byte that is not UTF-8 as a unit of its own) to
 * out, which must hold HK_UTF16_HEX_MAX(n) bytes: the exact name a JSON
 * twin field carries. Returns the bytes written. */
#define HK_UTF16_HEX_MAX(n) (4 * (size_t)(n))
HK_API size_t hk_utf16_hex(const char *s, size_t n, char *out);

/* A .reg writer for hand-made files and patches (hk_compare_keys).
 * opts->format is HK_FORMAT_REG or HK_FORMAT_REG4; prefix and key_path are
 * not used. Opening writes the header.
 * Owned: free with hk_reg_writer_free(). */
typedef struct hk_reg_writer hk_reg_writer;
HK_API hk_status hk_reg_writer_open(const hk_export_options *opts, hk_write_fn write, void *ctx,
                                    hk_reg_writer **out);
/* "[path]", or "[-path]" when deletion is non-zero. */
HK_API hk_status hk_reg_write_key(hk_reg_writer *w, const char *path, int deletion);
/* A value line of the current key; name_len bytes of name ("" is @). */
HK_API hk_status hk_reg_write_value(hk_reg_writer *w, const char *name, size_t name_len,
                                    uint32_t type, const void *data, size_t size);
/* "name"=- */
HK_API hk_status hk_reg_write_delete_value(hk_reg_writer *w, const char *name, size_t name_len);
/* key and its subtree, key's own line reading "[path]". */
HK_API hk_status hk_reg_write_tree(hk_reg_writer *w, hk_key *key, const char *path);
/* Ends the file and writes everything still buffered. */
HK_API hk_status hk_reg_writer_finish(hk_reg_writer *w);
HK_API void hk_reg_writer_free(hk_reg_writer *w);

typedef struct hk_import_options {
    uint32_t size;      /* sizeof(hk_import_options): HK_IMPORT_OPTIONS_INIT */
    const char *prefix; /* keys at or below it map to the root; NULL: the
                           file's first key line */
} hk_import_options;
#define HK_IMPORT_OPTIONS_INIT {sizeof(hk_import_options), NULL}

/* Applies a .reg file (size bytes of text: UTF-16LE/BE with BOM, UTF-8 with
 * or without BOM, REGEDIT4 in Windows-1252) below root, which must be
 * writable: "[key]" creates, "[-key]" deletes a subtree, "name"=data sets,
 * "name"=- deletes. The whole text is parsed and every key checked against
 * the prefix before anything changes; a bad file gives INVALID_DATA and
 * leaves the hive as it was. On failure hk_errmsg() reads "LINE:COLUMN:
 * what is wrong"; a file with several errors gets one such line each
 * ('\n'-separated, at most 20, then a line saying more follow). */
HK_API hk_status hk_import_reg(hk_key *root, const void *text, size_t size,
                               const hk_import_options *opts);

/* The path of the first key line of a .reg file as UTF-8 + NUL, under the
 * hk_enum_key buffer rules. The file is parsed and decoded up to that line
 * only; its encoding is still checked whole (a UTF-8 text byte by byte,
 * the length of a UTF-16 one, a gzip stream inflated), so that a text
 * hk_import_reg would refuse for its encoding is refused here alike. A
 * file without key lines: FILE_NOT_FOUND; a bad start or encoding:
 * INVALID_DATA with hk_errmsg() as hk_import_reg's. */
HK_API hk_status hk_reg_first_key(const void *text, size_t size, char *path, size_t *path_size);

/* Whether a .reg key path starts with a predefined root, as regedit writes
 * them: HKEY_CLASSES_ROOT (HKCR), HKEY_CURRENT_USER (HKCU),
 * HKEY_LOCAL_MACHINE (HKLM), HKEY_USERS (HKU), HKEY_CURRENT_CONFIG (HKCC),
 * HKEY_PERFORMANCE_DATA, HKEY_DYN_DATA, in any letter case, as the first
 * component. Returns the length of that component (0: not a root) and sets
 * *long_name (may be NULL) to the root's long name. Static strings. */
HK_API size_t hk_reg_root(const char *path, const char **long_name);

/* hk_diff.kind */
#define HK_DIFF_KEY_ONLY_A 1u     /* a subkey A has and B lacks */
#define HK_DIFF_KEY_ONLY_B 2u
#define HK_DIFF_VALUE_ONLY_A 3u
#define HK_DIFF_VALUE_ONLY_B 4u
#define HK_DIFF_VALUE_CHANGED 5u  /* same name, other type or bytes */
#define HK_DIFF_CLASS_CHANGED 6u  /* the key's class names differ: data_a/size_a and
                                     data_b/size_b hold them (UTF-8, size 0: none) */
#define HK_DIFF_TIME_CHANGED 7u   /* HK_COMPARE_TIMES: last-write times differ (time_a/b) */
#define HK_DIFF_SECURITY_CHANGED 8u /* HK_COMPARE_SECURITY: the descriptors differ
                                       (data_a/size_a, data_b/size_b: their bytes) */

typedef struct hk_diff {
    uint32_t kind;
    const char *path;   /* the key's path below the compared keys ("" for them) */
    size_t path_len;
    hk_key *key_a;      /* the key on each side, NULL where it is absent */
    hk_key *key_b;
    const char *name;   /* the value's name (value kinds), name_len bytes */
    size_t name_len;
    uint32_t type_a, type_b;
    const void *data_a, *data_b;
    size_t size_a, size_b;
    uint64_t time_a, time_b; /* HK_DIFF_TIME_CHANGED: the keys' FILETIMEs */
} hk_diff;

/* Called per difference; nonzero stops the comparison (CANCELLED). */
typedef int (*hk_diff_fn)(const hk_diff *diff, void *ctx);

/* Compares the trees below a and b as reg compare does: key names and value
 * names case-insensitively, values by type and exact bytes. For each key:
 * a class-name difference (HK_DIFF_CLASS_CHANGED), its value differences (A's stored order, then values only B has), then
 * each subkey of A in order (recursing into shared ones, or ONLY_A), then
 * the subkeys only B has. A key only one side has is reported once, not its
 * contents. *count (may be NULL) gets the number of differences. */
HK_API hk_status hk_compare_keys(hk_key *a, hk_key *b, hk_diff_fn fn, void *ctx,
                                 uint64_t *count);

/* hk_compare_keys_ex flags */
#define HK_COMPARE_TIMES 0x1u    /* report keys whose last-write times differ */
#define HK_COMPARE_SECURITY 0x2u /* report keys whose security descriptors differ */

/* As hk_compare_keys, and for each key present on both sides, before its
 * values: a class difference, then with flags a time and a security
 * difference. hk_compare_keys is this with flags 0 (classes are always
 * compared). Unknown flags: INVALID_PARAMETER. */
HK_API hk_status hk_compare_keys_ex(hk_key *a, hk_key *b, uint32_t flags, hk_diff_fn fn,
                                    void *ctx, uint64_t *count);

/* ---- typed decoders: winreg's registry -> Python conversion rules ----- */

/* REG_SZ / REG_EXPAND_SZ rule: size/2 UTF-16 units (an odd byte dropped), cut
 * at the first NUL, to UTF-8 with a NUL. *out_size counts the NUL on both
 * sides, as hk_query_value's does. */
HK_API hk_status hk_decode_string(const void *data, size_t size, char *out, size_t *out_size);

/* REG_MULTI_SZ rule: drop one final NUL unit, split the rest at NUL units.
 * Writes each item as UTF-8 followed by a NUL, back to back; *count gets the
 * number of items. "a\0b\0\0" -> 2 items; "\0" -> 0; "\0\0" -> 1 empty item. */
HK_API hk_status hk_decode_multi_sz(const void *data, size_t size, char *out, size_t *out_size,
                                    size_t *count);

/* REG_DWORD / REG_QWORD rule: little-endian; size 0 gives 0; short data is
 * zero-extended, extra bytes ignored. */
HK_API uint32_t hk_decode_dword(const void *data, size_t size);
HK_API uint64_t hk_decode_qword(const void *data, size_t size);

/* ---- registry namespace: predefined keys, mounts, links, views -------- */

/* A registry context: HKLM and HKU holding mounted hives, and the keys
 * derived from them (HKCU, HKCR, HKCC), as Windows resolves them. Keys
 * opened through it are ordinary hk_key handles. Distinct contexts share
 * nothing; one context is for one thread at a time. */
typedef struct hk_registry hk_registry;

/* Predefined keys: winreg's numbers (Python's winreg.HKEY_* have these values). */
#define HK_HKEY_CLASSES_ROOT 0x80000000u
#define HK_HKEY_CURRENT_USER 0x80000001u
#define HK_HKEY_LOCAL_MACHINE 0x80000002u
#define HK_HKEY_USERS 0x80000003u
#define HK_HKEY_PERFORMANCE_DATA 0x80000004u /* not offline: CALL_NOT_IMPLEMENTED */
#define HK_HKEY_CURRENT_CONFIG 0x80000005u
#define HK_HKEY_DYN_DATA 0x80000006u /* not offline: CALL_NOT_IMPLEMENTED */

/* HK_REG_OPTION_OPEN_LINK (hk_open_key) opens a link key itself, not its
 * target; HK_REG_OPTION_CREATE_LINK (hk_create_key_ex) makes the new key a
 * link (then set its SymbolicLinkValue, REG_LINK, UTF-16 without a NUL, to
 * an absolute \\REGISTRY\\MACHINE\\... or \\REGISTRY\\USER\\... path). */

/* Following links went deeper than the limit (a loop of links). */
#define HK_ERROR_CANT_RESOLVE_FILENAME 1921u

typedef void (*hk_registry_warn_fn)(const char *message, void *ctx);

#define HK_REGISTRY_WRITE 0x1u /* hives mounted writable; edits are saved by
                                  hk_flush_key, hk_unload_key and hk_registry_close */

typedef struct hk_registry_options {
    uint32_t size;            /* sizeof(hk_registry_options): HK_REGISTRY_OPTIONS_INIT */
    uint32_t flags;           /* HK_REGISTRY_WRITE; other bits: INVALID_PARAMETER */
    const char *user;         /* HKCU: a profile's user name or SID; NULL: the only
                                 ordinary (S-1-5-21-...) user */
    hk_registry_warn_fn warn; /* warnings (a profile whose files are missing); NULL: none */
    void *warn_ctx;
} hk_registry_options;
#define HK_REGISTRY_OPTIONS_INIT {sizeof(hk_registry_options), 0, NULL, NULL, NULL}

/* An empty context: HKLM and HKU with nothing mounted (hk_load_key fills
 * them). opts NULL: the defaults. */
HK_API hk_status hk_registry_new(const hk_registry_options *opts, hk_registry **out);

/* A Windows volume (the folder holding Windows/) or its Windows folder:
 * mounts System32/config/SYSTEM, SOFTWARE, SAM, SECURITY under HKLM, DEFAULT
 * as HKU\.DEFAULT, and each profile of SOFTWARE's ProfileList as HKU\<SID>
 * (NTUSER.DAT) and HKU\<SID>_Classes (AppData/Local/Microsoft/Windows/
 * UsrClass.dat), every name matched in any case. A profile whose files are
 * missing is skipped with a warning; a missing SYSTEM or SOFTWARE is
 * FILE_NOT_FOUND with hk_errmsg() naming the path looked for. On any
 * failure but INVALID_PARAMETER and NOT_ENOUGH_MEMORY, *out is an empty
 * context (nothing mounted; keys cannot be opened from it): close it with
 * hk_registry_close. Logs are replayed as
 * hk_hive_open does. */
HK_API hk_status hk_registry_connect(const char *path, const hk_registry_options *opts,
                                     hk_registry **out);

/* Releases the caller's reference; open keys keep the context alive. With
 * HK_REGISTRY_WRITE, edited hives are saved first (the first error is
 * returned). NULL is a no-op. */
HK_API hk_status hk_registry_close(hk_registry *reg);

/* A handle on a predefined key (HK_HKEY_*) of the context. HKCU with no
 * user chosen and not exactly one ordinary profile (or a user not found):
 * FILE_NOT_FOUND and hk_errmsg() lists the users. HKCR without a
 * SOFTWARE hive, HKCC without SYSTEM: FILE_NOT_FOUND. PERFORMANCE_DATA,
 * DYN_DATA: CALL_NOT_IMPLEMENTED; other values INVALID_HANDLE.
 * access may hold HK_KEY_WOW64_32KEY: keys opened from it see the 32-bit
 * view. Owned: free with hk_close_key(). */
HK_API hk_status hk_registry_open_predefined(hk_registry *reg, uint32_t hkey, uint32_t access,
                                             hk_key **out);

/* winreg.ConnectRegistry(path, hkey) on an image: hk_registry_connect and
 * hk_registry_open_predefined; the key holds the only reference to its
 * context (hk_close_key releases it, saving edits with HK_REGISTRY_WRITE
 * when it was the last). */
HK_API hk_status hk_connect_registry(const char *path, uint32_t hkey,
                                     const hk_registry_options *opts, hk_key **out);

/* RegLoadKey / RegUnLoadKey: root is a handle on HKLM or HKU of a context
 * (else INVALID_PARAMETER); name is one component (else INVALID_PARAMETER),
 * not mounted yet (else ALREADY_EXISTS). Logs are replayed as any open.
 * Unloading saves an edited hive with HK_REGISTRY_WRITE; open keys of it
 * stay usable. Unknown name: FILE_NOT_FOUND. */
HK_API hk_status hk_load_key(hk_key *root, const char *name, const char *file);
HK_API hk_status hk_unload_key(hk_key *root, const char *name);

/* ExpandEnvironmentStrings with the environment of key's image (key NULL
 * or not from a context: no variables): Session Manager\Environment of the
 * current control set, the HKCU user's Environment, and SystemRoot,
 * SystemDrive, windir, ProgramFiles, ProgramData, ALLUSERSPROFILE, PUBLIC,
 * COMPUTERNAME, USERPROFILE, USERNAME, HOMEDRIVE, HOMEPATH, APPDATA,
 * LOCALAPPDATA. Names match in any case; an undefined %NAME% stays as
 * written. Buffer rules as hk_query_value. */
HK_API hk_status hk_expand_environment_strings(hk_key *key, const char *src, char *out,
                                               size_t *out_size);

/* A profile found in ProfileList (for the HKCU choice, `hivekit users`). */
typedef struct hk_registry_user {
    uint32_t size; /* sizeof(hk_registry_user): HK_REGISTRY_USER_INIT */
    char sid[192], name[256], profile_path[1024]; /* profile_path as stored */
    int ntuser_found, usrclass_found, is_current;
} hk_registry_user;
#define HK_REGISTRY_USER_INIT {sizeof(hk_registry_user), {0}, {0}, {0}, 0, 0, 0}

/* A hive mounted in a context: its name below HKLM or HKU and its file. */
typedef struct hk_registry_mount {
    uint32_t size; /* sizeof(hk_registry_mount): HK_REGISTRY_MOUNT_INIT */
    char name[256];
    char file[4096];
} hk_registry_mount;
#define HK_REGISTRY_MOUNT_INIT {sizeof(hk_registry_mount), {0}, {0}}

/* Mount number index below hkey (HK_HKEY_LOCAL_MACHINE or HK_HKEY_USERS;
 * else INVALID_PARAMETER), in mount order: NO_MORE_ITEMS past the end. */
HK_API hk_status hk_registry_mount_at(hk_registry *reg, uint32_t hkey, uint32_t index,
                                      hk_registry_mount *out);

/* The hive key lives in (borrowed: valid while key is open), for
 * hk_hive_info_get on keys opened through a context.
 * HKLM and HKU themselves live in small in-memory hives of the context. */
HK_API hk_hive *hk_key_hive(hk_key *key);

/* Profile number index: NO_MORE_ITEMS past the end. */
HK_API hk_status hk_registry_user_at(hk_registry *reg, uint32_t index, hk_registry_user *out);

/* winreg's reflection calls: there is no reflection offline (nor on Windows 7
 * and later): disable and enable succeed and do nothing, query says 1
 * (disabled). key must be a valid handle (else INVALID_HANDLE). */
HK_API hk_status hk_disable_reflection_key(hk_key *key);
HK_API hk_status hk_enable_reflection_key(hk_key *key);
HK_API hk_status hk_query_reflection_key(hk_key *key, int *disabled);

#ifdef __cplusplus
}
#endif

#endif /* HIVEKIT_H */
