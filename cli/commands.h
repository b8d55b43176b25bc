/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The entry points of the hivekit commands (main.c's table). */
#ifndef HIVEKIT_CLI_COMMANDS_H
#define HIVEKIT_CLI_COMMANDS_H

/* The commands of main.c's table: argv[0] is the command name. */
int cmd_info(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_recover(int argc, char **argv);
int cmd_deleted(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_add(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_rename(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_carve(int argc, char **argv);
/* the registry namespace (namespace.h) */
int cmd_users(int argc, char **argv);
int cmd_expand(int argc, char **argv);

#endif
