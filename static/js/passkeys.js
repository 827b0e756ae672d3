// After a passkey was registered (django-otp-webauthn's script sends the event), go on to the page the
// registration block names in data-next: the start page after enrolment, the passkey list otherwise.
document.addEventListener("otp_webauthn.register_complete", () => {
  const block = document.querySelector("[data-passkey-next]");
  window.location.assign(block ? block.dataset.passkeyNext : window.location.href);
});
