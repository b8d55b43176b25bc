/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Log replay on the corpus, through the log layer: Windows' own recovered
 * hives reproduced (every byte that can be, and the bytes that cannot named
 * one by one with the reason), UsrClass.dat's logs, and logs damaged in
 * every way a rule covers (hashes, sequence numbers, truncation, signatures,
 * base blocks, hostile sizes), each stopped or refused as Windows does.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "hive/image.h"
#include "log/logset.h"
#include "log_corpus.h"
#include "tempdir.h"
#include "log_fixture.h"
#include "corpus.h"

Suite *test_suite(void);

#define NEW_DIR "yarp/NewDirtyHive1/"
#define OLD_DIR "yarp/OldDirtyHive/"
static const char *const new_logs[] = {NEW_DIR "NewDirtyHive.LOG1.gz", NEW_DIR "NewDirtyHive.LOG2.gz",
                                       NULL};
static const char *const new_logs_reversed[] = {NEW_DIR "NewDirtyHive.LOG2.gz",
                                                NEW_DIR "NewDirtyHive.LOG1.gz", NULL};
static const char *const old_logs[] = {OLD_DIR "OldDirtyHive.LOG1.gz", NULL};

/* Entries of NewDirtyHive.LOG2: sequence 3 at 0x200, 4 at 0x2000, 5 at 0x8000. */
enum { LOG2_SECOND = 0x2000 };

static void load_new(struct fx_set *s)
{
    fx_load(s, NEW_DIR "NewDirtyHive.gz", new_logs);
}

/* The image opens as a hive and every bin walks. */
static void assert_opens(uint8_t *image, size_t size)
{
    struct file_buf fb = {.data = image, .size = size, .mapped = 0};
    struct hive_image img;
    hk_status st = image_open(&img, &fb);
    if (st == HK_ERROR_SUCCESS)
        st = image_walk_all(&img);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "%s", diag_detail());
    ck_assert(!img.dirty);
    image_free(&img);
}

/* Bytes [from, to) of a and b differ exactly at the offsets in want[0..n). */
static void assert_differ_at(const uint8_t *a, const uint8_t *b, size_t from, size_t to,
                             const size_t *want, size_t n)
{
    size_t k = 0;
    for (size_t i = from; i < to; i++) {
        if (a[i] == b[i])
            continue;
        ck_assert_msg(k < n && want[k] == i, "unexpected difference at file offset 0x%zx", i);
        k++;
    }
    ck_assert_msg(k == n, "%zu of %zu expected differences found", k, n);
}

START_TEST(new_format_reproduces_windows10)
{
    struct fx_set s;
    load_new(&s);
    struct blob ref = fx_corpus(NEW_DIR "RecoveredHive_Windows10.gz");
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.dirty && !out.base_from_log);
    ck_assert_int_eq(out.format, LOG_FORMAT_NEW);
    ck_assert_uint_eq(out.applied, 2);
    ck_assert_uint_eq(out.entries, 4);
    ck_assert_uint_eq(out.pages, 4);
    ck_assert_uint_eq(out.sequence, 5);
    const struct log_report *r1 = &out.reports[0], *r2 = &out.reports[1];
    ck_assert(r1->applied && r1->format == LOG_FORMAT_NEW && r1->sequence == 2 && r1->entries == 1 &&
              r1->last_seq == 2);
    ck_assert(r2->applied && r2->format == LOG_FORMAT_NEW && r2->sequence == 3 && r2->entries == 3 &&
              r2->last_seq == 5);
    ck_assert_str_eq(r1->why, "");
    ck_assert_str_eq(r2->why, ""); /* LOG2 ends in zeros: the normal end */

    /* The whole file after the base block is Windows' to the byte. */
    ck_assert_uint_eq(size, ref.n);
    ck_assert(memcmp(image + HBIN_START, ref.p + HBIN_START, size - HBIN_START) == 0);
    /* The base block too, but for the sequence numbers: Windows 10 wrote
     * the hive once more after recovering it, 6 where the last log entry
     * says 5. (Both numbers change alike, so the XOR checksum is the same.) */
    static const size_t bb_diff[] = {4, 8};
    assert_differ_at(image, ref.p, 0, HBIN_START, bb_diff, 2);
    ck_assert_uint_eq(le32_unchecked(image + 4), 5);
    ck_assert_uint_eq(le32_unchecked(image + 8), 5);
    ck_assert_uint_eq(le32_unchecked(ref.p + 4), 6);
    ck_assert_uint_eq(le32_unchecked(image + 508), baseblock_checksum(image));
    ck_assert_uint_eq(le32_unchecked(ref.p + 508), baseblock_checksum(ref.p));

    /* Given in the other order, the logs give the same file. */
    struct fx_set rev;
    fx_load(&rev, NEW_DIR "NewDirtyHive.gz", new_logs_reversed);
    size_t size2;
    uint8_t *image2 = fx_replay(&rev, &out, &size2, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert_uint_eq(size2, size);
    ck_assert(memcmp(image, image2, size) == 0);
    ck_assert(out.reports[0].sequence == 3 && out.reports[0].entries == 3);
    free(image2);
    fx_free(&rev);
    assert_opens(image, size);
    free(ref.p);
    fx_free(&s);
}
END_TEST

