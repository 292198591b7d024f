/* Dash 4's controls as assistive technology must read them (WCAG 2.1 A/AA; axe-core in the
 * browser tests finds 0 violations). Dash renders three patterns that break the rules; this
 * script repairs each as soon as the control appears and whenever React rewrites it:
 * - a dropdown's keyboard entry is an <input> hidden from assistive technology
 *   (aria-hidden) yet focusable: it stays focusable (it hands focus to the dropdown's
 *   button), is no longer hidden, and carries the dropdown's name;
 * - a dropdown's button is named by its selected values only (aria-labelledby), which
 *   differs from its visible text: its visible text names it;
 * - radio items and checklists are a listbox of options that each hold a native radio or
 *   checkbox (interactive inside interactive, an unnamed listbox): they become a plain group
 *   of native controls, named by the control's aria-label or its label;
 * - the data table's page buttons are icons without a name: they get Dutch names;
 * - a table wider than the screen scrolls sideways: while it does, it is a named region in
 *   the tab order so the keyboard can scroll it (and no needless tab stop when it fits).
 */
(function () {
  "use strict";

  function nameOf(el) {
    var label = el.closest("label");
    var text = el.getAttribute("data-naam") || (label && label.textContent.trim()) || "";
    return text.replace(/\s+/g, " ").slice(0, 80);
  }

  function repairDropdown(wrapper) {
    var proxy = wrapper.querySelector(":scope > .dash-dropdown-focus-target");
    var button = wrapper.querySelector(":scope > .dash-dropdown");
    if (proxy && proxy.hasAttribute("aria-hidden")) {
      proxy.removeAttribute("aria-hidden");
      var named = wrapper.closest("[data-naam]");
      var name = (named && named.getAttribute("data-naam")) || nameOf(wrapper) ||
        (button && button.textContent.trim()) || "Keuzelijst";
      proxy.setAttribute("aria-label", name);
    }
    if (button && button.hasAttribute("aria-labelledby")) {
      button.removeAttribute("aria-labelledby");
    }
  }

  var CHOICES = ".dash-options-list.dash-radioitems, .dash-options-list.dash-checklist";
  function repairOptions(list) {
    // a dropdown's menu is a true listbox (options without controls inside): left alone
    if (!list.matches(CHOICES)) return;
    if (list.getAttribute("role") === "listbox") {
      var multiple = list.classList.contains("dash-checklist");
      list.setAttribute("role", "group");
      if (!list.hasAttribute("aria-label")) {
        list.setAttribute("aria-label", list.getAttribute("data-naam") || nameOf(list) ||
          (multiple ? "Keuzes" : "Keuze"));
      }
      list.removeAttribute("aria-multiselectable");
    }
    list.querySelectorAll(".dash-options-list-option").forEach(function (option) {
      if (option.hasAttribute("role")) option.removeAttribute("role");
      if (option.hasAttribute("aria-selected")) option.removeAttribute("aria-selected");
    });
  }

  var PAGER = {"first-page": "Eerste pagina", "previous-page": "Vorige pagina",
               "next-page": "Volgende pagina", "last-page": "Laatste pagina"};
  function repairPager(button) {
    Object.keys(PAGER).forEach(function (cls) {
      if (button.classList.contains(cls) && !button.hasAttribute("aria-label")) {
        button.setAttribute("aria-label", PAGER[cls]);
      }
    });
  }

  var SCROLLERS = ".table-scroll, .compare-table, .makeup, .markdown table";
  function repairScroller(el) {
    var scrolls = el.scrollWidth > el.clientWidth + 1;
    if (scrolls && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("data-scrollregio", "");
      if (!el.hasAttribute("role")) el.setAttribute("role", "region");
      if (!el.hasAttribute("aria-label")) {
        var heading = el.closest("section, .card, .panel, .factsheet");
        heading = heading && heading.querySelector("h1, h2, h3");
        el.setAttribute("aria-label", "Tabel" + (heading ? ": " + heading.textContent.trim() : "") +
          " (schuift opzij)");
      }
    } else if (!scrolls && el.hasAttribute("data-scrollregio")) {
      ["tabindex", "data-scrollregio", "role", "aria-label"].forEach(function (a) {
        el.removeAttribute(a);
      });
    }
  }
  function scrollers() { document.querySelectorAll(SCROLLERS).forEach(repairScroller); }

  function repair(root) {
    if (!(root instanceof Element)) return;
    root.querySelectorAll(".previous-next-container button").forEach(repairPager);
    if (root.matches(".dash-dropdown-wrapper")) repairDropdown(root);
    root.querySelectorAll(".dash-dropdown-wrapper").forEach(repairDropdown);
    var list = root.closest(".dash-options-list");
    if (list) repairOptions(list);
    if (root.matches(".dash-options-list")) repairOptions(root);
    root.querySelectorAll(".dash-options-list").forEach(repairOptions);
  }

  var pending = new Set();
  var scheduled = false;
  function flush() {
    scheduled = false;
    pending.forEach(repair);
    pending.clear();
    scrollers();
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      pending.add(r.type === "attributes" ? r.target : r.target);
      r.addedNodes.forEach(function (n) { if (n instanceof Element) pending.add(n); });
    });
    if (!scheduled) {
      scheduled = true;
      // before the next paint, so assistive technology never reads the broken markup
      Promise.resolve().then(flush);
    }
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["aria-hidden", "aria-selected", "role", "aria-labelledby"]
  });
  document.addEventListener("DOMContentLoaded", function () { repair(document.body); scrollers(); });
  window.addEventListener("resize", scrollers);
  window.addEventListener("load", scrollers);
})();
