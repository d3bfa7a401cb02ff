// qr-scanner decodes camera frames in a worker it builds from a blob: URL, which our CSP refuses.
// This gives it the browser's own BarcodeDetector when that reads QR codes, else qr-scanner's
// decoder as a same-origin worker. The library has no option for this: it asks this factory, for
// every scanner (door and booth) and again after an error. Load it after qr-scanner.
(function () {
  "use strict";
  if (!window.QrScanner) return;
  var workerUrl = document.currentScript.getAttribute("data-worker-url");
  window.QrScanner.createQrEngine = function () {
    if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
      return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : new Worker(workerUrl);
      });
    }
    return Promise.resolve(new Worker(workerUrl));
  };
})();
