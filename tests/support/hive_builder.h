/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hive_builder: a deliberately naive, append-only, TEST-SIDE regf writer.
 * It shares no code and no constants with lib/: every offset below is taken
 * from the format fact sheet, so a wrong offset has to be wrong twice (here
 * and in lib/) to go unnoticed. Misuse aborts: this is test code.
 *
 * Cells are appended as the test calls hb_key/hb_value/...; subkey lists and
 * value lists are laid out by hb_finish, in exactly the order the test added
 * the keys and values (so a test can build an unsorted list on purpose).
 * Offsets are "cell offsets": relative to the first hive bin, as the format
 * stores them. A cell's size field is at file offset 4096 + off, its record
 * at 4096 + off + 4 (hb_rec()).
 */
#ifndef HIVE_BUILDER_H
#define HIVE_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define HB_BASE_BLOCK_SIZE 4096u
#define HB_NIL 0xFFFFFFFFu
#define HB_BIG_SEGMENT 16344u /* bytes per db segment; also the one-cell limit */
#define HB_DEFAULT_TIME 0x01D5C3A1B2C3D4E5ull /* FILETIME of keys and base block */

/* base block (file offsets) */
enum {
    HB_REGF_SIG = 0x000, HB_REGF_SEQ1 = 0x004, HB_REGF_SEQ2 = 0x008, HB_REGF_TIME = 0x00C,
    HB_REGF_MAJOR = 0x014, HB_REGF_MINOR = 0x018, HB_REGF_TYPE = 0x01C, HB_REGF_FORMAT = 0x020,
    HB_REGF_ROOT = 0x024, HB_REGF_BINS_SIZE = 0x028, HB_REGF_CLUSTER = 0x02C,
    HB_REGF_NAME = 0x030, HB_REGF_CHECKSUM = 0x1FC
};
/* hbin header (offsets from the bin start) */
enum { HB_HBIN_SIG = 0, HB_HBIN_OFFSET = 4, HB_HBIN_SIZE = 8, HB_HBIN_TIME = 20, HB_HBIN_HDR = 32 };
/* nk record (offsets from the record, i.e. cell + 4) */
enum {
    HB_NK_SIG = 0, HB_NK_FLAGS = 2, HB_NK_TIME = 4, HB_NK_PARENT = 16, HB_NK_SUBKEY_COUNT = 20,
    HB_NK_VOL_SUBKEY_COUNT = 24, HB_NK_SUBKEY_LIST = 28, HB_NK_VOL_SUBKEY_LIST = 32,
    HB_NK_VALUE_COUNT = 36, HB_NK_VALUE_LIST = 40, HB_NK_SK = 44, HB_NK_CLASS = 48,
    HB_NK_MAX_SUBKEY_NAME = 52, HB_NK_MAX_SUBKEY_CLASS = 56, HB_NK_MAX_VALUE_NAME = 60,
    HB_NK_MAX_VALUE_DATA = 64, HB_NK_WORKVAR = 68, HB_NK_NAME_LEN = 72, HB_NK_CLASS_LEN = 74,
    HB_NK_NAME = 76
};
enum { HB_NK_HIVE_ENTRY = 0x4, HB_NK_NO_DELETE = 0x8, HB_NK_COMP_NAME = 0x20 };
/* vk record */
enum {
    HB_VK_SIG = 0, HB_VK_NAME_LEN = 2, HB_VK_DATA_SIZE = 4, HB_VK_DATA = 8, HB_VK_TYPE = 12,
    HB_VK_FLAGS = 16, HB_VK_NAME = 20
};
enum { HB_VK_COMP_NAME = 0x1 };
/* sk record */
enum {
    HB_SK_SIG = 0, HB_SK_FLINK = 4, HB_SK_BLINK = 8, HB_SK_REFCOUNT = 12, HB_SK_DESC_SIZE = 16,
    HB_SK_DESC = 20
};
/* li/lf/lh/ri: sig, u16 count, then entries */
enum { HB_LIST_SIG = 0, HB_LIST_COUNT = 2, HB_LIST_ENTRIES = 4 };
/* db record */
enum { HB_DB_SIG = 0, HB_DB_COUNT = 2, HB_DB_LIST = 4 };

struct hb;

/* A new hive of version 1.minor whose root key is named root_name (UTF-8).
 * Default subkey-list kind: li below 1.3, lf for 1.3-1.4, lh from 1.5. */
struct hb *hb_new(unsigned minor_version, const char *root_name);

/* The root key's nk cell offset. */
uint32_t hb_root(struct hb *b);

/* Adds a subkey of parent (an nk offset from hb_root/hb_key) and returns its nk
 * offset. The name is stored Latin-1 (COMP_NAME) when every UTF-16 unit is
 * <= 0xFF, else UTF-16LE. UTF-8 is decoded leniently (WTF-8 surrogates pass). */
