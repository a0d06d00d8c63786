// Where the focus goes when one of our DSFR-styled native dialogs opens. Focusing the chosen element once
// is not enough: right after showModal() the DSFR sheet may still have the dialog `visibility: hidden`
// (a focus() then does nothing), and the DSFR script, which watches `.fr-modal`, traps the focus on the
// dialog's first control (its « Fermer » button) at a later frame — much later on a busy computer. So
// the focus is held on the chosen element until the person acts (a key or a click), the dialog closes,
// or the dialog has settled (a few frames and half a second with the focus in place; five seconds at most).

const SETTLE_MS = 500;
const SETTLE_FRAMES = 3;
const GIVE_UP_MS = 5_000;

/** Focuses `target()` now and keeps it there while the dialog settles; returns the clean-up. */
export function holdInitialFocus(dialog: HTMLDialogElement, target: () => HTMLElement | null): () => void {
  const start = performance.now();
  let frames = 0;
  let frame = 0;
  let done = false;
  const stop = () => {
    if (done) return;
    done = true;
    cancelAnimationFrame(frame);
    dialog.removeEventListener('keydown', stop, true);
    dialog.removeEventListener('pointerdown', stop, true);
  };
  const hold = () => {
    if (done) return;
    if (!dialog.open || performance.now() - start > GIVE_UP_MS) return stop();
    const el = target();
    if (el && document.activeElement !== el) el.focus();
    frames += 1;
    if (frames >= SETTLE_FRAMES && performance.now() - start >= SETTLE_MS && document.activeElement === el)
      return stop();
    frame = requestAnimationFrame(hold);
  };
  dialog.addEventListener('keydown', stop, true);
  dialog.addEventListener('pointerdown', stop, true);
  hold();
  return stop;
}
