/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The forensic functions of the public API: deleted data, the integrity
 * check, what a salvage open cut (api layer). */
#include "api/handle.h"
#include "forensic/forensic.h"

HK_API const char *hk_hive_salvage_note(const hk_hive *hive)
{
    return hive ? hive->img.salvage_note : "";
}

HK_API hk_status hk_deleted_scan(hk_hive *hive, hk_deleted_fn fn, void *ctx)
{
    if (!hive || !fn)
        return HK_ERROR_INVALID_PARAMETER;
    return deleted_scan(&hive->img, fn, ctx);
}

HK_API hk_status hk_slack_scan(hk_hive *hive, hk_slack_fn fn, void *ctx)
{
    if (!hive || !fn)
        return HK_ERROR_INVALID_PARAMETER;
    return slack_scan(&hive->img, fn, ctx);
}

HK_API hk_status hk_hive_check(hk_hive *hive, hk_check_fn fn, void *ctx, hk_check_counts *counts)
{
    if (!hive)
        return HK_ERROR_INVALID_PARAMETER;
    return hive_check(&hive->img, fn, ctx, counts);
}
