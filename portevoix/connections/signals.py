from django.dispatch import Signal

# connection: the network refused its credentials for good; the person must connect again
# (notifications tells them). Sent after the connection is marked.
connection_needs_reconnect = Signal()
# connection, expires_at: a token that cannot be refreshed ends soon (LinkedIn's 60 days).
connection_expiring = Signal()
