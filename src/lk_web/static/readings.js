// «Передать показания»: each value is checked against the meter's digit capacity as it
// is typed, with the server's own wording. The server checks everything again; the page
// works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("readings-form");
  if (!form) return;
  const inputs = form.querySelectorAll("input.readings-input");

  function problemOf(input) {
    const text = input.value.replace(/[\s\u00a0]/g, "").replace(",", ".");
    if (text === "") return "";
    if (!/^[-−]?\d+(\.\d+)?$/.test(text)) return input.dataset.messageNumber;
    if (/^[-−]/.test(text) && /[1-9]/.test(text)) return input.dataset.messageNegative;
    const [whole, fraction = ""] = text.replace(/^[-−]/, "").split(".");
    if (fraction.replace(/0+$/, "").length > Number(input.dataset.fractionDigits)) {
      return input.dataset.messageFraction;
    }
    if (whole.replace(/^0+/, "").length > Number(input.dataset.integerDigits)) {
      return input.dataset.messageInteger;
    }
    return "";
  }

  function show(input) {
    const status = document.getElementById(input.getAttribute("aria-describedby").split(" ")[0]);
    if (!status.dataset.original) status.dataset.original = status.innerHTML;
    const problem = problemOf(input);
    const row = input.closest("tr");
    if (problem) {
      status.textContent = "";
      const refused = document.createElement("span");
      refused.className = "readings-refused";
      refused.textContent = problem;
      status.appendChild(refused);
      input.setAttribute("aria-invalid", "true");
      row.classList.add("has-error");
    } else {
      status.innerHTML = status.dataset.original;
      input.removeAttribute("aria-invalid");
      row.classList.remove("has-error");
    }
    return problem;
  }

  for (const input of inputs) {
    input.addEventListener("input", () => show(input));
    if (input.value) show(input);
  }
  form.addEventListener("submit", (event) => {
    const wrong = [...inputs].filter((input) => show(input));
    if (wrong.length) {
      event.preventDefault();
      wrong[0].focus();
      // portal.js disables the buttons of a form being sent; this one was not sent.
      setTimeout(() => {
        for (const b of form.querySelectorAll('button[type="submit"]')) b.disabled = false;
      }, 0);
    }
  });
});
