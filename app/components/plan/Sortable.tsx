// Drag-and-drop reordering of the plan's lists (areas, the goals of an area, the actions
// of a goal), with @dnd-kit (decision 032). One sortable list per Y.Array, each in its
// own DndContext: an item can only be dropped among its siblings. A drop calls the
// list's `onMove`, which is the editor's one move operation (the same one the overflow
// menu's "Flytta upp/ned" uses), so dragging is no second way to change the document.
// - Pointer (mouse, pen, touch) through the visible handle only; the handle has
//   `touch-action: none`, the rest of the row scrolls the page as usual.
// - Keyboard on the handle (Space/Enter to lift, arrows, Space/Enter to drop, Escape),
//   with Swedish instructions and announcements from the dictionaries; the result of a
//   move is said in the editor's own live region by the move operation.
// - Without write rights there is no DndContext and no handle.
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { GripVertical } from "lucide-react";
import { useRef, type CSSProperties, type ReactNode } from "react";
import { useT } from "~/i18n";

interface ListProps {
  /** The list's item ids, in order. */
  ids: string[];
  /** Each item's title (or "Namnlös"), for the announcements. */
  titleOf: (id: string) => string;
  /** Whether this person may change the plan: else the children render as they are. */
  enabled: boolean;
  /** The item `id` was dropped at place `toIndex` (0-based) of this list. */
  onMove: (id: string, toIndex: number) => void;
  children: ReactNode;
}

export function SortableList({ ids, titleOf, enabled, onMove, children }: ListProps) {
  const t = useT();
  const sensors = useSensors(
    // A few pixels before a drag starts, so that a click on the handle is no drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  // Where the dragged item was last said to be: dnd-kit reports "over itself" right after the
  // lift, which would cut the lift's announcement short.
  const said = useRef<UniqueIdentifier | null>(null);
  if (!enabled) return <>{children}</>;
  const title = (id: UniqueIdentifier) => titleOf(String(id));
  const place = (id: UniqueIdentifier | undefined) => ({ position: ids.indexOf(String(id)) + 1, count: ids.length });
  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      said.current = active.id;
      return t("planEditor.dragStart", { title: title(active.id), ...place(active.id) });
    },
    onDragOver: ({ active, over }) => {
      if (!over || over.id === said.current) return undefined;
      said.current = over.id;
      return t("planEditor.dragOver", { title: title(active.id), ...place(over.id) });
    },
    // A real move is announced by the move operation, in the editor's live region.
    onDragEnd: ({ active, over }) => (!over || over.id === active.id ? t("planEditor.dragSame", { title: title(active.id) }) : undefined),
    onDragCancel: ({ active }) => t("planEditor.dragCancel", { title: title(active.id), ...place(active.id) }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || over.id === active.id) return;
    const to = ids.indexOf(String(over.id));
    if (to >= 0) onMove(String(active.id), to);
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements,
        screenReaderInstructions: { draggable: t("planEditor.dragInstructions") },
        // Its hidden instructions and live region go to the body, not into the list (a <ul> holds only <li>s).
        container: typeof document === "undefined" ? undefined : document.body,
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        {children}
      </SortableContext>
    </DndContext>
  );
}

/**
 * One item of a SortableList: the ref and style for the item's element, and its drag
 * handle (null without write rights).
 */
export function useSortableItem(id: string, title: string, enabled: boolean) {
  const t = useT();
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, transform, transition, isDragging } = useSortable({
    id,
    disabled: !enabled,
    attributes: { roleDescription: t("planEditor.sortable") },
  });
  // Set through the DOM by React on the client (the editor renders only there): no inline style in server markup.
  const style: CSSProperties | undefined = transform ? { transform: CSS.Translate.toString(transform), transition } : undefined;
  const handle = enabled ? (
    <button
      type="button"
      ref={setActivatorNodeRef}
      className="drag-handle"
      {...attributes}
      {...listeners}
      aria-label={t("planEditor.drag", { title })}
    >
      <GripVertical aria-hidden="true" size={18} />
    </button>
  ) : null;
  return { ref: setNodeRef, style, dragging: isDragging, handle };
}
