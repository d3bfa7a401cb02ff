/* A scanner link carries its token in the fragment (/door/device#<token>), which browsers never
 * send to the server, so it stays out of logs; fill it in and open the scanner. */
(function () {
  "use strict";
  const token = decodeURIComponent(window.location.hash.slice(1));
  const form = document.getElementById("device-form");
  if (!token || !form) return;
  history.replaceState(null, "", window.location.pathname);
  form.querySelector("[name=token]").value = token;
  form.submit();
})();
