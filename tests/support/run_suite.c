/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared main() for the Check unit tests: each test file defines
 * test_suite(); this runs it and fails the process if any test failed. A
 * suite that left out its corpus tests (corpus.h) ends with 77, SKIP to
 * meson, when the others pass. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "corpus.h"

Suite *test_suite(void);

int main(void)
{
    /* Check's own per-test limit (4 s) trips on a loaded machine; meson's
     * timeout still catches a hang. The environment may set another. */
    setenv("CK_DEFAULT_TIMEOUT", "60", 0);
    SRunner *sr = srunner_create(test_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (failed > 0)
        return EXIT_FAILURE;
    if (corpus_skipped()) {
        printf("SKIP: the tests that ran passed; the corpus tests did not run\n");
        return 77;
    }
    return EXIT_SUCCESS;
}
