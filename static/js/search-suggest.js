// Title suggestions under a search box while one types (ARIA 1.2 combobox with a list box).
// Arrow keys move through the suggestions, Enter opens the chosen one, Escape closes the list;
// a status line tells screen readers how many there are. Without JavaScript the box is a plain
// search box. Boxes opt in with data-suggest="<JSON endpoint>". On a province's search page the
// box's form has "Tìm trong" (don_vi): the suggestions come from the units chosen there, as the
// results do, and another unit's are marked with its name.
(function () {
  "use strict";
  var DELAY = 200;
  var MIN_CHARS = 2;

  function setUp(input) {
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null;
    var request = null;
    var active = -1;
    list.id = (input.id || "search") + "-suggestions";
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gợi ý");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    input.parentNode.classList.add("has-suggest");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(index) {
      var items = options();
      active = index;
      for (var n = 0; n < items.length; n++) {
        items[n].setAttribute("aria-selected", String(n === index));
      }
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      close();
      suggestions.forEach(function (item, n) {
        var option = document.createElement("li");
        var type = document.createElement("span");
        option.id = list.id + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = item.url;
        option.textContent = item.title;
        type.className = "suggest__type";
        type.textContent = " · " + item.type + (item.unit ? " · " + item.unit : "");
        option.appendChild(type);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box until the page changes
          window.location.href = item.url;
        });
        list.appendChild(option);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = suggestions.length + " gợi ý; dùng phím mũi tên để chọn, Enter để mở.";
      } else {
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_CHARS) {
        close();
        status.textContent = "";
        return;
      }
      if (request) {
        request.abort();
      }
      request = new AbortController();
      var units = input.form && input.form.elements.namedItem("don_vi");
      var scope = units && units.value ? "&don_vi=" + encodeURIComponent(units.value) : "";
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text) + scope, {
        headers: { Accept: "application/json" },
        signal: request.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === text && document.activeElement === input) {
            show(data.suggestions || []);
          }
        })
        .catch(function () {}); // aborted or offline: the plain search still works
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        choose(list.hidden ? 0 : (active + 1) % count);
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else if (event.key === "ArrowUp" && count && !list.hidden) {
        event.preventDefault();
        choose(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        window.location.href = options()[active].dataset.url;
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("input[data-suggest]");
    for (var n = 0; n < boxes.length; n++) {
      setUp(boxes[n]);
    }
  });
})();
