// Reading aids of the page frame: the A− / A / A+ text size (remembered across pages in
// localStorage), the pause button of the scrolling welcome line, data tables that stack into
// cards on a phone, and keyboard access to wide tables that still scroll sideways.
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

  // A region that scrolls must be reachable with the keyboard to be scrolled without a mouse.
  function scrollablesFocusable() {
    var regions = document.querySelectorAll(".table-wrap, .article__body table");
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      if (region.scrollWidth > region.clientWidth + 1) {
        if (!region.hasAttribute("tabindex")) {
          region.setAttribute("tabindex", "0");
          region.setAttribute("data-scroll-focus", "");
        }
      } else if (region.hasAttribute("data-scroll-focus")) {
        region.removeAttribute("tabindex");
        region.removeAttribute("data-scroll-focus");
      }
    }
  }

  // Each cell carries its column's name, shown before it when CSS stacks the table on a phone;
  // explicit roles keep the table a table for screen readers whatever its display.
  function stackableTables() {
    var tables = document.querySelectorAll("table.data-table");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t];
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) continue;
      table.setAttribute("role", "table");
      var rows = table.querySelectorAll("tr");
      for (var r = 0; r < rows.length; r++) {
        rows[r].setAttribute("role", "row");
        var cells = rows[r].children;
        for (var c = 0; c < cells.length; c++) {
          var cell = cells[c];
          if (cell.tagName === "TH") {
            cell.setAttribute("role", cell.closest("thead") ? "columnheader" : "rowheader");
          } else {
            cell.setAttribute("role", "cell");
            if (cells.length === heads.length) cell.setAttribute("data-label", heads[c].textContent.trim());
          }
        }
      }
      var groups = table.querySelectorAll("thead, tbody, tfoot");
      for (var g = 0; g < groups.length; g++) groups[g].setAttribute("role", "rowgroup");
      table.classList.add("is-stackable");
    }
  }

  apply(current);
  window.addEventListener("load", scrollablesFocusable);
  window.addEventListener("resize", scrollablesFocusable);
  document.addEventListener("DOMContentLoaded", function () {
    stackableTables();
    scrollablesFocusable();
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
