/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry namespace in the CLI: the global options (--windows DIR,
 * --user NAME|SID, --reg:32, --reg:64, --hive ROOT\NAME=FILE) and full
 * paths with a root (HKLM\..., HKEY_USERS\..., HKCU, HKCR, HKCC) in place
 * of HIVE and KEY. */
#ifndef HIVEKIT_CLI_NAMESPACE_H
#define HIVEKIT_CLI_NAMESPACE_H

#include "buffers.h"

/* Takes the global options out of argv (argv[0] is the program; they may
 * stand before or after the command; nothing after "--"). Returns the new
 * argc, or a negative exit status after a usage error (reported). */
int cli_take_namespace_options(int argc, char **argv);

/* Whether any of them was given: paths then name keys of the namespace. */
int cli_ns_active(void);

/* Opens path (a full path with a root) as cmd's operand: the key, created
 * with its missing parents when create, from a context opened writable
 * when write. display gets the path as the user spelled it with the root's
 * long name (reg.exe's output). Returns CLI_EXIT_OK, or the exit status
 * after printing why (a missing key: reg.exe's not-found line, 1). */
int cli_ns_open(const char *path, int write, int create, uint32_t access, hk_key **out,
                struct cli_buf *display);

/* Whether path names an existing key (nothing printed). */
int cli_ns_exists(const char *path);

/* Deletes path's key and its subtree through the namespace. */
hk_status cli_ns_delete_tree(const char *path);

/* Reports a failed call on a key opened through the namespace (the
 * context's or the hive's detail when there is one); CLI_EXIT_ERROR. */
int cli_ns_fail(const char *what, hk_key *key, hk_status st);

/* Saves the hive of key (edits through the namespace). */
int cli_ns_save(const char *what, hk_key *key);

/* For the file-level commands: replaces the operand that names a mounted
 * hive (HKLM\SYSTEM, HKU\<SID>, HKCU) by the hive's file. Returns
 * CLI_EXIT_OK or the exit status after printing why. */
int cli_ns_hive_operand(int argc, char **argv);

/* Closes the context (saving edits); returns rc, or CLI_EXIT_ERROR when
 * saving failed. */
int cli_ns_finish(int rc);

/* The context (opened on first use), for the commands of the namespace
 * itself (users, expand); NULL after printing why. */
hk_registry *cli_ns_registry(int write);

#endif
