/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry namespace in the CLI: global options, the context they
 * describe, and full root paths opened through it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "namespace.h"

#include "diag.h"
#include "hive_read.h"
#include "open_hive.h"
#include "options.h"

enum { MAX_HIVES = 32 };

static struct {
    const char *windows, *user;
    uint32_t view;  /* HK_KEY_WOW64_32KEY / 64KEY / 0 */
    const char *hives[MAX_HIVES];
    size_t n_hives;
    hk_registry *reg;
    int write;
} g;

int cli_ns_active(void)
{
    return g.windows || g.user || g.view || g.n_hives;
}

static int take_namespace_option(int argc, char **argv, int *i, void *ctx)
{
    (void)ctx;
    const char *a = argv[*i];
    const char **slot = NULL;
    const char *name = NULL, *val = NULL;
    if (strcmp(a, "--reg:32") == 0 || strcmp(a, "--reg:64") == 0) {
        uint32_t v = a[6] == '3' ? HK_KEY_WOW64_32KEY : HK_KEY_WOW64_64KEY;
        if (g.view && g.view != v)
            return -cli_usage_error("hivekit", "'--reg:32' and '--reg:64' exclude each other");
        g.view = v;
        return 1;
    }
    if (strncmp(a, "--windows", 9) == 0 && (a[9] == '\0' || a[9] == '='))
        slot = &g.windows, name = "--windows";
    else if (strncmp(a, "--user", 6) == 0 && (a[6] == '\0' || a[6] == '='))
        slot = &g.user, name = "--user";
    else if (strncmp(a, "--hive", 6) == 0 && (a[6] == '\0' || a[6] == '='))
        name = "--hive";
    if (!name)
        return 0;
    size_t n = strlen(name);
    if (a[n] == '=')
        val = a + n + 1;
    else if (*i + 1 < argc)
        val = argv[++*i];
    else
        return -cli_usage_error("hivekit", "option '%s' needs a value", name);
    if (slot) {
        if (*slot)
            return -cli_usage_error("hivekit", "'%s' given twice", name);
        *slot = val;
        return 1;
    }
    if (g.n_hives == MAX_HIVES)
        return -cli_usage_error("hivekit", "at most %d '--hive' mounts", MAX_HIVES);
    if (!strchr(val, '='))
        return -cli_usage_error("hivekit", "--hive '%s': ROOT\\NAME=FILE expected", val);
    g.hives[g.n_hives++] = val;
    return 1;
}

int cli_take_namespace_options(int argc, char **argv)
{
    return cli_take_options(argc, argv, take_namespace_option, NULL);
}

static void on_warn(const char *msg, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "hivekit: warning: %s\n", msg);
}

/* The root a path starts with (HK_HKEY_*), the rest after it in *rest. */
static uint32_t root_of(const char *path, const char **rest)
{
    static const struct {
        const char *name;
        uint32_t hkey;
    } roots[] = {
        {"HKLM", HK_HKEY_LOCAL_MACHINE},   {"HKEY_LOCAL_MACHINE", HK_HKEY_LOCAL_MACHINE},
        {"HKU", HK_HKEY_USERS},            {"HKEY_USERS", HK_HKEY_USERS},
        {"HKCU", HK_HKEY_CURRENT_USER},    {"HKEY_CURRENT_USER", HK_HKEY_CURRENT_USER},
        {"HKCR", HK_HKEY_CLASSES_ROOT},    {"HKEY_CLASSES_ROOT", HK_HKEY_CLASSES_ROOT},
        {"HKCC", HK_HKEY_CURRENT_CONFIG},  {"HKEY_CURRENT_CONFIG", HK_HKEY_CURRENT_CONFIG},
    };
    size_t n = strcspn(path, "\\");
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        if (strlen(roots[i].name) == n && strncasecmp(path, roots[i].name, n) == 0) {
            *rest = path[n] == '\\' ? path + n + 1 : path + n;
            return roots[i].hkey;
        }
    }
    return 0;
}

static const char *long_name(uint32_t hkey)
{
    switch (hkey) {
    case HK_HKEY_LOCAL_MACHINE: return "HKEY_LOCAL_MACHINE";
    case HK_HKEY_USERS: return "HKEY_USERS";
    case HK_HKEY_CURRENT_USER: return "HKEY_CURRENT_USER";
    case HK_HKEY_CLASSES_ROOT: return "HKEY_CLASSES_ROOT";
    default: return "HKEY_CURRENT_CONFIG";
    }
}

