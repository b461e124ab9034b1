/** One landed clip the status could show a frame of. */
export interface LandedClip {
  clip: string;
  durationS: number;
  out: string;
}

/**
 * The status's frames of clips as they land, off the render's path (issue 10, point 5): the
 * render never waits for one (a frame is cosmetic, the compose is not), at most one is made at a
 * time and only of the newest clip (the status shows the latest; older ones would be replaced
 * before anyone saw them), and once `close` is called none is started, and the one being made is
 * stopped (its `signal` aborts) unless no frame was shown yet: the clips are in, the compose needs
 * the cores, and a late "clips" status would overwrite the compose's.
 */
export function clipPreviews(
  make: (c: LandedClip, signal: AbortSignal) => Promise<string | null>,
  show: (previewPath: string) => void,
) {
  let making = false;
  let newest: LandedClip | undefined;
  let closed = false;
  let shown = false;
  const stop = new AbortController();
  const pump = async () => {
    if (making) return;
    making = true;
    try {
      while (newest && !closed) {
        const next = newest;
        newest = undefined;
        const made = await make(next, stop.signal).catch(() => null);
        // The first frame is shown even when the clips all landed while it was made: the status
        // must show one (it costs a few ms at the status's small size); later ones are dropped.
        if (made && (!closed || !shown)) {
          shown = true;
          show(made);
        }
      }
    } finally {
      making = false;
    }
  };
  return {
    landed(c: LandedClip): void {
      if (closed) return;
      newest = c;
      void pump();
    },
    close(): void {
      closed = true;
      newest = undefined;
      if (shown) stop.abort();
    },
  };
}
