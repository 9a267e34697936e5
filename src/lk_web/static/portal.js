// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A "Показать" button next to each password field, for residents typing on a phone.
  for (const input of document.querySelectorAll('input[type="password"]')) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "reveal";
    button.textContent = "Показать";
    button.setAttribute("aria-controls", input.id);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      const shown = input.type === "text";
      input.type = shown ? "password" : "text";
      button.textContent = shown ? "Показать" : "Скрыть";
      button.setAttribute("aria-pressed", String(!shown));
    });
    input.insertAdjacentElement("afterend", button);
  }
  // A choice that applies as soon as it is made (the period, the account): its button
  // stays for pages without this script.
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    const select = form.querySelector("select");
    const button = form.querySelector('button[type="submit"]');
    if (!select || !button) continue;
    button.hidden = true;
    select.addEventListener("change", () => form.requestSubmit());
  }
  // Do not let a double click send a form twice; a page restored from the back/forward
  // cache gets its buttons back.
  window.addEventListener("pageshow", () => {
    for (const b of document.querySelectorAll('button[type="submit"]')) b.disabled = false;
  });
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", () => {
      for (const b of form.querySelectorAll('button[type="submit"]')) {
        setTimeout(() => { b.disabled = true; }, 0);
      }
    });
  }
});
