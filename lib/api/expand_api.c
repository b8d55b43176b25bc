/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ExpandEnvironmentStrings with an image's environment (api layer): the
 * variables Windows derives at boot and logon, Session Manager\Environment
 * of the current control set and the user's Environment. */
#include <stdio.h>
#include <string.h>

#include "api/handle.h"
#include "base/alloc.h"
#include "registry/registry.h"

enum { TEXT_MAX = 4096 };

/* A string value (REG_SZ, REG_EXPAND_SZ) of hkey\path, expanded with the
 * variables so far; false when absent. */
static bool read_string(hk_registry *reg, uint32_t hkey, const char *path, const char *name,
                        char *out, size_t size)
{
    hk_key *root, *k;
    if (hk_registry_open_predefined(reg, hkey, 0, &root) != HK_ERROR_SUCCESS)
        return false;
    hk_status st = hk_open_key(root, path, 0, HK_KEY_READ, &k);
    hk_close_key(root);
    if (st != HK_ERROR_SUCCESS)
        return false;
    char text[TEXT_MAX];
    bool have = key_string_value(k, name, text, sizeof text);
    hk_close_key(k);
    return have && reg_env_expand(reg, text, out, &size) == HK_ERROR_SUCCESS;
}

static hk_status set_read(hk_registry *reg, const char *var, uint32_t hkey, const char *path,
                          const char *name)
{
    char v[TEXT_MAX];
    if (!read_string(reg, hkey, path, name, v, sizeof v))
        return HK_ERROR_SUCCESS;
    return reg_env_set(reg, var, v);
}

/* Every string value of hkey\path as a variable ("Path" of the user's
 * appended to the machine's, as Windows does). */
static hk_status set_all(hk_registry *reg, uint32_t hkey, const char *path, bool user)
{
    hk_key *root, *k;
    if (hk_registry_open_predefined(reg, hkey, 0, &root) != HK_ERROR_SUCCESS)
        return HK_ERROR_SUCCESS;
    if (key_step_down(root, path, &k) != HK_ERROR_SUCCESS)
        return HK_ERROR_SUCCESS;
    hk_status st = HK_ERROR_SUCCESS;
    for (uint32_t i = 0; st == HK_ERROR_SUCCESS; i++) {
        char name[512];
        size_t nn = sizeof name;
        if (hk_enum_value(k, i, name, &nn, NULL, NULL, NULL) != HK_ERROR_SUCCESS)
            break;
        char v[TEXT_MAX];
        if (!read_string(reg, hkey, path, name, v, sizeof v))
            continue;
        const char *old = reg_env_get(reg, name, nn);
        if (user && old && reg_name_eq(name, nn, "Path", 4)) {
            char joined[2 * TEXT_MAX + 2];
            snprintf(joined, sizeof joined, "%s;%s", old, v);
            st = reg_env_set(reg, name, joined);
        } else {
            st = reg_env_set(reg, name, v);
        }
    }
    hk_close_key(k);
    return st;
}

static hk_status build(hk_registry *reg)
{
    char root[TEXT_MAX] = "C:\\Windows";
    read_string(reg, HK_HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                "SystemRoot", root, sizeof root);
    char drive[3] = {root[0], root[1], '\0'};
    hk_status st = reg_env_set(reg, "SystemDrive", drive);
    if (st == HK_ERROR_SUCCESS)
        st = reg_env_set(reg, "SystemRoot", root);
    if (st == HK_ERROR_SUCCESS)
        st = reg_env_set(reg, "windir", root);
    static const struct {
        const char *var, *path, *name;
    } machine[] = {
        {"ProgramFiles", "SOFTWARE\\Microsoft\\Windows\\CurrentVersion", "ProgramFilesDir"},
        {"ProgramFiles(x86)", "SOFTWARE\\Microsoft\\Windows\\CurrentVersion",
         "ProgramFilesDir (x86)"},
        {"CommonProgramFiles", "SOFTWARE\\Microsoft\\Windows\\CurrentVersion", "CommonFilesDir"},
        {"ProgramData", "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList",
         "ProgramData"},
        {"ALLUSERSPROFILE", "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList",
         "ProgramData"},
        {"PUBLIC", "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList", "Public"},
        {"COMPUTERNAME", "SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
         "ComputerName"},
    };
    for (size_t i = 0; st == HK_ERROR_SUCCESS && i < sizeof machine / sizeof machine[0]; i++)
        st = set_read(reg, machine[i].var, HK_HKEY_LOCAL_MACHINE, machine[i].path, machine[i].name);
    if (st == HK_ERROR_SUCCESS)
        st = set_all(reg, HK_HKEY_LOCAL_MACHINE,
                     "SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment", false);
    diag_mute(true); /* no user: the machine's variables alone */
    const struct reg_user *u = reg_current_user(reg);
    diag_mute(false);
    if (u && st == HK_ERROR_SUCCESS) {
        char profile[TEXT_MAX], v[TEXT_MAX + 32];
        size_t size = sizeof profile;
        st = reg_env_expand(reg, u->profile, profile, &size);
        if (st == HK_ERROR_SUCCESS)
            st = reg_env_set(reg, "USERPROFILE", profile);
        if (st == HK_ERROR_SUCCESS)
            st = reg_env_set(reg, "USERNAME", u->name);
        if (st == HK_ERROR_SUCCESS)
            st = reg_env_set(reg, "HOMEDRIVE", drive);
        if (st == HK_ERROR_SUCCESS)
            st = reg_env_set(reg, "HOMEPATH", profile[0] && profile[1] == ':' ? profile + 2 : profile);
        snprintf(v, sizeof v, "%s\\AppData\\Roaming", profile);
        if (st == HK_ERROR_SUCCESS)
            st = reg_env_set(reg, "APPDATA", v);
        snprintf(v, sizeof v, "%s\\AppData\\Local", profile);
        if (st == HK_ERROR_SUCCESS)
            st = reg_env_set(reg, "LOCALAPPDATA", v);
        if (st == HK_ERROR_SUCCESS)
            st = set_all(reg, HK_HKEY_CURRENT_USER, "Environment", true);
    }
    if (st == HK_ERROR_SUCCESS)
        reg->vars_ready = true;
    return st;
}

HK_API hk_status hk_expand_environment_strings(hk_key *key, const char *src, char *out,
                                               size_t *out_size)
{
    api_enter();
    if (!src || !out_size)
        return HK_ERROR_INVALID_PARAMETER;
    hk_registry *reg = key && (key->access & KEY_ACCESS_NS) ? key->ns->reg : NULL;
    if (reg && !reg->vars_ready) {
        hk_status st = build(reg);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    return reg_env_expand(reg, src, out, out_size);
}
