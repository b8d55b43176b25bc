/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .reg import's index of the values of the key it is filling (api
 * layer): a hash of the upcased names it set, so that a key with thousands
 * of values is not searched from the start for each one. It answers only
 * for a key that had no values when the import reached it; anything else
 * (another key, a deletion) sends the search back to the key's list. */
#ifndef HK_API_VALUE_INDEX_H
#define HK_API_VALUE_INDEX_H

#include "api/edit.h"

struct value_index {
    uint32_t key;   /* the key node indexed; CELL_NIL: none */
    bool usable;    /* the key had no values when indexing began */
    struct vi_slot *slots;
    size_t cap, count; /* cap: a power of two (0: no table yet) */
    uint32_t gen;      /* of the slots in use */
    uint16_t *names;   /* the upcased names, one after another */
    size_t names_len, names_cap;
    bool oom;          /* a failed allocation: answers "cannot tell" */
};

void value_index_init(struct value_index *ix);
void value_index_free(struct value_index *ix);

/* Forget the key (after a value or key deletion). */
void value_index_reset(struct value_index *ix);

/* The lookup for key_set_value. */
struct value_lookup value_index_lookup(struct value_index *ix);

#endif
