/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json_mini: a small, strict JSON reader for the corpus tests (RFC 8259
 * values; no comments, no trailing commas). Test-side only.
 *
 * Numbers keep their exact integer value when they are integers that fit
 * int64_t (FILETIMEs exceed a double's 53-bit mantissa). Strings are decoded
 * to UTF-8 with their byte length (they may hold "\u0000"); an unpaired
 * surrogate escape becomes its 3-byte WTF-8 form.
 */
#ifndef JSON_MINI_H
#define JSON_MINI_H

#include <stddef.h>
#include <stdint.h>

enum jm_type { JM_NULL, JM_BOOL, JM_NUMBER, JM_STRING, JM_ARRAY, JM_OBJECT };

typedef struct jm_value jm_value;

struct jm_value {
    enum jm_type type;
    int boolean;       /* JM_BOOL */
    int is_int;        /* JM_NUMBER: integral and fits int64_t */
    int64_t i;         /* JM_NUMBER when is_int */
    double d;          /* JM_NUMBER, always */
    char *str;         /* JM_STRING: NUL-terminated; may hold NULs, see len */
    size_t len;        /* JM_STRING: bytes without the final NUL */
    jm_value *items;   /* JM_ARRAY elements / JM_OBJECT member values */
    char **keys;       /* JM_OBJECT member names (NUL-terminated), else NULL */
    size_t count;      /* elements or members */
};

/* Parses text[0..len). On failure returns NULL and writes a reason (with the
 * byte offset) to err. Owned: free with jm_free(). */
jm_value *jm_parse(const char *text, size_t len, char *err, size_t err_size);

/* Reads and parses a whole file. Owned: free with jm_free(). */
jm_value *jm_parse_file(const char *path, char *err, size_t err_size);

void jm_free(jm_value *v);

/* The member named key of an object (first match), or NULL (also when v is
 * NULL or not an object). Borrowed from v. */
const jm_value *jm_get(const jm_value *v, const char *key);

/* Convenience: the member's string (NULL unless a JM_STRING member). */
const char *jm_get_str(const jm_value *v, const char *key);

/* v's integer, or dflt when v is NULL or not an integral number. */
int64_t jm_int(const jm_value *v, int64_t dflt);

/* v's string, or dflt when v is NULL or not a string. */
const char *jm_str(const jm_value *v, const char *dflt);

/* JSON has no date type: timestamps travel as ISO 8601 strings. Parses
 * "YYYY-MM-DD[T ]HH:MM:SS[.fraction]" (UTC; a trailing zone is ignored) to
 * microseconds since 1970-01-01 UTC; *digits (may be NULL) gets the number
 * of fraction digits written (the string's precision). Returns 0 if s does
 * not parse. */
int jm_iso8601_us(const char *s, int64_t *us, int *digits);

/* True for a JSON null or an absent member. */
int jm_is_null(const jm_value *v);

#endif /* JSON_MINI_H */
