"""An SMTP server on loopback for the e-mail tests (Debian's aiosmtpd):
delivers into a Maildir; optionally requires a login, and refuses the
recipients of one domain with 550. Prints "ready" once it listens."""
import argparse
import mailbox
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--maildir", required=True)
parser.add_argument("--auth", help="USER:PASSWORD the server requires")
parser.add_argument("--reject-domain", help="recipients @DOMAIN are refused with 550")
parser.add_argument("--defer-first", type=int, default=0, help="the first N recipients are answered 451 (throttling)")
args = parser.parse_args()


class Sink:
    def __init__(self):
        self.box = mailbox.Maildir(args.maildir, create=True)

    deferred = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if Sink.deferred < args.defer_first:
            Sink.deferred += 1
            return "451 4.7.1 Too many messages, slow down"
        if args.reject_domain and address.lower().endswith("@" + args.reject_domain):
            return "550 5.1.1 <%s>: recipient address rejected: user unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # As a delivery agent does: the envelope sender in Return-Path.
        content = envelope.original_content or envelope.content
        self.box.add(b"Return-Path: <" + (envelope.mail_from or "").encode() + b">\r\n" + content)
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and args.auth:
        user, password = args.auth.split(":", 1)
        if auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


options = {}
if args.auth:
    options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
controller = Controller(Sink(), hostname="127.0.0.1", port=args.port, **options)
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
while not stop.wait(0.2):
    pass
controller.stop()
sys.exit(0)