START_TEST(old_format_reproduces_windows7)
{
    struct fx_set s;
    fx_load(&s, OLD_DIR "OldDirtyHive.gz", old_logs);
    struct blob ref = fx_corpus(OLD_DIR "RecoveredHive_Windows7.gz");
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert_int_eq(out.format, LOG_FORMAT_OLD);
    ck_assert(out.applied == 1 && out.entries == 1 && out.pages == 64 && out.sequence == 5);
    ck_assert(out.reports[0].applied && out.reports[0].sequence == 5);
    ck_assert_uint_eq(size, ref.n);
    /* Windows 7 wrote this hive twice more after recovering it (sequence 7):
     * after the base block only two fields differ from the log's pages.
     * 0x1014..0x101b: the first bin's copy of the last-written time (5 of
     * its 8 bytes differ), Windows' being the time of its later write;
     * 0x6bdc8: the "largest value name" byte of key 4500 (nk at bin offset
     * 0x6ad88, +4 size, +60), 0x18 in the log's page, 2 (the UTF-16 size of
     * its only value name "v") after Windows recomputed it. */
    static const size_t bins_diff[] = {0x1014, 0x1015, 0x1016, 0x1017, 0x1018, 0x6bdc8};
    assert_differ_at(image, ref.p, HBIN_START, size, bins_diff, 6);
    ck_assert_uint_eq(le64_unchecked(image + 0x1014), le64_unchecked(s.log[0].p + 12));
    ck_assert_uint_eq(le64_unchecked(ref.p + 0x1014), le64_unchecked(ref.p + 12));
    ck_assert_uint_eq(image[0x6bdc8], 0x18);
    ck_assert_uint_eq(ref.p[0x6bdc8], 0x02);
    /* Base block: sequence numbers (5 = 5 here, 7 = 7 there), the time of
     * that later write, the file name (Windows loaded the copy from
     * "1 - Copy"), the checksum. Nothing else. */
    size_t n = 0;
    for (size_t i = 0; i < HBIN_START; i++)
        if (image[i] != ref.p[i]) {
            int allowed = (i >= 4 && i < 20) || (i >= 48 && i < 112) || (i >= 508 && i < 512);
            ck_assert_msg(allowed, "base block differs at 0x%zx", i);
            n++;
        }
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(le32_unchecked(image + 4), 5);
    ck_assert_uint_eq(le32_unchecked(image + 8), 5);
    ck_assert_uint_eq(le32_unchecked(ref.p + 4), 7);
    ck_assert_uint_eq(le32_unchecked(image + 508), baseblock_checksum(image));
    ck_assert(memcmp(image + 48, s.primary.p + 48, 64) == 0);
    assert_opens(image, size);
    free(ref.p);
    fx_free(&s);
}
END_TEST

