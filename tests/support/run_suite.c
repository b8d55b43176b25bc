/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared main() for the Check unit tests: each test file defines
 * test_suite(); this runs it and fails the process if any test failed. */
#include <check.h>
#include <stdlib.h>

Suite *test_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(test_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
