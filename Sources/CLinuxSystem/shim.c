// SwiftPM needs one source file in a C target; the few non-inline helpers live here.
#define _GNU_SOURCE
#include <sys/socket.h>
#include "CLinuxSystem.h"

int clinux_accept4(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

#include <pthread.h>
void clinux_set_thread_name(const char *name) {
    pthread_setname_np(pthread_self(), name);
}
