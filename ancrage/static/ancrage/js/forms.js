// Long downloads (reports, exports): show that the work is in progress, then save the file.
// Without JavaScript the form still downloads the file, only without the visible state.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("form[data-download]")) return;
  event.preventDefault();
  const status = document.getElementById(form.dataset.download);
  const button = form.querySelector("button[type=submit]");
  const url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
  status.textContent = status.dataset.working;
  status.classList.add("working");
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(response.status);
    const disposition = response.headers.get("Content-Disposition") || "";
    const match = disposition.match(/filename="?([^";]+)"?/);
    const blob = await response.blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = match ? match[1] : "rapport";
    document.body.appendChild(link);
    link.click();
    link.remove();
    status.textContent = status.dataset.done;
  } catch (error) {
    status.textContent = status.dataset.failed;
  } finally {
    status.classList.remove("working");
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

// Long form submissions (imports): show the work in progress while the next page loads.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-busy]")) return;
  const status = document.getElementById(form.dataset.busy);
  status.textContent = status.dataset.working;
  status.classList.add("working");
  form.setAttribute("aria-busy", "true");
  form.querySelectorAll("button[type=submit]").forEach((button) => {
    // Disabled after the submission has started, so the button's own value is still sent.
    setTimeout(() => { button.disabled = true; }, 0);
  });
});
