#!/usr/bin/env python3
"""An SMTP relay for the tests, like a hosted mail provider: STARTTLS required before AUTH, AUTH (PLAIN/LOGIN)
required before MAIL, one user and password. Prints `PORT <n>` once listening, then one JSON line per accepted
message (envelope, content, whether it came over TLS and authenticated). Needs aiosmtpd (PyPI)."""
import argparse
import json
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        print(json.dumps({"mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos, "content": content,
                          "tls": session.ssl is not None, "authenticated": bool(session.authenticated),
                          "login": login(getattr(session, "auth_data", None))}),
              flush=True)
        return "250 OK queued"


def login(data):
    return data.decode() if isinstance(data, bytes) else None


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    # Started from a thread that blocks signals, we would inherit the mask: take SIGTERM and SIGINT again.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            auth_required=True, auth_require_tls=True, authenticator=Authenticator(args.user, args.password))
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    controller.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
