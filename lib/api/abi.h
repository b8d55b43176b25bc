/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sized structs at the API boundary (api layer): a caller's struct starts
 * with uint32_t size; the library copies in or out only the bytes both
 * sides know, and refuses a size below the first published layout. */
#ifndef HK_API_ABI_H
#define HK_API_ABI_H

#include <stddef.h>

#include "hivekit.h"

/* The first published layout of each struct: its size may grow past these,
 * never shrink below them. */
#define ABI_END(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))
#define OPEN_OPTIONS_V1 ABI_END(hk_open_options, n_log_paths)
#define HIVE_INFO_V1 ABI_END(hk_hive_info, log_entries)
#define KEY_INFO_V1 ABI_END(hk_key_info, max_value_name_size)
#define LOG_INFO_V1 ABI_END(hk_log_info, note)
#define CHECK_COUNTS_V1 ABI_END(hk_check_counts, warnings)
#define EXPORT_OPTIONS_V1 ABI_END(hk_export_options, key_path)
#define IMPORT_OPTIONS_V1 ABI_END(hk_import_options, prefix)
#define REGISTRY_OPTIONS_V1 ABI_END(hk_registry_options, warn_ctx)
#define REGISTRY_USER_V1 ABI_END(hk_registry_user, is_current)
#define REGISTRY_MOUNT_V1 ABI_END(hk_registry_mount, file)
#define CARVE_OPTIONS_V1 ABI_END(hk_carve_options, progress)

/* Input: *local (local_size bytes) gets the defaults (zero, size set to
 * local_size) overlaid with min(caller's size, local_size) bytes of caller;
 * caller NULL leaves the defaults. INVALID_PARAMETER when the caller's size
 * is below min_size. */
hk_status abi_in(void *local, size_t local_size, const void *caller, size_t min_size);

/* Output: INVALID_PARAMETER when caller is NULL or its size is below
 * min_size (checked before any work). */
hk_status abi_out_check(const void *caller, size_t min_size);

/* Output: copies min(caller's size, local_size) bytes of local to caller,
 * leaving the caller's size field as it was. */
void abi_out(void *caller, const void *local, size_t local_size);

#endif
