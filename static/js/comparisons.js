// Comparisons pages, progressive enhancement only: the result page's "Print this page"
// button. It is hidden in the HTML and shown here, so nobody without JavaScript sees a
// button that does nothing. Loaded as a file because the CSP forbids inline scripts.
document.querySelectorAll("[data-print-page]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// The recommendation form: after a submission with mistakes, move focus to the list of
// them so keyboard and screen-reader users start where the work is.
const formErrors = document.getElementById("form-errors");
if (formErrors) {
  formErrors.focus();
}

// A table wider than a phone scrolls inside its wrapper, which a keyboard can only scroll if
// the wrapper takes focus. Today's result pages say so in their markup; results saved in
// format 1 render their markup as it always was, so their wrappers get the same named,
// focusable region here.
document.querySelectorAll(".result .table-responsive:not([tabindex])").forEach((wrapper, index) => {
  const caption = wrapper.querySelector("caption");
  wrapper.tabIndex = 0;
  wrapper.setAttribute("role", "region");
  if (caption) {
    caption.id = caption.id || `table-caption-${index + 1}`;
    wrapper.setAttribute("aria-labelledby", caption.id);
  } else {
    wrapper.setAttribute("aria-label", "Table");
  }
});
