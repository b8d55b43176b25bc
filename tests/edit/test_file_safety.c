/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Saving keeps the file the user has (issue 11): a symbolic link's target is
 * replaced and the link kept; mode, owner and group kept; read-only files and
 * hard-linked ones refused; writers exclude each other and a file changed on
 * disk is not replaced; a dirty hive without logs can be accepted; a gzip
 * hive stays gzip; a gzip bomb is not inflated whole. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "api/handle.h"
#include "program.h"
#include "tempdir.h"
#include "verify.h"

Suite *test_suite(void);

static char *dir;

static void setup(void)
{
    dir = tempdir_new("files");
}

static void teardown(void)
{
    ck_assert(tempdir_remove(dir));
}

static void in_dir(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* The names in folder d, sorted, joined by ' ' (to see leftovers). */
static void names_in(const char *d, char *out, size_t size)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | tr '\\n' ' '", d);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    pclose(p);
}

/* A new hive (root "ROOT", one value "base") saved at path. */
static void make_hive(const char *path)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "base", HK_REG_SZ, "b"), HK_ERROR_SUCCESS);
    hk_close_key(r);
    ck_assert_uint_eq(hk_hive_save(h, path, 0), HK_ERROR_SUCCESS);
    hk_hive_close(h);
}

static hk_status open_w(const char *path, uint32_t flags, uint32_t wait_ms, hk_hive **h, char *msg,
                        size_t size)
{
    msg[0] = '\0';
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE | flags;
    o.lock_wait_ms = wait_ms;
    hk_status st = hk_hive_open(path, &o, h);
    snprintf(msg, size, "%s", hk_errmsg());
    return st;
}

/* Opens path for writing, sets root\name, saves to the opened file with
 * save_flags; returns the save's status (the open must succeed). */
static hk_status edit_save(const char *path, const char *name, uint32_t save_flags)
{
    hk_hive *h;
    char msg[256];
    hk_status st = open_w(path, 0, 0, &h, msg, sizeof msg);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "open %s: %u %s", path, st, msg);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, name, HK_REG_SZ, name), HK_ERROR_SUCCESS);
    hk_close_key(r);
    st = hk_hive_save(h, NULL, save_flags);
    hk_hive_close(h);
    return st;
}

/* Whether the hive at path has the key root\name (hk_set_value creates the
 * key named by its sub_key and sets its default value), opened read-only,
 * logs ignored. */
static int has_value(const char *path, const char *name)
{
    hk_hive *h;
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_NO_LOGS;
    ck_assert_uint_eq(hk_hive_open(path, &o, &h), HK_ERROR_SUCCESS);
    hk_key *r, *k;
    ck_assert_uint_eq(hk_hive_root(h, &r), HK_ERROR_SUCCESS);
    hk_status st = hk_open_key(r, name, 0, HK_KEY_READ, &k);
    if (st == HK_ERROR_SUCCESS)
        hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    ck_assert(st == HK_ERROR_SUCCESS || st == HK_ERROR_FILE_NOT_FOUND);
    return st == HK_ERROR_SUCCESS;
}

static int same_bytes(const char *path, const uint8_t *want, size_t n)
{
    size_t len;
    uint8_t *got = slurp(path, &len);
    int same = len == n && memcmp(got, want, n) == 0;
    free(got);
    return same;
}

/* ---- symbolic links, mode, owner, hard links ----------------------------- */

