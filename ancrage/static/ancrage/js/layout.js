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

  wrapTables(document);
  document.body.addEventListener("htmx:afterSettle", () => wrapTables(document));
})();
