/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Temporary folders and files of the tests, under $TMPDIR (else /tmp), and
 * the names of files in folders (test support; failures are Check
 * asserts). */
#ifndef HK_TESTS_TEMPDIR_H
#define HK_TESTS_TEMPDIR_H

#include <stdbool.h>
#include <stddef.h>

/* A new empty folder hk-TAG-XXXXXX. Owned: tempdir_remove(). */
char *tempdir_new(const char *tag);

/* Removes dir and all below it and frees dir; whether all of it went. */
bool tempdir_remove(char *dir);

/* A new file hk-TAG-XXXXXX holding the len bytes at data; its path.
 * Owned: unlink() it, then free(). */
char *tempfile_new(const char *tag, const void *data, size_t len);

/* dir/name. Owned: free with free(). */
char *path_join(const char *dir, const char *name);

#endif
