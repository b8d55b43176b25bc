/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Static text for status codes (api layer). */
#include "hivekit.h"

HK_API const char *hk_strerror(hk_status status)
{
    switch (status) {
    case HK_ERROR_SUCCESS: return "success";
    case HK_ERROR_FILE_NOT_FOUND: return "not found";
    case HK_ERROR_PATH_NOT_FOUND: return "path not found";
    case HK_ERROR_ACCESS_DENIED: return "access denied";
    case HK_ERROR_INVALID_HANDLE: return "invalid handle";
    case HK_ERROR_SHARING_VIOLATION: return "the file is in use by another writer";
    case HK_ERROR_LOCK_VIOLATION: return "the file is locked by another writer";
    case HK_ERROR_NOT_ENOUGH_MEMORY: return "not enough memory";
    case HK_ERROR_INVALID_DATA: return "invalid data";
    case HK_ERROR_NOT_SUPPORTED: return "not supported";
    case HK_ERROR_FILE_EXISTS: return "file exists";
    case HK_ERROR_INVALID_PARAMETER: return "invalid parameter";
    case HK_ERROR_CALL_NOT_IMPLEMENTED: return "not implemented";
    case HK_ERROR_INSUFFICIENT_BUFFER: return "buffer too small";
    case HK_ERROR_BAD_PATHNAME: return "bad path name";
    case HK_ERROR_ALREADY_EXISTS: return "already exists";
    case HK_ERROR_MORE_DATA: return "more data is available";
    case HK_ERROR_NO_MORE_ITEMS: return "no more items";
    case HK_ERROR_FILE_INVALID: return "the file changed on disk since it was opened";
    case HK_ERROR_BADDB: return "the hive is corrupt";
    case HK_ERROR_BADKEY: return "invalid key";
    case HK_ERROR_CANTOPEN: return "cannot open";
    case HK_ERROR_CANTREAD: return "cannot read";
    case HK_ERROR_CANTWRITE: return "cannot write";
    case HK_ERROR_REGISTRY_CORRUPT: return "registry structure is corrupt";
    case HK_ERROR_REGISTRY_IO_FAILED: return "registry I/O failed";
    case HK_ERROR_NOT_REGISTRY_FILE: return "not a registry hive file";
    case HK_ERROR_KEY_DELETED: return "key was deleted";
    case HK_ERROR_NO_UNICODE_TRANSLATION: return "invalid UTF-8";
    case HK_ERROR_CANCELLED: return "the operation was cancelled by the callback";
    default: return "unknown error";
    }
}
