/* The page "eigen gegevens" (zichtop/web/pages/eigen_gegevens.py): the chosen file goes to the
 * server in one request (zichtop/web/own_view.py) and the answer is drawn here; it lives only
 * in this tab, in memory, and dies with it. */
(function () {
  "use strict";
  var MAX = 5 * 1024 * 1024;

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function say(box, lines) {
    box.innerHTML = "";
    if (!lines.length) return;
    var list = el("ul");
    lines.forEach(function (line) { list.appendChild(el("li", line)); });
    box.appendChild(list);
  }

  function blobUrl(base64, type) {
    var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    return URL.createObjectURL(new Blob([bytes], {type: type}));
  }

  var COLUMNS = [["gebied", "Gebied"], ["aantal", "Aantal"], ["waarde", "Waarde"],
                 ["index", "Index (eigen set = 100)"], ["categorie", "Categorie"],
                 ["cbs", "CBS-patronen in dit gebied"]];

  function table(rows, box) {
    var t = el("table", null, {"class": "compare-table", id: "eigen-rijen"});
    var head = el("tr");
    COLUMNS.forEach(function (c, i) {
      var th = el("th");
      var b = el("button", c[1], {type: "button", "class": "sort"});
      b.addEventListener("click", function () {
        var key = c[0], asc = b.dataset.asc !== "1";
        b.dataset.asc = asc ? "1" : "0";
        rows.sort(function (a, z) {
          var x = a[key], y = z[key];
          if (Array.isArray(x)) { x = x.length; y = y.length; }
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          return (x > y ? 1 : x < y ? -1 : 0) * (asc ? 1 : -1);
        });
        table(rows, box);
      });
      th.appendChild(b);
      head.appendChild(th);
    });
    t.appendChild(head);
    rows.forEach(function (r) {
      var tr = el("tr");
      COLUMNS.forEach(function (c) {
        var v = r[c[0]];
        tr.appendChild(el("td", Array.isArray(v) ? v.join("; ") : (v === null ? "" : v)));
      });
      t.appendChild(tr);
    });
    box.innerHTML = "";
    box.appendChild(t);
  }

  function show(answer) {
    document.getElementById("eigen-uitkomst").hidden = false;
    document.getElementById("eigen-titel").textContent =
      answer.titel + " (" + answer.periode + ")";
    document.getElementById("eigen-uitleg").textContent =
      "Per gebied: " + answer.eenheid + "; 100 = de eigen set (" + answer.referentie + " " +
      answer.eenheid + "). Toets: trechtergrenzen " + answer.toets + ".";
    var map = document.getElementById("eigen-kaart");
    if (window.Plotly) {
      // the map's own settings: boundaries from this site, never a CDN
      window.Plotly.newPlot(map, answer.kaart.data, answer.kaart.layout, answer.kaartinstelling);
    }
    table(answer.rijen.slice(), document.getElementById("eigen-tabel"));
    var links = document.getElementById("eigen-samenhang");
    links.innerHTML = "";
    var together = answer.rijen.filter(function (r) {
      return r.cbs.length && (r.categorie || "").indexOf("hoger") >= 0;
    });
    var list = el("ul", null, {id: "eigen-samen"});
    together.forEach(function (r) {
      list.appendChild(el("li", r.gebied + ": eigen cijfer " + r.categorie + "; CBS: " +
                                r.cbs.join("; ")));
    });
    if (!together.length) {
      list.appendChild(el("li", "Geen gebied waar uw cijfer hoger ligt en een CBS-patroon " +
                                "opvalt."));
    }
    links.appendChild(list);
    if (answer.correlaties.length) {
      links.appendChild(el("p", "Samenhang over de gebieden (correlatie r met 95%-interval):"));
      var c = el("ul", null, {id: "eigen-correlaties"});
      answer.correlaties.forEach(function (k) {
        c.appendChild(el("li", k.indicator + ": r = " + k.r + " (" + k.interval + "; " + k.n +
                               " gebieden)"));
      });
      links.appendChild(c);
    }
    document.getElementById("eigen-csv").href = blobUrl(answer.csv, "text/csv");
    document.getElementById("eigen-xlsx").href = blobUrl(
      answer.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }

  function send(file, route) {
    var box = document.getElementById("eigen-meldingen");
    document.getElementById("eigen-uitkomst").hidden = true;
    if (file.size > MAX) {
      say(box, ["Het bestand is groter dan 5 MiB."]);
      return;
    }
    say(box, ["Bezig met rekenen..."]);
    fetch(route, {method: "POST", body: file, credentials: "same-origin",
                  headers: {"Content-Type": "application/octet-stream"}})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function (pair) {
        if (pair[0] === 200) { say(box, []); show(pair[1]); return; }
        say(box, pair[1].problemen ? pair[1].problemen.map(function (p) { return p.tekst; })
                                   : [pair[1].message || "Het bestand kan niet worden gebruikt."]);
      })
      .catch(function () { say(box, ["De server gaf geen antwoord; probeer het opnieuw."]); });
  }

  function mount() {
    var holder = document.getElementById("eigen-invoer");
    if (!holder || holder.querySelector("input")) return;
    var input = el("input", null, {type: "file", id: "eigen-bestandskeuze",
                                   accept: ".csv,.xlsx,text/csv"});
    input.addEventListener("change", function () {
      if (input.files && input.files[0]) send(input.files[0], holder.dataset.route);
    });
    holder.appendChild(input);
  }

  new MutationObserver(mount).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", mount);
})();