START_TEST(usrclass_logs_replay_both)
{
    static const char *const logs[] = {"regipy/UsrClass.dat.LOG1.gz", "regipy/UsrClass.dat.LOG2.gz",
                                       NULL};
    struct fx_set s;
    fx_load(&s, "regipy/UsrClass.dat.gz", logs);
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.applied == 2 && out.entries == 14 && out.pages == 158 && out.sequence == 300);
    ck_assert(out.reports[0].sequence == 287 && out.reports[0].entries == 4);
    ck_assert(out.reports[1].sequence == 291 && out.reports[1].entries == 10);
    assert_opens(image, size);
    fx_free(&s);
}
END_TEST

/* ---- damaged new-format logs --------------------------------------------- */

/* Replays s, expects success with `entries` entries, final sequence seq,
 * LOG2's report starting with why. */
static void expect_stop(struct fx_set *s, uint32_t entries, uint32_t seq, const char *why)
{
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert_uint_eq(out.entries, entries);
    ck_assert_uint_eq(out.sequence, seq);
    ck_assert_msg(strncmp(out.reports[1].why, why, strlen(why)) == 0, "LOG2: \"%s\", want \"%s...\"",
                  out.reports[1].why, why);
    ck_assert_uint_eq(le32_unchecked(image + 4), seq);
    assert_opens(image, size);
    fx_free(s);
}

START_TEST(bad_hash1_stops_before_the_entry)
{
    struct fx_set s;
    load_new(&s);
    s.log[1].p[LOG2_SECOND + 40 + 8 + 100] ^= 1; /* a byte of its page */
    expect_stop(&s, 2, 3, "entry at offset 0x2000: hash-1 0x");
}
END_TEST

START_TEST(bad_hash2_stops_before_the_entry)
{
    struct fx_set s;
    load_new(&s);
    s.log[1].p[LOG2_SECOND + 8] ^= 2; /* its flags: covered by hash-2 only */
    expect_stop(&s, 2, 3, "entry at offset 0x2000: hash-2 0x");
}
END_TEST

START_TEST(unexpected_sequence_stops_even_with_right_hashes)
{
    struct fx_set s;
    load_new(&s);
    put_le32(s.log[1].p + LOG2_SECOND + 12, 9);
    fx_rehash(s.log[1].p, LOG2_SECOND);
    expect_stop(&s, 2, 3, "entry at offset 0x2000: sequence number 9 where 4 was expected");
}
END_TEST

START_TEST(truncated_log_stops_at_the_cut_entry)
{
    struct fx_set s;
    load_new(&s);
    s.in[1].bytes.len = LOG2_SECOND + 1000;
    expect_stop(&s, 2, 3, "entry at offset 0x2000: size 0x6000 runs past the end of the log "
                          "(0x3e8 bytes left)");
}
END_TEST

START_TEST(page_past_the_bins_stops)
{
    struct fx_set s;
    load_new(&s);
    put_le32(s.log[1].p + LOG2_SECOND + 40, 0x5000); /* 0x5000 bytes at 0x5000 of 0x5000 */
    fx_rehash(s.log[1].p, LOG2_SECOND);
    expect_stop(&s, 2, 3, "entry at offset 0x2000: page 0 (0x5000 bytes at 0x5000) lies past the "
                          "hive bins size 0x5000");
}
END_TEST

START_TEST(too_many_references_stop)
{
    struct fx_set s;
    load_new(&s);
    put_le32(s.log[1].p + LOG2_SECOND + 20, 0x10000);
    fx_rehash(s.log[1].p, LOG2_SECOND);
    expect_stop(&s, 2, 3, "entry at offset 0x2000: 65536 dirty page references do not fit");
}
END_TEST

