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

// RACI grid: each cell saves itself when changed (htmx), arrow keys and Enter move
// between rows. Without JavaScript the grid is one form with a save button.
document.addEventListener("DOMContentLoaded", () => {
  const grid = document.querySelector("table.raci-grid.editable");
  if (!grid) return;
  const form = grid.closest("form");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const expectedOf = (input) => input.parentElement.querySelector("input[type=hidden]");

  grid.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.classList.contains("cell-input")) return;
    const expected = expectedOf(input);
    const values = { cell: input.name, [input.name]: input.value, [expected.name]: expected.value };
    const cell = input.closest("td");
    cell.classList.add("saving");
    htmx.ajax("POST", form.action, { source: input, target: cell, swap: "innerHTML", values, headers: { "X-CSRFToken": csrf } })
      .finally(() => cell.classList.remove("saving"));
  });

  const move = (input, step) => {
    const cell = input.closest("td");
    const column = Array.prototype.indexOf.call(cell.parentElement.children, cell);
    const rows = Array.from(grid.querySelectorAll("tbody tr:not(.function-row)"));
    const next = rows[rows.indexOf(cell.parentElement) + step];
    next?.children[column]?.querySelector(".cell-input")?.focus();
  };
  grid.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!input.classList?.contains("cell-input")) return;
    if (event.key === "ArrowDown" || event.key === "Enter") {
      event.preventDefault();
      if (event.key === "Enter" && input.value !== expectedOf(input).value) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      move(input, 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(input, -1);
    }
  });
});

// Calendar: drag an item to another day (htmx POST to its reschedule URL; the page
// reloads on success). Keyboard and no-JS users move items with the date field on the
// item page.
document.addEventListener("DOMContentLoaded", () => {
  const calendar = document.querySelector("table.calendar");
  if (!calendar) return;
  const csrf = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/)?.[1] ?? "";
  let dragged = null;
  calendar.addEventListener("dragstart", (event) => {
    dragged = event.target.closest("li.item");
    if (dragged) event.dataTransfer.setData("text/plain", dragged.dataset.item);
  });
  calendar.addEventListener("dragover", (event) => {
    const cell = event.target.closest("td.day");
    if (!cell || !dragged) return;
    event.preventDefault();
    calendar.querySelectorAll(".drop-target").forEach((c) => c.classList.remove("drop-target"));
    cell.classList.add("drop-target");
  });
  calendar.addEventListener("drop", (event) => {
    const cell = event.target.closest("td.day");
    if (!cell || !dragged) return;
    event.preventDefault();
    cell.classList.remove("drop-target");
    const item = dragged;
    dragged = null;
    if (item.closest("td.day") === cell) return;
    cell.querySelector("ul.items").appendChild(item);
    // Refused (stale revision, no right to move it): show the calendar as it really is.
    item.addEventListener("htmx:afterRequest", (e) => { if (!e.detail.successful) window.location.reload(); }, { once: true });
    htmx.ajax("POST", item.dataset.rescheduleUrl, {
      source: item,
      swap: "none",
      values: { day: cell.dataset.day, revision: item.dataset.revision },
      headers: { "X-CSRFToken": decodeURIComponent(csrf) },
    });
  });
});

// A budget line's channel is for media lines only: shown when the category is media.
document.addEventListener("DOMContentLoaded", () => {
  const category = document.querySelector("#line-form select[name=category]");
  const part = document.querySelector("#line-form [data-for-category]");
  if (!category || !part) return;
  const show = () => {
    part.hidden = category.value !== part.dataset.forCategory;
    if (part.hidden) part.querySelector("select").value = "";
  };
  category.addEventListener("change", show);
  show();
});