START_TEST(symlink_target_is_written_and_the_link_kept)
{
    char real[600], sub[600], abs_link[600], rel_link[600], names[1024];
    in_dir(real, sizeof real, "real.hive");
    in_dir(sub, sizeof sub, "sub");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    in_dir(abs_link, sizeof abs_link, "abs.link");
    in_dir(rel_link, sizeof rel_link, "sub/rel.link");
    make_hive(real);
    ck_assert_int_eq(symlink(real, abs_link), 0);
    ck_assert_int_eq(symlink("../real.hive", rel_link), 0);

    ck_assert_uint_eq(edit_save(abs_link, "via_abs", 0), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(edit_save(rel_link, "via_rel", 0), HK_ERROR_SUCCESS);
    struct stat st;
    ck_assert_int_eq(lstat(abs_link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    ck_assert_int_eq(lstat(rel_link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    char target[600];
    ssize_t n = readlink(rel_link, target, sizeof target - 1);
    ck_assert_int_eq(n, 12);
    target[n] = '\0';
    ck_assert_str_eq(target, "../real.hive");
    ck_assert_int_eq(lstat(real, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert(has_value(real, "via_abs") && has_value(real, "via_rel") && has_value(real, "base"));
    verify_file(real, NULL);
    /* No temporary file left beside the link or the target. */
    names_in(dir, names, sizeof names);
    ck_assert_str_eq(names, "abs.link real.hive sub ");
    names_in(sub, names, sizeof names);
    ck_assert_str_eq(names, "rel.link ");
}
END_TEST

START_TEST(symlink_into_a_missing_folder_fails_and_keeps_the_link)
{
    char real[600], link[600], dangling[600];
    in_dir(real, sizeof real, "real.hive");
    in_dir(link, sizeof link, "d.link");
    in_dir(dangling, sizeof dangling, "gone/x.hive");
    make_hive(real);
    ck_assert_int_eq(symlink(dangling, link), 0);
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(real, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_save(h, link, HK_SAVE_OVERWRITE), HK_ERROR_PATH_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "gone/x.hive"));
    hk_hive_close(h);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    char names[1024];
    names_in(dir, names, sizeof names);
    ck_assert_str_eq(names, "d.link real.hive ");
}
END_TEST

START_TEST(mode_0640_is_kept)
{
    char path[600];
    in_dir(path, sizeof path, "m.hive");
    make_hive(path);
    ck_assert_int_eq(chmod(path, 0640), 0);
    ck_assert_uint_eq(edit_save(path, "x", 0), HK_ERROR_SUCCESS);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0640);
    ck_assert_int_eq(chmod(path, 0604), 0);
    ck_assert_uint_eq(edit_save(path, "y", 0), HK_ERROR_SUCCESS);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0604);
    ck_assert(has_value(path, "x") && has_value(path, "y"));
}
END_TEST

START_TEST(read_only_file_is_refused)
{
    char path[600];
    in_dir(path, sizeof path, "ro.hive");
    make_hive(path);
    ck_assert_int_eq(chmod(path, 0444), 0);
    size_t len;
    uint8_t *before = slurp(path, &len);
    ck_assert_uint_eq(edit_save(path, "x", HK_SAVE_BREAK_LINKS), HK_ERROR_ACCESS_DENIED);
    ck_assert(same_bytes(path, before, len));
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(path, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_ACCESS_DENIED);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "read-only"));
    /* a copy elsewhere is fine */
    char copy[600];
    in_dir(copy, sizeof copy, "copy.hive");
    ck_assert_uint_eq(hk_hive_save(h, copy, 0), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0444);
    free(before);
}
END_TEST

START_TEST(hard_linked_file_is_refused_unless_asked)
{
    char path[600], other[600];
    in_dir(path, sizeof path, "a.hive");
    in_dir(other, sizeof other, "b.hive");
    make_hive(path);
    ck_assert_int_eq(link(path, other), 0);
    size_t len;
    uint8_t *before = slurp(path, &len);
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(path, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "x", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    hk_close_key(r);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_NOT_SUPPORTED);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "has 2 hard links"));
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "HK_SAVE_BREAK_LINKS"));
    ck_assert(same_bytes(path, before, len) && same_bytes(other, before, len));
    ck_assert_uint_eq(hk_hive_save(h, NULL, HK_SAVE_BREAK_LINKS), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    ck_assert(has_value(path, "x") && !has_value(other, "x"));
    ck_assert(same_bytes(other, before, len));
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_nlink, 1);
    free(before);
}
END_TEST

