// Small screens (phones, tablets): the main menu folds behind a « Menu » button, and every
// table scrolls inside its own box instead of widening the page. Without JavaScript the menu
// stays open and the page still works.
(function () {
  document.documentElement.classList.add("js");

  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("menu");
  if (toggle && menu) {
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.classList.contains("open")) {
        toggle.setAttribute("aria-expanded", "false");
        menu.classList.remove("open");
        toggle.focus();
      }
    });
  }

  // A table wider than its column scrolls sideways in a box that the keyboard can reach.
  function wrapTables(root) {
    root.querySelectorAll("main table").forEach((table) => {
      const parent = table.parentElement;
      if (parent.classList.contains("table-scroll") || parent.classList.contains("grid-scroll")) {
        return;
      }
      const box = document.createElement("div");
      box.className = "table-scroll";
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      const caption = table.querySelector("caption");
      const heading = caption ? caption.textContent.trim() : "";
      const fallback = document.documentElement.lang === "en" ? "Table" : "Tableau";
      box.setAttribute("aria-label", heading || fallback);
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  // Every table of figures can be downloaded as CSV for a French spreadsheet (« ; », decimal
  // comma, numbers without their thousands spaces). Charts have their own links (server CSV).
  const english = document.documentElement.lang === "en";
  const grouped = /^-?\d{1,3}([\u202f\u00a0 ]\d{3})+(,\d+)?$/;

  function tableCsv(table) {
    return Array.from(table.rows)
      .map((row) =>
        Array.from(row.cells)
          .map((cell) => {
            let text = cell.innerText.replace(/\s+/g, " ").trim();
            if (grouped.test(text)) text = text.replace(/[\u202f\u00a0 ]/g, "");
            return /[";\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
          })
          .join(";"),
      )
      .join("\r\n");
  }

  function fileName(table) {
    const caption = table.querySelector("caption");
    const heading = caption ? caption.textContent : document.title.split("–")[0];
    const slug = heading.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    return `${slug || "tableau"}.csv`;
  }

  function addTableDownloads(root) {
    root.querySelectorAll("main table").forEach((table) => {
      if (table.dataset.download || table.closest("figure.chart, form")) return;
      if (table.querySelector("input, select, textarea") || table.rows.length < 2) return;
      table.dataset.download = "true";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "table-download";
      button.textContent = english ? "Download the table (CSV)" : "Télécharger le tableau (CSV)";
      button.addEventListener("click", () => {
        const blob = new Blob(["\ufeff" + tableCsv(table)], { type: "text/csv;charset=utf-8" });
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = fileName(table);
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
      const box = table.closest(".table-scroll") || table;
      const line = document.createElement("p");
      line.className = "downloads no-print";
      line.appendChild(button);
      box.after(line);
    });
  }

  function enhance() {
    wrapTables(document);
    addTableDownloads(document);
  }

  enhance();
  document.body.addEventListener("htmx:afterSettle", enhance);
})();
