/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public header stands alone under strict C11, and the version it
 * declares is the one the library reports. */
#include "hivekit.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    hk_open_options opts = HK_OPEN_OPTIONS_INIT;
    opts.flags = HK_OPEN_READONLY;
    opts.log_paths = 0;
    if (hk_errmsg()[0] != '\0') { /* declared, and "" before any failure */
        printf("hk_errmsg() %s before any call\n", hk_errmsg());
        return 1;
    }
    char parts[32];
    snprintf(parts, sizeof parts, "%d.%d.%d", HK_VERSION_MAJOR, HK_VERSION_MINOR,
             HK_VERSION_PATCH);
    if (strcmp(parts, HK_VERSION_STRING) != 0) {
        printf("HK_VERSION_STRING %s, parts %s\n", HK_VERSION_STRING, parts);
        return 1;
    }
    if (hk_version() != HK_VERSION_NUMBER) {
        printf("hk_version() %#x, header %#x\n", (unsigned)hk_version(),
               (unsigned)HK_VERSION_NUMBER);
        return 1;
    }
    return (int)(opts.flags + (hk_strerror(HK_ERROR_SUCCESS) == 0));
}
