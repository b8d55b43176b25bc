/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The facts of the regf format, each written once (hive layer): signatures,
 * sizes, limits and field offsets of the base block, the hive bins, cells,
 * records (nk, vk, db, sk, subkey lists) and the transaction logs. What the
 * fields mean is in the layout tables of the files that decode them
 * (hive/image.c, record/nk.c, vk.c, sk.c, subkeys.c, log/oldlog.c,
 * newlog.c). Offsets of record fields are relative to the cell body (after
 * the cell's 4-byte size); of bin fields, to the bin's start. */
#ifndef HK_HIVE_FORMAT_H
#define HK_HIVE_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

/* ---- signatures (4 bytes for files and bins, 2 for records) ---------------- */
#define REGF_SIG "regf"
#define HBIN_SIG "hbin"
#define DIRT_SIG "DIRT" /* old-format log: the dirty vector */
#define HVLE_SIG "HvLE" /* new-format log: an entry */
#define FILE_SIG_LEN 4u
#define NK_SIG "nk"
#define VK_SIG "vk"
#define SK_SIG "sk"
#define DB_SIG "db"
#define LI_SIG "li"
#define LF_SIG "lf"
#define LH_SIG "lh"
#define RI_SIG "ri"

/* ---- base block ------------------------------------------------------------ */
#define BASE_BLOCK_SIZE 4096u
#define HBIN_START BASE_BLOCK_SIZE /* file offset of the first hive bin */
enum {
    BB_SEQ1 = 4, BB_SEQ2 = 8, BB_TIME = 12, BB_MAJOR = 20, BB_MINOR = 24, BB_TYPE = 28,
    BB_FORMAT = 32, BB_ROOT = 36, BB_BINS_SIZE = 40, BB_CLUSTER = 44, BB_NAME = 48,
    BB_FLAGS = 0x90, BB_CHECKSUM = 508,
};
#define BB_NAME_SIZE 64u        /* bytes of the file name field, UTF-16LE */
#define BB_CHECKSUM_DWORDS 127u /* the checksum covers bytes 0..507 */
#define BB_VERSION_MAJOR 1u
#define BB_VERSION_MINOR_MAX 6u /* versions 1.1 to 1.6 are known */
/* Whether a base block's version is one of the known 1.1 to 1.6. */
static inline bool bb_version_known(uint32_t major, uint32_t minor)
{
    return major == BB_VERSION_MAJOR && minor >= 1 && minor <= BB_VERSION_MINOR_MAX;
}
#define BB_FORMAT_DIRECT 1u     /* the only file format */
#define BB_CLUSTERING 1u        /* the clustering factor Windows writes */
#define BB_TYPE_PRIMARY 0u
#define BB_TYPE_LOG_OLD1 1u     /* old-format logs (.LOG, .LOG1/.LOG2) */
#define BB_TYPE_LOG_OLD2 2u
#define BB_TYPE_LOG_NEW 6u      /* new-format logs */

/* ---- hive bins ------------------------------------------------------------- */
#define HBIN_HEADER_SIZE 32u
#define HBIN_ALIGN 4096u /* bins' offsets and sizes are multiples (one "page") */
enum { HBIN_SELF = 4, HBIN_SIZE = 8, HBIN_TIME = 20 };

/* ---- cells ----------------------------------------------------------------- */
#define CELL_ALIGN 8u    /* cell sizes are multiples, at least one */
#define CELL_HEADER 4u   /* the int32 size; negative: allocated */
#define CELL_NIL 0xFFFFFFFFu

/* ---- nk: key node ---------------------------------------------------------- */
#define NK_FLAG_VOLATILE 0x0001u
#define NK_FLAG_HIVE_EXIT 0x0002u
#define NK_FLAG_HIVE_ENTRY 0x0004u
#define NK_FLAG_NO_DELETE 0x0008u
#define NK_FLAG_SYM_LINK 0x0010u
#define NK_FLAG_COMP_NAME 0x0020u
#define NK_FLAG_PREDEF_HANDLE 0x0040u
#define NK_KNOWN_FLAGS 0x03FFu /* flags Windows defines (bits 0..9) */
enum {
    NK_FLAGS = 2, NK_TIME = 4, NK_ACCESS = 12, NK_LAYERED = 13, NK_PARENT = 16,
    NK_SUBKEY_COUNT = 20, NK_SUBKEYS = 28, NK_VOLATILE_SUBKEYS = 32, NK_VALUE_COUNT = 36,
    NK_VALUES = 40, NK_SK = 44, NK_CLASS = 48, NK_MAX_NAME = 52, NK_USER_FLAGS = 54,
    NK_MAX_CLASS = 56, NK_MAX_VALUE_NAME = 60, NK_MAX_VALUE_DATA = 64, NK_NAME_LEN = 72,
    NK_CLASS_LEN = 74,
    NK_NAME = 76, /* the name; also the header's size */
};

/* ---- vk: value, and db: big data ------------------------------------------- */
#define VK_FLAG_COMP_NAME 0x0001u
#define VK_KNOWN_FLAGS 0x0003u
#define VK_DATA_INLINE 0x80000000u /* in the size: the data is in the data field */
#define VK_INLINE_MAX 4u           /* bytes the data field holds */
#define BIGDATA_SEGMENT 16344u     /* bytes carried by each db segment but the last */
enum {
    VK_NAME_LEN = 2, VK_SIZE = 4, VK_DATA = 8, VK_TYPE = 12, VK_FLAGS = 16,
    VK_NAME = 20, /* the name; also the header's size */
    DB_COUNT = 2, DB_LIST = 4, DB_HEADER = 8,
};
#define DB_BODY_LEN 12u /* Windows allocates a reserved word after the header */

/* ---- sk: security ---------------------------------------------------------- */
enum {
    SK_FLINK = 4, SK_BLINK = 8, SK_REFS = 12, SK_SIZE = 16,
    SK_DESCRIPTOR = 20, /* the descriptor; also the header's size */
};

/* ---- subkey lists (li, lf, lh, ri) ----------------------------------------- */
enum { LIST_COUNT = 2, LIST_ENTRIES = 4 };

/* ---- transaction logs ------------------------------------------------------ */
#define LOG_BASE_SIZE 512u /* a log's copy of the base block; its body follows */
#define LOG_DIRT_BITMAP (LOG_BASE_SIZE + 4u) /* old format: the dirty bitmap */
#define LOG_PAGE 512u      /* old format: the unit one dirty bit stands for */
enum {
    LE_SIZE = 4, LE_FLAGS = 8, LE_SEQ = 12, LE_BINS = 16, LE_COUNT = 20, LE_HASH1 = 24,
    LE_HASH2 = 32, LE_HEADER = 40, /* new format: the entry header */
};

#endif
