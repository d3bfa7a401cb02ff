// "Copy" buttons next to read-only link fields: <button data-copy="field-id" hidden>. Without
// JavaScript the buttons stay hidden and the field can be selected and copied by hand.
(function () {
  "use strict";
  function copied(button) {
    var label = button.querySelector("[data-copy-label]") || button;
    var before = label.textContent;
    label.textContent = button.getAttribute("data-copied") || "Copied";
    setTimeout(function () { label.textContent = before; }, 2000);
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) { return; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { copied(button); });
      } else {
        field.select();
        document.execCommand("copy");
        copied(button);
      }
    });
  });
}());
