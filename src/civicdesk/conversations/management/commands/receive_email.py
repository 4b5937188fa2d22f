"""Read one raw email on standard input and file it (for an MTA pipe, e.g. Postfix:
``311: "|/srv/civicdesk/.venv/bin/python -m civicdesk.manage receive_email"``)."""

import sys

from django.core.management.base import BaseCommand

from civicdesk.conversations.email_channel import Rejected, receive

EX_DATAERR = 65  # sysexits.h: the MTA bounces the message with our reason


class Command(BaseCommand):
    help = "File one raw MIME email from standard input into the inbox."

    def handle(self, *args, **opts):
        raw = sys.stdin.buffer.read()
        try:
            result = receive(raw)
        except Rejected as e:
            self.stderr.write(f"rejected: {e}")
            sys.exit(EX_DATAERR)
        self.stdout.write(f"{'filed' if result.created else 'already filed'} in {result.conversation.public_id}")
