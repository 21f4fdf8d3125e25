#ifndef CCURLSHIMS_H
#define CCURLSHIMS_H

// Typed wrappers around libcurl's variadic `curl_easy_setopt` and `curl_easy_getinfo` (Swift cannot call C
// variadics), and one transfer context holding the callbacks' state: the response body (bounded), the upload
// (an SMTP message) and the addresses a connection may be opened to (pinning against DNS rebinding).
// Handles are `void *` here so this header need not include <curl/curl.h> (that is CLibCurl's module).

#include <stddef.h>

/// `curl_global_init(CURL_GLOBAL_DEFAULT)` once per process (thread-safe); returns its CURLcode.
int kz_curl_global_init(void);

void *kz_curl_easy_init(void);
void kz_curl_easy_cleanup(void *handle);
int kz_curl_setopt_long(void *handle, int option, long value);
int kz_curl_setopt_string(void *handle, int option, const char *value);
int kz_curl_setopt_pointer(void *handle, int option, void *value);
int kz_curl_setopt_off(void *handle, int option, long long value);
int kz_curl_perform(void *handle);
long kz_curl_response_code(void *handle);
/// The address the transfer connected to (text), or "" when none.
const char *kz_curl_primary_ip(void *handle);
const char *kz_curl_strerror(int code);

void *kz_curl_slist_append(void *list, const char *text);
void kz_curl_slist_free(void *list);

typedef struct kz_transfer kz_transfer;

/// A context for one transfer on `handle`: sets the write callback (keeping at most `response_limit` bytes
/// of the body), the error buffer and the open-socket callback (which refuses addresses not allowed, once
/// any address has been allowed).
kz_transfer *kz_transfer_new(void *handle, size_t response_limit);
void kz_transfer_free(kz_transfer *transfer);
/// Copies `data` and sends it as the upload (UPLOAD=1, read callback): an SMTP message.
int kz_transfer_set_upload(void *handle, kz_transfer *transfer, const unsigned char *data, size_t length);
/// Allows connections to one address (family AF_INET with 4 bytes or AF_INET6 with 16); from the first call on,
/// every other address is refused.
int kz_transfer_allow_address(kz_transfer *transfer, int family, const unsigned char *bytes);
const unsigned char *kz_transfer_response(const kz_transfer *transfer, size_t *length);
int kz_transfer_truncated(const kz_transfer *transfer);
const char *kz_transfer_error(const kz_transfer *transfer);
/// Whether the transfer tried to connect to an address that was not allowed.
int kz_transfer_refused_address(const kz_transfer *transfer);

#endif
