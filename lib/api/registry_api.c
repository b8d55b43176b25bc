/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Registry contexts: creating and closing them, their predefined keys,
 * mounting and unmounting hives (api layer). */
#include <stdio.h>
#include <string.h>

#include "api/abi.h"
#include "api/edit.h"
#include "api/handle.h"
#include "base/alloc.h"
#include "registry/registry.h"

hk_status registry_mount(hk_registry *reg, int root, const char *name, const char *file);
void registry_release(hk_registry *reg);

/* Saves every mounted hive edited since its last save; the first error. */
static hk_status save_edited(hk_registry *reg)
{
    hk_status first = HK_ERROR_SUCCESS;
    for (int r = 0; r < REG_ROOTS; r++) {
        for (size_t i = 0; i < reg->nmounts[r]; i++) {
            struct reg_mount *m = &reg->mounts[r][i];
            if (!m->hive->write_mode || m->hive->gen == m->saved_gen)
                continue;
            hk_status st = hk_hive_save(m->hive, NULL, 0);
            if (st == HK_ERROR_SUCCESS)
                m->saved_gen = m->hive->gen;
            else if (first == HK_ERROR_SUCCESS)
                first = reg_fail(reg, st, "saving %s: %s", m->file ? m->file : m->name,
                                 diag_detail());
        }
    }
    return first;
}

void registry_release(hk_registry *reg)
{
    if (--reg->refs > 0)
        return;
    save_edited(reg); /* the last key closed: nothing is left to report to */
    for (int r = 0; r < REG_ROOTS; r++) {
        for (size_t i = 0; i < reg->nmounts[r]; i++)
            hk_hive_close(reg->mounts[r][i].hive);
        hk_hive_close(reg->roots[r]);
    }
    reg_free(reg);
}

