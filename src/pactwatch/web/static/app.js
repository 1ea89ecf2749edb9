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
  // A link to a quote (#m120-164) scrolls to it and marks every highlighted piece of it.
  const markQuote = () => {
    for (const old of document.querySelectorAll("a.hl.quote-target")) old.classList.remove("quote-target");
    const found = /^#m(\d+)-(\d+)$/.exec(location.hash);
    if (!found) return;
    const [start, end] = [Number(found[1]), Number(found[2])];
    let first = null;
    for (const piece of document.querySelectorAll("a.hl[data-span]")) {
      const [a, b] = piece.dataset.span.split("-").map(Number);
      if (a >= start && b <= end) {
        piece.classList.add("quote-target");
        first = first || piece;
      }
    }
    if (first) first.scrollIntoView({block: "center"});
  };
  markQuote();
  window.addEventListener("hashchange", markQuote);
  // A list's filters leave empty and default fields out of the address, so a bookmark says only what was chosen.
  for (const form of document.querySelectorAll("form.table-filters")) {
    form.addEventListener("submit", () => {
      for (const field of form.elements) {
        if (field.name && (field.value === "" || field.value === field.dataset.default)) field.disabled = true;
      }
    });
  }
  // Filters marked data-autosubmit show their choice at once.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form && select.form.requestSubmit());
  }
});