START_TEST(wrong_entry_signature_leaves_the_log_unused)
{
    struct fx_set s;
    load_new(&s);
    s.log[1].p[0x200 + 3] = 'F';
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.applied == 1 && out.entries == 1 && out.sequence == 2);
    ck_assert(out.reports[0].applied && !out.reports[1].applied);
    ck_assert_str_eq(out.reports[1].why, "entry at offset 0x200: no \"HvLE\" signature");
    free(image);
    fx_free(&s);
}
END_TEST

START_TEST(log_with_bad_base_block_is_skipped)
{
    struct fx_set s;
    load_new(&s);
    s.log[0].p[0x40] ^= 1; /* LOG1's file name: its checksum fails */
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert_int_eq(out.reports[0].format, LOG_FORMAT_NONE);
    ck_assert_msg(strncmp(out.reports[0].why, "base block checksum 0x", 22) == 0, "%s",
                  out.reports[0].why);
    ck_assert(out.applied == 1 && out.entries == 3 && out.sequence == 5 && out.reports[1].applied);
    assert_opens(image, size);
    fx_free(&s);
}
END_TEST

START_TEST(log_older_than_the_primary_is_skipped)
{
    struct fx_set s;
    load_new(&s);
    put_le32(s.primary.p + 4, 4);
    put_le32(s.primary.p + 8, 3);
    fx_rechecksum(s.primary.p);
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert_str_eq(out.reports[0].why, "sequence 2 is older than the primary's secondary sequence 3");
    ck_assert(!out.reports[0].applied && out.reports[1].applied && out.entries == 3);
    free(image);
    fx_free(&s);
}
END_TEST

/* Rewrites a new-format log's sequence numbers from base on (entries base,
 * base+1, ...), with its checksum and hashes right. */
static void reseq(uint8_t *log, size_t n, uint32_t base)
{
    put_le32(log + 4, base);
    put_le32(log + 8, base);
    fx_rechecksum(log);
    for (size_t off = 512; off + 40 <= n && memcmp(log + off, "HvLE", 4) == 0;
         off += le32_unchecked(log + off + 4)) {
        put_le32(log + off + 12, base++);
        fx_rehash(log, off);
    }
}

START_TEST(second_log_must_follow_the_first)
{
    struct fx_set s;
    load_new(&s);
    reseq(s.log[1].p, s.log[1].n, 7);
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.applied == 1 && out.entries == 1 && out.sequence == 2);
    ck_assert_str_eq(out.reports[1].why, "sequence 7 does not follow the last entry applied (2)");
    free(image);
    fx_free(&s);
}
END_TEST

/* LOG1's only entry is broken: LOG2 cannot follow what was never applied. */
START_TEST(nothing_follows_a_log_without_valid_entries)
{
    struct fx_set s;
    load_new(&s);
    s.log[0].p[0x200 + 40 + 8 + 7] ^= 1;
    struct log_outcome out;
    size_t size;
    char msg[256];
    fx_replay(&s, &out, &size, HK_ERROR_BADDB, msg, sizeof msg);
    ck_assert_str_eq(out.reports[1].why, "sequence 3 cannot follow: the log of sequence 2 before it "
                                         "has no valid entry");
    ck_assert_msg(strncmp(msg, "no usable transaction log: NewDirtyHive.LOG1.gz: entry at offset "
                               "0x200: hash-1 0x", 80) == 0, "%s", msg);
    fx_free(&s);
}
END_TEST

START_TEST(sequence_numbers_wrap)
{
    struct fx_set s;
    fx_load(&s, NEW_DIR "NewDirtyHive.gz", new_logs_reversed); /* LOG2 given first */
    reseq(s.log[1].p, s.log[1].n, 0xFFFFFFFFu); /* LOG1: 0xFFFFFFFF */
    reseq(s.log[0].p, s.log[0].n, 0);           /* LOG2: 0, 1, 2 */
    put_le32(s.primary.p + 4, 0);
    put_le32(s.primary.p + 8, 0xFFFFFFFFu);
    fx_rechecksum(s.primary.p);
    struct blob ref = fx_corpus(NEW_DIR "RecoveredHive_Windows10.gz");
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.applied == 2 && out.entries == 4 && out.sequence == 2);
    ck_assert(memcmp(image + HBIN_START, ref.p + HBIN_START, size - HBIN_START) == 0);
    free(image);
    free(ref.p);
    fx_free(&s);
}
END_TEST

