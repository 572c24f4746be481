// Article tools: "In bài", "Lưu bài" (the print dialog, where the reader picks "Save as PDF") and
// "Sao chép liên kết". Without JavaScript the page shows the address
// in a read-only field instead (see templates/includes/share.html).
(function () {
  "use strict";

  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    document.body.removeChild(field);
    return ok;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () {
        window.print();
      });
    });
    document.querySelectorAll("[data-copy-url]").forEach(function (button) {
      var status = document.getElementById(button.getAttribute("aria-describedby"));
      function report(ok) {
        if (status) {
          status.textContent = ok ? "Đã sao chép liên kết" : "Không sao chép được, hãy sao chép địa chỉ trên thanh địa chỉ.";
        }
      }
      button.addEventListener("click", function () {
        var url = button.getAttribute("data-copy-url");
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(
            function () { report(true); },
            function () { report(copyWithSelection(url)); }
          );
        } else {
          report(copyWithSelection(url));
        }
      });
    });
  });
})();
