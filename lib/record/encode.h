/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Encoding records into cell bodies (record layer): names as stored, lf
 * hints and lh hashes, and the nk, vk, sk, db and list headers. The caller
 * allocated the cell (cells come zero-filled) with the *_len sizes. */
#ifndef HK_RECORD_ENCODE_H
#define HK_RECORD_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hive/format.h"
#include "record/name.h"

/* Stored bytes of a name of n UTF-16 units: Latin-1 ("compressed") when
 * every unit is <= 0xFF, as Windows and hivex write it, else UTF-16LE. */
bool name_compressible(const uint16_t *units, size_t n);
uint32_t name_stored_len(const uint16_t *units, size_t n);
/* Writes the stored bytes; returns whether they are compressed. */
bool name_store(const uint16_t *units, size_t n, uint8_t *out);

/* lh hash: h = 37 * h + upcase(unit) over the name's UTF-16 units. */
uint32_t name_lh_hash(struct name_ref n);

/* lf hint: the first four units as bytes, case kept, zero-padded; all zero
 * when one of them is above 0xFF. As a little-endian u32 of those bytes. */
uint32_t name_lf_hint(struct name_ref n);

/* The leaf entry's second word for a key of that name (sig 'f' or 'h'). */
uint32_t leaf_entry_key(char kind, struct name_ref n);

struct nk_init {
    uint16_t flags;           /* NK_FLAG_COMP_NAME is set from the name */
    uint64_t last_write;
    uint32_t parent, sk, class_off;
    uint16_t class_len;
    const uint16_t *name;     /* UTF-16 units as given */
    size_t name_units;
};

/* Body bytes of a key node with that name. */
uint32_t nk_len(const uint16_t *name, size_t units);
/* Writes a key node without subkeys or values (lists nil, counts 0, max
 * fields 0, volatile list nil). */
void nk_encode(uint8_t *body, const struct nk_init *in);

uint32_t vk_len(const uint16_t *name, size_t units);
/* Writes a value record: size_raw and data as they go on disk. */
void vk_encode(uint8_t *body, const uint16_t *name, size_t units, uint32_t type, uint32_t size_raw,
               uint32_t data);

/* Body bytes of an sk with a descriptor of sd_len bytes. */
uint32_t sk_len(uint32_t sd_len);
void sk_encode(uint8_t *body, uint32_t flink, uint32_t blink, uint32_t refs, const uint8_t *sd,
               uint32_t sd_len);

/* db header: segment count and segment list (DB_BODY_LEN bytes). */
void db_encode(uint8_t *body, uint16_t segments, uint32_t list_off);

/* List header: signature ("li", "lf", "lh", "ri") and count. */
void list_header_encode(uint8_t *body, const char *sig, uint16_t count);

#endif
