// Posts the identity provider's answer once more from our own page, so that the browser sends
// the session cookie (SameSite=Lax) with it. Without JavaScript, the person presses the button.
document.querySelectorAll("form[data-auto-submit]").forEach((form) => form.submit());
