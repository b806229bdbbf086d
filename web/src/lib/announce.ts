// One polite live region for the whole app: seat changes, countdown warnings and results counts
// are spoken by screen readers without moving focus.
let region: HTMLElement | null = null;

export function announce(text: string): void {
  region ??= document.getElementById("announcer");
  if (!region) return;
  // Clearing first makes a repeated message be read again.
  region.textContent = "";
  window.setTimeout(() => {
    if (region) region.textContent = text;
  }, 50);
}
