/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening keys through a registry context (api layer): mounts below HKLM
 * and HKU, link keys and the links Windows makes at boot
 * (CurrentControlSet, Hardware Profiles\Current, a user's
 * Software\Classes), the HKCR merge and the 32-bit view. The rules are the
 * registry layer's; this file walks the hives. */
#include <stdio.h>
#include <string.h>

#include "api/handle.h"
#include "base/alloc.h"
#include "record/nk.h"
#include "registry/registry.h"
#include "tree/lookup.h"
#include "tree/path.h"

void registry_release(hk_registry *reg); /* registry_api.c */

/* Gives key its namespace side (on failure the key is closed). */
static hk_status ns_attach(hk_key *key, hk_registry *reg, uint8_t kind, uint32_t view,
                           bool classes_root, hk_key *other, hk_key **out)
{
    struct key_ns *ns = hk_alloc_zero(1, sizeof *ns);
    if (!ns) {
        hk_close_key(other);
        hk_close_key(key);
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    ns->reg = reg;
    reg->refs++;
    ns->view = view;
    ns->kind = kind;
    ns->classes_root = classes_root;
    ns->other = other;
    key->ns = ns;
    key->access |= KEY_ACCESS_NS;
    *out = key;
    return HK_ERROR_SUCCESS;
}

void ns_release(hk_key *key)
{
    struct key_ns *ns = key->ns;
    key->access &= ~KEY_ACCESS_NS;
    hk_close_key(ns->other);
    hk_dealloc(ns->name);
    hk_registry *reg = ns->reg;
    hk_dealloc(ns);
    registry_release(reg);
}

/* Records name[0..n) as the name key was opened by. */
static hk_status ns_name(hk_key *key, const char *name, size_t n)
{
    char *copy = hk_alloc(n + 1);
    if (!copy)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(copy, name, n);
    copy[n] = '\0';
    hk_dealloc(key->ns->name);
    key->ns->name = copy;
    return HK_ERROR_SUCCESS;
}

/* The ordinary child name[0..n) of a plain key, read-only. */
static hk_status plain_child(hk_key *key, const char *name, size_t n, hk_key **out)
{
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    char *comp = hk_alloc(n + 1);
    if (!comp)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    memcpy(comp, name, n);
    comp[n] = '\0';
    struct nk nk;
    uint32_t depth = key->depth;
    st = tree_open_path(&key->hive->img, &key->nk, &depth, comp, key_hint(key), &nk);
    hk_dealloc(comp);
    if (st != HK_ERROR_SUCCESS)
        return st;
    return key_new(key->hive, &nk, depth, HK_KEY_ALL_ACCESS, out);
}

/* A DWORD value of key\path, or fallback. */
static uint32_t dword_at(hk_key *key, const char *path, const char *name, uint32_t fallback)
{
    hk_key *k;
    if (hk_open_key(key, path, 0, HK_KEY_READ, &k) != HK_ERROR_SUCCESS)
        return fallback;
    uint8_t buf[8];
    size_t size = sizeof buf;
    uint32_t type;
    hk_status st = hk_query_value_ex(k, name, &type, buf, &size);
    hk_close_key(k);
    if (st != HK_ERROR_SUCCESS || type != HK_REG_DWORD || size != 4)
        return fallback;
    return hk_decode_dword(buf, size);
}

/* The mount key is the root of (NULL when it is no mount's root). */
static struct reg_mount *root_mount(hk_key *key, int *root)
{
    if (key->ns->kind != NS_PLAIN || key->nk.off != key->hive->img.bb.root)
        return NULL;
    return reg_mount_of(key->ns->reg, key->hive, root);
}

static bool is_named(const struct name_ref *nm, const char *name)
{
    char buf[64];
    size_t size = sizeof buf;
    if (put_name(nm, buf, &size) != HK_ERROR_SUCCESS)
        return false;
    return reg_name_eq(buf, size, name, strlen(name));
}

/* The links Windows creates when it boots or logs a user on, which no file
 * holds: a plain child to open instead of name[0..n) below key
 * (*alt_name), or a whole key to go to (*to, a mount's root). false: none. */
static bool boot_link(hk_key *key, const char *name, size_t n, char *alt, size_t alt_size,
                      hk_key **to)
{
    hk_registry *reg = key->ns->reg;
    int root;
    struct reg_mount *m = root_mount(key, &root);
    /* HKLM\SYSTEM\CurrentControlSet -> ControlSet%03u of Select\Current. */
    if (m && root == REG_HKLM && reg_name_eq(name, n, "CurrentControlSet", 17)) {
        uint32_t cur = dword_at(key, "Select", "Current", dword_at(key, "Select", "Default", 1));
        snprintf(alt, alt_size, "ControlSet%03u", cur);
        return true;
    }
    /* ControlSetNNN\Hardware Profiles\Current -> the profile of
     * Control\IDConfigDB\CurrentConfig. */
    if (key->ns->kind == NS_PLAIN && key->depth == 2 && reg_name_eq(name, n, "Current", 7) &&
        is_named(&key->nk.name, "Hardware Profiles")) {
        struct nk set;
        if (nk_read(&key->hive->img, key->nk.parent, &set) != HK_ERROR_SUCCESS)
            return false;
        hk_key *setkey;
        if (key_new(key->hive, &set, 1, HK_KEY_READ, &setkey) != HK_ERROR_SUCCESS)
            return false;
        uint32_t cfg = dword_at(setkey, "Control\\IDConfigDB", "CurrentConfig", 1);
        hk_close_key(setkey);
        snprintf(alt, alt_size, "%04u", cfg);
        return true;
    }
    /* HKU\<SID>\Software\Classes -> HKU\<SID>_Classes. */
    if (key->ns->kind == NS_PLAIN && key->depth == 1 && reg_name_eq(name, n, "Classes", 7) &&
        is_named(&key->nk.name, "Software")) {
        struct reg_mount *um = reg_mount_of(reg, key->hive, &root);
        if (!um || root != REG_HKU)
            return false;
        char cls[256];
        int len = snprintf(cls, sizeof cls, "%s_Classes", um->name);
        struct reg_mount *cm = len > 0 && (size_t)len < sizeof cls
                                   ? reg_mount_find(reg, REG_HKU, cls, (size_t)len)
                                   : NULL;
        if (cm && hk_hive_root(cm->hive, to) == HK_ERROR_SUCCESS)
            return true;
    }
    return false;
}

/* Where a walk stopped at a missing key (for creation): the last key found
 * and the rest of the path below it. */
struct walk_stop {
    hk_key *at;
    char *rest;
};

static hk_status walk(hk_key *cur, const char *path, uint32_t options, uint32_t view,
                      unsigned links, hk_key **out, struct walk_stop *stop);

/* Opens the absolute kernel path target (a link's) in reg. */
static hk_status follow(hk_registry *reg, const char *target, uint32_t view, unsigned links,
                        hk_key **out)
{
    if (links >= REG_MAX_LINK_DEPTH)
        return reg_fail(reg, HK_ERROR_CANT_RESOLVE_FILENAME,
                        "more than %u links in a row (a loop?) at %s", REG_MAX_LINK_DEPTH,
                        target);
    int root;
    const char *rest;
    if (!reg_link_target(target, &root, &rest))
        return reg_fail(reg, HK_ERROR_FILE_NOT_FOUND, "link target %s is not below "
                        "\\REGISTRY\\MACHINE or \\REGISTRY\\USER", target);
    hk_key *start;
    hk_status st = hk_hive_root(reg->roots[root], &start);
    if (st == HK_ERROR_SUCCESS)
        st = ns_attach(start, reg, root == REG_HKLM ? NS_ROOT_HKLM : NS_ROOT_HKU, 0, false, NULL,
                       &start);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = walk(start, rest, 0, 0, links + 1, out, NULL);
    if (st == HK_ERROR_SUCCESS)
        (*out)->ns->view = view;
    return st;
}

/* The target of link key (its SymbolicLinkValue, REG_LINK UTF-16). */
static hk_status link_target(hk_key *key, char **out)
{
    uint32_t type;
    size_t size = 0;
    hk_status st = hk_query_value_ex(key, "SymbolicLinkValue", &type, NULL, &size);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (type != HK_REG_LINK || size > 65534)
        return HK_ERROR_FILE_NOT_FOUND;
    uint8_t *raw = hk_alloc(size + 2);
    if (!raw)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    st = hk_query_value_ex(key, "SymbolicLinkValue", &type, raw, &size);
    raw[size] = raw[size + 1] = 0; /* stored without a NUL */
    size_t text = 3 * (size / 2) + 1;
    *out = st == HK_ERROR_SUCCESS ? hk_alloc(text) : NULL;
    if (st == HK_ERROR_SUCCESS && !*out)
        st = HK_ERROR_NOT_ENOUGH_MEMORY;
    if (st == HK_ERROR_SUCCESS)
        st = hk_decode_string(raw, size, *out, &text);
    hk_dealloc(raw);
    if (st != HK_ERROR_SUCCESS) {
        hk_dealloc(*out);
        *out = NULL;
    }
    return st;
}

/* The child name[0..n) of cur as Windows resolves it. open_link: a link
 * key itself, not its target. */
static hk_status step(hk_key *cur, const char *name, size_t n, bool open_link, uint32_t view,
                      unsigned links, hk_key **out)
{
    struct key_ns *ns = cur->ns;
    hk_registry *reg = ns->reg;
    if (ns->kind == NS_ROOT_HKLM || ns->kind == NS_ROOT_HKU) {
        int root = ns->kind == NS_ROOT_HKLM ? REG_HKLM : REG_HKU;
        struct reg_mount *m = reg_mount_find(reg, root, name, n);
        if (!m)
            return HK_ERROR_FILE_NOT_FOUND;
        hk_key *k;
        hk_status st = hk_hive_root(m->hive, &k);
        if (st != HK_ERROR_SUCCESS)
            return st;
        size_t len = strlen(m->name);
        bool classes = root == REG_HKU && len > 8 &&
                       reg_name_eq(m->name + len - 8, 8, "_Classes", 8);
        st = ns_attach(k, reg, NS_PLAIN, view, classes, NULL, out);
        if (st == HK_ERROR_SUCCESS && (st = ns_name(*out, m->name, strlen(m->name))) != HK_ERROR_SUCCESS)
            hk_close_key(*out);
        return st;
    }
    if (ns->kind == NS_CLASSES) {
        hk_key *mine = NULL, *theirs = NULL;
        hk_status st = plain_child(cur, name, n, &mine);
        if (st != HK_ERROR_SUCCESS && st != HK_ERROR_FILE_NOT_FOUND)
            return st;
        if (ns->other) {
            hk_status st2 = plain_child(ns->other, name, n, &theirs);
            if (st2 != HK_ERROR_SUCCESS && st2 != HK_ERROR_FILE_NOT_FOUND) {
                hk_close_key(mine);
                return st2;
            }
        }
        if (!mine && !theirs)
            return HK_ERROR_FILE_NOT_FOUND;
        return ns_attach(mine ? mine : theirs, reg, NS_CLASSES, view, false, mine ? theirs : NULL,
                         out);
    }
    hk_key *child = NULL, *to = NULL;
    char alt[32];
    const char *asked = name;
    size_t asked_n = n;
    if (boot_link(cur, name, n, alt, sizeof alt, &to)) {
        if (to) {
            hk_status st0 = ns_attach(to, reg, NS_PLAIN, view, true, NULL, out);
            if (st0 == HK_ERROR_SUCCESS && (st0 = ns_name(*out, name, n)) != HK_ERROR_SUCCESS)
                hk_close_key(*out);
            return st0;
        }
        name = alt;
        n = strlen(alt);
    }
    hk_status st = plain_child(cur, name, n, &child);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if ((child->nk.flags & NK_FLAG_SYM_LINK) && !open_link) {
        char *target = NULL;
        st = link_target(child, &target);
        hk_close_key(child);
        if (st != HK_ERROR_SUCCESS)
            return st == HK_ERROR_FILE_NOT_FOUND
                       ? reg_fail(reg, st, "link key without a REG_LINK SymbolicLinkValue")
                       : st;
        st = follow(reg, target, view, links, out);
        hk_dealloc(target);
        if (st == HK_ERROR_SUCCESS && (st = ns_name(*out, name, n)) != HK_ERROR_SUCCESS)
            hk_close_key(*out);
        return st;
    }
    int root;
    struct reg_mount *m = root_mount(cur, &root);
    bool classes = m && root == REG_HKLM && reg_name_eq(m->name, strlen(m->name), "SOFTWARE", 8) &&
              is_named(&child->nk.name, "Classes");
    st = ns_attach(child, reg, NS_PLAIN, view, classes, NULL, out);
    if (st == HK_ERROR_SUCCESS && name != asked &&
        (st = ns_name(*out, asked, asked_n)) != HK_ERROR_SUCCESS)
        hk_close_key(*out);
    return st;
}

/* Where the 32-bit view sends path below cur: a new string, or NULL for
 * the path as it is (*st: NOT_ENOUGH_MEMORY when that is why). */
static char *view_path(hk_key *cur, const char *path, hk_status *st)
{
    *st = HK_ERROR_SUCCESS;
    int root;
    struct reg_mount *m = root_mount(cur, &root);
    if (m && root == REG_HKLM && reg_name_eq(m->name, strlen(m->name), "SOFTWARE", 8))
        return wow64_software_path(path, st);
    if (cur->ns->classes_root)
        return wow64_classes_path(path, st);
    return NULL;
}

/* Walks path (split by tree/path.h with the API's rules, leading
 * separators skipped: a link target's rest starts with one) down from
 * cur, which it takes over. */
static hk_status walk(hk_key *cur, const char *path, uint32_t options, uint32_t view,
                      unsigned links, hk_key **out, struct walk_stop *stop)
{
    char *rewritten = NULL;
    const char *s = path ? path : "";
    size_t n = strlen(s), pos = strspn(s, "\\"), start, len;
    hk_status st = HK_ERROR_SUCCESS;
    bool viewed = false;
    while (path_step(s, 1, n, &pos, &start, &len, 0) == HK_ERROR_SUCCESS) {
        if (view == HK_KEY_WOW64_32KEY && !viewed) {
            char *p = view_path(cur, s + start, &st);
            if (st != HK_ERROR_SUCCESS)
                break;
            if (p) {
                hk_dealloc(rewritten);
                rewritten = p;
                s = p;
                n = strlen(p);
                pos = strspn(s, "\\");
                viewed = true;
                if (path_step(s, 1, n, &pos, &start, &len, 0) != HK_ERROR_SUCCESS)
                    break;
            }
        }
        size_t peek = pos, next_start, next_len;
        bool last = path_step(s, 1, n, &peek, &next_start, &next_len, 0) != HK_ERROR_SUCCESS;
        hk_key *k;
        st = step(cur, s + start, len, last && (options & HK_REG_OPTION_OPEN_LINK), view, links,
                  &k);
        if (st == HK_ERROR_FILE_NOT_FOUND && stop) {
            size_t rest = n - start;
            stop->rest = hk_alloc(rest + 1);
            if (!stop->rest) {
                st = HK_ERROR_NOT_ENOUGH_MEMORY;
                break;
            }
            memcpy(stop->rest, s + start, rest + 1);
            stop->at = cur;
            hk_dealloc(rewritten);
            return st;
        }
        if (st != HK_ERROR_SUCCESS)
            break;
        hk_close_key(cur);
        cur = k;
    }
    hk_dealloc(rewritten);
    if (st != HK_ERROR_SUCCESS) {
        hk_close_key(cur);
        return st;
    }
    *out = cur;
    return HK_ERROR_SUCCESS;
}

/* A new handle on the key key stands on, with its namespace side. */
static hk_status dup_key(hk_key *key, uint32_t view, hk_key **out)
{
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_key *other = NULL, *o = key->ns->other;
    if (o) { /* the partner is an ordinary key */
        st = key_sync(o);
        if (st == HK_ERROR_SUCCESS)
            st = key_new(o->hive, &o->nk, o->depth, HK_KEY_ALL_ACCESS, &other);
        if (st != HK_ERROR_SUCCESS)
            return st;
    }
    hk_key *k;
    st = key_new(key->hive, &key->nk, key->depth, HK_KEY_ALL_ACCESS, &k);
    if (st != HK_ERROR_SUCCESS) {
        hk_close_key(other);
        return st;
    }
    /* the same node at the same edit generation: what key's enumeration
     * knows of the list holds for k (OpenKey(key, EnumKey(key, i))'s first
     * step takes it as its hint) */
    k->list = key->list;
    st = ns_attach(k, key->ns->reg, key->ns->kind, view, key->ns->classes_root, other, out);
    if (st == HK_ERROR_SUCCESS && key->ns->name &&
        (st = ns_name(*out, key->ns->name, strlen(key->ns->name))) != HK_ERROR_SUCCESS)
        hk_close_key(*out);
    return st;
}

static uint32_t view_of(const hk_key *key, uint32_t access)
{
    if (access & HK_KEY_WOW64_32KEY)
        return HK_KEY_WOW64_32KEY;
    if (access & HK_KEY_WOW64_64KEY)
        return 0;
    return key->ns->view;
}

hk_status ns_open_key(hk_key *key, const char *sub_key, uint32_t options, uint32_t access,
                      hk_key **out)
{
    if (sub_key && sub_key[0] == '\\')
        return HK_ERROR_BAD_PATHNAME;
    uint32_t view = view_of(key, access);
    hk_key *cur;
    hk_status st = dup_key(key, view, &cur);
    if (st == HK_ERROR_SUCCESS)
        st = walk(cur, sub_key, options, view, 0, out, NULL);
    if (st == HK_ERROR_SUCCESS)
        (*out)->access = (access & ~KEY_ACCESS_NS) | KEY_ACCESS_NS;
    return st;
}

hk_status ns_open_subkey_at(hk_key *key, uint32_t index, uint32_t access, hk_key **out)
{
    char name[4 * HK_MAX_KEY_NAME + 1];
    size_t size = sizeof name;
    hk_status st = hk_enum_key(key, index, name, &size);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_key *dup;
    uint32_t view = view_of(key, access);
    st = dup_key(key, view, &dup);
    if (st != HK_ERROR_SUCCESS)
        return st;
    st = step(dup, name, size, false, view, 0, out);
    hk_close_key(dup);
    if (st == HK_ERROR_SUCCESS)
        (*out)->access = (access & ~KEY_ACCESS_NS) | KEY_ACCESS_NS;
    return st;
}

hk_status ns_key_attach(hk_key *key, hk_registry *reg, uint8_t kind, bool classes_root,
                        hk_key *other, hk_key **out)
{
    return ns_attach(key, reg, kind, 0, classes_root, other, out);
}

hk_status ns_create_key(hk_key *key, const char *sub_key, const char *class_name,
                        uint32_t options, uint32_t access, hk_key **out, uint32_t *disposition)
{
    if (sub_key && sub_key[0] == '\\')
        return HK_ERROR_BAD_PATHNAME;
    uint32_t view = view_of(key, access);
    hk_key *cur;
    struct walk_stop stop = {NULL, NULL};
    hk_status st = dup_key(key, view, &cur);
    if (st == HK_ERROR_SUCCESS)
        st = walk(cur, sub_key, 0, view, 0, out, &stop);
    if (st == HK_ERROR_SUCCESS) {
        (*out)->access = (access & ~KEY_ACCESS_NS) | KEY_ACCESS_NS;
        if (disposition)
            *disposition = HK_REG_OPENED_EXISTING_KEY;
        return st;
    }
    if (!stop.at)
        return st;
    hk_key *at = stop.at;
    hk_registry *reg = at->ns->reg;
    if (at->ns->kind == NS_ROOT_HKLM || at->ns->kind == NS_ROOT_HKU) {
        st = reg_fail(reg, HK_ERROR_ACCESS_DENIED,
                      "keys directly below HKLM and HKU are mounted hives (hk_load_key)");
    } else {
        hk_key *made;
        st = plain_create_key(at, stop.rest, class_name, options, access, &made, disposition);
        if (st == HK_ERROR_SUCCESS)
            st = ns_attach(made, reg, at->ns->kind == NS_CLASSES ? NS_CLASSES : NS_PLAIN, view,
                           false, NULL, out);
        if (st == HK_ERROR_SUCCESS)
            (*out)->access = (access & ~KEY_ACCESS_NS) | KEY_ACCESS_NS;
    }
    hk_dealloc(stop.rest);
    hk_close_key(at);
    return st;
}

hk_status ns_delete_key(hk_key *key, const char *sub_key, bool tree)
{
    hk_key *k;
    uint32_t access = HK_KEY_ALL_ACCESS | (key->ns->view ? HK_KEY_WOW64_32KEY : 0);
    hk_status st = ns_open_key(key, sub_key, HK_REG_OPTION_OPEN_LINK, access, &k);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (k->nk.off == k->hive->img.bb.root)
        st = reg_fail(k->ns->reg, HK_ERROR_ACCESS_DENIED,
                      "a mounted hive's root cannot be deleted (hk_unload_key)");
    if (st == HK_ERROR_SUCCESS && tree)
        st = plain_delete_key(k, "", true);
    if (st == HK_ERROR_SUCCESS)
        st = plain_delete_key(k, "", false);
    hk_close_key(k);
    return st;
}