START_TEST(owner_and_group_are_kept)
{
    if (geteuid() != 0) {
        fputs("owner_and_group_are_kept: not root, nothing to check\n", stderr);
        return;
    }
    char path[600];
    in_dir(path, sizeof path, "o.hive");
    make_hive(path);
    ck_assert_int_eq(chown(path, 4321, 4322), 0);
    ck_assert_int_eq(chmod(path, 0666), 0);
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(path, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "x", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    hk_close_key(r);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_SUCCESS);
    ck_assert_str_eq(hk_hive_save_note(h), "");
    hk_hive_close(h);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_uid, 4321);
    ck_assert_uint_eq(st.st_gid, 4322);
    ck_assert_uint_eq(st.st_mode & 07777, 0666);

    /* A user who may write the file but not give it away: the save is done
     * and its note says what could not be kept. */
    ck_assert_int_eq(chmod(dir, 0777), 0);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(10);
        if (access(dir, W_OK | X_OK) != 0)
            _exit(20); /* the temporary folder is out of its reach ($TMPDIR) */
        hk_hive *c;
        hk_open_options o = HK_OPEN_OPTIONS_INIT;
        o.flags = HK_OPEN_WRITE;
        if (hk_hive_open(path, &o, &c) != HK_ERROR_SUCCESS)
            _exit(11);
        hk_key *cr;
        if (hk_hive_root(c, &cr) != HK_ERROR_SUCCESS || hk_set_value(cr, "y", HK_REG_SZ, "y") != 0)
            _exit(12);
        hk_close_key(cr);
        hk_status s = hk_hive_save(c, NULL, 0);
        const char *note = hk_hive_save_note(c);
        if (write(fds[1], note, strlen(note)) < 0)
            _exit(13);
        hk_hive_close(c);
        _exit(s == HK_ERROR_SUCCESS ? 0 : 14);
    }
    close(fds[1]);
    char note[512];
    ssize_t n = read(fds[0], note, sizeof note - 1);
    close(fds[0]);
    int status = wait_exit(pid);
    if (status == 20) {
        fputs("owner_and_group_are_kept: uid 65534 cannot reach the temporary folder; the note "
              "is not checked\n", stderr);
        return;
    }
    ck_assert_msg(status == 0, "child status %d", status);
    ck_assert_int_gt(n, 0);
    note[n] = '\0';
    ck_assert_msg(strstr(note, "owner 4321 and group 4322 could not be kept"), "note: %s", note);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_uid, 65534);
    ck_assert_uint_eq(st.st_mode & 07777, 0666);
    ck_assert(has_value(path, "y"));
}
END_TEST

/* ---- writers exclude each other ------------------------------------------ */

