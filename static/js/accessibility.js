// Reading aids of the page frame: the A− / A / A+ text size (remembered across pages in
// localStorage) and the pause button of the scrolling welcome line.
(function () {
  "use strict";
  var KEY = "kimson-text-size";
  var SCALES = [0.875, 1, 1.125, 1.25, 1.5];
  var current = 1;

  try {
    var saved = parseFloat(window.localStorage.getItem(KEY));
    if (SCALES.indexOf(saved) >= 0) current = saved;
  } catch (e) {
    // Storage blocked: the default size.
  }

  function apply(scale) {
    current = scale;
    document.documentElement.style.setProperty("--font-scale", String(scale));
  }

  function choose(step) {
    var index = SCALES.indexOf(current);
    apply(step === 0 ? 1 : SCALES[Math.min(SCALES.length - 1, Math.max(0, index + step))]);
    try {
      window.localStorage.setItem(KEY, String(current));
    } catch (e) {
      // Storage blocked: the size still changes on this page.
    }
  }

  apply(current);
  document.addEventListener("DOMContentLoaded", function () {
    var control = document.querySelector(".text-size");
    if (control) {
      control.hidden = false;
      control.addEventListener("click", function (event) {
        var button = event.target.closest("[data-text-size]");
        if (button) choose(Number(button.getAttribute("data-text-size")));
      });
    }
    var pause = document.querySelector(".datebar__pause");
    var welcome = document.querySelector(".datebar__welcome");
    if (pause && welcome) {
      pause.hidden = false;
      pause.addEventListener("click", function () {
        var paused = pause.getAttribute("aria-pressed") !== "true";
        pause.setAttribute("aria-pressed", String(paused));
        welcome.classList.toggle("is-paused", paused);
      });
    }
  });
})();
