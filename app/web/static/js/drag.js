// Moving by drag and drop: a row is dragged onto a folder's row or a breadcrumb.
// The dragged item travels as JSON under the page's own type, so a drop from the desktop
// (type "Files") is never mistaken for a move, and a move never for an upload.

const TYPE = "application/x-sharebox-item";

const carriesItem = (event) => [...(event.dataTransfer?.types || [])].includes(TYPE);

/** `item`: {type, id, name, parentId}; the row can be picked up and dropped on a folder. */
export function dragSource(node, item) {
  node.draggable = true;
  node.addEventListener("dragstart", (event) => {
    event.dataTransfer.setData(TYPE, JSON.stringify(item));
    event.dataTransfer.effectAllowed = "move";
    node.classList.add("is-dragged");
  });
  node.addEventListener("dragend", () => node.classList.remove("is-dragged"));
}

/** `node` takes dropped items into `target` ({folderId, name}; folderId null: the top level):
 * `onDrop(item, target)`. */
export function dropTarget(node, target, onDrop) {
  let depth = 0; // dragenter/leave fire for the children too
  const highlight = (on) => node.classList.toggle("drop-target", on);
  node.addEventListener("dragenter", (event) => {
    if (!carriesItem(event)) return;
    event.preventDefault();
    depth += 1;
    highlight(true);
  });
  node.addEventListener("dragover", (event) => {
    if (!carriesItem(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  });
  node.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) highlight(false);
  });
  node.addEventListener("drop", (event) => {
    if (!carriesItem(event)) return;
    event.preventDefault();
    event.stopPropagation();
    depth = 0;
    highlight(false);
    const item = JSON.parse(event.dataTransfer.getData(TYPE));
    const ontoItself = item.type === "folder" && item.id === target.folderId;
    if (!ontoItself && item.parentId !== target.folderId) onDrop(item, target);
  });
}