/* Mounts one --hive ROOT\NAME=FILE. */
static int mount_one(hk_registry *reg, const char *spec)
{
    const char *eq = strchr(spec, '=');
    char target[1024];
    snprintf(target, sizeof target, "%.*s", (int)(eq - spec), spec);
    const char *name;
    uint32_t hkey = root_of(target, &name);
    if ((hkey != HK_HKEY_LOCAL_MACHINE && hkey != HK_HKEY_USERS) || !*name || strchr(name, '\\'))
        return cli_usage_error("hivekit", "--hive '%s': ROOT is HKLM or HKU and NAME one key name",
                               spec);
    hk_key *root;
    hk_status st = hk_registry_open_predefined(reg, hkey, 0, &root);
    if (st == HK_ERROR_SUCCESS) {
        st = hk_load_key(root, name, eq + 1);
        hk_close_key(root);
    }
    if (st != HK_ERROR_SUCCESS) {
        const char *msg = hk_errmsg();
        cli_error(eq + 1, "%s", msg[0] ? msg : hk_strerror(st));
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

hk_registry *cli_ns_registry(int write)
{
    if (g.reg)
        return g.reg;
    hk_registry_options o = HK_REGISTRY_OPTIONS_INIT;
    o.user = g.user;
    o.flags = write ? HK_REGISTRY_WRITE : 0;
    o.warn = on_warn;
    g.write = write;
    hk_status st;
    if (g.windows) {
        st = hk_registry_connect(g.windows, &o, &g.reg);
        if (st != HK_ERROR_SUCCESS) {
            cli_error(g.windows, "%s", g.reg && hk_errmsg()[0] ? hk_errmsg() : hk_strerror(st));
            hk_registry_close(g.reg);
            g.reg = NULL;
            return NULL;
        }
    } else if ((st = hk_registry_new(&o, &g.reg)) != HK_ERROR_SUCCESS) {
        cli_error(NULL, "%s", hk_strerror(st));
        return NULL;
    }
    for (size_t i = 0; i < g.n_hives; i++) {
        if (mount_one(g.reg, g.hives[i]) != CLI_EXIT_OK) {
            hk_registry_close(g.reg);
            g.reg = NULL;
            return NULL;
        }
    }
    return g.reg;
}

int cli_ns_fail(const char *what, hk_key *key, hk_status st)
{
    const char *detail = g.reg || key ? hk_errmsg() : "";
    if (detail[0])
        cli_error(what, "%s (%s)", detail, hk_strerror(st));
    else
        cli_error(what, "%s", hk_strerror(st));
    return CLI_EXIT_ERROR;
}

/* The predefined key path starts with; usage error when it has none. */
static int open_root(const char *path, int write, const char **rest, hk_key **out, uint32_t *hkey)
{
    if (write && !g.reg)
        g.write = 1;
    *hkey = root_of(path, rest);
    if (!*hkey) {
        cli_error(path, "not a registry path: with --windows, --user, --reg:32/64 or --hive, "
                        "paths start with HKLM, HKU, HKCU, HKCR or HKCC");
        return CLI_EXIT_ERROR;
    }
    hk_registry *reg = cli_ns_registry(g.write);
    if (!reg)
        return CLI_EXIT_ERROR;
    hk_status st = hk_registry_open_predefined(reg, *hkey, g.view, out);
    if (st != HK_ERROR_SUCCESS) {
        cli_error(path, "%s", hk_errmsg()[0] ? hk_errmsg() : hk_strerror(st));
        return st == HK_ERROR_FILE_NOT_FOUND ? CLI_EXIT_NOT_FOUND : CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

int cli_ns_open(const char *path, int write, int create, uint32_t access, hk_key **out,
                struct cli_buf *display)
{
    *out = NULL;
    const char *rest;
    hk_key *root;
    uint32_t hkey;
    int rc = open_root(path, write, &rest, &root, &hkey);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t n = strlen(rest);
    while (n && rest[n - 1] == '\\')
        n--;
    char *sub = malloc(n + 1);
    if (!sub) {
        hk_close_key(root);
        cli_error(path, "%s", hk_strerror(HK_ERROR_NOT_ENOUGH_MEMORY));
        return CLI_EXIT_ERROR;
    }
    memcpy(sub, rest, n);
    sub[n] = '\0';
    access |= g.view;
    hk_status st = create ? hk_create_key_ex(root, sub, 0, NULL, 0, access, out, NULL)
                          : hk_open_key(root, sub, 0, access, out);
    if (display) {
        display->len = 0;
        cli_buf_adds(display, long_name(hkey));
        if (n) {
            cli_buf_addc(display, '\\');
            cli_buf_add(display, sub, n);
        }
    }
    free(sub);
    if (st == HK_ERROR_FILE_NOT_FOUND)
        rc = cli_not_found();
    else if (st != HK_ERROR_SUCCESS)
        rc = cli_ns_fail(path, root, st);
    hk_close_key(root);
    return rc;
}

int cli_ns_exists(const char *path)
{
    const char *rest;
    hk_key *root, *k;
    uint32_t hkey = root_of(path, &rest);
    hk_registry *reg = hkey ? cli_ns_registry(g.write) : NULL;
    if (!reg || hk_registry_open_predefined(reg, hkey, g.view, &root) != HK_ERROR_SUCCESS)
        return 0;
    hk_status st = hk_open_key(root, rest, 0, HK_KEY_READ | g.view, &k);
    hk_close_key(root);
    if (st == HK_ERROR_SUCCESS)
        hk_close_key(k);
    return st == HK_ERROR_SUCCESS;
}

hk_status cli_ns_delete_tree(const char *path)
{
    const char *rest;
    hk_key *root;
    uint32_t hkey;
    int rc = open_root(path, 1, &rest, &root, &hkey);
    if (rc != CLI_EXIT_OK)
        return rc == CLI_EXIT_NOT_FOUND ? HK_ERROR_FILE_NOT_FOUND : HK_ERROR_INVALID_PARAMETER;
    hk_status st = *rest ? hk_delete_tree(root, rest) : HK_ERROR_ACCESS_DENIED;
    hk_close_key(root);
    return st;
}

int cli_ns_save(const char *what, hk_key *key)
{
    hk_status st = hk_flush_key(key);
    return st == HK_ERROR_SUCCESS ? CLI_EXIT_OK : cli_ns_fail(what, key, st);
}

int cli_ns_finish(int rc)
{
    if (!g.reg)
        return rc;
    hk_status st = hk_registry_close(g.reg);
    if (st != HK_ERROR_SUCCESS) {
        cli_error(NULL, "%s", hk_strerror(st));
        rc = CLI_EXIT_ERROR;
    }
    g.reg = NULL;
    return rc;
}

/* The file of the hive path names (HKLM\NAME, HKU\NAME, HKCU). */
static int mounted_file(const char *path, char **file)
{
    const char *rest = "";
    uint32_t hkey = root_of(path, &rest);
    hk_registry *reg = cli_ns_registry(0);
    if (!reg)
        return CLI_EXIT_ERROR;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(rest, "\\"), rest);
    const char *after = rest + strlen(name);
    if (hkey == HK_HKEY_CURRENT_USER) {
        hk_key *k;
        hk_status st = hk_registry_open_predefined(reg, hkey, 0, &k);
        if (st != HK_ERROR_SUCCESS) {
            cli_error(path, "%s", hk_errmsg());
            return CLI_EXIT_ERROR;
        }
        hk_close_key(k);
        hk_registry_user u = HK_REGISTRY_USER_INIT;
        for (uint32_t i = 0; hk_registry_user_at(reg, i, &u) == HK_ERROR_SUCCESS; i++)
            if (u.is_current)
                snprintf(name, sizeof name, "%s", u.sid);
        hkey = HK_HKEY_USERS;
        after = rest;
    }
    if ((hkey != HK_HKEY_LOCAL_MACHINE && hkey != HK_HKEY_USERS) || !name[0] ||
        (*after && strcmp(after, "\\") != 0)) {
        cli_error(path, "names no mounted hive (HKLM\\NAME, HKU\\NAME or HKCU expected)");
        return CLI_EXIT_ERROR;
    }
    hk_registry_mount m = HK_REGISTRY_MOUNT_INIT;
    for (uint32_t i = 0; hk_registry_mount_at(reg, hkey, i, &m) == HK_ERROR_SUCCESS; i++) {
        if (strcasecmp(m.name, name) == 0) {
            *file = strdup(m.file);
            return *file ? CLI_EXIT_OK : CLI_EXIT_ERROR;
        }
    }
    return cli_not_found();
}

int cli_ns_hive_operand(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
            i++;
        } else if (cli_is_option(argv[i])) {
            continue;
        }
        const char *rest;
        if (!root_of(argv[i], &rest))
            continue;
        char *file;
        int rc = mounted_file(argv[i], &file);
        if (rc != CLI_EXIT_OK)
            return rc;
        argv[i] = file; /* lives as long as the process */
        return CLI_EXIT_OK;
    }
    return CLI_EXIT_OK;
}
