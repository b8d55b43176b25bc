/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hk_version: the version the library was built as (api layer). */
#include "hivekit.h"

uint32_t hk_version(void)
{
    return HK_VERSION_NUMBER;
}
