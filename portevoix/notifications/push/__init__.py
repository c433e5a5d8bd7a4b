"""Web Push: notifications on a person's devices (RFC 8030 delivery, RFC 8291 encryption,
RFC 8292 VAPID), for the same events as the in-app list."""
