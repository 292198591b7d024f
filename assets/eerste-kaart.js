/* Zichtop: the server-drawn first map (zichtop/web/first_paint.py). As soon as the page itself
   is there, the picture moves to the map's place and lets every click through; it is removed
   once the interactive map is drawn, or when the page shows a message instead. */
(function () {
  var started = Date.now();
  function place(first, target) {
    var r = target.getBoundingClientRect();
    first.classList.add("op-kaart");
    first.style.top = (r.top + window.scrollY) + "px";
    first.style.left = (r.left + window.scrollX) + "px";
    first.style.width = r.width + "px";
    first.style.height = Math.max(r.height, 300) + "px";
  }
  function check() {
    var first = document.getElementById("eerste-kaart");
    if (!first) { return; }
    var drawn = document.querySelector("#kaart-map path.choroplethlocation");
    var other = document.querySelector(".problem") || (document.querySelector("#inhoud h1") &&
      !document.getElementById("kaart-map"));
    if (drawn || other || Date.now() - started > 30000) { first.remove(); return; }
    var target = document.getElementById("kaart-map");
    if (target) { place(first, target); }
    setTimeout(check, 50);
  }
  check();
})();
