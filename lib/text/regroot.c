/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The predefined roots of .reg key lines (text layer). */
#include "text/regroot.h"

static const struct {
    const char *long_name, *short_name;
} roots[] = {
    {"HKEY_CLASSES_ROOT", "HKCR"},   {"HKEY_CURRENT_USER", "HKCU"},
    {"HKEY_LOCAL_MACHINE", "HKLM"},  {"HKEY_USERS", "HKU"},
    {"HKEY_CURRENT_CONFIG", "HKCC"}, {"HKEY_PERFORMANCE_DATA", NULL},
    {"HKEY_DYN_DATA", NULL},
};

/* Whether the n bytes at s spell name in any ASCII letter case. */
static int same_ascii(const char *s, size_t n, const char *name)
{
    size_t i = 0;
    for (; i < n && name[i]; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != name[i])
            return 0;
    }
    return i == n && name[i] == '\0';
}

size_t reg_root_len(const char *path, size_t len, const char **long_name)
{
    size_t n = 0;
    while (n < len && path[n] != '\\')
        n++;
    for (size_t i = 0; n && i < sizeof roots / sizeof roots[0]; i++) {
        if (same_ascii(path, n, roots[i].long_name) ||
            (roots[i].short_name && same_ascii(path, n, roots[i].short_name))) {
            if (long_name)
                *long_name = roots[i].long_name;
            return n;
        }
    }
    return 0;
}
