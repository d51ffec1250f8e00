/* The colour scheme, set before the first paint (templates/base.html loads this in <head>,
   not deferred, so no page flashes light before turning dark).

   A reader's choice ("light" or "dark") is kept in localStorage, never in a cookie: pages
   are cached for every reader alike, so the HTML must not depend on it. Without a choice the
   page follows the device's prefers-color-scheme, and keeps following it if it changes.
   site.js draws the switch; window.siteTheme is what it calls. */
(function () {
  "use strict";

  var KEY = "theme";
  var root = document.documentElement;
  var system = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : "system";
    } catch (error) {
      return "system"; // storage refused (private mode, blocked): follow the device
    }
  }

  function apply() {
    var choice = stored();
    var scheme = choice === "system" ? (system.matches ? "dark" : "light") : choice;
    root.setAttribute("data-bs-theme", scheme);
  }

  function choose(choice) {
    try {
      if (choice === "light" || choice === "dark") {
        window.localStorage.setItem(KEY, choice);
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      // Not remembered, but still applied to this page.
    }
    apply();
  }

  root.classList.add("js");
  apply();
  system.addEventListener("change", apply);
  window.addEventListener("storage", apply); // a choice made in another tab

  window.siteTheme = { choice: stored, choose: choose };
})();
