/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the files of the expectations suite share (test_expectations.c: the
 * suite and the plain kinds of fact; expect_fact.c: reaching what a fact
 * names; expect_other.c: the facts of kind "other"). */
#ifndef HIVEKIT_TESTS_EXPECT_H
#define HIVEKIT_TESTS_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"
#include "json_mini.h"


#define NO_INT INT64_MIN /* jm_int's default: never a valid expectation */

/* ---- failures (expect_fact.c) ------------------------------------------- */

/* The facts of one kind being checked: counts and the first failure. */
struct run {
    size_t checked, failed, messages;
    char first[2048];
    long id; /* the fact being checked */
};

/* Reports a failure of the current fact on stderr (the first one is kept). */
__attribute__((format(printf, 2, 3))) void bad(struct run *r, const char *fmt, ...);

/* ---- hives, keys, values (expect_fact.c) -------------------------------- */

/* The fact's hive: opened with the fact's logs replayed (none: read as it
 * is), once per run of a kind; NULL after reporting a failure. */
hk_hive *hive_of(struct run *r, const jm_value *f);

/* Closes every hive hive_of opened. */
void close_fact_hives(void);

/* Opens path below h's root for reading. */
hk_status open_path(hk_hive *h, const char *path, hk_key **out);

/* Nonzero when a and b show the same name, counts and time. */
int same_key(hk_key *a, hk_key *b);

/* Opens the fact's key (`path`); where the original test spelled it
 * differently (`test_path`, other case), that spelling must reach it too. */
hk_key *fact_key(struct run *r, const jm_value *f);

/* A value's type and bytes (in a buffer that the next call reuses). */
hk_status get_value(hk_key *k, const char *name, uint32_t *type, unsigned char **data,
                    size_t *size);

/* The names of k's subkeys (subkeys != 0) or values, in order. Owned. */
hk_status list_names(hk_key *k, int subkeys, char ***out, size_t *count);
void free_names(char **names, size_t n);

/* The type named "REG_..." (REG_NONE to REG_QWORD). */
#define NTYPES 12
int type_from_name(const char *s, uint32_t *out);

/* n bytes as lowercase hex (malloc'd). */
char *to_hex(const unsigned char *b, size_t n);

uint32_t le32(const unsigned char *p);

/* Nonzero when FILETIME ft is the ISO 8601 UTC time s, to s's precision. */
int iso_matches(uint64_t ft, const char *s);

/* ---- whole-hive walk (expect_fact.c) ------------------------------------ */

struct census {
    uint64_t keys, values, types[NTYPES + 1]; /* last: any other type */
    int64_t lo_us, hi_us;                     /* a range of times (UTC) */
    uint64_t in_range;                        /* keys whose time is in it */
    uint32_t max_depth;                       /* deepest key whose subkeys are listed */
    hk_status st;
};

/* Walks the fact's hive; keys in [range[0], range[1]] counted if given. */
int census(struct run *r, const jm_value *f, struct census *c, const jm_value *range,
           uint32_t max_depth);

/* ---- checks ------------------------------------------------------------- */

/* The value name of k: absent when expected is null, else type and exact
 * bytes (data_hex, data_len) as the fact says (test_expectations.c). */
void compare_value(struct run *r, hk_key *k, const char *name, const jm_value *f);

/* The facts of kind "other" (expect_other.c). */

void check_other(struct run *r, const jm_value *f);

#endif
