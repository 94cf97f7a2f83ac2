/**
 * The card's 打开平台举报: the platform's own report control, clicked for the moderator, who then
 * files the report in the platform's dialog. Most platforms render 举报 only in a menu that exists
 * once opened (dom-evidence.md, summary caveats), so a block may give the menu instead: open it the
 * way the platform does, wait for its report item, click that.
 */
import type { ReportMenu } from '../sites/adapter';

export interface OpenReportOptions {
  /** How long the menu may take to render its report item. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Waits one frame (tests pass a timer). */
  nextFrame?: () => Promise<void>;
}

/** Whether the platform's report control was clicked. */
export async function openReport(
  entry: Element | undefined,
  menu: ReportMenu | undefined,
  options: OpenReportOptions = {},
): Promise<boolean> {
  if (entry) {
    press(entry);
    return true;
  }
  if (!menu) return false;
  const { timeoutMs = 2_000, signal } = options;
  const nextFrame = options.nextFrame ?? frame(menu.trigger);
  const ready = menu.control();
  if (ready) {
    press(ready);
    return true;
  }
  // After the click on the card has finished propagating: pages close their menus on any click
  // outside them, and that click would close the menu opened from inside it.
  await nextFrame();
  openMenu(menu);
  const deadline = Date.now() + timeoutMs;
  while (!signal?.aborted && Date.now() < deadline) {
    await nextFrame();
    const control = menu.control();
    if (control) {
      press(control);
      return true;
    }
  }
  return false;
}

function press(control: Element): void {
  control.scrollIntoView?.({ block: 'center' });
  (control as HTMLElement).click?.();
}

/** Opens the menu with the gesture the platform listens for, at the trigger's centre. */
function openMenu(menu: ReportMenu): void {
  const trigger = menu.trigger;
  trigger.scrollIntoView?.({ block: 'center' });
  const view = trigger.ownerDocument.defaultView;
  const box = trigger.getBoundingClientRect();
  const at = {
    bubbles: true,
    cancelable: true,
    composed: true,
    clientX: box.left + box.width / 2,
    clientY: box.top + box.height / 2,
    ...(view ? { view } : {}),
  };
  const Mouse = view?.MouseEvent ?? MouseEvent;
  if (menu.open === 'contextmenu') {
    trigger.dispatchEvent(new Mouse('contextmenu', { ...at, button: 2 }));
  } else if (menu.open === 'hover') {
    trigger.dispatchEvent(new Mouse('mouseover', at));
    trigger.dispatchEvent(new Mouse('mouseenter', { ...at, bubbles: false }));
  } else {
    (trigger as HTMLElement).click?.();
  }
}

function frame(element: Element): () => Promise<void> {
  const view = element.ownerDocument.defaultView;
  return () =>
    new Promise((resolve) => {
      if (view?.requestAnimationFrame) view.requestAnimationFrame(() => resolve());
      else setTimeout(resolve, 16);
    });
}
