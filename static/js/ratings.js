// Star rating without a reload: the form still works as a plain POST (with its button) when this file does not run.
// With it, a star chosen by pointer (mouse, touch) is sent at once. Keyboard users move between stars with the
// arrow keys, which change the choice without sending it, and send with Enter or Space.
(function () {
  "use strict";
  var HINT = "Dùng phím mũi tên để chọn số sao, nhấn Enter hoặc phím cách để gửi.";
  var byPointer = false;

  function update(form, data) {
    form.querySelector(".rating__summary").textContent = data.summary;
    var own = form.querySelector("[data-rating-own]");
    form.querySelector("[data-rating-own-score]").textContent = data.score;
    own.hidden = false;
    form.querySelectorAll(".rating__star").forEach(function (star, index) {
      star.classList.toggle("is-on", index < data.score);
    });
  }

  function send(form) {
    var status = form.querySelector(".rating__summary");
    if (!form.querySelector("input[name=score]:checked")) {
      status.textContent = "Vui lòng chọn từ 1 đến 5 sao.";
      return;
    }
    if (form.dataset.sending) return;
    form.dataset.sending = "1";
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        delete form.dataset.sending;
        var error = form.querySelector("[data-rating-error]");
        if (error) error.hidden = result.ok;
        if (result.ok) update(form, result.data);
        else if (error) {
          // The score line keeps the article's figures; the reason stands on a line of its own.
          error.textContent = result.data.error;
          if (result.data.summary) status.textContent = result.data.summary;
        } else status.textContent = result.data.error;
      })
      .catch(function () { form.submit(); });
  }

  function starInput(target) {
    return target && target.closest ? target.closest("form[data-rating] .rating__input") : null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-rating]");
    if (!form) return;
    event.preventDefault();
    send(form);
  });
  document.addEventListener("pointerdown", function (event) {
    byPointer = !!(event.target.closest && event.target.closest("form[data-rating] .rating__star"));
  }, true);
  document.addEventListener("keydown", function (event) {
    var input = starInput(event.target);
    if (!input) return;
    byPointer = false;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      input.checked = true;
      send(input.form);
    }
  });
  // Arrow keys also fire "change" (and "click"): only a pointer's choice is sent straight away.
  document.addEventListener("change", function (event) {
    var input = starInput(event.target);
    if (input && byPointer) {
      byPointer = false;
      send(input.form);
    }
  });

  document.querySelectorAll("form[data-rating]").forEach(function (form, index) {
    var button = form.querySelector(".rating__submit");
    if (button) button.style.display = "none"; // .btn sets display, which would win over [hidden]
    var hint = document.createElement("p");
    hint.className = "visually-hidden";
    hint.id = "rating-hint-" + index;
    hint.textContent = HINT;
    form.appendChild(hint);
    form.querySelectorAll(".rating__input").forEach(function (input) {
      input.setAttribute("aria-describedby", hint.id);
    });
  });
})();
