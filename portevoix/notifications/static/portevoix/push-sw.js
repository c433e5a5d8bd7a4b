// Web Push handlers (push, notificationclick): written by the notifications app; the app's service worker imports this file.