START_TEST(bad_primary_base_block_comes_from_the_newest_log)
{
    struct fx_set s;
    load_new(&s);
    s.primary.p[0x30] ^= 1; /* the primary's checksum fails */
    struct blob ref = fx_corpus(NEW_DIR "RecoveredHive_Windows10.gz");
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.base_from_log && out.applied == 1 && out.entries == 3 && out.sequence == 5);
    ck_assert_str_eq(out.reports[0].why, "the primary's base block is bad: only the newest log is used");
    /* LOG2's entries rewrite every bin: the bins are Windows' again. */
    ck_assert(memcmp(image + HBIN_START, ref.p + HBIN_START, size - HBIN_START) == 0);
    /* The base block is LOG2's first 512 bytes (sequence 3, type 6) made
     * primary: sequence 5, type 0, checksum; then zeros. */
    static const size_t diff[] = {4, 8, 28, 508, 509, 510, 511};
    size_t k = 0;
    for (size_t i = 0; i < 512; i++)
        if (image[i] != s.log[1].p[i]) {
            ck_assert_msg(k < 7 && diff[k] == i, "base block differs from LOG2's at 0x%zx", i);
            k++;
        }
    ck_assert(le32_unchecked(image + 4) == 5 && le32_unchecked(image + 8) == 5 &&
              le32_unchecked(image + 28) == 0);
    for (size_t i = 512; i < HBIN_START; i++)
        ck_assert_uint_eq(image[i], 0);
    assert_opens(image, size);
    free(ref.p);
    fx_free(&s);
}
END_TEST

START_TEST(hostile_bins_size_is_refused)
{
    struct fx_set s;
    load_new(&s);
    put_le32(s.log[1].p + LOG2_SECOND + 16, 0x7FFFF000u);
    fx_rehash(s.log[1].p, LOG2_SECOND);
    struct log_outcome out;
    size_t size;
    char msg[256];
    fx_replay(&s, &out, &size, HK_ERROR_BADDB, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "the hive would grow to 0x80000000 bytes, more than the primary and "
                             "its logs hold") != NULL, "%s", msg);
    fx_free(&s);
}
END_TEST

/* ---- refusals ------------------------------------------------------------ */

static void expect_refusal(struct fx_set *s, hk_status want, const char *msg_want)
{
    struct log_outcome out;
    size_t size;
    char msg[256];
    fx_replay(s, &out, &size, want, msg, sizeof msg);
    ck_assert_str_eq(msg, msg_want);
    fx_free(s);
}

START_TEST(no_log_at_all)
{
    static const char *const none[] = {NULL};
    struct fx_set s;
    fx_load(&s, NEW_DIR "NewDirtyHive.gz", none);
    expect_refusal(&s, HK_ERROR_FILE_NOT_FOUND,
                   "the hive is dirty and no transaction log was given or found beside it");
}
END_TEST

START_TEST(unusable_logs_are_named_with_their_rule)
{
    static const char *const logs[] = {NEW_DIR "NewDirtyHive.LOG1.gz", OLD_DIR "OldDirtyHive.LOG2.gz",
                                       NULL};
    struct fx_set s;
    fx_load(&s, NEW_DIR "NewDirtyHive.gz", logs);
    s.log[0].p[1] = 'X';
    expect_refusal(&s, HK_ERROR_BADDB,
                   "no usable transaction log: NewDirtyHive.LOG1.gz: no \"regf\" signature at "
                   "offset 0; OldDirtyHive.LOG2.gz: 0 bytes, shorter than the 512-byte base block "
                   "copy");
}
END_TEST

