/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared pieces of the log suites that use the library's internals: corpus
 * hives and logs in memory, and rewriting a log entry with right hashes. */
#ifndef HK_TESTS_LOG_FIXTURE_H
#define HK_TESTS_LOG_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "log/replay.h"

struct blob {
    uint8_t *p;
    size_t n;
};

/* The corpus file rel, inflated (asserts). Free with free(b.p). */
struct blob fx_corpus(const char *rel);

/* A hive and up to three logs of it, loaded from the corpus. */
struct fx_set {
    struct blob primary;
    struct blob log[3];
    struct log_input in[3];
    size_t n;
};

/* Loads primary_rel and the logs named (NULL-terminated); their inputs are
 * named by their corpus path. */
void fx_load(struct fx_set *s, const char *primary_rel, const char *const *log_rels);
void fx_free(struct fx_set *s);

/* Replays s; asserts the status is want; returns the image (or NULL). */
uint8_t *fx_replay(const struct fx_set *s, struct log_outcome *out, size_t *size, hk_status want,
                   char *msg, size_t msg_size);

/* Recomputes hash-1 and hash-2 of the entry at off of a new-format log. */
void fx_rehash(uint8_t *log, size_t off);

/* Recomputes the checksum of the 512-byte base block at p. */
void fx_rechecksum(uint8_t *p);

#endif
