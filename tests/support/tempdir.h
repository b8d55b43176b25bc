/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Temporary folders of the tests, under $TMPDIR (else /tmp), and the names
 * of files in them (test support; failures are Check asserts). */
#ifndef HK_TESTS_TEMPDIR_H
#define HK_TESTS_TEMPDIR_H

#include <stdbool.h>

/* A new empty folder hk-TAG-XXXXXX. Owned: tempdir_remove(). */
char *tempdir_new(const char *tag);

/* Removes dir and all below it and frees dir; whether all of it went. */
bool tempdir_remove(char *dir);

/* dir/name. Owned: free with free(). */
char *path_join(const char *dir, const char *name);

#endif
