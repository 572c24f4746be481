// Article form: every image in the body shows its caption field, so the caption is written, not forgotten.
(function () {
  "use strict";
  var done = new WeakSet();

  function withCaption(editor) {
    var model = editor.model;
    function addMissing(writer, image) {
      var hasCaption = Array.from(image.getChildren()).some(function (child) { return child.is("element", "caption"); });
      if (!hasCaption) {
        writer.appendElement("caption", image);
        return true;
      }
      return false;
    }
    model.document.registerPostFixer(function (writer) {
      var changed = false;
      model.document.differ.getChanges().forEach(function (entry) {
        if (entry.type === "insert" && entry.name === "imageBlock" && entry.position.nodeAfter) {
          changed = addMissing(writer, entry.position.nodeAfter) || changed;
        }
      });
      return changed;
    });
    model.change(function (writer) {
      Array.from(model.createRangeIn(model.document.getRoot()).getItems()).forEach(function (item) {
        if (item.is("element", "imageBlock")) {
          addMissing(writer, item);
        }
      });
    });
  }

  function attach() {
    var editors = window.editors || {};
    Object.keys(editors).forEach(function (id) {
      var editor = editors[id];
      if (editor && !done.has(editor) && editor.plugins.has("ImageCaption")) {
        done.add(editor);
        withCaption(editor);
      }
    });
  }

  var tries = 0;
  var timer = window.setInterval(function () {
    attach();
    tries += 1;
    if (tries > 100) {
      window.clearInterval(timer);
    }
  }, 100);
})();
