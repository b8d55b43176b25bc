/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sized structs at the API boundary (api layer). */
#include "api/abi.h"

#include <stdint.h>
#include <string.h>

static size_t size_of(const void *s)
{
    uint32_t n;
    memcpy(&n, s, sizeof n);
    return n;
}

hk_status abi_in(void *local, size_t local_size, const void *caller, size_t min_size)
{
    memset(local, 0, local_size);
    uint32_t own = (uint32_t)local_size;
    memcpy(local, &own, sizeof own);
    if (!caller)
        return HK_ERROR_SUCCESS;
    size_t n = size_of(caller);
    if (n < min_size)
        return HK_ERROR_INVALID_PARAMETER;
    memcpy((uint8_t *)local + sizeof own, (const uint8_t *)caller + sizeof own,
           (n < local_size ? n : local_size) - sizeof own);
    return HK_ERROR_SUCCESS;
}

hk_status abi_out_check(const void *caller, size_t min_size)
{
    return caller && size_of(caller) >= min_size ? HK_ERROR_SUCCESS : HK_ERROR_INVALID_PARAMETER;
}

void abi_out(void *caller, const void *local, size_t local_size)
{
    size_t n = size_of(caller);
    memcpy((uint8_t *)caller + sizeof(uint32_t), (const uint8_t *)local + sizeof(uint32_t),
           (n < local_size ? n : local_size) - sizeof(uint32_t));
}
