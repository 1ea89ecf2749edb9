// The only script: opens the navigation menu on narrow screens. The pages work without it.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu");
  const nav = document.getElementById("nav");
  if (!button || !nav) return;
  button.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });
});
