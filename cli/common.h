/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every hivekit command shares: exit codes and diagnostics, opening a
 * hive, resolving a key path, growable buffers, the output buffer, and the
 * text encodings (hex, JSON strings, FILETIME, type names). Built on the
 * public header only. */
#ifndef HIVEKIT_CLI_COMMON_H
#define HIVEKIT_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hivekit.h"

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* ---- exit status ------------------------------------------------------ */

enum { CLI_EXIT_OK = 0, CLI_EXIT_NOT_FOUND = 1, CLI_EXIT_ERROR = 2 };

/* reg.exe's message for a missing key or value (exit status 1). */
#define CLI_NOT_FOUND_TEXT "ERROR: The system was unable to find the specified registry key or value."


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

/* An hk_write_fn writing to the FILE * ctx: 0, or -1 when fwrite fails. */
int cli_write_fp(const void *data, size_t size, void *ctx);

/* ---- diagnostics: one line each on stderr ----------------------------- */

/* "hivekit: WHAT: MESSAGE". */
CLI_PRINTF(2, 3) void cli_error(const char *what, const char *fmt, ...);

/* "hivekit: CMD: MESSAGE (see 'hivekit help CMD')"; returns CLI_EXIT_ERROR. */
CLI_PRINTF(2, 3) int cli_usage_error(const char *cmd, const char *fmt, ...);

/* Set by the commands that take --salvage: a corrupt hive's error then
 * ends with "try --salvage". */
extern int cli_salvage_hint;

/* Reports a failed library call on an open hive as
 * "hivekit: WHAT: DETAIL (STATUS TEXT)", or "hivekit: WHAT: STATUS TEXT"
 * when the hive holds no detail. Returns CLI_EXIT_ERROR. */
int cli_fail(const hk_hive *hive, const char *what, hk_status st);

/* As cli_fail for a failed edit or save: the library's detail for it (an
 * edit clears the previous one), "DETAIL (STATUS TEXT)", when there is one. */
int cli_fail_edit(const hk_hive *hive, const char *what, hk_status st);

/* Prints reg.exe's not-found line and returns CLI_EXIT_NOT_FOUND. */
int cli_not_found(void);

/* reg.exe's not-found line, then "hivekit: DETAIL" naming what was not
 * found; returns CLI_EXIT_NOT_FOUND. */
CLI_PRINTF(1, 2) int cli_not_found_detail(const char *fmt, ...);

/* As cli_not_found_detail for KEY (as given) missing below a hive's root,
 * with a hint when KEY starts with a predefined root (HKLM\...): keys are
 * relative to the hive's root key. */
int cli_key_not_found(const char *key_arg);

/* The length of the part of path that stands for a hive: a predefined root
 * (long or short name, any case), and for HKLM and HKU the key after it
 * (SOFTWARE, a user's SID); 0 when path does not start with a root.
 * *root gets the root's long name. */
size_t cli_hive_key_len(const char *path, const char **root);

/* Opens path, replaying its transaction logs as --no-logs / --log say. On
 * failure prints "hivekit: PATH: REASON" and returns the status. A replayed
 * hive gets one stderr line naming the logs; a dirty one read as it is, a
 * warning. */
hk_status cli_open_hive(const char *path, hk_hive **out);

/* ---- transaction logs (logs.c) ---------------------------------------- */

/* Takes --no-logs and --log FILE (repeatable) out of argv (argv[0] is the
 * command; nothing after "--"), for every command. Returns the new argc, or
 * a negative exit status after a usage error. */
int cli_take_log_options(int argc, char **argv);

/* Sets opts' log fields from those options (and HK_OPEN_ACCEPT_DIRTY from
 * --accept-dirty, which only the editing commands and recover take). */
void cli_log_options(hk_open_options *opts);

/* The hk_hive_save flags of --break-hardlinks (the commands that write a
 * hive file take it). */
uint32_t cli_save_flags(void);

/* Why a hive is dirty: "sequence 3 != 2, bad checksum". */
void cli_dirty_reason(const hk_hive_info *info, char *why, size_t size);

