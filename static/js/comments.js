/* Comments, progressive enhancement only (the form's security token is form-token.js's).

   After a failed submission, move focus to the error summary so keyboard and screen-reader
   users hear what went wrong first. It waits for "load" because the browser's own jump to
   the form's #fragment would otherwise reset the focus. Without JavaScript the summary is
   still at the top of the form, which the page scrolls to. */
(function () {
  "use strict";

  window.addEventListener("load", function () {
    var summary = document.getElementById("comment-errors");
    if (summary) {
      summary.focus();
    }
  });
})();
