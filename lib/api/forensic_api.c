/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The forensic functions of the public API: deleted data, the integrity
 * check, what a salvage open cut (api layer). */
#include "api/abi.h"
#include "api/handle.h"
#include "forensic/forensic.h"

HK_API const char *hk_hive_salvage_note(const hk_hive *hive)
{
    return hive ? hive->img.salvage_note : "";
}

HK_API hk_status hk_deleted_scan(hk_hive *hive, hk_deleted_fn fn, void *ctx)
{
    api_enter();
    if (!hive || !fn)
        return HK_ERROR_INVALID_PARAMETER;
    return deleted_scan(&hive->img, fn, ctx);
}

HK_API hk_status hk_slack_scan(hk_hive *hive, hk_slack_fn fn, void *ctx)
{
    api_enter();
    if (!hive || !fn)
        return HK_ERROR_INVALID_PARAMETER;
    return slack_scan(&hive->img, fn, ctx);
}

HK_API hk_status hk_hive_check(hk_hive *hive, hk_check_fn fn, void *ctx, hk_check_counts *counts)
{
    api_enter();
    if (!hive || (counts && abi_out_check(counts, CHECK_COUNTS_V1) != HK_ERROR_SUCCESS))
        return HK_ERROR_INVALID_PARAMETER;
    hk_check_counts own = HK_CHECK_COUNTS_INIT;
    hk_status st = hive_check(&hive->img, fn, ctx, &own);
    if (counts && st == HK_ERROR_SUCCESS)
        abi_out(counts, &own, sizeof own);
    return st;
}
