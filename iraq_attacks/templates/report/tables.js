// Sortable tables (table.sortable, built by iraq_attacks.tables.interactive_table). Every row is
// in the HTML, so the page prints and reads complete without this script; the script adds
// sorting by the header (mouse or keyboard), search, rows per page and a CSV download of the
// rows that match. Empty cells sort last in either direction.
(function () {
  "use strict";
  function cellKey(cell, numeric) {
    if (!cell || cell.classList.contains("empty")) return null;
    if (numeric) {
      var n = parseFloat(cell.getAttribute("data-sort"));
      return isNaN(n) ? null : n;
    }
    return cell.textContent.trim().toLowerCase();
  }
  function csvValue(cell) {
    if (cell.classList.contains("empty")) return "";
    var links = cell.querySelectorAll("a[href]");
    var text = links.length ? Array.prototype.map.call(links, function (a) { return a.href; }).join(" ")
      : cell.textContent.trim();
    return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function enhance(table, number) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var pageLength = parseInt(table.getAttribute("data-page-length"), 10) || 25;
    var page = 0, query = "";
    var frame = table.parentNode;
    var controls = document.createElement("div");
    controls.className = "table-controls";
    var id = table.id || ("table-" + number);
    controls.innerHTML =
      '<label>Search <input type="search" aria-controls="' + id + '"></label>' +
      '<label>Rows <select aria-controls="' + id + '"><option value="25">25</option>' +
      '<option value="100">100</option><option value="0">all</option></select></label>' +
      '<span class="table-info" aria-live="polite"></span>' +
      '<a class="table-csv" download="' + (table.getAttribute("data-file") || id + ".csv") + '" href="#">Download these rows (CSV)</a>';
    frame.parentNode.insertBefore(controls, frame);
    var pager = document.createElement("div");
    pager.className = "table-pager";
    pager.innerHTML = '<button type="button" data-step="-1">Previous</button>' +
      '<span class="table-page"></span><button type="button" data-step="1">Next</button>';
    frame.parentNode.insertBefore(pager, frame.nextSibling);
    var search = controls.querySelector("input"), select = controls.querySelector("select");
    var info = controls.querySelector(".table-info"), csv = controls.querySelector(".table-csv");
    select.value = String(pageLength === 25 || pageLength === 100 ? pageLength : 0);

    function matching() {
      return rows.filter(function (row) {
        return !query || row.textContent.toLowerCase().indexOf(query) !== -1;
      });
    }
    function update() {
      var shown = matching(), size = parseInt(select.value, 10) || shown.length || 1;
      var pages = Math.max(1, Math.ceil(shown.length / size));
      page = Math.min(Math.max(page, 0), pages - 1);
      var first = page * size, last = Math.min(shown.length, first + size);
      var visible = new Set(shown.slice(first, last));
      var inQuery = new Set(shown);
      rows.forEach(function (row) {
        row.classList.toggle("filtered-out", !inQuery.has(row));
        row.classList.toggle("paged-out", inQuery.has(row) && !visible.has(row));
      });
      info.textContent = shown.length ? ("Rows " + (first + 1) + "–" + last + " of " + shown.length +
        (shown.length !== rows.length ? " (of " + rows.length + ")" : "")) : "No row matches";
      pager.hidden = pages === 1;
      pager.querySelector(".table-page").textContent = "Page " + (page + 1) + " of " + pages;
      pager.querySelector('[data-step="-1"]').disabled = page === 0;
      pager.querySelector('[data-step="1"]').disabled = page === pages - 1;
      var lines = [heads.map(function (h) { return csvValue(h); }).join(",")];
      shown.forEach(function (row) {
        lines.push(Array.prototype.map.call(row.cells, csvValue).join(","));
      });
      csv.href = "data:text/csv;charset=utf-8," + encodeURIComponent(lines.join("\n") + "\n");
      csv.textContent = "Download " + (shown.length === rows.length ? "all " : "these ") +
        shown.length + " rows (CSV)";
    }
    function sortBy(index) {
      var head = heads[index];
      var numeric = head.classList.contains("num");
      var ascending = head.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var keyed = rows.map(function (row, position) {
        return { row: row, key: cellKey(row.cells[index], numeric), position: position };
      });
      keyed.sort(function (a, b) {
        if (a.key === null || b.key === null) {
          if (a.key === b.key) return a.position - b.position;
          return a.key === null ? 1 : -1;  // empty last, whichever the direction
        }
        var order = numeric ? a.key - b.key : a.key.localeCompare(b.key);
        return (ascending ? order : -order) || a.position - b.position;
      });
      rows = keyed.map(function (k) { return k.row; });
      rows.forEach(function (row) { body.appendChild(row); });
      page = 0;
      update();
    }
    heads.forEach(function (head, index) {
      var button = document.createElement("button");
      button.type = "button";
      while (head.firstChild) button.appendChild(head.firstChild);
      button.title = "Sort by " + button.textContent;
      head.appendChild(button);
      button.addEventListener("click", function () { sortBy(index); });
    });
    search.addEventListener("input", function () { query = search.value.trim().toLowerCase(); page = 0; update(); });
    select.addEventListener("change", function () { page = 0; update(); });
    pager.addEventListener("click", function (event) {
      var step = event.target.getAttribute && event.target.getAttribute("data-step");
      if (step) { page += parseInt(step, 10); update(); }
    });
    update();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
