/* Zichtop: the map of the municipalities (zichtop/web/svg_map.py). The server draws it into the
   page's HTML, every municipality a link to its profile, so it answers a click before any
   script has run. This script moves that picture into the page's map panel (or fetches the
   shapes once, when the page was reached without a reload), colours it with the values the app
   sends on every switch (dcc.Store "kaart-waarden": a colour and a tooltip's figures per
   municipality),
   shows a tooltip on hover and on keyboard focus, outlines and zooms to a chosen municipality,
   shows the RIEC regions or provinces, and opens a profile without reloading the page. */
(function () {
  "use strict";
  var shapes = null;  // the SVG text fetched once per page load
  var latest = null;  // the values last sent

  function panel() { return document.getElementById("kaart-map"); }
  function mapIn(node) { return node ? node.querySelector("svg.svg-kaart") : null; }

  // the picture inside the panel: the first paint's, else a fetched one; shapes of another
  // build than the values (a new build swapped in while the tab was open) are fetched anew
  function adopt(done, version) {
    var box = panel();
    if (!box) { return; }
    var own = mapIn(box);
    if (own && version && own.getAttribute("data-versie") !== version) {
      own.remove();
      shapes = null;
      box.setAttribute("data-vormen", "/kaart.svg?v=" + version);
    }
    if (mapIn(box)) { done(mapIn(box)); return; }
    var first = document.getElementById("eerste-kaart");
    if (mapIn(first) && (!version || mapIn(first).getAttribute("data-versie") === version)) {
      box.insertBefore(mapIn(first), box.firstChild);
      first.remove();
      listen(box);
      done(mapIn(box));
      return;
    }
    var insert = function (text) {
      if (!mapIn(box)) { box.insertAdjacentHTML("afterbegin", text); listen(box); }
      done(mapIn(box));
    };
    if (shapes) { insert(shapes); return; }
    fetch(box.getAttribute("data-vormen")).then(function (r) { return r.text(); })
      .then(function (text) { shapes = text; insert(text); });
  }

  // an area's tooltip: its cells filled into the template the server sent once
  // (zichtop/web/svg_map.py: templates, text)
  function describe(data, i, name) {
    var cells = data.cijfers[i] || ["geen gegevens"];
    var out = data.sjablonen[String(cells.length)].split("{naam}").join(name);
    cells.forEach(function (cell, i) { out = out.split("{" + i + "}").join(cell); });
    return out;
  }

  function paint(svg, data) {
    var links = svg.querySelectorAll("a[data-gebied]");
    if (links.length !== data.kleur.length) { return; }  // never another map's values
    for (var i = 0; i < links.length; i++) {
      // the values come in the order of the shapes (zichtop/web/svg_map.py: map_values)
      var text = describe(data, i, links[i].getAttribute("data-naam"));
      links[i].firstChild.setAttribute("fill", data.kleur[i] || "#cfe3f2");
      links[i].setAttribute("data-tekst", text);
      links[i].setAttribute("aria-label", text.split("\n").join(", "));
    }
    ["riec", "provincie"].forEach(function (key) {
      svg.classList.toggle("toon-" + key, data.grenzen.indexOf(key) >= 0);
    });
    var edge = svg.querySelector("path.gekozen-rand");
    var chosen = data.gekozen ? svg.querySelector('a[data-gebied="' + data.gekozen + '"]') : null;
    edge.setAttribute("d", chosen ? chosen.firstChild.getAttribute("d") : "");
    svg.setAttribute("viewBox", chosen ? around(chosen.getBBox(), svg) : svg.getAttribute("data-heel"));
    svg.setAttribute("data-gekozen", data.gekozen || "");
    svg.setAttribute("data-interactief", "ja");
  }

  // a view around a municipality with the whole map's proportions: nothing is cut off
  function around(box, svg) {
    var whole = svg.getAttribute("data-heel").split(" ").map(Number);
    var ratio = whole[2] / whole[3];
    var w = Math.max(box.width, box.height * ratio, 60) * 2.2;
    var h = w / ratio;
    return [box.x + box.width / 2 - w / 2, box.y + box.height / 2 - h / 2, w, h]
      .map(function (v) { return Math.round(v); }).join(" ");
  }

  function tip(box) {
    var t = box.querySelector(".kaart-tip");
    if (!t) {
      t = document.createElement("div");
      t.className = "kaart-tip";
      t.setAttribute("role", "tooltip");
      box.appendChild(t);
    }
    return t;
  }

  function show(box, link, x, y) {
    var t = tip(box);
    t.textContent = "";
    (link.getAttribute("data-tekst") || "").split("\n").forEach(function (line, i) {
      var el = document.createElement(i ? "div" : "strong");
      el.textContent = line;
      t.appendChild(el);
    });
    t.hidden = false;
    var r = box.getBoundingClientRect();
    var left = Math.min(x - r.left + 14, r.width - t.offsetWidth - 4);
    var top = y - r.top + 14;
    if (top + t.offsetHeight > r.height) { top = y - r.top - t.offsetHeight - 10; }
    t.style.left = Math.max(4, left) + "px";
    t.style.top = Math.max(4, top) + "px";
  }

  function hide(box) { tip(box).hidden = true; }

  function listen(box) {
    if (box.getAttribute("data-luistert")) { return; }
    box.setAttribute("data-luistert", "ja");
    box.addEventListener("mousemove", function (e) {
      var link = e.target.closest && e.target.closest("a[data-gebied]");
      if (link) { show(box, link, e.clientX, e.clientY); } else { hide(box); }
    });
    box.addEventListener("mouseleave", function () { hide(box); });
    box.addEventListener("focusin", function (e) {
      var link = e.target.closest && e.target.closest("a[data-gebied]");
      if (!link) { return; }
      var r = link.getBoundingClientRect();
      show(box, link, r.left + r.width / 2, r.top + r.height / 2);
    });
    box.addEventListener("focusout", function () { hide(box); });
    // a profile opens inside the app (as its own links do), not with a page reload
    box.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest("a[data-gebied]");
      if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
      e.preventDefault();
      var reference = new URLSearchParams(window.location.search).get("referentie");
      var href = link.getAttribute("href") +
        (reference ? "?referentie=" + encodeURIComponent(reference) : "");
      window.history.pushState({}, "", href);
      window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
      window.scrollTo(0, 0);
    });
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.zichtop = Object.assign({}, window.dash_clientside.zichtop, {
    kaart: function (data) {
      if (data) {
        latest = data;
        adopt(function (svg) { paint(svg, latest); }, data.versie);
      }
      return window.dash_clientside.no_update;
    }
  });

  // the first paint covers the page while it loads; it goes as soon as the page shows
  // something else (another page, or a message instead of the map)
  var started = Date.now();
  (function check() {
    var first = document.getElementById("eerste-kaart");
    if (!first) { return; }
    var other = document.querySelector(".problem") ||
      (document.querySelector("#inhoud h1") && !panel());
    if (other || Date.now() - started > 30000) { first.remove(); return; }
    setTimeout(check, 50);
  })();
})();
