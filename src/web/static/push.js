// Web push, added where the browser can: the preference centre shows a button that asks the browser
// for permission, subscribes with Samla's public key and sends the subscription to Samla. Without
// JavaScript the page works as before; only push needs it.
;(() => {
  const box = document.getElementById('push-enable')
  if (!box || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window))
    return
  const button = box.querySelector('button')
  const status = box.querySelector('[role="status"]')
  const key = Uint8Array.from(atob(box.dataset.publicKey.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
    c.charCodeAt(0),
  )
  box.hidden = false
  button.addEventListener('click', async () => {
    button.disabled = true
    try {
      if ((await Notification.requestPermission()) !== 'granted') throw new Error('permission')
      const registration = await navigator.serviceWorker.register('/static/sw.js')
      await navigator.serviceWorker.ready
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key,
      })
      const response = await fetch(`/api/v1/persons/${box.dataset.personId}/push-subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(subscription.toJSON()),
      })
      if (!response.ok) throw new Error(String(response.status))
      window.location.reload()
    } catch {
      status.textContent = status.dataset.failed
      button.disabled = false
    }
  })
})()