START_TEST(primary_is_not_a_log)
{
    static const char *const logs[] = {NEW_DIR "NewDirtyHive.LOG1.gz", NULL};
    struct fx_set s;
    fx_load(&s, NEW_DIR "NewDirtyHive.gz", logs);
    put_le32(s.log[0].p + 28, 0);
    fx_rechecksum(s.log[0].p);
    expect_refusal(&s, HK_ERROR_BADDB, "no usable transaction log: NewDirtyHive.LOG1.gz: file type 0 "
                                       "at offset 0x1c is not a log (1, 2 or 6)");
}
END_TEST

START_TEST(dirty_log_is_refused)
{
    static const char *const logs[] = {NEW_DIR "NewDirtyHive.LOG1.gz", NULL};
    struct fx_set s;
    fx_load(&s, NEW_DIR "NewDirtyHive.gz", logs);
    put_le32(s.log[0].p + 4, 3);
    fx_rechecksum(s.log[0].p);
    expect_refusal(&s, HK_ERROR_BADDB, "no usable transaction log: NewDirtyHive.LOG1.gz: its own base "
                                       "block is dirty (sequence 3 != 2 at offsets 0x4/0x8)");
}
END_TEST

START_TEST(old_log_of_another_time_is_refused)
{
    struct fx_set s;
    fx_load(&s, OLD_DIR "OldDirtyHive.gz", old_logs);
    s.log[0].p[12] -= 1; /* 131332437451516000 - 1: older than the primary */
    fx_rechecksum(s.log[0].p);
    expect_refusal(&s, HK_ERROR_BADDB, "no usable transaction log: OldDirtyHive.LOG1.gz: last-written "
                                       "time 131332437451515999 is older than the primary's "
                                       "131332437451516000: not its log");
}
END_TEST

START_TEST(truncated_old_log_is_refused)
{
    struct fx_set s;
    fx_load(&s, OLD_DIR "OldDirtyHive.gz", old_logs);
    s.in[0].bytes.len = 20000;
    expect_refusal(&s, HK_ERROR_BADDB, "no usable transaction log: OldDirtyHive.LOG1.gz: 64 dirty "
                                       "pages from offset 0x400 need more than the 20000 bytes of the "
                                       "log (truncated?)");
}
END_TEST

START_TEST(old_log_without_dirty_vector_is_refused)
{
    struct fx_set s;
    fx_load(&s, OLD_DIR "OldDirtyHive.gz", old_logs);
    s.log[0].p[512] = 'X';
    expect_refusal(&s, HK_ERROR_BADDB, "no usable transaction log: OldDirtyHive.LOG1.gz: no \"DIRT\" "
                                       "signature at offset 0x200");
}
END_TEST

START_TEST(old_log_breaking_a_bin_is_refused)
{
    struct fx_set s;
    fx_load(&s, OLD_DIR "OldDirtyHive.gz", old_logs);
    /* The first dirty page is bit 0's (the first bin's header). */
    ck_assert_uint_eq(s.log[0].p[516] & 1, 1);
    s.log[0].p[0x400] = 'X';
    expect_refusal(&s, HK_ERROR_BADDB, "no usable transaction log: OldDirtyHive.LOG1.gz: after replay, "
                                       "no hive bin signature at bin offset 0x0");
}
END_TEST

/* With a bad base block, an old log applies when its time is not older
 * than the primary's first-bin copy of the time (as yarp recovers it), and
 * its base block is taken; an older log is not its log. */
