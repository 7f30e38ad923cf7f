// Samla's service worker: shows a push notification and opens Samla at the right page when it is
// chosen. The notification says only that there is something to read; the rest is behind the login.
self.addEventListener('push', (event) => {
  let message = { title: 'Samla', body: '', url: '/' }
  try {
    message = { ...message, ...event.data.json() }
  } catch {
    // a push without a readable payload still tells the person to look in Samla
  }
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      tag: message.tag,
      data: { url: message.url },
      lang: 'sv',
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = new URL(event.notification.data?.url ?? '/', self.location.origin)
  // Only Samla's own pages open from a notification.
  const target = url.origin === self.location.origin ? url.href : self.location.origin
  event.waitUntil(self.clients.openWindow(target))
})
