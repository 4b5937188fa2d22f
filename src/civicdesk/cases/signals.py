"""Signals other domains listen to without cases importing them."""

from django.dispatch import Signal

# A public timeline event was recorded (a report filed, a status change, a public note), in
# the transaction that recorded it: a receiver queues its side effects with
# `enqueue_on_commit`. Sent with `event` (a TimelineEvent).
public_event = Signal()
