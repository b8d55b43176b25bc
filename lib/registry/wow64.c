/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The 32-bit view of SOFTWARE and of the classes (registry layer): which
 * keys Windows 7 and later redirect under Wow6432Node and which it shares
 * (winreg-reference.md 3.7). */
#include <string.h>

#include "base/alloc.h"
#include "registry/registry.h"

/* Below HKLM\SOFTWARE: shared keys (their subkeys too). */
static const char *const software_shared[] = {
    "Clients",
    "Policies",
    "RegisteredApplications",
    "Microsoft\\Cryptography\\Services",
    "Microsoft\\DFS",
    "Microsoft\\Driver Signing",
    "Microsoft\\EventSystem",
    "Microsoft\\MSMQ",
    "Microsoft\\OLE",
    "Microsoft\\RPC",
    "Microsoft\\SystemCertificates",
    "Microsoft\\Windows\\CurrentVersion\\App Paths",
    "Microsoft\\Windows\\CurrentVersion\\Group Policy",
    "Microsoft\\Windows\\CurrentVersion\\Policies",
    "Microsoft\\Windows\\CurrentVersion\\PreviewHandlers",
    "Microsoft\\Windows\\CurrentVersion\\Setup",
    "Microsoft\\Windows NT\\CurrentVersion\\Console",
    "Microsoft\\Windows NT\\CurrentVersion\\FontLink",
    "Microsoft\\Windows NT\\CurrentVersion\\Fonts",
    "Microsoft\\Windows NT\\CurrentVersion\\FontSubstitutes",
    "Microsoft\\Windows NT\\CurrentVersion\\NetworkCards",
    "Microsoft\\Windows NT\\CurrentVersion\\Perflib",
    "Microsoft\\Windows NT\\CurrentVersion\\Ports",
    "Microsoft\\Windows NT\\CurrentVersion\\Print",
    "Microsoft\\Windows NT\\CurrentVersion\\ProfileList",
    "Microsoft\\Windows NT\\CurrentVersion\\Time Zones",
};

/* Below a classes root: the redirected keys (the rest is shared). */
static const char *const classes_redirected[] = {
    "CLSID", "DirectShow", "Interface", "Media Type", "MediaFoundation",
};

/* Whether path is prefix or lies below it (any case). */
static bool under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix), len = strlen(path);
    if (len < n || !reg_name_eq(path, n, prefix, n))
        return false;
    return path[n] == '\0' || path[n] == '\\';
}

static bool first_is(const char *path, const char *name)
{
    return reg_name_eq(path, strcspn(path, "\\"), name, strlen(name));
}

/* before + path (before ends with '\') as a new string. */
static char *prefixed(const char *before, size_t bn, const char *path, hk_status *st)
{
    size_t n = strlen(path);
    char *p = hk_alloc(bn + n + 1);
    if (!p) {
        *st = HK_ERROR_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    memcpy(p, before, bn);
    memcpy(p + bn, path, n + 1);
    return p;
}

char *wow64_classes_path(const char *path, hk_status *st)
{
    *st = HK_ERROR_SUCCESS;
    for (size_t i = 0; i < sizeof classes_redirected / sizeof classes_redirected[0]; i++)
        if (first_is(path, classes_redirected[i]))
            return prefixed("Wow6432Node\\", 12, path, st);
    return NULL;
}

char *wow64_software_path(const char *path, hk_status *st)
{
    *st = HK_ERROR_SUCCESS;
    if (!*path || first_is(path, "Wow6432Node"))
        return NULL;
    if (first_is(path, "Classes")) {
        size_t n = strcspn(path, "\\");
        if (!path[n])
            return NULL;
        char *inner = wow64_classes_path(path + n + 1, st);
        if (!inner)
            return NULL;
        char *p = prefixed(path, n + 1, inner, st);
        hk_dealloc(inner);
        return p;
    }
    for (size_t i = 0; i < sizeof software_shared / sizeof software_shared[0]; i++)
        if (under(path, software_shared[i]))
            return NULL;
    return prefixed("Wow6432Node\\", 12, path, st);
}
