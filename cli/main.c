/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit: the command-line front end. A table of subcommands, each an
 * int cmd_x(int argc, char **argv) in its own file. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "diag.h"
#include "open_hive.h"
#include "options.h"
#include "namespace.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    {"info", cmd_info, "show what a hive's base block says, and count its keys and values"},
    {"query", cmd_query, "print a key's values and subkeys as reg.exe query does"},
    {"export", cmd_export, "write a key tree as .reg (regedit 5 or REGEDIT4), JSON or JSON lines"},
    {"import", cmd_import, "apply a .reg file to a hive (all or nothing)"},
    {"build", cmd_build, "build a hive from a .reg file, reproducibly"},
    {"compare", cmd_compare, "list what differs between two key trees, or print a .reg patch"},
    {"new", cmd_new, "write a new hive with an empty root key"},
    {"add", cmd_add, "create a key and set a value as reg.exe add does"},
    {"delete", cmd_delete, "delete a key with its subtree, or values, as reg.exe delete does"},
    {"copy", cmd_copy, "copy a key's values (and subtree) as reg.exe copy does"},
    {"rename", cmd_rename, "rename a key (RegRenameKey)"},
    {"save", cmd_save, "write a key's subtree as a new hive as reg.exe save does"},
    {"recover", cmd_recover, "replay a dirty hive's transaction logs into a clean copy"},
    {"deleted", cmd_deleted, "list deleted keys and values left in free cells and slack"},
    {"check", cmd_check, "verify every rule of the format; exit 1 on integrity errors"},
    {"timeline", cmd_timeline, "list every key by last-write time (csv, bodyfile, jsonl)"},
    {"users", cmd_users, "list an image's profiles (with --windows)"},
    {"expand", cmd_expand, "expand %VARIABLES% with an image's environment (with --windows)"},
    {"carve", cmd_carve, "find hives and hive fragments in a raw disk or memory image"},
};

/* The commands that act on a hive file: with the namespace options they
 * take a path naming a mounted hive (HKLM\SYSTEM, HKU\<SID>). */
static int is_file_command(const char *name)
{
    static const char *const files[] = {"info", "check", "deleted", "timeline", "recover"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (strcmp(name, files[i]) == 0)
            return 1;
    return 0;
}

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void usage(FILE *fp)
{
    fputs("usage: hivekit COMMAND [ARGS...]\n"
          "       hivekit help COMMAND\n"
          "       hivekit --help | --version\n"
          "\n"
          "Read and edit Windows registry hive files (plain or gzip-compressed).\n"
          "\n"
          "commands:\n",
          fp);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].help);
    fputs("\n"
          "global options (before or after the command): a Windows image or hives\n"
          "mounted as a registry; paths then start with HKLM, HKU, HKCU, HKCR or HKCC\n"
          "  --windows DIR         mount DIR's Windows/System32/config hives and profiles\n"
          "  --user NAME|SID       the user HKCU stands for\n"
          "  --reg:32, --reg:64    the 32-bit or 64-bit view (as reg.exe's /reg:32)\n"
          "  --hive ROOT\\NAME=FILE mount FILE as HKLM\\NAME or HKU\\NAME (repeatable)\n"
          "\n"
          "options of every command that reads a hive:\n"
          "  --no-logs  read the file as it is, without replaying its transaction logs\n"
          "  --log FILE replay FILE (repeatable) instead of the logs found beside the hive\n"
          "options of the commands that write a hive:\n"
          "  --accept-dirty     edit or recover a dirty hive that has no log, as it is\n"
          "  --break-hardlinks  replace a hive file that has other hard links\n"
          "\n"
          "Exit status: 0 success, 1 key or value not found (compare: the trees differ;\n"
          "check: integrity errors), 2 error.\n"
          "See hivekit(1) for details.\n",
          fp);
}

static int help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 2)
        return cli_usage_error("help", "too many arguments");
    const struct command *c = find_command(argv[1]);
    if (!c) {
        cli_error(argv[1], "unknown command (see 'hivekit --help')");
        return CLI_EXIT_ERROR;
    }
    char opt[] = "--help";
    char *args[] = {argv[1], opt, NULL};
    return c->run(2, args);
}

int main(int argc, char **argv)
{
    argc = cli_take_namespace_options(argc, argv);
    if (argc < 0)
        return -argc;
    if (argc < 2) {
        cli_error(NULL, "missing COMMAND (see 'hivekit --help')");
        return CLI_EXIT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("hivekit %s\n", HK_VERSION_STRING);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "help") == 0)
        return help(argc - 1, argv + 1);
    const struct command *c = find_command(name);
    if (!c) {
        if (cli_is_option(name))
            cli_error(NULL, "unknown option '%s' (see 'hivekit --help')", name);
        else
            cli_error(name, "unknown command (see 'hivekit --help')");
        return CLI_EXIT_ERROR;
    }
    int n = cli_take_log_options(argc - 1, argv + 1);
    if (n < 0)
        return -n;
    if (cli_ns_active() && is_file_command(c->name)) {
        int rc = cli_ns_hive_operand(n, argv + 1);
        if (rc != CLI_EXIT_OK)
            return cli_ns_finish(rc);
    }
    return cli_ns_finish(c->run(n, argv + 1));
}
