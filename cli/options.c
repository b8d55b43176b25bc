/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The commands' option parsing: one option (-s VALUE, -sVALUE, --long VALUE,
 * --long=VALUE), operands, and the table-driven loop most commands use. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "options.h"

int cli_is_option(const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0';
}

int cli_set_once(const char *cmd, const char *opt, const char **slot, const char *val)
{
    if (*slot)
        return cli_usage_error(cmd, "'%s' given twice", opt);
    *slot = val;
    return CLI_EXIT_OK;
}

int cli_operand(const char *cmd, const char *arg, int only_args, const char **slots, size_t n)
{
    if (!only_args && cli_is_option(arg))
        return cli_usage_error(cmd, "unknown option '%s'", arg);
    for (size_t k = 0; k < n; k++) {
        if (!slots[k]) {
            slots[k] = arg;
            return CLI_EXIT_OK;
        }
    }
    return cli_usage_error(cmd, "unexpected argument '%s'", arg);
}

int cli_opt(const char *cmd, int argc, char **argv, int *i, const char *s, const char *l,
            int has_arg, const char **val)
{
    const char *a = argv[*i];
    const char *attached = NULL;
    int hit = 0;
    if (s && a[0] == '-' && a[1] == s[0] && a[1] != '-') {
        if (a[2] == '\0')
            hit = 1;
        else if (has_arg) {
            hit = 1;
            attached = a + 2;
        }
    }
    if (!hit && l && a[0] == '-' && a[1] == '-') {
        size_t n = strlen(l);
        if (strncmp(a + 2, l, n) == 0) {
            if (a[2 + n] == '\0') {
                hit = 1;
            } else if (a[2 + n] == '=') {
                if (!has_arg) {
                    cli_usage_error(cmd, "option '--%s' takes no value", l);
                    return -1;
                }
                hit = 1;
                attached = a + 3 + n;
            }
        }
    }
    if (!hit)
        return 0;
    if (has_arg) {
        if (attached) {
            *val = attached;
        } else if (*i + 1 < argc) {
            *val = argv[++*i];
        } else {
            cli_usage_error(cmd, "option '%s' needs a value", a);
            return -1;
        }
    }
    ++*i;
    return 1;
}

/* Takes the option at argv[*i] if one of opts[0..n) is it: 1 taken, 0 none
 * of them, -1 a usage error (reported). */
static int take_option(const char *cmd, const struct cli_option *opts, size_t n, int argc,
                       char **argv, int *i)
{
    for (size_t k = 0; k < n; k++) {
        const struct cli_option *o = &opts[k];
        const char *val = NULL;
        int m = cli_opt(cmd, argc, argv, i, o->s, o->l, o->value != NULL, &val);
        if (m == 0)
            continue;
        if (m < 0)
            return -1;
        if (o->value && cli_set_once(cmd, o->name, o->value, val) != CLI_EXIT_OK)
            return -1;
        if (o->flag)
            *o->flag = 1;
        return 1;
    }
    return 0;
}

int cli_parse_args(const char *cmd, const char *usage, const struct cli_option *opts, size_t nopts,
                   const char **ops, size_t nops, int argc, char **argv)
{
    int only_args = 0;
    for (int i = 1; i < argc;) {
        if (!only_args) {
            if (strcmp(argv[i], "--") == 0) {
                only_args = 1;
                i++;
                continue;
            }
            int m = cli_opt(cmd, argc, argv, &i, "h", "help", 0, NULL);
            if (m < 0)
                return CLI_EXIT_ERROR;
            if (m > 0) {
                fputs(usage, stdout);
                return -1;
            }
            m = take_option(cmd, opts, nopts, argc, argv, &i);
            if (m < 0)
                return CLI_EXIT_ERROR;
            if (m > 0)
                continue;
        }
        if (cli_operand(cmd, argv[i], only_args, ops, nops) != CLI_EXIT_OK)
            return CLI_EXIT_ERROR;
        i++;
    }
    return CLI_EXIT_OK;
}

int cli_parse_hive_args(const char *cmd, const char *usage, int with_options, int argc, char **argv,
                        struct cli_hive_args *a)
{
    memset(a, 0, sizeof *a);
    const struct cli_option opts[] = {
        {.l = "format", .name = "--format", .value = &a->format},
        {.l = "salvage", .flag = &a->salvage},
    };
    int rc = cli_parse_args(cmd, usage, opts, with_options ? 2 : 0, &a->hive, 1, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (!a->hive)
        return cli_usage_error(cmd, "missing HIVE");
    return CLI_EXIT_OK;
}

int cli_hive_version(const char *cmd, const char *version, uint32_t *minor)
{
    *minor = 5;
    if (!version)
        return CLI_EXIT_OK;
    if (strlen(version) != 3 || strncmp(version, "1.", 2) != 0 || version[2] < '3' ||
        version[2] > '6')
        return cli_usage_error(cmd, "--hive-version '%s': 1.3, 1.4, 1.5 or 1.6 expected", version);
    *minor = (uint32_t)(version[2] - '0');
    return CLI_EXIT_OK;
}

int cli_take_options(int argc, char **argv, cli_take_fn take, void *ctx)
{
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < argc)
                argv[out++] = argv[i++];
            break;
        }
        int at = i, rc = take(argc, argv, &i, ctx);
        if (rc < 0)
            return rc;
        if (rc == 0)
            argv[out++] = argv[at];
    }
    argv[out] = NULL;
    return out;
}
