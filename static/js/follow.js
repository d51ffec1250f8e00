/* The follow form ("Email me when the next part is out"), progressive enhancement only.

   Post pages come from a cache shared by every reader, so a reader without this site's CSRF
   cookie gets the form with an empty token (reading sets no cookie). Once they start on the
   form, this fetches a token (the same address as the comment form's), and a form sent before
   the answer came waits for it. Without JavaScript the server brings the address back on the
   follow page with a fresh token, asking to send it again. */
(function () {
  "use strict";

  var form = document.querySelector("form.follow-form[data-token-url]");
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
})();
