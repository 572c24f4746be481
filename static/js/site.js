// Page frame behaviour: collapsible menu on phones. Works without it: the menu is then open.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu__toggle");
    var list = document.getElementById("menu-list");
    if (toggle && list) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", String(!open));
        list.classList.toggle("is-open", !open);
      });
    }
  });
})();
