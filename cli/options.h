/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Command-line option parsing shared by the commands (options.c). */
#ifndef HIVEKIT_CLI_OPTIONS_H
#define HIVEKIT_CLI_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

/* Whether argv[*i] is the option -s / --long (either may be NULL). With
 * has_arg the value is the next argument or follows "--long=" / "-sVALUE";
 * *i advances past what was used. Returns 1 matched, 0 not this option, -1
 * matched but the value is missing (reported as a usage error of cmd). */
int cli_opt(const char *cmd, int argc, char **argv, int *i, const char *s, const char *l,
            int has_arg, const char **val);

/* Whether arg looks like an option ("-x", "--x"; "-" alone does not). */
int cli_is_option(const char *arg);

/* Stores the value of an option that may be given once. */
int cli_set_once(const char *cmd, const char *opt, const char **slot, const char *val);

/* Takes an argument no option claimed: an operand goes to the first empty
 * one of slots[0..n) (HIVE, KEY, ...); an unknown option (unless after "--")
 * or one operand too many is a usage error. */
int cli_operand(const char *cmd, const char *arg, int only_args, const char **slots, size_t n);

/* One option of a command's table: -s and/or --l (either may be NULL).
 * With value it takes a value, stored there and given at most once (a
 * second one is "'NAME' given twice"); else it is a flag setting *flag to 1
 * (flag may be NULL: accepted, nothing changes). */
struct cli_option {
    const char *s, *l;
    const char *name;
    const char **value;
    int *flag;
};

/* Parses argv of cmd: "-h"/"--help" prints usage and returns -1; "--" ends
 * the options; each argument is the first option of opts[0..nopts) it
 * matches, else an operand for ops[0..nops) (cli_operand). Returns
 * CLI_EXIT_OK, or CLI_EXIT_ERROR after a usage error (reported). */
int cli_parse_args(const char *cmd, const char *usage, const struct cli_option *opts, size_t nopts,
                   const char **ops, size_t nops, int argc, char **argv);

/* The arguments of the commands that take HIVE alone with --format and
 * --salvage (deleted, check, timeline). */
struct cli_hive_args {
    const char *hive;
    const char *format; /* NULL when not given */
    int salvage;
};

/* Parses argv of cmd into a; with_options 0 accepts neither --format nor
 * --salvage. Prints usage for -h/--help and returns -1; else CLI_EXIT_OK or
 * CLI_EXIT_ERROR (a usage error, reported). */
int cli_parse_hive_args(const char *cmd, const char *usage, int with_options, int argc, char **argv,
                        struct cli_hive_args *a);

/* The minor version of --hive-version V ("1.3" to "1.6"; NULL: 5) of the
 * commands that write a new hive. Returns CLI_EXIT_OK, or CLI_EXIT_ERROR
 * after a usage error (reported). */
int cli_hive_version(const char *cmd, const char *version, uint32_t *minor);

/* Claims argv[*i] for one of the options taken out of argv before the
 * command parses its own (cli_take_options): returns 1 when taken (*i
 * advanced past a value it used), 0 when not one of them, or a negative
 * exit status after a usage error (reported). */
typedef int (*cli_take_fn)(int argc, char **argv, int *i, void *ctx);

/* Takes the arguments take claims out of argv (argv[0] stays; nothing
 * after "--"), closing the gaps. Returns the new argc, or take's negative
 * exit status. */
int cli_take_options(int argc, char **argv, cli_take_fn take, void *ctx);

/* Slots of the HIVE [KEY] operands of the reading commands. */
enum { CLI_OP_HIVE, CLI_OP_KEY, CLI_OP_COUNT };

#endif
