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
