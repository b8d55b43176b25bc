/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ConnectRegistry on a Windows volume (api layer): its config hives, the
 * default user and every profile of ProfileList, files found in any case. */
#include <stdio.h>
#include <string.h>

#include "api/handle.h"
#include "base/alloc.h"
#include "base/dirfind.h"
#include "registry/registry.h"

hk_status registry_mount(hk_registry *reg, int root, const char *name, const char *file);

bool key_string_value(hk_key *key, const char *name, char *buf, size_t size)
{
    uint8_t raw[8192];
    size_t n = sizeof raw;
    uint32_t type;
    if (hk_query_value_ex(key, name, &type, raw, &n) != HK_ERROR_SUCCESS ||
        (type != HK_REG_SZ && type != HK_REG_EXPAND_SZ))
        return false;
    return hk_decode_string(raw, n, buf, &size) == HK_ERROR_SUCCESS;
}

/* A Windows path of the image ("C:\Users\x", "%SystemDrive%\Users\x") as
 * a folder of the volume, found in any case; NULL when absent. */
static char *volume_dir(hk_registry *reg, const char *winpath, const char *sysroot)
{
    char path[2048];
    size_t size = sizeof path;
    hk_registry tmp;
    memset(&tmp, 0, sizeof tmp);
    struct reg_var vars[3] = {{(char *)"SystemDrive", NULL}, {(char *)"SystemRoot", NULL},
                              {(char *)"windir", NULL}};
    char drive[3] = {sysroot[0], sysroot[1], '\0'};
    vars[0].value = drive;
    vars[1].value = vars[2].value = (char *)sysroot;
    tmp.vars = vars;
    tmp.nvars = 3;
    if (reg_env_expand(&tmp, winpath, path, &size) != HK_ERROR_SUCCESS)
        return NULL;
    const char *rel = path;
    if (rel[0] && rel[1] == ':')
        rel += 2;
    hk_status st;
    return dir_find_nocase(reg->volume, rel, true, &st);
}

/* The last component of a Windows path. */
static const char *base_name(const char *p)
{
    const char *b = strrchr(p, '\\');
    return b ? b + 1 : p;
}

/* Mounts each profile of ProfileList; records every one as a user. */
static hk_status mount_profiles(hk_registry *reg, hk_key *software)
{
    char sysroot[512] = "C:\\Windows";
    hk_key *cv, *list;
    if (hk_open_key(software, "Microsoft\\Windows NT\\CurrentVersion", 0, HK_KEY_READ, &cv) !=
        HK_ERROR_SUCCESS)
        return HK_ERROR_SUCCESS;
    key_string_value(cv, "SystemRoot", sysroot, sizeof sysroot);
    if (key_step_down(cv, "ProfileList", &list) != HK_ERROR_SUCCESS)
        return HK_ERROR_SUCCESS;
    hk_status st = HK_ERROR_SUCCESS;
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS; i++) {
        char sid[192];
        size_t n = sizeof sid;
        hk_status e = hk_enum_key(list, i, sid, &n);
        if (e == HK_ERROR_NO_MORE_ITEMS)
            break;
        if (e != HK_ERROR_SUCCESS)
            continue;
        hk_key *p;
        if (hk_open_key(list, sid, 0, HK_KEY_READ, &p) != HK_ERROR_SUCCESS)
            continue;
        char image[1024] = "";
        bool have = key_string_value(p, "ProfileImagePath", image, sizeof image);
        hk_close_key(p);
        if (!have)
            continue;
        char *dir = volume_dir(reg, image, sysroot);
        char *ntuser = NULL, *usrclass = NULL;
        hk_status fs;
        if (dir) {
            ntuser = dir_find_nocase(dir, "NTUSER.DAT", false, &fs);
            usrclass = dir_find_nocase(dir, "AppData\\Local\\Microsoft\\Windows\\UsrClass.dat",
                                       false, &fs);
        }
        bool system = strcmp(sid, "S-1-5-18") == 0; /* .DEFAULT stands for it */
        if (!ntuser && !system)
            reg_warn(reg, "profile %s (%s): %s not found, skipped", sid, image,
                     dir ? "NTUSER.DAT" : "its folder");
        if (ntuser && !system) {
            st = registry_mount(reg, REG_HKU, sid, ntuser);
            if (st == HK_ERROR_SUCCESS && usrclass) {
                char cls[256];
                snprintf(cls, sizeof cls, "%s_Classes", sid);
                st = registry_mount(reg, REG_HKU, cls, usrclass);
            }
        }
        if (st == HK_ERROR_SUCCESS)
            st = reg_user_add(reg, sid, base_name(image), image, system ? NULL : ntuser,
                              system ? NULL : usrclass);
        hk_dealloc(dir);
        hk_dealloc(ntuser);
        hk_dealloc(usrclass);
    }
    hk_close_key(list);
    return st;
}

