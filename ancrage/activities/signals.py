"""What the write services tell about rows they write in bulk (a bulk insert sends no signal of
its own): the audit app keeps the history of participations and structure links from it. A
higher layer listens; this one never imports it."""

from django.dispatch import Signal

# Sent by the services with `rows`, the participations or action–structure links just created.
links_created = Signal()