/* The one stderr line about hive's logs: which were replayed, or a warning
 * for a dirty hive read as it is. Nothing for a clean one. */
void cli_log_report(const char *path, hk_hive *hive, const hk_hive_info *info);
/* As cli_open_hive with hk_open_options.flags (HK_OPEN_SALVAGE: what the
 * salvage open cut is printed as a warning). */
hk_status cli_open_hive_flags(const char *path, uint32_t flags, hk_hive **out);

/* ---- salvage: reading past broken structures --------------------------- */

/* State of a --salvage walk over one key's subkeys. */
struct cli_salvage {
    const char *hive_path;
    char last[256]; /* the detail of the last failure under this key */
};

/* After a failed read of subkey index below key_path (path_len bytes):
 * prints "hivekit: warning: HIVE: skipped ..." and returns 1 to go on with
 * the next index, or 0 when the failure repeats (the list itself is broken:
 * going on would fail the same way). */
int cli_salvage_skip(struct cli_salvage *sv, hk_hive *hive, const char *key_path, size_t path_len,
                     uint32_t index, hk_status st);

/* Progress of a long walk on stderr: only when stderr is a terminal, so
 * that the output of runs under test stays the same. */
struct cli_progress {
    uint64_t keys;
    int tty;
};
void cli_progress_init(struct cli_progress *p);
void cli_progress_key(struct cli_progress *p);
void cli_progress_done(struct cli_progress *p);
/* Opens path for editing (HK_OPEN_WRITE); failures as cli_open_hive. A
 * dirty hive is refused here: it cannot be saved before log replay. */
hk_status cli_open_hive_write(const char *path, hk_hive **out);

/* Writes the edited hive back to the file it came from (atomically).
 * Returns CLI_EXIT_OK, or prints the reason and returns CLI_EXIT_ERROR. */
int cli_save_hive(hk_hive *hive, const char *path);

/* KEY as the editing commands take it: a leading '\' dropped. */
const char *cli_key_arg(const char *key);

/* ---- option parsing (options.c) ----------------------------------------- */

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

/* Slots of the HIVE [KEY] operands of the reading commands. */
enum { CLI_OP_HIVE, CLI_OP_KEY, CLI_OP_COUNT };

/* ---- growable buffers ------------------------------------------------- */

struct cli_buf {
    char *p;
    size_t len, cap;
};

/* Makes room for n more bytes; exits the process with status 2 when memory
 * runs out (nothing useful can follow). */
void cli_buf_grow(struct cli_buf *b, size_t n);

static inline void cli_buf_reserve(struct cli_buf *b, size_t n)
{
    if (b->cap - b->len < n)
        cli_buf_grow(b, n);
}

static inline void cli_buf_add(struct cli_buf *b, const void *s, size_t n)
{
    cli_buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
}

static inline void cli_buf_addc(struct cli_buf *b, char c)
{
    cli_buf_reserve(b, 1);
    b->p[b->len++] = c;
}

static inline void cli_buf_adds(struct cli_buf *b, const char *s)
{
    cli_buf_add(b, s, strlen(s));
}

void cli_buf_free(struct cli_buf *b);

/* Decimal digits of v. */
void cli_buf_u64(struct cli_buf *b, uint64_t v);

/* n bytes of a name or data as text output shows them: controls and what
 * is not UTF-8 escaped (hk_text_escape). */
static inline void cli_buf_add_text(struct cli_buf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    cli_buf_reserve(b, HK_TEXT_ESCAPE_MAX(n));
    b->len += hk_text_escape(s, n, b->p + b->len);
}

/* ---- the output buffer ------------------------------------------------ */

/* Bytes collect in buf and go to fp in large fwrite calls. */
struct cli_out {
    struct cli_buf buf;
    FILE *fp;
    int err; /* errno of the first failed write, 0 if none */
};

#define CLI_OUT_CHUNK ((size_t)1 << 20)

