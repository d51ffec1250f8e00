/* The live preview of a post's or page's Markdown in the admin (blog.admin_preview).
 *
 * As the author types, the text is sent (400 ms after the last key) to the admin's preview
 * endpoint, which renders it with the site's own pipeline and sanitiser and answers
 * {html, warnings}. The HTML is parsed by DOMParser, never run, and replaces the preview's
 * content; heading and note ids get a "preview-" prefix so they cannot collide with the
 * admin page's own ids. Nothing is saved: only the Save button does that.
 */
"use strict";

(function () {
  const DELAY_MS = 400;
  const ID_PREFIX = "preview-";

  function prefixIds(root) {
    root.querySelectorAll("[id]").forEach(function (element) {
      if (!element.id.startsWith(ID_PREFIX)) {
        element.id = ID_PREFIX + element.id;
      }
    });
    root.querySelectorAll('a[href^="#"]').forEach(function (link) {
      const target = link.getAttribute("href").slice(1);
      if (target && !target.startsWith(ID_PREFIX)) {
        link.setAttribute("href", "#" + ID_PREFIX + target);
      }
    });
  }

  function parseFragment(html) {
    const parsed = new DOMParser().parseFromString(html, "text/html");
    return Array.from(parsed.body.childNodes);
  }

  function showWarnings(container, warnings) {
    const key = JSON.stringify(warnings);
    if (container.dataset.shown === key) {
      return; // unchanged: do not make screen readers announce it again
    }
    container.dataset.shown = key;
    container.replaceChildren();
    if (!warnings.length) {
      return;
    }
    const title = document.createElement("p");
    title.className = "live-preview-warnings-title";
    title.textContent = "Before you save, check:";
    const list = document.createElement("ul");
    warnings.forEach(function (warning) {
      const item = document.createElement("li");
      item.textContent = warning;
      list.append(item);
    });
    container.append(title, list);
  }

  function setStatus(status, text) {
    if (status.textContent !== text) {
      status.textContent = text;
    }
  }

  function start(box) {
    const source = document.getElementById(box.dataset.source);
    const form = source && source.form;
    const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    const status = box.querySelector("[data-preview-status]");
    const warnings = box.querySelector("[data-preview-warnings]");
    const body = box.querySelector("[data-preview-body]");
    if (!source || !token || !status || !warnings || !body) {
      return;
    }
    prefixIds(body);
    warnings.dataset.shown = JSON.stringify(
      Array.from(warnings.querySelectorAll("li"), function (item) { return item.textContent; })
    );
    let timer = null;
    let inFlight = null;

    async function send() {
      if (inFlight) {
        inFlight.abort();
      }
      const controller = new AbortController();
      inFlight = controller;
      let response;
      let data = {};
      try {
        response = await fetch(box.dataset.previewUrl, {
          method: "POST",
          credentials: "same-origin",
          redirect: "error", // signed out: the login page is no preview
          headers: {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "X-CSRFToken": token.value,
          },
          body: JSON.stringify({ markdown: source.value }),
          signal: controller.signal,
        });
        data = await response.json().catch(function () { return {}; });
      } catch (error) {
        if (error.name !== "AbortError") {
          setStatus(status, "The preview could not be updated: check the connection, or " +
            "sign in again in another tab. Your text is still here; save it as usual.");
        }
        return;
      } finally {
        if (inFlight === controller) {
          inFlight = null;
        }
      }
      if (!response.ok) {
        setStatus(status, (data.error || "The preview could not be updated.") +
          " (" + response.status + ")");
        return;
      }
      body.replaceChildren.apply(body, parseFragment(data.html || ""));
      prefixIds(body);
      showWarnings(warnings, data.warnings || []);
      setStatus(status, "The preview shows your text as readers would see it. It is not " +
        "saved until you press Save.");
    }

    source.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, DELAY_MS);
    });
  }

  function startAll() {
    document.querySelectorAll(".live-preview[data-preview-url]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