/* Finds the Windows folder: path itself or its Windows child. */
static hk_status find_windows(hk_registry *reg, const char *path, char **config)
{
    hk_status st;
    char *win = dir_find_nocase(path, "Windows", true, &st);
    char *cfg = win ? dir_find_nocase(win, "System32\\config", true, &st) : NULL;
    if (cfg) {
        reg->windir = win;
        reg->volume = dir_find_nocase(path, "", true, &st);
    } else {
        hk_dealloc(win);
        cfg = dir_find_nocase(path, "System32\\config", true, &st);
        if (!cfg)
            return reg_fail(reg, st == HK_ERROR_NOT_ENOUGH_MEMORY ? st : HK_ERROR_PATH_NOT_FOUND,
                            "%s: neither a Windows volume nor its Windows folder (looked for "
                            "%s/Windows/System32/config and %s/System32/config)",
                            path, path, path);
        reg->windir = dir_find_nocase(path, "", true, &st);
        reg->volume = dir_find_nocase(path, "..", true, &st);
    }
    *config = cfg;
    return reg->windir && reg->volume ? HK_ERROR_SUCCESS : HK_ERROR_NOT_ENOUGH_MEMORY;
}

static hk_status mount_config(hk_registry *reg, const char *config)
{
    static const struct {
        const char *file, *mount;
        int root;
        bool required;
    } hives[] = {
        {"SYSTEM", "SYSTEM", REG_HKLM, true},      {"SOFTWARE", "SOFTWARE", REG_HKLM, true},
        {"SAM", "SAM", REG_HKLM, false},           {"SECURITY", "SECURITY", REG_HKLM, false},
        {"DEFAULT", ".DEFAULT", REG_HKU, false},
    };
    for (size_t i = 0; i < sizeof hives / sizeof hives[0]; i++) {
        hk_status st;
        char *f = dir_find_nocase(config, hives[i].file, false, &st);
        if (!f) {
            if (st == HK_ERROR_NOT_ENOUGH_MEMORY)
                return st;
            if (hives[i].required)
                return reg_fail(reg, HK_ERROR_FILE_NOT_FOUND, "no %s hive: %s/%s not found",
                                hives[i].file, config, hives[i].file);
            reg_warn(reg, "no %s hive: %s/%s not found", hives[i].file, config, hives[i].file);
            continue;
        }
        st = registry_mount(reg, hives[i].root, hives[i].mount, f);
        hk_dealloc(f);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_registry_connect(const char *path, const hk_registry_options *opts,
                                     hk_registry **out)
{
    api_enter();
    if (!path || !out)
        return HK_ERROR_INVALID_PARAMETER;
    hk_registry *reg;
    hk_status st = hk_registry_new(opts, &reg);
    if (st != HK_ERROR_SUCCESS)
        return st;
    char *config = NULL;
    st = find_windows(reg, path, &config);
    if (st == HK_ERROR_SUCCESS)
        st = mount_config(reg, config);
    hk_dealloc(config);
    if (st == HK_ERROR_SUCCESS) {
        struct reg_mount *sw = reg_mount_find(reg, REG_HKLM, "SOFTWARE", 8);
        hk_key *root;
        st = hk_hive_root(sw->hive, &root);
        if (st == HK_ERROR_SUCCESS) {
            st = mount_profiles(reg, root);
            hk_close_key(root);
        }
    }
    if (st != HK_ERROR_SUCCESS) {
        /* The context stays only to carry the message (sqlite3_open's way):
         * drop the mounts made so far. */
        for (int r = 0; r < REG_ROOTS; r++) {
            while (reg->nmounts[r]) {
                struct reg_mount *m = &reg->mounts[r][reg->nmounts[r] - 1];
                hk_hive_close(m->hive);
                reg_mount_remove(reg, r, m);
            }
        }
        reg->failed = true;
        *out = reg;
        return st;
    }
    *out = reg;
    return HK_ERROR_SUCCESS;
}
