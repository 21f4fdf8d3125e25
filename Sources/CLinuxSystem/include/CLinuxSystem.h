#ifndef CLINUXSYSTEM_H
#define CLINUXSYSTEM_H
// What Glibc's Swift module does not export (or exports awkwardly): epoll, eventfd, accept4 flags,
// and accessors for the packed `struct epoll_event`.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <fcntl.h>
#include <poll.h>

static inline int clinux_epoll_event_size(void) { return (int)sizeof(struct epoll_event); }

// Constants whose Swift import differs between C libraries.
static const int CLINUX_SOCK_STREAM = SOCK_STREAM;
static const int CLINUX_SOCK_NONBLOCK = SOCK_NONBLOCK;
static const int CLINUX_SOCK_CLOEXEC = SOCK_CLOEXEC;
static const int CLINUX_EFD_NONBLOCK = EFD_NONBLOCK;
static const int CLINUX_EFD_CLOEXEC = EFD_CLOEXEC;
static const int CLINUX_MSG_NOSIGNAL = MSG_NOSIGNAL;
static const int CLINUX_EPOLL_CLOEXEC = EPOLL_CLOEXEC;
static const uint32_t CLINUX_EPOLLIN = EPOLLIN;
static const uint32_t CLINUX_EPOLLOUT = EPOLLOUT;
static const uint32_t CLINUX_EPOLLERR = EPOLLERR;
static const uint32_t CLINUX_EPOLLHUP = EPOLLHUP;
static const uint32_t CLINUX_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t CLINUX_EPOLLET = EPOLLET;
static const uint32_t CLINUX_EPOLLONESHOT = EPOLLONESHOT;

/// epoll_ctl with the event built here, so Swift never lays out the packed struct itself.
static inline int clinux_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(epfd, op, fd, op == EPOLL_CTL_DEL ? NULL : &ev);
}

/// Waits into `buffer` (room for `capacity` events, `capacity * clinux_epoll_event_size()` bytes).
static inline int clinux_epoll_wait(int epfd, void *buffer, int capacity, int timeoutMillis) {
    return epoll_wait(epfd, (struct epoll_event *)buffer, capacity, timeoutMillis);
}

static inline uint32_t clinux_epoll_event_events(const void *buffer, int index) {
    return ((const struct epoll_event *)buffer)[index].events;
}

static inline uint64_t clinux_epoll_event_data(const void *buffer, int index) {
    return ((const struct epoll_event *)buffer)[index].data.u64;
}

/// accept4(SOCK_NONBLOCK | SOCK_CLOEXEC); defined in shim.c, which is compiled with _GNU_SOURCE.
int clinux_accept4(int fd, struct sockaddr *addr, socklen_t *len);

/// sendmsg over an iovec array with MSG_NOSIGNAL (a writev that cannot raise SIGPIPE).
static inline ssize_t clinux_sendv(int fd, const struct iovec *iov, int iovcnt) {
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = (struct iovec *)iov;
    msg.msg_iovlen = (size_t)iovcnt;
    return sendmsg(fd, &msg, MSG_NOSIGNAL);
}

/// Names the calling thread (visible in top -H, gdb); defined in shim.c.
void clinux_set_thread_name(const char *name);

/// Monotonic nanoseconds (CLOCK_MONOTONIC).
static inline uint64_t clinux_monotonic_nanos(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/// Ignores SIGPIPE process-wide (writes also pass MSG_NOSIGNAL where they can).
static inline void clinux_ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

#endif
