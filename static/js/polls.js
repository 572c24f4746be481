// Poll block: vote and show results without a reload. Without this file the form posts
// normally and the server redirects to the results page.
(function () {
  "use strict";

  function findBody(element) {
    return element.closest("[data-poll-body]");
  }

  function showError(form, message) {
    var error = form.querySelector("[data-poll-error]");
    if (!error) return;
    error.textContent = message;
    error.setAttribute("role", "alert");
  }

  function request(url, options) {
    options.headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      // A non-JSON answer (e.g. an expired security token): ask for a reload.
      return response.json().catch(function () {
        return { ok: false, error: "Không ghi nhận được bình chọn. Vui lòng tải lại trang rồi thử lại." };
      });
    });
  }

  // The server renders the results fragment; keep the form to come back to it.
  function showResults(body, html) {
    var form = body.querySelector("[data-poll-form]");
    if (form) body.pollForm = form;
    body.innerHTML = html;
    var view = body.querySelector("[data-poll-results-view]");
    if (view) {
      view.setAttribute("tabindex", "-1");
      view.focus();
    }
  }

  function onSubmit(event) {
    var form = event.target.closest("[data-poll-form]");
    var body = form && findBody(form);
    if (!body) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    request(form.action, { method: "POST", body: new FormData(form) })
      .then(function (data) {
        if (data.html) {
          showResults(body, data.html);
          body.pollForm = null;
          return;
        }
        showError(form, data.error || "Không ghi nhận được bình chọn. Vui lòng thử lại.");
      })
      .catch(function () {
        showError(form, "Không kết nối được máy chủ. Vui lòng thử lại sau.");
      })
      .finally(function () {
        if (button) button.disabled = false;
      });
  }

  function onClick(event) {
    var link = event.target.closest("[data-poll-show-results], [data-poll-back]");
    var body = link && findBody(link);
    if (!body) return;
    if (link.hasAttribute("data-poll-back")) {
      if (!body.pollForm) return;
      event.preventDefault();
      body.innerHTML = "";
      body.appendChild(body.pollForm);
      body.pollForm.querySelector("input, button").focus();
      return;
    }
    event.preventDefault();
    request(link.href, { method: "GET" })
      .then(function (data) {
        if (data.html) showResults(body, data.html);
        else window.location.href = link.href;
      })
      .catch(function () {
        window.location.href = link.href;
      });
  }

  // Listeners on the document, added once even if the script is included twice.
  if (window.kimsonPolls) return;
  window.kimsonPolls = true;
  document.addEventListener("submit", onSubmit);
  document.addEventListener("click", onClick);
})();
