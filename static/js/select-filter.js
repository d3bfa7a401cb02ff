// A search box that narrows a long <select> (the employer directory: ~75 names) as staff type:
// <input type="search" data-filters="select-id" hidden>. Options marked data-keep always stay.
// Without JavaScript the box stays hidden and the plain list works as before.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-filters]").forEach(function (input) {
    var select = document.getElementById(input.getAttribute("data-filters"));
    var status = document.getElementById(input.getAttribute("aria-describedby"));
    if (!select) { return; }
    input.closest("[hidden]") ? input.closest("[hidden]").hidden = false : (input.hidden = false);
    select.size = Math.min(10, select.options.length);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0, last = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var keep = option.hasAttribute("data-keep");
        var match = words.every(function (w) { return fold(option.text).indexOf(w) !== -1; });
        option.hidden = !(keep || match);
        if (match && !keep) { shown += 1; last = option; }
      });
      if (shown === 1) { select.value = last.value; }
      if (status) {
        status.textContent = words.length ? shown + (shown === 1 ? " employer matches" : " employers match") : "";
      }
    });
  });
}());
