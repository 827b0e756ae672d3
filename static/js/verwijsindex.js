// Small conveniences that the pages work without: print a page, copy a block of text.
// Loaded as a same-origin file (the strict CSP allows no inline script).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-vi-print], [data-vi-copy]");
  if (!button) return;
  if (button.hasAttribute("data-vi-print")) {
    window.print();
    return;
  }
  const source = document.getElementById(button.getAttribute("data-vi-copy"));
  const status = document.getElementById(button.getAttribute("data-vi-status"));
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.innerText.trim()).then(
    () => { if (status) status.textContent = status.getAttribute("data-done"); },
    () => { if (status) status.textContent = status.getAttribute("data-failed"); },
  );
});
