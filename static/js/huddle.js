// A little progressive enhancement; every page works without it.
document.documentElement.classList.remove("no-js");
