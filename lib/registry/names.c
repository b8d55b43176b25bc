/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of the namespace: case-blind comparison, the predefined roots'
 * spellings and the kernel paths links hold (registry layer). */
#include <string.h>

#include "base/nocase.h"
#include "registry/registry.h"

bool reg_name_eq(const char *a, size_t an, const char *b, size_t bn)
{
    return utf8_eq_nocase(a, an, b, bn);
}

static const struct {
    const char *short_name, *long_name;
    uint32_t hkey;
} roots[] = {
    {"HKLM", "HKEY_LOCAL_MACHINE", HK_HKEY_LOCAL_MACHINE},
    {"HKU", "HKEY_USERS", HK_HKEY_USERS},
    {"HKCU", "HKEY_CURRENT_USER", HK_HKEY_CURRENT_USER},
    {"HKCR", "HKEY_CLASSES_ROOT", HK_HKEY_CLASSES_ROOT},
    {"HKCC", "HKEY_CURRENT_CONFIG", HK_HKEY_CURRENT_CONFIG},
};

uint32_t reg_root_parse(const char *path, size_t *len)
{
    size_t n = strcspn(path, "\\");
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        if (reg_name_eq(path, n, roots[i].short_name, strlen(roots[i].short_name)) ||
            reg_name_eq(path, n, roots[i].long_name, strlen(roots[i].long_name))) {
            *len = n;
            return roots[i].hkey;
        }
    }
    return 0;
}

const char *reg_root_long_name(uint32_t hkey)
{
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        if (roots[i].hkey == hkey)
            return roots[i].long_name;
    return NULL;
}

/* Whether s starts with the component word (any case) ended by '\' or the
 * end; *s moves past it and its separator. */
static bool take(const char **s, const char *word)
{
    size_t n = strcspn(*s, "\\");
    if (!reg_name_eq(*s, n, word, strlen(word)))
        return false;
    *s += n;
    if (**s == '\\')
        ++*s;
    return true;
}

bool reg_link_target(const char *target, int *root, const char **rest)
{
    if (target[0] != '\\')
        return false;
    const char *s = target + 1;
    if (!take(&s, "REGISTRY"))
        return false;
    if (take(&s, "MACHINE"))
        *root = REG_HKLM;
    else if (take(&s, "USER"))
        *root = REG_HKU;
    else
        return false;
    *rest = s;
    return true;
}