void cli_out_init(struct cli_out *o, FILE *fp);
/* Writes everything collected; returns 0 or the errno of a failure. */
int cli_out_flush(struct cli_out *o);

/* Writes the buffer once it holds a chunk's worth. */
static inline void cli_out_step(struct cli_out *o)
{
    if (o->buf.len >= CLI_OUT_CHUNK)
        cli_out_flush(o);
}

/* Flushes, frees the buffer and fflush()es fp; returns 0 or an errno. */
int cli_out_close(struct cli_out *o);

/* ---- hive access with growing buffers --------------------------------- */

/* The key's own name, its true length in name->len (it may hold NULs). */
hk_status cli_key_name(hk_key *key, struct cli_buf *name);

/* Value number index: name (true length in name->len), type and the exact
 * stored bytes in data (data->len). */
hk_status cli_enum_value(hk_key *key, uint32_t index, struct cli_buf *name, uint32_t *type,
                         struct cli_buf *data);

/* The key's class name (empty if none) and its counts and time. */
hk_status cli_key_info(hk_key *key, struct cli_buf *class_name, hk_key_info *info);

/* hk_decode_string / hk_decode_multi_sz into out (out->len excludes the
 * final NUL; multi-sz items stay NUL-separated, *count of them). */
hk_status cli_decode_string(const void *data, size_t size, struct cli_buf *out);
hk_status cli_decode_multi_sz(const void *data, size_t size, struct cli_buf *out, size_t *count);

/* Opens key_arg below the root of hive, one backslash-separated component
 * at a time (a leading '\' is dropped, "" or NULL is the root) and writes
 * the path of stored names, relative to the root, to path. On failure
 * prints the diagnostic and returns the exit status; else 0. */
int cli_open_path(hk_hive *hive, const char *key_arg, hk_key **out, struct cli_buf *path);

/* Appends data of type as reg.exe query shows it (strings decoded,
 * numbers 0x..., REG_MULTI_SZ joined with "\0", other types uppercase hex);
 * text is scratch. */
hk_status cli_reg_data(struct cli_buf *b, struct cli_buf *text, uint32_t type, const char *data,
                       size_t len);

/* Reads the whole file at path ("-": standard input) into out. On failure
 * prints the reason and returns CLI_EXIT_ERROR. */
int cli_read_file(const char *path, struct cli_buf *out);

/* ---- encodings -------------------------------------------------------- */

/* n bytes as 2n hex digits at dst; returns the end. */
char *cli_hex_lower(char *dst, const uint8_t *src, size_t n);
char *cli_hex_upper(char *dst, const uint8_t *src, size_t n);

/* Appends s (n bytes of UTF-8/WTF-8, NULs allowed) JSON-escaped, without
 * quotes: '"' '\\' and controls as escapes (controls as \u00XX), WTF-8 lone
 * surrogates and any other ill-formed byte as \ufffd (strict parsers refuse
 * lone surrogates; cli_json_name keeps the exact units beside). */
void cli_json_escape(struct cli_buf *b, const char *s, size_t n);
/* The same with the quotes. */
void cli_json_string(struct cli_buf *b, const char *s, size_t n);

/* "FIELD":"s", and when s holds what JSON shows as U+FFFD (a lone
 * surrogate), ,"FIELD_utf16_hex":"..." with its exact UTF-16LE units. */
void cli_json_name(struct cli_buf *b, const char *field, const char *s, size_t n);

/* FILETIME as "YYYY-MM-DDTHH:MM:SS.fffffffZ" (28 bytes + NUL) at out;
 * returns the length (the library's hk_filetime_text). */
#define CLI_ISO_SIZE HK_FILETIME_TEXT_SIZE
size_t cli_filetime_iso(uint64_t filetime, char out[CLI_ISO_SIZE]);

/* "REG_SZ" ... (the library's hk_type_name), or "REG_0x%X" for a type
 * without a name (scratch holds it). */
#define CLI_TYPE_NAME_SIZE 24
const char *cli_type_name(uint32_t type, char scratch[CLI_TYPE_NAME_SIZE]);

#endif
