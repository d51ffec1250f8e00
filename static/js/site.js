/* The site's small enhancements, every page (templates/base.html, deferred):
   - the menu button of narrow screens: opens and closes the menu, aria-expanded kept true
     to what is shown; Escape closes it and gives the focus back to the button;
   - the colour-scheme switch (light, dark, as on the device) over theme.js's siteTheme;
   - a post's table of contents opened beside the text on wide screens, where it has room,
     with the section being read marked.
   Without JavaScript the menu is open, the switch is hidden (CSS, by <html class="js">) and
   the table of contents is a list the reader opens. */
(function () {
  "use strict";

  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }
    function show(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        show(false);
        toggle.focus();
      }
    });
  }

  function setUpThemeSwitch() {
    var buttons = document.querySelectorAll(".theme-switch [data-theme-choice]");
    if (!window.siteTheme || !buttons.length) {
      return;
    }
    function mark() {
      var choice = window.siteTheme.choice();
      buttons.forEach(function (button) {
        var pressed = button.getAttribute("data-theme-choice") === choice;
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        window.siteTheme.choose(button.getAttribute("data-theme-choice"));
        mark();
      });
    });
    window.addEventListener("storage", mark);
    mark();
  }

  function setUpContents() {
    var details = document.querySelector(".toc-details");
    if (!details) {
      return;
    }
    var wide = window.matchMedia("(min-width: 1200px)");
    function fit() {
      details.open = wide.matches;
    }
    wide.addEventListener("change", fit);
    fit();

    if (!("IntersectionObserver" in window)) {
      return;
    }
    var links = {};
    details.querySelectorAll("a[href^='#']").forEach(function (link) {
      links[decodeURIComponent(link.getAttribute("href").slice(1))] = link;
    });
    var current = null;
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting && links[entry.target.id]) {
            if (current) {
              current.classList.remove("is-current");
            }
            current = links[entry.target.id];
            current.classList.add("is-current");
          }
        });
      },
      { rootMargin: "0px 0px -70% 0px" }
    );
    Object.keys(links).forEach(function (id) {
      var heading = document.getElementById(id);
      if (heading) {
        observer.observe(heading);
      }
    });
  }

  setUpMenu();
  setUpThemeSwitch();
  setUpContents();
})();
