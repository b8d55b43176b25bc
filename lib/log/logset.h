/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The logs of one hive: found beside its file or given, loaded, replayed in
 * memory when it is dirty (log layer). The files are never written. */
#ifndef HK_LOG_LOGSET_H
#define HK_LOG_LOGSET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "log/replay.h"

struct log_state {
    bool dirty_at_open;          /* the primary as read was dirty */
    size_t found;                /* candidate logs: paths[0..found) */
    size_t used;                 /* of those, replayed: [0..used); the rest are ignored */
    char *paths[LOG_MAX_FILES];  /* owned */
    size_t twin[LOG_MAX_FILES];  /* an ignored log: the index of the one used instead */
    char ignored_why[LOG_MAX_FILES][LOG_WHY_SIZE]; /* an ignored log: why */
    struct log_outcome outcome;  /* reports[i] belongs to paths[i] (i < used) */
};

/* The files beside path named like it plus ".LOG", ".LOG1" or ".LOG2", the
 * whole name in any letter case, in that suffix order (a folder that cannot
 * be listed has none). Of files whose names differ only in letter case, the
 * one that matches path's name exactly is used (else the suffix in capitals,
 * else the first by name): paths[0..*n_used); the others follow, to
 * paths[*n), each with twin[i] the index of the one used. Owned strings, at
 * most LOG_MAX_FILES. */
hk_status log_find_beside(const char *path, char **paths, size_t *n, size_t *n_used, size_t *twin,
                          struct diag *d);

/* The hook of opening a hive: with no_logs, only notes the dirty state.
 * Else the candidates are paths[0..n_paths) when given, or the logs found
 * beside path (path may be NULL: none). A dirty primary with candidates is
 * replayed and *fb replaced by the result; a dirty one without candidates
 * stays as it is. Errors: those of log_replay (no usable log), a log that
 * cannot be read when given explicitly, NOT_ENOUGH_MEMORY. st is filled
 * even on failure; free it with log_state_free. */
hk_status log_open(struct file_buf *fb, const char *path, const char *const *paths, size_t n_paths,
                   bool no_logs, struct log_state *st, struct diag *d);

void log_state_free(struct log_state *st);

#endif
