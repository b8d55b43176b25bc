/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The namespace above single hives (registry layer): the context object
 * with its mounts and users, root names, link targets, WOW64 rules, the
 * image's environment and the case-blind lookup of a volume's files. The
 * api layer opens hives and keys; this layer holds the rules. */
#ifndef HK_REGISTRY_REGISTRY_H
#define HK_REGISTRY_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

/* The two roots that hold mounts. */
enum { REG_HKLM = 0, REG_HKU = 1, REG_ROOTS = 2 };

/* Link hops followed in one open before giving up (Windows' limit is of
 * this order; a loop of links ends here). */
enum { REG_MAX_LINK_DEPTH = 16 };

struct reg_mount {
    char *name;        /* one component, as given to hk_load_key */
    hk_hive *hive;     /* the mount's reference */
    char *file;        /* the file on disk */
    uint32_t saved_gen; /* the hive's edit count when last saved */
};

struct reg_user {
    char *sid, *name, *profile; /* profile: ProfileImagePath as stored */
    char *ntuser, *usrclass;    /* the files found on disk, or NULL */
};

struct reg_var {
    char *name, *value;
};

struct hk_registry {
    unsigned refs; /* the caller's reference plus one per open key */
    bool closed;   /* the caller has closed it */
    bool failed;   /* a failed connect: only closing it is left */
    uint32_t flags;
    char *user;    /* the HKCU choice, or NULL */
    hk_registry_warn_fn warn;
    void *warn_ctx;
    struct reg_mount *mounts[REG_ROOTS];
    size_t nmounts[REG_ROOTS];
    hk_hive *roots[REG_ROOTS]; /* in-memory hives standing for HKLM and HKU */
    struct reg_user *users;
    size_t nusers;
    char *volume;  /* the volume's folder on disk, or NULL */
    char *windir;  /* its Windows folder, or NULL */
    struct reg_var *vars;
    size_t nvars;
    bool vars_ready;
};

/* ---- names (names.c) ---- */

/* a[0..an) and b[0..bn) equal without regard to case (Windows' upcase, in
 * UTF-16 units). */
bool reg_name_eq(const char *a, size_t an, const char *b, size_t bn);

/* The predefined key path starts with (HKLM, HKEY_LOCAL_MACHINE, HKU, ...,
 * any case, ended by '\' or the end), its length in *len; 0 if none. */
uint32_t reg_root_parse(const char *path, size_t *len);

/* "HKEY_LOCAL_MACHINE" ... for an HK_HKEY_* value, NULL for others. */
const char *reg_root_long_name(uint32_t hkey);

/* A link target (\REGISTRY\MACHINE\... or \REGISTRY\USER\..., any case):
 * *root is REG_HKLM or REG_HKU and *rest the path below it ("" for the
 * root itself). false for any other form. */
bool reg_link_target(const char *target, int *root, const char **rest);

/* ---- the context (context.c) ---- */

/* The mount of root named name[0..n), or NULL. */
struct reg_mount *reg_mount_find(hk_registry *reg, int root, const char *name, size_t n);
/* The mount whose hive is hive (*root set), or NULL. */
struct reg_mount *reg_mount_of(hk_registry *reg, const hk_hive *hive, int *root);
/* Records a mount (name and file copied). NOT_ENOUGH_MEMORY. */
hk_status reg_mount_add(hk_registry *reg, int root, const char *name, hk_hive *hive,
                        const char *file, uint32_t gen);
/* Forgets the mount (the caller closes its hive first). */
void reg_mount_remove(hk_registry *reg, int root, struct reg_mount *m);

/* Sets the context's message; returns st. */
hk_status reg_fail(hk_registry *reg, hk_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Passes a warning to the caller's callback. */
void reg_warn(hk_registry *reg, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Adds a profile (strings copied; ntuser/usrclass may be NULL). */
hk_status reg_user_add(hk_registry *reg, const char *sid, const char *name, const char *profile,
                       const char *ntuser, const char *usrclass);
/* Whether sid is an ordinary user's (S-1-5-21-...), not a service's. */
bool reg_sid_is_user(const char *sid);
/* The user chosen for HKCU: by reg->user (name or SID), else the only
 * ordinary user. NULL with the
 * detail saying why (the users listed). */
const struct reg_user *reg_current_user(hk_registry *reg);

/* Frees what the context owns apart from hives (the api layer closes them). */
void reg_free(hk_registry *reg);

/* ---- WOW64 (wow64.c) ---- */

/* Where path, below HKLM\SOFTWARE, lies in the 32-bit view: a new string
 * (Wow6432Node inserted where Windows redirects), or NULL when it is shared
 * (unchanged) or memory ran out (*st says which). */
char *wow64_software_path(const char *path, hk_status *st);
/* The same below a classes root (HKCR, HKLM\SOFTWARE\Classes, <SID>_Classes). */
char *wow64_classes_path(const char *path, hk_status *st);

/* ---- environment (environ.c) ---- */

/* Sets name=value (replacing, names compared without case). */
hk_status reg_env_set(hk_registry *reg, const char *name, const char *value);
/* The value of name[0..n), or NULL. */
const char *reg_env_get(const hk_registry *reg, const char *name, size_t n);
/* ExpandEnvironmentStrings over the variables (reg NULL: none): %NAME%
 * replaced when defined, kept as written when not. Output as hk_query_value:
 * *size in, bytes with the NUL needed on MORE_DATA. */
hk_status reg_env_expand(const hk_registry *reg, const char *src, char *out, size_t *size);




#endif
