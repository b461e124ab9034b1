import { isAdVideo } from '../helpers/uploads.ts';

/**
 * Holds a fake platform's answer to an upload request so a test can kill the bot in that exact
 * window: `before` the fake records the file (the request arrived, nothing is in the thread), or
 * `after` it (the file is in the thread, the bot has not heard back). Each hold catches one request.
 * A request held `before` whose client hung up meanwhile is dropped by the fake, as if it had
 * never arrived.
 */
export type HoldWhen = 'before' | 'after';

export interface UploadHold {
  readonly when: HoldWhen;
  /** Resolves once a matching request is being held. */
  readonly reached: Promise<void>;
  /** Lets the held request answer (a killed client no longer hears it). */
  release(): void;
}

interface Entry {
  hold: UploadHold;
  match: (filenames: string[]) => boolean;
  caught: boolean;
  onReached: () => void;
  released: Promise<void>;
}

export class UploadHolds {
  private readonly entries: Entry[] = [];

  /** Holds the next upload at `when` whose file names match (default: the ad's video, not a preview). */
  add(when: HoldWhen, match = (names: string[]) => names.some(isAdVideo)): UploadHold {
    let onReached!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((r) => {
      onReached = r;
    });
    const released = new Promise<void>((r) => {
      release = r;
    });
    const hold: UploadHold = { when, reached, release };
    this.entries.push({ hold, match, caught: false, onReached, released });
    return hold;
  }

  /** Called by the fake at each point; waits while a hold catches this request. */
  async at(when: HoldWhen, filenames: string[]): Promise<void> {
    const e = this.entries.find((x) => !x.caught && x.hold.when === when && x.match(filenames));
    if (!e) return;
    e.caught = true;
    e.onReached();
    await e.released;
  }

  releaseAll(): void {
    for (const e of this.entries) e.hold.release();
  }
}
