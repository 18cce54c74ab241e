// Webinar times: show each <time data-local-time> in the browser's own zone, zone named.
// Progressive enhancement: without JavaScript the server's zone (named) stays.
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var fmt = new Intl.DateTimeFormat(undefined, {
    weekday: "long", month: "long", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit"
  });
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    if (el.hasAttribute("data-zone-fixed")) return;
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    el.textContent = fmt.format(when) + " (" + zone.replace(/_/g, " ") + ")";
  });
  document.querySelectorAll("input[data-browser-zone]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
})();
