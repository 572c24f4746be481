// Star rating without a reload: the form still works as a plain POST when this file does not run.
(function () {
  "use strict";
  function update(form, data) {
    form.querySelector(".rating__summary").textContent = data.summary;
    var own = form.querySelector("[data-rating-own]");
    form.querySelector("[data-rating-own-score]").textContent = data.score;
    own.hidden = false;
    form.querySelectorAll(".rating__star").forEach(function (star, index) {
      star.classList.toggle("is-on", index < data.score);
    });
  }
  function submit(event) {
    var form = event.target.closest("form[data-rating]");
    if (!form) return;
    event.preventDefault();
    var status = form.querySelector(".rating__summary");
    if (!form.querySelector("input[name=score]:checked")) {
      status.textContent = "Vui lòng chọn từ 1 đến 5 sao.";
      return;
    }
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
        if (result.ok) update(form, result.data);
        else status.textContent = result.data.error;
      })
      .catch(function () { form.submit(); });
  }
  document.addEventListener("submit", submit);
})();
