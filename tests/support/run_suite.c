/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared main() for the Check unit tests: each test file defines
 * test_suite(); this runs it and fails the process if any test failed. */
#include <check.h>
#include <stdlib.h>

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
    return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
