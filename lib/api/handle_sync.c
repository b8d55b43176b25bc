/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Handle bookkeeping (api layer): the edit generation that tells open key
 * handles to re-read their node, handles on deleted keys, and the hive's
 * clock for last-write times. */
#include <stdlib.h>
#include <time.h>

#include "api/handle.h"

#define FILETIME_UNIX_EPOCH 116444736000000000ull /* 1970-01-01 in FILETIME ticks */

void hive_edit_end(hk_hive *h)
{
    h->gen++;
}

uint64_t hive_now(const hk_hive *h)
{
    if (h->clock)
        return h->clock;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        unsigned long long secs = strtoull(sde, &end, 10);
        if (*end == '\0' && secs < 1000000000000ull)
            return FILETIME_UNIX_EPOCH + (uint64_t)secs * 10000000u;
    }
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
        return FILETIME_UNIX_EPOCH;
    return FILETIME_UNIX_EPOCH + (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100u;
}

HK_API void hk_hive_set_clock(hk_hive *hive, uint64_t filetime)
{
    if (hive)
        hive->clock = filetime;
}

void hive_forget_key(hk_hive *h, uint32_t off)
{
    for (hk_key *k = h->open_keys; k; k = k->open_next)
        if (k->nk.off == off)
            k->deleted = true;
}

hk_status key_refresh(hk_key *key)
{
    if (key->deleted)
        return HK_ERROR_KEY_DELETED;
    hk_status st = nk_read(&key->hive->img, key->nk.off, &key->nk);
    if (st != HK_ERROR_SUCCESS)
        return st;
    enum_list_reset(&key->list);
    key->values = NULL;
    key->gen = key->hive->gen;
    return HK_ERROR_SUCCESS;
}
