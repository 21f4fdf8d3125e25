#ifndef CLINUXSYSTEM_H
#define CLINUXSYSTEM_H
// What Glibc's Swift module does not export: epoll, eventfd, accept4 flags.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

static inline int clinux_epoll_event_size(void) { return (int)sizeof(struct epoll_event); }
#endif
