// The only script (the Content-Security-Policy allows no inline script or handler). The pages work without it.
document.addEventListener("DOMContentLoaded", () => {
  // The navigation menu on narrow screens.
  const button = document.querySelector(".menu");
  const nav = document.getElementById("nav");
  if (button && nav) {
    button.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", String(open));
    });
  }
  // Filters marked data-autosubmit show their choice at once.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form && select.form.submit());
  }
});
