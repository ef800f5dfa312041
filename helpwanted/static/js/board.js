// Drag and drop on the opportunities board. Without this file every card still has its
// "Move to…" form; dropping a card simply fills in that same form and submits it, so the
// server sees exactly what the keyboard path sends (CSRF token included).
document.addEventListener("DOMContentLoaded", () => {
  const board = document.querySelector("[data-board]");
  if (!board) return;
  const closed = board.querySelector("[data-closed]");
  const wide = window.matchMedia("(min-width: 50rem)");
  if (closed && wide.matches) closed.open = true;

  let dragged = null;
  const columnAt = (target) => target instanceof Element ? target.closest("[data-stage-column]") : null;
  const clearOver = () => board.querySelectorAll(".is-over").forEach((el) => el.classList.remove("is-over"));

  board.addEventListener("dragstart", (event) => {
    const card = event.target instanceof Element ? event.target.closest("[data-card]") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.card);
    card.classList.add("is-dragging");
    if (closed) closed.open = true; // closed stages are drop targets too
  });

  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearOver();
  });

  board.addEventListener("dragover", (event) => {
    const column = columnAt(event.target);
    if (!dragged || !column) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("is-over")) {
      clearOver();
      column.classList.add("is-over");
    }
  });

  board.addEventListener("dragleave", (event) => {
    const column = columnAt(event.target);
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("is-over");
  });

  board.addEventListener("drop", (event) => {
    const column = columnAt(event.target);
    if (!dragged || !column) return;
    event.preventDefault();
    clearOver();
    const stage = column.dataset.stageColumn;
    if (stage === dragged.dataset.stage) return;
    const form = dragged.querySelector("form[data-move-form]");
    form.elements.stage.value = stage;
    column.querySelector(".board-column__cards").prepend(dragged); // show it moved at once
    dragged.classList.add("is-moving");
    form.requestSubmit();
  });
});