uint32_t hb_key(struct hb *b, uint32_t parent, const char *utf8_name);
/* As hb_key with the name given as raw UTF-16 units (lone surrogates allowed). */
uint32_t hb_key_raw(struct hb *b, uint32_t parent, const uint16_t *units, size_t n);

/* Adds a value to key, after the ones already there; returns its vk offset.
 * "" (or NULL) names the default value. Data: inline when len <= 4 (size with
 * bit 31), one data cell when len <= 16344 or minor < 4, else a db record with
 * 16344-byte segments and a segment-list cell. */
uint32_t hb_value(struct hb *b, uint32_t key, const char *utf8_name, uint32_t type,
                  const void *data, uint32_t len);
uint32_t hb_value_raw(struct hb *b, uint32_t key, const uint16_t *units, size_t n, uint32_t type,
                      const void *data, uint32_t len);

/* Gives key a class name (stored UTF-16LE in its own cell). */
void hb_class(struct hb *b, uint32_t key, const char *utf8_class);

/* Sets key's last-write FILETIME (default HB_DEFAULT_TIME). */
void hb_key_time(struct hb *b, uint32_t key, uint64_t filetime);

/* Gives key its own sk cell holding the len descriptor bytes (linked into the
 * ring after the shared one). Returns the sk offset. */
uint32_t hb_key_sd(struct hb *b, uint32_t key, const void *sd, uint32_t len);

/* The descriptor every key shares unless hb_key_sd says otherwise:
 * self-relative, owner S-1-5-32-544, group S-1-5-18, DACL granting
 * Everyone KEY_READ. Borrowed: static. */
const uint8_t *hb_default_sd(uint32_t *len);

/* Subkey-list shape of key: kind 'i' li, 'f' lf, 'h' lh; leaf_max 0 = one
 * leaf, otherwise an ri whose leaves hold at most leaf_max entries each
 * (even when all fit in one leaf). */
void hb_list_kind(struct hb *b, uint32_t key, char kind, unsigned leaf_max);

/* Appends a raw allocated cell holding len record bytes; returns its offset. */
uint32_t hb_cell(struct hb *b, const void *rec, uint32_t len);
/* As hb_cell, but the cell is left free (positive size) in the image. */
uint32_t hb_free_cell(struct hb *b, const void *rec, uint32_t len);

/* Lays out the lists, the base block and the bins; frees b. Returns the
 * image (len bytes). Owned: free with free(). */
uint8_t *hb_finish(struct hb *b, size_t *len);

/* The hive the carving tests and fuzz seeds cut up: root root_name, one
 * key key_name holding n REG_BINARY values "v0", "v1", ... of 3000 bytes
 * each ('A', 'B', ... repeated), so the hive spans several bins. Returns
 * the image (len bytes; free with free()) and, in *first_bin, the size of
 * its first bin. */
uint8_t *hb_carve_hive(const char *root_name, const char *key_name, int n, size_t *len,
                       uint32_t *first_bin);

/* ---- test-only name helpers ------------------------------------------ */

/* lh hash of a UTF-8 name: h = 37*h + upcase(unit). The upcase here covers
 * only ASCII, Latin-1 (0xE0-0xFE except 0xF7, 0xFF -> 0x178), basic Greek
 * and Cyrillic: enough for the names tests use, NOT Windows' full table. */
uint32_t hb_name_hash(const char *utf8_name);
uint16_t hb_upcase(uint16_t unit);

/* ---- reading and poking a finished image ------------------------------ */

/* File offset of the record of cell off: 4096 + off + 4. */
size_t hb_rec(uint32_t off);
uint8_t hb_get8(const uint8_t *img, size_t file_off);
uint16_t hb_get16(const uint8_t *img, size_t file_off);
uint32_t hb_get32(const uint8_t *img, size_t file_off);
uint64_t hb_get64(const uint8_t *img, size_t file_off);
void hb_put8(uint8_t *img, size_t file_off, uint8_t v);
void hb_put16(uint8_t *img, size_t file_off, uint16_t v);
void hb_put32(uint8_t *img, size_t file_off, uint32_t v);

/* XOR of the first 127 dwords with Windows' 0 -> 1, ~0 -> ~1 remap. */
uint32_t hb_checksum(const uint8_t *img);
/* Rewrites the base-block checksum after a poke into the base block. */
void hb_fix_checksum(uint8_t *img);
/* Offset of the last cell of the bin starting at bin_off (cell offsets). */
uint32_t hb_last_cell(const uint8_t *img, uint32_t bin_off);

#endif /* HIVE_BUILDER_H */