HK_API hk_status hk_registry_new(const hk_registry_options *opts, hk_registry **out)
{
    api_enter();
    if (!out)
        return HK_ERROR_INVALID_PARAMETER;
    *out = NULL;
    hk_registry_options o;
    hk_status st = abi_in(&o, sizeof o, opts, REGISTRY_OPTIONS_V1);
    if (st != HK_ERROR_SUCCESS || (o.flags & ~HK_REGISTRY_WRITE))
        return HK_ERROR_INVALID_PARAMETER;
    opts = &o;
    hk_registry *reg = hk_alloc_zero(1, sizeof *reg);
    if (!reg)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    reg->refs = 1;
    {
        reg->flags = opts->flags;
        reg->warn = opts->warn;
        reg->warn_ctx = opts->warn_ctx;
        if (opts->user) {
            size_t n = strlen(opts->user) + 1;
            reg->user = hk_alloc(n);
            if (reg->user)
                memcpy(reg->user, opts->user, n);
            else
                st = HK_ERROR_NOT_ENOUGH_MEMORY;
        }
    }
    static const char *const names[REG_ROOTS] = {"HKEY_LOCAL_MACHINE", "HKEY_USERS"};
    for (int r = 0; r < REG_ROOTS && st == HK_ERROR_SUCCESS; r++) {
        st = hk_hive_create(5, names[r], &reg->roots[r]);
        if (st == HK_ERROR_SUCCESS)
            reg->roots[r]->write_mode = false; /* nothing is created below HKLM or HKU */
    }
    if (st != HK_ERROR_SUCCESS) {
        registry_release(reg);
        return st;
    }
    *out = reg;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_registry_close(hk_registry *reg)
{
    api_enter();
    if (!reg)
        return HK_ERROR_SUCCESS;
    hk_status st = save_edited(reg);
    reg->closed = true;
    registry_release(reg);
    return st;
}

/* A handle on the root HKLM (REG_HKLM) or HKU. */
static hk_status open_root(hk_registry *reg, int root, uint32_t access, hk_key **out)
{
    hk_key *k;
    hk_status st = hk_hive_root(reg->roots[root], &k);
    if (st == HK_ERROR_SUCCESS)
        st = ns_key_attach(k, reg, root == REG_HKLM ? NS_ROOT_HKLM : NS_ROOT_HKU, false, NULL, &k);
    if (st != HK_ERROR_SUCCESS)
        return st;
    /* Predefined handles have every right, as Windows' do. */
    k->access = HK_KEY_ALL_ACCESS | (access & HK_KEY_WOW64_32KEY) | KEY_ACCESS_NS;
    k->ns->view = access & HK_KEY_WOW64_32KEY;
    *out = k;
    return HK_ERROR_SUCCESS;
}

/* root\path (path below HKLM or HKU). */
static hk_status open_below(hk_registry *reg, int root, const char *path, uint32_t access,
                            hk_key **out)
{
    hk_key *r;
    hk_status st = open_root(reg, root, access, &r);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = hk_open_key(r, path, 0, access, out);
    hk_close_key(r);
    return st;
}

/* HKCR: the user's classes over HKLM\SOFTWARE\Classes. */
static hk_status open_classes(hk_registry *reg, uint32_t access, hk_key **out)
{
    hk_key *machine = NULL, *user = NULL;
    hk_status st = open_below(reg, REG_HKLM, "SOFTWARE\\Classes", HK_KEY_ALL_ACCESS, &machine);
    if (st != HK_ERROR_SUCCESS)
        return reg_fail(reg, st, "HKCR needs HKLM\\SOFTWARE\\Classes");
    diag_mute(true); /* no user: the machine's classes alone */
    const struct reg_user *u = reg_current_user(reg);
    diag_mute(false);
    if (u) {
        struct reg_mount *m = NULL;
        size_t n = strlen(u->sid);
        for (size_t i = 0; i < reg->nmounts[REG_HKU] && !m; i++) {
            const char *name = reg->mounts[REG_HKU][i].name;
            if (strlen(name) == n + 8 && strncmp(name, u->sid, n) == 0 &&
                reg_name_eq(name + n, 8, "_Classes", 8))
                m = &reg->mounts[REG_HKU][i];
        }
        if (m && (st = hk_hive_root(m->hive, &user)) != HK_ERROR_SUCCESS) {
            hk_close_key(machine);
            return st;
        }
    }
    /* the parts are ordinary keys of the merged one */
    hk_key *plain;
    hk_key *src = machine;
    st = key_new(src->hive, &src->nk, src->depth, HK_KEY_ALL_ACCESS, &plain);
    hk_close_key(machine);
    if (st != HK_ERROR_SUCCESS) {
        hk_close_key(user);
        return st;
    }
    hk_key *k;
    st = ns_key_attach(user ? user : plain, reg, NS_CLASSES, true, user ? plain : NULL, &k);
    if (st != HK_ERROR_SUCCESS)
        return st;
    k->access = HK_KEY_ALL_ACCESS | (access & HK_KEY_WOW64_32KEY) | KEY_ACCESS_NS;
    k->ns->view = access & HK_KEY_WOW64_32KEY;
    *out = k;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_registry_open_predefined(hk_registry *reg, uint32_t hkey, uint32_t access,
                                             hk_key **out)
{
    api_enter();
    if (!reg)
        return HK_ERROR_INVALID_PARAMETER;
    if (!out || !access_known(access))
        return HK_ERROR_INVALID_PARAMETER;
    *out = NULL;
    if (reg->failed)
        return HK_ERROR_INVALID_HANDLE;
    switch (hkey) {
    case HK_HKEY_LOCAL_MACHINE:
        return open_root(reg, REG_HKLM, access, out);
    case HK_HKEY_USERS:
        return open_root(reg, REG_HKU, access, out);
    case HK_HKEY_CURRENT_USER: {
        const struct reg_user *u = reg_current_user(reg);
        if (!u)
            return HK_ERROR_FILE_NOT_FOUND;
        hk_status st = open_below(reg, REG_HKU, u->sid, HK_KEY_ALL_ACCESS | (access & HK_KEY_WOW64_32KEY), out);
        if (st == HK_ERROR_FILE_NOT_FOUND)
            reg_fail(reg, st, "HKCU: the hive of user %s (%s) is not mounted", u->name, u->sid);
        return st;
    }
    case HK_HKEY_CLASSES_ROOT:
        return open_classes(reg, access, out);
    case HK_HKEY_CURRENT_CONFIG:
        return open_below(reg, REG_HKLM, "SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current",
                          HK_KEY_ALL_ACCESS | (access & HK_KEY_WOW64_32KEY), out);
    case HK_HKEY_PERFORMANCE_DATA:
    case HK_HKEY_DYN_DATA:
        return HK_ERROR_CALL_NOT_IMPLEMENTED;
    default:
        return HK_ERROR_INVALID_HANDLE;
    }
}

HK_API hk_status hk_connect_registry(const char *path, uint32_t hkey,
                                     const hk_registry_options *opts, hk_key **out)
{
    api_enter();
    if (!out)
        return HK_ERROR_INVALID_PARAMETER;
    *out = NULL;
    hk_registry *reg = NULL;
    hk_status st = hk_registry_connect(path, opts, &reg);
    if (st != HK_ERROR_SUCCESS) {
        hk_registry_close(reg); /* the context that carried the message */
        return st;
    }
    st = hk_registry_open_predefined(reg, hkey, HK_KEY_ALL_ACCESS, out);
    hk_registry_close(reg);
    return st;
}

/* The context and root (REG_HKLM or REG_HKU) of a handle on HKLM or HKU. */
static hk_status root_of(hk_key *key, hk_registry **reg, int *root)
{
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (!(key->access & KEY_ACCESS_NS) ||
        (key->ns->kind != NS_ROOT_HKLM && key->ns->kind != NS_ROOT_HKU))
        return HK_ERROR_INVALID_PARAMETER;
    *reg = key->ns->reg;
    *root = key->ns->kind == NS_ROOT_HKLM ? REG_HKLM : REG_HKU;
    return HK_ERROR_SUCCESS;
}

static bool one_component(const char *name)
{
    return name && *name && !strchr(name, '\\');
}

hk_status registry_mount(hk_registry *reg, int root, const char *name, const char *file)
{
    if (!one_component(name) || !file)
        return HK_ERROR_INVALID_PARAMETER;
    if (reg_mount_find(reg, root, name, strlen(name)))
        return reg_fail(reg, HK_ERROR_ALREADY_EXISTS, "%s\\%s is mounted already",
                        root == REG_HKLM ? "HKLM" : "HKU", name);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = (reg->flags & HK_REGISTRY_WRITE) ? HK_OPEN_WRITE : 0;
    hk_hive *h;
    hk_status st = hk_hive_open(file, &o, &h);
    if (st != HK_ERROR_SUCCESS)
        return reg_fail(reg, st, "%s: %s", file,
                        diag_detail()[0] ? diag_detail() : hk_strerror(st));
    /* A placeholder below the root hive lists the mount (enumeration, info). */
    hk_hive *rh = reg->roots[root];
    hk_key *rk = NULL, *made = NULL;
    rh->write_mode = true;
    st = hk_hive_root(rh, &rk);
    if (st == HK_ERROR_SUCCESS)
        st = plain_create_key(rk, name, NULL, 0, HK_KEY_READ, &made, NULL);
    hk_close_key(made);
    hk_close_key(rk);
    rh->write_mode = false;
    if (st == HK_ERROR_SUCCESS)
        st = reg_mount_add(reg, root, name, h, file, h->gen);
    if (st != HK_ERROR_SUCCESS) {
        hk_hive_close(h);
        return reg_fail(reg, st, "mounting %s: %s", file, hk_strerror(st));
    }
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_load_key(hk_key *root_key, const char *name, const char *file)
{
    api_enter();
    hk_registry *reg;
    int root;
    hk_status st = root_of(root_key, &reg, &root);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return registry_mount(reg, root, name, file);
}

HK_API hk_status hk_unload_key(hk_key *root_key, const char *name)
{
    api_enter();
    hk_registry *reg;
    int root;
    hk_status st = root_of(root_key, &reg, &root);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (!one_component(name))
        return HK_ERROR_INVALID_PARAMETER;
    struct reg_mount *m = reg_mount_find(reg, root, name, strlen(name));
    if (!m)
        return HK_ERROR_FILE_NOT_FOUND;
    if (m->hive->write_mode && m->hive->gen != m->saved_gen) {
        st = hk_hive_save(m->hive, NULL, 0);
        if (st != HK_ERROR_SUCCESS)
            return reg_fail(reg, st, "saving %s: %s", m->file, diag_detail());
    }
    hk_hive *rh = reg->roots[root];
    hk_key *rk = NULL;
    rh->write_mode = true;
    st = hk_hive_root(rh, &rk);
    if (st == HK_ERROR_SUCCESS)
        st = plain_delete_key(rk, m->name, false);
    hk_close_key(rk);
    rh->write_mode = false;
    hk_hive_close(m->hive);
    reg_mount_remove(reg, root, m);
    return st;
}

HK_API hk_status hk_registry_user_at(hk_registry *reg, uint32_t index, hk_registry_user *out)
{
    api_enter();
    if (!reg)
        return HK_ERROR_INVALID_PARAMETER;
    if (abi_out_check(out, REGISTRY_USER_V1) != HK_ERROR_SUCCESS)
        return HK_ERROR_INVALID_PARAMETER;
    if (index >= reg->nusers)
        return HK_ERROR_NO_MORE_ITEMS;
    const struct reg_user *u = &reg->users[index];
    hk_registry_user own = HK_REGISTRY_USER_INIT;
    snprintf(own.sid, sizeof own.sid, "%s", u->sid);
    snprintf(own.name, sizeof own.name, "%s", u->name);
    snprintf(own.profile_path, sizeof own.profile_path, "%s", u->profile);
    own.ntuser_found = u->ntuser != NULL;
    own.usrclass_found = u->usrclass != NULL;
    diag_mute(true);
    own.is_current = reg_current_user(reg) == u;
    diag_mute(false);
    abi_out(out, &own, sizeof own);
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_disable_reflection_key(hk_key *key)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_enable_reflection_key(hk_key *key)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_query_reflection_key(hk_key *key, int *disabled)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (!disabled)
        return HK_ERROR_INVALID_PARAMETER;
    *disabled = 1;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_registry_mount_at(hk_registry *reg, uint32_t hkey, uint32_t index,
                                      hk_registry_mount *out)
{
    api_enter();
    if (!reg)
        return HK_ERROR_INVALID_PARAMETER;
    if ((hkey != HK_HKEY_LOCAL_MACHINE && hkey != HK_HKEY_USERS) ||
        abi_out_check(out, REGISTRY_MOUNT_V1) != HK_ERROR_SUCCESS)
        return HK_ERROR_INVALID_PARAMETER;
    int root = hkey == HK_HKEY_LOCAL_MACHINE ? REG_HKLM : REG_HKU;
    if (index >= reg->nmounts[root])
        return HK_ERROR_NO_MORE_ITEMS;
    const struct reg_mount *m = &reg->mounts[root][index];
    hk_registry_mount own = HK_REGISTRY_MOUNT_INIT;
    snprintf(own.name, sizeof own.name, "%s", m->name);
    snprintf(own.file, sizeof own.file, "%s", m->file ? m->file : "");
    abi_out(out, &own, sizeof own);
    return HK_ERROR_SUCCESS;
}

HK_API hk_hive *hk_key_hive(hk_key *key)
{
    return key ? key->hive : NULL;
}
