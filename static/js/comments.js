/* Comments, progressive enhancement only.

   1. The form's security token. A cached post page gives a reader without a CSRF cookie an
      empty token (reading sets no cookie); once they start on the form, this fetches one, and
      a form sent before the answer came waits for it. Without JavaScript the server asks for
      the kept comment to be sent again and supplies the token then.
   2. After a failed submission, move focus to the error summary so keyboard and screen-reader
      users hear what went wrong first. It waits for "load" because the browser's own jump to
      the form's #fragment would otherwise reset the focus. Without JavaScript the summary is
      still at the top of the form, which the page scrolls to. */
(function () {
  "use strict";

  var form = document.querySelector("form.comment-form[data-token-url]");
  var field = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
  var pending = null;

  function fetchToken() {
    if (!pending) {
      pending = fetch(form.getAttribute("data-token-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : {};
        })
        .then(function (data) {
          if (data.token) {
            field.value = data.token;
          }
        })
        .catch(function () {
          /* Offline or refused: the form goes without, and the server asks to send again. */
        })
        .then(function () {
          pending = null;
        });
    }
    return pending;
  }

  if (field) {
    form.addEventListener("focusin", function () {
      if (!field.value) {
        fetchToken();
      }
    });
    form.addEventListener("submit", function (event) {
      if (field.value) {
        return;
      }
      event.preventDefault();
      fetchToken().then(function () {
        form.submit(); // does not fire "submit" again
      });
    });
  }

  window.addEventListener("load", function () {
    var summary = document.getElementById("comment-errors");
    if (summary) {
      summary.focus();
    }
  });
})();