START_TEST(file_changed_on_disk_is_not_replaced)
{
    char path[600];
    in_dir(path, sizeof path, "c.hive");
    make_hive(path);
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(path, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "mine", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    /* Another program (no lock) writes the file: another valid hive. */
    char other[600];
    in_dir(other, sizeof other, "other.hive");
    make_hive(other);
    ck_assert_uint_eq(edit_save(other, "theirs", 0), HK_ERROR_SUCCESS);
    ck_assert_int_eq(rename(other, path), 0);
    size_t len;
    uint8_t *theirs = slurp(path, &len);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_FILE_INVALID);
    ck_assert_ptr_nonnull(strstr(hk_errmsg(), "changed on disk"));
    ck_assert_str_eq(hk_strerror(HK_ERROR_FILE_INVALID), "the file changed on disk since it was opened");
    ck_assert_uint_eq(hk_flush_key(r), HK_ERROR_FILE_INVALID);
    ck_assert(same_bytes(path, theirs, len));
    hk_close_key(r);
    hk_hive_close(h);

    /* In place, same size: the time tells. */
    ck_assert_uint_eq(open_w(path, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "mine", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    hk_close_key(r);
    struct timespec ts[2] = {{.tv_sec = 1000000000, .tv_nsec = 0}, {.tv_sec = 1000000000, .tv_nsec = 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_FILE_INVALID);
    hk_hive_close(h);
    ck_assert(same_bytes(path, theirs, len));
    /* Saving twice from one open is no change by another. */
    ck_assert_uint_eq(open_w(path, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "one", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value(r, "two", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_flush_key(r), HK_ERROR_SUCCESS);
    hk_close_key(r);
    hk_hive_close(h);
    ck_assert(has_value(path, "one") && has_value(path, "two") && has_value(path, "theirs"));
    free(theirs);
}
END_TEST

/* A child opens path for writing (waiting wait_ms), sets name and saves;
 * exit status 0, or 100 + the status of the failed open (capped). */
static pid_t child_writer(const char *path, const char *name, uint32_t wait_ms)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid != 0)
        return pid;
    /* A forked child shares the parent's open files, and with them the
     * parent's lock (an exec'd program would not: O_CLOEXEC). */
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    hk_hive *h;
    char msg[256];
    hk_status st = open_w(path, 0, wait_ms, &h, msg, sizeof msg);
    if (st != HK_ERROR_SUCCESS) {
        _exit(st == HK_ERROR_SHARING_VIOLATION && strstr(msg, "another writer") ? 32 : 99);
    }
    hk_key *r;
    if (hk_hive_root(h, &r) != HK_ERROR_SUCCESS || hk_set_value(r, name, HK_REG_SZ, name) != 0)
        _exit(98);
    hk_close_key(r);
    st = hk_hive_save(h, NULL, 0);
    hk_hive_close(h);
    _exit(st == HK_ERROR_SUCCESS ? 0 : 97);
}

static int wait_child(pid_t pid)
{
    int status = wait_exit(pid);
    ck_assert_int_ge(status, 0); /* exited */
    return status;
}

START_TEST(second_writer_waits_then_fails_or_sees_the_edit)
{
    char path[600];
    in_dir(path, sizeof path, "l.hive");
    make_hive(path);
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(path, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    /* Held: a writer that waits 100 ms gives up with SHARING_VIOLATION. */
    ck_assert_int_eq(wait_child(child_writer(path, "late", 100)), 32);
    ck_assert_str_eq(hk_strerror(HK_ERROR_SHARING_VIOLATION), "the file is in use by another writer");
    /* Readers need no lock. */
    ck_assert(has_value(path, "base"));
    /* One that waits long enough gets the file after our save, with our edit. */
    pid_t pid = child_writer(path, "second", 20000);
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "first", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    hk_close_key(r);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_SUCCESS);
    /* The lock moved to the new file with the save: still held. */
    ck_assert_int_eq(wait_child(child_writer(path, "late", 100)), 32);
    hk_hive_close(h);
    ck_assert_int_eq(wait_child(pid), 0);
    ck_assert(has_value(path, "first") && has_value(path, "second") && !has_value(path, "late"));
    verify_file(path, NULL);
}
END_TEST

/* ---- a dirty hive without logs ------------------------------------------- */

/* path's secondary sequence number bumped (the checksum left stale too). */
static void make_dirty(const char *path)
{
    size_t len;
    uint8_t *b = slurp(path, &len);
    b[8] ^= 1;
    spit(path, b, len);
    free(b);
}

START_TEST(accept_dirty_edits_and_saves_clean)
{
    char path[600];
    in_dir(path, sizeof path, "d.hive");
    make_hive(path);
    make_dirty(path);
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(path, 0x40000000u, 0, &h, msg, sizeof msg), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(open_w(path, HK_OPEN_ACCEPT_DIRTY, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    hk_hive_info i = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    ck_assert(i.dirty_at_open && !i.dirty && i.logs_replayed == 0);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_set_value(r, "x", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    hk_close_key(r);
    ck_assert_uint_eq(hk_hive_save(h, NULL, 0), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_NO_LOGS;
    ck_assert_uint_eq(hk_hive_open(path, &o, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    ck_assert(!i.dirty && !i.dirty_at_open && i.checksum_ok);
    ck_assert_uint_eq(i.primary_sequence, i.secondary_sequence);
    hk_hive_close(h);
    ck_assert(has_value(path, "x") && has_value(path, "base"));
    verify_file(path, NULL);

    /* recover accepts it too: the primary as it is, written clean */
    make_dirty(path);
    char out[600];
    in_dir(out, sizeof out, "d.recovered");
    hk_open_options ro = HK_OPEN_OPTIONS_INIT;
    ck_assert_uint_eq(hk_hive_recover(path, &ro, out, 0), HK_ERROR_FILE_NOT_FOUND);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    ro.flags = HK_OPEN_ACCEPT_DIRTY;
    ck_assert_uint_eq(hk_hive_recover(path, &ro, out, 0), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_open(out, &o, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    ck_assert(!i.dirty && i.checksum_ok && i.primary_sequence == i.secondary_sequence);
    hk_hive_close(h);
    size_t a_len, b_len;
    uint8_t *a = slurp(path, &a_len), *b = slurp(out, &b_len);
    ck_assert_uint_eq(a_len, b_len);
    ck_assert(memcmp(a + 4096, b + 4096, a_len - 4096) == 0); /* the bins as they were */
    free(a);
    free(b);
    verify_file(out, NULL);
}
END_TEST

/* ---- gzip --------------------------------------------------------------- */

/* Writes data to path as gzip, followed by zero_mib MiB of zeros. */
static void write_gz(const char *path, const uint8_t *data, size_t n, unsigned zero_mib)
{
    gzFile gz = gzopen(path, "wb1");
    ck_assert_ptr_nonnull(gz);
    ck_assert_int_eq(gzwrite(gz, data, (unsigned)n), (int)n);
    static const uint8_t zeros[1 << 20];
    for (unsigned i = 0; i < zero_mib; i++)
        ck_assert_int_eq(gzwrite(gz, zeros, sizeof zeros), (int)sizeof zeros);
    ck_assert_int_eq(gzclose(gz), Z_OK);
}

START_TEST(gzip_hive_stays_gzip)
{
    char plain[600], gz[600], other[600];
    in_dir(plain, sizeof plain, "p.hive");
    in_dir(gz, sizeof gz, "g.hive.gz");
    in_dir(other, sizeof other, "copy.HIVE.GZ");
    make_hive(plain);
    size_t len;
    uint8_t *b = slurp(plain, &len);
    write_gz(gz, b, len, 0);
    free(b);
    ck_assert_uint_eq(edit_save(gz, "x", 0), HK_ERROR_SUCCESS);
    uint8_t *got = slurp(gz, &len);
    ck_assert(len > 2 && got[0] == 0x1f && got[1] == 0x8b);
    free(got);
    ck_assert(has_value(gz, "x") && has_value(gz, "base"));
    verify_file(gz, NULL);
    /* saved to another name ending in .gz: gzip as well */
    hk_hive *h;
    char msg[256];
    ck_assert_uint_eq(open_w(plain, 0, 0, &h, msg, sizeof msg), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_save(h, other, 0), HK_ERROR_SUCCESS);
    hk_key *r = root_of(h);
    ck_assert_uint_eq(hk_save_key(r, gz, HK_SAVE_OVERWRITE), HK_ERROR_SUCCESS);
    hk_close_key(r);
    hk_hive_close(h);
    got = slurp(other, &len);
    ck_assert(len > 2 && got[0] == 0x1f && got[1] == 0x8b);
    free(got);
    got = slurp(gz, &len);
    ck_assert(len > 2 && got[0] == 0x1f && got[1] == 0x8b);
    free(got);
    ck_assert(has_value(other, "base") && has_value(gz, "base") && !has_value(gz, "x"));
    /* the plain hive stays plain */
    got = slurp(plain, &len);
    ck_assert(memcmp(got, "regf", 4) == 0);
    free(got);
}
END_TEST

START_TEST(gzip_bomb_is_not_inflated_whole)
{
    char plain[600], gz[600];
    in_dir(plain, sizeof plain, "p.hive");
    in_dir(gz, sizeof gz, "bomb.hive.gz");
    make_hive(plain);
    size_t len;
    uint8_t *b = slurp(plain, &len);
    uint32_t bins = (uint32_t)b[40] | (uint32_t)b[41] << 8 | (uint32_t)b[42] << 16 |
                    (uint32_t)b[43] << 24;
    ck_assert_uint_eq(len, 4096u + bins);
    write_gz(gz, b, len, 200);
    struct stat st;
    ck_assert_int_eq(stat(gz, &st), 0);
    ck_assert_int_lt(st.st_size, 2 * 1024 * 1024);

    hk_hive *h;
    ck_assert_uint_eq(hk_hive_open(gz, NULL, &h), HK_ERROR_SUCCESS);
    hk_hive_info i = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(i.file_size, 4096u + bins + HK_GZIP_MARGIN_DEFAULT);
    ck_assert_uint_gt(i.gzip_unread, 0);
    ck_assert_uint_lt(i.gzip_unread, (uint64_t)st.st_size);
    hk_hive_close(h);
    /* the caller may ask for more (a remnant scan), or less */
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.gzip_margin = 64u << 20;
    ck_assert_uint_eq(hk_hive_open(gz, &o, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(i.file_size, 4096u + bins + (64u << 20));
    hk_hive_close(h);
    o.gzip_margin = 1;
    ck_assert_uint_eq(hk_hive_open(gz, &o, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(i.file_size, 4096u + bins + 1);
    ck_assert_uint_gt(i.gzip_unread, 0);
    hk_hive_close(h);
    /* a gzip file with no tail is inflated whole, nothing unread */
    write_gz(gz, b, len, 0);
    ck_assert_uint_eq(hk_hive_open(gz, NULL, &h), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_hive_info_get(h, &i), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(i.file_size, len);
    ck_assert_uint_eq(i.gzip_unread, 0);
    hk_hive_close(h);
    free(b);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("file_safety");
    TCase *t = tcase_create("files");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, symlink_target_is_written_and_the_link_kept);
    tcase_add_test(t, symlink_into_a_missing_folder_fails_and_keeps_the_link);
    tcase_add_test(t, mode_0640_is_kept);
    tcase_add_test(t, read_only_file_is_refused);
    tcase_add_test(t, hard_linked_file_is_refused_unless_asked);
    tcase_add_test(t, owner_and_group_are_kept);
    tcase_add_test(t, file_changed_on_disk_is_not_replaced);
    tcase_add_test(t, second_writer_waits_then_fails_or_sees_the_edit);
    tcase_add_test(t, accept_dirty_edits_and_saves_clean);
    tcase_add_test(t, gzip_hive_stays_gzip);
    tcase_add_test(t, gzip_bomb_is_not_inflated_whole);
    suite_add_tcase(s, t);
    return s;
}
