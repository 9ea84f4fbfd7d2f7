// Progressive enhancement only: every form here works without this file.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  // The workspace switcher submits itself when a workspace is picked.
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    form.querySelector("select")?.addEventListener("change", () => form.requestSubmit());
  }
});
// Destructive forms ask first.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset?.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
