/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding a file or folder by a name matched without regard to case, as
 * Windows' file systems do (base layer: POSIX directory reading). */
#ifndef HK_BASE_DIRFIND_H
#define HK_BASE_DIRFIND_H

#include <stdbool.h>

#include "hivekit.h"

/* dir joined with rel (components separated by '\' or '/'; "." and empty
 * ones skipped), each component matched without regard to case: a new
 * string naming what exists, or NULL (*st: FILE_NOT_FOUND or
 * NOT_ENOUGH_MEMORY). want_dir: the last one must be a folder, else a
 * regular file. An exact match wins over other spellings. */
char *dir_find_nocase(const char *dir, const char *rel, bool want_dir, hk_status *st);

#endif
