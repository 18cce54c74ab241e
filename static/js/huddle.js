// A little progressive enhancement; every page works without it.
document.documentElement.classList.remove("no-js");

// Arriving at an anchor that asks for it (the quiz feedback after "Check my answers"): the browser
// has already scrolled there; move keyboard and screen-reader focus there too.
(function () {
  function focusArrival() {
    if (!window.location.hash) return;
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target && target.hasAttribute("data-focus-on-arrival")) {
      target.focus({ preventScroll: true });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusArrival);
  } else {
    focusArrival();
  }
})();
