// GOV.UK's error summary pattern: a page that comes back with errors moves focus to their summary,
// so a screen reader reads the problems first and each one links to its field.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
