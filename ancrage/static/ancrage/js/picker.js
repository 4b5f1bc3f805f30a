// A list of checkboxes made searchable: typing in the filter field hides the options whose
// name does not contain what was typed (accents and case ignored); ticked options stay shown.
// Progressive enhancement: without JavaScript the whole list of checkboxes stays usable.
(function () {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function setUp(list) {
    if (list.dataset.pickerReady) return;
    list.dataset.pickerReady = "true";
    const box = list.closest(".picker");
    const tools = box.querySelector("[data-picker-tools]");
    const filter = box.querySelector("[data-picker-filter]");
    const count = box.querySelector("[data-picker-count]");
    const items = Array.from(list.querySelectorAll("li")).filter((li) => li.querySelector("input"));
    tools.hidden = items.length === 0;

    function update() {
      const wanted = fold(filter.value.trim());
      let shown = 0;
      let ticked = 0;
      items.forEach((li) => {
        const input = li.querySelector("input");
        const match = !wanted || fold(li.textContent).includes(wanted) || input.checked;
        li.hidden = !match;
        if (match) shown += 1;
        if (input.checked) ticked += 1;
      });
      const label = ticked === 1 ? count.dataset.one : count.dataset.many;
      count.textContent = `${ticked} ${label} · ${shown} ${count.dataset.shown}`;
    }

    filter.addEventListener("input", update);
    // Enter in the filter field must not submit the whole form.
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    list.addEventListener("change", update);
    update();
  }

  function setUpAll() {
    document.querySelectorAll("[data-picker]").forEach(setUp);
  }

  // The code field keeps following the modality until the user types their own code.
  document.addEventListener("input", (event) => {
    if (event.target.id === "id_code") {
      const suggested = document.getElementById("id_code_suggested");
      if (suggested) suggested.value = "";
    }
  });

  setUpAll();
  document.body.addEventListener("htmx:afterSettle", setUpAll);
  document.body.addEventListener("htmx:oobAfterSwap", setUpAll);
})();
