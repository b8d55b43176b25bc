/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The predefined roots a .reg key line may start with (text layer):
 * HKEY_LOCAL_MACHINE or HKLM, ... in any letter case, as regedit writes and
 * reg.exe reads them. One table, for import's check and for mapping roots to
 * hives. */
#ifndef HK_TEXT_REGROOT_H
#define HK_TEXT_REGROOT_H

#include <stddef.h>

/* The length of the root name path starts with (the first component, when
 * it is a predefined root's long or short name), 0 when it is not one;
 * *long_name (may be NULL) gets the root's long name ("HKEY_CURRENT_USER"). */
size_t reg_root_len(const char *path, size_t len, const char **long_name);

#endif
