/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public header stands alone under strict C11. */
#include "hivekit.h"

int main(void)
{
    hk_open_options opts = {.flags = HK_OPEN_READONLY, .errmsg = 0, .errmsg_size = 0};
    return (int)(opts.flags + (hk_strerror(HK_ERROR_SUCCESS) == 0));
}
