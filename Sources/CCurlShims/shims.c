#include "CCurlShims.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static pthread_once_t kz_once = PTHREAD_ONCE_INIT;
static CURLcode kz_init_result = CURLE_OK;

static void kz_init(void) { kz_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); }

int kz_curl_global_init(void) {
    pthread_once(&kz_once, kz_init);
    return (int)kz_init_result;
}

void *kz_curl_easy_init(void) { return curl_easy_init(); }
void kz_curl_easy_cleanup(void *handle) { curl_easy_cleanup((CURL *)handle); }
int kz_curl_setopt_long(void *handle, int option, long value) { return curl_easy_setopt((CURL *)handle, (CURLoption)option, value); }
int kz_curl_setopt_string(void *handle, int option, const char *value) {
    return curl_easy_setopt((CURL *)handle, (CURLoption)option, value);
}
int kz_curl_setopt_pointer(void *handle, int option, void *value) { return curl_easy_setopt((CURL *)handle, (CURLoption)option, value); }
int kz_curl_setopt_off(void *handle, int option, long long value) {
    return curl_easy_setopt((CURL *)handle, (CURLoption)option, (curl_off_t)value);
}
int kz_curl_perform(void *handle) { return curl_easy_perform((CURL *)handle); }

long kz_curl_response_code(void *handle) {
    long code = 0;
    curl_easy_getinfo((CURL *)handle, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

const char *kz_curl_primary_ip(void *handle) {
    char *ip = NULL;
    if (curl_easy_getinfo((CURL *)handle, CURLINFO_PRIMARY_IP, &ip) != CURLE_OK || ip == NULL) return "";
    return ip;
}

const char *kz_curl_strerror(int code) { return curl_easy_strerror((CURLcode)code); }

void *kz_curl_slist_append(void *list, const char *text) { return curl_slist_append((struct curl_slist *)list, text); }
void kz_curl_slist_free(void *list) { curl_slist_free_all((struct curl_slist *)list); }

#define KZ_MAX_ALLOWED 32

struct kz_allowed {
    int family;
    unsigned char bytes[16];
};

struct kz_transfer {
    unsigned char *response;
    size_t response_length;
    size_t response_limit;
    int truncated;
    unsigned char *upload;
    size_t upload_length;
    size_t upload_position;
    struct kz_allowed allowed[KZ_MAX_ALLOWED];
    int allowed_count;
    int pinning;
    int refused;
    char error[CURL_ERROR_SIZE];
};

static size_t kz_write(char *data, size_t size, size_t count, void *user) {
    kz_transfer *t = (kz_transfer *)user;
    size_t n = size * count;
    size_t room = t->response_limit > t->response_length ? t->response_limit - t->response_length : 0;
    size_t keep = n < room ? n : room;
    if (keep < n) t->truncated = 1;
    if (keep > 0) {
        unsigned char *grown = realloc(t->response, t->response_length + keep);
        if (grown == NULL) return 0;
        t->response = grown;
        memcpy(t->response + t->response_length, data, keep);
        t->response_length += keep;
    }
    return n;  // the rest is read and dropped: the body is bounded, the transfer completes
}

static size_t kz_read(char *buffer, size_t size, size_t count, void *user) {
    kz_transfer *t = (kz_transfer *)user;
    size_t room = size * count;
    size_t left = t->upload_length - t->upload_position;
    size_t n = left < room ? left : room;
    memcpy(buffer, t->upload + t->upload_position, n);
    t->upload_position += n;
    return n;
}

static curl_socket_t kz_open_socket(void *user, curlsocktype purpose, struct curl_sockaddr *address) {
    kz_transfer *t = (kz_transfer *)user;
    (void)purpose;
    if (t->pinning) {
        int ok = 0;
        for (int i = 0; i < t->allowed_count && !ok; i++) {
            const struct kz_allowed *a = &t->allowed[i];
            if (a->family != address->family) continue;
            if (address->family == AF_INET) {
                const struct sockaddr_in *sin = (const struct sockaddr_in *)&address->addr;
                ok = memcmp(&sin->sin_addr, a->bytes, 4) == 0;
            } else if (address->family == AF_INET6) {
                const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&address->addr;
                ok = memcmp(&sin6->sin6_addr, a->bytes, 16) == 0;
            }
        }
        if (!ok) {
            t->refused = 1;
            return CURL_SOCKET_BAD;
        }
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

kz_transfer *kz_transfer_new(void *handle, size_t response_limit) {
    kz_transfer *t = calloc(1, sizeof(kz_transfer));
    if (t == NULL) return NULL;
    t->response_limit = response_limit;
    CURL *h = (CURL *)handle;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, kz_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, kz_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, t);
    return t;
}

void kz_transfer_free(kz_transfer *t) {
    if (t == NULL) return;
    free(t->response);
    free(t->upload);
    free(t);
}

int kz_transfer_set_upload(void *handle, kz_transfer *t, const unsigned char *data, size_t length) {
    free(t->upload);
    t->upload = malloc(length > 0 ? length : 1);
    if (t->upload == NULL) return -1;
    if (length > 0) memcpy(t->upload, data, length);
    t->upload_length = length;
    t->upload_position = 0;
    CURL *h = (CURL *)handle;
    curl_easy_setopt(h, CURLOPT_READFUNCTION, kz_read);
    curl_easy_setopt(h, CURLOPT_READDATA, t);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)length);
    return curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
}

int kz_transfer_allow_address(kz_transfer *t, int family, const unsigned char *bytes) {
    if (t->allowed_count >= KZ_MAX_ALLOWED) return -1;
    if (family != AF_INET && family != AF_INET6) return -1;
    struct kz_allowed *a = &t->allowed[t->allowed_count++];
    a->family = family;
    memcpy(a->bytes, bytes, family == AF_INET ? 4 : 16);
    t->pinning = 1;
    return 0;
}

const unsigned char *kz_transfer_response(const kz_transfer *t, size_t *length) {
    *length = t->response_length;
    return t->response;
}

int kz_transfer_truncated(const kz_transfer *t) { return t->truncated; }
const char *kz_transfer_error(const kz_transfer *t) { return t->error; }
int kz_transfer_refused_address(const kz_transfer *t) { return t->refused; }
