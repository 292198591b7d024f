/* Zichtop: remove the server-drawn first map (zichtop/web/first_paint.py) as soon as the
   interactive map is drawn, or the page shows a message instead. */
(function () {
  var started = Date.now();
  function check() {
    var first = document.getElementById("eerste-kaart");
    if (!first) { return; }
    var drawn = document.querySelector("#kaart-map path.choroplethlocation");
    var other = document.querySelector(".problem") || (document.querySelector("#inhoud h1") &&
      !document.getElementById("kaart-map"));
    if (drawn || other || Date.now() - started > 30000) { first.remove(); return; }
    setTimeout(check, 50);
  }
  check();
})();