START_TEST(old_log_with_bad_primary_base_block)
{
    struct fx_set s;
    fx_load(&s, OLD_DIR "OldDirtyHive.gz", old_logs);
    struct log_outcome out;
    size_t size, size2;
    uint8_t *want = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    s.primary.p[0x30] ^= 1;
    /* In this hive the first bin holds an older time: the log is newer. */
    uint8_t *image = fx_replay(&s, &out, &size2, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.base_from_log && out.sequence == 5 && out.entries == 1);
    ck_assert_uint_eq(size2, size);
    ck_assert(memcmp(image + HBIN_START, want + HBIN_START, size - HBIN_START) == 0);
    free(image);
    /* A first bin newer than the log: not its log. */
    uint8_t newer[8];
    memcpy(newer, s.log[0].p + 12, 8);
    newer[0] += 1;
    memcpy(s.primary.p + 0x1014, newer, 8);
    char msg[256];
    fx_replay(&s, &out, &size2, HK_ERROR_BADDB, msg, sizeof msg);
    ck_assert_str_eq(msg, "no usable transaction log: OldDirtyHive.LOG1.gz: last-written time "
                          "131332437451516000 is older than the primary's 131332437451516001: not "
                          "its log");
    memcpy(s.primary.p + 0x1014, s.log[0].p + 12, 8);
    image = fx_replay(&s, &out, &size2, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert(out.base_from_log && out.sequence == 5 && out.entries == 1);
    ck_assert_uint_eq(size2, size);
    ck_assert(memcmp(image + HBIN_START, want + HBIN_START, size - HBIN_START) == 0);
    ck_assert(memcmp(image + 12, s.log[0].p + 12, 16) == 0); /* the log's time and version */
    ck_assert_uint_eq(le32_unchecked(image + 28), 0);
    for (size_t i = 512; i < HBIN_START; i++)
        ck_assert_uint_eq(image[i], 0);
    free(want);
    free(image);
    fx_free(&s);
}
END_TEST

START_TEST(clean_hive_is_left_alone)
{
    struct fx_set s;
    fx_load(&s, OLD_DIR "RecoveredHive_Windows7.gz", old_logs);
    struct log_outcome out;
    size_t size;
    uint8_t *image = fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0);
    ck_assert_ptr_null(image);
    ck_assert(!out.dirty && out.applied == 0);
    fx_free(&s);
}
END_TEST

/* A file that is no hive stays no hive, logs beside it or not. */
START_TEST(non_hive_is_not_replayed)
{
    struct fx_set s;
    load_new(&s);
    memcpy(s.primary.p, "regX", 4);
    struct log_outcome out;
    size_t size;
    ck_assert_ptr_null(fx_replay(&s, &out, &size, HK_ERROR_SUCCESS, NULL, 0));
    ck_assert(!out.dirty);
    fx_free(&s);
}
END_TEST

/* Every allocation of loading and replaying logs may fail: the error is
 * NOT_ENOUGH_MEMORY and nothing leaks (the sanitizer build checks). */
START_TEST(allocation_failures_are_clean)
{
    char *hive = path_join(corpus_dir(), NEW_DIR "NewDirtyHive.gz");
    char *l1 = path_join(corpus_dir(), new_logs[0]), *l2 = path_join(corpus_dir(), new_logs[1]);
    const char *paths[] = {l1, l2};
    unsigned long n = 1;
    for (;; n++) {
        ck_assert_uint_lt(n, 1000);
        struct file_buf fb;
        struct diag d = {{0}};
        ck_assert_int_eq(file_load(hive, 0, &fb, &d), HK_ERROR_SUCCESS);
        struct log_state st;
        alloc_fail_after(n);
        hk_status r = log_open(&fb, hive, paths, 2, false, &st, &d);
        alloc_fail_after(0);
        log_state_free(&st);
        file_buf_free(&fb);
        if (r == HK_ERROR_SUCCESS)
            break;
        ck_assert_msg(r == HK_ERROR_NOT_ENOUGH_MEMORY, "failure %lu: %u %s", n, r, d.msg);
    }
    ck_assert_uint_gt(n, 3);
    free(hive);
    free(l1);
    free(l2);
}
END_TEST

/* Seeded random damage to both logs: replay ends in success or a refusal,
 * and a replayed file either opens or is refused by the hive checks. */
