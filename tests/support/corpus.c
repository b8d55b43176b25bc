/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Locating the corpus and skipping without it (see corpus.h). */
#include "corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The build passes the default folder; a suite built without it finds the
 * corpus only through $HIVEKIT_CORPUS. */
#ifndef CORPUS_DIR
#define CORPUS_DIR ""
#endif

enum { SKIP_EXIT = 77 };

static bool g_skipped;

const char *corpus_dir(void)
{
    const char *env = getenv("HIVEKIT_CORPUS");
    return env && *env ? env : CORPUS_DIR;
}

char *corpus_path(char *buf, size_t cap, const char *rel)
{
    /* Also called from test_suite(), outside any test: no Check assertion. */
    int n = snprintf(buf, cap, "%s/%s", corpus_dir(), rel);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "corpus path of %s is longer than %zu bytes\n", rel, cap);
        exit(EXIT_FAILURE);
    }
    return buf;
}

bool corpus_have(const char *rel, char *path, size_t cap)
{
    corpus_path(path, cap, rel);
    if (access(path, R_OK) == 0)
        return true;
    printf("note: %s not found: test skipped\n", path);
    return false;
}

/* The corpus is there when its facts file is readable. */
static bool present(void)
{
    char path[4096];
    const char *dir = corpus_dir();
    int n = snprintf(path, sizeof path, "%s/expectations.json", dir);
    return *dir && n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

static void say_absent(const char *what)
{
    const char *dir = corpus_dir();
    printf("SKIP: %s: no corpus at %s (expectations.json not readable; set HIVEKIT_CORPUS to the "
           "corpus folder, see README.md)\n", what, *dir ? dir : "(none configured)");
    fflush(stdout);
}

void corpus_require(void)
{
    if (present())
        return;
    say_absent("every test of this suite reads the corpus");
    exit(SKIP_EXIT);
}

bool corpus_optional(void)
{
    if (present())
        return true;
    say_absent("the tests that read the corpus are left out");
    g_skipped = true;
    return false;
}

bool corpus_skipped(void)
{
    return g_skipped;
}
