/* The security token of forms on cached pages, progressive enhancement only.

   Post and series pages come from a cache shared by every reader, so a reader without this
   site's CSRF cookie gets each form (the comment form, the follow form) with an empty token:
   reading sets no cookie. Once they start on a form marked `data-token-url`, this fetches a
   token for it, and a form sent before the answer came waits for it. Without JavaScript the
   server brings what was typed back with a fresh token, asking to send it again. */
(function () {
  "use strict";

  function withToken(form) {
    var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    var pending = null;
    if (!field) {
      return;
    }

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

  Array.prototype.forEach.call(document.querySelectorAll("form[data-token-url]"), withToken);
})();