START_TEST(mutated_logs_never_crash)
{
    struct fx_set s;
    load_new(&s);
    struct blob orig[2] = {{malloc(s.log[0].n), s.log[0].n}, {malloc(s.log[1].n), s.log[1].n}};
    memcpy(orig[0].p, s.log[0].p, s.log[0].n);
    memcpy(orig[1].p, s.log[1].p, s.log[1].n);
    uint32_t rng = 12345;
    for (int round = 0; round < 400; round++) {
        for (size_t k = 0; k < 2; k++) {
            memcpy(s.log[k].p, orig[k].p, orig[k].n);
            for (int m = 0; m < 4; m++) {
                rng = rng * 1103515245u + 12345u;
                size_t at = (rng >> 8) % 1024; /* the base block and the first entry's header */
                rng = rng * 1103515245u + 12345u;
                s.log[k].p[at] = (uint8_t)(rng >> 16);
            }
            if (round % 3 == 0) /* and hashes made right again, to reach the later rules */
                fx_rehash(s.log[k].p, 512);
        }
        struct span primary = {s.primary.p, s.primary.n};
        struct log_outcome out;
        struct diag d = {{0}};
        uint8_t *image = NULL;
        size_t size = 0;
        hk_status st = log_replay(primary, s.in, 2, &out, &image, &size, &d);
        ck_assert(st == HK_ERROR_SUCCESS || st == HK_ERROR_BADDB);
        if (image) {
            struct file_buf fb = {.data = image, .size = size, .mapped = 0};
            struct hive_image img;
            hk_status o = image_open(&img, &fb);
            if (o == HK_ERROR_SUCCESS)
                o = image_walk_all(&img);
            ck_assert(o == HK_ERROR_SUCCESS || o == HK_ERROR_BADDB || o == HK_ERROR_NOT_REGISTRY_FILE);
            image_free(&img);
        }
    }
    free(orig[0].p);
    free(orig[1].p);
    fx_free(&s);
}
END_TEST

Suite *test_suite(void)
{
    corpus_require();
    Suite *s = suite_create("log_replay");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, new_format_reproduces_windows10);
    tcase_add_test(tc, old_format_reproduces_windows7);
    tcase_add_test(tc, usrclass_logs_replay_both);
    suite_add_tcase(s, tc);
    TCase *bad = tcase_create("damaged");
    tcase_set_timeout(bad, 60);
    tcase_add_test(bad, bad_hash1_stops_before_the_entry);
    tcase_add_test(bad, bad_hash2_stops_before_the_entry);
    tcase_add_test(bad, unexpected_sequence_stops_even_with_right_hashes);
    tcase_add_test(bad, truncated_log_stops_at_the_cut_entry);
    tcase_add_test(bad, page_past_the_bins_stops);
    tcase_add_test(bad, too_many_references_stop);
    tcase_add_test(bad, wrong_entry_signature_leaves_the_log_unused);
    tcase_add_test(bad, log_with_bad_base_block_is_skipped);
    tcase_add_test(bad, log_older_than_the_primary_is_skipped);
    tcase_add_test(bad, second_log_must_follow_the_first);
    tcase_add_test(bad, nothing_follows_a_log_without_valid_entries);
    tcase_add_test(bad, sequence_numbers_wrap);
    tcase_add_test(bad, bad_primary_base_block_comes_from_the_newest_log);
    tcase_add_test(bad, hostile_bins_size_is_refused);
    tcase_add_test(bad, no_log_at_all);
    tcase_add_test(bad, unusable_logs_are_named_with_their_rule);
    tcase_add_test(bad, primary_is_not_a_log);
    tcase_add_test(bad, dirty_log_is_refused);
    tcase_add_test(bad, old_log_of_another_time_is_refused);
    tcase_add_test(bad, truncated_old_log_is_refused);
    tcase_add_test(bad, old_log_without_dirty_vector_is_refused);
    tcase_add_test(bad, old_log_breaking_a_bin_is_refused);
    tcase_add_test(bad, old_log_with_bad_primary_base_block);
    tcase_add_test(bad, clean_hive_is_left_alone);
    tcase_add_test(bad, non_hive_is_not_replayed);
    tcase_add_test(bad, allocation_failures_are_clean);
    tcase_add_test(bad, mutated_logs_never_crash);
    suite_add_tcase(s, bad);
    return s;
}
